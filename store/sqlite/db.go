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

	w     *sql.DB // the one writer
	r     *sql.DB // readers
	stmts struct {
		// insertUpdate is prepared once: storing answers is the hot write.
		insertUpdate *sql.Stmt
	}
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
	if db.stmts.insertUpdate, err = w.Prepare(insertUpdate); err != nil {
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
	if db.stmts.insertUpdate != nil {
		errs = append(errs, db.stmts.insertUpdate.Close())
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

func fmtNullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return fmtTime(t)
}

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
