package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
)

// AddNotice implements bot.Store. A notice already stored is found
// without a write first, so that a tick that notices the same thing every
// minute writes nothing.
func (db *DB) AddNotice(ctx context.Context, n bot.Notice, to []bot.Address) (bool, error) {
	var seen bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM notices WHERE key = $1)`, n.Key).Scan(&seen); err != nil || seen {
		return false, err
	}
	body, err := json.Marshal(n.Message)
	if err != nil {
		return false, err
	}
	added := false
	err = db.tx(ctx, func(tx pgx.Tx) error {
		added = false
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO notices (key, forum_id, created_at, message) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING RETURNING id`,
			n.Key, n.ForumID, fmtTime(n.CreatedAt), string(body)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		added = true
		ds := make([]bot.Delivery, 0, len(to))
		for _, who := range to {
			ds = append(ds, bot.Delivery{
				Key: n.Key + "/" + string(who), Kind: bot.KindNotice, ForumID: n.ForumID, To: who,
				NoticeID: id, State: bot.Pending, NextAttemptAt: n.CreatedAt, CreatedAt: n.CreatedAt,
			})
		}
		_, err = enqueue(ctx, tx, ds)
		return err
	})
	return added, err
}

// Notice implements bot.Store.
func (db *DB) Notice(ctx context.Context, id int64) (bot.Notice, error) {
	var (
		n             bot.Notice
		created, body string
	)
	err := db.pool.QueryRow(ctx, `SELECT id, key, forum_id, created_at, message FROM notices WHERE id = $1`, id).
		Scan(&n.ID, &n.Key, &n.ForumID, &created, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return n, notFound("no notice %d", id)
	} else if err != nil {
		return n, err
	}
	var errs [2]error
	n.CreatedAt, errs[0] = parseTime(created)
	errs[1] = json.Unmarshal([]byte(body), &n.Message)
	return n, errors.Join(errs[:]...)
}

// ClaimCommand implements bot.Store.
func (db *DB) ClaimCommand(ctx context.Context, c bot.CommandRecord) (bot.CommandRecord, bool, error) {
	claimed := false
	prior := c
	err := db.tx(ctx, func(tx pgx.Tx) error {
		claimed, prior = false, c
		tag, err := tx.Exec(ctx, `INSERT INTO commands (member, event_id, command, claimed_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (member, event_id) DO NOTHING`, string(c.Member), c.EventID, string(c.Command), fmtTime(c.ClaimedAt))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 1 {
			claimed = true
			return nil
		}
		var command, at, outcome string
		if err := tx.QueryRow(ctx, `SELECT command, claimed_at, outcome, text FROM commands WHERE member = $1 AND event_id = $2`,
			string(c.Member), c.EventID).Scan(&command, &at, &outcome, &prior.Text); err != nil {
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
	tag, err := db.pool.Exec(ctx, `UPDATE commands SET outcome = $1, text = $2 WHERE member = $3 AND event_id = $4 AND outcome = ''`,
		string(outcome), text, string(who), eventID)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return bot.Errorf(bot.ECONFLICT, "request %s of %s is not being handled", eventID, who)
	}
	return nil
}

// SetAway implements bot.Store: it appends to the absence log.
func (db *DB) SetAway(ctx context.Context, who bot.Address, until bot.Date) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO absence_log (member, until, set_at) VALUES ($1, $2, $3)`, string(who), until.String(), fmtTime(db.Now()))
	return translate(err)
}

// Absences implements bot.Store.
func (db *DB) Absences(ctx context.Context) ([]bot.Absence, error) {
	rows, err := db.pool.Query(ctx, `SELECT member, until, set_at FROM absence_log ORDER BY set_at, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Absence
	for rows.Next() {
		var who, until, setAt string
		if err := rows.Scan(&who, &until, &setAt); err != nil {
			return nil, err
		}
		a := bot.Absence{Member: bot.Address(who)}
		if until != "" {
			if a.Until, err = bot.ParseDate(until); err != nil {
				return nil, err
			}
		}
		if a.SetAt, err = parseTime(setAt); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
