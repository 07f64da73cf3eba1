package faults_test

import (
	"fmt"
	"io"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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
	held    chan string
	release chan struct{}
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
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	id := msg.Header.Get("Message-ID")
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

// TestKillBetweenRelayAcceptanceAndMarkSent: serve is killed with SIGKILL
// while the relay has stored a prompt but not yet answered, so the
// outbox cannot have marked it sent. After the restart every member's
// mailbox holds exactly one prompt as their mail program counts them (one
// Message-ID): the one resend the crash causes carries the Message-ID of
// the first copy, derived from the delivery key (docs/RELIABILITY.md).
func TestKillBetweenRelayAcceptanceAndMarkSent(t *testing.T) {
	const members = 6
	box := &mailbox{copies: map[string][]string{}, holdAt: 3, held: make(chan string, 1), release: make(chan struct{})}
	srv := smtp.NewServer(box)
	srv.Domain = "relay.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	r := &rig{t: t, dir: t.TempDir()}
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
forums:
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
`, ln.Addr().(*net.TCPAddr).Port, now.Minute(), now.Hour(), now.Day(), int(now.Month()))
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
	var victim string
	select {
	case victim = <-box.held:
	case <-time.After(deadlineFor(60 * time.Second)):
		t.Fatalf("no prompt reached the relay:\n%s", tail(p.log.String(), 4000))
	}
	r.kill(p)
	close(box.release)

	// After the restart the outbox asks Delivered, which cannot know, and
	// sends the held prompt again: the same message, by its Message-ID.
	p = r.start()
	r.waitFor("a prompt in every mailbox and the held one resent", 60*time.Second, func() bool {
		box.mu.Lock()
		defer box.mu.Unlock()
		return len(box.copies) >= members && len(box.copies[victim]) >= 2
	})
	r.stop(p)

	copies, ids := box.count()
	for i := range members {
		to := fmt.Sprintf("m%d@example.org", i)
		if len(ids[to]) != 1 {
			t.Errorf("%s holds %d distinct prompts (Message-IDs %v), want 1", to, len(ids[to]), ids[to])
		}
	}
	for id, k := range ids[victim] {
		if k != 2 {
			t.Errorf("%s got %d copies of %s, want 2 (the one cut off and its resend)", victim, k, id)
		}
	}
	if copies != members+1 {
		t.Errorf("the relay accepted %d copies for %d members, want one resend only", copies, members)
	}
	t.Logf("killed while the relay held %s's prompt; %d copies for %d members, all with one Message-ID per member", victim, copies, members)
}
