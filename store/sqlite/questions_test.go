package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

// TestMigrateToQuestions takes a record stored at schema v8 (what v9 to
// v11 added gone, the version back) and opens it: the migrations add the
// questions' tables and the answers' index by commitment, leaving the record and its chain intact, and the
// schema is the one a new database gets.
func TestMigrateToQuestions(t *testing.T) {
	path := chainedRecord(t)
	execIn(t, path, slices.Concat(undoRoundFirstKeys(t), undoLastRefs, []string{"DROP INDEX answers_commitment_period", "DROP TABLE question_contacts", "DROP TABLE question_events", "DROP TABLE questions", "PRAGMA user_version = 8"})...)
	db := openMigrated(t, path)
	rep, err := db.Verify(ctx)
	if err != nil || len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != 5 {
		t.Fatalf("Verify after the migration: %+v %v, want forum f intact with 5 entries", rep, err)
	}
	q, err := db.AddQuestion(ctx, bot.Question{ForumID: "f", AskedOn: "C1", Text: "why?", AskedAt: t0, DueAt: t0.Add(time.Hour)}, "a@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if got, added, err := db.AddQuestionEvent(ctx, bot.QuestionEvent{QuestionID: q.ID, Kind: bot.QuestionApproved, At: t0, By: "local:c"}); err != nil || !added || got.State() != bot.QuestionOpen {
		t.Errorf("a question's event after the migration: %+v %v %v", got, added, err)
	}
	fresh, err := openMode(t, filepath.Join(t.TempDir(), "fresh.db"), sqlite.Create)
	if err != nil {
		t.Fatal(err)
	}
	migrated, created := schema(t, path), schema(t, fresh.Path)
	if !reflect.DeepEqual(migrated, created) {
		t.Errorf("migrated schema differs from a new database's:\n%v\n%v", migrated, created)
	}
}

// schema returns the SQL of every table, index and trigger of the
// database at path, by name.
func schema(t *testing.T, path string) map[string]string {
	t.Helper()
	raw, err := sql.Open("sqlite", path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, body string
		if err := rows.Scan(&name, &body); err != nil {
			t.Fatal(err)
		}
		out[name] = body
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
