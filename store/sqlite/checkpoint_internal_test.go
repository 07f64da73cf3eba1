package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"forumbot/bot"
)

// checkpointDB opens a store whose checkpoints run quiet after the writes
// pause; those that began after the last write are reported on the
// returned channel.
func checkpointDB(t *testing.T, quiet time.Duration) (*DB, bot.Round, chan [2]int) {
	t.Helper()
	db := NewDB(filepath.Join(t.TempDir(), "checkpoint.db"))
	runs := make(chan [2]int, 100)
	db.ckpt.quiet = quiet
	db.ckpt.done = func(log, copied int, err error) {
		if err != nil {
			t.Errorf("checkpoint: %v", err)
		}
		db.ckpt.mu.Lock()
		last := !db.ckpt.dirty
		db.ckpt.mu.Unlock()
		if last { // no write committed since this checkpoint began
			select {
			case runs <- [2]int{log, copied}:
			default:
			}
		}
	}
	return db, openWithRound(t, db), runs
}

// answer stores the i-th member's answer, a commit of a dozen pages or so.
func answer(t *testing.T, db *DB, r bot.Round, i int) {
	t.Helper()
	u := bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: fmt.Sprint("C", i%7), Member: bot.Address(fmt.Sprint("local:m", i)),
		Group: bot.Government, Organisation: "O", Completion: bot.Limited, Progress: fmt.Sprintf("%0600d", i), Source: bot.SourceForm, SubmittedAt: r.OpenedAt}
	if _, _, err := db.AddUpdate(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

// logPages returns the pages in the write-ahead log now. (Asking is a
// checkpoint too, of what the last one left.)
func logPages(t *testing.T, db *DB) int {
	t.Helper()
	var busy, log, copied int
	if err := db.w.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied); err != nil {
		t.Fatal(err)
	}
	return log
}

// TestNoCheckpointInsideABurst: answers committed one after another
// without a pause are not held up by a checkpoint at SQLite's default of
// 1,000 pages; the log grows past it, up to logBound.
func TestNoCheckpointInsideABurst(t *testing.T) {
	db, r, runs := checkpointDB(t, time.Hour)
	for i := range 200 {
		answer(t, db, r, i)
	}
	if n := len(runs); n > 0 {
		t.Errorf("%d checkpoints ran while the answers came, want none before the pause", n)
	}
	if got := logPages(t, db); got <= 1000 || got > logBound+100 {
		t.Errorf("the log holds %d pages after 200 answers, want over SQLite's default 1,000 and within %d", got, logBound)
	}
}

// TestCheckpointWhenWritesPause: once the answers stop, the store copies
// the whole log into the database file, and the next answer starts the
// log afresh instead of adding to it. The pause is the test's to end: the
// answers leave a checkpoint pending an hour away, and the test brings it
// forward (with a short pause, one could run between two answers).
func TestCheckpointWhenWritesPause(t *testing.T) {
	db, r, runs := checkpointDB(t, time.Hour)
	for i := range 200 {
		answer(t, db, r, i)
	}
	db.ckpt.mu.Lock()
	pending := db.ckpt.timer != nil && db.ckpt.timer.Reset(0)
	db.ckpt.mu.Unlock()
	if !pending {
		t.Fatal("no checkpoint was pending after the answers")
	}
	var run [2]int
	select {
	case run = <-runs:
	case <-time.After(10 * time.Second):
		t.Fatal("no checkpoint ran after the answers stopped")
	}
	if log, copied := run[0], run[1]; log == 0 || copied != log {
		t.Fatalf("the checkpoint after the answers copied %d of the log's %d pages, want all", copied, log)
	}
	answer(t, db, r, 200)
	if got := logPages(t, db); got > 100 {
		t.Errorf("the log holds %d pages after one more answer, want it started afresh (a few dozen)", got)
	}
}
