package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
)

var allMembers = []bot.Address{"local:gov1", "local:cs1", "local:gov2", "local:cs2", "local:gov3"}

func TestRoundOpensOnScheduleWithOnePromptPerMember(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 8, 59)
	if got := len(h.rounds("f1")); got != 0 {
		t.Fatalf("rounds before 09:00: got %d, want 0", got)
	}
	h.at(2026, time.November, 1, 9, 0)
	rs := h.rounds("f1")
	if len(rs) != 1 || rs[0].Period.String() != "2026-11" || rs[0].State != bot.RoundOpen {
		t.Fatalf("rounds: got %+v, want one open round for 2026-11", rs)
	}
	prompts := h.counts("prompt/")
	for _, who := range allMembers {
		if prompts[who] != 1 {
			t.Errorf("%s: got %d prompts, want 1", who, prompts[who])
		}
	}
	if len(prompts) != len(allMembers) {
		t.Errorf("prompted %d people, want %d", len(prompts), len(allMembers))
	}
	// A member on two committees gets one prompt listing both.
	msg := h.latest("local:gov1").Message
	if len(msg.Sections) != 2 || msg.Sections[0].Title[:2] != "C1" || msg.Sections[1].Title[:2] != "C2" {
		t.Errorf("gov1's prompt sections: got %+v, want C1 and C2", msg.Sections)
	}
	// Ticking again changes nothing.
	h.at(2026, time.November, 1, 9, 1)
	if got := len(h.chat.All()); got != len(allMembers) {
		t.Errorf("after a second tick: %d messages, want %d", got, len(allMembers))
	}
}

func TestTwentyFourMonthsAcrossDSTAndMonthEnds(t *testing.T) {
	// New York at 02:30 on the 8th: on 8 March 2026 that time does not exist
	// (clocks jump from 02:00 to 03:00). Auckland at midnight on the 1st:
	// the local month starts the previous day in UTC.
	const forums = `
forums:
  - id: ny
    name: NY
    timezone: America/New_York
    digest_channel: local:d1
    coordinators: [local:c]
    schedule: {prompt: "30 2 8 * *", window: 7d, reminders: [3d]}
    plan:
      id: P
      commitments:
        - id: A
          title: A
          committee: [{who: local:m1, name: M1, group: government, org: O}]
  - id: akl
    name: Auckland
    timezone: Pacific/Auckland
    digest_channel: local:d2
    coordinators: [local:c]
    schedule: {prompt: "0 0 1 * *", window: 10d}
    plan:
      id: P
      commitments:
        - id: B
          title: B
          committee: [{who: local:m2, name: M2, group: civil_society, org: O}]
`
	start := time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)
	h := newHarness(t, forums, start)
	// Tick every six hours for two years, like a bot that is always up.
	end := time.Date(2027, time.December, 31, 0, 0, 0, 0, time.UTC)
	for at := start; at.Before(end); at = at.Add(6 * time.Hour) {
		h.atTime(at)
	}
	for _, id := range []string{"ny", "akl"} {
		rs := h.rounds(id)
		if len(rs) != 24 {
			t.Fatalf("%s: got %d rounds, want 24", id, len(rs))
		}
		want := bot.Period{Year: 2026, Month: time.January}
		for i, r := range rs {
			if r.Period != want.Add(i) {
				t.Errorf("%s round %d: period %s, want %s", id, i, r.Period, want.Add(i))
			}
			if r.State != bot.RoundClosed {
				t.Errorf("%s %s: state %s, want closed", id, r.Period, r.State)
			}
			local := r.ScheduledAt.In(h.forums[0].Location)
			if id == "akl" {
				local = r.ScheduledAt.In(h.forums[1].Location)
			}
			if bot.PeriodOf(local) != r.Period {
				t.Errorf("%s: round %s scheduled at %s, outside its month", id, r.Period, local)
			}
			// "7d" and "10d" are calendar days on the forum's clock, DST or not.
			wantClose := local.AddDate(0, 0, map[string]int{"ny": 7, "akl": 10}[id])
			if !r.ClosesAt.Equal(wantClose) {
				t.Errorf("%s %s: closes %s, want %s", id, r.Period, r.ClosesAt.In(local.Location()), wantClose)
			}
		}
	}
	for who, n := range h.counts("prompt/") {
		if n != 24 {
			t.Errorf("%s: %d prompts, want 24", who, n)
		}
	}
	if n := h.counts("reminder/")["local:m1"]; n != 24 {
		t.Errorf("m1 (never answers): %d reminders, want 24", n)
	}
	digests := 0
	for _, s := range h.chat.All() {
		if s.Channel {
			digests++
		}
	}
	if digests != 48 {
		t.Errorf("digests posted: %d, want 48", digests)
	}
}

func TestDowntimeAcrossScheduledTimeOpensOneLateRound(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.July, 1, 9, 0) // July's round opens
	h.at(2026, time.July, 9, 9, 0) // and closes
	// Down from 9 July to 3 November: August to October passed unseen (each
	// up to the next round, so none can be held late), and November's
	// round should have opened two days ago. The missed months are logged
	// and told to the coordinator, never skipped in silence.
	h.logs = &syncBuffer{}
	h.restart()
	h.at(2026, time.November, 3, 9, 0)
	rs := h.rounds("f1")
	if len(rs) != 2 || rs[1].Period.String() != "2026-11" {
		t.Fatalf("rounds after restart: got %v, want July and one late November round", periods(rs))
	}
	if rs[1].State != bot.RoundOpen {
		t.Errorf("late round is %s, want open", rs[1].State)
	}
	notes := h.notices()
	if len(notes) != 1 || !strings.Contains(notes[0], "the rounds for August 2026, September 2026, October 2026 were due") ||
		!strings.Contains(notes[0], "/forum round open 2026-08") {
		t.Errorf("notices: %q, want one naming the three missed months", notes)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "rounds missed while the bot was down") || !strings.Contains(logs, "first=2026-08 last=2026-10") {
		t.Errorf("no log line for the missed rounds:\n%s", logs)
	}
	// Another restart and tick: nothing doubles. The late round keeps its
	// schedule: the day-3 reminder comes on 4 November.
	h.restart()
	h.at(2026, time.November, 3, 9, 5)
	h.at(2026, time.November, 4, 9, 0)
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 2 {
			t.Errorf("%s: %d prompts over July and November, want 2", who, got)
		}
		if got := h.counts("reminder/")[who]; got != 1 {
			t.Errorf("%s: %d reminders, want 1 (November's first; July closed while the bot was down)", who, got)
		}
	}
}

func TestDowntimeAcrossBothRemindersSendsOne(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.restart()
	h.at(2026, time.November, 7, 10, 0) // both reminder times (day 3, day 6) passed
	for _, who := range allMembers {
		if got := h.counts("reminder/")[who]; got != 1 {
			t.Errorf("%s: %d reminders after downtime, want 1", who, got)
		}
	}
	h.at(2026, time.November, 7, 11, 0)
	if got := h.counts("reminder/")["local:gov1"]; got != 1 {
		t.Errorf("reminders after another tick: %d, want still 1", got)
	}
}

func periods(rs []bot.Round) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Period.String())
	}
	return out
}

// crashStore fails the first n calls of MarkSent and MarkSentBatch: the
// process "dies" after the platform accepted the messages and before the
// store recorded them.
type crashStore struct {
	bot.Store
	mu       sync.Mutex
	failSent int
}

var errCrash = errors.New("simulated crash")

func (s *crashStore) crash() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	crash := s.failSent > 0
	if crash {
		s.failSent--
	}
	return crash
}

func (s *crashStore) MarkSent(ctx context.Context, id int64, ref bot.MessageRef, at time.Time) error {
	if s.crash() {
		return errCrash
	}
	return s.Store.MarkSent(ctx, id, ref, at)
}

func (s *crashStore) MarkSentBatch(ctx context.Context, marks []bot.SentMark) ([]int64, error) {
	if s.crash() {
		return nil, errCrash
	}
	return s.Store.MarkSentBatch(ctx, marks)
}

func TestCrashBetweenEnqueueAndSend(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.clock.Set(time.Date(2026, time.November, 1, 8, 0, 0, 0, time.UTC))
	if err := h.eng.Tick(h.ctx); err != nil { // enqueue, then "crash" before Drain
		t.Fatal(err)
	}
	if got := len(h.chat.All()); got != 0 {
		t.Fatalf("sent before drain: %d", got)
	}
	h.restart()
	h.at(2026, time.November, 1, 9, 5)
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 1 {
			t.Errorf("%s: %d prompts, want 1", who, got)
		}
	}
}

func TestCrashBetweenSendAndMarkSent(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	crash := &crashStore{Store: h.db, failSent: 2}
	h.store = crash
	h.restart()
	h.clock.Set(time.Date(2026, time.November, 1, 8, 0, 0, 0, time.UTC))
	if err := h.eng.Tick(h.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := h.eng.Drain(h.ctx); !errors.Is(err, errCrash) {
		t.Fatalf("drain: got %v, want the simulated crash", err)
	}
	// Every prompt is either sent-and-recorded or was delivered with its
	// record lost (state "sending"), or not sent yet.
	h.store = h.db
	h.restart()
	h.at(2026, time.November, 1, 9, 5)
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 1 {
			t.Errorf("%s: %d prompts after the crash and restart, want exactly 1", who, got)
		}
	}
	rs := h.rounds("f1")
	ds, err := h.store.Deliveries(h.ctx, rs[0].ID, bot.KindPrompt)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.State != bot.Sent || d.Ref.IsZero() {
			t.Errorf("%s: state %s ref %q, want sent with a reference", d.To, d.State, d.Ref)
		}
	}
}

func TestSendingStateWithoutDeliveryIsSent(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.clock.Set(time.Date(2026, time.November, 1, 8, 0, 0, 0, time.UTC))
	if err := h.eng.Tick(h.ctx); err != nil {
		t.Fatal(err)
	}
	// Crash after marking "sending" but before the platform got anything.
	due, err := h.store.DueDeliveries(h.ctx, h.clock.Now(), 0, 10)
	if err != nil || len(due) != len(allMembers) {
		t.Fatalf("due: %d, %v", len(due), err)
	}
	for _, d := range due {
		if err := h.store.MarkSending(h.ctx, d.ID); err != nil {
			t.Fatal(err)
		}
	}
	h.restart()
	h.at(2026, time.November, 1, 9, 5)
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 1 {
			t.Errorf("%s: %d prompts, want 1 (none skipped)", who, got)
		}
	}
}

func TestRetriesWithBackoffAndRetryAfter(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	fails := map[bot.Address]int{"local:gov1": 2, "local:cs1": 1}
	var mu sync.Mutex // the sender's workers call Fault at once
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		mu.Lock()
		defer mu.Unlock()
		if fails[out.To] > 0 {
			fails[out.To]--
			if out.To == "local:cs1" {
				return &bot.RateLimitError{Wait: 30 * time.Second, Err: errors.New("429")}
			}
			return errors.New("503 service unavailable")
		}
		return nil
	}
	h.at(2026, time.November, 1, 9, 0)
	if got := h.counts("prompt/"); got["local:gov1"] != 0 || got["local:cs1"] != 0 || got["local:gov2"] != 1 {
		t.Fatalf("after first drain: %v", got)
	}
	h.at(2026, time.November, 1, 9, 0) // same instant: nothing is due yet
	if got := h.counts("prompt/")["local:cs1"]; got != 0 {
		t.Fatalf("cs1 retried before Retry-After")
	}
	h.at(2026, time.November, 1, 9, 1) // after 30 s (Retry-After) and 1 min (backoff)
	h.at(2026, time.November, 1, 9, 3) // after the second backoff (2 min)
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 1 {
			t.Errorf("%s: %d prompts, want 1", who, got)
		}
	}
}

func TestPermanentFailureIsNotRetried(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	tries := 0
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		if out.To == "local:gov3" {
			tries++
			return bot.Errorf(bot.ENOTFOUND, "user not found")
		}
		return nil
	}
	h.at(2026, time.November, 1, 9, 0)
	h.at(2026, time.November, 1, 12, 0)
	if tries != 1 {
		t.Errorf("tries: %d, want 1", tries)
	}
	rs := h.rounds("f1")
	ds, _ := h.store.Deliveries(h.ctx, rs[0].ID, bot.KindPrompt)
	for _, d := range ds {
		if d.To == "local:gov3" && (d.State != bot.Failed || d.LastError == "") {
			t.Errorf("gov3's prompt: state %s, error %q; want failed with the reason", d.State, d.LastError)
		}
	}
}

func TestRemindersOnlyToThoseWhoOwe(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:cs1", "C1", "Limited")   // all of cs1's commitments
	h.answer("local:gov1", "C1", "Complete") // one of two: still owes C2
	h.answer("local:gov2", "C2", "Limited")
	h.answer("local:gov3", "C3", "Substantial")
	h.at(2026, time.November, 4, 9, 0)
	got := h.counts("reminder/")
	want := map[bot.Address]int{"local:gov1": 1, "local:cs2": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reminders on day 3: got %v, want %v", got, want)
	}
	// A coordinator's manual reminder reaches whoever still owes.
	h.answer("local:gov1", "C2", "Limited")
	resp, err := h.person("local:coord").Command(h.ctx, "round remind")
	if err != nil || resp.Error != "" {
		t.Fatalf("round remind: %v %q", err, resp.Error)
	}
	h.at(2026, time.November, 4, 10, 0)
	if got := h.counts("reminder/"); got["local:cs2"] != 2 || got["local:gov1"] != 1 {
		t.Errorf("after manual reminder: %v, want cs2 2, gov1 1", got)
	}
}

func TestAwayMemberIsExcusedAndBackGetsPrompted(t *testing.T) {
	h := newHarness(t, testForum, time.Date(2026, time.October, 20, 9, 0, 0, 0, time.UTC))
	for _, cmd := range []struct{ who, text string }{{"local:cs1", "away 2026-11-30"}, {"local:gov3", "away until 3 Nov"}} {
		resp, err := h.person(cmd.who).Command(h.ctx, cmd.text)
		if err != nil || resp.Error != "" || resp.Reply == nil {
			t.Fatalf("%s %q: %v %q", cmd.who, cmd.text, err, resp.Error)
		}
	}
	h.at(2026, time.November, 1, 9, 0)
	if got := h.counts("prompt/"); got["local:cs1"] != 0 || got["local:gov3"] != 0 {
		t.Fatalf("away members prompted: %v", got)
	}
	// gov3 is back after 3 November: prompted the next morning, reminded.
	h.at(2026, time.November, 4, 9, 0)
	if got := h.counts("prompt/")["local:gov3"]; got != 1 {
		t.Errorf("gov3 prompts after returning: %d, want 1", got)
	}
	if got := h.counts("reminder/"); got["local:cs1"] != 0 {
		t.Errorf("cs1 (away for the whole round) reminded: %v", got)
	}
	// cs1 comes back early and is prompted at once.
	resp, err := h.person("local:cs1").Command(h.ctx, "back")
	if err != nil || resp.Error != "" {
		t.Fatalf("back: %v %q", err, resp.Error)
	}
	h.at(2026, time.November, 4, 9, 30)
	if got := h.counts("prompt/")["local:cs1"]; got != 1 {
		t.Errorf("cs1 prompts after back: %d, want 1", got)
	}
	h.at(2026, time.November, 8, 9, 0)
	d, err := h.eng.DigestData(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if d.Response.Overall.Excused != 0 || d.Response.Overall.Expected != 7 {
		t.Errorf("response after cs1 came back: %+v, want 7 answers expected (one per member and commitment), 0 excused", d.Response.Overall)
	}
}

func TestDuplicateDeliveryOfAnAnswerIsStoredOnce(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	msg := h.latest("local:cs1")
	resp, err := h.person("local:cs1").Press(h.ctx, msg, "C1")
	if err != nil || resp.Form == nil {
		t.Fatalf("press: %v %+v", err, resp)
	}
	ev := bot.Event{
		ID: "evt-1", Kind: bot.EventForm, From: "local:cs1", At: h.clock.Now(), MessageRef: msg.Ref, FormRef: resp.Form.Ref,
		Values: map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"done a bit"}},
	}
	reply := bot.Event{ID: "evt-2", Kind: bot.EventReply, From: "local:cs1", At: h.clock.Now(), MessageRef: msg.Ref, Text: "a note"}
	for range 2 {
		for _, e := range []bot.Event{ev, reply} {
			if r := h.eng.HandleEvent(h.ctx, e); r.Error != "" || r.FieldErrors != nil {
				t.Fatalf("%s: %q %v", e.Kind, r.Error, r.FieldErrors)
			}
		}
	}
	us, err := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1", Member: "local:cs1"})
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 2 || us[0].Version != 1 || us[1].Version != 2 || us[1].Note != "a note" {
		t.Fatalf("stored: %+v, want the form answer and one note, once each", us)
	}
}

func TestEditsAreVersionsAndLateEditsCorrections(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:gov2", "C2", "Limited")
	resp := h.answer("local:gov2", "C2", "Substantial")
	if resp.Edit != nil || resp.FollowUp == nil {
		t.Fatalf("the prompt edit should follow the answer, not delay it: %+v", resp)
	}
	if edit := resp.EditAfter(h.ctx); edit == nil || edit.Ref != h.latest("local:gov2").Ref {
		t.Fatalf("no edit of the prompt: %+v", edit)
	}
	if got := h.latest("local:gov2").Message.Sections[0].Buttons[0].Label; got != "Edit answer" {
		t.Errorf("prompt button after answering: %q, want Edit answer", got)
	}
	h.at(2026, time.November, 8, 9, 0) // close
	resp = h.answer("local:gov2", "C2", "Complete")
	if resp.Reply == nil || resp.Reply.Text == "" {
		t.Fatalf("no confirmation of the correction")
	}
	us, _ := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "f1", Member: "local:gov2"})
	if len(us) != 3 {
		t.Fatalf("versions: %d, want 3", len(us))
	}
	for i, want := range []struct {
		level      bot.Completion
		correction bool
	}{{bot.Limited, false}, {bot.Substantial, false}, {bot.Complete, true}} {
		if us[i].Version != i+1 || us[i].Completion != want.level || us[i].Correction != want.correction {
			t.Errorf("version %d: %+v, want %s correction=%v", i+1, us[i], want.level, want.correction)
		}
	}
	// The digest stored at close keeps what was known then.
	digests := 0
	for _, s := range h.chat.All() {
		if s.Channel {
			digests++
		}
	}
	if digests != 1 {
		t.Errorf("digests: %d, want 1", digests)
	}
}

func TestStoreFailureNeverConfirms(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	h.store = &failingUpdates{Store: h.db}
	h.restart()
	msg := h.latest("local:cs1")
	p := h.person("local:cs1")
	resp, err := p.Answer(h.ctx, msg, "C1", map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Error == "" || resp.Reply != nil || resp.Edit != nil || resp.FollowUp != nil {
		t.Errorf("store down: got %+v, want an error and no confirmation", resp)
	}
	resp, _ = p.Reply(h.ctx, msg.Ref, "note")
	if resp.Error == "" || resp.React || resp.Reply != nil {
		t.Errorf("store down, reply: got %+v, want an error, no reaction and no confirmation", resp)
	}
}

type failingUpdates struct{ bot.Store }

func (failingUpdates) AddUpdate(context.Context, bot.Update) (bot.Update, bool, error) {
	return bot.Update{}, false, errors.New("disk full")
}
