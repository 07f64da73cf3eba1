package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

// rowQuery reads the chained columns of one row of table.
func rowQuery(table string) string {
	return `SELECT ` + strings.Join(store.ChainedColumns[table], ", ") + ` FROM ` + table + ` WHERE id = $1`
}

// rowValues reads a row's chained columns as the chain encodes them:
// BIGINT as int64, TEXT as string, NULL as nil.
func rowValues(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, table string, id int64) (values []any, found bool, err error) {
	rows, err := q.Query(ctx, rowQuery(table), id)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, false, rows.Err()
	}
	values, err = rows.Values()
	return values, true, err
}

// chainHeadQuery reads a forum's last entry.
const chainHeadQuery = `SELECT seq, hash FROM record_chain WHERE forum_id = $1 ORDER BY seq DESC LIMIT 1`

// chainRow appends row id of table, as it is stored in tx, to its forum's
// chain; the caller holds the forum's lock.
func chainRow(ctx context.Context, tx pgx.Tx, table, forumID string, id int64) error {
	values, found, err := rowValues(ctx, tx, table, id)
	if err != nil || !found {
		return errors.Join(err, fmt.Errorf("chain %s %d: row not found", table, id))
	}
	var seq int64
	var prev string
	if err := tx.QueryRow(ctx, chainHeadQuery, forumID).Scan(&seq, &prev); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	sum, fields, err := store.ChainHash(prev, forumID, seq+1, table, values)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO record_chain (forum_id, seq, tbl, row_id, hash, fields) VALUES ($1, $2, $3, $4, $5, $6)`,
		forumID, seq+1, table, id, sum, fields)
	return err
}

// ChainHead implements bot.Store.
func (db *DB) ChainHead(ctx context.Context, forumID string) (bot.ChainHead, error) {
	var h bot.ChainHead
	err := db.pool.QueryRow(ctx, chainHeadQuery, forumID).Scan(&h.Entries, &h.Hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return bot.ChainHead{}, nil
	}
	return h, err
}

// Verify recomputes every forum's record chain from the rows as they are
// stored now and reports the first broken link, the rows no chain holds
// and the append-only triggers that are missing, as store/sqlite's Verify
// does. It reads only.
func (db *DB) Verify(ctx context.Context) (store.ChainReport, error) {
	var rep store.ChainReport
	forums, err := db.column(ctx, `SELECT forum_id FROM record_chain UNION SELECT forum_id FROM updates UNION SELECT forum_id FROM digests ORDER BY 1`)
	if err != nil {
		return rep, err
	}
	for _, f := range forums {
		fc, brk, err := db.verifyForum(ctx, f)
		if err != nil {
			return rep, err
		}
		rep.Forums = append(rep.Forums, fc)
		if brk != nil && len(rep.Breaks) == 0 {
			rep.Breaks = append(rep.Breaks, *brk)
		}
	}
	for _, table := range []string{"updates", "digests"} {
		var id int64
		var forum string
		err := db.pool.QueryRow(ctx, `SELECT id, forum_id FROM `+table+` t WHERE NOT EXISTS
			(SELECT 1 FROM record_chain c WHERE c.tbl = $1 AND c.row_id = t.id) ORDER BY id LIMIT 1`, table).Scan(&id, &forum)
		switch {
		case err == nil:
			rep.Breaks = append(rep.Breaks, store.Break{Table: table, ID: id, ForumID: forum, What: "the row is in no chain: it was added outside the bot"})
		case !errors.Is(err, pgx.ErrNoRows):
			return rep, err
		}
	}
	triggers, err := db.column(ctx, `SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'`)
	if err != nil {
		return rep, err
	}
	have := map[string]bool{}
	for _, t := range triggers {
		have[t] = true
	}
	for _, name := range store.AppendOnlyGuards {
		if !have[name] {
			rep.Breaks = append(rep.Breaks, store.Break{Table: "schema", What: "trigger " + name + " is missing: the append-only guard was removed"})
		}
	}
	return rep, nil
}

// verifyForum walks one forum's chain in order and returns its first
// break, if any.
func (db *DB) verifyForum(ctx context.Context, forumID string) (store.ForumChain, *store.Break, error) {
	fc := store.ForumChain{ForumID: forumID}
	rows, err := db.pool.Query(ctx, `SELECT seq, tbl, row_id, hash, fields FROM record_chain WHERE forum_id = $1 ORDER BY seq`, forumID)
	if err != nil {
		return fc, nil, err
	}
	var entries []store.ChainEntry
	for rows.Next() {
		e := store.ChainEntry{ForumID: forumID}
		if err := rows.Scan(&e.Seq, &e.Table, &e.RowID, &e.Hash, &e.Fields); err != nil {
			rows.Close()
			return fc, nil, err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fc, nil, err
	}
	var walk store.ChainWalk
	for _, e := range entries {
		values, found, err := rowValues(ctx, db.pool, e.Table, e.RowID)
		if err != nil {
			return fc, nil, err
		}
		if brk := walk.Next(e, values, found); brk != nil {
			return fc, brk, nil
		}
		fc.Entries, fc.Head = e.Seq, e.Hash
	}
	return fc, nil, nil
}

// column reads a one-column query of text.
func (db *DB) column(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
