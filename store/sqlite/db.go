// Package sqlite implements bot.Store on modernc.org/sqlite: one file, WAL,
// one writer connection and a pool of readers, migrations embedded and
// applied in a transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"forumbot/bot"
	"forumbot/store"
)

var _ store.DB = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite store.
type DB struct {
	// Path is the database file.
	Path string
	// Now is the clock used for bookkeeping times; time.Now by default.
	Now func() time.Time
	// Readers caps the read pool; 4 by default.
	Readers int
	// Mode says whether Open may create the file and write to it; Create by
	// default.
	Mode Mode

	// wmu guards w, ck and writeStmts: writes and checkpoints hold it
	// shared, and a reopen of the writer (reopenWriter) holds it alone.
	// wgen counts reopens.
	wmu  sync.RWMutex
	wgen uint64
	w    *sql.DB // the one writer
	r    *sql.DB // readers
	ck   *sql.DB // the checkpointer (checkpoint.go)
	// Prepared statements by SQL text, for the readers and for the writer:
	// parsing SQL is a good part of a small query's cost.
	readStmts, writeStmts sync.Map
	// adds queues answers to be committed in groups (adds.go).
	adds groups[*addRequest]
	// marks queues outbox state changes to be committed in groups
	// (marks.go).
	marks groups[*markRequest]
	// ckpt runs checkpoints when the writes pause (checkpoint.go).
	ckpt checkpoints
	// heads keeps the forums' chain heads between writes (chain.go).
	heads chainHeads
}

// NewDB returns a DB for the file at path; call Open before use.
func NewDB(path string) *DB { return &DB{Path: path, Now: time.Now} }

// Close waits for the answers and the outbox marks being written, then
// closes the readers, the checkpointer and the writer, the writer last.
func (db *DB) Close() error {
	db.adds.running.Wait()
	db.marks.running.Wait()
	db.stopCheckpoints()
	db.wmu.Lock()
	defer db.wmu.Unlock()
	var errs []error
	for _, m := range []*sync.Map{&db.readStmts, &db.writeStmts} {
		m.Range(func(_, v any) bool {
			errs = append(errs, v.(*sql.Stmt).Close())
			return true
		})
	}
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if db.ck != nil {
		errs = append(errs, db.ck.Close())
		db.ck = nil
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// prepared returns the statement for query on pool, preparing it once.
func prepared(ctx context.Context, cache *sync.Map, pool *sql.DB, query string) (*sql.Stmt, error) {
	if st, ok := cache.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := cache.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// query runs a read on the reader pool with a cached statement.
func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := prepared(ctx, &db.readStmts, db.r, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// queryRow is query for one row; errors surface at Scan.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := prepared(ctx, &db.readStmts, db.r, query)
	if err != nil {
		// A Row cannot carry an error, so run the unprepared query: it fails
		// the same way and reports it at Scan.
		return db.r.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// txStmt returns the statement for query bound to tx: the writer's cached
// one for the hot writes prepared at Open, else one prepared in tx. (The
// writer has one connection, held by tx: preparing on the pool here would
// wait for it forever.)
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if st, ok := db.writeStmts.Load(query); ok {
		return tx.StmtContext(ctx, st.(*sql.Stmt)), nil
	}
	return tx.PrepareContext(ctx, query)
}

// prepareWrites prepares the hot writes on the idle writer.
func (db *DB) prepareWrites(ctx context.Context) error {
	for _, q := range append([]string{insertUpdate, markSending, markSent, markRetry}, chainQueries()...) {
		if _, err := prepared(ctx, &db.writeStmts, db.w, q); err != nil {
			return err
		}
	}
	return nil
}

// exec runs a write statement in tx with a cached statement.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := db.txStmt(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// txRow runs a one-row query in tx with a cached statement.
func (db *DB) txRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	st, err := db.txStmt(ctx, tx, query)
	if err != nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// translate turns SQLite constraint failures into bot.Error codes.
func translate(err error) error {
	if se := conflict(err); se != nil {
		return &bot.Error{Code: bot.ECONFLICT, Message: se.Error()}
	}
	return err
}

// conflict returns SQLite's error when err is its refusing a row for a
// constraint, or nil.
func conflict(err error) *sqlite.Error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return se
	}
	return nil
}

// Times are stored as the other store stores them (store.TimeLayout).
var (
	fmtTime       = store.FormatTime
	parseTime     = store.ParseTime
	parseNullTime = store.ParseNullTime
)

func notFound(what string, args ...any) error {
	return bot.Errorf(bot.ENOTFOUND, what, args...)
}
