// Package store holds what forumbot's stores share beyond the bot.Store
// port: the record chain's format and what verifying it reports, the
// outbox's backlog for monitoring, and DB, the store as serve and the
// commands use it. store/sqlite (one machine) and store/postgres (several
// instances) implement DB; cmd/forumbot picks one from the config.
package store

import (
	"context"
	"time"

	"forumbot/bot"
)

// DB is a store as forumbot serve and the commands that read the record
// use it: the port, plus its operations.
type DB interface {
	bot.Store
	// Writable checks that the database accepts a write now, storing
	// nothing.
	Writable(ctx context.Context) error
	// OutboxBacklog reads what the outbox holds that is not settled.
	OutboxBacklog(ctx context.Context) (Backlog, error)
	// Verify recomputes every forum's record chain (see ChainReport).
	Verify(ctx context.Context) (ChainReport, error)
	// Backup writes a consistent copy of the database to path, or says
	// how to make one when the database has its own tools for it.
	Backup(ctx context.Context, path string) error
	// Close waits for the writes in hand, then closes the database.
	Close() error
}

// Backlog is what the outbox holds that is not settled, for monitoring.
type Backlog struct {
	// Pending counts the entries still to send (pending or sending).
	Pending int
	// OldestPending is when the oldest of them was queued; zero when
	// there is none.
	OldestPending time.Time
	// Failed counts the entries given up on.
	Failed int
}
