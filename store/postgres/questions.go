package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

// AddQuestion implements bot.Store.
func (db *DB) AddQuestion(ctx context.Context, q bot.Question, contact string) (bot.Question, error) {
	publish := int64(0)
	if q.PublishName {
		publish = 1
	}
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO questions (forum_id, commitment_id, text, name, organisation, publish_name, locale, asked_at, due_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			q.ForumID, q.AskedOn, q.Text, q.Name, q.Organisation, publish, q.Locale, fmtTime(q.AskedAt), fmtTime(q.DueAt)).Scan(&q.ID); err != nil {
			return err
		}
		if contact == "" {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO question_contacts (question_id, email) VALUES ($1, $2)`, q.ID, contact)
		return err
	})
	if err != nil {
		return bot.Question{}, err
	}
	q.Events, q.HasContact = nil, contact != ""
	return q, nil
}

// AddQuestionEvent implements bot.Store. The question's row is locked
// (SELECT ... FOR UPDATE) before its events are read, so that the check
// sees every event committed before and no other event is appended until
// this transaction ends: of two coordinators deciding at once, the second
// waits, finds the first's decision and is refused.
func (db *DB) AddQuestionEvent(ctx context.Context, ev bot.QuestionEvent) (bot.Question, bool, error) {
	var (
		q     bot.Question
		added bool
	)
	err := db.tx(ctx, func(tx pgx.Tx) error {
		added = false
		var err error
		if q, err = questionIn(ctx, tx, ev.QuestionID, true); err != nil {
			return err
		}
		if ev.EventID != "" {
			for _, prior := range q.Events {
				if prior.EventID == ev.EventID {
					return nil
				}
			}
		}
		if err := bot.CheckQuestionEvent(&q, ev); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO question_events (question_id, kind, at, by_member, grp, organisation, reason, text, evidence, commitment_id, event_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			ev.QuestionID, string(ev.Kind), fmtTime(ev.At), string(ev.By), string(ev.Group), ev.Organisation, string(ev.Reason), ev.Text,
			store.JSONList(ev.Evidence), ev.Commitment, ev.EventID).Scan(&ev.ID); err != nil {
			return err
		}
		q.Events, added = append(q.Events, ev), true
		return nil
	})
	if err != nil {
		return bot.Question{}, false, err
	}
	return q, added, nil
}

// questionIn reads a question and its events in tx; lock takes the
// question's row lock first.
func questionIn(ctx context.Context, tx pgx.Tx, id int64, lock bool) (bot.Question, error) {
	query := `SELECT ` + store.QuestionColumns + ` FROM questions WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	q, err := store.ScanQuestion(tx.QueryRow(ctx, query, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return q, notFound("no question Q-%d", id)
	} else if err != nil {
		return q, err
	}
	q.Events, err = questionEvents(ctx, tx, `question_id = $1`, id)
	return q, err
}

// querier is what pgx.Tx and the pool have alike for reads.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// questionEvents reads the question events a where clause selects, in
// order.
func questionEvents(ctx context.Context, qr querier, where string, arg any) ([]bot.QuestionEvent, error) {
	rows, err := qr.Query(ctx, `SELECT `+store.QuestionEventColumns+` FROM question_events WHERE `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.QuestionEvent
	for rows.Next() {
		ev, err := store.ScanQuestionEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Question implements bot.Store.
func (db *DB) Question(ctx context.Context, id int64) (bot.Question, error) {
	qs, err := db.questions(ctx, `id = $1`, id)
	if err != nil {
		return bot.Question{}, err
	}
	if len(qs) == 0 {
		return bot.Question{}, notFound("no question Q-%d", id)
	}
	return qs[0], nil
}

// Questions implements bot.Store. As in store/sqlite, the commitment a
// question stands on now and whether it waits are decided from its
// events, here rather than in SQL: a forum's questions are few.
func (db *DB) Questions(ctx context.Context, f bot.QuestionFilter) ([]bot.Question, error) {
	qs, err := db.questions(ctx, `forum_id = $1`, f.ForumID)
	if err != nil {
		return nil, err
	}
	return store.FilterQuestions(qs, f), nil
}

// questions reads the questions a where clause selects, with their
// events, in one repeatable-read transaction: the events are those of the
// questions as they were read.
func (db *DB) questions(ctx context.Context, where string, arg any) ([]bot.Question, error) {
	var qs []bot.Question
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		qs = nil
		rows, err := tx.Query(ctx, `SELECT `+store.QuestionColumns+` FROM questions WHERE `+where+` ORDER BY id`, arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			q, err := store.ScanQuestion(rows)
			if err != nil {
				return err
			}
			qs = append(qs, q)
		}
		if err := rows.Err(); err != nil || len(qs) == 0 {
			return err
		}
		evs, err := questionEvents(ctx, tx, `question_id IN (SELECT id FROM questions WHERE `+where+`)`, arg)
		if err != nil {
			return err
		}
		store.AttachEvents(qs, evs)
		return nil
	})
	return qs, err
}

// QuestionContact implements bot.Store.
func (db *DB) QuestionContact(ctx context.Context, id int64) (string, error) {
	var email string
	err := db.pool.QueryRow(ctx, `SELECT email FROM question_contacts WHERE question_id = $1`, id).Scan(&email)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return email, err
}

// ForgetContacts implements bot.Store, as store/sqlite does: each
// forgotten address is replaced by store.ForgottenAddress in the outbox
// entries of its question's notices (their recipient, key and last
// error), then deleted.
func (db *DB) ForgetContacts(ctx context.Context, forumID string, closedBefore time.Time) (int, error) {
	var n int
	err := db.tx(ctx, func(tx pgx.Tx) error {
		n = 0
		rows, err := tx.Query(ctx, `SELECT c.question_id, c.email FROM question_contacts c
			WHERE c.question_id IN (SELECT id FROM questions WHERE forum_id = $1)
			AND (SELECT min(e.at) FROM question_events e WHERE e.question_id = c.question_id AND e.kind IN ('answered', 'rejected')) < $2
			ORDER BY c.question_id FOR UPDATE OF c`, forumID, fmtTime(closedBefore))
		if err != nil {
			return err
		}
		forget, err := store.ScanContacts(rows)
		rows.Close()
		if err != nil {
			return err
		}
		for _, c := range forget {
			if _, err := tx.Exec(ctx, forgetInOutbox, store.ForgottenAddress, "email:"+c.Email, bot.QuestionKey(c.QuestionID, ""),
				c.Email, strings.TrimPrefix(store.ForgottenAddress, "email:")); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DELETE FROM question_contacts WHERE question_id = $1`, c.QuestionID); err != nil {
				return err
			}
		}
		n = len(forget)
		return nil
	})
	return n, err
}

// forgetInOutbox replaces address $2 (email:…, $4 bare) by $1 in the
// outbox entries of the notices of the question whose keys start with $3.
const forgetInOutbox = `UPDATE outbox SET recipient = $1, key = replace(key, $2, $1), last_error = replace(last_error, $4, $5)
	WHERE kind = 'notice' AND recipient = $2 AND left(key, length($3)) = $3`
