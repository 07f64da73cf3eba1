package email_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"forumbot/adapters/chattest"
	"forumbot/adapters/email"
	"forumbot/bot"
)

// secret is the link secret of the tests.
const secret = "test-link-secret-0123456789abcdefghijklmnop"

// received is one message the in-process SMTP server accepted.
type received struct {
	From string
	To   []string
	Data []byte
}

// fault is a failure the SMTP server injects into the next transaction.
type fault int

const (
	// failTemp answers DATA with 451: try again later.
	failTemp fault = iota + 1
	// failRcpt refuses the recipient with 550.
	failRcpt
	// acceptThenDrop stores the message and closes the connection before
	// answering DATA, as a relay that crashes after queueing does.
	acceptThenDrop
)

// relay is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1:
// what the adapter sends arrives here over the wire.
type relay struct {
	srv  *smtp.Server
	addr *net.TCPAddr

	mu     sync.Mutex
	msgs   []received
	faults []fault
	logins []string
	// refuse is an address the server refuses as a recipient (550).
	refuse string
	// roots trusts the server's certificate, for STARTTLS and TLS.
	roots *x509.CertPool
}

func newRelay(t *testing.T) *relay { return startRelay(t, false) }

// startRelay starts the server; implicitTLS makes it speak TLS from the
// first byte (port 465's way) instead of offering STARTTLS.
func startRelay(t *testing.T, implicitTLS bool) *relay {
	t.Helper()
	r := &relay{}
	r.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{r: r, c: c}, nil }))
	r.srv.Domain = "relay.test"
	r.srv.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv := httptest.NewTLSServer(http.NotFoundHandler())
	tlsSrv.Close()
	r.srv.TLSConfig = &tls.Config{Certificates: tlsSrv.TLS.Certificates}
	r.roots = x509.NewCertPool()
	r.roots.AddCert(tlsSrv.Certificate())
	r.srv.ReadTimeout, r.srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if implicitTLS {
		ln = tls.NewListener(ln, r.srv.TLSConfig)
	}
	r.addr = ln.Addr().(*net.TCPAddr)
	go r.srv.Serve(ln)
	t.Cleanup(func() { r.srv.Close() })
	return r
}

func (r *relay) failNext(f ...fault) {
	r.mu.Lock()
	r.faults = append(r.faults, f...)
	r.mu.Unlock()
}

func (r *relay) take() fault {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.faults) == 0 {
		return 0
	}
	f := r.faults[0]
	r.faults = r.faults[1:]
	return f
}

// messages returns what the server accepted for rcpt ("" for all).
func (r *relay) messages(rcpt string) []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []received
	for _, m := range r.msgs {
		for _, to := range m.To {
			if rcpt == "" || to == rcpt {
				out = append(out, m)
				break
			}
		}
	}
	return out
}

type session struct {
	r     *relay
	c     *smtp.Conn
	from  string
	to    []string
	fault fault
}

func (s *session) AuthMechanisms() []string { return []string{"PLAIN"} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "forum" || password != "relay-password" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.r.mu.Lock()
		s.r.logins = append(s.r.logins, username)
		s.r.mu.Unlock()
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from, s.fault = from, s.r.take()
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	refused := to == s.r.refuse
	s.r.mu.Unlock()
	if s.fault == failRcpt || refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.fault == failTemp {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	s.r.mu.Lock()
	s.r.msgs = append(s.r.msgs, received{From: s.from, To: s.to, Data: data})
	s.r.mu.Unlock()
	if s.fault == acceptThenDrop {
		s.c.Conn().Close()
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// parsed is a received message read as a mail client reads it.
type parsed struct {
	Header      mail.Header
	ContentType string
	Plain, HTML string
	// Links are the form links of the plain part, in order.
	Links []string
}

var linkRE = regexp.MustCompile(`https?://[^\s<>"]+/email/form\?t=[A-Za-z0-9_.%=-]+`)

// parse reads a message: its headers, and the text and HTML parts of its
// multipart/alternative body, decoded.
func parse(t *testing.T, data []byte) parsed {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a message: %v\n%s", err, data)
	}
	p := parsed{Header: m.Header, ContentType: m.Header.Get("Content-Type")}
	mt, params, err := mime.ParseMediaType(p.ContentType)
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q, want multipart/alternative", p.ContentType)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var body io.Reader = part
		if part.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			body = quotedprintable.NewReader(part)
		} else if part.Header.Get("Content-Transfer-Encoding") == "base64" {
			body = base64.NewDecoder(base64.StdEncoding, part)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch ct {
		case "text/plain":
			p.Plain = string(b)
		case "text/html":
			p.HTML = string(b)
		default:
			t.Errorf("unexpected part %q", ct)
		}
	}
	p.Links = append(p.Links, linkRE.FindAllString(p.Plain, -1)...)
	return p
}

// formRefOf reads the form reference a link's token carries (the payload
// is not secret, only signed).
func formRefOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	payload, _, _ := strings.Cut(u.Query().Get("t"), ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		t.Fatalf("token payload: %v", err)
	}
	var tok email.Token
	if err := json.Unmarshal(b, &tok); err != nil {
		t.Fatal(err)
	}
	return tok.Form
}

// world is the adapter wired to the SMTP server and to a web server that
// serves its form, as serve mounts it.
type world struct {
	t     *testing.T
	relay *relay
	web   *httptest.Server
	chat  *email.Chat
	clock *clock
	// previews are HTML pages the web server shows, by path: a received
	// e-mail's HTML part, for the browser.
	previews sync.Map
}

// clock is the tests' injected time.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var march = time.Date(2031, time.March, 1, 9, 0, 0, 0, time.UTC)

func newWorld(t *testing.T, tweak func(*email.Config)) *world {
	t.Helper()
	w := &world{t: t, relay: newRelay(t), clock: &clock{now: march}}
	mux := http.NewServeMux()
	mux.HandleFunc("/preview/", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		page, _ := w.previews.Load(r.URL.Path)
		io.WriteString(rw, fmt.Sprint(page))
	})
	w.web = httptest.NewServer(mux)
	t.Cleanup(w.web.Close)
	cfg := email.Config{
		Host: "127.0.0.1", Port: w.relay.addr.Port, Security: email.None,
		From: "Test Forum <forum@forum.example.org>", ReplyTo: "coordinators@forum.example.org",
		BaseURL: w.web.URL, LinkSecret: secret, LinkGrace: 30 * 24 * time.Hour, MessagesPerSecond: 1000,
		Catalog: bot.MustCatalog(), Now: w.clock.Now, TLSConfig: &tls.Config{RootCAs: w.relay.roots, ServerName: "127.0.0.1"},
		Options: email.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), RetryBackoff: time.Millisecond},
	}
	if tweak != nil {
		tweak(&cfg)
	}
	chat, err := email.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.chat = chat
	mux.Handle(email.FormPath, chat.FormHandler())
	return w
}

// listen runs the adapter's Listen with h until the test ends.
func (w *world) listen(h bot.Handler) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.chat.Listen(ctx, h) }()
	w.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			w.t.Errorf("Listen: %v", err)
		}
	})
}

// page is a fetched form page.
type page struct {
	Status int
	Body   string
}

func (w *world) get(link string) page {
	w.t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b)}
}

func (w *world) post(values url.Values, header http.Header) page {
	w.t.Helper()
	req, err := http.NewRequest(http.MethodPost, w.web.URL+email.FormPath, strings.NewReader(values.Encode()))
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return page{resp.StatusCode, string(b)}
}

var (
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="(t|nonce)" value="([^"]*)">`)
	labelRE  = regexp.MustCompile(`(?s)<(?:label for="f-|fieldset class="field" id="f-)([a-z_]+)"[^>]*>\s*(?:<legend>)?([^<(]+)`)
	textRE   = regexp.MustCompile(`<input type="text" id="f-([a-z_]+)" name="[a-z_]+" value="([^"]*)"`)
	areaRE   = regexp.MustCompile(`(?s)<textarea id="f-([a-z_]+)"[^>]*>(.*?)</textarea>`)
	chosenRE = regexp.MustCompile(`<(?:option|input type="checkbox" id="f-([a-z_]+)-\d+" name="[a-z_]+") value="([^"]*)"(?: selected| checked)`)
	selectRE = regexp.MustCompile(`(?s)<select id="f-([a-z_]+)".*?</select>`)
	selOptRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	errorRE  = regexp.MustCompile(`(?s)<p class="error" id="f-([a-z_]+)-error"><span>[^<]*</span> ([^<]*)</p>`)
	statusRE = regexp.MustCompile(`(?s)<p role="status">(.*?)</p>`)
	titleRE  = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
)

// readForm reads a form page as chattest.SeenForm; Platform holds the
// hidden fields to send back.
func readForm(body string) (chattest.SeenForm, bool) {
	hidden := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		hidden.Set(m[1], html.UnescapeString(m[2]))
	}
	if hidden.Get("t") == "" {
		return chattest.SeenForm{}, false
	}
	f := chattest.SeenForm{Platform: hidden}
	if m := titleRE.FindStringSubmatch(body); m != nil {
		f.Title = html.UnescapeString(m[1])
	}
	initial := map[string][]string{}
	for _, m := range textRE.FindAllStringSubmatch(body, -1) {
		if m[2] != "" {
			initial[m[1]] = []string{html.UnescapeString(m[2])}
		}
	}
	for _, m := range areaRE.FindAllStringSubmatch(body, -1) {
		if m[2] != "" {
			initial[m[1]] = []string{html.UnescapeString(m[2])}
		}
	}
	for _, m := range selectRE.FindAllStringSubmatch(body, -1) {
		for _, o := range selOptRE.FindAllStringSubmatch(m[0], -1) {
			initial[m[1]] = append(initial[m[1]], html.UnescapeString(o[1]))
		}
	}
	for _, m := range chosenRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "" {
			initial[m[1]] = append(initial[m[1]], html.UnescapeString(m[2]))
		}
	}
	for _, m := range labelRE.FindAllStringSubmatch(body, -1) {
		f.Fields = append(f.Fields, chattest.SeenField{Name: m[1], Label: strings.TrimSpace(html.UnescapeString(m[2])), Initial: initial[m[1]]})
	}
	return f, true
}

// seen reads any page as what the person sees.
func seen(p page) chattest.Seen {
	if f, ok := readForm(p.Body); ok {
		s := chattest.Seen{Form: &f}
		for _, m := range errorRE.FindAllStringSubmatch(p.Body, -1) {
			if s.FieldErrors == nil {
				s.FieldErrors = map[string]string{}
			}
			s.FieldErrors[m[1]] = html.UnescapeString(m[2])
		}
		return s
	}
	text := ""
	if m := statusRE.FindStringSubmatch(p.Body); m != nil {
		text = html.UnescapeString(m[1])
	}
	return chattest.Seen{Text: text}
}

// submit posts a shown form with values, as a browser does.
func (w *world) submit(form chattest.SeenForm, values map[string][]string) page {
	w.t.Helper()
	v := url.Values{}
	for k, x := range form.Platform.(url.Values) {
		v[k] = x
	}
	for k, x := range values {
		v[k] = x
	}
	return w.post(v, http.Header{"Origin": {w.web.URL}})
}
