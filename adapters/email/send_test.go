package email_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"mime"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/email"
	"forumbot/bot"
)

// promptOut is a prompt-like message for member 0, in Spanish.
func promptOut(key string) bot.Outgoing {
	return bot.Outgoing{To: "email:ana@example.org", Key: key, Locale: "es", ClosesAt: march.Add(7 * 24 * time.Hour),
		Message: bot.Message{
			Header: "Foro: informe de avance <marzo>",
			Text:   "Hola Ana & equipo",
			Sections: []bot.Section{
				{Title: "C1 · Presupuesto abierto", Fields: []bot.Field{{Label: "Hitos", Value: "Presupuesto publicado (31 mar)"}},
					Buttons: []bot.Button{{Label: "Informar avance", Action: bot.ActionOpenForm, Value: "u:7:C1"}}},
				{Title: "C2 · Contrataciones", Buttons: []bot.Button{{Label: "Informar avance", Action: bot.ActionOpenForm, Value: "u:7:C2"}}},
			},
			Footer: "Pie",
		}}
}

// TestMessageOnTheWire: what reaches the SMTP server is a multipart
// message with both parts, the headers a mail program needs, the
// Message-ID derived from the key, and one link per commitment.
func TestMessageOnTheWire(t *testing.T) {
	w := newWorld(t, nil)
	out := promptOut("prompt/f/7/email:ana@example.org")
	ref, err := w.chat.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	msgs := w.relay.messages("ana@example.org")
	if len(msgs) != 1 {
		t.Fatalf("the relay got %d messages, want 1", len(msgs))
	}
	if msgs[0].From != "forum@forum.example.org" {
		t.Errorf("envelope sender %q", msgs[0].From)
	}
	p := parse(t, msgs[0].Data)
	h := p.Header
	if got := h.Get("Message-ID"); got != "<"+ref.ID+">" || !strings.HasSuffix(ref.ID, "@forum.example.org") || ref.Platform != "email" {
		t.Errorf("Message-ID %q, ref %v", got, ref)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subject != "Foro: informe de avance <marzo>" {
		t.Errorf("Subject %q %v", subject, err)
	}
	for k, want := range map[string]string{"To": "<ana@example.org>", "Reply-To": "<coordinators@forum.example.org>", "Auto-Submitted": "auto-generated", "Content-Language": "es"} {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(h.Get("From"), "forum@forum.example.org") {
		t.Errorf("From %q", h.Get("From"))
	}
	for _, want := range []string{"Foro: informe de avance <marzo>", "Hola Ana & equipo", "C1 · Presupuesto abierto", "Presupuesto publicado (31 mar)", "Pie"} {
		if !strings.Contains(p.Plain, want) {
			t.Errorf("the text part lacks %q:\n%s", want, p.Plain)
		}
	}
	if !strings.Contains(p.HTML, "Hola Ana &amp; equipo") || !strings.Contains(p.HTML, "&lt;marzo&gt;") || strings.Contains(p.HTML, "<marzo>") {
		t.Errorf("the HTML part does not escape the text:\n%s", p.HTML)
	}
	if !strings.Contains(p.HTML, `lang="es"`) || !strings.Contains(p.HTML, "Si el botón no funciona") {
		t.Errorf("the HTML part is not in Spanish:\n%s", p.HTML)
	}
	if len(p.Links) != 2 || formRefOf(t, p.Links[0]) != "u:7:C1" || formRefOf(t, p.Links[1]) != "u:7:C2" {
		t.Fatalf("links %v, want one per commitment", p.Links)
	}
	for _, l := range p.Links {
		if !strings.HasPrefix(l, w.web.URL+email.FormPath+"?t=") || !strings.Contains(p.HTML, `href="`+strings.ReplaceAll(l, "&", "&amp;")+`"`) {
			t.Errorf("link %s is not in both parts", l)
		}
	}
	found, ok, err := w.chat.Delivered(context.Background(), out)
	if err != nil || !ok || found != ref {
		t.Errorf("Delivered: %v %v %v", found, ok, err)
	}
}

// TestResendKeepsMessageID: a message the relay stored before the
// connection broke is sent again on retry, with the same Message-ID, so
// the recipient's mail system sees the same message; a second adapter (a
// restarted process) gives it the same Message-ID too.
func TestResendKeepsMessageID(t *testing.T) {
	w := newWorld(t, nil)
	w.relay.failNext(acceptThenDrop)
	out := promptOut("prompt/f/7/email:ana@example.org")
	ref, err := w.chat.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	again := newWorld(t, func(c *email.Config) { c.Port = w.relay.addr.Port })
	ref2, err := again.chat.Send(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	msgs := w.relay.messages("ana@example.org")
	if len(msgs) != 3 {
		t.Fatalf("the relay holds %d copies, want 3 (one cut off, its retry, the restarted process's)", len(msgs))
	}
	for _, m := range msgs {
		if id := parse(t, m.Data).Header.Get("Message-ID"); id != "<"+ref.ID+">" {
			t.Errorf("a copy has Message-ID %s, want <%s>", id, ref.ID)
		}
	}
	if ref2 != ref {
		t.Errorf("the restarted adapter returned %v, want %v", ref2, ref)
	}
	other := promptOut("prompt/f/8/email:ana@example.org")
	if ref3, _ := w.chat.Send(context.Background(), other); ref3 == ref {
		t.Errorf("another key got the same Message-ID")
	}
}

// TestRelayFailures: a 4xx is tried again, a refused recipient is a
// permanent failure (the outbox gives up, or uses nothing else), and a
// relay that refuses the login is not permanent.
func TestRelayFailures(t *testing.T) {
	w := newWorld(t, nil)
	w.relay.failNext(failTemp, failTemp)
	if _, err := w.chat.Send(context.Background(), promptOut("k1")); err != nil {
		t.Fatalf("two 451s then success: %v", err)
	}
	w.relay.failNext(failRcpt)
	_, err := w.chat.Send(context.Background(), promptOut("k2"))
	if err == nil || !bot.Permanent(err) {
		t.Fatalf("a refused recipient: %v, want a permanent error", err)
	}
	if n := len(w.relay.messages("")); n != 1 {
		t.Errorf("the relay holds %d messages, want 1", n)
	}
	plain := newWorld(t, func(c *email.Config) { c.Username, c.Password = "forum", "relay-password" })
	if _, err := plain.chat.Send(context.Background(), promptOut("k0")); err == nil {
		t.Errorf("a password was sent over a connection without TLS")
	}
	bad := newWorld(t, func(c *email.Config) { c.Security, c.Username, c.Password = email.StartTLS, "forum", "wrong" })
	_, err = bad.chat.Send(context.Background(), promptOut("k3"))
	if err == nil || bot.Permanent(err) {
		t.Errorf("a refused login: %v, want a failure to retry later", err)
	}
	good := newWorld(t, func(c *email.Config) { c.Security, c.Username, c.Password = email.StartTLS, "forum", "relay-password" })
	if _, err := good.chat.Send(context.Background(), promptOut("k4")); err != nil {
		t.Errorf("login: %v", err)
	}
	if len(good.relay.logins) != 1 {
		t.Errorf("logins %v", good.relay.logins)
	}
}

// TestNewRefusesBadConfig: every problem of a config is named at once.
func TestNewRefusesBadConfig(t *testing.T) {
	_, err := email.New(email.Config{Security: "ssl", Port: 0, From: "nobody", BaseURL: "ftp://x", LinkSecret: "short"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"Host: missing", `Security: "ssl"`, "Port: 0", `From: "nobody"`, `BaseURL: "ftp://x"`, "LinkSecret", "Catalog: missing"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
}

// TestPaced: beyond the relay's pace, a send that would wait longer than
// the adapter may returns the wait for the outbox to honour, and sends
// nothing.
func TestPaced(t *testing.T) {
	w := newWorld(t, func(c *email.Config) {
		c.MessagesPerSecond = 0.01
		c.Options.MaxRateLimitWait = time.Millisecond
	})
	if _, err := w.chat.Send(context.Background(), promptOut("p1")); err != nil {
		t.Fatal(err)
	}
	_, err := w.chat.Send(context.Background(), promptOut("p2"))
	wait, ok := bot.RetryAfter(err)
	if !ok || wait < 90*time.Second {
		t.Fatalf("the second send: %v, want a wait of about 100 s", err)
	}
	if n := len(w.relay.messages("")); n != 1 {
		t.Errorf("the relay got %d messages, want 1", n)
	}
}

// TestImplicitTLS: security tls speaks TLS from the first byte, trusting
// only the configured roots.
func TestImplicitTLS(t *testing.T) {
	r := startRelay(t, true)
	w := newWorld(t, nil)
	chat, err := email.New(email.Config{Host: "127.0.0.1", Port: r.addr.Port, Security: email.TLS, Username: "forum", Password: "relay-password",
		From: "forum@forum.example.org", BaseURL: w.web.URL, LinkSecret: secret, Catalog: bot.MustCatalog(),
		TLSConfig: &tls.Config{RootCAs: r.roots, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chat.Send(context.Background(), promptOut("tls")); err != nil {
		t.Fatal(err)
	}
	if len(r.messages("ana@example.org")) != 1 || len(r.logins) != 1 {
		t.Errorf("over TLS: %d messages, logins %v", len(r.messages("ana@example.org")), r.logins)
	}
	untrusting, err := email.New(email.Config{Host: "127.0.0.1", Port: r.addr.Port, Security: email.TLS,
		From: "forum@forum.example.org", BaseURL: w.web.URL, LinkSecret: secret, Catalog: bot.MustCatalog(),
		Options: email.Options{Retries: 1, RetryBackoff: time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := untrusting.Send(context.Background(), promptOut("tls2")); err == nil {
		t.Errorf("a certificate no root vouches for was accepted")
	}
}
