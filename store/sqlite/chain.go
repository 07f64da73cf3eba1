package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"

	"forumbot/bot"
	"forumbot/store"
)

// The record chain (schema v8): each update version and each digest is an
// entry of its forum's chain, whose hash covers the entry before it, so
// that changing, removing or slipping in a row outside the bot breaks the
// chain at that row. Verify recomputes it.

// chainMigration is the migration that creates the chain; the rows stored
// before it are chained as it is applied.
const chainMigration = "0008_record_chain.sql"

// rowQuery reads the chained columns of one row of table.
func rowQuery(table string) string {
	return `SELECT ` + strings.Join(store.ChainedColumns[table], ", ") + ` FROM ` + table + ` WHERE id = ?`
}

// scanValues reads a row of n columns as SQLite stores them.
func scanValues(row *sql.Row, n int) ([]any, error) {
	values := make([]any, n)
	ptrs := make([]any, n)
	for i := range values {
		ptrs[i] = &values[i]
	}
	return values, row.Scan(ptrs...)
}

// chainHeadQuery reads a forum's last entry.
const chainHeadQuery = `SELECT seq, hash FROM record_chain WHERE forum_id = ? ORDER BY seq DESC LIMIT 1`

// insertEntry stores an entry.
const insertEntry = `INSERT INTO record_chain (forum_id, seq, tbl, row_id, hash, fields) VALUES (?, ?, ?, ?, ?, ?)`

// chainQueries are the statements that chaining a row runs; the store
// prepares them with the other hot writes.
func chainQueries() []string {
	return []string{rowQuery("updates"), rowQuery("digests"), chainHeadQuery, insertEntry}
}

// chainStmts are chainQueries bound to one transaction.
type chainStmts map[string]*sql.Stmt

func (db *DB) chainStmts(ctx context.Context, tx *sql.Tx, queries []string) (chainStmts, error) {
	s := chainStmts{}
	for _, q := range queries {
		st, err := db.txStmt(ctx, tx, q)
		if err != nil {
			return nil, err
		}
		s[q] = st
	}
	return s, nil
}

// chainRow appends row id of table, as it is stored in tx, to its
// forum's chain. It binds only the statements that table needs: it runs
// for every answer stored.
func (db *DB) chainRow(ctx context.Context, tx *sql.Tx, table, forumID string, id int64) error {
	s, err := db.chainStmts(ctx, tx, []string{rowQuery(table), chainHeadQuery, insertEntry})
	if err != nil {
		return err
	}
	return s.append(ctx, table, forumID, id)
}

// append appends row id of table to its forum's chain.
func (s chainStmts) append(ctx context.Context, table, forumID string, id int64) error {
	values, err := scanValues(s[rowQuery(table)].QueryRowContext(ctx, id), len(store.ChainedColumns[table]))
	if err != nil {
		return fmt.Errorf("chain %s %d: %w", table, id, err)
	}
	var seq int64
	var prev string
	if err := s[chainHeadQuery].QueryRowContext(ctx, forumID).Scan(&seq, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sum, fields, err := store.ChainHash(prev, forumID, seq+1, table, values)
	if err != nil {
		return err
	}
	_, err = s[insertEntry].ExecContext(ctx, forumID, seq+1, table, id, sum, fields)
	return err
}

// chainExisting chains the rows stored before the chain existed, in the
// order they were stored: by time, then table, then id.
func (db *DB) chainExisting(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT 'updates', id, forum_id, submitted_at FROM updates
		UNION ALL SELECT 'digests', id, forum_id, created_at FROM digests ORDER BY 4, 1, 2`)
	if err != nil {
		return err
	}
	type row struct {
		table, forumID string
		id             int64
	}
	var all []row
	for rows.Next() {
		var r row
		var at string
		if err := rows.Scan(&r.table, &r.id, &r.forumID, &at); err != nil {
			rows.Close()
			return err
		}
		all = append(all, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	s, err := db.chainStmts(ctx, tx, chainQueries())
	if err != nil {
		return err
	}
	for _, r := range all {
		if err := s.append(ctx, r.table, r.forumID, r.id); err != nil {
			return err
		}
	}
	return nil
}

// afterMigration returns what the store does in Go in the transaction
// that applies the named migration, if anything.
func (db *DB) afterMigration(name string) func(context.Context, *sql.Tx) error {
	if path.Base(name) == chainMigration {
		return db.chainExisting
	}
	return nil
}

// ChainHead implements bot.Store: the last entry of the forum's record
// chain.
func (db *DB) ChainHead(ctx context.Context, forumID string) (bot.ChainHead, error) {
	var h bot.ChainHead
	err := db.queryRow(ctx, chainHeadQuery, forumID).Scan(&h.Entries, &h.Hash)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.ChainHead{}, nil
	}
	return h, err
}
