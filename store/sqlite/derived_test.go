package sqlite_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/storetest"
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
	db := openMigrated(t, path)
	got, err := db.MilestonesDone(ctx, "f", keys("C1 M1", "C1 M2"), nov)
	if want := map[string]map[string]bot.Period{"C1": {"M2": nov}}; err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("migrated: %v %v, want %v (the latest version only)", got, err, want)
	}
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

// ids lists the update ids of us, sorted, for comparing sets.
func ids(us []bot.Update) string {
	out := make([]int, len(us))
	for i, u := range us {
		out[i] = int(u.ID)
	}
	sort.Ints(out)
	return fmt.Sprint(out)
}

// TestMigrateAnswers writes a record into a database of schema v3 (the
// migrations up to 0003 applied by hand, rows inserted as SQL), opens it,
// and finds in the derived tables what a database that stored the same
// record through the store has.
func TestMigrateAnswers(t *testing.T) {
	fresh := MustOpenDB(t)
	periods := storetest.RandomRecord(t, fresh, 300, 5)
	us, err := fresh.Updates(ctx, bot.UpdateFilter{ForumID: "f"})
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := fresh.Rounds(ctx, "f")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "v3.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"migrations/0001_init.sql", "migrations/0002_absence_log.sql", "migrations/0003_milestone_reports.sql"} {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if _, err := raw.Exec("PRAGMA user_version = 3"); err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		if _, err := raw.Exec(`INSERT INTO rounds (id, forum_id, period, scheduled_at, opened_at, closes_at, state) VALUES (?, ?, ?, 'x', 'x', 'x', 'open')`,
			r.ID, r.ForumID, r.Period.String()); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range us {
		if _, err := raw.Exec(`INSERT INTO updates (id, forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion,
			progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-11-01T01:00:00.000000000Z', 0)`,
			u.ID, u.ForumID, u.Period.String(), u.RoundID, u.CommitmentID, string(u.Member), string(u.Group), u.Organisation, u.Version,
			string(u.Completion), u.Progress, u.Blockers, u.NextSteps, u.Note, jsonOf(u.Evidence), jsonOf(u.Needs), jsonOf(u.MilestonesDone), string(u.Source)); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	migrated := openMigrated(t, path)
	all := bot.AnswerFilter{ForumID: "f"}
	last := periods[len(periods)-1]
	for name, read := range map[string]func(*sqlite.DB) (string, error){
		"standing": func(db *sqlite.DB) (string, error) { us, err := db.Standing(ctx, all, last); return ids(us), err },
		"answers":  func(db *sqlite.DB) (string, error) { us, err := db.PeriodAnswers(ctx, all, last); return ids(us), err },
		"counts": func(db *sqlite.DB) (string, error) {
			cs, err := db.LevelCounts(ctx, "f", []string{"C0", "C1", "C2"}, last)
			return countsString(cs), err
		},
		"flags": func(db *sqlite.DB) (string, error) { fs, err := db.OpenFlags(ctx, all); return flagsString(fs), err },
	} {
		want, err1 := read(fresh)
		got, err2 := read(migrated)
		if err1 != nil || err2 != nil || got != want || want == "" || want == "[]" {
			t.Errorf("%s after migrating: %s (%v), want %s (%v)", name, got, err2, want, err1)
		}
	}
}

func jsonOf[T any](xs []T) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// standingV14 are the standing's columns before v15 added the answer
// before: what a database taken back to v14 or earlier still has.
const standingV14 = "forum_id, commitment_id, member, period, update_id, grp, organisation, blockers, blockers_since, needs, needs_since"

// tableDump lists every row of the record's tables and of the tables
// derived from it, sorted, for comparing a database before and after a
// migration; of the standing, the columns every version has.
func tableDump(tb testing.TB, path string) string {
	tb.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	var out []string
	for _, table := range []string{"updates", "answers", "level_counts", "standing", "milestone_reports", "record_chain"} {
		columns := "*"
		if table == "standing" {
			columns = standingV14
		}
		rows, err := raw.Query("SELECT " + columns + " FROM " + table)
		if err != nil {
			tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			values := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				tb.Fatal(err)
			}
			out = append(out, table+fmt.Sprint(values))
		}
		if err := rows.Close(); err != nil {
			tb.Fatal(err)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// schemaOf returns the SQL SQLite keeps for a table or an index.
func schemaOf(tb testing.TB, path, name string) string {
	tb.Helper()
	return queryIn[string](tb, path, "SELECT sql FROM sqlite_schema WHERE name = ?", name)
}

// openMigrated opens the database at path, migrating it to this build's
// schema, and closes it when the test ends.
func openMigrated(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := openMode(tb, path, sqlite.Create)
	if err != nil {
		tb.Fatal(err)
	}
	return db
}

// present lists which of the named tables, indexes, views and triggers
// the database at path has, or "" if none.
func present(tb testing.TB, path string, names ...string) string {
	tb.Helper()
	return queryIn[string](tb, path, `SELECT COALESCE(group_concat(name, ', '), '') FROM sqlite_schema
		WHERE name IN (SELECT value FROM json_each(?))`, jsonOf(names))
}

// execIn runs queries, in order, on the database at path, outside the
// store: to take a database back to an earlier schema, or to write rows
// as an earlier version did.
func execIn(tb testing.TB, path string, queries ...string) {
	tb.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	for _, q := range queries {
		if _, err := raw.Exec(q); err != nil {
			tb.Fatalf("%.60s: %v", q, err)
		}
	}
}

// queryIn reads the one value a query returns from the database at path.
func queryIn[T any](tb testing.TB, path, query string, args ...any) T {
	tb.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer raw.Close()
	var v T
	if err := raw.QueryRow(query, args...).Scan(&v); err != nil {
		tb.Fatalf("%s %v: %v", query, args, err)
	}
	return v
}

// TestMigrateToRoundFirstKeys takes a record written by the store back to
// schema v11 (the keys by member and by commitment), opens it, and finds
// every row of the record and of the derived tables as it was, under the
// keys of v12, the chain intact; the answers stored after the migration
// keep the derived tables equal to what the record says.
func TestMigrateToRoundFirstKeys(t *testing.T) {
	db := MustOpenDB(t)
	periods := storetest.RandomRecord(t, db, 300, 9)
	r, err := db.Round(ctx, "f", periods[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "local:1", Group: bot.Government,
		Organisation: "O", Completion: bot.Limited, MilestonesDone: []string{"M1"}, Source: bot.SourceForm, SubmittedAt: t0, EventID: "ev"}); err != nil {
		t.Fatal(err)
	}
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before := tableDump(t, path)

	execIn(t, path, undoRoundFirstKeys(t)...)
	if s := schemaOf(t, path, "updates"); !strings.Contains(s, "UNIQUE (member, round_id, commitment_id, version)") {
		t.Fatalf("the database taken back to v11 has updates\n%s", s)
	}
	if got := tableDump(t, path); got != before {
		t.Fatalf("taking the database back to v11 changed its rows:\n%s\nwant\n%s", got, before)
	}

	migrated := openMigrated(t, path)
	for name, want := range map[string]string{
		"updates":                  "UNIQUE (round_id, member, commitment_id, version)",
		"answers":                  "PRIMARY KEY (forum_id, period, commitment_id, member)",
		"standing":                 "before_needs_since",
		"updates_member_event":     "(round_id, member, event_id)",
		"milestone_reports_update": "(round_id, member, commitment_id)",
	} {
		if s := schemaOf(t, path, name); !strings.Contains(s, want) {
			t.Errorf("migrated %s:\n%s\nwant %q", name, s, want)
		}
	}
	if got := tableDump(t, path); got != before {
		t.Fatalf("the migration changed the record's rows:\n%s\nwant\n%s", got, before)
	}
	rep, err := migrated.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 {
		t.Fatalf("Verify after the migration: %+v %v", rep, err)
	}

	// The same event again is found; an edit (the standing read again from
	// answers) and a later answer keep the derived tables the record's.
	if _, added, err := migrated.AddUpdate(ctx, bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "local:1",
		Group: bot.Government, Organisation: "O", Completion: bot.Complete, Source: bot.SourceForm, SubmittedAt: t0, EventID: "ev"}); err != nil || added {
		t.Fatalf("the event stored before the migration, again: added=%v %v", added, err)
	}
	last := periods[len(periods)-1]
	lr, err := migrated.Round(ctx, "f", last)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []bot.Update{
		{CommitmentID: "C0", Member: "local:0", Completion: bot.Substantial, Blockers: "blocked"},
		{CommitmentID: "C0", Member: "local:0", Completion: bot.Limited, Blockers: "still blocked", Needs: []bot.Need{bot.NeedResources}},
		{CommitmentID: "C2", Member: "local:9", Completion: bot.Complete},
	} {
		u.ForumID, u.Period, u.RoundID, u.Group, u.Organisation, u.Source, u.SubmittedAt = "f", last, lr.ID, bot.Government, "O", bot.SourceForm, t0
		if _, _, err := migrated.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	all := bot.AnswerFilter{ForumID: "f"}
	latest, err := migrated.LatestUpdates(ctx, "f", last)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Summarise(latest, last)
	if got, err := migrated.PeriodAnswers(ctx, all, last); err != nil || ids(got) != ids(want.Current) {
		t.Errorf("PeriodAnswers after the migration: %s %v, record %s", ids(got), err, ids(want.Current))
	}
	flags, err := migrated.OpenFlags(ctx, all)
	if err != nil || flagsString(flags) != flagsString(want.Flags) {
		t.Errorf("OpenFlags after the migration:\n%s %v\nrecord\n%s", flagsString(flags), err, flagsString(want.Flags))
	}
	if rep, err := migrated.Verify(ctx); err != nil || len(rep.Breaks) != 0 {
		t.Errorf("Verify after answers stored on v12: %+v %v", rep, err)
	}
}

// milestonesFirst lists the milestones_first table of the database at
// path, one "commitment milestone period" a line.
func milestonesFirst(tb testing.TB, path string) string {
	tb.Helper()
	return queryIn[string](tb, path, `SELECT COALESCE(group_concat(commitment_id || ' ' || milestone_id || ' ' || period, char(10)), '')
		FROM (SELECT * FROM milestones_first ORDER BY forum_id, commitment_id, milestone_id)`)
}

// TestMigrateToMilestonesFirst takes a record of random answers and
// corrections, with the milestones each marks done, back to schema v13
// (no table of first reports) and opens it: the migration fills the table
// with what the store kept while storing them, and the trigger keeps it
// from then on.
func TestMigrateToMilestonesFirst(t *testing.T) {
	db := MustOpenDB(t)
	periods, rounds := storetest.RandomMilestones(t, db, 300, 3, 6)
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	kept := milestonesFirst(t, path)
	if n := strings.Count(kept, "\n") + 1; n < 12 || !strings.Contains(kept, "2026-02") {
		t.Fatalf("the record marks too few milestones done to test the migration (%d):\n%s", n, kept)
	}

	execIn(t, path, undoMilestonesFirst(t)...)
	if left := present(t, path, "milestones_first"); left != "" {
		t.Fatalf("the database taken back to v13 still has %s", left)
	}

	migrated := openMigrated(t, path)
	if got := milestonesFirst(t, path); got != kept {
		t.Fatalf("migrated:\n%s\nthe store kept:\n%s", got, kept)
	}
	if _, _, err := migrated.AddUpdate(ctx, bot.Update{ForumID: "f", Period: periods[3], RoundID: rounds[periods[3]], CommitmentID: "C9",
		Member: "local:1", Group: bot.Government, Organisation: "O", Completion: bot.Limited, MilestonesDone: []string{"M9"},
		Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := migrated.MilestonesDone(ctx, "f", keys("C9 M9"), periods[5])
	if want := map[string]map[string]bot.Period{"C9": {"M9": periods[3]}}; err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("a milestone reported after the migration: %v %v, want %v", got, err, want)
	}
}

// TestMigrateToStandingBefore takes a record of random answers, notes and
// edits back to schema v14 (the standing without the answer before, the
// index of a member's answers across periods back) and opens it: the
// migration fills the answer before with what the store kept while
// storing them, and answers stored after it keep the standing the
// record's.
func TestMigrateToStandingBefore(t *testing.T) {
	db := MustOpenDB(t)
	periods := storetest.RandomRecord(t, db, 400, 13)
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	kept := standingDump(t, path)
	if n := queryIn[int](t, path, "SELECT count(*) FROM standing WHERE before_period <> '' AND (before_blockers <> '' OR before_needs <> '[]')"); n < 5 {
		t.Fatalf("only %d standings have an answer before with a flag: too few to test the migration\n%s", n, kept)
	}

	execIn(t, path, undoStandingBefore(t)...)
	if s := schemaOf(t, path, "standing"); strings.Contains(s, "before_") {
		t.Fatalf("the database taken back to v14 has\n%s", s)
	}

	migrated := openMigrated(t, path)
	if got := standingDump(t, path); got != kept {
		t.Fatalf("migrated:\n%s\nthe store kept:\n%s", got, kept)
	}
	if left := present(t, path, "answers_member", "standing_of"); left != "" {
		t.Errorf("the migrated database still has %s", left)
	}

	// A version in the last period for every member and commitment, with
	// a blocker and a need: where the standing is of that period it is
	// worked out again from the migrated answer before, elsewhere it moves
	// there.
	last := periods[len(periods)-1]
	r, err := migrated.Round(ctx, "f", last)
	if err != nil {
		t.Fatal(err)
	}
	for c := range 3 {
		for m := range 5 {
			if _, _, err := migrated.AddUpdate(ctx, bot.Update{ForumID: "f", Period: last, RoundID: r.ID, CommitmentID: fmt.Sprint("C", c),
				Member: bot.Address(fmt.Sprint("local:", m)), Group: bot.Government, Organisation: "O", Completion: bot.Substantial,
				Blockers: "blocked", Needs: []bot.Need{bot.Needs[0]}, Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
	}
	latest, err := migrated.LatestUpdates(ctx, "f", last)
	if err != nil {
		t.Fatal(err)
	}
	all := bot.AnswerFilter{ForumID: "f"}
	flags, err := migrated.OpenFlags(ctx, all)
	if want := bot.Summarise(latest, last).Flags; err != nil || flagsString(flags) != flagsString(want) {
		t.Errorf("OpenFlags after the migration:\n%s %v\nrecord\n%s", flagsString(flags), err, flagsString(want))
	}
	for _, p := range periods {
		through, err := migrated.LatestUpdates(ctx, "f", p)
		if err != nil {
			t.Fatal(err)
		}
		standing, err := migrated.Standing(ctx, all, p)
		if want := storetest.LatestAnswers(through); err != nil || ids(standing) != ids(want) {
			t.Errorf("Standing through %s after the migration: %s %v, record %s", p, ids(standing), err, ids(want))
		}
	}
}

// TestMigrateToRecentUpdates takes a record of random answers back to
// schema v15 (the index of every version by commitment back, no table of
// the last versions) and opens it: the migration keeps each commitment's
// last ten versions, and the versions stored after it keep them the
// record's.
func TestMigrateToRecentUpdates(t *testing.T) {
	db := MustOpenDB(t)
	periods := storetest.RandomRecord(t, db, 400, 14)
	path := db.Path
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	kept := recentDump(t, path)
	if n := queryIn[int](t, path, "SELECT count(*) FROM recent_updates"); n != 30 {
		t.Fatalf("recent_updates holds %d rows for 3 commitments, want ten each\n%s", n, kept)
	}

	execIn(t, path, undoRecentUpdates()...)
	if left := present(t, path, "recent_updates", "updates_recent"); left != "" {
		t.Fatalf("the database taken back to v15 still has %s", left)
	}

	migrated := openMigrated(t, path)
	if got := recentDump(t, path); got != kept {
		t.Fatalf("migrated:\n%s\nthe store kept:\n%s", got, kept)
	}
	if left := present(t, path, "updates_commitment"); left != "" {
		t.Errorf("the migrated database still has %s", left)
	}
	last := periods[len(periods)-1]
	r, err := migrated.Round(ctx, "f", last)
	if err != nil {
		t.Fatal(err)
	}
	for m := range 4 {
		if _, _, err := migrated.AddUpdate(ctx, bot.Update{ForumID: "f", Period: last, RoundID: r.ID, CommitmentID: "C1",
			Member: bot.Address(fmt.Sprint("local:", m)), Group: bot.Government, Organisation: "O", Completion: bot.Substantial,
			Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	storetest.CheckRecentUpdates(t, migrated, "f", []string{"C0", "C1", "C2"})
}

// recentDump lists recent_updates of the database at path, one row a
// line.
func recentDump(tb testing.TB, path string) string {
	tb.Helper()
	return queryIn[string](tb, path, `SELECT COALESCE(group_concat(concat_ws(' ', forum_id, commitment_id, id), char(10)), '')
		FROM (SELECT * FROM recent_updates ORDER BY forum_id, commitment_id, id)`)
}

// standingDump lists the standing of the database at path, the answer
// before included, one row a line.
func standingDump(tb testing.TB, path string) string {
	tb.Helper()
	return queryIn[string](tb, path, `SELECT COALESCE(group_concat(concat_ws(' ', forum_id, commitment_id, member, period, update_id, grp, organisation,
			blockers, blockers_since, needs, needs_since, before_period, before_blockers, before_blockers_since, before_needs, before_needs_since), char(10)), '')
		FROM (SELECT * FROM standing ORDER BY forum_id, commitment_id, member)`)
}
