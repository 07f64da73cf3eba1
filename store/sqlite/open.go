package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	"forumbot/bot"
	"forumbot/store"
)

// Mode says what Open may do to the database file.
type Mode int

const (
	// Create opens the file read-write, creating it if it is missing, and
	// migrates it to the current schema: for the bot itself.
	Create Mode = iota
	// Existing is Create for a file that must already exist.
	Existing
	// ReadOnly opens a file that must already exist for reading only: no
	// migration, and every write fails. Backup still works. For commands
	// that read the record.
	ReadOnly
)

// dsn builds the connection string for the writer or the
// readers of a database opened in mode.
func dsn(path string, mode Mode, write bool) string {
	q := url.Values{}
	// Each connection caches up to 32 MB of pages, within the budget of
	// the pool they come from (pagecache.go): a digest reads thousands of
	// rows scattered over the record, and SQLite's 2 MB default cache let
	// each read go back to the file. The file is not mapped into memory
	// (mmap_size): after every commit SQLite unmaps it in each reader,
	// whose next reads then fault every page in again, which cost a
	// round's prompts more than half their time on two years of history
	// (docs/BENCHMARKS.md, "Reading the file").
	pragmas := []string{"busy_timeout(5000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-32000)"}
	switch {
	case mode == ReadOnly:
		// Changing the journal mode is a write; the bot set it at creation.
		// (query_only would also refuse VACUUM INTO, which writes elsewhere.)
		pragmas = []string{"busy_timeout(5000)", "cache_size(-32000)"}
		q.Set("mode", "ro")
	case !write:
		pragmas = append(pragmas, "query_only(1)")
	case mode == Existing:
		q.Set("mode", "rw")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if write {
		q.Set("_txlock", "immediate")
		// The checkpointer copies the log beside the writer
		// (checkpoint.go); SQLite's own checkpoint, inside a commit, is
		// the bound for writes that never pause.
		q.Add("_pragma", fmt.Sprintf("wal_autocheckpoint(%d)", logBound))
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database as db.Mode allows. A file that Existing or
// ReadOnly needs but that is missing is an ENOTFOUND error naming the path.
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
	if db.Mode != Create {
		if _, err := os.Stat(db.Path); errors.Is(err, fs.ErrNotExist) {
			return bot.Errorf(bot.ENOTFOUND, "database %s does not exist", db.Path)
		} else if err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
	}
	if db.Mode == ReadOnly {
		return db.openReaders(db.checkSchema)
	}
	if db.Mode == Create {
		if err := createPrivate(db.Path); err != nil {
			return err
		}
	}
	w, err := db.openWriter()
	if err != nil {
		return err
	}
	db.w = w
	if err := db.migrate(context.Background()); err != nil {
		w.Close()
		return fmt.Errorf("sqlite: migrate %s: %w", db.Path, err)
	}
	if err := db.prepareWrites(context.Background()); err != nil {
		w.Close()
		return fmt.Errorf("sqlite: %w", err)
	}
	if err := db.openReaders(nil); err != nil {
		w.Close()
		return err
	}
	ck, err := db.openWriter() // the checkpointer (checkpoint.go)
	if err != nil {
		db.r.Close()
		w.Close()
		return err
	}
	db.ck = ck
	return nil
}

// openWriter opens a single connection that may write the file: the
// writer, and the checkpointer beside it, which opens the file as the
// writer does.
func (db *DB) openWriter() (*sql.DB, error) {
	w, err := sql.Open("sqlite", dsn(db.Path, db.Mode, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	return w, nil
}

// openReaders opens the read pool and runs check on it, if given.
func (db *DB) openReaders(check func(context.Context) error) error {
	r, err := sql.Open("sqlite", dsn(db.Path, db.Mode, false))
	if err != nil {
		return err
	}
	r.SetMaxOpenConns(db.Readers)
	// Keep every reader open: database/sql keeps two idle by default, and
	// a reader opened again maps the file, sets its pragmas and prepares
	// its statements anew, which costs more than most queries.
	r.SetMaxIdleConns(db.Readers)
	r.SetConnMaxIdleTime(0)
	db.r = r
	if check != nil {
		if err := check(context.Background()); err != nil {
			r.Close()
			db.r = nil
			return fmt.Errorf("sqlite: %s: %w", db.Path, err)
		}
	}
	return nil
}

// checkSchema makes sure a database opened read-only has the current
// schema, as it cannot be migrated. Another file, or another schema, is
// EINVALID.
func (db *DB) checkSchema(ctx context.Context) error {
	names, err := store.MigrationNames(migrations)
	if err != nil {
		return err
	}
	var version int
	if err := db.r.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	switch {
	case version == 0:
		return bot.Errorf(bot.EINVALID, "not a forumbot database (it has no forumbot schema)")
	case version < len(names):
		return bot.Errorf(bot.EINVALID, "database schema v%d is older than this forumbot (v%d): run forumbot serve once to upgrade it", version, len(names))
	case version > len(names):
		return store.NewerSchema(version, len(names))
	}
	return nil
}

// migrate applies the embedded migrations newer than PRAGMA user_version,
// each in its own transaction with the version bump.
func (db *DB) migrate(ctx context.Context) error {
	names, err := store.MigrationNames(migrations)
	if err != nil {
		return err
	}
	var version int
	if err := db.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > len(names) {
		return store.NewerSchema(version, len(names))
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
		if after := db.afterMigration(names[i]); after != nil {
			if err := after(ctx, tx); err != nil {
				tx.Rollback()
				return fmt.Errorf("%s: %w", names[i], err)
			}
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

// SchemaVersion is the schema version this build migrates databases to.
func SchemaVersion() int {
	names, _ := store.MigrationNames(migrations)
	return len(names)
}

// SchemaDigest names the exact schema this build creates: a hash of its
// migrations, for caches of databases built by it.
func SchemaDigest() string {
	names, _ := store.MigrationNames(migrations)
	h := sha256.New()
	for _, n := range names {
		body, _ := fs.ReadFile(migrations, n)
		h.Write(body)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
