package sqlite

import (
	"context"
	"database/sql"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// FailedDeliveries implements bot.Store, on the outbox_failed index.
func (db *DB) FailedDeliveries(ctx context.Context, forumID string) ([]bot.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE forum_id = ? AND state = 'failed' ORDER BY id`, forumID)
}

// RetryFailed implements bot.Store. The entries start afresh, not failing
// since any time, with the reason they failed kept until the next attempt
// replaces it. An entry tried before keeps one attempt counted, so that
// the sender asks the platform whether an earlier send got through before
// it sends again.
func (db *DB) RetryFailed(ctx context.Context, forumID string, now time.Time) (int, error) {
	var n int64
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `UPDATE outbox SET state = 'pending', attempts = MIN(attempts, 1), failing_since = NULL, next_attempt_at = ?
			WHERE forum_id = ? AND state = 'failed'`, fmtTime(now), forumID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
