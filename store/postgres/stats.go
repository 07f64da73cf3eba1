package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

// OutboxBacklog reads the outbox's backlog: the entries still to send on
// the outbox_due index, and a count of the failed ones.
func (db *DB) OutboxBacklog(ctx context.Context) (store.Backlog, error) {
	var b store.Backlog
	var oldest *string
	if err := db.pool.QueryRow(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state IN ('pending', 'sending')`).Scan(&b.Pending, &oldest); err != nil {
		return b, err
	}
	var err error
	if b.OldestPending, err = parseNullTime(oldest); err != nil {
		return b, err
	}
	err = db.pool.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE state = 'failed'`).Scan(&b.Failed)
	return b, err
}

// errProbe rolls Writable's transaction back.
var errProbe = errors.New("probe rolled back")

// Writable checks that the database accepts a write now: it rewrites the
// schema version in a transaction that it rolls back, storing nothing. A
// server in recovery (a read-only standby), a full disk or a lost
// connection fail it.
func (db *DB) Writable(ctx context.Context) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE forumbot_schema SET version = version`); err != nil {
			return err
		}
		return errProbe
	})
	if errors.Is(err, errProbe) {
		return nil
	}
	return err
}

// Backup does not copy a PostgreSQL database: it says how to, with
// PostgreSQL's own tools, which copy it consistently while the bot runs
// and restore it whole. It returns an EINVALID error with the commands.
func (db *DB) Backup(ctx context.Context, path string) error {
	return bot.Errorf(bot.EINVALID, "the record is in PostgreSQL (store.url), whose own tools copy it consistently while forumbot runs: "+
		"pg_dump --format=custom --file=%s \"$DATABASE_URL\" (restore with pg_restore --dbname=… %s), "+
		"or your provider's snapshots or point-in-time recovery; forumbot backup writes SQLite files only", path, path)
}
