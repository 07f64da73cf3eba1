package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ChainReport is what Verify found: each forum's chain, and what broke.
type ChainReport struct {
	// Forums are the chains, by forum id.
	Forums []ForumChain
	// Breaks lists what does not hold, first the first broken link of the
	// chains, then rows that are in no chain, then append-only guards that
	// were removed; empty when the record is intact.
	Breaks []Break
}

// ForumChain is one forum's chain as Verify recomputed it.
type ForumChain struct {
	ForumID string
	// Entries counts the entries checked.
	Entries int64
	// Head is the last entry's hash, in hex.
	Head string
}

// Break is one thing Verify found broken: a row, or the chain's own
// table, and what differs.
type Break struct {
	// Table is updates, digests, record_chain or schema.
	Table string
	// ID is the row's id in Table; 0 when the break is not about a row.
	ID int64
	// ForumID and Entry name the chain entry involved, if any.
	ForumID string
	Entry   int64
	// What says what differs, in words.
	What string
}

func (b Break) String() string {
	var where []string
	if b.ID != 0 {
		where = append(where, fmt.Sprintf("%s id %d", b.Table, b.ID))
	} else {
		where = append(where, b.Table)
	}
	if b.Entry != 0 {
		where = append(where, fmt.Sprintf("(entry %d of forum %s)", b.Entry, b.ForumID))
	}
	return strings.Join(where, " ") + ": " + b.What
}

// appendOnly are the triggers that keep the record append-only.
var appendOnly = []string{
	"updates_no_update", "updates_no_delete", "digests_no_update", "digests_no_delete",
	"record_chain_no_update", "record_chain_no_delete",
}

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
	for _, name := range appendOnly {
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
	var entries []entry
	for rows.Next() {
		e := entry{forumID: forumID}
		if err := rows.Scan(&e.seq, &e.table, &e.rowID, &e.hash, &e.fields); err != nil {
			rows.Close()
			return fc, nil, err
		}
		entries = append(entries, e)
	}
	if err := rows.Close(); err != nil {
		return fc, nil, err
	}
	prev := ""
	for i, e := range entries {
		brk, err := db.checkEntry(ctx, e, int64(i+1), prev)
		if err != nil || brk != nil {
			return fc, brk, err
		}
		prev = e.hash
		fc.Entries, fc.Head = e.seq, e.hash
	}
	return fc, nil, nil
}

// checkEntry checks entry e, expected to be number want, against its row
// and the hash before it.
func (db *DB) checkEntry(ctx context.Context, e entry, want int64, prev string) (*Break, error) {
	brk := func(what string, args ...any) *Break {
		return &Break{Table: e.table, ID: e.rowID, ForumID: e.forumID, Entry: want, What: fmt.Sprintf(what, args...)}
	}
	if e.seq != want {
		return &Break{Table: "record_chain", ForumID: e.forumID, Entry: want, What: fmt.Sprintf("entry %d is missing (the next is %d): entries were removed", want, e.seq)}, nil
	}
	cols := chainedColumns[e.table]
	values, err := scanValues(db.queryRow(ctx, rowQuery(e.table), e.rowID), len(cols))
	if errors.Is(err, sql.ErrNoRows) {
		return brk("the row is missing: it was deleted after it was chained"), nil
	} else if err != nil {
		return nil, err
	}
	sum, fields, err := chainHash(prev, e.forumID, e.seq, e.table, values)
	if err != nil {
		return brk("%v", err), nil
	}
	if sum == e.hash {
		return nil, nil
	}
	switch changed := changedColumns(cols, e.fields, fields); len(changed) {
	case 0:
	case 1:
		return brk("column %s differs from what was chained: the row was changed", changed[0]), nil
	default:
		return brk("columns %s differ from what was chained: the row was changed", strings.Join(changed, ", ")), nil
	}
	return &Break{Table: "record_chain", ForumID: e.forumID, Entry: want,
		What: fmt.Sprintf("the hash of the entry for %s id %d does not follow from the entry before: the chain was changed", e.table, e.rowID)}, nil
}

// changedColumns names the columns whose fingerprints differ.
func changedColumns(cols []string, stored, now string) []string {
	var out []string
	for i, c := range cols {
		a, b := i*fingerprintHex, (i+1)*fingerprintHex
		if b > len(stored) || b > len(now) || stored[a:b] != now[a:b] {
			out = append(out, c)
		}
	}
	return out
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
