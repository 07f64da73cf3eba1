package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
)

// The record chain: each update version and each digest is an entry of
// its forum's chain, whose hash covers the entry before it, so that
// changing, removing or slipping in a row outside the bot breaks the chain
// at that row. Every store computes it the same way, from the same
// column values, so that a record moved from one store to another keeps
// its heads. docs/RELIABILITY.md spells the format out.

// ChainedColumns are the columns an entry's hash covers, per table, in the
// order they are encoded. They are part of the chain's format: a column
// added to a table later is not covered unless the format changes.
var ChainedColumns = map[string][]string{
	"updates": {"id", "forum_id", "period", "round_id", "commitment_id", "member", "grp", "organisation", "version", "completion",
		"progress", "blockers", "next_steps", "note", "evidence", "needs", "milestones_done", "source", "submitted_at", "correction", "event_id"},
	"digests": {"id", "forum_id", "commitment_id", "period", "round_id", "created_at", "channel", "message"},
}

// AppendOnlyGuards are the triggers that keep the record append-only,
// by the name each store gives them.
var AppendOnlyGuards = []string{
	"updates_no_update", "updates_no_delete", "digests_no_update", "digests_no_delete",
	"record_chain_no_update", "record_chain_no_delete",
}

// chainFormat starts every entry's hashed bytes: the format's name.
const chainFormat = "forumbot record chain v1\x00"

// FingerprintHex is how many hex digits of each column's fingerprint (a
// CRC-32 of its encoding: it only says which column changed; the hash is
// what proves it) an entry keeps in its fields.
const FingerprintHex = 4

// ChainHash returns the hash of entry seq of forumID, over the previous
// entry's hash (hex, "" for the first entry) and the row's values (nil,
// int64, float64, string or []byte, in the order of ChainedColumns), and
// the fingerprints of the row's columns.
func ChainHash(prev, forumID string, seq int64, table string, values []any) (sum, fields string, err error) {
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
	cols := ChainedColumns[table]
	fp := make([]byte, 0, len(cols)*FingerprintHex)
	var crc [4]byte
	for i, col := range cols {
		buf = appendValue(appendValue(buf[:0], col), values[i])
		h.Write(buf)
		binary.BigEndian.PutUint32(crc[:], crc32.ChecksumIEEE(buf))
		fp = hex.AppendEncode(fp, crc[:FingerprintHex/2])
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

// ChangedColumns names the columns whose fingerprints differ between an
// entry's stored fields and those computed now.
func ChangedColumns(cols []string, stored, now string) []string {
	var out []string
	for i, c := range cols {
		a, b := i*FingerprintHex, (i+1)*FingerprintHex
		if b > len(stored) || b > len(now) || stored[a:b] != now[a:b] {
			out = append(out, c)
		}
	}
	return out
}

// ChainReport is what verifying found: each forum's chain, and what broke.
type ChainReport struct {
	// Forums are the chains, by forum id.
	Forums []ForumChain
	// Breaks lists what does not hold, first the first broken link of the
	// chains, then rows that are in no chain, then append-only guards that
	// were removed; empty when the record is intact.
	Breaks []Break
}

// ForumChain is one forum's chain as recomputed.
type ForumChain struct {
	ForumID string
	// Entries counts the entries checked.
	Entries int64
	// Head is the last entry's hash, in hex.
	Head string
}

// Break is one thing verifying found broken: a row, or the chain's own
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

// ChainEntry is one link of a forum's chain as stored.
type ChainEntry struct {
	ForumID string
	Seq     int64
	Table   string
	RowID   int64
	Hash    string
	Fields  string
}

// ChainWalk checks one forum's chain, entry after entry in order.
type ChainWalk struct {
	prev  string
	count int64
	// rows holds each row chained so far, with its entry.
	rows map[chainedRow]int64
}

type chainedRow struct {
	table string
	id    int64
}

// Next checks entry e, the next of the chain, against its row's values
// (found false when the row is missing) and the entry before it, and
// returns its break, if any. The walk must stop at a break.
func (w *ChainWalk) Next(e ChainEntry, values []any, found bool) *Break {
	want := w.count + 1
	if w.rows == nil {
		w.rows = map[chainedRow]int64{}
	}
	row := chainedRow{e.Table, e.RowID}
	if first, ok := w.rows[row]; ok && e.Seq == want {
		return &Break{Table: e.Table, ID: e.RowID, ForumID: e.ForumID, Entry: want,
			What: fmt.Sprintf("the row is chained a second time (first at entry %d): an entry was added outside the bot", first)}
	}
	if brk := checkEntry(e, want, w.prev, values, found); brk != nil {
		return brk
	}
	w.rows[row] = e.Seq
	w.prev, w.count = e.Hash, want
	return nil
}

// checkEntry checks entry e, expected to be number want, against its row's
// values (found false when the row is missing) and the hash before it,
// and returns its break, if any.
func checkEntry(e ChainEntry, want int64, prev string, values []any, found bool) *Break {
	brk := func(what string, args ...any) *Break {
		return &Break{Table: e.Table, ID: e.RowID, ForumID: e.ForumID, Entry: want, What: fmt.Sprintf(what, args...)}
	}
	if e.Seq != want {
		return &Break{Table: "record_chain", ForumID: e.ForumID, Entry: want, What: fmt.Sprintf("entry %d is missing (the next is %d): entries were removed", want, e.Seq)}
	}
	if !found {
		return brk("the row is missing: it was deleted after it was chained")
	}
	cols := ChainedColumns[e.Table]
	sum, fields, err := ChainHash(prev, e.ForumID, e.Seq, e.Table, values)
	if err != nil {
		return brk("%v", err)
	}
	if sum == e.Hash {
		return nil
	}
	switch changed := ChangedColumns(cols, e.Fields, fields); len(changed) {
	case 0:
	case 1:
		return brk("column %s differs from what was chained: the row was changed", changed[0])
	default:
		return brk("columns %s differ from what was chained: the row was changed", strings.Join(changed, ", "))
	}
	return &Break{Table: "record_chain", ForumID: e.ForumID, Entry: want,
		What: fmt.Sprintf("the hash of the entry for %s id %d does not follow from the entry before: the chain was changed", e.Table, e.RowID)}
}
