package email_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
)

// forumYAML has two members reached by e-mail, one in Spanish, on C1,
// and its digest goes to a list address.
const forumYAML = `
forums:
  - id: mail
    name: Mail Forum
    timezone: UTC
    digest_channel: email:forum-list@example.org
    coordinators: [email:coord@example.org]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          milestones: [{id: M1, title: Budget published, due: 2031-03-31}]
          committee:
            - {who: email:ana@example.org, name: Ana, group: government, org: Finance}
            - {who: email:bea@example.org, name: Bea, group: civil_society, org: Watchdog, locale: es}
`

// engineWorld is the e-mail adapter behind a real engine and store.
type engineWorld struct {
	*world
	eng   *bot.Engine
	store *sqlite.DB
}

func newEngineWorld(t *testing.T, yaml string, chats map[string]bot.Chat) *engineWorld {
	t.Helper()
	w := newWorld(t, nil)
	cfg, err := config.Parse([]byte(yaml), "forum.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if chats == nil {
		chats = map[string]bot.Chat{}
	}
	chats["email"] = w.chat
	db := newStore(t)
	eng, err := bot.New(cfg.Forums, db, chats, bot.Options{Now: w.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sender: bot.SenderOptions{Workers: 1, Backoff: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	w.listen(eng)
	return &engineWorld{world: w, eng: eng, store: db}
}

// run ticks the engine and drains the outbox.
func (w *engineWorld) run() {
	w.t.Helper()
	ctx := context.Background()
	if err := w.eng.Tick(ctx); err != nil {
		w.t.Fatal(err)
	}
	for range 3 {
		if _, err := w.eng.Drain(ctx); err != nil {
			w.t.Fatal(err)
		}
	}
}

// prompt returns the last message ana@ or bea@ received, parsed.
func (w *engineWorld) prompt(rcpt string) parsed {
	w.t.Helper()
	msgs := w.relay.messages(rcpt)
	if len(msgs) == 0 {
		w.t.Fatalf("%s received nothing", rcpt)
	}
	return parse(w.t, msgs[len(msgs)-1].Data)
}

func (w *engineWorld) updates(member bot.Address) []bot.Update {
	w.t.Helper()
	us, err := w.store.Updates(context.Background(), bot.UpdateFilter{ForumID: "mail", Member: member})
	if err != nil {
		w.t.Fatal(err)
	}
	return us
}

// TestPromptByEmailInTheMembersLanguage: the engine's prompt reaches each
// member by e-mail in their language, with the e-mail footer and a link to
// C1's form, and opening it shows the engine's form.
func TestPromptByEmailInTheMembersLanguage(t *testing.T) {
	w := newEngineWorld(t, forumYAML, nil)
	w.run()
	ana, bea := w.prompt("ana@example.org"), w.prompt("bea@example.org")
	if !strings.Contains(ana.Plain, "progress report for March 2031") || !strings.Contains(ana.Plain, "please do not forward this e-mail") || !strings.Contains(ana.Plain, "Budget published") {
		t.Errorf("Ana's prompt:\n%s", ana.Plain)
	}
	if strings.Contains(ana.Plain, "Reply here") || strings.Contains(ana.Plain, "/forum") {
		t.Errorf("Ana's prompt tells her to reply or type a command:\n%s", ana.Plain)
	}
	if !strings.Contains(bea.Plain, "no reenvíe este correo") || bea.Header.Get("Content-Language") != "es" {
		t.Errorf("Bea's prompt is not in Spanish:\n%s", bea.Plain)
	}
	if len(ana.Links) != 1 || formRefOf(t, ana.Links[0]) == "" {
		t.Fatalf("Ana's links: %v", ana.Links)
	}
	p := w.get(bea.Links[0])
	s := seen(p)
	if p.Status != 200 || s.Form == nil || !strings.Contains(p.Body, `lang="es"`) {
		t.Fatalf("Bea's form: %d\n%s", p.Status, p.Body)
	}
	if _, ok := s.Form.Field(bot.FieldCompletion); !ok {
		t.Errorf("the form lacks the completion field: %+v", s.Form.Fields)
	}
}

// TestReminderByEmail: on the reminder day only the member who has not
// answered gets a reminder, by e-mail, with a link to the form that opens
// her current state.
func TestReminderByEmail(t *testing.T) {
	w := newEngineWorld(t, strings.Replace(forumYAML, "window: 7d}", "window: 7d, reminders: [3d]}", 1), nil)
	w.run()
	ana := w.prompt("ana@example.org")
	form := seen(w.get(ana.Links[0])).Form
	if form == nil {
		t.Fatal("Ana's form did not open")
	}
	if p := w.submit(*form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Draft ready"}}); p.Status != 200 {
		t.Fatalf("Ana's answer: %d", p.Status)
	}
	w.clock.advance(3 * 24 * time.Hour)
	w.run()
	if n := len(w.relay.messages("ana@example.org")); n != 1 {
		t.Errorf("Ana, who answered, got %d messages, want only the prompt", n)
	}
	bea := w.relay.messages("bea@example.org")
	if len(bea) != 2 {
		t.Fatalf("Bea got %d messages, want the prompt and a reminder", len(bea))
	}
	r := parse(t, bea[1].Data)
	if !strings.Contains(r.Plain, "C1") || len(r.Links) != 1 || r.Header.Get("Message-ID") == parse(t, bea[0].Data).Header.Get("Message-ID") {
		t.Errorf("Bea's reminder:\n%s", r.Plain)
	}
	if p := w.get(r.Links[0]); p.Status != 200 || seen(p).Form == nil {
		t.Errorf("the reminder's link: %d", p.Status)
	}
}
