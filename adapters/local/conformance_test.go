package local_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"forumbot/adapters/chattest"
	"forumbot/adapters/local"
	"forumbot/bot"
	"forumbot/store/sqlite"
)

// fake adapts the local chat to chattest.Fake: the local chat is both the
// adapter and the platform.
type fake struct {
	chat   *local.Chat
	mu     sync.Mutex
	faults []chattest.Fault
}

func newFake() *fake {
	f := &fake{chat: local.New()}
	f.chat.Fault = func(op string, out bot.Outgoing) error { return f.take(false) }
	f.chat.FailAfter = func(op string, out bot.Outgoing) error { return f.take(true) }
	return f
}

// take consumes the next queued fault if it applies before (or after) a
// delivery.
func (f *fake) take(after bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.faults) == 0 || f.faults[0].AfterPost != after {
		return nil
	}
	fault := f.faults[0]
	f.faults = f.faults[1:]
	err := fmt.Errorf("HTTP %d", fault.Status)
	if fault.Status == 429 {
		return &bot.RateLimitError{Wait: fault.RetryAfter, Err: err}
	}
	return err
}

func (f *fake) Chat() bot.Chat           { return f.chat }
func (f *fake) Member(i int) bot.Address { return bot.Address(fmt.Sprintf("local:member%d", i)) }
func (f *fake) Channel() bot.Address     { return "local:forum" }
func (f *fake) Drop()                    {}
func (f *fake) Violations() []string     { return nil }
func (f *fake) FailNext(n int, c chattest.Fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		f.faults = append(f.faults, c)
	}
}

func (f *fake) Held(to bot.Address) []chattest.Held {
	var out []chattest.Held
	for _, s := range f.chat.Messages(to) {
		h := chattest.Held{Ref: s.Ref, Text: bot.RenderText(s.Message), Edits: s.Edits, Reactions: f.chat.ReactionsOn(s.Ref)}
		for _, b := range buttons(s.Message) {
			if b.Action == bot.ActionOpenForm {
				h.FormRefs = append(h.FormRefs, b.Value)
			}
		}
		out = append(out, h)
	}
	return out
}

func seen(r bot.Response) chattest.Seen {
	s := chattest.Seen{FieldErrors: r.FieldErrors, Text: r.Error}
	if r.Reply != nil {
		s.Text = strings.TrimSpace(s.Text + "\n" + bot.RenderText(*r.Reply))
	}
	if r.Form != nil {
		form := chattest.SeenForm{Ref: r.Form.Ref, Title: r.Form.Title, Platform: *r.Form}
		for _, ff := range r.Form.Fields {
			form.Fields = append(form.Fields, chattest.SeenField{Name: ff.Name, Label: ff.Label, Initial: ff.Initial})
		}
		s.Form = &form
	}
	return s
}

func (f *fake) sent(who bot.Address, ref bot.MessageRef) (local.Sent, error) {
	for _, s := range f.chat.Messages(who) {
		if s.Ref == ref {
			return s, nil
		}
	}
	return local.Sent{}, errors.New("no such message")
}

func (f *fake) OpenForm(ctx context.Context, who bot.Address, msg chattest.Held, formRef string, _ bot.Completion) (chattest.Seen, error) {
	s, err := f.sent(who, msg.Ref)
	if err != nil {
		return chattest.Seen{}, err
	}
	r, err := f.chat.As(who).Open(ctx, s, formRef)
	return seen(r), err
}

// buttons are a message's buttons: its sections', then its own.
func buttons(m bot.Message) []bot.Button {
	var out []bot.Button
	for _, sec := range m.Sections {
		out = append(out, sec.Buttons...)
	}
	return append(out, m.Buttons...)
}

func (f *fake) Press(ctx context.Context, who bot.Address, msg chattest.Held, value string) (chattest.Seen, error) {
	s, err := f.sent(who, msg.Ref)
	if err != nil {
		return chattest.Seen{}, err
	}
	r, err := f.chat.As(who).Push(ctx, s, value)
	return seen(r), err
}

func (f *fake) Submit(ctx context.Context, who bot.Address, form chattest.SeenForm, values map[string][]string) (chattest.Seen, error) {
	r, err := f.chat.As(who).Submit(ctx, bot.MessageRef{}, form.Platform.(bot.Form), values)
	return seen(r), err
}

func (f *fake) Reply(ctx context.Context, who bot.Address, msg chattest.Held, text string) (chattest.Seen, error) {
	r, err := f.chat.As(who).Reply(ctx, msg.Ref, text)
	return seen(r), err
}

func (f *fake) Command(ctx context.Context, who bot.Address, text string) (chattest.Seen, error) {
	r, err := f.chat.As(who).Command(ctx, text)
	return seen(r), err
}

func TestConformance(t *testing.T) {
	chattest.Run(t, newFake(), chattest.Options{NewStore: func(t *testing.T) bot.Store {
		db := sqlite.NewDB(filepath.Join(t.TempDir(), "conformance.db"))
		if err := db.Open(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}})
}
