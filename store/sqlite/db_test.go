package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, time.November, 1, 1, 0, 0, 0, time.UTC)
	nov = bot.Period{Year: 2026, Month: time.November}
)

// MustOpenDB opens a fresh database in a temp dir, closed at cleanup.
func MustOpenDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "test.db"))
	db.Now = func() time.Time { return t0 }
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustRound(tb testing.TB, db *sqlite.DB, members ...bot.Address) bot.Round {
	tb.Helper()
	var ps []bot.Delivery
	for _, m := range members {
		ps = append(ps, bot.Delivery{Key: "prompt/f/" + string(m), Kind: bot.KindPrompt, ForumID: "f", To: m, State: bot.Pending, NextAttemptAt: t0, CreatedAt: t0})
	}
	r, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.Add(7 * 24 * time.Hour)}, ps)
	if err != nil || !created {
		tb.Fatalf("OpenRound: %v created=%v", err, created)
	}
	return r
}

// TestMigrateAbsencesToLog opens a database written by schema v1, with its
// one-row-per-member absences, and finds them in the log.
func TestMigrateAbsencesToLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	v1, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	execIn(t, path, string(v1), "PRAGMA user_version = 1",
		`INSERT INTO absences (member, until, set_at) VALUES ('local:a', '2026-12-15', '2026-11-02T10:00:00.000000000Z'), ('local:b', '', '2026-11-01T10:00:00.000000000Z')`)
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Absences(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Member != "local:b" || !got[0].Until.IsZero() || got[1].Member != "local:a" || got[1].Until != (bot.Date{Year: 2026, Month: 12, Day: 15}) {
		t.Errorf("migrated absences, oldest first: %+v", got)
	}
}

func TestBackupAndReopen(t *testing.T) {
	db := MustOpenDB(t)
	mustRound(t, db, "local:a")
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	copy := sqlite.NewDB(out)
	if err := copy.Open(); err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if _, err := copy.Round(ctx, "f", nov); err != nil {
		t.Errorf("round in the backup: %v", err)
	}
}
