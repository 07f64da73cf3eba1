package sqlite_test

import (
	"context"
	"database/sql"
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

func TestOpenRound(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		r := mustRound(t, db, "local:a", "local:b")
		got, err := db.Round(ctx, "f", nov)
		if err != nil || got.ID != r.ID || got.State != bot.RoundOpen || !got.ClosesAt.Equal(r.ClosesAt) {
			t.Fatalf("Round: %+v %v, want %+v", got, err, r)
		}
		ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		if len(ps) != 2 || ps[0].RoundID != r.ID || ps[0].State != bot.Pending {
			t.Fatalf("prompts: %+v", ps)
		}
	})
	t.Run("Idempotent", func(t *testing.T) {
		db := MustOpenDB(t)
		r := mustRound(t, db, "local:a")
		again, created, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0.Add(time.Hour), OpenedAt: t0, ClosesAt: t0}, []bot.Delivery{
			{Key: "prompt/f/local:z", Kind: bot.KindPrompt, ForumID: "f", To: "local:z", NextAttemptAt: t0, CreatedAt: t0},
		})
		if err != nil || created || again.ID != r.ID || !again.ScheduledAt.Equal(t0) {
			t.Fatalf("second OpenRound: %+v created=%v %v", again, created, err)
		}
		ps, _ := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		if len(ps) != 1 {
			t.Errorf("prompts after a repeated open: %d, want 1", len(ps))
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.Round(ctx, "f", nov); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
		if _, err := db.RoundByID(ctx, 42); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("got %v, want ENOTFOUND", err)
		}
	})
}

func TestOutbox(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db, "local:a", "local:b")
	due, err := db.DueDeliveries(ctx, t0, 0, 10)
	if err != nil || len(due) != 2 {
		t.Fatalf("due: %d %v", len(due), err)
	}
	a, b := due[0], due[1]
	if err := db.MarkSending(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	ref := bot.MessageRef{Platform: "local", Channel: "dm-a", ID: "1"}
	if err := db.MarkSent(ctx, a.ID, ref, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, a.ID, ref, t0); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("marking a sent entry again: %v, want ECONFLICT", err)
	}
	if err := db.MarkRetry(ctx, b.ID, t0, t0.Add(time.Minute), "503"); err != nil {
		t.Fatal(err)
	}
	if due, _ := db.DueDeliveries(ctx, t0, 0, 10); len(due) != 0 {
		t.Errorf("due before the retry time: %+v", due)
	}
	due, _ = db.DueDeliveries(ctx, t0.Add(time.Minute), 0, 10)
	if len(due) != 1 || due[0].Attempts != 1 || due[0].LastError != "503" || !due[0].FailingSince.Equal(t0) {
		t.Fatalf("due after the retry time: %+v", due)
	}
	got, err := db.DeliveryByRef(ctx, ref)
	if err != nil || got.ID != a.ID || got.State != bot.Sent || got.Ref != ref {
		t.Errorf("DeliveryByRef: %+v %v", got, err)
	}
	if _, err := db.DeliveryByRef(ctx, bot.MessageRef{Platform: "local", Channel: "x", ID: "9"}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("unknown ref: %v", err)
	}
	if err := db.MarkSkipped(ctx, b.ID, "answered"); err != nil {
		t.Fatal(err)
	}
	if n, err := db.Enqueue(ctx, []bot.Delivery{{Key: a.Key, Kind: bot.KindPrompt, ForumID: "f", RoundID: r.ID, To: "local:a", NextAttemptAt: t0, CreatedAt: t0}}); err != nil || n != 0 {
		t.Errorf("enqueue of an existing key: %d %v, want 0 added", n, err)
	}
}

// TestSameEventIDFromTwoMembers: an event id is unique per member. Another
// member's update that carries the same id is stored as theirs, never
// answered with the first member's update.
func TestSameEventIDFromTwoMembers(t *testing.T) {
	db := MustOpenDB(t)
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

func TestUpdatesAreVersionedAndAppendOnly(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db, "local:a")
	u := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: "C1", Member: "local:a", Group: bot.Government, Organisation: "O",
		Completion: bot.Limited, Progress: "p", Evidence: []string{"https://x.example"}, Needs: []bot.Need{bot.NeedResources},
		Source: bot.SourceForm, SubmittedAt: t0, EventID: "e1"}
	first, added, err := db.AddUpdate(ctx, u)
	if err != nil || !added || first.Version != 1 {
		t.Fatalf("first: %+v %v %v", first, added, err)
	}
	dup, added, err := db.AddUpdate(ctx, u)
	if err != nil || added || dup.ID != first.ID {
		t.Fatalf("same event again: %+v added=%v %v", dup, added, err)
	}
	u.EventID, u.Completion = "e2", bot.Substantial
	second, _, err := db.AddUpdate(ctx, u)
	if err != nil || second.Version != 2 {
		t.Fatalf("edit: %+v %v", second, err)
	}
	u.EventID, u.CommitmentID = "", "C2"
	if other, _, _ := db.AddUpdate(ctx, u); other.Version != 1 {
		t.Errorf("another commitment starts at version 1: %d", other.Version)
	}
	all, _ := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"})
	if len(all) != 3 || all[0].Evidence[0] != "https://x.example" || all[0].Needs[0] != bot.NeedResources {
		t.Fatalf("all: %+v", all)
	}
	latest, _ := db.LatestUpdates(ctx, "f", nov)
	if len(latest) != 2 || latest[0].Version != 2 || latest[0].Completion != bot.Substantial {
		t.Fatalf("latest: %+v", latest)
	}
	if latest, _ := db.LatestUpdates(ctx, "f", bot.Period{Year: 2026, Month: 10}); len(latest) != 0 {
		t.Errorf("latest through October: %+v", latest)
	}
	// The record cannot be rewritten, even with SQL.
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{"UPDATE updates SET completion = 'Complete'", "DELETE FROM updates"} {
		if _, err := raw.Exec(q); err == nil {
			t.Errorf("%s: succeeded, want the append-only trigger to refuse", q)
		}
	}
}

func TestCloseRoundStoresAndQueuesTheDigest(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db)
	msg := bot.Message{Header: "Digest", Sections: []bot.Section{{Title: "C1", Fields: []bot.Field{{Label: "Government", Value: "Limited"}}}}}
	d, err := db.CloseRound(ctx, r.ID, t0.Add(time.Hour), bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:d", Message: msg})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Digest(ctx, d.ID)
	if err != nil || got.RoundID != r.ID || got.Message.Sections[0].Fields[0].Value != "Limited" {
		t.Fatalf("digest: %+v %v", got, err)
	}
	due, _ := db.DueDeliveries(ctx, t0, 0, 10)
	if len(due) != 1 || due[0].Kind != bot.KindDigest || due[0].DigestID != d.ID || !due[0].Channel {
		t.Fatalf("queued: %+v", due)
	}
	if _, err := db.CloseRound(ctx, r.ID, t0, bot.Digest{ForumID: "f", Period: nov, CreatedAt: t0, Channel: "local:d"}); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("closing twice: %v, want ECONFLICT", err)
	}
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{"UPDATE digests SET message = '{}'", "DELETE FROM digests"} {
		if _, err := raw.Exec(q); err == nil {
			t.Errorf("%s: succeeded, want the append-only trigger to refuse", q)
		}
	}
	if err := db.ReopenRound(ctx, r.ID, t0.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if r2, _ := db.RoundByID(ctx, r.ID); r2.State != bot.RoundOpen || !r2.ClosedAt.IsZero() {
		t.Errorf("reopened: %+v", r2)
	}
}

func TestReminderRecordedOnce(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db)
	ds := []bot.Delivery{{Key: "reminder/1/a", Kind: bot.KindReminder, ForumID: "f", RoundID: r.ID, To: "local:a", NextAttemptAt: t0, CreatedAt: t0}}
	if err := db.RecordReminders(ctx, r.ID, 1, false, ds); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordReminders(ctx, r.ID, 1, false, ds); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("second record: %v, want ECONFLICT", err)
	}
	if err := db.RecordReminders(ctx, r.ID, 1, true, nil); err != nil {
		t.Errorf("manual reminders count apart: %v", err)
	}
	got, _ := db.RoundByID(ctx, r.ID)
	if got.RemindersSent != 1 || got.ManualReminders != 1 {
		t.Errorf("counters: %+v", got)
	}
}

func TestAbsencesAreALog(t *testing.T) {
	db := MustOpenDB(t)
	now := t0
	db.Now = func() time.Time { return now }
	until := bot.Date{Year: 2026, Month: 12, Day: 15}
	steps := []struct {
		who   bot.Address
		until bot.Date
	}{{"local:a", until}, {"local:b", until}, {"local:b", bot.Date{}}}
	for i, s := range steps {
		now = t0.Add(time.Duration(i) * time.Hour)
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
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{"UPDATE absence_log SET until = ''", "DELETE FROM absence_log"} {
		if _, err := raw.Exec(stmt); err == nil {
			t.Errorf("%s succeeded; the absence log must be append-only", stmt)
		}
	}
}

// TestMigrateAbsencesToLog opens a database written by schema v1, with its
// one-row-per-member absences, and finds them in the log.
func TestMigrateAbsencesToLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	v1, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{string(v1), "PRAGMA user_version = 1",
		`INSERT INTO absences (member, until, set_at) VALUES ('local:a', '2026-12-15', '2026-11-02T10:00:00.000000000Z'), ('local:b', '', '2026-11-01T10:00:00.000000000Z')`} {
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
