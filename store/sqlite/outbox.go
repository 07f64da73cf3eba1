package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// enqueue inserts deliveries, skipping keys already stored, and returns how
// many it inserted.
func (db *DB) enqueue(ctx context.Context, tx *sql.Tx, ds []bot.Delivery) (int, error) {
	if len(ds) == 0 {
		return 0, nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO outbox (key, kind, forum_id, round_id, recipient, channel, digest_id, notice_id, state, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (key) DO NOTHING`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	added := 0
	for _, d := range ds {
		res, err := stmt.ExecContext(ctx, d.Key, string(d.Kind), d.ForumID, nullID(d.RoundID), string(d.To), d.Channel,
			nullID(d.DigestID), nullID(d.NoticeID), fmtTime(d.NextAttemptAt), fmtTime(d.CreatedAt))
		if err != nil {
			return added, err
		}
		n, _ := res.RowsAffected()
		added += int(n)
	}
	return added, nil
}

// Enqueue implements bot.Store.
func (db *DB) Enqueue(ctx context.Context, ds []bot.Delivery) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = db.enqueue(ctx, tx, ds)
		return err
	})
	return n, err
}

// DueDeliveries implements bot.Store.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, after int64, limit int) ([]bot.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox
		WHERE state IN ('pending', 'sending') AND id > ? AND next_attempt_at <= ? ORDER BY id LIMIT ?`, after, fmtTime(now), limit)
}

// Deliveries implements bot.Store.
func (db *DB) Deliveries(ctx context.Context, roundID int64, kind bot.DeliveryKind) ([]bot.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE round_id = ? AND kind = ? ORDER BY id`, roundID, string(kind))
}

// DeliveryByKey implements bot.Store.
func (db *DB) DeliveryByKey(ctx context.Context, key string) (bot.Delivery, error) {
	d, err := store.ScanDelivery(db.queryRow(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("nothing queued under %q", key)
	}
	return d, err
}

// DeliveryByRef implements bot.Store.
func (db *DB) DeliveryByRef(ctx context.Context, ref bot.MessageRef) (bot.Delivery, error) {
	d, err := store.ScanDelivery(db.queryRow(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE ref = ? ORDER BY id DESC LIMIT 1`, ref.String()))
	if errors.Is(err, sql.ErrNoRows) || ref.IsZero() {
		return bot.Delivery{}, notFound("no message %s was sent by forumbot", ref)
	}
	return d, err
}

// countQuery counts a round's entries of one kind in one state from the
// outbox_round index alone.
const countQuery = `SELECT COUNT(*) FROM outbox WHERE round_id = ? AND kind = ? AND state = ?`

// CountDeliveries implements bot.Store.
func (db *DB) CountDeliveries(ctx context.Context, roundID int64, kind bot.DeliveryKind, state bot.DeliveryState) (int, error) {
	var n int
	err := db.queryRow(ctx, countQuery, roundID, string(kind), string(state)).Scan(&n)
	return n, err
}

// outcomesQuery counts a round's entries of one kind given up on, and
// those whose reference names another platform than their recipient's
// address (both begin with the platform and a colon), reading the rows
// on the outbox_round index.
const outcomesQuery = `SELECT COUNT(*) FILTER (WHERE state = 'failed'),
		COUNT(*) FILTER (WHERE state = 'sent' AND ref <> '' AND substr(ref, 1, instr(ref, ':')) <> substr(recipient, 1, instr(recipient, ':')))
	FROM outbox WHERE round_id = ? AND kind = ?`

// DeliveryOutcomes implements bot.Store.
func (db *DB) DeliveryOutcomes(ctx context.Context, roundID int64, kind bot.DeliveryKind) (failed, byFallback int, err error) {
	err = db.queryRow(ctx, outcomesQuery, roundID, string(kind)).Scan(&failed, &byFallback)
	return failed, byFallback, err
}

// promptedQuery reads who was prompted in a round from the outbox_round
// index alone.
const promptedQuery = `SELECT recipient FROM outbox WHERE round_id = ? AND kind = 'prompt' AND state <> 'skipped'`

// promptedAmongQuery is promptedQuery for n recipients, one seek each.
func promptedAmongQuery(n int) string {
	return promptedQuery + ` AND recipient IN (?` + strings.Repeat(", ?", n-1) + `)`
}

// Prompted implements bot.Store.
func (db *DB) Prompted(ctx context.Context, roundID int64, among []bot.Address) ([]bot.Address, error) {
	if among == nil {
		return db.recipients(ctx, promptedQuery, roundID)
	}
	var out []bot.Address
	for chunk := range slices.Chunk(among, lastRefsChunk) {
		args := []any{roundID}
		for _, who := range chunk {
			args = append(args, string(who))
		}
		some, err := db.recipients(ctx, promptedAmongQuery(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		out = append(out, some...)
	}
	return out, nil
}

// recipients reads a column of addresses.
func (db *DB) recipients(ctx context.Context, query string, args ...any) ([]bot.Address, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Address
	for rows.Next() {
		var who string
		if err := rows.Scan(&who); err != nil {
			return nil, err
		}
		out = append(out, bot.Address(who))
	}
	return out, rows.Err()
}

// lastRefsQuery reads the newest sent message to each of n recipients, one
// seek each on the last_refs table's key (schema v11).
func lastRefsQuery(n int) string {
	return `SELECT l.recipient, l.ref FROM (VALUES (?)` + strings.Repeat(", (?)", n-1) + `) k
		CROSS JOIN last_refs l ON l.recipient = k.column1`
}

// lastRefsChunk bounds the recipients of one LastRefs query.
const lastRefsChunk = 1000

// LastRefs implements bot.Store.
func (db *DB) LastRefs(ctx context.Context, to []bot.Address) (map[bot.Address]bot.MessageRef, error) {
	out := make(map[bot.Address]bot.MessageRef, len(to))
	for len(to) > 0 {
		chunk := to[:min(len(to), lastRefsChunk)]
		to = to[len(chunk):]
		args := make([]any, len(chunk))
		for i, a := range chunk {
			args[i] = string(a)
		}
		rows, err := db.query(ctx, lastRefsQuery(len(chunk)), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var who, ref string
			if err := rows.Scan(&who, &ref); err != nil {
				rows.Close()
				return nil, err
			}
			r, err := bot.ParseMessageRef(ref)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[bot.Address(who)] = r
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) deliveries(ctx context.Context, query string, args ...any) ([]bot.Delivery, error) {
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Delivery
	for rows.Next() {
		d, err := store.ScanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// The outbox's hot writes, prepared once.
const (
	markSending = `UPDATE outbox SET state = 'sending' WHERE id = ? AND state IN ('pending', 'sending')`
	markSent    = `UPDATE outbox SET state = 'sent', ref = ?, sent_at = ?, last_error = '' WHERE id = ? AND state IN ('pending', 'sending')`
	markRetry   = `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = ?, last_error = ?,
		failing_since = COALESCE(failing_since, ?) WHERE id = ? AND state IN ('pending', 'sending')`
	markWaiting = `UPDATE outbox SET state = CASE WHEN ? THEN 'pending' ELSE state END, next_attempt_at = ?, last_error = ?
		WHERE id = ? AND state IN ('pending', 'sending')`
)

// MarkSending implements bot.Store.
func (db *DB) MarkSending(ctx context.Context, id int64) error {
	return db.mark(ctx, markSending, id)
}

// MarkSendingBatch implements bot.Store.
func (db *DB) MarkSendingBatch(ctx context.Context, ids []int64) ([]int64, error) {
	reqs := make([]*markRequest, len(ids))
	for i, id := range ids {
		reqs[i] = &markRequest{query: markSending, args: []any{id}, done: make(chan struct{})}
	}
	return db.markedIDs(ctx, reqs)
}

// MarkSentBatch implements bot.Store.
func (db *DB) MarkSentBatch(ctx context.Context, marks []bot.SentMark) ([]int64, error) {
	reqs := make([]*markRequest, len(marks))
	for i, m := range marks {
		reqs[i] = &markRequest{query: markSent, args: []any{m.Ref.String(), fmtTime(m.At), m.ID}, done: make(chan struct{})}
	}
	return db.markedIDs(ctx, reqs)
}

// markedIDs writes the marks and returns the ids of those whose entries
// were in flight (each request's last argument).
func (db *DB) markedIDs(ctx context.Context, reqs []*markRequest) ([]int64, error) {
	if err := db.markAll(ctx, reqs); err != nil {
		return nil, err
	}
	marked := make([]int64, 0, len(reqs))
	for _, r := range reqs {
		switch {
		case r.err == nil:
			marked = append(marked, r.args[len(r.args)-1].(int64))
		case bot.ErrorCode(r.err) != bot.ECONFLICT:
			return nil, r.err
		}
	}
	return marked, nil
}

// MarkSent implements bot.Store.
func (db *DB) MarkSent(ctx context.Context, id int64, ref bot.MessageRef, at time.Time) error {
	return db.mark(ctx, markSent, ref.String(), fmtTime(at), id)
}

// MarkRetry implements bot.Store.
func (db *DB) MarkRetry(ctx context.Context, id int64, failedAt, next time.Time, reason string) error {
	return db.mark(ctx, markRetry, fmtTime(next), reason, fmtTime(failedAt), id)
}

// MarkWaiting implements bot.Store.
func (db *DB) MarkWaiting(ctx context.Context, id int64, next time.Time, reason string, unsent bool) error {
	return db.mark(ctx, markWaiting, unsent, fmtTime(next), reason, id)
}

// MarkFailed implements bot.Store.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	return db.mark(ctx, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND state IN ('pending', 'sending')`, reason, id)
}

// MarkSkipped implements bot.Store.
func (db *DB) MarkSkipped(ctx context.Context, id int64, reason string) error {
	return db.mark(ctx, `UPDATE outbox SET state = 'skipped', last_error = ? WHERE id = ? AND state IN ('pending', 'sending')`, reason, id)
}
