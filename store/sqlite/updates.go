package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"forumbot/bot"
	"forumbot/store"
)

// insertUpdate stores an update as the next version of its member's update
// for the round and commitment, in one statement; an event id the member
// used before in the round inserts nothing (another member's same id
// does; an event resolves to one round, schema v12 says why). Its
// parameters are the row's chained columns in their order (chainedUpdate),
// so that what is bound is what the record chain hashes: ?1, the id, and
// ?9, the version, are not read, SQLite numbers them. It returns the two.
const insertUpdate = `INSERT INTO updates (forum_id, period, round_id, commitment_id, member, grp, organisation, version,
	completion, progress, blockers, next_steps, note, evidence, needs, milestones_done, source, submitted_at, correction, event_id)
	VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8,
		COALESCE((SELECT MAX(version) FROM updates WHERE member = ?6 AND round_id = ?4 AND commitment_id = ?5), 0) + 1,
		?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
	ON CONFLICT (round_id, member, event_id) WHERE event_id IS NOT NULL DO NOTHING
	RETURNING id, version`

// The positions of the id and the version in the chained columns.
var (
	updateIDColumn      = slices.Index(store.ChainedColumns["updates"], "id")
	updateVersionColumn = slices.Index(store.ChainedColumns["updates"], "version")
)

// chainedUpdate lays u out as its row's chained columns
// (store.ChainedColumns), each as SQLite stores it: a flag as 0 or 1, no
// event id as NULL. The id and the version are left nil, for the insert
// to set.
func chainedUpdate(u bot.Update) []any {
	correction := int64(0)
	if u.Correction {
		correction = 1
	}
	return []any{nil, u.ForumID, u.Period.String(), u.RoundID, u.CommitmentID, string(u.Member), string(u.Group), u.Organisation, nil,
		string(u.Completion), u.Progress, u.Blockers, u.NextSteps, u.Note,
		store.JSONList(u.Evidence), store.JSONList(u.Needs), store.JSONList(u.MilestonesDone),
		string(u.Source), fmtTime(u.SubmittedAt), correction, nullString(u.EventID)}
}

// addUpdateTx stores u as the next version in tx and chains it with c; a
// repeated event of the same member stores nothing and returns what was
// stored.
func (db *DB) addUpdateTx(ctx context.Context, tx *sql.Tx, c *chainer, u bot.Update) (bot.Update, bool, error) {
	values := chainedUpdate(u)
	var id, version int64
	err := db.txRow(ctx, tx, insertUpdate, values...).Scan(&id, &version)
	switch {
	case err == nil:
		u.ID, u.Version = id, int(version)
		values[updateIDColumn], values[updateVersionColumn] = id, version
		return u, true, c.values(ctx, "updates", u.ForumID, u.ID, values)
	case errors.Is(err, sql.ErrNoRows):
		// The member's event was stored before: return what was stored.
		stored, err := store.ScanUpdate(db.txRow(ctx, tx, `SELECT `+store.UpdateColumns+` FROM updates WHERE round_id = ? AND member = ? AND event_id = ?`, u.RoundID, string(u.Member), u.EventID))
		return stored, false, err
	}
	return bot.Update{}, false, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Updates implements bot.Store.
func (db *DB) Updates(ctx context.Context, f bot.UpdateFilter) ([]bot.Update, error) {
	where, args := filter(f)
	return db.updates(ctx, `SELECT `+store.UpdateColumns+` FROM updates`+where+` ORDER BY id`, args...)
}

// recentKept is how many of a commitment's last versions the
// recent_updates table keeps (schema v16).
const recentKept = 10

// recentQuery reads a commitment's last stored versions: their ids from
// the recent_updates table, newest first, then only those versions by id.
const recentQuery = `SELECT ` + store.UpdateColumns + ` FROM (
		SELECT id AS recent FROM recent_updates WHERE forum_id = ? AND commitment_id = ? ORDER BY id DESC LIMIT ?)
	CROSS JOIN updates ON updates.id = recent ORDER BY recent DESC`

// allRecentQuery reads a commitment's last stored versions from the
// record: more than recent_updates keeps, it reads the forum's every
// version.
const allRecentQuery = `SELECT ` + store.UpdateColumns + ` FROM updates
	WHERE forum_id = ? AND commitment_id = ? ORDER BY id DESC LIMIT ?`

// RecentUpdates implements bot.Store. Up to recentKept versions (the
// status reply asks for three) come from the commitment's few rows of
// recent_updates; more read the record.
func (db *DB) RecentUpdates(ctx context.Context, forumID, commitmentID string, n int) ([]bot.Update, error) {
	if n > recentKept {
		return db.updates(ctx, allRecentQuery, forumID, commitmentID, n)
	}
	return db.updates(ctx, recentQuery, forumID, commitmentID, n)
}

// LatestUpdates implements bot.Store. SQLite fills the bare columns of an
// aggregate query from the row that holds the MAX, which picks each
// member's latest version in one pass.
func (db *DB) LatestUpdates(ctx context.Context, forumID string, through bot.Period) ([]bot.Update, error) {
	return db.updates(ctx, `SELECT `+store.UpdateColumns+` FROM (
		SELECT *, MAX(version) FROM updates WHERE forum_id = ? AND period <= ?
		GROUP BY round_id, commitment_id, member) ORDER BY period, id`, forumID, through.String())
}

func filter(f bot.UpdateFilter) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) {
		conds = append(conds, cond)
		args = append(args, arg)
	}
	// With a round, steer the planner to the update's unique key (round,
	// then member): the forum's indexes would read the whole history, or
	// with a period, the period's. The unary + keeps a column out of index
	// selection.
	plus := ""
	if f.RoundID != 0 {
		plus = "+"
	}
	if f.ForumID != "" {
		add(plus+"forum_id = ?", f.ForumID)
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
		add(plus+"period >= ?", f.From.String())
	}
	if !f.To.IsZero() {
		add(plus+"period <= ?", f.To.String())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (db *DB) updates(ctx context.Context, query string, args ...any) ([]bot.Update, error) {
	rows, err := db.query(ctx, query, args...)
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
