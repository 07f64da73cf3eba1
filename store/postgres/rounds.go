package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

// OpenRound implements bot.Store. Two instances opening the same round at
// once insert one: the second finds the first's on the rounds_held key.
func (db *DB) OpenRound(ctx context.Context, r bot.Round, prompts []bot.Delivery) (bot.Round, bool, error) {
	created := false
	err := db.tx(ctx, func(tx pgx.Tx) error {
		created = false
		// Two instances opening the same round at once: without the
		// forum's lock the second insert can meet the first on
		// rounds_revision, which ON CONFLICT does not arbitrate.
		if err := lockForum(ctx, tx, r.ForumID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO rounds (forum_id, period, revision, scheduled_at, opened_at, closes_at, state)
			VALUES ($1, $2, $3, $4, $5, $6, 'open') ON CONFLICT (forum_id, period) WHERE state <> 'voided' DO NOTHING RETURNING id`,
			r.ForumID, r.Period.String(), r.Revision, fmtTime(r.ScheduledAt), fmtTime(r.OpenedAt), fmtTime(r.ClosesAt)).Scan(&r.ID)
		if errors.Is(err, pgx.ErrNoRows) {
			r, err = store.ScanRound(tx.QueryRow(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = $1 AND period = $2 AND state <> 'voided'`,
				r.ForumID, r.Period.String()))
			return err
		} else if err != nil {
			return err
		}
		r.State, created = bot.RoundOpen, true
		for i := range prompts {
			prompts[i].RoundID = r.ID
		}
		_, err = enqueue(ctx, tx, prompts)
		return err
	})
	if err != nil {
		return bot.Round{}, false, err
	}
	return r, created, nil
}

// Round implements bot.Store.
func (db *DB) Round(ctx context.Context, forumID string, p bot.Period) (bot.Round, error) {
	r, err := store.ScanRound(db.pool.QueryRow(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = $1 AND period = $2 AND state <> 'voided'`, forumID, p.String()))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, notFound("forum %s has no round for %s", forumID, p)
	}
	return r, err
}

// RoundByID implements bot.Store.
func (db *DB) RoundByID(ctx context.Context, id int64) (bot.Round, error) {
	r, err := store.ScanRound(db.pool.QueryRow(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, notFound("no round %d", id)
	}
	return r, err
}

// Rounds implements bot.Store.
func (db *DB) Rounds(ctx context.Context, forumID string) ([]bot.Round, error) {
	return db.rounds(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = $1 AND state <> 'voided' ORDER BY period`, forumID)
}

// OpenRounds implements bot.Store.
func (db *DB) OpenRounds(ctx context.Context) ([]bot.Round, error) {
	return db.rounds(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE state = 'open' ORDER BY forum_id COLLATE "C", period`)
}

// VoidedRounds implements bot.Store.
func (db *DB) VoidedRounds(ctx context.Context, forumID string) ([]bot.Round, error) {
	return db.rounds(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = $1 AND state = 'voided' ORDER BY id`, forumID)
}

func (db *DB) rounds(ctx context.Context, query string, args ...any) ([]bot.Round, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Round
	for rows.Next() {
		r, err := store.ScanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CloseRound implements bot.Store.
func (db *DB) CloseRound(ctx context.Context, roundID int64, at time.Time, d bot.Digest) (bot.Digest, error) {
	in := d
	err := db.tx(ctx, func(tx pgx.Tx) error {
		d = in
		// The forum's lock first, as VoidRound takes it before the round.
		if err := lockForum(ctx, tx, d.ForumID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `UPDATE rounds SET state = 'closed', closed_at = $1 WHERE id = $2 AND state = 'open'`, fmtTime(at), roundID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return bot.Errorf(bot.ECONFLICT, "round %d is not open", roundID)
		}
		d.RoundID = roundID
		d, err = addDigest(ctx, tx, d, "")
		return err
	})
	return d, err
}

// ReopenRound implements bot.Store.
func (db *DB) ReopenRound(ctx context.Context, roundID int64, closesAt time.Time) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE rounds SET state = 'open', closed_at = NULL, closes_at = $1 WHERE id = $2 AND state = 'closed'`, fmtTime(closesAt), roundID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return bot.Errorf(bot.ECONFLICT, "round %d is not closed", roundID)
		}
		return nil
	})
}

// RecordReminders implements bot.Store.
func (db *DB) RecordReminders(ctx context.Context, roundID int64, n int, manual bool, ds []bot.Delivery) error {
	column := "reminders_sent"
	if manual {
		column = "manual_reminders"
	}
	return db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE rounds SET `+column+` = $1 WHERE id = $2 AND `+column+` < $1`, n, roundID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return bot.Errorf(bot.ECONFLICT, "reminder %d of round %d is already recorded", n, roundID)
		}
		_, err = enqueue(ctx, tx, ds)
		return err
	})
}

// VoidRound implements bot.Store. It holds the forum's lock, so that no
// answer is stored in the round between the check and the change.
func (db *DB) VoidRound(ctx context.Context, roundID int64, at time.Time, who bot.Address) error {
	return db.tx(ctx, func(tx pgx.Tx) error {
		var forumID string
		if err := tx.QueryRow(ctx, `SELECT forum_id FROM rounds WHERE id = $1`, roundID).Scan(&forumID); errors.Is(err, pgx.ErrNoRows) {
			return notFound("no round %d", roundID)
		} else if err != nil {
			return err
		}
		if err := lockForum(ctx, tx, forumID); err != nil {
			return err
		}
		r, err := store.ScanRound(tx.QueryRow(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE id = $1 FOR UPDATE`, roundID))
		if err != nil {
			return err
		}
		if r.State == bot.RoundVoided {
			return bot.Errorf(bot.ECONFLICT, "round %d is already voided", roundID)
		}
		var held bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM updates WHERE forum_id = $1 AND period = $2 AND round_id = $3)`,
			r.ForumID, r.Period.String(), roundID).Scan(&held); err != nil {
			return err
		}
		if held {
			return bot.Errorf(bot.ECONFLICT, "round %d holds updates: it stays in the record", roundID)
		}
		if _, err := tx.Exec(ctx, `UPDATE rounds SET state = 'voided', voided_at = $1, voided_by = $2 WHERE id = $3`,
			fmtTime(at), string(who), roundID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE outbox SET state = 'skipped', last_error = 'round voided'
			WHERE round_id = $1 AND state IN ('pending', 'sending', 'failed')`, roundID)
		return err
	})
}

// AddDigest implements bot.Store.
func (db *DB) AddDigest(ctx context.Context, d bot.Digest, key string) (bot.Digest, error) {
	in := d
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		d, err = addDigest(ctx, tx, in, key)
		return err
	})
	return d, err
}

// addDigest stores d, chains it and enqueues its delivery to d.Channel. An
// empty key derives one from the digest's id.
func addDigest(ctx context.Context, tx pgx.Tx, d bot.Digest, key string) (bot.Digest, error) {
	body, err := json.Marshal(d.Message)
	if err != nil {
		return d, err
	}
	if err := lockForum(ctx, tx, d.ForumID); err != nil {
		return d, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO digests (forum_id, commitment_id, period, round_id, created_at, channel, message) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		d.ForumID, d.CommitmentID, d.Period.String(), nullID(d.RoundID), fmtTime(d.CreatedAt), string(d.Channel), string(body)).Scan(&d.ID)
	if err != nil {
		return d, err
	}
	if err := chainRow(ctx, tx, "digests", d.ForumID, d.ID); err != nil {
		return d, err
	}
	if key == "" {
		key = "digest/" + d.ForumID + "/" + d.Period.String() + "/" + itoa(d.ID)
	}
	n, err := enqueue(ctx, tx, []bot.Delivery{{
		Key: key, Kind: bot.KindDigest, ForumID: d.ForumID, RoundID: d.RoundID, To: d.Channel, Channel: true,
		DigestID: d.ID, State: bot.Pending, NextAttemptAt: d.CreatedAt, CreatedAt: d.CreatedAt,
	}})
	if err == nil && n == 0 {
		err = bot.Errorf(bot.ECONFLICT, "a digest with key %q is already queued", key)
	}
	return d, err
}

// Digest implements bot.Store.
func (db *DB) Digest(ctx context.Context, id int64) (bot.Digest, error) {
	var (
		d                     bot.Digest
		period, created, body string
		channel               string
		round                 *int64
	)
	err := db.pool.QueryRow(ctx, `SELECT id, forum_id, commitment_id, period, round_id, created_at, channel, message FROM digests WHERE id = $1`, id).
		Scan(&d.ID, &d.ForumID, &d.CommitmentID, &period, &round, &created, &channel, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, notFound("no digest %d", id)
	} else if err != nil {
		return d, err
	}
	d.RoundID, d.Channel = deref(round), bot.Address(channel)
	var errs [3]error
	d.Period, errs[0] = bot.ParsePeriod(period)
	d.CreatedAt, errs[1] = parseTime(created)
	errs[2] = json.Unmarshal([]byte(body), &d.Message)
	return d, errors.Join(errs[:]...)
}
