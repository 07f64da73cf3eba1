package bot_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// panicky is a store with a bug: the method named in panics.
type panicky struct {
	bot.Store
	in string
}

func (p panicky) RoundByID(ctx context.Context, id int64) (bot.Round, error) {
	if p.in == "RoundByID" {
		panic("store bug")
	}
	return p.Store.RoundByID(ctx, id)
}

func (p panicky) DeliveryByKey(ctx context.Context, key string) (bot.Delivery, error) {
	if p.in == "DeliveryByKey" {
		panic("store bug")
	}
	return p.Store.DeliveryByKey(ctx, key)
}

// buggyEngine is an engine on h's store and chat whose store panics in
// the method named in; its log goes to the returned buffer.
func buggyEngine(t *testing.T, h *harness, in string) (*bot.Engine, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	eng, err := bot.New(h.forums, panicky{Store: h.store, in: in}, map[string]bot.Chat{"local": h.chat}, bot.Options{
		Now: h.clock.Now, Log: slog.New(slog.NewTextHandler(log, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	return eng, log
}

// TestPanicAnsweredInTheMemberLanguage: a panic while handling an answer
// is logged with its stack and answered with the apology in the member's
// language, which claims nothing was recorded and nothing was not.
func TestPanicAnsweredInTheMemberLanguage(t *testing.T) {
	h := newHarness(t, spanishForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	round := h.rounds("lat")[0]
	eng, log := buggyEngine(t, h, "RoundByID")
	for _, tt := range []struct {
		who    bot.Address
		locale string
	}{{"local:ana", "es"}, {"local:bia", "pt"}, {"local:chloe", "fr"}, {"local:dan", "en"}} {
		t.Run(tt.locale, func(t *testing.T) {
			resp := eng.HandleEvent(h.ctx, bot.Event{
				ID: "panic-" + tt.locale, Kind: bot.EventForm, From: tt.who,
				FormRef: bot.FormRef{RoundID: round.ID, CommitmentID: "C1"}.String(),
				Values:  map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"x"}},
			})
			want := eng.Texts(tt.locale).T("err.internal")
			if resp.Error != want || resp.Reply != nil || resp.FollowUp != nil {
				t.Errorf("the person is told %q (reply %v), want only %q", resp.Error, resp.Reply, want)
			}
			if en := eng.Texts("en").T("err.internal"); tt.locale != "en" && want == en {
				t.Errorf("%s has no translation of err.internal", tt.locale)
			}
		})
	}
	for _, want := range []string{"panic handling an event", "store bug", "panic_test.go"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, log.String())
		}
	}
}

// TestPanicInFollowUp: a panic while re-rendering the prompt after an
// answer was stored is logged; the answer stays recorded and no edit
// follows.
func TestPanicInFollowUp(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	round := h.rounds("f1")[0]
	eng, log := buggyEngine(t, h, "DeliveryByKey")
	resp := eng.HandleEvent(h.ctx, bot.Event{
		ID: "follow-up-panic", Kind: bot.EventForm, From: "local:cs1",
		FormRef: bot.FormRef{RoundID: round.ID, CommitmentID: "C1"}.String(),
		Values:  map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"x"}},
	})
	if resp.Error != "" || resp.Reply == nil || resp.FollowUp == nil {
		t.Fatalf("the answer was not recorded: %q %+v", resp.Error, resp)
	}
	if edit := resp.FollowUp(h.ctx); edit != nil {
		t.Errorf("a panicking follow-up edits %+v", edit)
	}
	if !strings.Contains(log.String(), "panic in a follow-up") || !strings.Contains(log.String(), "store bug") {
		t.Errorf("the log does not tell the panic:\n%s", log.String())
	}
	if us, err := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1", Member: "local:cs1"}); err != nil || len(us) != 1 {
		t.Errorf("stored: %d updates (%v), want 1", len(us), err)
	}
}
