package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrUnwritable is in the chain of the error of a write that the database
// file refused: it was read-only, its disk failed or is full. Nothing of
// that write was stored. The store opens its writer connection again on
// the next write, so a file that becomes writable again is used without a
// restart.
var ErrUnwritable = errors.New("the database cannot be written")

// unwritable reports whether err is SQLite refusing to write the file as
// the writer connection opened it: SQLite opens a file it may not write
// read-only and keeps it so for the life of the connection.
func unwritable(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_FULL:
		return true
	}
	return false
}

// write runs fn in a write transaction. When the file refuses the write,
// it opens the writer connection again and runs fn once more: the failed
// transaction was rolled back, so fn starts from the same state. If the
// file still refuses, the error wraps ErrUnwritable.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	gen, err := db.writeOnce(ctx, fn)
	if !unwritable(err) {
		return err
	}
	if rerr := db.reopenWriter(ctx, gen); rerr != nil {
		return db.refused(errors.Join(err, rerr))
	}
	if _, err = db.writeOnce(ctx, fn); unwritable(err) {
		return db.refused(err)
	}
	return err
}

// refused wraps the error of a write the file refused.
func (db *DB) refused(cause error) error {
	return fmt.Errorf("sqlite: %s: %w, nothing was stored (check the file's permissions and the disk; the next write tries again): %v", db.Path, ErrUnwritable, cause)
}

// writeOnce runs fn in a write transaction on the current writer and
// returns that writer's generation, for reopenWriter.
func (db *DB) writeOnce(ctx context.Context, fn func(*sql.Tx) error) (uint64, error) {
	db.wmu.RLock()
	defer db.wmu.RUnlock()
	if db.w == nil {
		return db.wgen, fmt.Errorf("sqlite: %s is open read-only", db.Path)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return db.wgen, translate(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return db.wgen, translate(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		db.heads.forget()
		return db.wgen, translate(err)
	}
	if err := tx.Commit(); err != nil {
		db.heads.forget()
		return db.wgen, translate(err)
	}
	db.wrote(logWritten(conn))
	return db.wgen, nil
}

// reopenWriter replaces the writer connection of generation gen with a new
// one and prepares the hot writes on it. When another write has reopened
// it since gen, it does nothing.
func (db *DB) reopenWriter(ctx context.Context, gen uint64) error {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if db.wgen != gen || db.w == nil {
		return nil
	}
	w, err := db.openWriter()
	if err != nil {
		return err
	}
	old := db.w
	closeStatements(&db.writeStmts)
	db.w = w
	db.wgen++
	old.Close()
	// The checkpointer opened the file as the writer did, read-only if
	// it could not write it then.
	ck, err := db.openWriter()
	if err != nil {
		return err
	}
	if db.ck != nil {
		db.ck.Close()
	}
	db.ck = ck
	return db.prepareWrites(ctx)
}

// closeStatements closes and forgets the statements of a cache.
func closeStatements(cache *sync.Map) {
	cache.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		cache.Delete(k)
		return true
	})
}

// Writable checks that the database accepts a write now: it rewrites the
// schema version in a transaction that it rolls back, storing nothing.
// Like every write, it opens the writer connection again when the file
// refused it, so a readiness probe is enough for the store to notice that
// the file can be written again. The error wraps ErrUnwritable when the
// file refuses writes.
func (db *DB) Writable(ctx context.Context) error {
	err := db.write(ctx, func(tx *sql.Tx) error {
		var version int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version)); err != nil {
			return err
		}
		return errProbe
	})
	if errors.Is(err, errProbe) {
		return nil
	}
	return err
}

// errProbe rolls Writable's transaction back.
var errProbe = errors.New("probe rolled back")
