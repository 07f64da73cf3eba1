package sqlite

import (
	"context"

	"forumbot/store"
)

// Backlog is what the outbox holds that is not settled, for monitoring.
type Backlog = store.Backlog

// OutboxBacklog reads the outbox's backlog: the entries still to send on
// the outbox_due index, and a count of the failed ones.
func (db *DB) OutboxBacklog(ctx context.Context) (Backlog, error) {
	var b Backlog
	var oldest *string
	if err := db.queryRow(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state IN ('pending', 'sending')`).Scan(&b.Pending, &oldest); err != nil {
		return b, err
	}
	var err error
	if b.OldestPending, err = parseNullTime(oldest); err != nil {
		return b, err
	}
	err = db.queryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE state = 'failed'`).Scan(&b.Failed)
	return b, err
}
