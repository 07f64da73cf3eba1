package email_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"forumbot/adapters/email"
	"forumbot/bot"
)

// journalServer is a real IMAP server on 127.0.0.1
// (github.com/emersion/go-imap/v2's imapserver over its in-memory
// backend) with one account whose Sent mailbox is the journal.
type journalServer struct {
	srv  *imapserver.Server
	addr *net.TCPAddr
	user *imapmemserver.User
}

const (
	journalUser     = "journal@forum.example.org"
	journalPassword = "imap-password"
)

// startJournal starts the server speaking security (email.TLS,
// email.StartTLS or email.None) with the certificate of cert.
func startJournal(t *testing.T, security string, cert *tls.Config) *journalServer {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(journalUser, journalPassword)
	if err := user.Create(email.DefaultJournalMailbox, nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger:       log.New(io.Discard, "", 0),
		InsecureAuth: security == email.None,
	}
	if security == email.StartTLS {
		opts.TLSConfig = cert
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if security == email.TLS {
		ln = tls.NewListener(ln, cert)
	}
	j := &journalServer{srv: imapserver.New(opts), addr: ln.Addr().(*net.TCPAddr), user: user}
	go j.srv.Serve(ln)
	t.Cleanup(func() { j.srv.Close() })
	return j
}

// file puts a message into the journal, as a provider files what its
// relay accepted into the Sent folder.
func (j *journalServer) file(t *testing.T, data []byte) {
	t.Helper()
	if _, err := j.user.Append(email.DefaultJournalMailbox, bytes.NewReader(data), &imap.AppendOptions{}); err != nil {
		t.Fatal(err)
	}
}

// journalConfig is the adapter's setting for j.
func (w *world) journalConfig(j *journalServer, security string) *email.Journal {
	return &email.Journal{
		Host: "127.0.0.1", Port: j.addr.Port, Security: security,
		Username: journalUser, Password: journalPassword,
		TLSConfig: &tls.Config{RootCAs: w.relay.roots, ServerName: "127.0.0.1"},
	}
}

// TestDeliveredReadsTheJournal: a process that did not send a message
// (a restart after a crash) finds it in the journal by its Message-ID and
// reports it delivered with the reference the sender got; a message not in
// the journal, or one whose Message-ID only contains the one looked for,
// is not delivered. Over each of the three connection modes.
func TestDeliveredReadsTheJournal(t *testing.T) {
	for _, security := range []string{email.None, email.StartTLS, email.TLS} {
		t.Run(security, func(t *testing.T) {
			sender := newWorld(t, nil)
			j := startJournal(t, security, sender.relay.srv.TLSConfig)
			out := promptOut("prompt/f/7/email:ana@example.org")
			ref, err := sender.chat.Send(context.Background(), out)
			if err != nil {
				t.Fatal(err)
			}
			msgs := sender.relay.messages("ana@example.org")
			if len(msgs) != 1 {
				t.Fatalf("the relay got %d messages, want 1", len(msgs))
			}
			j.file(t, msgs[0].Data)

			restarted := newWorld(t, func(c *email.Config) { c.Journal = sender.journalConfig(j, security) })
			got, found, err := restarted.chat.Delivered(context.Background(), out)
			if err != nil || !found || got != ref {
				t.Errorf("Delivered of the filed message: %v %v %v, want %v true nil", got, found, err, ref)
			}

			// Another message's id, filed with a longer domain that
			// contains it: IMAP's substring search finds it, the
			// adapter must not take it.
			other := promptOut("prompt/f/8/email:ana@example.org")
			id := restarted.chat.MessageID(other.Key, other.To)
			j.file(t, []byte(fmt.Sprintf("From: forum@forum.example.org\r\nTo: ana@example.org\r\nMessage-ID: <%s.other>\r\nSubject: x\r\n\r\nbody\r\n", id)))
			if got, found, err := restarted.chat.Delivered(context.Background(), other); err != nil || found {
				t.Errorf("Delivered of a message not in the journal: %v %v %v, want not found, no error", got, found, err)
			}
			if len(restarted.relay.messages("")) != 0 {
				t.Errorf("Delivered sent something")
			}
		})
	}
}

// TestDeliveredJournalUnreadable: when the journal cannot be read (its
// server down, the login or the mailbox wrong) Delivered returns an error,
// so that the outbox tries again later instead of sending blind.
func TestDeliveredJournalUnreadable(t *testing.T) {
	w := newWorld(t, nil)
	j := startJournal(t, email.None, nil)
	out := promptOut("prompt/f/7/email:ana@example.org")
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downPort := down.Addr().(*net.TCPAddr).Port
	down.Close()
	for name, tweak := range map[string]func(*email.Journal){
		"server down":    func(c *email.Journal) { c.Port = downPort },
		"wrong password": func(c *email.Journal) { c.Password = "wrong" },
		"no mailbox":     func(c *email.Journal) { c.Mailbox = "Sent Items" },
		"no tls":         func(c *email.Journal) { c.Security = email.TLS },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := w.journalConfig(j, email.None)
			tweak(cfg)
			restarted := newWorld(t, func(c *email.Config) { c.Journal = cfg })
			_, found, err := restarted.chat.Delivered(context.Background(), out)
			if err == nil || found {
				t.Errorf("Delivered: found %v, error %v; want an error", found, err)
			}
			if err != nil && strings.Contains(err.Error(), journalPassword) {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
	// The same journal, set right, answers: the cases above failed for
	// their own fault.
	restarted := newWorld(t, func(c *email.Config) { c.Journal = w.journalConfig(j, email.None) })
	if _, found, err := restarted.chat.Delivered(context.Background(), out); err != nil || found {
		t.Errorf("Delivered on the journal set right: %v %v, want not found, no error", found, err)
	}
}

// TestJournalBcc: with a bcc address every message is blind-copied to
// the journal: the relay gets it as a recipient of the envelope, and no
// header of the message names it. Without one, the envelope has the
// member alone.
func TestJournalBcc(t *testing.T) {
	const bcc = "journal@forum.example.org"
	out := promptOut("prompt/f/7/email:ana@example.org")
	for _, withBcc := range []bool{true, false} {
		t.Run(fmt.Sprint("bcc=", withBcc), func(t *testing.T) {
			w := newWorld(t, func(c *email.Config) {
				c.Journal = &email.Journal{Host: "127.0.0.1", Port: 993, Security: email.TLS, Username: journalUser, Password: journalPassword}
				if withBcc {
					c.Journal.Bcc = "Journal <" + bcc + ">"
				}
			})
			if _, err := w.chat.Send(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			msgs := w.relay.messages("")
			if len(msgs) != 1 {
				t.Fatalf("the relay got %d messages, want 1", len(msgs))
			}
			want := []string{"ana@example.org"}
			if withBcc {
				want = append(want, bcc)
			}
			if got := strings.Join(msgs[0].To, ","); got != strings.Join(want, ",") {
				t.Errorf("envelope recipients %s, want %s", got, strings.Join(want, ","))
			}
			// The header's field names, not its values: a random MIME
			// boundary may spell "bcc" in hex.
			m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
			if err != nil {
				t.Fatal(err)
			}
			for name, values := range m.Header {
				if strings.EqualFold(name, "Bcc") || strings.Contains(strings.Join(values, " "), bcc) {
					t.Errorf("the header %s: %q names the journal", name, values)
				}
			}
		})
	}
}

// TestJournalBccRefused: a relay refusing the journal's bcc address is a
// problem of the settings, which the outbox tries again later, not the
// member's address refused for good.
func TestJournalBccRefused(t *testing.T) {
	w := newWorld(t, func(c *email.Config) {
		c.Journal = &email.Journal{Host: "127.0.0.1", Port: 993, Security: email.TLS, Username: journalUser, Password: journalPassword, Bcc: "journal@forum.example.org"}
	})
	w.relay.mu.Lock()
	w.relay.refuse = "journal@forum.example.org"
	w.relay.mu.Unlock()
	_, err := w.chat.Send(context.Background(), promptOut("prompt/f/7/email:ana@example.org"))
	if err == nil || bot.Permanent(err) {
		t.Fatalf("Send: %v (permanent %v), want an error worth retrying", err, bot.Permanent(err))
	}
	var be *bot.Error
	if errors.As(err, &be) && be.Code == bot.EFORBIDDEN {
		t.Errorf("the member's address is taken as refused: %v", err)
	}
	w.relay.mu.Lock()
	w.relay.refuse = "ana@example.org"
	w.relay.mu.Unlock()
	if _, err := w.chat.Send(context.Background(), promptOut("prompt/f/8/email:ana@example.org")); !bot.Permanent(err) {
		t.Errorf("the member's address refused: %v, want a permanent error", err)
	}
}

// TestJournalSettingsChecked: New names each wrong journal setting.
func TestJournalSettingsChecked(t *testing.T) {
	cfg := email.Config{
		Host: "127.0.0.1", Port: 25, Security: email.None, From: "forum@forum.example.org",
		BaseURL: "http://127.0.0.1", LinkSecret: secret, Catalog: bot.MustCatalog(),
		Journal: &email.Journal{Port: 0, Security: "ssl", Bcc: "not an address"},
	}
	_, err := email.New(cfg)
	if err == nil {
		t.Fatal("New accepted a journal without host, port, login")
	}
	for _, want := range []string{"Journal.Host: missing", `Journal.Security: "ssl"`, "Journal.Port: 0", "Journal.Username, Journal.Password", `Journal.Bcc: "not an address"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// records is a slog.Handler that hands every record to a channel.
type records chan slog.Record

func (r records) Enabled(context.Context, slog.Level) bool { return true }
func (r records) Handle(_ context.Context, rec slog.Record) error {
	r <- rec.Clone()
	return nil
}
func (r records) WithAttrs([]slog.Attr) slog.Handler { return r }
func (r records) WithGroup(string) slog.Handler      { return r }

// TestListenWarnsOfAnUnreadableJournal: Listen tries the journal at
// start and logs a warning naming what failed, without the password.
func TestListenWarnsOfAnUnreadableJournal(t *testing.T) {
	w := newWorld(t, nil)
	j := startJournal(t, email.None, nil)
	logs := make(records, 8)
	cfg := w.journalConfig(j, email.None)
	cfg.Mailbox = "Sent Items"
	restarted := newWorld(t, func(c *email.Config) {
		c.Journal = cfg
		c.Options.Log = slog.New(logs)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- restarted.chat.Listen(ctx, nil) }()
	defer func() {
		cancel()
		<-done
	}()
	select {
	case rec := <-logs:
		var text strings.Builder
		text.WriteString(rec.Message)
		rec.Attrs(func(a slog.Attr) bool { text.WriteString(" " + a.String()); return true })
		if rec.Level != slog.LevelWarn || !strings.Contains(text.String(), "email journal") || !strings.Contains(text.String(), `"Sent Items"`) {
			t.Errorf("logged %s %q, want a warning naming the journal's mailbox", rec.Level, text.String())
		}
		if strings.Contains(text.String(), journalPassword) {
			t.Errorf("the log shows the password: %s", text.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no warning within 10 s")
	}
}
