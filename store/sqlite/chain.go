package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"

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

// chainHead is a forum's last entry: its number and hash.
type chainHead struct {
	seq  int64
	hash string
}

// chainHeads keeps each forum's chain head as the store's last write left
// it, so that an answer does not read it from the chain: a statement, a
// fifth of what chaining an answer costs. Only the writer connection
// writes the chain here, one transaction at a time. A write that fails
// forgets every head (its entries were rolled back), and an entry another
// process appended meanwhile (a command run beside serve) shows as a
// conflict on the entry's number, after which the head is read again.
type chainHeads struct {
	mu sync.Mutex
	m  map[string]chainHead
}

func (h *chainHeads) get(forumID string) (chainHead, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	head, ok := h.m[forumID]
	return head, ok
}

func (h *chainHeads) set(forumID string, head chainHead) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]chainHead{}
	}
	h.m[forumID] = head
}

func (h *chainHeads) forget() {
	h.mu.Lock()
	defer h.mu.Unlock()
	clear(h.m)
}

// chainer appends rows to their forums' chains in one transaction.
type chainer struct {
	db *DB
	tx *sql.Tx
	// heads are the heads it appends after: the store's, kept between
	// transactions; a migration's chainer keeps its own.
	heads *chainHeads
	// stmts are the statements bound to tx, so that a migration, which
	// runs before the writer's statements are prepared, prepares each
	// once rather than once a row.
	stmts map[string]*sql.Stmt
}

// chainer returns a chainer for a transaction of db's writes.
func (db *DB) chainer(tx *sql.Tx) *chainer {
	return &chainer{db: db, tx: tx, heads: &db.heads, stmts: map[string]*sql.Stmt{}}
}

// stmt returns query bound to the chainer's transaction.
func (c *chainer) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.db.txStmt(ctx, c.tx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// row appends row id of table, as it is stored in the transaction, to its
// forum's chain.
func (c *chainer) row(ctx context.Context, table, forumID string, id int64) error {
	st, err := c.stmt(ctx, rowQuery(table))
	if err != nil {
		return err
	}
	values, err := scanValues(st.QueryRowContext(ctx, id), len(store.ChainedColumns[table]))
	if err != nil {
		return fmt.Errorf("chain %s %d: %w", table, id, err)
	}
	return c.values(ctx, table, forumID, id, values)
}

// values appends row id of table, whose chained columns hold values as
// SQLite stores them, to its forum's chain. A failed insert leaves the
// head as it was; a caller that rolls back a successful one (to a
// savepoint) and goes on must forget the kept heads (chainHeads.forget).
func (c *chainer) values(ctx context.Context, table, forumID string, id int64, values []any) error {
	head, kept := c.heads.get(forumID)
	if !kept {
		var err error
		if head, err = c.readHead(ctx, forumID); err != nil {
			return err
		}
	}
	next, err := c.append(ctx, head, table, forumID, id, values)
	if kept && conflict(err) != nil {
		// Another process appended to the chain since this store did.
		if head, err = c.readHead(ctx, forumID); err != nil {
			return err
		}
		next, err = c.append(ctx, head, table, forumID, id, values)
	}
	if err != nil {
		return err
	}
	c.heads.set(forumID, next)
	return nil
}

// readHead reads a forum's last entry from the chain.
func (c *chainer) readHead(ctx context.Context, forumID string) (chainHead, error) {
	var head chainHead
	st, err := c.stmt(ctx, chainHeadQuery)
	if err != nil {
		return head, err
	}
	if err := st.QueryRowContext(ctx, forumID).Scan(&head.seq, &head.hash); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return head, err
	}
	return head, nil
}

// append stores the entry after head and returns it as the new head.
func (c *chainer) append(ctx context.Context, head chainHead, table, forumID string, id int64, values []any) (chainHead, error) {
	sum, fields, err := store.ChainHash(head.hash, forumID, head.seq+1, table, values)
	if err != nil {
		return head, err
	}
	st, err := c.stmt(ctx, insertEntry)
	if err != nil {
		return head, err
	}
	if _, err := st.ExecContext(ctx, forumID, head.seq+1, table, id, sum, fields); err != nil {
		return head, err
	}
	return chainHead{seq: head.seq + 1, hash: sum}, nil
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
	c := &chainer{db: db, tx: tx, heads: &chainHeads{}, stmts: map[string]*sql.Stmt{}}
	for _, r := range all {
		if err := c.row(ctx, r.table, r.forumID, r.id); err != nil {
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
