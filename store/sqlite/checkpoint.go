package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// SQLite appends every commit to the write-ahead log and copies the log
// into the database file in a checkpoint, which ends by syncing the file
// to disk. By default the commit that takes the log past 1,000 pages runs
// the checkpoint before it returns, and every answer queued behind that
// commit waits for it. On two years of history a burst of answers spread
// over the commitments dirties thousands of scattered pages, and the
// sync of those pages is what made the acknowledgements' wait grow with
// the forum's past (docs/BENCHMARKS.md, "A checkpointer beside the
// writer").
//
// The store checkpoints on a connection of its own, the checkpointer,
// beside the writer: whenever the writer has appended checkpointPages
// pages to the log since the last checkpoint began (SQLite's own default
// bound), and once the writes pause for quietFor. A checkpoint copies what
// was committed when it began while later commits go on being appended;
// the one after the pause copies the rest, and the next write then starts
// the log afresh. Only a checkpoint that copies the whole log lets the
// next write start it afresh, and one beside the writer does not while
// the writes go on: SQLite's own checkpoint, inside the writer's commit,
// stays as the bound for writes that never pause. It runs at logBound
// pages (64 MB of log at 4 KiB pages), which a burst of a round's answers
// does not reach.
const (
	quietFor        = 100 * time.Millisecond
	checkpointPages = 1000
	logBound        = 16000
)

// checkpoints schedules the checkpoints.
type checkpoints struct {
	mu    sync.Mutex
	timer *time.Timer
	// quiet is how long the writes must pause, and pages how many pages
	// written bring a checkpoint; quietFor and checkpointPages when zero
	// (tests set them).
	quiet time.Duration
	pages int
	// written counts the pages written since a checkpoint last began;
	// running, the checkpoints started and not finished.
	written int
	running int
	closed  bool
	// dirty says a write committed since the last checkpoint began.
	dirty bool
	// total counts every page written to the log since Open (LogPages).
	total int64
	// done, when set, is told of each checkpoint run: the log's pages and
	// how many of them are in the database file now (tests).
	done func(log, copied int, err error)
}

// wrote tells the checkpoints that a write committed, having appended
// pages to the log: a checkpoint starts every so many pages unless one is
// running, and once no other write has committed for the quiet period.
func (db *DB) wrote(pages int) {
	c := &db.ckpt
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total += int64(pages)
	if c.closed {
		return
	}
	c.dirty = true
	c.written += pages
	if c.written >= cmp.Or(c.pages, checkpointPages) && c.running == 0 {
		c.running++
		go db.checkpoint()
	}
	quiet := cmp.Or(c.quiet, quietFor)
	if c.timer == nil {
		c.timer = time.AfterFunc(quiet, func() {
			c.mu.Lock()
			c.running++
			c.mu.Unlock()
			db.checkpoint()
		})
	} else {
		c.timer.Reset(quiet)
	}
}

// LogPages returns how many pages the writer has appended to the
// write-ahead log since the database was opened: what its commits cost
// the disk, and the checkpoints after them, in pages. It counts the
// commits of this process's writer alone.
func (db *DB) LogPages() int64 {
	db.ckpt.mu.Lock()
	defer db.ckpt.mu.Unlock()
	return db.ckpt.total
}

// checkpoint copies the log into the database file without waiting for
// readers or the writer (PASSIVE): a reader still on an older snapshot
// keeps its pages in the log for the next checkpoint. It runs on the
// checkpointer, so no write waits for it, and only if a write committed
// since the last one began. A checkpoint that fails loses nothing, the
// log keeps every commit, and the next one tries again. Its caller counted
// it in running.
func (db *DB) checkpoint() {
	c := &db.ckpt
	defer func() {
		c.mu.Lock()
		c.running--
		c.mu.Unlock()
	}()
	c.mu.Lock()
	run := !c.closed && c.dirty
	c.dirty = false
	c.written = 0
	done := c.done
	c.mu.Unlock()
	if !run {
		return
	}
	db.wmu.RLock()
	defer db.wmu.RUnlock()
	if db.ck == nil {
		return
	}
	var busy, log, copied int
	err := db.ck.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied)
	if done != nil {
		done(log, copied, err)
	}
}

// logWritten returns the pages the writer's connection appended to the
// log since it was last asked: SQLite counts the pages it writes from the
// connection's cache, and in WAL mode it writes them to the log. Zero if
// the driver cannot tell; the checkpoints then wait for a pause, or for
// SQLite's own bound.
func logWritten(conn *sql.Conn) int {
	var pages int
	conn.Raw(func(dc any) error {
		if s, ok := dc.(sqlite.DBStatus); ok {
			pages, _, _ = s.Status(sqlite.DBStatusCacheWrite, true)
		}
		return nil
	})
	return pages
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
