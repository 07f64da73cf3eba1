package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/postgres"
	"forumbot/store/postgres/pgtest"
)

// TestMigrateToRoundFirstKeys takes a database holding versions and
// milestone reports back to schema v12 (the update's key and the reports'
// index member first) and opens it: the keys start with the round, the
// record and its chain stay intact, and the next version of an update is
// numbered on the new key.
func TestMigrateToRoundFirstKeys(t *testing.T) {
	ctx := context.Background()
	old, r := openWithRound(t)
	t0 := r.OpenedAt
	u := bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "local:a", Group: bot.Government,
		Completion: bot.Limited, MilestonesDone: []string{"M1"}, Source: bot.SourceForm, SubmittedAt: t0}
	for range 2 {
		if _, _, err := old.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := old.Pool().Exec(ctx, postgres.UndoRoundFirstKeys); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db := openAt(t, old.URL)
	for name, want := range map[string]string{
		"updates_round_member":     "(round_id, member, commitment_id, version)",
		"milestone_reports_update": "(round_id, member, commitment_id)",
	} {
		var def string
		if err := db.Pool().QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE indexname = $1`, name).Scan(&def); err != nil || !strings.HasSuffix(def, want) {
			t.Errorf("index %s after the migration: %q %v, want it on %s", name, def, err, want)
		}
	}
	got, added, err := db.AddUpdate(ctx, u)
	if err != nil || !added || got.Version != 3 {
		t.Fatalf("a third version after the migration: %+v %v %v, want version 3", got, added, err)
	}
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != 3 {
		t.Fatalf("Verify after the migration: %+v %v, want forum f intact with 3 entries", rep, err)
	}
}

// openWithRound opens a store on a new database and opens forum f's
// round of November 2026 in it.
func openWithRound(t *testing.T) (*postgres.DB, bot.Round) {
	t.Helper()
	t0 := time.Date(2026, time.November, 1, 1, 0, 0, 0, time.UTC)
	db := openAt(t, pgtest.URL(t))
	r, _, err := db.OpenRound(context.Background(), bot.Round{ForumID: "f", Period: bot.Period{Year: 2026, Month: time.November},
		ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return db, r
}

// TestMigrateToQuestions takes a database at schema v8 holding a record
// (v9's tables gone, the version one back) and opens it: the migration
// adds the questions' tables with their guards, TRUNCATE included, and
// the record and its chain stay intact.
func TestMigrateToQuestions(t *testing.T) {
	ctx := context.Background()
	old, r := openWithRound(t)
	t0 := r.OpenedAt
	if _, _, err := old.AddUpdate(ctx, bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: "local:a",
		Group: bot.Government, Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Pool().Exec(ctx, postgres.UndoRoundFirstKeys+`; CREATE UNIQUE INDEX record_chain_row ON record_chain (tbl, row_id);
		DROP INDEX updates_member_event; CREATE UNIQUE INDEX updates_member_event ON updates (member, event_id) WHERE event_id IS NOT NULL;
		DROP INDEX answers_commitment_period; DROP TABLE question_contacts, question_events, questions; UPDATE forumbot_schema SET version = 8`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	db := openAt(t, old.URL)
	var version int
	if err := db.Pool().QueryRow(ctx, `SELECT version FROM forumbot_schema`).Scan(&version); err != nil || version != postgres.SchemaVersion() || version != 13 {
		t.Fatalf("schema version %d %v, want 13", version, err)
	}
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != 1 {
		t.Fatalf("Verify after the migration: %+v %v, want forum f intact with 1 entry", rep, err)
	}
	q, err := db.AddQuestion(ctx, bot.Question{ForumID: "f", AskedOn: "C1", Text: "why?", AskedAt: t0, DueAt: t0.Add(time.Hour)}, "a@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if got, added, err := db.AddQuestionEvent(ctx, bot.QuestionEvent{QuestionID: q.ID, Kind: bot.QuestionApproved, At: t0, By: "local:c"}); err != nil || !added || got.State() != bot.QuestionOpen {
		t.Fatalf("a question's event after the migration: %+v %v %v", got, added, err)
	}
	for _, stmt := range []string{"TRUNCATE questions CASCADE", "TRUNCATE question_events", "UPDATE questions SET text = ''", "DELETE FROM question_events"} {
		if _, err := db.Pool().Exec(ctx, stmt); err == nil {
			t.Errorf("%s: succeeded, want it refused: questions and their events are append-only", stmt)
		}
	}
	if got, err := db.Question(ctx, q.ID); err != nil || got.Text != "why?" || len(got.Events) != 1 || !got.HasContact {
		t.Errorf("the question after the refused statements: %+v %v", got, err)
	}
}
