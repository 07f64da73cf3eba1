package email_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"forumbot/adapters/chattest"
	"forumbot/bot"
	"forumbot/store/sqlite"
)

func newStore(t testing.TB) *sqlite.DB {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "forumbot.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// fake adapts the SMTP server and the form's web server to
// chattest.Fake: a person's mailbox is what the server accepted for them,
// one message per Message-ID as their mail program shows it (a resend
// after a failure carries the same Message-ID; TestResendKeepsMessageID
// shows it), and a person opens a form by following its link.
type fake struct {
	w *world

	mu     sync.Mutex
	opened map[string]string // form ref → link, by the last Held
}

func (f *fake) Chat() bot.Chat { return f.w.chat }
func (f *fake) Member(i int) bot.Address {
	return bot.Address(fmt.Sprintf("email:member%d@example.org", i))
}
func (f *fake) Channel() bot.Address { return "email:forum-list@example.org" }
func (f *fake) Drop()                {}
func (f *fake) Violations() []string { return nil }

func (f *fake) FailNext(n int, c chattest.Fault) {
	for range n {
		switch {
		case c.AfterPost:
			f.w.relay.failNext(acceptThenDrop)
		default:
			f.w.relay.failNext(failTemp)
		}
	}
}

func (f *fake) Held(to bot.Address) []chattest.Held {
	_, rcpt, _ := strings.Cut(string(to), ":")
	var out []chattest.Held
	seenID := map[string]bool{}
	for _, m := range f.w.relay.messages(rcpt) {
		p := parse(f.w.t, m.Data)
		id := strings.Trim(p.Header.Get("Message-ID"), "<>")
		if seenID[id] {
			continue
		}
		seenID[id] = true
		h := chattest.Held{Ref: bot.MessageRef{Platform: "email", ID: id}, Text: p.Plain}
		f.mu.Lock()
		for _, l := range p.Links {
			ref := formRefOf(f.w.t, l)
			h.FormRefs = append(h.FormRefs, ref)
			f.opened[id+" "+ref] = l
		}
		f.mu.Unlock()
		out = append(out, h)
	}
	return out
}

// Press implements chattest.Fake: an e-mail has links to forms only; a
// button that opens no form is left out of it.
func (f *fake) Press(ctx context.Context, who bot.Address, msg chattest.Held, value string) (chattest.Seen, error) {
	return chattest.Seen{}, fmt.Errorf("an e-mail carries no button %s: only links to forms", value)
}

func (f *fake) OpenForm(ctx context.Context, who bot.Address, msg chattest.Held, formRef string, _ bot.Completion) (chattest.Seen, error) {
	f.mu.Lock()
	link, ok := f.opened[msg.Ref.ID+" "+formRef]
	f.mu.Unlock()
	if !ok {
		return chattest.Seen{}, fmt.Errorf("message %s has no link to %s", msg.Ref.ID, formRef)
	}
	p := f.w.get(link)
	s := seen(p)
	if s.Form != nil {
		s.Form.Ref = formRef
	}
	if p.Status != http.StatusOK {
		return s, fmt.Errorf("GET %s: %d", link, p.Status)
	}
	return s, nil
}

func (f *fake) Submit(ctx context.Context, who bot.Address, form chattest.SeenForm, values map[string][]string) (chattest.Seen, error) {
	p := f.w.submit(form, values)
	switch p.Status {
	case http.StatusOK, http.StatusUnprocessableEntity:
		return seen(p), nil
	}
	return seen(p), fmt.Errorf("POST: %d\n%s", p.Status, p.Body)
}

func (f *fake) Reply(context.Context, bot.Address, chattest.Held, string) (chattest.Seen, error) {
	return chattest.Seen{}, fmt.Errorf("e-mail has no replies the bot reads")
}

func (f *fake) Command(context.Context, bot.Address, string) (chattest.Seen, error) {
	return chattest.Seen{}, fmt.Errorf("e-mail has no commands")
}

// TestConformance runs the shared suite through a real SMTP server and the
// web form, with the scenarios of a platform without threads, commands or
// edits left out (chattest.Options.FormsOnly).
func TestConformance(t *testing.T) {
	w := newWorld(t, nil)
	chattest.Run(t, &fake{w: w, opened: map[string]string{}}, chattest.Options{
		NewStore: func(t *testing.T) bot.Store { return newStore(t) }, FormsOnly: true,
	})
}
