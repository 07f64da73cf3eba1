package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"forumbot/bot"
)

// ckptRun is a checkpoint that ran: the log's pages, how many of them are
// in the database file now, and whether no write committed since it
// began.
type ckptRun struct {
	log, copied int
	last        bool
}

// checkpointDB opens a store whose checkpoints run every so many pages
// written and quiet after the writes pause; each run is reported on the
// returned channel.
func checkpointDB(t *testing.T, pages int, quiet time.Duration) (*DB, bot.Round, chan ckptRun) {
	t.Helper()
	db := NewDB(filepath.Join(t.TempDir(), "checkpoint.db"))
	runs := make(chan ckptRun, 1000)
	db.ckpt.pages, db.ckpt.quiet = pages, quiet
	db.ckpt.done = func(log, copied int, err error) {
		if err != nil {
			t.Errorf("checkpoint: %v", err)
		}
		db.ckpt.mu.Lock()
		last := !db.ckpt.dirty
		db.ckpt.mu.Unlock()
		runs <- ckptRun{log, copied, last}
	}
	return db, openWithRound(t, db), runs
}

// never is a number of pages no test writes.
const never = 1 << 30

// firstRun waits for a checkpoint to be reported.
func firstRun(t *testing.T, runs chan ckptRun, what string) ckptRun {
	t.Helper()
	select {
	case run := <-runs:
		return run
	case <-time.After(10 * time.Second):
		t.Fatalf("no checkpoint ran %s", what)
		return ckptRun{}
	}
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

// endPause brings forward the checkpoint that the answers left pending
// for after the pause.
func endPause(t *testing.T, db *DB) {
	t.Helper()
	db.ckpt.mu.Lock()
	pending := db.ckpt.timer != nil && db.ckpt.timer.Reset(0)
	db.ckpt.mu.Unlock()
	if !pending {
		t.Fatal("no checkpoint was pending after the answers")
	}
}

// logPages returns the pages in the write-ahead log now. (Asking is a
// checkpoint too, of what the last one left; it waits for a checkpoint
// running on the checkpointer.)
func logPages(t *testing.T, db *DB) int {
	t.Helper()
	var busy, log, copied int
	if err := db.ck.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied); err != nil {
		t.Fatal(err)
	}
	return log
}

// TestCheckpointsInsideABurst: answers committed one after another
// without a pause are copied into the database file as they come, every
// so many pages, not only once they stop.
func TestCheckpointsInsideABurst(t *testing.T) {
	db, r, runs := checkpointDB(t, 500, time.Hour)
	for i := range 200 {
		answer(t, db, r, i)
	}
	if run := firstRun(t, runs, "while 200 answers came without a pause"); run.copied == 0 {
		t.Errorf("the checkpoint inside the burst copied none of the log's %d pages", run.log)
	}
}

// TestNoCheckpointInTheCommits: with the checkpointer held back, answers
// committed one after another are not held up by SQLite's own checkpoint
// at its default of 1,000 pages; the log grows past it, up to logBound.
func TestNoCheckpointInTheCommits(t *testing.T) {
	db, r, runs := checkpointDB(t, never, time.Hour)
	for i := range 200 {
		answer(t, db, r, i)
	}
	if n := len(runs); n > 0 {
		t.Errorf("%d checkpoints ran on the checkpointer, want none before the pause", n)
	}
	if got := logPages(t, db); got <= 1000 || got > logBound+100 {
		t.Errorf("the log holds %d pages after 200 answers, want over SQLite's default 1,000 and within %d", got, logBound)
	}
}

// TestCheckpointBesideAnOpenWrite: a checkpoint runs on a connection of
// its own, so it copies the log while a write holds the writer, and no
// write waits for it.
func TestCheckpointBesideAnOpenWrite(t *testing.T) {
	ctx := context.Background()
	db, r, runs := checkpointDB(t, never, time.Hour)
	for i := range 50 {
		answer(t, db, r, i)
	}
	tx, err := db.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = 0"); err != nil {
		t.Fatal(err)
	}
	endPause(t, db)
	run := firstRun(t, runs, "while a write held the writer")
	if run.log == 0 || run.copied != run.log {
		t.Errorf("the checkpoint beside the write copied %d of the log's %d pages, want all", run.copied, run.log)
	}
}

// TestCheckpointWhenWritesPause: once the answers stop, the store copies
// the whole log into the database file, and the next answer starts the
// log afresh instead of adding to it. The pause is the test's to end: the
// answers leave a checkpoint pending an hour away, and the test brings it
// forward (with a short pause, one could run between two answers).
func TestCheckpointWhenWritesPause(t *testing.T) {
	db, r, runs := checkpointDB(t, never, time.Hour)
	for i := range 200 {
		answer(t, db, r, i)
	}
	endPause(t, db)
	run := firstRun(t, runs, "after the answers stopped")
	if !run.last || run.log == 0 || run.copied != run.log {
		t.Fatalf("the checkpoint after the answers copied %d of the log's %d pages (last %v), want all", run.copied, run.log, run.last)
	}
	answer(t, db, r, 200)
	if got := logPages(t, db); got > 100 {
		t.Errorf("the log holds %d pages after one more answer, want it started afresh (a few dozen)", got)
	}
}

// TestLogPagesCountTheWritersCommits: LogPages grows by exactly the
// frames a commit appends to the log, as SQLite's own checkpoint counts
// them in a log emptied before the commit (an answer writes the updates
// row, the derived rows and the chain's entry, each on a page of its
// own), and a read leaves it. No checkpoint of the store's runs meanwhile.
func TestLogPagesCountTheWritersCommits(t *testing.T) {
	ctx := context.Background()
	db, r, _ := checkpointDB(t, never, time.Hour)
	checkpoint := func(mode string) (log int) {
		t.Helper()
		var busy, copied int
		if err := db.ck.QueryRowContext(ctx, "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &log, &copied); err != nil || busy != 0 {
			t.Fatalf("wal_checkpoint(%s): busy %d, %v", mode, busy, err)
		}
		return log
	}
	for i := range 3 {
		checkpoint("TRUNCATE")
		before := db.LogPages()
		answer(t, db, r, i)
		written := db.LogPages() - before
		if written < 4 || written > 40 {
			t.Fatalf("an answer appended %d pages to the log, want the few pages it changes", written)
		}
		if frames := checkpoint("PASSIVE"); int64(frames) != written {
			t.Errorf("answer %d: LogPages grew by %d, the log holds %d frames", i, written, frames)
		}
		if _, err := db.Updates(ctx, bot.UpdateFilter{ForumID: "f", RoundID: r.ID}); err != nil {
			t.Fatal(err)
		}
		if after := db.LogPages() - before; after != written {
			t.Errorf("a read changed LogPages by %d", after-written)
		}
	}
}
