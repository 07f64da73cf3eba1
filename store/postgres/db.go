// Package postgres implements bot.Store on PostgreSQL with pgx (pgxpool),
// for several forumbot instances sharing one database: the same schema
// and guarantees as store/sqlite (append-only record by triggers, unique
// keys, the derived tables, the record chain), migrations embedded and
// applied in transactions, statements prepared once per connection (pgx's
// statement cache). Writes that SQLite serialises with its one writer are
// serialised here per forum with a transaction-level advisory lock, so
// that versions, the chain and the derived tables of one forum are written
// one at a time while other forums and every read go on. Leader (leader.go)
// elects the one instance that ticks and sends.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"forumbot/bot"
	"forumbot/store"
)

var _ store.DB = (*DB)(nil)

//go:embed migrations/*.sql
var migrations embed.FS

// Mode says what Open may do to the database.
type Mode int

const (
	// Create migrates the database to the current schema: for the bot.
	Create Mode = iota
	// ReadOnly opens a database that must have the current schema, in
	// read-only transactions: for the commands that read the record.
	ReadOnly
)

// DB is the PostgreSQL store.
type DB struct {
	// URL is the connection string (postgres://user@host/db?sslmode=…);
	// a password may come from PGPASSWORD or ~/.pgpass instead.
	URL string
	// Now is the clock used for bookkeeping times; time.Now by default.
	Now func() time.Time
	// Mode says whether Open migrates; Create by default.
	Mode Mode
	// MaxConns caps the pool; 8 by default.
	MaxConns int32

	pool *pgxpool.Pool
}

// NewDB returns a DB for the database at url; call Open before use.
func NewDB(url string) *DB { return &DB{URL: url, Now: time.Now} }

// Open connects and, in Create mode, migrates the database; in ReadOnly
// mode it checks that the schema is the current one.
func (db *DB) Open() error {
	if db.URL == "" {
		return fmt.Errorf("postgres: no database URL")
	}
	if db.Now == nil {
		db.Now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(db.URL)
	if err != nil {
		// pgx's message may quote the URL, password included.
		return bot.Errorf(bot.EINVALID, "postgres: the database URL cannot be read (want postgres://user@host:5432/dbname)")
	}
	cfg.MaxConns = 8
	if db.MaxConns > 0 {
		cfg.MaxConns = db.MaxConns
	}
	if db.Mode == ReadOnly {
		cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	db.pool = pool
	if db.Mode == ReadOnly {
		err = db.checkSchema(ctx)
	} else {
		err = db.migrate(ctx)
	}
	if err != nil {
		pool.Close()
		db.pool = nil
		return fmt.Errorf("postgres: %s: %w", db.where(), err)
	}
	return nil
}

// Name names the database for messages, without its password: database
// forumbot on db.example.org:5432.
func (db *DB) Name() string { return db.where() }

// where names the database for messages without its password.
func (db *DB) where() string {
	cfg, err := pgconn.ParseConfig(db.URL)
	if err != nil {
		return "the database"
	}
	return fmt.Sprintf("database %s on %s:%d", cfg.Database, cfg.Host, cfg.Port)
}

// Close closes the pool.
func (db *DB) Close() error {
	if db.pool != nil {
		db.pool.Close()
	}
	return nil
}

// Pool is the connection pool, for tests and benchmarks that reach the
// database outside the store.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// tx runs fn in a transaction, translating constraint failures.
func (db *DB) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	return translate(pgx.BeginFunc(ctx, db.pool, fn))
}

// lockForum takes the forum's write lock for the rest of tx: the writes
// of one forum's record (a version and its number, the chain, the derived
// tables, voiding) happen one at a time, as SQLite's one writer has them.
func lockForum(ctx context.Context, tx pgx.Tx, forumID string) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, forumLocks, forumID)
	return err
}

// Advisory lock spaces (the first of the two keys).
const (
	forumLocks     = 0x666f7275 // "foru"
	migrationLock  = 0x6d696772 // "migr"
	leaderLockBase = 0x6c656164 // "lead"
)

// translate turns PostgreSQL's integrity violations (class 23: unique
// keys, references, checks and the record's guards) into ECONFLICT.
func translate(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && len(pe.Code) == 5 && pe.Code[:2] == "23" {
		return &bot.Error{Code: bot.ECONFLICT, Message: pe.Message}
	}
	return err
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

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
