package sqlite_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

// TestMigrateToVoidableRounds opens a database of schema v6 with rounds,
// an outbox, a digest and updates that reference them, and finds every row
// with its id, every reference intact and enforced.
func TestMigrateToVoidableRounds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v6.db")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 6; i++ {
		names, _ := filepath.Glob(fmt.Sprintf("migrations/%04d_*.sql", i))
		body, err := os.ReadFile(names[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", names[0], err)
		}
	}
	const at = "'2026-11-01T09:00:00.000000000Z'"
	for _, stmt := range []string{"PRAGMA user_version = 6",
		`INSERT INTO rounds (id, forum_id, period, scheduled_at, opened_at, closes_at, closed_at, state, reminders_sent) VALUES
		 (7, 'f', '2026-10', ` + at + `, ` + at + `, ` + at + `, ` + at + `, 'closed', 2), (9, 'f', '2026-11', ` + at + `, ` + at + `, ` + at + `, NULL, 'open', 1)`,
		`INSERT INTO digests (id, forum_id, period, round_id, created_at, channel, message) VALUES (3, 'f', '2026-10', 7, ` + at + `, 'local:d', '{}')`,
		`INSERT INTO outbox (id, key, kind, forum_id, round_id, recipient, digest_id, state, attempts, next_attempt_at, ref, last_error, created_at)
		 VALUES (11, 'prompt/f/2026-11/local:a', 'prompt', 'f', 9, 'local:a', NULL, 'failed', 8, ` + at + `, '', 'rate limited', ` + at + `),
		        (12, 'digest/f/2026-10/3', 'digest', 'f', 7, 'local:d', 3, 'sent', 0, ` + at + `, 'local:d:1', '', ` + at + `)`,
		`INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version, completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction)
		 VALUES ('f', '2026-11', 9, 'C1', 'local:a', 'government', 'O', 1, 'Limited', '', '', '', '', '[]', '[]', '[]', 'form', ` + at + `, 0)`} {
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
	rs, err := db.Rounds(ctx, "f")
	if err != nil || len(rs) != 2 || rs[0].ID != 7 || rs[0].RemindersSent != 2 || rs[1].ID != 9 || rs[1].State != bot.RoundOpen || rs[1].Revision != 0 {
		t.Fatalf("migrated rounds: %+v %v", rs, err)
	}
	failed, err := db.FailedDeliveries(ctx, "f")
	if err != nil || len(failed) != 1 || failed[0].ID != 11 || failed[0].Attempts != 8 || failed[0].LastError != "rate limited" {
		t.Fatalf("migrated outbox: %+v %v", failed, err)
	}
	if d, err := db.Digest(ctx, 3); err != nil || d.RoundID != 7 {
		t.Errorf("migrated digest: %+v %v", d, err)
	}
	check, err := sql.Open("sqlite", path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer check.Close()
	var problems int
	if err := check.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&problems); err != nil || problems != 0 {
		t.Errorf("foreign key check after the migration: %d problems, %v", problems, err)
	}
	if _, err := check.Exec(`INSERT INTO outbox (key, kind, forum_id, round_id, recipient, state, next_attempt_at, created_at) VALUES ('k', 'prompt', 'f', 99, 'local:a', 'pending', 'n', 'c')`); err == nil {
		t.Errorf("an outbox entry of a missing round was stored: references are no longer enforced")
	}
}
