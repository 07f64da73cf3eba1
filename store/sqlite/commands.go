package sqlite

import (
	"context"
	"database/sql"

	"forumbot/bot"
)

// ClaimCommand implements bot.Store.
func (db *DB) ClaimCommand(ctx context.Context, c bot.CommandRecord) (bot.CommandRecord, bool, error) {
	claimed := false
	prior := c
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `INSERT INTO commands (member, event_id, command, claimed_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (member, event_id) DO NOTHING`, string(c.Member), c.EventID, string(c.Command), fmtTime(c.ClaimedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			claimed = true
			return nil
		}
		var command, at, outcome string
		err = db.txRow(ctx, tx, `SELECT command, claimed_at, outcome, text FROM commands WHERE member = ? AND event_id = ?`,
			string(c.Member), c.EventID).Scan(&command, &at, &outcome, &prior.Text)
		if err != nil {
			return err
		}
		prior.Command, prior.Outcome = bot.CommandName(command), bot.CommandOutcome(outcome)
		prior.ClaimedAt, err = parseTime(at)
		return err
	})
	return prior, claimed, err
}

// FinishCommand implements bot.Store.
func (db *DB) FinishCommand(ctx context.Context, who bot.Address, eventID string, outcome bot.CommandOutcome, text string) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `UPDATE commands SET outcome = ?, text = ? WHERE member = ? AND event_id = ? AND outcome = ''`,
			string(outcome), text, string(who), eventID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.Errorf(bot.ECONFLICT, "request %s of %s is not being handled", eventID, who)
		}
		return nil
	})
}
