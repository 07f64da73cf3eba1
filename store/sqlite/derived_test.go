package sqlite_test

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

// roundsFor opens one round per period of forum f, each with no prompts.
func roundsFor(tb testing.TB, db *sqlite.DB, ps ...bot.Period) map[bot.Period]int64 {
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

func TestMilestonesDoneFollowLatestVersions(t *testing.T) {
	db := MustOpenDB(t)
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
	got, err := db.MilestonesDone(ctx, "f", []string{"C1", "C2", "C3"}, nov)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]bot.Period{"C1": {"M1": nov, "M2": oct}, "C2": {"M1": nov}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("through November: got %v, want %v", got, want)
	}
	got, _ = db.MilestonesDone(ctx, "f", []string{"C1"}, oct)
	if want := map[string]map[string]bot.Period{"C1": {"M2": oct}}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("through October: got %v, want %v", got, want)
	}
	add(oct, "local:b", "C1", "M1") // a late correction for October
	got, _ = db.MilestonesDone(ctx, "f", []string{"C1"}, nov)
	if got["C1"]["M1"] != oct {
		t.Errorf("after October's correction, M1 first done in %s, want %s", got["C1"]["M1"], oct)
	}
}

// TestMilestoneReportsRebuildFromTheRecord stores random updates and edits
// and compares the derived table with what the record says.
func TestMilestoneReportsRebuildFromTheRecord(t *testing.T) {
	db := MustOpenDB(t)
	rng := rand.New(rand.NewPCG(7, 7))
	var periods []bot.Period
	for i := range 6 {
		periods = append(periods, bot.Period{Year: 2026, Month: time.Month(1 + i)})
	}
	ids := roundsFor(t, db, periods...)
	for range 400 {
		p := periods[rng.IntN(len(periods))]
		var done []string
		for m := range 4 {
			if rng.IntN(3) == 0 {
				done = append(done, fmt.Sprintf("M%d", m))
			}
		}
		if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: p, RoundID: ids[p], CommitmentID: fmt.Sprintf("C%d", rng.IntN(3)),
			Member: bot.Address(fmt.Sprintf("local:%d", rng.IntN(5))), Group: bot.Government, Organisation: "O",
			Completion: bot.Limited, MilestonesDone: done, Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	for _, through := range periods {
		got, err := db.MilestonesDone(ctx, "f", []string{"C0", "C1", "C2"}, through)
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

// TestMigrateMilestoneReports opens a database written by schema v2 and
// finds its milestones in the derived table.
func TestMigrateMilestoneReports(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v2.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"migrations/0001_init.sql", "migrations/0002_absence_log.sql"} {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatal(err)
		}
	}
	for _, stmt := range []string{"PRAGMA user_version = 2",
		`INSERT INTO rounds (id, forum_id, period, scheduled_at, opened_at, closes_at, state) VALUES (1, 'f', '2026-11', 'x', 'x', 'x', 'open')`,
		`INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction)
		 VALUES ('f', '2026-11', 1, 'C1', 'local:a', 'government', 'O', 1, 'Limited', '', '', '', '', '[]', '[]', '["M1","M2"]', 'form', 'x', 0),
		        ('f', '2026-11', 1, 'C1', 'local:a', 'government', 'O', 2, 'Limited', '', '', '', '', '[]', '[]', '["M2"]', 'form', 'x', 0)`} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.MilestonesDone(ctx, "f", []string{"C1"}, nov)
	if want := map[string]map[string]bot.Period{"C1": {"M2": nov}}; err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("migrated: %v %v, want %v (the latest version only)", got, err, want)
	}
}

// randomRecord stores n random updates, notes and edits, in any period
// order, in six monthly rounds of forum f.
func randomRecord(tb testing.TB, db *sqlite.DB, n int, seed uint64) []bot.Period {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, seed))
	var periods []bot.Period
	for i := range 6 {
		periods = append(periods, bot.Period{Year: 2026, Month: time.Month(1 + i)})
	}
	ids := roundsFor(tb, db, periods...)
	for range n {
		p := periods[rng.IntN(len(periods))]
		u := bot.Update{ForumID: "f", Period: p, RoundID: ids[p], CommitmentID: fmt.Sprintf("C%d", rng.IntN(3)),
			Member: bot.Address(fmt.Sprintf("local:%d", rng.IntN(5))), Group: bot.Government, Organisation: "O",
			Completion: bot.Completions[rng.IntN(len(bot.Completions))], Source: bot.SourceForm, SubmittedAt: t0}
		if rng.IntN(4) == 0 {
			u.Completion, u.Source, u.Note = bot.NoCompletion, bot.SourceThread, "a note"
		}
		if rng.IntN(3) == 0 {
			u.Blockers = "blocked"
		}
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			tb.Fatal(err)
		}
	}
	return periods
}

// TestDerivedTablesRebuildFromTheRecord compares what the answers and
// standing tables give with what the record says, period by period.
func TestDerivedTablesRebuildFromTheRecord(t *testing.T) {
	db := MustOpenDB(t)
	periods := randomRecord(t, db, 500, 3)
	all := bot.AnswerFilter{ForumID: "f"}
	for _, p := range periods {
		latest, err := db.LatestUpdates(ctx, "f", p)
		if err != nil {
			t.Fatal(err)
		}
		var inP []bot.Update
		standing := map[bot.AnswerKey]bot.Update{}
		for _, u := range latest {
			if u.Period == p {
				inP = append(inP, u)
			}
			if k := (bot.AnswerKey{CommitmentID: u.CommitmentID, Member: u.Member}); u.Answered() && u.Period.Compare(standing[k].Period) >= 0 {
				standing[k] = u
			}
		}
		got, err := db.LatestIn(ctx, all, p)
		if err != nil {
			t.Fatal(err)
		}
		if ids(got) != ids(inP) {
			t.Errorf("%s: LatestIn %s, record %s", p, ids(got), ids(inP))
		}
		gotStanding, err := db.Standing(ctx, all, p)
		if err != nil {
			t.Fatal(err)
		}
		var want []bot.Update
		for _, u := range latest {
			if standing[bot.AnswerKey{CommitmentID: u.CommitmentID, Member: u.Member}].ID == u.ID {
				want = append(want, u)
			}
		}
		if ids(gotStanding) != ids(want) {
			t.Errorf("through %s: Standing %s, record %s", p, ids(gotStanding), ids(want))
		}
		var pairs []bot.AnswerKey
		for k := range standing {
			pairs = append(pairs, k)
		}
		history, err := db.AnswerHistory(ctx, "f", pairs, p)
		if err != nil {
			t.Fatal(err)
		}
		var answered []bot.Update
		for _, u := range latest {
			if u.Answered() {
				answered = append(answered, u)
			}
		}
		if ids(history) != ids(answered) {
			t.Errorf("through %s: AnswerHistory %s, record %s", p, ids(history), ids(answered))
		}
	}
}

// ids lists the update ids of us, sorted, for comparing sets.
func ids(us []bot.Update) string {
	out := make([]int, len(us))
	for i, u := range us {
		out[i] = int(u.ID)
	}
	sort.Ints(out)
	return fmt.Sprint(out)
}

// TestMigrateAnswers opens a database written by schema v3 and finds its
// record in the derived tables.
func TestMigrateAnswers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v3.db")
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	randomRecord(t, db, 200, 5)
	want, err := db.Standing(ctx, bot.AnswerFilter{ForumID: "f"}, bot.Period{Year: 2026, Month: 6})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"DROP TRIGGER updates_answers", "DROP TABLE answers", "DROP TABLE standing", "DROP INDEX outbox_recipient",
		"DROP INDEX updates_member_event", "CREATE UNIQUE INDEX updates_event ON updates (event_id) WHERE event_id IS NOT NULL", "PRAGMA user_version = 3"} {
		if _, err := raw.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db = sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Standing(ctx, bot.AnswerFilter{ForumID: "f"}, bot.Period{Year: 2026, Month: 6})
	if err != nil || ids(got) != ids(want) || len(want) == 0 {
		t.Errorf("after migrating: %s %v, want %s", ids(got), err, ids(want))
	}
}
