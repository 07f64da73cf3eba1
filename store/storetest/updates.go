package storetest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// testSameEventIDFromTwoMembers: an event id is unique per member. Another
// member's update that carries the same id is stored as theirs, never
// answered with the first member's update.
func testSameEventIDFromTwoMembers(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a", "local:b")
	a := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: "local:a", Group: bot.Government, Organisation: "O",
		Completion: bot.Substantial, Source: bot.SourceForm, SubmittedAt: t0, EventID: "shared-event"}
	first, added, err := db.AddUpdate(ctx, a)
	if err != nil || !added {
		t.Fatalf("a: %+v added=%v %v", first, added, err)
	}
	b := a
	b.Member, b.Group, b.Organisation, b.Completion = "local:b", bot.CivilSociety, "P", bot.Limited
	theirs, added, err := db.AddUpdate(ctx, b)
	if err != nil || !added || theirs.ID == first.ID || theirs.Member != "local:b" || theirs.Completion != bot.Limited || theirs.Version != 1 {
		t.Fatalf("b with a's event id: %+v added=%v %v; want b's own update stored", theirs, added, err)
	}
	for _, u := range []bot.Update{a, b} {
		again, added, err := db.AddUpdate(ctx, u)
		if err != nil || added || again.Member != u.Member || again.Completion != u.Completion {
			t.Errorf("%s's event again: %+v added=%v %v; want their stored update", u.Member, again, added, err)
		}
	}
	if all, _ := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"}); len(all) != 2 {
		t.Errorf("%d updates stored, want 2", len(all))
	}
}

// testEventIDIsTheRounds: a member's event id is unique within a round,
// where every event resolves (a form, a button and a thread reply carry
// their round). The same event again in its round is stored once; the
// same id in the member's next round is that round's answer, stored as
// its first version, never answered with last month's.
func testEventIDIsTheRounds(t *testing.T, h Harness) {
	db := h.open(t)
	nov := mustRound(t, db, "local:a")
	if _, err := db.CloseRound(ctx, nov.ID, t0, bot.Digest{ForumID: "f", Period: nov.Period, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	decAt := t0.AddDate(0, 1, 0)
	dec, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov.Period.Add(1), ScheduledAt: decAt, OpenedAt: decAt, ClosesAt: decAt.AddDate(0, 0, 7)}, nil)
	if err != nil || !created {
		t.Fatalf("OpenRound for December: %v created=%v", err, created)
	}
	u := bot.Update{ForumID: "f", Period: nov.Period, RoundID: nov.ID, CommitmentID: "C1", Member: "local:a", Group: bot.Government, Organisation: "O",
		Completion: bot.Limited, Source: bot.SourceThread, SubmittedAt: t0, EventID: "reused"}
	first, added, err := db.AddUpdate(ctx, u)
	if err != nil || !added {
		t.Fatalf("November: %+v added=%v %v", first, added, err)
	}
	if again, added, err := db.AddUpdate(ctx, u); err != nil || added || again.ID != first.ID {
		t.Fatalf("November's event again: %+v added=%v %v; want November's update, nothing added", again, added, err)
	}
	u.Period, u.RoundID, u.Completion, u.SubmittedAt = dec.Period, dec.ID, bot.Substantial, decAt
	second, added, err := db.AddUpdate(ctx, u)
	if err != nil || !added || second.ID == first.ID || second.RoundID != dec.ID || second.Version != 1 || second.Completion != bot.Substantial {
		t.Fatalf("December with November's event id: %+v added=%v %v; want December's own first version", second, added, err)
	}
	if all, _ := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"}); len(all) != 2 {
		t.Errorf("%d updates stored, want 2", len(all))
	}
}

// testRecentUpdatesAcrossPeriods: a commitment's recent updates are the
// versions stored last, whatever their period: a correction of an earlier
// month stored after this month's answers comes first, and other
// commitments' updates are never among them.
func testRecentUpdatesAcrossPeriods(t *testing.T, h Harness) {
	db := h.open(t)
	sep, oct := bot.Period{Year: 2026, Month: 9}, bot.Period{Year: 2026, Month: 10}
	ids := roundsFor(t, db, sep, oct, nov)
	var stored []string
	add := func(p bot.Period, c string, who bot.Address, note string) {
		t.Helper()
		_, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: p, RoundID: ids[p], CommitmentID: c, Member: who, Group: bot.Government,
			Organisation: "O", Completion: bot.Limited, Note: note, Source: bot.SourceForm, SubmittedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if c == "C1" {
			stored = append(stored, note)
		}
	}
	add(sep, "C1", "local:a", "sep a")
	add(oct, "C1", "local:a", "oct a")
	add(oct, "C2", "local:a", "oct a C2")
	add(nov, "C1", "local:b", "nov b")
	add(nov, "C1", "local:a", "nov a")
	add(sep, "C1", "local:b", "sep b, a correction")
	add(nov, "C2", "local:b", "nov b C2")
	notes := func(us []bot.Update) string {
		var out []string
		for _, u := range us {
			out = append(out, u.Note)
		}
		return strings.Join(out, "; ")
	}
	for n, want := range map[int]string{
		1:  "sep b, a correction",
		3:  "sep b, a correction; nov a; nov b",
		10: "sep b, a correction; nov a; nov b; oct a; sep a",
	} {
		got, err := db.RecentUpdates(ctx, "f", "C1", n)
		if err != nil || notes(got) != want {
			t.Errorf("RecentUpdates of C1, %d: %s %v; want %s (stored: %v)", n, notes(got), err, want, stored)
		}
	}
	if got, err := db.RecentUpdates(ctx, "f", "C9", 3); err != nil || len(got) != 0 {
		t.Errorf("RecentUpdates of a commitment without updates: %+v %v", got, err)
	}
}

func testUpdatesAreVersionedAndAppendOnly(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db, "local:a")
	u := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: "local:a", Group: bot.Government, Organisation: "O",
		Completion: bot.Limited, Progress: "p", Evidence: []string{"https://x.example"}, Needs: []bot.Need{bot.NeedResources},
		MilestonesDone: []string{"M1"}, Source: bot.SourceForm, SubmittedAt: t0, EventID: "e1", Correction: true}
	first, added, err := db.AddUpdate(ctx, u)
	if err != nil || !added || first.Version != 1 || first.ID == 0 {
		t.Fatalf("first: %+v %v %v", first, added, err)
	}
	dup, added, err := db.AddUpdate(ctx, u)
	if err != nil || added || dup.ID != first.ID || !dup.Correction || dup.EventID != "e1" || !dup.SubmittedAt.Equal(t0) {
		t.Fatalf("same event again: %+v added=%v %v", dup, added, err)
	}
	u.EventID, u.Completion, u.Correction = "e2", bot.Substantial, false
	second, _, err := db.AddUpdate(ctx, u)
	if err != nil || second.Version != 2 {
		t.Fatalf("edit: %+v %v", second, err)
	}
	u.EventID, u.CommitmentID = "", "C2"
	if other, _, _ := db.AddUpdate(ctx, u); other.Version != 1 {
		t.Errorf("another commitment starts at version 1: %d", other.Version)
	}
	all, _ := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"})
	if len(all) != 3 || all[0].Evidence[0] != "https://x.example" || all[0].Needs[0] != bot.NeedResources || all[0].MilestonesDone[0] != "M1" || !all[0].Correction || all[1].Correction {
		t.Fatalf("all: %+v", all)
	}
	if mine, _ := db.Updates(ctx, bot.UpdateFilter{ForumID: "f", Member: "local:a", CommitmentID: "C1", RoundID: r.ID, From: nov, To: nov}); len(mine) != 2 {
		t.Errorf("a filtered read: %d versions, want 2", len(mine))
	}
	if recent, _ := db.RecentUpdates(ctx, "f", "C1", 1); len(recent) != 1 || recent[0].Version != 2 {
		t.Errorf("RecentUpdates: %+v, want version 2 alone", recent)
	}
	latest, _ := db.LatestUpdates(ctx, "f", nov)
	if len(latest) != 2 || latest[0].Version != 2 || latest[0].Completion != bot.Substantial {
		t.Fatalf("latest: %+v", latest)
	}
	if latest, _ := db.LatestUpdates(ctx, "f", bot.Period{Year: 2026, Month: 10}); len(latest) != 0 {
		t.Errorf("latest through October: %+v", latest)
	}
	if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: r.ID + 99, CommitmentID: "C1", Member: "local:a",
		Group: bot.Government, Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0}); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("an update of a round that does not exist: %v, want ECONFLICT", err)
	}
	h.refused(t, db, "updates are append-only", "UPDATE updates SET completion = 'Complete'", "DELETE FROM updates", "UPDATE record_chain SET hash = ''", "DELETE FROM record_chain")
}

func testAbsencesAreALog(t *testing.T, h Harness) {
	db := h.open(t)
	now := t0
	var mu sync.Mutex
	h.SetNow(db, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	until := bot.Date{Year: 2026, Month: 12, Day: 15}
	steps := []struct {
		who   bot.Address
		until bot.Date
	}{{"local:a", until}, {"local:b", until}, {"local:b", bot.Date{}}}
	for i, s := range steps {
		mu.Lock()
		now = t0.Add(time.Duration(i) * time.Hour)
		mu.Unlock()
		if err := db.SetAway(ctx, s.who, s.until); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Absences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(steps) {
		t.Fatalf("got %d entries, want %d: %+v", len(got), len(steps), got)
	}
	for i, s := range steps {
		if got[i].Member != s.who || got[i].Until != s.until || !got[i].SetAt.Equal(t0.Add(time.Duration(i)*time.Hour)) {
			t.Errorf("entry %d: got %+v, want %s until %s at +%dh", i, got[i], s.who, s.until, i)
		}
	}
	h.refused(t, db, "the absence log is append-only", "UPDATE absence_log SET until = ''", "DELETE FROM absence_log")
}

// testConcurrentAnswers sends 200 answers at once, with redelivered events
// and one answer to a round that does not exist among them: every good
// answer is stored once with the right version, each redelivery finds the
// stored answer, and only the bad answer fails.
func testConcurrentAnswers(t *testing.T, h Harness) {
	db := h.open(t)
	concurrentAnswers(t, db, db)
	verified(t, db, "after 200 answers at once")
}

// testRefusedAnswersLeaveTheChainWhole stores answers one at a time with
// refused ones between them (a round that does not exist, a repeated
// event): each refusal stores nothing, the good answers are numbered and
// chained in order, and the chain verifies.
func testRefusedAnswersLeaveTheChainWhole(t *testing.T, h Harness) {
	db := h.open(t)
	r := mustRound(t, db)
	answer := func(event string, round int64) (bot.Update, bool, error) {
		return db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: round, CommitmentID: "C1", Member: "local:a",
			Group: bot.Government, Organisation: "O", Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0, EventID: event})
	}
	for i := range 4 {
		u, added, err := answer(fmt.Sprint("e", i), r.ID)
		if err != nil || !added || u.Version != i+1 {
			t.Fatalf("answer %d: version %d added %v %v, want version %d added", i, u.Version, added, err, i+1)
		}
		if _, added, err := answer(fmt.Sprint("bad", i), r.ID+999); bot.ErrorCode(err) != bot.ECONFLICT || added {
			t.Errorf("an answer to a missing round: added %v %v, want a conflict", added, err)
		}
		if again, added, err := answer(fmt.Sprint("e", i), r.ID); err != nil || added || again.ID != u.ID {
			t.Errorf("event e%d again: %+v added %v %v, want the stored answer %d", i, again, added, err, u.ID)
		}
	}
	if head, err := db.ChainHead(ctx, "f"); err != nil || head.Entries != 4 {
		t.Errorf("chain: %+v %v, want 4 entries", head, err)
	}
	verified(t, db, "after refused answers")
}

// verified fails the test unless the record chain verifies.
func verified(t *testing.T, db store.DB, when string) {
	t.Helper()
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 {
		t.Errorf("Verify %s: %+v %v", when, rep, err)
	}
}

// testTwoHandles is testConcurrentAnswers with the answers spread over two
// handles on one database, as two processes: still each stored once,
// numbered 1, 2, … per member, and chained.
func testTwoHandles(t *testing.T, h Harness) {
	db := h.open(t)
	concurrentAnswers(t, db, h.Reopen(t, db))
	verified(t, db, "after writers on two handles")
}

func concurrentAnswers(t *testing.T, db, other store.DB) {
	r := mustRound(t, db)
	type result struct {
		u     bot.Update
		added bool
		err   error
	}
	const n = 200
	results := make([]result, n+20+1)
	var wg sync.WaitGroup
	handle := func(i int) store.DB {
		if i%2 == 1 {
			return other
		}
		return db
	}
	answer := func(i int, s store.DB, member bot.Address, event string, round int64) {
		defer wg.Done()
		u, added, err := s.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: round, CommitmentID: "C1", Member: member,
			Group: bot.Government, Organisation: "O", Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0, EventID: event})
		results[i] = result{u, added, err}
	}
	for i := range n {
		wg.Add(1)
		go answer(i, handle(i), bot.Address(fmt.Sprintf("local:m%d", i%50)), fmt.Sprintf("e%d", i), r.ID)
	}
	for i := range 20 { // redeliveries of events e0..e19, to the other handle
		wg.Add(1)
		go answer(n+i, handle(i+1), bot.Address(fmt.Sprintf("local:m%d", i%50)), fmt.Sprintf("e%d", i), r.ID)
	}
	wg.Add(1)
	go answer(n+20, db, "local:bad", "bad", r.ID+999)
	wg.Wait()

	if err := results[n+20].err; bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("answer to a missing round: %v, want a conflict", err)
	}
	added := 0
	for i, res := range results[:n+20] {
		if res.err != nil {
			t.Fatalf("answer %d: %v", i, res.err)
		}
		if res.added {
			added++
		}
	}
	if added != n {
		t.Errorf("%d answers added, want %d (20 were redeliveries)", added, n)
	}
	all, err := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"})
	if err != nil || len(all) != n {
		t.Fatalf("%d updates stored (%v), want %d", len(all), err, n)
	}
	versions := map[bot.Address][]int{}
	for _, u := range all {
		versions[u.Member] = append(versions[u.Member], u.Version)
	}
	for who, vs := range versions {
		for i, v := range vs {
			if v != i+1 {
				t.Errorf("%s: versions %v, want 1..%d in order", who, vs, len(vs))
				break
			}
		}
	}
	if head, err := db.ChainHead(ctx, "f"); err != nil || head.Entries != n {
		t.Errorf("chain: %+v %v, want %d entries", head, err, n)
	}
	if answers, err := db.PeriodAnswers(ctx, bot.AnswerFilter{ForumID: "f"}, nov); err != nil || len(answers) != 50 {
		t.Errorf("latest answers: %d %v, want one per member (50)", len(answers), err)
	}
}
