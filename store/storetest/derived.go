package storetest

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// keys names milestones written "C1 M1".
func keys(names ...string) []bot.MilestoneKey {
	var out []bot.MilestoneKey
	for _, n := range names {
		c, m, _ := strings.Cut(n, " ")
		out = append(out, bot.MilestoneKey{CommitmentID: c, MilestoneID: m})
	}
	return out
}

// roundsFor opens one round per period of forum f, each with no prompts.
func roundsFor(tb testing.TB, db bot.Store, ps ...bot.Period) map[bot.Period]int64 {
	tb.Helper()
	out := map[bot.Period]int64{}
	for _, p := range ps {
		at := p.First().Time(time.UTC)
		r, _, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: p, ScheduledAt: at, OpenedAt: at, ClosesAt: at.AddDate(0, 0, 7)}, nil)
		if err != nil {
			tb.Fatal(err)
		}
		out[p] = r.ID
	}
	return out
}

func testMilestonesDone(t *testing.T, h Harness) {
	db := h.open(t)
	oct := bot.Period{Year: 2026, Month: 10}
	ids := roundsFor(t, db, oct, nov)
	add := func(p bot.Period, who bot.Address, c string, done ...string) {
		t.Helper()
		if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: p, RoundID: ids[p], CommitmentID: c, Member: who,
			Group: bot.Government, Organisation: "O", Completion: bot.Limited, MilestonesDone: done, Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	add(oct, "local:a", "C1", "M1", "M2")
	add(oct, "local:a", "C1", "M2") // an edit unticks M1
	add(nov, "local:b", "C1", "M1")
	add(nov, "local:a", "C2", "M1")
	got, err := db.MilestonesDone(ctx, "f", keys("C1 M1", "C1 M2", "C2 M1", "C3 M1"), nov)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]bot.Period{"C1": {"M1": nov, "M2": oct}, "C2": {"M1": nov}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("through November: got %v, want %v", got, want)
	}
	got, _ = db.MilestonesDone(ctx, "f", keys("C1 M1", "C1 M2"), oct)
	if want := map[string]map[string]bot.Period{"C1": {"M2": oct}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("through October: got %v, want %v", got, want)
	}
	add(oct, "local:b", "C1", "M1") // a late correction for October
	got, _ = db.MilestonesDone(ctx, "f", keys("C1 M1", "C1 M2"), nov)
	if got["C1"]["M1"] != oct {
		t.Errorf("after October's correction, M1 first done in %s, want %s", got["C1"]["M1"], oct)
	}
}

// testMilestoneReportsRebuild stores random updates and edits
// and compares the derived table with what the record says.
func testMilestoneReportsRebuild(t *testing.T, h Harness) {
	db := h.open(t)
	periods, _ := RandomMilestones(t, db, 400, 7, 3)
	for _, through := range periods {
		got, err := db.MilestonesDone(ctx, "f", keys("C0 M0", "C0 M1", "C0 M2", "C0 M3", "C1 M0", "C1 M1", "C1 M2", "C1 M3", "C2 M0", "C2 M1", "C2 M2", "C2 M3"), through)
		if err != nil {
			t.Fatal(err)
		}
		latest, err := db.LatestUpdates(ctx, "f", through)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]bot.Period{}
		for _, u := range latest {
			for _, m := range u.MilestonesDone {
				if want[u.CommitmentID] == nil {
					want[u.CommitmentID] = map[string]bot.Period{}
				}
				if first, ok := want[u.CommitmentID][m]; !ok || u.Period.Compare(first) < 0 {
					want[u.CommitmentID][m] = u.Period
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("through %s: table %v, record %v", through, got, want)
		}
	}
}

// SixRounds opens a round of forum f for each month of 2026's first half
// and returns the periods and the rounds' ids.
func SixRounds(tb testing.TB, db bot.Store) ([]bot.Period, map[bot.Period]int64) {
	tb.Helper()
	var periods []bot.Period
	for i := range 6 {
		periods = append(periods, bot.Period{Year: 2026, Month: time.Month(1 + i)})
	}
	return periods, roundsFor(tb, db, periods...)
}

// RandomMilestones stores n random answers and corrections, in any
// period order, in six monthly rounds of forum f: five members, three
// commitments (C0 to C2), each answer marking each of four milestones (M0
// to M3) done one time in oneIn. It returns the periods and the rounds'
// ids.
func RandomMilestones(tb testing.TB, db bot.Store, n int, seed uint64, oneIn int) ([]bot.Period, map[bot.Period]int64) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	periods, ids := SixRounds(tb, db)
	for range n {
		p := periods[rng.IntN(len(periods))]
		var done []string
		for m := range 4 {
			if rng.IntN(oneIn) == 0 {
				done = append(done, fmt.Sprintf("M%d", m))
			}
		}
		if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: p, RoundID: ids[p], CommitmentID: fmt.Sprintf("C%d", rng.IntN(3)),
			Member: bot.Address(fmt.Sprintf("local:%d", rng.IntN(5))), Group: bot.Government, Organisation: "O",
			Completion: bot.Limited, MilestonesDone: done, Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
			tb.Fatal(err)
		}
	}
	return periods, ids
}

// RandomRecord stores n random updates, notes and edits, in any period
// order, in six monthly rounds of forum f.
func RandomRecord(tb testing.TB, db bot.Store, n int, seed uint64) []bot.Period {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	periods, ids := SixRounds(tb, db)
	for range n {
		if _, _, err := db.AddUpdate(ctx, randomUpdate(rng, periods, ids)); err != nil {
			tb.Fatal(err)
		}
	}
	return periods
}

// randomUpdate is an update, a note or an edit of one of five members
// about one of three commitments (C0 to C2), in one of periods, with a
// blocker and needs one time in three.
func randomUpdate(rng *rand.Rand, periods []bot.Period, ids map[bot.Period]int64) bot.Update {
	p := periods[rng.IntN(len(periods))]
	u := bot.Update{ForumID: "f", Period: p, RoundID: ids[p], CommitmentID: fmt.Sprintf("C%d", rng.IntN(3)),
		Member: bot.Address(fmt.Sprintf("local:%d", rng.IntN(5))), Group: bot.Government, Organisation: "O",
		Completion: bot.Completions[rng.IntN(len(bot.Completions))], Source: bot.SourceForm, SubmittedAt: t0}
	if rng.IntN(4) == 0 {
		u.Completion, u.Source, u.Note = bot.NoCompletion, bot.SourceThread, "a note"
	}
	if rng.IntN(3) == 0 {
		u.Blockers = []string{"blocked", "still blocked"}[rng.IntN(2)]
	}
	if rng.IntN(3) == 0 {
		u.Needs = []bot.Need{bot.Needs[rng.IntN(2)]}
		if rng.IntN(3) == 0 {
			u.Needs = bot.Needs
		}
	}
	return u
}

// testFlagsFollowEveryUpdate stores random updates one at a time, in any
// period order, and after each compares the open flags of the member and
// commitment it was about with what the record says: every way a version
// changes a standing (a later period, the same period, an earlier one, a
// note in place of a level) is checked as it happens, not only in the
// record's last state.
func testFlagsFollowEveryUpdate(t *testing.T, h Harness) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			db := h.open(t)
			rng := rand.New(rand.NewPCG(seed, 100+seed))
			periods, ids := SixRounds(t, db)
			last := periods[len(periods)-1]
			for i := range 300 {
				u := randomUpdate(rng, periods, ids)
				if _, _, err := db.AddUpdate(ctx, u); err != nil {
					t.Fatal(err)
				}
				flags, err := db.OpenFlags(ctx, bot.AnswerFilter{ForumID: "f", Commitments: []string{u.CommitmentID}, Member: u.Member})
				if err != nil {
					t.Fatal(err)
				}
				latest, err := db.LatestUpdates(ctx, "f", last)
				if err != nil {
					t.Fatal(err)
				}
				var mine []bot.Update
				for _, l := range latest {
					if l.CommitmentID == u.CommitmentID && l.Member == u.Member {
						mine = append(mine, l)
					}
				}
				if g, w := flagsString(flags), flagsString(bot.Summarise(mine, last).Flags); g != w {
					t.Fatalf("after update %d (%s %s %s %q, blockers %q, needs %v): OpenFlags\n%s\nrecord\n%s",
						i, u.Period, u.CommitmentID, u.Member, u.Completion, u.Blockers, u.Needs, g, w)
				}
			}
		})
	}
}

// testDerivedTablesRebuild compares what the answers,
// level_counts and standing tables give with what the record says, as
// bot.Summarise reads it from every latest version.
func testDerivedTablesRebuild(t *testing.T, h Harness) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			db := h.open(t)
			periods := RandomRecord(t, db, 500, seed)
			commitments := []string{"C0", "C1", "C2"}
			all := bot.AnswerFilter{ForumID: "f"}
			for _, p := range periods {
				latest, err := db.LatestUpdates(ctx, "f", p)
				if err != nil {
					t.Fatal(err)
				}
				want := bot.Summarise(latest, p)
				got, err := db.PeriodAnswers(ctx, all, p)
				if err != nil || ids(got) != ids(want.Current) {
					t.Errorf("%s: PeriodAnswers %s %v, record %s", p, ids(got), err, ids(want.Current))
				}
				for i, u := range got {
					if w := want.Current[i]; u.Completion != w.Completion || u.Progress != w.Progress || u.Note != w.Note || u.Group != w.Group || u.Version != w.Version {
						t.Errorf("%s: PeriodAnswers row %d %+v, record %+v", p, i, u, w)
					}
				}
				standing, err := db.Standing(ctx, all, p)
				if err != nil || ids(standing) != ids(LatestAnswers(latest)) {
					t.Errorf("through %s: Standing %s %v, record %s", p, ids(standing), err, ids(LatestAnswers(latest)))
				}
				levels, err := db.LastLevels(ctx, all, p)
				if err != nil || levelsString(levels) != levelsString(LatestAnswers(latest)) {
					t.Errorf("through %s: LastLevels %s %v, record %s", p, levelsString(levels), err, levelsString(LatestAnswers(latest)))
				}
				counts, err := db.LevelCounts(ctx, "f", commitments, p)
				if err != nil {
					t.Fatal(err)
				}
				if g, w := countsString(counts), countsString(neededCounts(want.Counts, p)); g != w {
					t.Errorf("through %s: LevelCounts\n%s\nrecord\n%s", p, g, w)
				}
			}
			last := periods[len(periods)-1]
			latest, _ := db.LatestUpdates(ctx, "f", last)
			flags, err := db.OpenFlags(ctx, all)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := flagsString(flags), flagsString(bot.Summarise(latest, last).Flags); g != w {
				t.Errorf("OpenFlags\n%s\nrecord\n%s", g, w)
			}
			CheckRecentUpdates(t, db, "f", commitments)
		})
	}
}

// CheckRecentUpdates compares each commitment's RecentUpdates with its
// versions in the record, the last stored first, for counts from one to
// more than any store keeps aside.
func CheckRecentUpdates(t *testing.T, db bot.Store, forumID string, commitments []string) {
	t.Helper()
	record, err := db.Updates(ctx, bot.UpdateFilter{ForumID: forumID})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commitments {
		var want []bot.Update
		for _, u := range slices.Backward(record) {
			if u.CommitmentID == c {
				want = append(want, u)
			}
		}
		if len(want) < 30 {
			t.Fatalf("%s has %d versions in the record: too few to compare its last 25", c, len(want))
		}
		for _, n := range []int{1, 3, 9, 10, 11, 25} {
			got, err := db.RecentUpdates(ctx, forumID, c, n)
			if err != nil || inOrder(got) != inOrder(want[:n]) {
				t.Errorf("RecentUpdates of %s, %d: %s %v; record %s", c, n, inOrder(got), err, inOrder(want[:n]))
			}
		}
	}
}

// LatestAnswers keeps each member's latest answer with a level per
// commitment.
func LatestAnswers(latest []bot.Update) []bot.Update {
	type key struct {
		c string
		m bot.Address
	}
	best := map[key]bot.Update{}
	for _, u := range latest {
		if k := (key{u.CommitmentID, u.Member}); u.Answered() && u.Period.Compare(best[k].Period) >= 0 {
			best[k] = u
		}
	}
	var out []bot.Update
	for _, u := range best {
		out = append(out, u)
	}
	return out
}

// neededCounts keeps the counts LevelCounts returns: of p, of the period
// before, and of each group's latest period up to p.
func neededCounts(all []bot.LevelCount, p bot.Period) []bot.LevelCount {
	type key struct {
		c string
		g bot.Group
	}
	latest := map[key]bot.Period{}
	for _, lc := range all {
		if k := (key{lc.CommitmentID, lc.Group}); lc.Period.Compare(p) <= 0 && lc.Period.Compare(latest[k]) > 0 {
			latest[k] = lc.Period
		}
	}
	var out []bot.LevelCount
	for _, lc := range all {
		if lc.Period == p || lc.Period == p.Prev() || lc.Period == latest[key{lc.CommitmentID, lc.Group}] {
			out = append(out, lc)
		}
	}
	return out
}

func countsString(cs []bot.LevelCount) string {
	lines := make([]string, len(cs))
	for i, lc := range cs {
		lines[i] = fmt.Sprintf("%s %s %s %s %d", lc.Period, lc.CommitmentID, lc.Group, lc.Completion, lc.N)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func flagsString(fs []bot.OpenFlag) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = fmt.Sprintf("%s %s %q since %s needs %v since %v", f.CommitmentID, f.Member, f.Blockers, f.BlockersSince, f.Needs, f.NeedsSince)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// levelsString lists each update's commitment, member, period and level,
// sorted.
func levelsString(us []bot.Update) string {
	lines := make([]string, len(us))
	for i, u := range us {
		lines[i] = fmt.Sprintf("%s %s %s %s", u.CommitmentID, u.Member, u.Period, u.Completion)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// inOrder lists the update ids of us in their order.
func inOrder(us []bot.Update) string {
	out := make([]int64, len(us))
	for i, u := range us {
		out[i] = u.ID
	}
	return fmt.Sprint(out)
}

// ids lists the update ids of us, sorted, for comparing sets.
func ids(us []bot.Update) string {
	return inOrder(slices.SortedFunc(slices.Values(us), func(a, b bot.Update) int { return cmp.Compare(a.ID, b.ID) }))
}
