package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// datedForum is testForum with plan dates.
var datedForum = strings.Replace(testForum, "      id: P1\n", "      id: P1\n      start: 2026-01-01\n      end: 2027-06-30\n", 1)

// TestRoundOpenRefusesPeriodsBeyondThePlanAndTheSchedule: the typos of the
// finding are refused, saying what is allowed, and change nothing.
func TestRoundOpenRefusesPeriodsBeyondThePlanAndTheSchedule(t *testing.T) {
	tests := []struct {
		forum, text string
		refused     string // "" when allowed
	}{
		{testForum, "round open 9999-12", "a round can open for this month or for the month of the next scheduled round, December 2026 at the latest"},
		{testForum, "round open 2027-01", "December 2026 at the latest"},
		{testForum, "round open 1970-01", "the action plan has no start date, so rounds go back no further than November 2026"},
		{testForum, "round open 0000-01", `"0000-01" is not a period`},
		{testForum, "round open 2026-12", ""},
		{datedForum, "round open 9999-12", "the action plan runs 1 Jan 2026 to 30 Jun 2027"},
		{datedForum, "round open 1970-01", "the action plan runs 1 Jan 2026 to 30 Jun 2027"},
		{datedForum, "round open 2027-03", "December 2026 at the latest"},
		{datedForum, "round open 2026-03", ""},
	}
	for _, tt := range tests {
		h := newHarness(t, tt.forum, time.Time{})
		h.at(2026, time.November, 1, 9, 0)
		h.at(2026, time.November, 20, 9, 0)
		resp := command(t, h, "local:coord", tt.text)
		switch {
		case tt.refused == "" && resp.Error != "":
			t.Errorf("%s: refused: %s", tt.text, resp.Error)
		case tt.refused != "" && !strings.Contains(resp.Error, tt.refused):
			t.Errorf("%s: got %q, want a refusal saying %q", tt.text, resp.Error, tt.refused)
		case tt.refused != "" && len(h.rounds("f1")) != 1:
			t.Errorf("%s: refused, but rounds are now %v", tt.text, periods(h.rounds("f1")))
		}
		if tt.refused == "" {
			continue
		}
		// The record is as it was: the digest and members' forms are
		// November's.
		if resp := command(t, h, "local:coord", "digest"); resp.Reply == nil || !strings.Contains(resp.Reply.Text, "November 2026") {
			t.Errorf("%s: digest after the refusal: %q %q", tt.text, resp.Error, textOf(resp.Reply))
		}
	}
}

// TestVoidRoundOpenedByMistake: next month's round opened early by
// mistake is voided before anyone answers. It stays in the record, no
// prompt of it goes out, the digest, update and status ignore it, and the
// scheduled round of that month still opens on time.
func TestVoidRoundOpenedByMistake(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.at(2026, time.November, 20, 9, 0)
	if resp := command(t, h, "local:coord", "round open 2026-12"); resp.Error != "" {
		t.Fatalf("round open 2026-12: %s", resp.Error)
	}
	resp := command(t, h, "local:coord", "round void 2026-12")
	if resp.Reply == nil || !strings.Contains(resp.Reply.Text, "voided") || !strings.Contains(resp.Reply.Text, "still opens 1 Dec 2026, 09:00") {
		t.Fatalf("round void: %q %q", resp.Error, textOf(resp.Reply))
	}
	h.at(2026, time.November, 20, 9, 5)
	if got := h.counts("prompt/")["local:cs1"]; got != 1 {
		t.Errorf("cs1: %d prompts, want November's only", got)
	}
	if got := periods(h.rounds("f1")); len(got) != 1 || got[0] != "2026-11" {
		t.Errorf("rounds: %v, want November's only", got)
	}
	voided, err := h.store.VoidedRounds(h.ctx, "f1")
	if err != nil || len(voided) != 1 || voided[0].Period.String() != "2026-12" || voided[0].VoidedBy != "local:coord" || voided[0].State != bot.RoundVoided {
		t.Fatalf("voided rounds: %+v %v, want December's, voided by the coordinator", voided, err)
	}
	if resp := command(t, h, "local:coord", "digest"); resp.Reply == nil || !strings.Contains(resp.Reply.Text, "November 2026") {
		t.Errorf("digest after the void: %q %q, want November's", resp.Error, textOf(resp.Reply))
	}
	if resp := command(t, h, "local:cs1", "update C1"); resp.Form == nil {
		t.Errorf("update after the void: %+v", resp)
	} else if ref, _ := bot.ParseFormRef(resp.Form.Ref); ref.RoundID != h.rounds("f1")[0].ID {
		t.Errorf("update opened the form of round %d, want November's %d", ref.RoundID, h.rounds("f1")[0].ID)
	}
	if text := bot.RenderText(*command(t, h, "local:mayor", "status C1").Reply); strings.Contains(text, "December") {
		t.Errorf("status mentions the voided round:\n%s", text)
	}
	h.at(2026, time.December, 1, 9, 0)
	rs := h.rounds("f1")
	if len(rs) != 2 || rs[1].Period.String() != "2026-12" || rs[1].Revision != 1 || rs[1].State != bot.RoundOpen {
		t.Fatalf("rounds on 1 December: %+v, want November and a new December round (revision 1)", rs)
	}
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 2 {
			t.Errorf("%s: %d prompts by 1 December, want 2", who, got)
		}
	}
}

// TestVoidIsRefusedOnceARoundHoldsAnswers: answers are the record; a round
// that holds any cannot be voided.
func TestVoidIsRefusedOnceARoundHoldsAnswers(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:cs1", "C1", "Limited")
	resp := command(t, h, "local:coord", "round void 2026-11")
	if !strings.Contains(resp.Error, "holds 1 answer") || !strings.Contains(resp.Error, "/forum round close 2026-11") {
		t.Errorf("void of a round with an answer: %q %q", resp.Error, textOf(resp.Reply))
	}
	if rs := h.rounds("f1"); len(rs) != 1 || rs[0].State != bot.RoundOpen {
		t.Errorf("rounds: %+v, want November's, still open", rs)
	}
	if resp := command(t, h, "local:coord", "round void"); !strings.Contains(resp.Error, "round void YYYY-MM") {
		t.Errorf("void without a month: %q, want to be asked which", resp.Error)
	}
}

// TestVoidedRoundTakesNoAnswerAndIsNotReopenedBySchedule: a round voided
// once it was due is not opened again by the schedule; its prompts take
// no answer; a coordinator may hold the month again by hand.
func TestVoidedRoundTakesNoAnswerAndIsNotReopenedBySchedule(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	old := h.latest("local:cs1")
	resp := command(t, h, "local:coord", "round void 2026-11")
	if resp.Reply == nil || !strings.Contains(resp.Reply.Text, "/forum round open 2026-11 holds it anew") {
		t.Fatalf("round void: %q %q", resp.Error, textOf(resp.Reply))
	}
	h.at(2026, time.November, 2, 9, 0)
	if rs := h.rounds("f1"); len(rs) != 0 {
		t.Fatalf("the schedule reopened the voided month: %v", periods(rs))
	}
	pressed, err := h.person("local:cs1").Press(h.ctx, old, "C1")
	if err != nil || pressed.Form != nil || !strings.Contains(pressed.Error, "was voided") {
		t.Errorf("button on the voided round's prompt: %+v %v, want a refusal", pressed, err)
	}
	reply, err := h.person("local:cs1").Reply(h.ctx, old.Ref, "C1 limited: some news")
	if err != nil || !strings.Contains(reply.Error, "was voided") || reply.React {
		t.Errorf("reply to the voided round's prompt: %+v %v, want a refusal", reply, err)
	}
	if resp := command(t, h, "local:coord", "round open 2026-11"); resp.Error != "" {
		t.Fatalf("round open 2026-11 after the void: %s", resp.Error)
	}
	h.at(2026, time.November, 2, 9, 5)
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 2 {
			t.Errorf("%s: %d prompts, want the voided round's and the new one's", who, got)
		}
	}
	h.answer("local:cs1", "C1", "Limited")
	us, _ := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1", Member: "local:cs1"})
	if len(us) != 1 || us[0].RoundID != h.rounds("f1")[0].ID {
		t.Errorf("updates: %+v, want one, in the new round", us)
	}
}

func textOf(m *bot.Message) string {
	if m == nil {
		return ""
	}
	return m.Text
}
