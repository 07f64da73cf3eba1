package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"forumbot/store"
)

// ChainReport is what Verify found: each forum's chain, and what broke.
type ChainReport = store.ChainReport

// ForumChain is one forum's chain as Verify recomputed it.
type ForumChain = store.ForumChain

// Break is one thing Verify found broken.
type Break = store.Break

// Verify recomputes every forum's record chain from the rows as they are
// stored now and reports the first broken link: a row changed, removed or
// moved to another forum since it was chained, or an entry changed. It
// also reports the rows that no chain holds (slipped in outside the bot)
// and the append-only triggers that are missing. It reads only, so it
// works on a database opened ReadOnly, beside a running bot.
func (db *DB) Verify(ctx context.Context) (ChainReport, error) {
	var rep ChainReport
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
		err := db.queryRow(ctx, `SELECT id, forum_id FROM `+table+` WHERE id NOT IN (SELECT row_id FROM record_chain WHERE tbl = ?) ORDER BY id LIMIT 1`, table).Scan(&id, &forum)
		switch {
		case err == nil:
			rep.Breaks = append(rep.Breaks, Break{Table: table, ID: id, ForumID: forum, What: "the row is in no chain: it was added outside the bot"})
		case !errors.Is(err, sql.ErrNoRows):
			return rep, err
		}
	}
	triggers, err := db.column(ctx, `SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		return rep, err
	}
	for _, name := range store.AppendOnlyGuards {
		if !slices.Contains(triggers, name) {
			rep.Breaks = append(rep.Breaks, Break{Table: "schema", What: "trigger " + name + " is missing: the append-only guard was removed"})
		}
	}
	return rep, nil
}

// verifyForum walks one forum's chain in order and returns its first
// break, if any.
func (db *DB) verifyForum(ctx context.Context, forumID string) (ForumChain, *Break, error) {
	fc := ForumChain{ForumID: forumID}
	rows, err := db.query(ctx, `SELECT seq, tbl, row_id, hash, fields FROM record_chain WHERE forum_id = ? ORDER BY seq`, forumID)
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
	if err := rows.Close(); err != nil {
		return fc, nil, err
	}
	var walk store.ChainWalk
	for _, e := range entries {
		values, err := scanValues(db.queryRow(ctx, rowQuery(e.Table), e.RowID), len(store.ChainedColumns[e.Table]))
		found := !errors.Is(err, sql.ErrNoRows)
		if err != nil && found {
			return fc, nil, err
		}
		if brk := walk.Next(e, values, found); brk != nil {
			return fc, brk, nil
		}
		fc.Entries, fc.Head = e.Seq, e.Hash
	}
	return fc, nil, nil
}

// column reads a one-column query.
func (db *DB) column(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.query(ctx, query, args...)
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
