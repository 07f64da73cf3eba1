package sqlite

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// SQLite writes every commit to a write-ahead log and copies the log back
// into the database file from time to time (a checkpoint). By default the
// connection whose commit takes the log past 1,000 pages checkpoints,
// inside that commit: the one writer then stalls while it writes pages
// scattered over the file and syncs it, and every answer and outbox mark
// queued behind it waits. With two years of history the pages a commit
// changes are scattered wider, the log fills sooner and each checkpoint
// has more to write: a round's prompts went out a third slower than on a
// young database (docs/BENCHMARKS.md). So the writer never checkpoints
// (wal_autocheckpoint(0) in dsn), and a connection of its own does it
// beside the writer after every checkpointEvery commits. Its checkpoints
// are PASSIVE: they wait for no reader and no writer, and copy what they
// can.
//
// SQLite starts the log afresh only when a write transaction begins with
// all of it copied; the writer goes on committing while the checkpointer
// copies, so that is never the case by itself, and the log would grow
// without end (it did: 320 MB for an 11 MB database). So after each of the
// checkpointer's passes the writer, before its next transaction, copies
// what was committed meanwhile (a few commits' pages, not hundreds), and
// that transaction starts the log afresh.

// checkpointEvery is how many commits the checkpointer lets pass between
// checkpoints: about 500 to 1,000 pages of the log.
const checkpointEvery = 64

// checkpointer checkpoints the database beside its writer.
type checkpointer struct {
	conn    *sql.DB
	commits atomic.Uint64
	// caughtUp is set after each of the checkpointer's passes, and taken
	// by the writer's next write, which copies the rest.
	caughtUp atomic.Bool
	kick    chan struct{}
	stopped chan struct{}
	// checkpointed, when set before the first commit (by tests), is told
	// the outcome of each checkpoint.
	checkpointed func(checkpoint)
}

// checkpoint is what a PASSIVE checkpoint reports: the pages in the log
// and how many of them are now in the database file.
type checkpoint struct {
	logPages, copied int
	err              error
}

// startCheckpointer opens the checkpointer's connection and starts it.
func (db *DB) startCheckpointer() error {
	conn, err := sql.Open("sqlite", dsn(db.Path, db.Mode, true))
	if err != nil {
		return err
	}
	conn.SetMaxOpenConns(1)
	c := &checkpointer{conn: conn, kick: make(chan struct{}, 1), stopped: make(chan struct{})}
	go c.run()
	db.cp = c
	return nil
}

// committed counts a commit and wakes the checkpointer every
// checkpointEvery commits; it never waits.
func (c *checkpointer) committed() {
	if c.commits.Add(1)%checkpointEvery == 0 {
		select {
		case c.kick <- struct{}{}:
		default: // one is pending already
		}
	}
}

func (c *checkpointer) run() {
	defer close(c.stopped)
	for range c.kick {
		var busy int
		var cp checkpoint
		cp.err = c.conn.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &cp.logPages, &cp.copied)
		c.caughtUp.Store(true)
		if c.checkpointed != nil {
			c.checkpointed(cp)
		}
	}
}

// finish copies, on the writer w before it begins a transaction, what was
// committed since the checkpointer's last pass, if there was one since
// the last finish. A failure is left to the next pass: the log only grows
// meanwhile.
func (c *checkpointer) finish(ctx context.Context, w *sql.DB) {
	if c.caughtUp.CompareAndSwap(true, false) {
		w.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
	}
}

// close stops the checkpointer once no commit can follow.
func (c *checkpointer) close() error {
	close(c.kick)
	<-c.stopped
	return c.conn.Close()
}
