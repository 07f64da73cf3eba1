package site

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// The question form and a question's permalink are the site's only pages
// made on request: served, never cached or exported, so that the cached
// and exported pages stay the same files. A post to the form is bounded
// and checked before anything is stored, cheapest check first: the rate
// limits (per client address and in all), the size of the body, the
// form's signed token and its nonce, the honeypot field. Each refusal is
// a page in the visitor's language saying what happened; nothing is
// stored on any.

// Form limits.
const (
	// MaxFormBody is the largest post the form takes.
	MaxFormBody = 16 << 10
	// FormTokenTTL is how long a form may be sent after it was served.
	FormTokenTTL = 2 * time.Hour
	// DefaultAskPerAddress and DefaultAskTotal are the posts taken an
	// hour per client address and in all.
	DefaultAskPerAddress = 10
	DefaultAskTotal      = 200
	// honeypot is the name of the field people leave empty.
	honeypot = "website"
	// maxAddrs bounds the client addresses the rate limit keeps apart
	// within an hour.
	maxAddrs = 1 << 16
)

// dynamicHeaders go on the pages made on request: their form posts to
// the site itself, and no copy is kept anywhere.
var dynamicHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
	"Cache-Control":           "no-store",
}

// asking holds what the form's checks remember, in this process only:
// the nonces already used, until their token expires, and the rate
// limiters.
type asking struct {
	secret []byte
	mu     sync.Mutex
	used   map[string]time.Time
	byAddr map[string]*addrLimit
	total  *rate.Limiter
	perHr  int
	swept  time.Time
}

type addrLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

func newAsking(secret string, perAddress, total int) *asking {
	if perAddress <= 0 {
		perAddress = DefaultAskPerAddress
	}
	if total <= 0 {
		total = DefaultAskTotal
	}
	return &asking{secret: []byte(secret), used: map[string]time.Time{}, byAddr: map[string]*addrLimit{},
		total: rate.NewLimiter(rate.Every(time.Hour/time.Duration(total)), total), perHr: perAddress}
}

// token signs a form served at path and now: the issue time, a random
// nonce and their HMAC with the path.
func (a *asking) token(path string, now time.Time) string {
	b := make([]byte, 8+16, 8+16+sha256.Size)
	binary.BigEndian.PutUint64(b, uint64(now.Unix()))
	rand.Read(b[8:])
	return base64.RawURLEncoding.EncodeToString(append(b, a.mac(path, b)...))
}

func (a *asking) mac(path string, head []byte) []byte {
	m := hmac.New(sha256.New, a.secret)
	m.Write([]byte("forumbot/ask\x00" + path + "\x00"))
	m.Write(head)
	return m.Sum(nil)
}

// spend checks a token posted to path at now and uses its nonce up; it
// reports false for a token missing, forged, for another form, expired,
// or already used.
func (a *asking) spend(tok, path string, now time.Time) bool {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != 8+16+sha256.Size || !hmac.Equal(b[24:], a.mac(path, b[:24])) {
		return false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b)), 0)
	if now.Sub(issued) > FormTokenTTL || issued.After(now.Add(time.Minute)) {
		return false
	}
	nonce := string(b[8:24])
	a.mu.Lock()
	defer a.mu.Unlock()
	for n, until := range a.used {
		if now.After(until) {
			delete(a.used, n)
		}
	}
	if _, used := a.used[nonce]; used {
		return false
	}
	a.used[nonce] = issued.Add(FormTokenTTL)
	return true
}

// allow takes one post from addr at now against both limits; when it
// may not, it says how long until it may.
func (a *asking) allow(addr string, now time.Time) (time.Duration, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if now.Sub(a.swept) > time.Hour {
		for k, l := range a.byAddr {
			if now.Sub(l.seen) > time.Hour {
				delete(a.byAddr, k)
			}
		}
		a.swept = now
	}
	l := a.byAddr[addr]
	if l == nil {
		if len(a.byAddr) >= maxAddrs {
			// More addresses posted within the hour than the site keeps
			// apart: they all wait, as for the global limit.
			return time.Hour / time.Duration(a.perHr), false
		}
		l = &addrLimit{lim: rate.NewLimiter(rate.Every(time.Hour/time.Duration(a.perHr)), a.perHr)}
		a.byAddr[addr] = l
	}
	l.seen = now
	mine := l.lim.ReserveN(now, 1)
	if d := mine.DelayFrom(now); d > 0 {
		mine.CancelAt(now)
		return d, false
	}
	all := a.total.ReserveN(now, 1)
	if d := all.DelayFrom(now); d > 0 {
		all.CancelAt(now)
		mine.CancelAt(now)
		return d, false
	}
	return 0, true
}

// clientAddr is the address a request came from, without its port; an
// IPv6 address counts by its /64, which one client usually holds whole.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	if ip = ip.Unmap(); ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// dynamic is a page made on request.
type dynamic struct {
	lang       string
	pub        *Forum
	commitment *bot.Commitment
	// ask is the question form; else question is the permalink's id.
	ask      bool
	question int64
}

// parseDynamic reads a path of the site (after its root) as the question
// form (L/forums/F/commitments/C/ask/) or a question's permalink
// (L/forums/F/questions/Q-N/).
func (s *Site) parseDynamic(rest string) (dynamic, bool) {
	parts := strings.Split(rest, "/")
	n := len(parts)
	if n < 6 || parts[n-1] != "" || !isLocale(parts[0]) || parts[1] != "forums" {
		return dynamic{}, false
	}
	pub := s.forums[parts[2]]
	if pub == nil {
		return dynamic{}, false
	}
	d := dynamic{lang: parts[0], pub: pub}
	switch {
	case n == 7 && parts[3] == "commitments" && parts[5] == "ask":
		c, ok := pub.Forum.Plan.Commitment(parts[4])
		if !ok || c.ID != parts[4] || !pub.Forum.Questions.Enabled {
			return dynamic{}, false
		}
		d.ask, d.commitment = true, c
		return d, true
	case n == 6 && parts[3] == "questions":
		id, ok := parseRef(parts[4])
		d.question = id
		return d, ok
	}
	return dynamic{}, false
}

// serveDynamic answers the question form and the permalinks.
func (s *Site) serveDynamic(w http.ResponseWriter, req *http.Request, d dynamic) {
	h := w.Header()
	for k, v := range dynamicHeaders {
		h.Set(k, v)
	}
	ctx, cancel := context.WithTimeout(req.Context(), s.cfg.RequestTimeout)
	defer cancel()
	allowed := "GET, HEAD"
	if d.ask {
		allowed = "GET, HEAD, POST"
	}
	switch {
	case req.Method == http.MethodPost && d.ask:
		s.post(ctx, w, req, d)
	case req.Method != http.MethodGet && req.Method != http.MethodHead:
		h.Set("Allow", allowed)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	case req.ContentLength > 0:
		http.Error(w, "a request to the site has no body", http.StatusRequestEntityTooLarge)
	case d.ask:
		s.writePage(w, req, http.StatusOK, pageAsk, s.askPage(req.URL.Path, d, bot.Asking{}, nil, ""))
	default:
		s.permalink(ctx, w, req, d)
	}
}

// askView is the question form's page.
type askView struct {
	Layout
	Commitment, Back string
	Token            string
	// Problem is why the last post was not taken, above the form.
	Problem string
	Values  bot.Asking
	Errors  map[string]string
	Summary []fieldError
	Max     string
	// Email offers the address field: only when e-mail is configured to
	// tell the asker of answers.
	Email bool
}

// fieldError links the summary to a field with an error.
type fieldError struct{ ID, Text string }

// askFields are the form's fields in order, for the summary of errors.
var askFields = []string{"question", "name", "organisation", "publish", "email"}

func (s *Site) askPage(urlPath string, d dynamic, typed bot.Asking, errs map[string]string, problem string) *askView {
	f, c := d.pub.Forum, d.commitment
	rest := "forums/" + f.ID + "/commitments/" + c.ID + "/ask/"
	l := s.forumLayout("x/"+rest+"index.html", d.lang, rest, d.pub)
	l.Crumbs = append(l.Crumbs, link{Label: c.ID, Href: l.Root + d.lang + "/forums/" + f.ID + "/commitments/" + c.ID + "/"})
	l.Title = l.T("site.ask.title") + " · " + c.ID
	v := &askView{Layout: l, Commitment: c.ID + " · " + c.Title, Back: l.Root + d.lang + "/forums/" + f.ID + "/commitments/" + c.ID + "/",
		Token: s.asking.token(urlPath, s.cfg.Now()), Values: typed, Errors: errs, Problem: problem, Max: l.Num(bot.MaxQuestionLen),
		Email: s.cfg.Engine.EmailsAskers()}
	for _, name := range askFields {
		if e := errs[name]; e != "" {
			v.Summary = append(v.Summary, fieldError{ID: "q-" + name, Text: l.T("site.ask.field."+name) + ": " + e})
		}
	}
	return v
}

// post takes a question sent with the form.
func (s *Site) post(ctx context.Context, w http.ResponseWriter, req *http.Request, d dynamic) {
	t := s.texts[d.lang]
	now := s.cfg.Now()
	if len(s.asking.secret) == 0 {
		s.writeNotice(w, req, http.StatusServiceUnavailable, d, t.T("site.ask.closed.title"), t.T("site.ask.closed.text"))
		return
	}
	if wait, ok := s.asking.allow(clientAddr(req), now); !ok {
		kitClose(w)
		w.Header().Set("Retry-After", itoa(int(wait.Round(time.Second)/time.Second)+1))
		at := now.Add(wait).Add(time.Minute).In(d.pub.Forum.Location)
		s.writeNotice(w, req, http.StatusTooManyRequests, d, t.T("site.ask.busy.title"), t.T("site.ask.busy.text", "Time", t.Time(at)+" (UTC"+at.Format("-07:00")+")"))
		return
	}
	if req.ContentLength > MaxFormBody {
		kitClose(w)
		s.writeNotice(w, req, http.StatusRequestEntityTooLarge, d, t.T("site.ask.large.title"), t.T("site.ask.large.text", "KiB", itoa(MaxFormBody>>10), "Max", itoa(bot.MaxQuestionLen)))
		return
	}
	req.Body = http.MaxBytesReader(w, req.Body, MaxFormBody)
	if err := req.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			s.writeNotice(w, req, http.StatusRequestEntityTooLarge, d, t.T("site.ask.large.title"), t.T("site.ask.large.text", "KiB", itoa(MaxFormBody>>10), "Max", itoa(bot.MaxQuestionLen)))
			return
		}
		s.writeNotice(w, req, http.StatusBadRequest, d, t.T("site.ask.bad.title"), t.T("site.ask.bad.text"))
		return
	}
	form := req.PostForm
	typed := bot.Asking{ForumID: d.pub.Forum.ID, Commitment: d.commitment.ID, Text: form.Get("question"), Name: form.Get("name"),
		Organisation: form.Get("organisation"), PublishName: form.Get("publish") != "", Email: form.Get("email"), Locale: d.lang}
	// Refused before the token is spent; a post without Origin (an old
	// browser, a script) relies on the token.
	if !kit.SameOrigin(req, s.origin) {
		s.writePage(w, req, http.StatusForbidden, pageAsk, s.askPage(req.URL.Path, d, typed, nil, t.T("site.ask.cross_site")))
		return
	}
	if !s.asking.spend(form.Get("token"), req.URL.Path, now) {
		s.writePage(w, req, http.StatusForbidden, pageAsk, s.askPage(req.URL.Path, d, typed, nil, t.T("site.ask.expired")))
		return
	}
	if form.Get(honeypot) != "" {
		s.writeNotice(w, req, http.StatusBadRequest, d, t.T("site.ask.refused.title"), t.T("site.ask.refused.text", "Field", t.T("site.ask.honeypot")))
		return
	}
	q, errs, err := s.cfg.Engine.Ask(ctx, typed)
	switch {
	case bot.ErrorCode(err) == bot.ENOTFOUND:
		http.Error(w, "not found", http.StatusNotFound)
	case err != nil:
		s.cfg.Log.Error("site: a question could not be stored", "forum", d.pub.Forum.ID, "commitment", d.commitment.ID, "err", err)
		s.writePage(w, req, http.StatusServiceUnavailable, pageAsk, s.askPage(req.URL.Path, d, typed, nil, t.T("site.ask.store_failed")))
	case len(errs) > 0:
		s.writePage(w, req, http.StatusUnprocessableEntity, pageAsk, s.askPage(req.URL.Path, d, typed, errs, t.T("site.ask.fix")))
	default:
		to := s.cfg.Path + d.lang + "/forums/" + d.pub.Forum.ID + "/questions/" + q.Ref() + "/?asked=1"
		http.Redirect(w, req, to, http.StatusSeeOther)
	}
}

// kitClose makes a refusal close the connection rather than read a body
// nobody will look at.
func kitClose(w http.ResponseWriter) { w.Header().Set("Connection", "close") }

// noticeView is a page that says one thing: why a post was refused.
type noticeView struct {
	Layout
	Heading string
	Text    string
	Back    string
}

func (s *Site) writeNotice(w http.ResponseWriter, req *http.Request, status int, d dynamic, title, text string) {
	rest := "forums/" + d.pub.Forum.ID + "/commitments/" + d.commitment.ID + "/ask/"
	l := s.forumLayout("x/"+rest+"index.html", d.lang, rest, d.pub)
	l.Title = title
	s.writePage(w, req, status, pageNotice, &noticeView{Layout: l, Heading: title, Text: text, Back: "./"})
}

// questionPage is a question's permalink: its reference and where it
// stands; its text and answers only once approved, the reason only when
// rejected.
type questionPage struct {
	Layout
	Ref, Commitment, CommitmentHref string
	Asked                           string
	Received                        bool
	Pending                         bool
	Rejected                        string
	Note                            string
	Question                        *questionView
}

func (s *Site) permalink(ctx context.Context, w http.ResponseWriter, req *http.Request, d dynamic) {
	q, err := s.cfg.Store.Question(ctx, d.question)
	switch {
	case bot.ErrorCode(err) == bot.ENOTFOUND || err == nil && q.ForumID != d.pub.Forum.ID:
		http.Error(w, "not found", http.StatusNotFound)
		return
	case err != nil:
		s.fail(w, err)
		return
	}
	f := d.pub.Forum
	rest := "forums/" + f.ID + "/questions/" + q.Ref() + "/"
	l := s.forumLayout("x/"+rest+"index.html", d.lang, rest, d.pub)
	t := l.t
	l.Title = q.Ref()
	v := &questionPage{Layout: l, Ref: q.Ref(), Asked: t.Date(bot.DateOf(q.AskedAt.In(f.Location))), Received: req.URL.Query().Get("asked") != ""}
	if c, ok := f.Plan.Commitment(q.Commitment()); ok {
		v.Commitment = c.ID + " · " + c.Title
		v.CommitmentHref = l.Root + d.lang + "/forums/" + f.ID + "/commitments/" + c.ID + "/"
		v.Crumbs = append(v.Crumbs, link{Label: c.ID, Href: v.CommitmentHref})
	}
	switch q.State() {
	case bot.QuestionPending:
		v.Pending = true
	case bot.QuestionRejectedState:
		dec, _ := q.Decision()
		v.Rejected = reasonLabel(t, dec.Reason)
		if dec.Reason == bot.RejectDuplicate {
			v.Note = bot.OneLine(dec.Text, 0, "")
		}
	default:
		qv := s.questionView(&v.Layout, d.pub, &q, s.cfg.Now())
		v.Question = &qv
	}
	s.writePage(w, req, http.StatusOK, pageQuestion, v)
}

// writePage renders a page made on request.
func (s *Site) writePage(w http.ResponseWriter, req *http.Request, status int, kind pageKind, v any) {
	var b bytes.Buffer
	if err := pages[kind].ExecuteTemplate(&b, "layout", v); err != nil {
		s.fail(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentTypes[".html"])
	h.Set("Content-Length", itoa(b.Len()))
	w.WriteHeader(status)
	if req.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}
