package sqlite

import (
	"cmp"
	"context"
	"sync"
	"time"
)

// SQLite appends every commit to the write-ahead log and copies the log
// into the database file in a checkpoint. By default the commit that
// takes the log past 1,000 pages runs the checkpoint before it returns:
// on two years of history that commit took 10 to 16 ms instead of one,
// and every answer of its group, and every answer queued behind it,
// waited that long for its acknowledgement, in the middle of a burst of
// answers (docs/BENCHMARKS.md, "Checkpoints when the writes pause"). The
// store checkpoints once the writes pause instead: quietFor after the
// last commit, on the writer connection, so that no write comes between
// the copy and the log being started afresh by the next one. SQLite's
// own checkpoint stays, at logBound pages, for writes that never pause.
const (
	quietFor = 100 * time.Millisecond
	logBound = 4000
)

// checkpoints schedules the checkpoint after the writes pause.
type checkpoints struct {
	mu    sync.Mutex
	timer *time.Timer
	// quiet is how long the writes must pause; quietFor when zero (tests
	// set it).
	quiet  time.Duration
	closed bool
	// dirty says a write committed since the last checkpoint began.
	dirty bool
	// done, when set, is told of each checkpoint run: the log's pages and
	// how many of them are in the database file now (tests).
	done func(log, copied int, err error)
}

// wrote tells the checkpoints that a write committed: the checkpoint runs
// once no other write has committed for the quiet period.
func (db *DB) wrote() {
	c := &db.ckpt
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dirty = true
	quiet := cmp.Or(c.quiet, quietFor)
	switch {
	case c.closed:
	case c.timer == nil:
		c.timer = time.AfterFunc(quiet, db.checkpoint)
	default:
		c.timer.Reset(quiet)
	}
}

// checkpoint copies the log into the database file without waiting for
// readers (PASSIVE): a reader still on an older snapshot keeps its pages
// in the log for the next checkpoint. A checkpoint that fails loses
// nothing, the log keeps every commit, and the next pause or SQLite's own
// checkpoint tries again.
func (db *DB) checkpoint() {
	db.ckpt.mu.Lock()
	run := !db.ckpt.closed && db.ckpt.dirty
	db.ckpt.dirty = false
	done := db.ckpt.done
	db.ckpt.mu.Unlock()
	if !run {
		return
	}
	db.wmu.RLock()
	defer db.wmu.RUnlock()
	var busy, log, copied int
	err := db.w.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied)
	if done != nil {
		done(log, copied, err)
	}
}

// stopCheckpoints cancels a pending checkpoint; closing the database
// checkpoints what is left.
func (db *DB) stopCheckpoints() {
	c := &db.ckpt
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.timer != nil {
		c.timer.Stop()
	}
}
