package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// VoidRound implements bot.Store. Whether the round holds an update is read
// in the same transaction as the change, on the updates_period index.
func (db *DB) VoidRound(ctx context.Context, roundID int64, at time.Time, who bot.Address) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		r, err := store.ScanRound(db.txRow(ctx, tx, `SELECT `+store.RoundColumns+` FROM rounds WHERE id = ?`, roundID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("no round %d", roundID)
		} else if err != nil {
			return err
		}
		if r.State == bot.RoundVoided {
			return bot.Errorf(bot.ECONFLICT, "round %d is already voided", roundID)
		}
		var held bool
		if err := db.txRow(ctx, tx, `SELECT EXISTS (SELECT 1 FROM updates WHERE forum_id = ? AND period = ? AND round_id = ?)`,
			r.ForumID, r.Period.String(), roundID).Scan(&held); err != nil {
			return err
		}
		if held {
			return bot.Errorf(bot.ECONFLICT, "round %d holds updates: it stays in the record", roundID)
		}
		if _, err := db.exec(ctx, tx, `UPDATE rounds SET state = 'voided', voided_at = ?, voided_by = ? WHERE id = ?`,
			fmtTime(at), string(who), roundID); err != nil {
			return err
		}
		_, err = db.exec(ctx, tx, `UPDATE outbox SET state = 'skipped', last_error = 'round voided'
			WHERE round_id = ? AND state IN ('pending', 'sending', 'failed')`, roundID)
		return err
	})
}

// VoidedRounds implements bot.Store.
func (db *DB) VoidedRounds(ctx context.Context, forumID string) ([]bot.Round, error) {
	return db.rounds(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = ? AND state = 'voided' ORDER BY id`, forumID)
}
