package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// AddQuestion implements bot.Store.
func (db *DB) AddQuestion(ctx context.Context, q bot.Question, contact string) (bot.Question, error) {
	publish := 0
	if q.PublishName {
		publish = 1
	}
	err := db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `INSERT INTO questions (forum_id, commitment_id, text, name, organisation, publish_name, locale, asked_at, due_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			q.ForumID, q.AskedOn, q.Text, q.Name, q.Organisation, publish, q.Locale, fmtTime(q.AskedAt), fmtTime(q.DueAt))
		if err != nil {
			return err
		}
		if q.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if contact == "" {
			return nil
		}
		_, err = db.exec(ctx, tx, `INSERT INTO question_contacts (question_id, email) VALUES (?, ?)`, q.ID, contact)
		return err
	})
	if err != nil {
		return bot.Question{}, err
	}
	q.Events, q.HasContact = nil, contact != ""
	return q, nil
}

// AddQuestionEvent implements bot.Store.
func (db *DB) AddQuestionEvent(ctx context.Context, ev bot.QuestionEvent) (bot.Question, bool, error) {
	var (
		q     bot.Question
		added bool
	)
	err := db.write(ctx, func(tx *sql.Tx) error {
		// write may run fn twice: the first run's outcome must not stay.
		added = false
		var err error
		if q, err = questionIn(ctx, tx, ev.QuestionID); err != nil {
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
		res, err := db.exec(ctx, tx, `INSERT INTO question_events (question_id, kind, at, by_member, grp, organisation, reason, text, evidence, commitment_id, event_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ev.QuestionID, string(ev.Kind), fmtTime(ev.At), string(ev.By), string(ev.Group), ev.Organisation, string(ev.Reason), ev.Text,
			store.JSONList(ev.Evidence), ev.Commitment, ev.EventID)
		if err != nil {
			return err
		}
		if ev.ID, err = res.LastInsertId(); err != nil {
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

// questionIn reads a question and its events in tx.
func questionIn(ctx context.Context, tx *sql.Tx, id int64) (bot.Question, error) {
	q, err := store.ScanQuestion(tx.QueryRowContext(ctx, `SELECT `+store.QuestionColumns+` FROM questions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, notFound("no question Q-%d", id)
	} else if err != nil {
		return q, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+store.QuestionEventColumns+` FROM question_events WHERE question_id = ? ORDER BY id`, id)
	if err != nil {
		return q, err
	}
	q.Events, err = scanQuestionEvents(rows)
	return q, err
}

func scanQuestionEvents(rows *sql.Rows) ([]bot.QuestionEvent, error) {
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
	qs, err := db.questions(ctx, `WHERE id = ?`, id)
	if err != nil {
		return bot.Question{}, err
	}
	if len(qs) == 0 {
		return bot.Question{}, notFound("no question Q-%d", id)
	}
	return qs[0], nil
}

// Questions implements bot.Store. A forum's questions are few (tens a
// month), so the commitment a question stands on now and whether it
// waits are decided from its events, here rather than in SQL.
func (db *DB) Questions(ctx context.Context, f bot.QuestionFilter) ([]bot.Question, error) {
	qs, err := db.questions(ctx, `WHERE forum_id = ?`, f.ForumID)
	if err != nil {
		return nil, err
	}
	return store.FilterQuestions(qs, f), nil
}

// questions reads the questions a where clause selects, with their events.
func (db *DB) questions(ctx context.Context, where string, arg any) ([]bot.Question, error) {
	rows, err := db.query(ctx, `SELECT `+store.QuestionColumns+` FROM questions `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var qs []bot.Question
	for rows.Next() {
		q, err := store.ScanQuestion(rows)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	if err := rows.Err(); err != nil || len(qs) == 0 {
		return qs, err
	}
	evRows, err := db.query(ctx, `SELECT `+store.QuestionEventColumns+` FROM question_events
		WHERE question_id IN (SELECT id FROM questions `+where+`) ORDER BY id`, arg)
	if err != nil {
		return nil, err
	}
	evs, err := scanQuestionEvents(evRows)
	if err != nil {
		return nil, err
	}
	store.AttachEvents(qs, evs)
	return qs, nil
}

// QuestionContact implements bot.Store.
func (db *DB) QuestionContact(ctx context.Context, id int64) (string, error) {
	var email string
	err := db.queryRow(ctx, `SELECT email FROM question_contacts WHERE question_id = ?`, id).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return email, err
}

// ForgetContacts implements bot.Store.
func (db *DB) ForgetContacts(ctx context.Context, forumID string, closedBefore time.Time) (int, error) {
	var n int
	err := db.write(ctx, func(tx *sql.Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, `SELECT c.question_id, c.email FROM question_contacts c
			WHERE c.question_id IN (SELECT id FROM questions WHERE forum_id = ?)
			AND (SELECT min(at) FROM question_events e WHERE e.question_id = c.question_id AND e.kind IN ('answered', 'rejected')) < ?`,
			forumID, fmtTime(closedBefore))
		if err != nil {
			return err
		}
		forget, err := store.ScanContacts(rows)
		rows.Close()
		if err != nil {
			return err
		}
		for _, c := range forget {
			prefix, addr := bot.QuestionKey(c.QuestionID, ""), "email:"+c.Email
			// The address is in the entry's key (the notice's key and the
			// recipient) and may be in a send's error: it goes from both.
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET recipient = ?1, key = replace(key, ?2, ?1), last_error = replace(last_error, ?3, ?4)
				WHERE kind = 'notice' AND recipient = ?2 AND substr(key, 1, ?5) = ?6`,
				store.ForgottenAddress, addr, c.Email, strings.TrimPrefix(store.ForgottenAddress, "email:"), len(prefix), prefix); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM question_contacts WHERE question_id = ?`, c.QuestionID); err != nil {
				return err
			}
		}
		n = len(forget)
		return nil
	})
	return n, err
}
