// Package sqlite implements bot.Store on modernc.org/sqlite: one file, WAL,
// one writer connection and a pool of readers, migrations embedded and
// applied in a transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"forumbot/bot"
)

var _ bot.Store = (*DB)(nil)

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

	w *sql.DB // the one writer
	r *sql.DB // readers
	// Prepared statements by SQL text, for the readers and for the writer:
	// parsing SQL is a good part of a small query's cost.
	readStmts, writeStmts sync.Map
}

// NewDB returns a DB for the file at path; call Open before use.
func NewDB(path string) *DB { return &DB{Path: path, Now: time.Now} }

// dsn builds the connection string of DESIGN.md §6.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database, creating it if needed, and applies migrations.
func (db *DB) Open() error {
	if db.Path == "" {
		return fmt.Errorf("sqlite: no database path")
	}
	if db.Now == nil {
		db.Now = time.Now
	}
	if db.Readers <= 0 {
		db.Readers = 4
	}
	w, err := sql.Open("sqlite", dsn(db.Path, false))
	if err != nil {
		return err
	}
	w.SetMaxOpenConns(1)
	db.w = w
	if err := db.migrate(context.Background()); err != nil {
		w.Close()
		return fmt.Errorf("sqlite: migrate %s: %w", db.Path, err)
	}
	if err := db.prepareWrites(context.Background()); err != nil {
		w.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	r, err := sql.Open("sqlite", dsn(db.Path, true))
	if err != nil {
		w.Close()
		return err
	}
	r.SetMaxOpenConns(db.Readers)
	db.r = r
	return nil
}

// Close closes both handles.
func (db *DB) Close() error {
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
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	return errors.Join(errs...)
}

// migrate applies the embedded migrations newer than PRAGMA user_version,
// each in its own transaction with the version bump.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	var version int
	if err := db.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(names) {
		return fmt.Errorf("database schema v%d is newer than this forumbot (v%d): upgrade forumbot", version, len(names))
	}
	for i := version; i < len(names); i++ {
		body, err := fs.ReadFile(migrations, names[i])
		if err != nil {
			return err
		}
		tx, err := db.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("%s: %w", names[i], err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// Backup writes a consistent copy of the live database to path.
func (db *DB) Backup(ctx context.Context, path string) error {
	_, err := db.w.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// write runs fn in a write transaction.
func (db *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return translate(err)
	}
	return translate(tx.Commit())
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
	for _, q := range []string{insertUpdate, markSending, markSent, markRetry} {
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
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return &bot.Error{Code: bot.ECONFLICT, Message: se.Error()}
	}
	return err
}

// timeLayout is fixed width, so text comparison is time comparison.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func fmtTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

func notFound(what string, args ...any) error {
	return bot.Errorf(bot.ENOTFOUND, what, args...)
}
