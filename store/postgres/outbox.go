package postgres

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// enqueue inserts deliveries in one batch, skipping keys already stored,
// and returns how many it inserted.
func enqueue(ctx context.Context, tx pgx.Tx, ds []bot.Delivery) (int, error) {
	if len(ds) == 0 {
		return 0, nil
	}
	const insert = `INSERT INTO outbox (key, kind, forum_id, round_id, recipient, channel, digest_id, notice_id, state, next_attempt_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10) ON CONFLICT (key) DO NOTHING`
	batch := &pgx.Batch{}
	for _, d := range ds {
		batch.Queue(insert, d.Key, string(d.Kind), d.ForumID, nullID(d.RoundID), string(d.To), d.Channel,
			nullID(d.DigestID), nullID(d.NoticeID), fmtTime(d.NextAttemptAt), fmtTime(d.CreatedAt))
	}
	res := tx.SendBatch(ctx, batch)
	added := 0
	for range ds {
		tag, err := res.Exec()
		if err != nil {
			res.Close()
			return added, err
		}
		added += int(tag.RowsAffected())
	}
	return added, res.Close()
}

// Enqueue implements bot.Store.
func (db *DB) Enqueue(ctx context.Context, ds []bot.Delivery) (int, error) {
	var n int
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		n, err = enqueue(ctx, tx, ds)
		return err
	})
	return n, err
}

// DueDeliveries implements bot.Store.
func (db *DB) DueDeliveries(ctx context.Context, now time.Time, after int64, limit int) ([]bot.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox
		WHERE state IN ('pending', 'sending') AND id > $1 AND next_attempt_at <= $2 ORDER BY id LIMIT $3`, after, fmtTime(now), limit)
}

// Deliveries implements bot.Store.
func (db *DB) Deliveries(ctx context.Context, roundID int64, kind bot.DeliveryKind) ([]bot.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE round_id = $1 AND kind = $2 ORDER BY id`, roundID, string(kind))
}

// FailedDeliveries implements bot.Store, on the outbox_failed index.
func (db *DB) FailedDeliveries(ctx context.Context, forumID string) ([]bot.Delivery, error) {
	return db.deliveries(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE forum_id = $1 AND state = 'failed' ORDER BY id`, forumID)
}

// RetryFailed implements bot.Store, as store/sqlite does: an entry tried
// before keeps one attempt, so that the sender asks the platform before
// it sends again.
func (db *DB) RetryFailed(ctx context.Context, forumID string, now time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE outbox SET state = 'pending', attempts = LEAST(attempts, 1), failing_since = NULL, next_attempt_at = $1
			WHERE forum_id = $2 AND state = 'failed'`, fmtTime(now), forumID)
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}

// DeliveryByKey implements bot.Store.
func (db *DB) DeliveryByKey(ctx context.Context, key string) (bot.Delivery, error) {
	d, err := store.ScanDelivery(db.pool.QueryRow(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE key = $1`, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, notFound("nothing queued under %q", key)
	}
	return d, err
}

// DeliveryByRef implements bot.Store.
func (db *DB) DeliveryByRef(ctx context.Context, ref bot.MessageRef) (bot.Delivery, error) {
	if ref.IsZero() {
		return bot.Delivery{}, notFound("no message %s was sent by forumbot", ref)
	}
	d, err := store.ScanDelivery(db.pool.QueryRow(ctx, `SELECT `+store.DeliveryColumns+` FROM outbox WHERE ref = $1 ORDER BY id DESC LIMIT 1`, ref.String()))
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.Delivery{}, notFound("no message %s was sent by forumbot", ref)
	}
	return d, err
}

// countQuery counts round $1's deliveries of kind $2 in state $3.
const countQuery = `SELECT COUNT(*) FROM outbox WHERE round_id = $1 AND kind = $2 AND state = $3`

// CountDeliveries implements bot.Store.
func (db *DB) CountDeliveries(ctx context.Context, roundID int64, kind bot.DeliveryKind, state bot.DeliveryState) (int, error) {
	var n int
	err := db.pool.QueryRow(ctx, countQuery, roundID, string(kind), string(state)).Scan(&n)
	return n, err
}

// outcomesQuery counts round $1's deliveries of kind $2 given up on and
// sent to a fallback.
const outcomesQuery = `SELECT COUNT(*) FILTER (WHERE state = 'failed'),
		COUNT(*) FILTER (WHERE state = 'sent' AND ref <> '' AND split_part(ref, ':', 1) <> split_part(recipient, ':', 1))
	FROM outbox WHERE round_id = $1 AND kind = $2`

// DeliveryOutcomes implements bot.Store: a reference and an address each
// begin with their platform and a colon.
func (db *DB) DeliveryOutcomes(ctx context.Context, roundID int64, kind bot.DeliveryKind) (failed, byFallback int, err error) {
	err = db.pool.QueryRow(ctx, outcomesQuery, roundID, string(kind)).Scan(&failed, &byFallback)
	return failed, byFallback, translate(err)
}

// promptedQuery reads who round $1 prompted; promptedAmongQuery, who of
// those in $2.
const (
	promptedQuery      = `SELECT recipient FROM outbox WHERE round_id = $1 AND kind = 'prompt' AND state <> 'skipped'`
	promptedAmongQuery = promptedQuery + ` AND recipient = ANY($2)`
)

// Prompted implements bot.Store.
func (db *DB) Prompted(ctx context.Context, roundID int64, among []bot.Address) ([]bot.Address, error) {
	query, args := promptedQuery, []any{roundID}
	if among != nil {
		who := make([]string, len(among))
		for i, a := range among {
			who[i] = string(a)
		}
		query, args = promptedAmongQuery, append(args, who)
	}
	rows, err := db.pool.Query(ctx, query, args...)
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

// lastRefsQuery reads the last message sent to each recipient of $1.
const lastRefsQuery = `SELECT k.r, l.ref FROM unnest($1::text[]) k(r)
	CROSS JOIN LATERAL (SELECT o.ref FROM outbox o WHERE o.recipient = k.r AND o.ref <> '' ORDER BY o.id DESC LIMIT 1) l`

// LastRefs implements bot.Store: one seek each on the outbox_recipient
// index, the recipients given as one array.
func (db *DB) LastRefs(ctx context.Context, to []bot.Address) (map[bot.Address]bot.MessageRef, error) {
	out := make(map[bot.Address]bot.MessageRef, len(to))
	if len(to) == 0 {
		return out, nil
	}
	who := make([]string, len(to))
	for i, a := range to {
		who[i] = string(a)
	}
	rows, err := db.pool.Query(ctx, lastRefsQuery, who)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var w, ref string
		if err := rows.Scan(&w, &ref); err != nil {
			return nil, err
		}
		r, err := bot.ParseMessageRef(ref)
		if err != nil {
			return nil, err
		}
		out[bot.Address(w)] = r
	}
	return out, rows.Err()
}

func (db *DB) deliveries(ctx context.Context, query string, args ...any) ([]bot.Delivery, error) {
	rows, err := db.pool.Query(ctx, query, args...)
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

// MarkSending implements bot.Store.
func (db *DB) MarkSending(ctx context.Context, id int64) error {
	return db.mark(ctx, id, `UPDATE outbox SET state = 'sending' WHERE id = $1 AND state IN ('pending', 'sending')`)
}

// MarkSendingBatch implements bot.Store.
func (db *DB) MarkSendingBatch(ctx context.Context, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := db.pool.Query(ctx, `UPDATE outbox SET state = 'sending' WHERE id = ANY($1) AND state IN ('pending', 'sending') RETURNING id`, ids)
	if err != nil {
		return nil, translate(err)
	}
	return inOrder(rows, ids)
}

// inOrder reads the ids an UPDATE … RETURNING id changed and returns those
// of ids among them, in the order of ids.
func inOrder(rows pgx.Rows, ids []int64) ([]int64, error) {
	defer rows.Close()
	done := make(map[int64]bool, len(ids))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, translate(err)
		}
		done[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	marked := make([]int64, 0, len(done))
	for _, id := range ids {
		if done[id] {
			marked = append(marked, id)
		}
	}
	return marked, nil
}

// MarkSentBatch implements bot.Store.
func (db *DB) MarkSentBatch(ctx context.Context, marks []bot.SentMark) ([]int64, error) {
	if len(marks) == 0 {
		return nil, nil
	}
	ids, refs, ats := make([]int64, len(marks)), make([]string, len(marks)), make([]string, len(marks))
	for i, m := range marks {
		ids[i], refs[i], ats[i] = m.ID, m.Ref.String(), fmtTime(m.At)
	}
	rows, err := db.pool.Query(ctx, `UPDATE outbox o SET state = 'sent', ref = v.ref, sent_at = v.at, last_error = ''
		FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v (id, ref, at)
		WHERE o.id = v.id AND o.state IN ('pending', 'sending') RETURNING o.id`, ids, refs, ats)
	if err != nil {
		return nil, translate(err)
	}
	return inOrder(rows, ids)
}

// MarkSent implements bot.Store.
func (db *DB) MarkSent(ctx context.Context, id int64, ref bot.MessageRef, at time.Time) error {
	return db.mark(ctx, id, `UPDATE outbox SET state = 'sent', ref = $2, sent_at = $3, last_error = '' WHERE id = $1 AND state IN ('pending', 'sending')`,
		ref.String(), fmtTime(at))
}

// MarkRetry implements bot.Store.
func (db *DB) MarkRetry(ctx context.Context, id int64, failedAt, next time.Time, reason string) error {
	return db.mark(ctx, id, `UPDATE outbox SET state = 'pending', attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
		failing_since = COALESCE(failing_since, $4) WHERE id = $1 AND state IN ('pending', 'sending')`, fmtTime(next), reason, fmtTime(failedAt))
}

// MarkWaiting implements bot.Store.
func (db *DB) MarkWaiting(ctx context.Context, id int64, next time.Time, reason string, unsent bool) error {
	return db.mark(ctx, id, `UPDATE outbox SET state = CASE WHEN $2 THEN 'pending' ELSE state END, next_attempt_at = $3, last_error = $4
		WHERE id = $1 AND state IN ('pending', 'sending')`, unsent, fmtTime(next), reason)
}

// MarkFailed implements bot.Store.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string) error {
	return db.mark(ctx, id, `UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1 AND state IN ('pending', 'sending')`, reason)
}

// MarkSkipped implements bot.Store.
func (db *DB) MarkSkipped(ctx context.Context, id int64, reason string) error {
	return db.mark(ctx, id, `UPDATE outbox SET state = 'skipped', last_error = $2 WHERE id = $1 AND state IN ('pending', 'sending')`, reason)
}

// mark runs a state change that must find its row still in flight; one
// statement, so no transaction of its own is needed.
func (db *DB) mark(ctx context.Context, id int64, query string, args ...any) error {
	tag, err := db.pool.Exec(ctx, query, append([]any{id}, args...)...)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() == 0 {
		return bot.Errorf(bot.ECONFLICT, "outbox entry %d is not in flight", id)
	}
	return nil
}
