package site_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/site"
	"forumbot/bot"
	"forumbot/bot/config"
)

// asker drives the question form of a served site as a browser without
// JavaScript does, without following redirects.
type asker struct {
	t   *testing.T
	w   *world
	srv *httptest.Server
}

func newAsker(t *testing.T, w *world, perAddress, total int) *asker {
	t.Helper()
	var fs []site.Forum
	for _, f := range w.forums {
		fs = append(fs, site.Forum{Forum: f, Licence: "CC-BY-4.0", LicenceURL: config.Licences["CC-BY-4.0"], Evidence: true})
	}
	s, err := site.New(site.Config{Engine: w.eng, Store: w.db, Forums: fs, Path: "/site/", Locale: "en", Now: w.clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), FormSecret: formSecret, AskPerAddress: perAddress, AskTotal: total})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &asker{t: t, w: w, srv: srv}
}

var tokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// get returns a page's status and body.
func (a *asker) get(p string) (int, string, http.Header) {
	a.t.Helper()
	resp, err := http.Get(a.srv.URL + p)
	if err != nil {
		a.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b), resp.Header
}

// token opens the form at p and returns its token.
func (a *asker) token(p string) string {
	a.t.Helper()
	status, body, _ := a.get(p)
	m := tokenRE.FindStringSubmatch(body)
	if status != 200 || m == nil {
		a.t.Fatalf("GET %s: %d, token %v\n%.400s", p, status, m, body)
	}
	return m[1]
}

// post sends a form body to p.
func (a *asker) post(p string, body io.Reader, size int64) (*http.Response, string) {
	a.t.Helper()
	return a.postWith(p, body, size, nil)
}

// postWith sends a form body to p with the given request headers.
func (a *asker) postWith(p string, body io.Reader, size int64, headers map[string]string) (*http.Response, string) {
	a.t.Helper()
	req, _ := http.NewRequest("POST", a.srv.URL+p, body)
	req.ContentLength = size
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		a.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (a *asker) send(p string, v url.Values) (*http.Response, string) {
	return a.sendWith(p, v, nil)
}

// sendWith sends form values to p with the given request headers.
func (a *asker) sendWith(p string, v url.Values, headers map[string]string) (*http.Response, string) {
	a.t.Helper()
	enc := v.Encode()
	return a.postWith(p, strings.NewReader(enc), int64(len(enc)), headers)
}

// stored is how many questions the store holds for the example forum.
func (a *asker) stored() int {
	a.t.Helper()
	qs, err := a.w.db.Questions(context.Background(), bot.QuestionFilter{ForumID: a.w.forums[0].ID})
	if err != nil {
		a.t.Fatal(err)
	}
	return len(qs)
}

// formPath is the question form of the example forum's i-th commitment.
func (w *world) formPath(lang string, i int) string {
	return "/site/" + lang + "/forums/cotabato/commitments/" + w.forums[0].Plan.Commitments[i].ID + "/ask/"
}

func valid(token, text string) url.Values {
	return url.Values{"token": {token}, "question": {text}, "name": {""}, "organisation": {""}, "email": {""}, "website": {""}}
}

// TestAskRefusesWithoutAValidToken: a post without the form's token, with
// a forged one, one for another form, an expired one or one already used
// is refused with the form again (the typed text kept) and nothing is
// stored; a valid one is taken once.
func TestAskRefusesWithoutAValidToken(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	form := w.formPath("en", 0)
	before := a.stored()
	forged := make([]byte, 8+16+32)
	rand.Read(forged)
	other := a.token(w.formPath("en", 1))
	for _, c := range []struct{ name, token string }{
		{"no token", ""}, {"forged", base64.RawURLEncoding.EncodeToString(forged)}, {"another form", other}, {"garbage", "not-a-token"},
	} {
		resp, body := a.send(form, valid(c.token, "Question sent with "+c.name+" token"))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Question sent with "+c.name+" token</textarea>") || !strings.Contains(body, "has expired or was already sent") {
			t.Errorf("%s token: %d, want 403 with the form and the typed text\n%.300s", c.name, resp.StatusCode, body)
		}
	}
	expired := a.token(form)
	w.clock.Set(w.clock.Now().Add(site.FormTokenTTL + time.Minute))
	if resp, _ := a.send(form, valid(expired, "Question with an expired token")); resp.StatusCode != http.StatusForbidden {
		t.Errorf("expired token: %d, want 403", resp.StatusCode)
	}
	if n := a.stored(); n != before {
		t.Fatalf("%d questions stored by refused posts", n-before)
	}
	tok := a.token(form)
	resp, _ := a.send(form, valid(tok, "A question with a fresh token"))
	if resp.StatusCode != http.StatusSeeOther || a.stored() != before+1 {
		t.Fatalf("a valid post: %d, %d stored, want 303 and one stored", resp.StatusCode, a.stored()-before)
	}
	if resp, _ := a.send(form, valid(tok, "The same form sent again")); resp.StatusCode != http.StatusForbidden || a.stored() != before+1 {
		t.Errorf("a replayed token: %d, %d stored, want 403 and nothing more stored", resp.StatusCode, a.stored()-before)
	}
}

// TestAskRefusesCrossSitePosts: a post that the browser marks as coming
// from another site (Sec-Fetch-Site, or an Origin other than the site's)
// is refused with the form again and the typed text, nothing stored, and
// its token is not spent: the same token then works from the site itself,
// whose browser sends its own Origin, as does a client that sends none.
func TestAskRefusesCrossSitePosts(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	form := w.formPath("en", 0)
	before := a.stored()
	tok := a.token(form)
	for _, c := range []struct {
		name    string
		headers map[string]string
	}{
		{"cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"another origin", map[string]string{"Origin": "https://evil.example"}},
		{"another port", map[string]string{"Origin": "http://" + a.srv.Listener.Addr().(*net.TCPAddr).IP.String() + ":1"}},
		{"an opaque origin", map[string]string{"Origin": "null"}},
	} {
		text := "Question sent from " + c.name
		resp, body := a.sendWith(form, valid(tok, text), c.headers)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, text+"</textarea>") || !strings.Contains(body, "sent from another website") {
			t.Errorf("%s: %d, want 403 with the form and the typed text\n%.300s", c.name, resp.StatusCode, body)
		}
	}
	if n := a.stored(); n != before {
		t.Fatalf("%d questions stored by cross-site posts", n-before)
	}
	resp, _ := a.sendWith(form, valid(tok, "Sent from the site itself"), map[string]string{"Origin": a.srv.URL, "Sec-Fetch-Site": "same-origin"})
	if resp.StatusCode != http.StatusSeeOther || a.stored() != before+1 {
		t.Fatalf("same-origin post: %d, %d stored; want 303 and one stored (the token was spent by a refused post?)", resp.StatusCode, a.stored()-before)
	}
	resp, _ = a.send(form, valid(a.token(form), "Sent with no Origin"))
	if resp.StatusCode != http.StatusSeeOther || a.stored() != before+2 {
		t.Errorf("post without Origin: %d, %d stored; want 303 and two stored", resp.StatusCode, a.stored()-before)
	}
}

// TestAskRefusesLargeBodies: a post over 16 KiB is refused with 413 and a
// page saying so, whether its length is announced or not; nothing is
// stored.
func TestAskRefusesLargeBodies(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	form := w.formPath("en", 0)
	before := a.stored()
	big := valid(a.token(form), strings.Repeat("x", site.MaxFormBody)).Encode()
	resp, body := a.post(form, strings.NewReader(big), int64(len(big)))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "at most 16 KiB") {
		t.Errorf("announced: %d, want 413 with a page\n%.300s", resp.StatusCode, body)
	}
	big = valid(a.token(form), strings.Repeat("y", site.MaxFormBody)).Encode()
	resp, body = a.post(form, io.MultiReader(strings.NewReader(big)), -1)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "at most 16 KiB") {
		t.Errorf("chunked: %d, want 413 with a page\n%.300s", resp.StatusCode, body)
	}
	if n := a.stored(); n != before {
		t.Errorf("%d questions stored from oversized posts", n-before)
	}
}

// TestAskRateLimits: a burst over the per-address limit gets 429 with
// Retry-After and a page naming when to retry; the global limit holds
// across addresses' posts too; an hour later posts are taken again.
func TestAskRateLimits(t *testing.T) {
	w := newWorld(t, months)
	form := w.formPath("en", 0)
	a := newAsker(t, w, 3, 1000)
	before := a.stored()
	for i := range 3 {
		if resp, _ := a.send(form, valid(a.token(form), "Burst question "+strconv.Itoa(i))); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("post %d: %d, want 303", i, resp.StatusCode)
		}
	}
	resp, body := a.send(form, valid(a.token(form), "One question too many"))
	retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	if resp.StatusCode != http.StatusTooManyRequests || retry <= 0 || !strings.Contains(body, "Please try again after") || a.stored() != before+3 {
		t.Errorf("the fourth post: %d, Retry-After %q, %d stored; want 429 naming when, 3 stored\n%.400s", resp.StatusCode, resp.Header.Get("Retry-After"), a.stored()-before, body)
	}
	w.clock.Set(w.clock.Now().Add(time.Hour))
	if resp, _ := a.send(form, valid(a.token(form), "An hour later")); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("an hour later: %d, want 303", resp.StatusCode)
	}

	g := newAsker(t, w, 100, 2)
	for i := range 2 {
		if resp, _ := g.send(form, valid(g.token(form), "Global "+strconv.Itoa(i))); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("global post %d: %d, want 303", i, resp.StatusCode)
		}
	}
	if resp, _ := g.send(form, valid(g.token(form), "Over the global limit")); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("over the global limit: %d, want 429", resp.StatusCode)
	}
}

// TestAskHoneypot: the field people leave empty, filled in, refuses the
// post with a page naming it; nothing is stored.
func TestAskHoneypot(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	form := w.formPath("en", 0)
	_, page, h := a.get(form)
	// Another site's script may not read the form, nor so its token.
	if h.Get("Access-Control-Allow-Origin") != "" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("the form is shared with other origins or cached: %v", h)
	}
	if !regexp.MustCompile(`<div class="hp"><label for="q-website">Leave this field empty</label><input id="q-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>`).MatchString(page) {
		t.Fatalf("the form has no honeypot field as described:\n%s", page)
	}
	before := a.stored()
	v := valid(a.token(form), "A question from a robot")
	v.Set("website", "https://spam.example.com")
	resp, body := a.send(form, v)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Leave this field empty") || !strings.Contains(body, "Nothing was stored") || a.stored() != before {
		t.Errorf("honeypot: %d, %d stored; want 400 naming the field, nothing stored\n%.400s", resp.StatusCode, a.stored()-before, body)
	}
}

// TestAskFieldErrors: the engine's field errors are shown next to their
// fields, tied with aria-describedby, the typed text kept (escaped);
// nothing is stored. The same form in Spanish speaks Spanish.
func TestAskFieldErrors(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	form := w.formPath("en", 0)
	before := a.stored()
	v := valid(a.token(form), "  ")
	v.Set("name", `Zoë <Tester>`)
	v.Set("email", "not an address")
	resp, body := a.send(form, v)
	tx := w.eng.Texts("en")
	if resp.StatusCode != http.StatusUnprocessableEntity || a.stored() != before {
		t.Fatalf("field errors: %d, %d stored; want 422, nothing stored", resp.StatusCode, a.stored()-before)
	}
	for _, want := range []string{
		`<p class="error" id="q-email-error">` + tx.T("question.err.email") + `</p>`,
		`aria-describedby="q-question-hint q-question-error" aria-invalid="true">`,
		`aria-describedby="q-email-hint q-email-error" aria-invalid="true">`,
		`value="Zoë &lt;Tester&gt;"`, `value="not an address"`, `<a href="#q-email">`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the form lacks %s", want)
		}
	}
	// Each error sits between its field's label and the field.
	for _, f := range []string{"question", "email"} {
		l, e, in := strings.Index(body, `<label for="q-`+f+`">`), strings.Index(body, `id="q-`+f+`-error"`), strings.Index(body, `id="q-`+f+`" `)
		if !(l >= 0 && l < e && e < in) {
			t.Errorf("%s: label at %d, error at %d, field at %d: the error is not next to its field", f, l, e, in)
		}
	}
	es := w.formPath("es", 0)
	v = valid(a.token(es), "")
	_, body = a.send(es, v)
	if !strings.Contains(body, `<html lang="es">`) || !strings.Contains(body, "Su pregunta no se envió") {
		t.Errorf("the Spanish form does not answer in Spanish:\n%.500s", body)
	}
}

// TestAskedQuestionPermalink: a question taken redirects to its
// permalink, which shows the reference, uncached; pending, it shows no
// text; the address the asker left is shown nowhere.
func TestAskedQuestionPermalink(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	form := w.formPath("en", 1)
	v := valid(a.token(form), "Will the minutes be published online?")
	v.Set("email", "visitor@example.net")
	resp, _ := a.send(form, v)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/site/en/forums/cotabato/questions/Q-") {
		t.Fatalf("post: %d to %q, want 303 to the permalink", resp.StatusCode, loc)
	}
	ref := strings.TrimSuffix(strings.TrimPrefix(strings.Split(loc, "?")[0], "/site/en/forums/cotabato/questions/"), "/")
	status, body, h := a.get(loc)
	if status != 200 || !strings.Contains(body, "its reference is "+ref) || !strings.Contains(body, "awaiting moderation") || h.Get("Cache-Control") != "no-store" {
		t.Errorf("permalink %s: %d %q\n%.600s", loc, status, h.Get("Cache-Control"), body)
	}
	if strings.Contains(body, "Will the minutes") || strings.Contains(body, "visitor@example.net") {
		t.Errorf("the pending question's permalink shows its text or the address")
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "form-action 'self'") || strings.Contains(h.Get("Content-Security-Policy"), "script") {
		t.Errorf("CSP %q", h.Get("Content-Security-Policy"))
	}
	for _, p := range []string{"/site/en/forums/cotabato/questions/Q-999/", "/site/en/forums/imported/questions/" + ref + "/", "/site/en/forums/cotabato/questions/Q-01/",
		"/site/en/forums/imported/commitments/" + w.forums[1].Plan.Commitments[0].ID + "/ask/"} {
		if status, _, _ := a.get(p); status != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, status)
		}
	}
}

// TestPermalinkStates: a pending question shows that it waits, a
// rejected one only its reason, an approved one its text and answers.
func TestPermalinkStates(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	q := func(ref string) string {
		status, body, _ := a.get("/site/en/forums/cotabato/questions/" + ref + "/")
		if status != 200 {
			t.Fatalf("%s: %d", ref, status)
		}
		return body
	}
	if b := q("Q-4"); !strings.Contains(b, "awaiting moderation") || strings.Contains(b, "Pending secret question") || strings.Contains(b, "Bea Hidden") {
		t.Errorf("pending Q-4:\n%s", b)
	}
	if b := q("Q-5"); !strings.Contains(b, "Reason: off-topic") || strings.Contains(b, "Rejected secret question") {
		t.Errorf("rejected Q-5:\n%s", b)
	}
	if b := q("Q-2"); !strings.Contains(b, "Who audits the health budget?") || !strings.Contains(b, "No answer yet") || strings.Contains(b, "Dolores Private") {
		t.Errorf("approved Q-2 (its asker did not tick the box):\n%s", b)
	}
	if b := q("Q-1"); !strings.Contains(b, "Procurement data opens in December.") || !strings.Contains(b, "answered after the deadline") {
		t.Errorf("late-answered Q-1:\n%s", b)
	}
}

// TestFollowUpAnswersInOrder: a second committee member answers a
// question already answered; the permalink and the commitment page show
// both answers, the first first, the follow-up under its date, its
// organisation and group.
func TestFollowUpAnswersInOrder(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	c := w.forums[0].Plan.Commitments[0]
	second := c.Committee[len(c.Committee)-1]
	if second.Group != bot.CivilSociety {
		t.Fatalf("the example's last member of %s is %s, not civil society", c.ID, second.Group)
	}
	w.clock.Set(time.Date(2026, time.November, 27, 9, 0, 0, 0, time.UTC))
	if resp := w.eng.HandleEvent(context.Background(), bot.Event{ID: "follow-up", Kind: bot.EventForm, From: second.Who, FormRef: "qa:3",
		Values: map[string][]string{"answer": {"A follow-up: the third quarter's report is online."}}}); resp.Error != "" || resp.FieldErrors != nil {
		t.Fatalf("follow-up answer refused: %s %v", resp.Error, resp.FieldErrors)
	}
	for _, p := range []string{"/site/en/forums/cotabato/questions/Q-3/", "/site/en/forums/cotabato/commitments/" + c.ID + "/"} {
		status, body, _ := a.get(p)
		first, followUp := strings.Index(body, "The audit office publishes it every quarter"), strings.Index(body, "A follow-up: the third quarter")
		if status != 200 || first < 0 || followUp < 0 || first > followUp {
			t.Errorf("%s: %d, first answer at %d, follow-up at %d; want both, in order", p, status, first, followUp)
			continue
		}
		if !strings.Contains(body[first:followUp], second.Organisation+" (Civil society)") {
			t.Errorf("%s: the follow-up's organisation %q and group are not shown above it", p, second.Organisation)
		}
	}
}

// TestInjectionIsEscaped: HTML and mentions typed into a question or an
// answer are shown as text on the commitment page and the permalink, and
// no link typed becomes an anchor.
func TestInjectionIsEscaped(t *testing.T) {
	w := newWorld(t, months)
	a := newAsker(t, w, 100, 1000)
	c := w.forums[0].Plan.Commitments[0].ID
	for _, p := range []string{"/site/en/forums/cotabato/commitments/" + c + "/", "/site/en/forums/cotabato/questions/Q-3/"} {
		status, body, _ := a.get(p)
		if status != 200 || !strings.Contains(body, "&lt;script&gt;alert(1)") || !strings.Contains(body, "&lt;b&gt;budget") || !strings.Contains(body, "https://evil.example.org/x") {
			t.Errorf("%s: %d, the question is not shown escaped\n%s", p, status, body)
			continue
		}
		for _, bad := range []string{"<script", "<b>", "@everyone", "<!channel", `href="https://evil.example.org`, `href="https://opengov.example.org/answers/q3"`, "@here"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s contains %q", p, bad)
			}
		}
		if !strings.Contains(body, "<li>https://opengov.example.org/answers/q3</li>") || !strings.Contains(body, "Asked by Ana Asker · Barangay Watch") {
			t.Errorf("%s: the answer's evidence as text or the published asker is missing", p)
		}
	}
	if !bytes.Contains([]byte(injection), []byte("<script>")) {
		t.Fatal("the injection has no script")
	}
}

// TestAskLinksUnderTheBaseURL: with the site's public address set, a
// commitment page links to the question form and the permalinks there,
// so that an exported copy on a static host sends askers to the served
// site; without it, relatively.
func TestAskLinksUnderTheBaseURL(t *testing.T) {
	w := newWorld(t, months)
	var fs []site.Forum
	for _, f := range w.forums {
		fs = append(fs, site.Forum{Forum: f, Licence: "CC-BY-4.0", LicenceURL: config.Licences["CC-BY-4.0"], Evidence: true})
	}
	s, err := site.New(site.Config{Engine: w.eng, Store: w.db, Forums: fs, Path: "/site/", BaseURL: "https://forum.example.org/site/", Now: w.clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), FormSecret: formSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"forum.example.org/site/", "ftp://forum.example.org/site/"} {
		if _, err := site.New(site.Config{Engine: w.eng, Store: w.db, Forums: fs, BaseURL: bad}); err == nil || !strings.Contains(err.Error(), "not an absolute http(s) address") {
			t.Errorf("base URL %q: %v, want it refused", bad, err)
		}
	}
	dir := t.TempDir()
	if _, err := s.Export(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	c := w.forums[0].Plan.Commitments[0].ID
	page, err := os.ReadFile(filepath.Join(dir, "en", "forums", "cotabato", "commitments", c, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="https://forum.example.org/site/en/forums/cotabato/commitments/` + c + `/ask/"`, `href="https://forum.example.org/site/en/forums/cotabato/questions/Q-3/"`} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the exported page lacks %s", want)
		}
	}
	a := newAsker(t, w, 100, 1000)
	if _, body, _ := a.get("/site/en/forums/cotabato/commitments/" + c + "/"); !strings.Contains(body, `href="../../../../../en/forums/cotabato/commitments/`+c+`/ask/"`) {
		t.Errorf("without a base URL the ask link is not relative")
	}
	// With a base URL, a post must come from there: the address the
	// request reached (a proxy's upstream) is not the site's origin.
	srv := httptest.NewServer(s)
	defer srv.Close()
	based := &asker{t: t, w: w, srv: srv}
	form := w.formPath("en", 0)
	tok := based.token(form)
	if resp, _ := based.sendWith(form, valid(tok, "Posted from the upstream address"), map[string]string{"Origin": srv.URL}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a post from the upstream's origin: %d, want 403", resp.StatusCode)
	}
	if resp, _ := based.sendWith(form, valid(tok, "Posted from the public address"), map[string]string{"Origin": "https://forum.example.org"}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("a post from the base URL's origin: %d, want 303", resp.StatusCode)
	}
}

// TestAskWithoutEmail: with no e-mail configured no notice could reach an
// asker, so the form offers no address field, and an address posted
// anyway is not kept. With e-mail, the field is there.
func TestAskWithoutEmail(t *testing.T) {
	w := newWorld(t, months)
	form := w.formPath("en", 0)
	field := regexp.MustCompile(`<input[^>]*name="email"`)
	if _, body, _ := newAsker(t, w, 100, 1000).get(form); !field.MatchString(body) {
		t.Fatalf("with e-mail configured the form has no address field:\n%.2000s", body)
	}
	eng, err := bot.New(w.forums, w.db, map[string]bot.Chat{"local": sink{}, "slack": sink{}, "discord": sink{}},
		bot.Options{Now: w.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w.eng = eng
	a := newAsker(t, w, 100, 1000)
	status, body, _ := a.get(form)
	if status != 200 || field.MatchString(body) || strings.Contains(body, `for="q-email"`) {
		t.Errorf("without e-mail the form offers an address field (%d):\n%.2000s", status, body)
	}
	v := valid(a.token(form), "Who reviews the budget line?")
	v.Set("email", "visitor@example.net")
	resp, _ := a.send(form, v)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: %d, want the question taken (303)", resp.StatusCode)
	}
	qs, err := w.db.Questions(context.Background(), bot.QuestionFilter{ForumID: w.forums[0].ID})
	if err != nil || len(qs) == 0 {
		t.Fatalf("questions: %d %v", len(qs), err)
	}
	q := qs[len(qs)-1]
	if c, err := w.db.QuestionContact(context.Background(), q.ID); err != nil || c != "" || q.HasContact {
		t.Errorf("the address posted without e-mail configured was kept: %q (has contact %v) %v", c, q.HasContact, err)
	}
}
