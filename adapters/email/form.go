package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// Limits of the form page.
const (
	// maxPostBytes bounds a submitted form: the longest answer the engine
	// takes, percent-encoded, is well under it.
	maxPostBytes = 256 << 10
	// nonceTTL is how long a form page may stay open before it is sent.
	nonceTTL = 12 * time.Hour
	// perToken paces the requests made with one link: a burst of
	// tokenBurst, then one every tokenEvery.
	tokenBurst = 10
	tokenEvery = 3 * time.Second
	// maxLimiters bounds the memory of the rate limits, which start
	// afresh when full; past it, the used nonces older than nonceTTL are
	// dropped, so they hold at most the nonces of one nonceTTL.
	maxLimiters = 10000
)

// formHandler serves the form: GET opens it from a link, POST submits it.
type formHandler struct {
	c *Chat

	mu       sync.Mutex
	limiters map[string]*rate.Limiter
	used     map[string]time.Time
}

func newFormHandler(c *Chat) *formHandler {
	return &formHandler{c: c, limiters: map[string]*rate.Limiter{}, used: map[string]time.Time{}}
}

// FormHandler returns the handler of the web form, to mount at FormPath on
// the listener that BaseURL reaches.
func (c *Chat) FormHandler() http.Handler { return c.form }

// formView is what the form page's template reads.
type formView struct {
	Lang, Title, Notice string
	Token, Nonce        string
	Action              string
	Form                *bot.Form
	Fields              []fieldView
	Errors              []fieldView
	Texts               bot.Texts
}

// fieldView is one field as the page shows it.
type fieldView struct {
	bot.FormField
	ID     string
	Error  string
	Values map[string]bool
	Text   string
}

// pageView is a page with a message and, perhaps, a link.
type pageView struct {
	Lang, Title, Text string
	Link, LinkLabel   string
	Personal          string
}

func (h *formHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	header := w.Header()
	header.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	header.Set("Referrer-Policy", "same-origin")
	header.Set("Cache-Control", "no-store")
	header.Set("X-Content-Type-Options", "nosniff")
	header.Set("X-Frame-Options", "DENY")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.open(w, r)
	case http.MethodPost:
		h.submit(w, r)
	default:
		header.Set("Allow", "GET, POST")
		http.Error(w, "method not allowed (want GET or POST)", http.StatusMethodNotAllowed)
	}
}

// check verifies a token and its rate limit; on failure it writes the
// page and returns false.
func (h *formHandler) check(w http.ResponseWriter, text string) (Token, bool) {
	tok, err := h.c.sign.verify(text, h.c.cfg.Now())
	t := h.c.cfg.Catalog.Texts(tok.Locale)
	switch {
	case errors.Is(err, errTokenExpired):
		h.page(w, http.StatusGone, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: t.T("email.page.expired")})
		return tok, false
	case err != nil:
		h.page(w, http.StatusForbidden, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: t.T("email.page.invalid")})
		return tok, false
	case !h.allow(signature(text)):
		w.Header().Set("Retry-After", "60")
		h.page(w, http.StatusTooManyRequests, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: t.T("email.page.too_many")})
		return tok, false
	}
	return tok, true
}

// allow takes one request from the link's allowance.
func (h *formHandler) allow(sig string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.limiters[sig]
	if !ok {
		if len(h.limiters) >= maxLimiters {
			h.limiters = map[string]*rate.Limiter{}
		}
		l = rate.NewLimiter(rate.Every(tokenEvery), tokenBurst)
		h.limiters[sig] = l
	}
	return l.AllowN(h.c.cfg.Now(), 1)
}

// open shows the form of a link, with the member's current answer.
func (h *formHandler) open(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("t")
	tok, ok := h.check(w, text)
	if !ok {
		return
	}
	form, ok := h.formOf(w, r, tok)
	if !ok {
		return
	}
	h.render(w, http.StatusOK, tok, text, form, nil, nil)
}

// formOf asks the engine for the member's form, as pressing the prompt's
// button does on a chat platform. On failure it writes the page.
func (h *formHandler) formOf(w http.ResponseWriter, r *http.Request, tok Token) (*bot.Form, bool) {
	t := h.c.cfg.Catalog.Texts(tok.Locale)
	hd := h.c.listener()
	if hd == nil {
		h.page(w, http.StatusServiceUnavailable, pageView{Lang: t.Locale(), Title: t.T("email.page.failed"), Text: t.T("err.internal")})
		return nil, false
	}
	ctx, cancel := h.c.opts.EventContext(r.Context())
	defer cancel()
	resp := hd.HandleEvent(ctx, bot.Event{Kind: bot.EventButton, From: tok.Member, At: h.c.cfg.Now(), MessageRef: tok.ref(), Action: bot.ActionOpenForm, Value: tok.Form})
	if resp.Form == nil || resp.Form.Ref != tok.Form {
		msg := resp.Error
		if msg == "" {
			msg = t.T("err.internal")
		}
		h.page(w, http.StatusConflict, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: msg})
		return nil, false
	}
	return resp.Form, true
}

// submit stores a submitted form, or shows it again with the errors next
// to their fields.
func (h *formHandler) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxPostBytes)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		t := h.c.cfg.Catalog.Texts("")
		if errors.As(err, &tooBig) {
			h.page(w, http.StatusRequestEntityTooLarge, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: t.T("email.page.too_large")})
			return
		}
		h.page(w, http.StatusBadRequest, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: t.T("email.page.not_from_form")})
		return
	}
	text := r.PostForm.Get("t")
	tok, ok := h.check(w, text)
	if !ok {
		return
	}
	t := h.c.cfg.Catalog.Texts(tok.Locale)
	nonce := r.PostForm.Get("nonce")
	// A post another site's page sends is refused (kit.SameOrigin); one
	// without Origin (an old browser) relies on the nonce. The pages'
	// Referrer-Policy (same-origin) keeps the link's token out of any
	// other site's logs.
	if !kit.SameOrigin(r, h.c.origin) || h.c.sign.checkNonce(nonce, text, h.c.cfg.Now(), nonceTTL) != nil {
		h.page(w, http.StatusForbidden, pageView{Lang: t.Locale(), Title: t.T("email.page.cannot_use"), Text: t.T("email.page.not_from_form"),
			Link: h.c.formURL(text), LinkLabel: t.T("email.page.open_again")})
		return
	}
	// A form sent again (a double click, a replay) goes to the engine with
	// the same event id, which the store keeps once: it is stored at most
	// once, and the page says "already sent" only once the engine confirms
	// that the answer is stored.
	replay := !h.claim(nonce)
	values := map[string][]string{}
	for k, v := range r.PostForm {
		if k != "t" && k != "nonce" {
			values[k] = v
		}
	}
	release := func() {
		if !replay {
			h.release(nonce)
		}
	}
	hd := h.c.listener()
	if hd == nil {
		release()
		h.page(w, http.StatusServiceUnavailable, pageView{Lang: t.Locale(), Title: t.T("email.page.failed"), Text: t.T("err.internal")})
		return
	}
	ctx, cancel := h.c.opts.EventContext(r.Context())
	defer cancel()
	sum := sha256.Sum256([]byte(nonce))
	resp := hd.HandleEvent(ctx, bot.Event{ID: "email-" + hex.EncodeToString(sum[:12]), Kind: bot.EventForm, From: tok.Member,
		At: h.c.cfg.Now(), MessageRef: tok.ref(), FormRef: tok.Form, Values: values})
	switch {
	case len(resp.FieldErrors) > 0:
		release()
		form, ok := h.formOf(w, r, tok)
		if !ok {
			return
		}
		h.render(w, http.StatusUnprocessableEntity, tok, text, form, values, resp.FieldErrors)
	case resp.Reply != nil && resp.Error == "" && replay:
		h.page(w, http.StatusConflict, pageView{Lang: t.Locale(), Title: t.T("email.page.saved"), Text: t.T("email.page.already_sent"),
			Link: h.c.formURL(text), LinkLabel: t.T("email.page.open_again")})
	case resp.Reply != nil && resp.Error == "":
		h.page(w, http.StatusOK, pageView{Lang: t.Locale(), Title: t.T("email.page.saved"), Text: resp.Reply.Text,
			Link: h.c.formURL(text), LinkLabel: t.T("email.page.edit_again")})
	default:
		release()
		msg := resp.Error
		if msg == "" {
			msg = t.T("err.internal")
		}
		h.page(w, http.StatusConflict, pageView{Lang: t.Locale(), Title: t.T("email.page.failed"), Text: msg,
			Link: h.c.formURL(text), LinkLabel: t.T("email.page.open_again")})
	}
}

// claim marks a nonce used; false if it already was.
func (h *formHandler) claim(nonce string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	now := h.c.cfg.Now()
	if len(h.used) >= maxLimiters {
		for n, at := range h.used {
			if now.Sub(at) > nonceTTL {
				delete(h.used, n)
			}
		}
	}
	if _, ok := h.used[nonce]; ok {
		return false
	}
	h.used[nonce] = now
	return true
}

// release forgets a nonce whose form stored nothing, so that the
// corrected form can be sent with it.
func (h *formHandler) release(nonce string) {
	h.mu.Lock()
	delete(h.used, nonce)
	h.mu.Unlock()
}

// render writes the form page; values and errs are what was sent and
// what was wrong with it, nil when the form is opened.
func (h *formHandler) render(w http.ResponseWriter, status int, tok Token, text string, form *bot.Form, values map[string][]string, errs map[string]string) {
	t := h.c.cfg.Catalog.Texts(tok.Locale)
	lang := t.Locale()
	if lang == "" {
		lang = "en"
	}
	v := formView{Lang: lang, Title: form.Title, Token: text, Nonce: h.c.sign.nonce(text, h.c.cfg.Now()), Action: FormPath, Form: form, Texts: t}
	if tok.Closes != 0 && !h.c.cfg.Now().Before(time.Unix(tok.Closes, 0)) {
		v.Notice = t.T("email.page.closed")
	}
	for _, f := range form.Fields {
		fv := fieldView{FormField: f, ID: "f-" + f.Name, Error: errs[f.Name], Values: map[string]bool{}}
		chosen := f.Initial
		if values != nil {
			chosen = values[f.Name]
		}
		for _, x := range chosen {
			fv.Values[x] = true
		}
		if len(chosen) > 0 {
			fv.Text = chosen[0]
		}
		v.Fields = append(v.Fields, fv)
		if fv.Error != "" {
			v.Errors = append(v.Errors, fv)
		}
	}
	var buf bytes.Buffer
	if err := formTemplate.Execute(&buf, v); err != nil {
		h.c.opts.Log.Error("email form page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// page writes a page with a message.
func (h *formHandler) page(w http.ResponseWriter, status int, v pageView) {
	if v.Lang == "" {
		v.Lang = "en"
	}
	v.Personal = h.c.cfg.Catalog.Texts(v.Lang).T("email.page.personal")
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const pageStyle = `<style>
body{margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;background:#fff}
main{max-width:640px;margin:0 auto}
h1{font-size:1.4em;margin:0 0 .75em}
label,legend{display:block;font-weight:bold;margin-bottom:.25em}
.field{margin:0 0 1.25em}
fieldset{border:0;padding:0;margin:0 0 1.25em}
.hint{color:#444;font-size:.9em;margin:0 0 .25em}
.error{color:#b00020;font-weight:bold;margin:.25em 0}
input[type=text],select,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.5em;border:1px solid #555;border-radius:4px}
textarea{min-height:6em}
.check{display:flex;gap:.5em;align-items:flex-start;font-weight:normal;margin:.25em 0}
.check input{width:1.25em;height:1.25em;margin-top:.15em}
[aria-invalid=true]{border:2px solid #b00020}
button,.button{display:inline-block;font:inherit;font-weight:bold;padding:.6em 1.2em;background:#0b5cad;color:#fff;border:0;border-radius:4px;text-decoration:none;cursor:pointer}
:focus-visible{outline:3px solid #e07b00;outline-offset:2px}
.summary{border:2px solid #b00020;padding:.75em 1em;margin:0 0 1.25em}
.summary a{color:#b00020}
.notice{background:#fff4e0;border-left:4px solid #e07b00;padding:.5em 1em}
.small{color:#444;font-size:.9em;margin-top:2em}
</style>`

var formTemplate = template.Must(template.New("form").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title>` + pageStyle + `</head>
<body><main>
<h1>{{.Title}}</h1>
{{if .Notice}}<p class="notice">{{.Notice}}</p>{{end}}
{{if .Errors}}<div class="summary" role="alert" aria-labelledby="summary-title" tabindex="-1" id="summary"><h2 id="summary-title" style="font-size:1.1em;margin:0 0 .5em">{{.Texts.T "email.page.problems"}}</h2>
<p>{{.Texts.T "email.page.not_saved" "Submit" .Form.Submit}}</p><ul>{{range .Errors}}<li><a href="#{{.ID}}">{{.Label}}: {{.Error}}</a></li>{{end}}</ul></div>{{end}}
<form method="post" action="{{.Action}}" novalidate accept-charset="utf-8">
<input type="hidden" name="t" value="{{.Token}}"><input type="hidden" name="nonce" value="{{.Nonce}}">
{{range .Fields}}{{$f := .}}{{if eq (print .Kind) "checkboxes"}}<fieldset class="field" id="{{.ID}}"{{if or .Hint .Error}} aria-describedby="{{if .Hint}}{{.ID}}-hint {{end}}{{if .Error}}{{.ID}}-error{{end}}"{{end}}>
<legend>{{.Label}}{{if .Required}} <span>({{$.Texts.T "email.page.required"}})</span>{{end}}</legend>
{{if .Hint}}<p class="hint" id="{{.ID}}-hint">{{.Hint}}</p>{{end}}
{{if .Error}}<p class="error" id="{{.ID}}-error"><span>{{$.Texts.T "email.page.error"}}</span> {{.Error}}</p>{{end}}
{{range $i, $o := .Options}}<label class="check" for="{{$f.ID}}-{{$i}}"><input type="checkbox" id="{{$f.ID}}-{{$i}}" name="{{$f.Name}}" value="{{$o.Value}}"{{if index $f.Values $o.Value}} checked{{end}}> <span>{{$o.Label}}</span></label>
{{end}}</fieldset>
{{else}}<div class="field">
<label for="{{.ID}}">{{.Label}}{{if .Required}} <span>({{$.Texts.T "email.page.required"}})</span>{{end}}</label>
{{if .Hint}}<p class="hint" id="{{.ID}}-hint">{{.Hint}}</p>{{end}}
{{if .MaxLen}}<p class="hint" id="{{.ID}}-max">{{$.Texts.T "email.page.max_chars" "Max" .MaxLen}}</p>{{end}}
{{if .Error}}<p class="error" id="{{.ID}}-error"><span>{{$.Texts.T "email.page.error"}}</span> {{.Error}}</p>{{end}}
{{if eq (print .Kind) "select"}}<select id="{{.ID}}" name="{{.Name}}"{{if .Required}} aria-required="true"{{end}}{{if .Error}} aria-invalid="true"{{end}} aria-describedby="{{if .Hint}}{{.ID}}-hint {{end}}{{if .Error}}{{.ID}}-error{{end}}">
<option value=""></option>{{range .Options}}<option value="{{.Value}}"{{if index $f.Values .Value}} selected{{end}}>{{.Label}}</option>{{end}}
</select>{{else if eq (print .Kind) "long_text"}}<textarea id="{{.ID}}" name="{{.Name}}" rows="5"{{if .MaxLen}} maxlength="{{.MaxLen}}"{{end}}{{if .Required}} aria-required="true"{{end}}{{if .Error}} aria-invalid="true"{{end}} aria-describedby="{{if .Hint}}{{.ID}}-hint {{end}}{{if .MaxLen}}{{.ID}}-max {{end}}{{if .Error}}{{.ID}}-error{{end}}">{{.Text}}</textarea>
{{else}}<input type="text" id="{{.ID}}" name="{{.Name}}" value="{{.Text}}"{{if .MaxLen}} maxlength="{{.MaxLen}}"{{end}}{{if .Required}} aria-required="true"{{end}}{{if .Error}} aria-invalid="true"{{end}} aria-describedby="{{if .Hint}}{{.ID}}-hint {{end}}{{if .MaxLen}}{{.ID}}-max {{end}}{{if .Error}}{{.ID}}-error{{end}}">{{end}}
</div>
{{end}}{{end}}<button type="submit">{{.Form.Submit}}</button>
</form>
<p class="small">{{.Texts.T "email.page.personal"}}</p>
</main></body></html>
`))

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title>` + pageStyle + `</head>
<body><main>
<h1>{{.Title}}</h1>
<p role="status">{{.Text}}</p>
{{if .Link}}<p><a class="button" href="{{.Link}}">{{.LinkLabel}}</a></p>{{end}}
<p class="small">{{.Personal}}</p>
</main></body></html>
`))

// ref is the message the link came in, zero when unknown.
func (t Token) ref() bot.MessageRef {
	if t.Message == "" {
		return bot.MessageRef{}
	}
	return bot.MessageRef{Platform: platform, ID: t.Message}
}
