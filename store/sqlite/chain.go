package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"path"
	"strconv"
	"strings"

	"forumbot/bot"
)

// The record chain (schema v8): each update version and each digest is an
// entry of its forum's chain, whose hash covers the entry before it, so
// that changing, removing or slipping in a row outside the bot breaks the
// chain at that row. Verify recomputes it.

// chainMigration is the migration that creates the chain; the rows stored
// before it are chained as it is applied.
const chainMigration = "0008_record_chain.sql"

// chainedColumns are the columns an entry's hash covers, per table, in the
// order they are encoded. They are part of the chain's format: a column
// added to a table later is not covered unless the format changes.
var chainedColumns = map[string][]string{
	"updates": {"id", "forum_id", "period", "round_id", "commitment_id", "member", "grp", "organisation", "version", "completion",
		"progress", "blockers", "next_steps", "note", "evidence", "needs", "milestones_done", "source", "submitted_at", "correction", "event_id"},
	"digests": {"id", "forum_id", "commitment_id", "period", "round_id", "created_at", "channel", "message"},
}

// chainFormat starts every entry's hashed bytes: the format's name.
const chainFormat = "forumbot record chain v1\x00"

// fingerprintHex is how many hex digits of each column's fingerprint (a
// CRC-32 of its encoding: it only says which column changed; the hash is
// what proves it) an entry keeps in its fields.
const fingerprintHex = 4

// entry is one link of a forum's chain as stored.
type entry struct {
	forumID string
	seq     int64
	table   string
	rowID   int64
	hash    string
	fields  string
}

// chainHash returns the hash of entry seq of forumID, over the previous
// entry's hash (hex, "" for the first entry) and the row's values, and the
// fingerprints of the row's columns.
func chainHash(prev, forumID string, seq int64, table string, values []any) (sum, fields string, err error) {
	prevBytes := make([]byte, sha256.Size)
	if prev != "" {
		if prevBytes, err = hex.DecodeString(prev); err != nil || len(prevBytes) != sha256.Size {
			return "", "", fmt.Errorf("previous hash %q is not a SHA-256 in hex", prev)
		}
	}
	h := sha256.New()
	h.Write([]byte(chainFormat))
	h.Write(prevBytes)
	var buf []byte
	for _, v := range []any{forumID, seq, table} {
		buf = appendValue(buf[:0], v)
		h.Write(buf)
	}
	cols := chainedColumns[table]
	fp := make([]byte, 0, len(cols)*fingerprintHex)
	var crc [4]byte
	for i, col := range cols {
		buf = appendValue(appendValue(buf[:0], col), values[i])
		h.Write(buf)
		binary.BigEndian.PutUint32(crc[:], crc32.ChecksumIEEE(buf))
		fp = hex.AppendEncode(fp, crc[:fingerprintHex/2])
	}
	return hex.EncodeToString(h.Sum(nil)), string(fp), nil
}

// appendValue appends v's canonical encoding to b: a type tag (n null, i
// integer, f real, t text, b blob), the length of the value's bytes as 8
// bytes big-endian, and the bytes; an integer as its decimal digits, a
// real as Go's shortest 'g' form.
func appendValue(b []byte, v any) []byte {
	var tag byte
	var data []byte
	switch v := v.(type) {
	case nil:
		tag = 'n'
	case int64:
		tag, data = 'i', strconv.AppendInt(nil, v, 10)
	case float64:
		tag, data = 'f', strconv.AppendFloat(nil, v, 'g', -1, 64)
	case string:
		b = append(b, 't')
		b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
		return append(b, v...)
	case []byte:
		tag, data = 'b', v
	default:
		tag, data = 't', []byte(fmt.Sprint(v))
	}
	b = append(b, tag)
	b = binary.BigEndian.AppendUint64(b, uint64(len(data)))
	return append(b, data...)
}

// rowQuery reads the chained columns of one row of table.
func rowQuery(table string) string {
	return `SELECT ` + strings.Join(chainedColumns[table], ", ") + ` FROM ` + table + ` WHERE id = ?`
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

func (db *DB) chainStmts(ctx context.Context, tx *sql.Tx) (chainStmts, error) {
	s := chainStmts{}
	for _, q := range chainQueries() {
		st, err := db.txStmt(ctx, tx, q)
		if err != nil {
			return nil, err
		}
		s[q] = st
	}
	return s, nil
}

// chainRow appends row id of table, as it is stored in tx, to its
// forum's chain.
func (db *DB) chainRow(ctx context.Context, tx *sql.Tx, table, forumID string, id int64) error {
	s, err := db.chainStmts(ctx, tx)
	if err != nil {
		return err
	}
	return s.append(ctx, table, forumID, id)
}

// append appends row id of table to its forum's chain.
func (s chainStmts) append(ctx context.Context, table, forumID string, id int64) error {
	values, err := scanValues(s[rowQuery(table)].QueryRowContext(ctx, id), len(chainedColumns[table]))
	if err != nil {
		return fmt.Errorf("chain %s %d: %w", table, id, err)
	}
	var seq int64
	var prev string
	if err := s[chainHeadQuery].QueryRowContext(ctx, forumID).Scan(&seq, &prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	sum, fields, err := chainHash(prev, forumID, seq+1, table, values)
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
	s, err := db.chainStmts(ctx, tx)
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
