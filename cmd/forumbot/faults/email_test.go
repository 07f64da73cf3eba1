package faults_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
	"github.com/emersion/go-smtp"
)

// mailbox is an SMTP relay on 127.0.0.1 (github.com/emersion/go-smtp)
// that can hold its answer to a message until the test has killed serve.
type mailbox struct {
	mu     sync.Mutex
	copies map[string][]string // recipient → Message-IDs, one per copy accepted
	n      int
	// holdAt is the message (counting from 1) after which the relay sends
	// its recipient on held and waits for release before answering 250:
	// the sender cannot know yet that it got through.
	holdAt  int
	victim  string // the recipient of the held message
	held    chan string
	release chan struct{}
	// journal, when set, receives every message the relay stores, before
	// it answers, as Gmail files what it accepts into the Sent folder.
	journal *imapmemserver.User
}

func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &mailSession{m: m}, nil }

type mailSession struct {
	m  *mailbox
	to []string
}

func (s *mailSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *mailSession) Reset()        { s.to = nil }
func (s *mailSession) Logout() error { return nil }

func (s *mailSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return err
	}
	id := msg.Header.Get("Message-ID")
	if s.m.journal != nil {
		if _, err := s.m.journal.Append(journalMailbox, bytes.NewReader(data), &imap.AppendOptions{}); err != nil {
			return err
		}
	}
	s.m.mu.Lock()
	for _, to := range s.to {
		s.m.copies[to] = append(s.m.copies[to], id)
	}
	s.m.n++
	hold := s.m.n == s.m.holdAt
	s.m.mu.Unlock()
	if hold {
		s.m.held <- s.to[0]
		<-s.m.release
	}
	return nil
}

// copiesTo returns the Message-IDs of the copies accepted for to.
func (m *mailbox) copiesTo(to string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.copies[to]...)
}

func (m *mailbox) count() (copies int, ids map[string]map[string]int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids = map[string]map[string]int{}
	for to, list := range m.copies {
		ids[to] = map[string]int{}
		for _, id := range list {
			ids[to][id]++
			copies++
		}
	}
	return copies, ids
}

// journalMailbox is the mailbox of the test's IMAP server that the relay
// files every message into.
const journalMailbox = "Sent"

// startJournal starts an IMAP server on 127.0.0.1
// (github.com/emersion/go-imap/v2's imapserver over its in-memory
// backend) with one account, user, whose Sent mailbox the relay fills.
func startJournal(t *testing.T) (user *imapmemserver.User, port int) {
	t.Helper()
	mem := imapmemserver.New()
	user = imapmemserver.NewUser("forum@forum.example.org", "faults-imap-password")
	if err := user.Create(journalMailbox, nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger:       log.New(io.Discard, "", 0),
		InsecureAuth: true,
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return user, ln.Addr().(*net.TCPAddr).Port
}

// TestKillBetweenRelayAcceptanceAndMarkSent: serve is killed with SIGKILL
// while the relay has stored a prompt but not yet answered, so the
// outbox cannot have marked it sent.
//
// With email.journal (the relay files every message it stores into an
// IMAP mailbox, as Gmail does into Sent), the outbox asks Delivered after
// the restart, which finds the prompt there by its Message-ID: every
// member gets exactly one copy.
//
// Without a journal, Delivered cannot know and the held prompt is sent
// once more, with the Message-ID of the first copy, derived from the
// delivery key: one duplicate, the same message to a mail program
// (docs/email.md).
func TestKillBetweenRelayAcceptanceAndMarkSent(t *testing.T) {
	const members = 6
	t.Run("journal", func(t *testing.T) {
		user, port := startJournal(t)
		box := killWhileRelayHolds(t, members, user, fmt.Sprintf(`  journal:
    host: 127.0.0.1
    port: %d
    security: none
    username: forum@forum.example.org
    password: ${FAULTS_IMAP_PASSWORD}
    mailbox: %s
`, port, journalMailbox))
		copies, ids := box.count()
		for i := range members {
			to := fmt.Sprintf("m%d@example.org", i)
			if n := len(box.copiesTo(to)); n != 1 {
				t.Errorf("%s got %d copies (Message-IDs %v), want exactly 1", to, n, ids[to])
			}
		}
		if copies != members {
			t.Errorf("the relay accepted %d copies for %d members, want %d", copies, members, members)
		}
	})
	t.Run("no journal", func(t *testing.T) {
		box := killWhileRelayHolds(t, members, nil, "")
		copies, ids := box.count()
		for i := range members {
			to := fmt.Sprintf("m%d@example.org", i)
			if len(ids[to]) != 1 {
				t.Errorf("%s holds %d distinct prompts (Message-IDs %v), want 1", to, len(ids[to]), ids[to])
			}
		}
		for id, k := range ids[box.victim] {
			if k != 2 {
				t.Errorf("%s got %d copies of %s, want 2 (the one cut off and its resend)", box.victim, k, id)
			}
		}
		if copies != members+1 {
			t.Errorf("the relay accepted %d copies for %d members, want one resend only", copies, members)
		}
	})
}

// killWhileRelayHolds serves a forum of members by e-mail whose round
// opens now, kills serve while the relay holds the third prompt, restarts
// it, and returns the relay once every member has a prompt and the outbox
// is empty. journal, when set, is filed into by the relay; journalYAML is
// added to the email: block.
func killWhileRelayHolds(t *testing.T, members int, journal *imapmemserver.User, journalYAML string) *mailbox {
	box := &mailbox{copies: map[string][]string{}, holdAt: 3, held: make(chan string, 1), release: make(chan struct{}), journal: journal}
	srv := smtp.NewServer(box)
	srv.Domain = "relay.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	r := &rig{t: t, dir: t.TempDir(), env: []string{"FAULTS_IMAP_PASSWORD=faults-imap-password"}}
	now := time.Now().UTC()
	var b strings.Builder
	fmt.Fprintf(&b, `store: {path: forumbot.db}
http: {listen: "127.0.0.1:0"}
sender: {workers: 1}
email:
  host: 127.0.0.1
  port: %d
  security: none
  from: "Fault Forum <forum@forum.example.org>"
  base_url: http://127.0.0.1:8080
  link_secret: ${FAULTS_LINK_SECRET}
  messages_per_second: 50
%sforums:
  - id: f
    name: Fault Forum
    timezone: UTC
    digest_channel: email:list@example.org
    coordinators: [email:coord@example.org]
    schedule: {prompt: "%d %d %d %d *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: Commitment 1
          committee:
`, ln.Addr().(*net.TCPAddr).Port, journalYAML, now.Minute(), now.Hour(), now.Day(), int(now.Month()))
	for i := range members {
		fmt.Fprintf(&b, "            - {who: email:m%d@example.org, name: Member %d, group: civil_society, org: Org %d}\n", i, i, i)
	}
	r.config = filepath.Join(r.dir, "forumbot.yaml")
	if err := os.WriteFile(r.config, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FAULTS_LINK_SECRET", "faults-link-secret-0123456789abcdefghij")
	t.Cleanup(r.cleanup)

	p := r.start()
	select {
	case box.victim = <-box.held:
	case <-time.After(deadlineFor(60 * time.Second)):
		t.Fatalf("no prompt reached the relay:\n%s", tail(p.log.String(), 4000))
	}
	r.kill(p)
	close(box.release)

	// After the restart the outbox finds the held prompt "sending" and
	// asks Delivered before sending it again.
	p = r.start()
	r.waitFor("a prompt in every mailbox and the outbox empty", 60*time.Second, func() bool {
		box.mu.Lock()
		reached := len(box.copies)
		box.mu.Unlock()
		return reached >= members && p.metric("forumbot_outbox_depth") == 0
	})
	if failed := p.metric("forumbot_outbox_failed"); failed != 0 {
		t.Errorf("%v deliveries given up, want none", failed)
	}
	r.stop(p)
	copies, _ := box.count()
	t.Logf("killed while the relay held %s's prompt; %d copies for %d members", box.victim, copies, members)
	return box
}
