package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// replay delivers the same command request (same sender, same platform
// id) twice, as a replayed signed Slack request or a redelivered
// interaction would, and returns both responses.
func replay(t *testing.T, h *harness, who, id, text string) (first, second bot.Response) {
	t.Helper()
	ev := bot.Event{ID: id, Kind: bot.EventCommand, From: bot.Address(who), Text: text}
	first = h.eng.HandleEvent(h.ctx, ev)
	ev.At = h.clock.Now().Add(2 * time.Minute) // within Slack's 5-minute replay window
	second = h.eng.HandleEvent(h.ctx, ev)
	return first, second
}

// TestReplayedCommandActsOnce: every command that acts, replayed with the
// same request id, is answered with what it answered the first time and a
// note, and is not carried out again.
func TestReplayedCommandActsOnce(t *testing.T) {
	tests := []struct {
		name, who, text string
		// effect reads what the command changes; a replay must not change it.
		effect func(h *harness) int
	}{
		{"RoundRemind", "local:coord", "round remind", func(h *harness) int {
			h.at(2026, time.November, 2, 10, 0)
			return len(h.counts("reminder/")) + h.rounds("f1")[0].ManualReminders
		}},
		{"RoundOpen", "local:coord", "round open 2026-12", func(h *harness) int { return len(h.rounds("f1")) }},
		{"RoundClose", "local:coord", "round close", func(h *harness) int { return closedRounds(h) }},
		{"RoundVoid", "local:coord", "round void 2026-11", func(h *harness) int { return len(h.rounds("f1")) }},
		{"RoundRetry", "local:coord", "round retry", func(h *harness) int { return 0 }},
		{"Away", "local:cs1", "away 2026-11-20", func(h *harness) int { return absences(h) }},
		{"Back", "local:cs1", "back", func(h *harness) int { return absences(h) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, testForum, time.Time{})
			h.at(2026, time.November, 2, 9, 0)
			ev := bot.Event{ID: "Ttrigger-1", Kind: bot.EventCommand, From: bot.Address(tt.who), Text: tt.text}
			first := h.eng.HandleEvent(h.ctx, ev)
			if first.Error != "" || first.Reply == nil {
				t.Fatalf("first request refused: %q", first.Error)
			}
			// The effect is read between the request and its replay.
			after := tt.effect(h)
			ev.At = h.clock.Now().Add(2 * time.Minute) // within Slack's 5-minute replay window
			second := h.eng.HandleEvent(h.ctx, ev)
			if second.Error != "" || second.Reply == nil || !strings.HasPrefix(second.Reply.Text, first.Reply.Text) ||
				!strings.Contains(second.Reply.Text, "already handled") {
				t.Errorf("replay answered %q / %q; want the first answer and a note that it was already handled", second.Error, textOf(second.Reply))
			}
			if got := tt.effect(h); got != after {
				t.Errorf("after the replay the effect reads %d, want %d as after the first request", got, after)
			}
			// A new request with another id acts.
			h.clock.Set(h.clock.Now().Add(time.Minute))
			if again := h.eng.HandleEvent(h.ctx, bot.Event{ID: "Ttrigger-2", Kind: bot.EventCommand, From: bot.Address(tt.who), Text: tt.text}); strings.Contains(again.Error+textOf(again.Reply), "already handled") {
				t.Errorf("a new request was taken for a replay: %q %q", again.Error, textOf(again.Reply))
			}
		})
	}
}

// TestReplayedRemindSendsRemindersOnce is the attack of the finding: a
// signed round remind replayed within the replay window.
func TestReplayedRemindSendsRemindersOnce(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 2, 9, 0)
	for range 3 {
		replay(t, h, "local:coord", "1234.5678.abcdef", "round remind")
	}
	h.at(2026, time.November, 2, 9, 5)
	for _, who := range allMembers {
		if got := h.counts("reminder/")[who]; got != 1 {
			t.Errorf("%s: %d reminders after a replayed round remind, want 1", who, got)
		}
	}
}

// TestCommandRequestIDIsPerPerson: the same request id from two people is
// two requests (ids are unique per person, not across them).
func TestCommandRequestIDIsPerPerson(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 2, 9, 0)
	for _, who := range []string{"local:cs1", "local:gov1"} {
		resp := h.eng.HandleEvent(h.ctx, bot.Event{ID: "same", Kind: bot.EventCommand, From: bot.Address(who), Text: "away 2026-11-20"})
		if resp.Reply == nil || strings.Contains(resp.Reply.Text, "already handled") {
			t.Errorf("%s: %q %q, want their own absence recorded", who, resp.Error, textOf(resp.Reply))
		}
	}
	if got := absences(h); got != 2 {
		t.Errorf("absences: %d, want 2", got)
	}
}

// TestUnfinishedRequestIsNotActedOnAgain: a request whose handling never
// finished (the bot stopped half-way) is refused when replayed, never
// carried out a second time.
func TestUnfinishedRequestIsNotActedOnAgain(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 2, 9, 0)
	h.store = &unfinishedCommands{Store: h.db}
	h.restart()
	ev := bot.Event{ID: "T1", Kind: bot.EventCommand, From: "local:coord", Text: "round remind"}
	if resp := h.eng.HandleEvent(h.ctx, ev); resp.Reply == nil {
		t.Fatalf("first request: %q", resp.Error)
	}
	resp := h.eng.HandleEvent(h.ctx, ev)
	if resp.Error == "" || !strings.Contains(resp.Error, "never carried out twice") {
		t.Errorf("replay of an unfinished request: %q %q, want a refusal", resp.Error, textOf(resp.Reply))
	}
	if got := h.rounds("f1")[0].ManualReminders; got != 1 {
		t.Errorf("manual reminders recorded: %d, want 1", got)
	}
}

// unfinishedCommands loses every command's outcome, as a crash right after
// the command acted would.
type unfinishedCommands struct{ bot.Store }

func (unfinishedCommands) FinishCommand(context.Context, bot.Address, string, bot.CommandOutcome, string) error {
	return errors.New("simulated crash")
}

func absences(h *harness) int {
	h.t.Helper()
	log, err := h.store.Absences(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	return len(log)
}

func closedRounds(h *harness) int {
	n := 0
	for _, r := range h.rounds("f1") {
		if r.State == bot.RoundClosed {
			n++
		}
	}
	return n
}
