package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"forumbot/bot"
)

// TestCheckpointsBesideTheWriter: the writer never checkpoints; the
// checkpointer copies the whole log into the file after every
// checkpointEvery commits, so the log is started afresh and stays the
// size of a few batches of commits instead of growing with every write.
func TestCheckpointsBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	db := NewDB(filepath.Join(t.TempDir(), "checkpoint.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	done := make(chan checkpoint, 16)
	db.cp.checkpointed = func(cp checkpoint) { done <- cp }
	var auto int
	if err := db.w.QueryRowContext(ctx, "PRAGMA wal_autocheckpoint").Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("the writer's wal_autocheckpoint is %d (%v), want 0", auto, err)
	}
	t0 := time.Date(2026, time.November, 1, 9, 0, 0, 0, time.UTC)
	nov := bot.Period{Year: 2026, Month: time.November}
	r, _, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.AddDate(0, 0, 7)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const batches = 10
	var first int64
	stored := 0
	for b := range batches {
		// Up to the next multiple of checkpointEvery commits (OpenRound
		// was one).
		for begun := false; !begun || db.cp.commits.Load()%checkpointEvery != 0; begun = true {
			stored++
			u := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: fmt.Sprint("C", stored%7), Member: bot.Address(fmt.Sprint("local:m", stored)),
				Group: bot.Government, Organisation: "O", Completion: bot.Limited, Progress: fmt.Sprintf("%0600d", stored), Source: bot.SourceForm, SubmittedAt: t0}
			if _, _, err := db.AddUpdate(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		select {
		case cp := <-done:
			if cp.err != nil || cp.logPages == 0 || cp.copied != cp.logPages {
				t.Fatalf("checkpoint after batch %d: %d of %d pages copied (%v), want all", b, cp.copied, cp.logPages, cp.err)
			}
		case <-time.After(time.Minute):
			t.Fatalf("no checkpoint after batch %d", b)
		}
		if b == 0 {
			first = walSize(t, db.Path)
		}
	}
	if last := walSize(t, db.Path); last > 3*first {
		t.Errorf("the log grew from %d bytes after one batch to %d after %d: it is not started afresh", first, last, batches)
	}
	all, err := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"})
	if err != nil || len(all) != stored {
		t.Errorf("%d updates read (%v), want %d", len(all), err, stored)
	}
}

// TestLogStaysSmallUnderSteadyWrites: answers committed one after
// another, never waiting for the checkpointer, with reads going on beside
// them, as in a round. The log is started afresh after the checkpointer's
// passes, so it stays the size of a few batches of commits; without the
// writer finishing each pass it grew with every write.
func TestLogStaysSmallUnderSteadyWrites(t *testing.T) {
	ctx := context.Background()
	db := NewDB(filepath.Join(t.TempDir(), "steady.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, time.November, 1, 9, 0, 0, 0, time.UTC)
	nov := bot.Period{Year: 2026, Month: time.November}
	r, _, err := db.OpenRound(ctx, bot.Round{ForumID: "f", Period: nov, ScheduledAt: t0, OpenedAt: t0, ClosesAt: t0.AddDate(0, 0, 7)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer close(done)
	go func() { // a reader, as the drain and the handlers read
		for {
			select {
			case <-done:
				return
			default:
			}
			db.Updates(ctx, bot.UpdateFilter{ForumID: "f", Member: "local:m1"})
		}
	}()
	const batches = 20
	var batch int64
	for i := 1; i < batches*checkpointEvery; i++ {
		u := bot.Update{ForumID: "f", Period: nov, RoundID: r.ID, CommitmentID: fmt.Sprint("C", i%7), Member: bot.Address(fmt.Sprint("local:m", i)),
			Group: bot.Government, Organisation: "O", Completion: bot.Limited, Progress: fmt.Sprintf("%0600d", i), Source: bot.SourceForm, SubmittedAt: t0}
		if _, _, err := db.AddUpdate(ctx, u); err != nil {
			t.Fatal(err)
		}
		if i == checkpointEvery-2 { // OpenRound was a commit: no pass yet
			batch = walSize(t, db.Path)
		}
	}
	if last := walSize(t, db.Path); last > 6*batch {
		t.Errorf("the log grew to %d bytes over %d batches of commits of %d bytes each: it is not started afresh", last, batches, batch)
	}
}

func walSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
