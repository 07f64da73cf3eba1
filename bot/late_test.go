package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// notices returns the texts of the notices the coordinator received.
func (h *harness) notices() []string {
	var out []string
	for _, s := range h.chat.Messages("local:coord") {
		if strings.HasPrefix(s.Key, "notice/") {
			out = append(out, bot.RenderText(s.Message))
		}
	}
	return out
}

// TestWholeWindowInDowntimeOpensLateRound: down from 30 November to 10
// December, while December's whole window (1 to 8 December) passed. The
// round opens late with a full window of its own, reminders count from
// its opening, the coordinator is told once and the log says so.
func TestWholeWindowInDowntimeOpensLateRound(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.at(2026, time.November, 8, 9, 0)
	h.logs = &syncBuffer{}
	h.restart()
	h.at(2026, time.December, 10, 10, 0)
	rs := h.rounds("f1")
	if len(rs) != 2 || rs[1].Period.String() != "2026-12" || rs[1].State != bot.RoundOpen {
		t.Fatalf("rounds after the downtime: %v, want November and an open December", periods(rs))
	}
	loc := h.forums[0].Location
	if want := time.Date(2026, time.December, 17, 10, 0, 0, 0, loc); !rs[1].ClosesAt.Equal(want) {
		t.Errorf("late round closes %s, want %s (a full 7-day window from now)", rs[1].ClosesAt.In(loc), want)
	}
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 2 {
			t.Errorf("%s: %d prompts, want November's and December's", who, got)
		}
	}
	notes := h.notices()
	if len(notes) != 1 || !strings.Contains(notes[0], "December 2026 was due (1 Dec 2026, 09:00)") || !strings.Contains(notes[0], "closes 17 Dec 2026, 10:00") {
		t.Errorf("notices: %q, want one saying December's round opened late and when it closes", notes)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "round opened late") || !strings.Contains(logs, "period=2026-12") {
		t.Errorf("no log line for the late round:\n%s", logs)
	}
	h.at(2026, time.December, 12, 10, 0)
	if got := h.counts("reminder/")["local:cs1"]; got != 0 {
		t.Errorf("reminded %d times two days after the late opening, want 0 (day 3 counts from the opening)", got)
	}
	h.at(2026, time.December, 13, 10, 0)
	if got := h.counts("reminder/")["local:cs1"]; got != 1 {
		t.Errorf("reminded %d times three days after the late opening, want 1", got)
	}
	h.at(2026, time.December, 17, 10, 0)
	if rs := h.rounds("f1"); rs[1].State != bot.RoundClosed {
		t.Errorf("late round on 17 December: %s, want closed", rs[1].State)
	}
	if notes := h.notices(); len(notes) != 1 {
		t.Errorf("notices after more ticks: %d, want still 1", len(notes))
	}
}

// TestLateRoundStaysBeforeTheNextRound: a late round ends by the next
// round's scheduled time; with less than a day left, or after the plan's
// end, it is not opened, and the coordinator is told why.
func TestLateRoundStaysBeforeTheNextRound(t *testing.T) {
	endsMidDecember := strings.Replace(testForum, "      id: P1\n", "      id: P1\n      end: 2026-12-15\n", 1)
	tests := []struct {
		name     string
		forum    string
		resume   time.Time
		closes   time.Time // zero: not opened
		notice   string
		logEntry string
	}{
		{"CutAtTheNextRound", testForum, inMadrid(2026, time.December, 28, 10), inMadrid(2027, time.January, 1, 9),
			"closes 1 Jan 2027, 09:00", "round opened late"},
		{"TooCloseToTheNextRound", testForum, inMadrid(2026, time.December, 31, 20), time.Time{},
			"the next round opens 1 Jan 2027, 09:00, too soon for a round of its own", "round not opened"},
		{"PlanOver", endsMidDecember, inMadrid(2026, time.December, 20, 10), time.Time{},
			"the action plan (… to 15 Dec 2026) is over", "round not opened"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.forum, time.Time{})
			h.at(2026, time.November, 1, 9, 0)
			h.at(2026, time.November, 8, 9, 0)
			h.logs = &syncBuffer{}
			h.restart()
			h.atTime(tt.resume)
			h.atTime(tt.resume.Add(time.Hour))
			rs := h.rounds("f1")
			switch {
			case tt.closes.IsZero() && len(rs) != 1:
				t.Errorf("rounds: %v, want December's not opened", periods(rs))
			case !tt.closes.IsZero() && (len(rs) != 2 || !rs[1].ClosesAt.Equal(tt.closes)):
				t.Errorf("rounds: %+v, want December's closing %s", rs, tt.closes)
			}
			notes := h.notices()
			if len(notes) != 1 || !strings.Contains(notes[0], tt.notice) {
				t.Errorf("notices: %q, want one saying %q", notes, tt.notice)
			}
			if logs := h.logs.String(); strings.Count(logs, tt.logEntry) != 1 {
				t.Errorf("log lines %q: want exactly one over two ticks:\n%s", tt.logEntry, logs)
			}
		})
	}
}

func inMadrid(y int, m time.Month, d, hh int) time.Time {
	return time.Date(y, m, d, hh, 0, 0, 0, madrid)
}
