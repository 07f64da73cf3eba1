package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"forumbot/bot"
)

// AddNotice implements bot.Store. A notice already stored is found on the
// read pool first, so that a tick that notices the same thing every minute
// does not take the write lock for it.
func (db *DB) AddNotice(ctx context.Context, n bot.Notice, to []bot.Address) (bool, error) {
	var seen bool
	if err := db.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM notices WHERE key = ?)`, n.Key).Scan(&seen); err != nil || seen {
		return false, err
	}
	body, err := json.Marshal(n.Message)
	if err != nil {
		return false, err
	}
	added := false
	err = db.write(ctx, func(tx *sql.Tx) error {
		res, err := db.exec(ctx, tx, `INSERT INTO notices (key, forum_id, created_at, message) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
			n.Key, n.ForumID, fmtTime(n.CreatedAt), string(body))
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil
		}
		added = true
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		ds := make([]bot.Delivery, 0, len(to))
		for _, who := range to {
			ds = append(ds, bot.Delivery{
				Key: n.Key + "/" + string(who), Kind: bot.KindNotice, ForumID: n.ForumID, To: who,
				NoticeID: id, State: bot.Pending, NextAttemptAt: n.CreatedAt, CreatedAt: n.CreatedAt,
			})
		}
		_, err = db.enqueue(ctx, tx, ds)
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
	err := db.queryRow(ctx, `SELECT id, key, forum_id, created_at, message FROM notices WHERE id = ?`, id).
		Scan(&n.ID, &n.Key, &n.ForumID, &created, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return n, notFound("no notice %d", id)
	} else if err != nil {
		return n, err
	}
	var errs [2]error
	n.CreatedAt, errs[0] = parseTime(created)
	errs[1] = json.Unmarshal([]byte(body), &n.Message)
	return n, errors.Join(errs[:]...)
}
