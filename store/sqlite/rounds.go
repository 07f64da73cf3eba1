package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// OpenRound implements bot.Store.
func (db *DB) OpenRound(ctx context.Context, r bot.Round, prompts []bot.Delivery) (bot.Round, bool, error) {
	created := false
	err := db.write(ctx, func(tx *sql.Tx) error {
		existing, err := store.ScanRound(db.txRow(ctx, tx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = ? AND period = ? AND state <> 'voided'`, r.ForumID, r.Period.String()))
		if err == nil {
			r = existing
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := db.exec(ctx, tx, `INSERT INTO rounds (forum_id, period, revision, scheduled_at, opened_at, closes_at, state) VALUES (?, ?, ?, ?, ?, ?, 'open')`,
			r.ForumID, r.Period.String(), r.Revision, fmtTime(r.ScheduledAt), fmtTime(r.OpenedAt), fmtTime(r.ClosesAt))
		if err != nil {
			return err
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		r.State, created = bot.RoundOpen, true
		for i := range prompts {
			prompts[i].RoundID = r.ID
		}
		_, err = db.enqueue(ctx, tx, prompts)
		return err
	})
	if err != nil {
		return bot.Round{}, false, err
	}
	return r, created, nil
}

// Round implements bot.Store.
func (db *DB) Round(ctx context.Context, forumID string, p bot.Period) (bot.Round, error) {
	r, err := store.ScanRound(db.queryRow(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = ? AND period = ? AND state <> 'voided'`, forumID, p.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("forum %s has no round for %s", forumID, p)
	}
	return r, err
}

// RoundByID implements bot.Store.
func (db *DB) RoundByID(ctx context.Context, id int64) (bot.Round, error) {
	r, err := store.ScanRound(db.queryRow(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("no round %d", id)
	}
	return r, err
}

// Rounds implements bot.Store.
func (db *DB) Rounds(ctx context.Context, forumID string) ([]bot.Round, error) {
	return db.rounds(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE forum_id = ? AND state <> 'voided' ORDER BY period`, forumID)
}

// OpenRounds implements bot.Store.
func (db *DB) OpenRounds(ctx context.Context) ([]bot.Round, error) {
	return db.rounds(ctx, `SELECT `+store.RoundColumns+` FROM rounds WHERE state = 'open' ORDER BY forum_id, period`)
}

func (db *DB) rounds(ctx context.Context, query string, args ...any) ([]bot.Round, error) {
	rows, err := db.query(ctx, query, args...)
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
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `UPDATE rounds SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'open'`, fmtTime(at), roundID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return bot.Errorf(bot.ECONFLICT, "round %d is not open", roundID)
		}
		d.RoundID = roundID
		d, err = db.addDigest(ctx, tx, d, "")
		return err
	})
	return d, err
}

// ReopenRound implements bot.Store.
func (db *DB) ReopenRound(ctx context.Context, roundID int64, closesAt time.Time) error {
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `UPDATE rounds SET state = 'open', closed_at = NULL, closes_at = ? WHERE id = ? AND state = 'closed'`, fmtTime(closesAt), roundID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
	return db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `UPDATE rounds SET `+column+` = ? WHERE id = ? AND `+column+` < ?`, n, roundID, n)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return bot.Errorf(bot.ECONFLICT, "reminder %d of round %d is already recorded", n, roundID)
		}
		_, err = db.enqueue(ctx, tx, ds)
		return err
	})
}

// AddDigest implements bot.Store.
func (db *DB) AddDigest(ctx context.Context, d bot.Digest, key string) (bot.Digest, error) {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = db.addDigest(ctx, tx, d, key)
		return err
	})
	return d, err
}

// addDigest stores d and enqueues its delivery to d.Channel. An empty key
// derives one from the digest's id.
func (db *DB) addDigest(ctx context.Context, tx *sql.Tx, d bot.Digest, key string) (bot.Digest, error) {
	body, err := json.Marshal(d.Message)
	if err != nil {
		return d, err
	}
	res, err := db.exec(ctx, tx, `INSERT INTO digests (forum_id, commitment_id, period, round_id, created_at, channel, message) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ForumID, d.CommitmentID, d.Period.String(), nullID(d.RoundID), fmtTime(d.CreatedAt), string(d.Channel), string(body))
	if err != nil {
		return d, err
	}
	if d.ID, err = res.LastInsertId(); err != nil {
		return d, err
	}
	if err := db.chainer(tx).row(ctx, "digests", d.ForumID, d.ID); err != nil {
		return d, err
	}
	if key == "" {
		key = "digest/" + d.ForumID + "/" + d.Period.String() + "/" + itoa(d.ID)
	}
	n, err := db.enqueue(ctx, tx, []bot.Delivery{{
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
		round                 sql.NullInt64
	)
	err := db.queryRow(ctx, `SELECT id, forum_id, commitment_id, period, round_id, created_at, channel, message FROM digests WHERE id = ?`, id).
		Scan(&d.ID, &d.ForumID, &d.CommitmentID, &period, &round, &created, &channel, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("no digest %d", id)
	} else if err != nil {
		return d, err
	}
	d.RoundID, d.Channel = round.Int64, bot.Address(channel)
	var errs [3]error
	d.Period, errs[0] = bot.ParsePeriod(period)
	d.CreatedAt, errs[1] = parseTime(created)
	errs[2] = json.Unmarshal([]byte(body), &d.Message)
	return d, errors.Join(errs[:]...)
}
