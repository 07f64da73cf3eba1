package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

// insertUpdate stores an update as the next version of its member's update
// for the round and commitment; an event id the member used before in the
// round inserts nothing (another member's same id does). The caller holds the
// forum's lock, so the version read here is still the last one when the
// row is written.
const insertUpdate = `INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version,
	completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, event_id)
	SELECT $1, $2, $3::bigint, $4, $5, $6, $7,
		COALESCE((SELECT MAX(version) FROM updates WHERE member = $5 AND round_id = $3 AND commitment_id = $4), 0) + 1,
		$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18::bigint, $19
	ON CONFLICT (round_id, member, event_id) WHERE event_id IS NOT NULL DO NOTHING
	RETURNING id, version`

// AddUpdate implements bot.Store: in one transaction, under the forum's
// lock, the version is numbered, stored, derived (the triggers) and
// chained. Two instances given the same member's event store it once: the
// second waits for the first's lock and finds its row.
func (db *DB) AddUpdate(ctx context.Context, u bot.Update) (bot.Update, bool, error) {
	var stored bot.Update
	var added bool
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if err := lockForum(ctx, tx, u.ForumID); err != nil {
			return err
		}
		correction := int64(0)
		if u.Correction {
			correction = 1
		}
		stored, added = u, false
		err := tx.QueryRow(ctx, insertUpdate,
			u.ForumID, u.Period.String(), u.RoundID, u.CommitmentID, string(u.Member), string(u.Group), u.Organisation,
			string(u.Completion), u.Progress, u.Blockers, u.NextSteps, u.Note, store.JSONList(u.Evidence), store.JSONList(u.Needs), store.JSONList(u.MilestonesDone),
			string(u.Source), fmtTime(u.SubmittedAt), correction, nullString(u.EventID)).Scan(&stored.ID, &stored.Version)
		switch {
		case err == nil:
			added = true
			return chainRow(ctx, tx, "updates", u.ForumID, stored.ID)
		case errors.Is(err, pgx.ErrNoRows):
			stored, err = store.ScanUpdate(tx.QueryRow(ctx, `SELECT `+store.UpdateColumns+` FROM updates WHERE round_id = $1 AND member = $2 AND event_id = $3`, u.RoundID, string(u.Member), u.EventID))
			return err
		}
		return err
	})
	if err != nil {
		return bot.Update{}, false, err
	}
	return stored, added, nil
}

// updatesQuery reads the updates f names, in the order stored.
func updatesQuery(f bot.UpdateFilter) (string, []any) {
	where, args := filter(f)
	return `SELECT ` + store.UpdateColumns + ` FROM updates` + where + ` ORDER BY id`, args
}

// Updates implements bot.Store.
func (db *DB) Updates(ctx context.Context, f bot.UpdateFilter) ([]bot.Update, error) {
	query, args := updatesQuery(f)
	return db.updates(ctx, query, args...)
}

// recentQuery reads the last $3 updates of commitment $2 of forum $1.
var recentQuery = `SELECT ` + store.UpdateColumns + ` FROM updates WHERE forum_id = $1 AND commitment_id = $2 ORDER BY id DESC LIMIT $3`

// RecentUpdates implements bot.Store.
func (db *DB) RecentUpdates(ctx context.Context, forumID, commitmentID string, n int) ([]bot.Update, error) {
	return db.updates(ctx, recentQuery, forumID, commitmentID, n)
}

// LatestUpdates implements bot.Store.
func (db *DB) LatestUpdates(ctx context.Context, forumID string, through bot.Period) ([]bot.Update, error) {
	return db.updates(ctx, `SELECT `+store.UpdateColumns+` FROM (
		SELECT DISTINCT ON (round_id, commitment_id, member) * FROM updates WHERE forum_id = $1 AND period <= $2
		ORDER BY round_id, commitment_id, member, version DESC) l ORDER BY period, id`, forumID, through.String())
}

func filter(f bot.UpdateFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.ForumID != "" {
		add("forum_id = ?", f.ForumID)
	}
	if f.CommitmentID != "" {
		add("commitment_id = ?", f.CommitmentID)
	}
	if f.Member != "" {
		add("member = ?", string(f.Member))
	}
	if f.RoundID != 0 {
		add("round_id = ?", f.RoundID)
	}
	if !f.From.IsZero() {
		add("period >= ?", f.From.String())
	}
	if !f.To.IsZero() {
		add("period <= ?", f.To.String())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (db *DB) updates(ctx context.Context, query string, args ...any) ([]bot.Update, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []bot.Update
	for rows.Next() {
		u, err := store.ScanUpdate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
