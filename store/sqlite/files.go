package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"forumbot/bot"
)

// fileMode is the mode of the files the store creates: the database, its
// -wal and -shm files (SQLite gives them the database's mode) and backups.
// They hold every answer, so only their owner may read them.
const fileMode = 0o600

// createPrivate creates the database file, empty and with fileMode, when
// it does not exist, so that SQLite opens it rather than creating it with
// its own default mode (0644).
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case errors.Is(err, fs.ErrExist):
		return nil
	case err != nil:
		return fmt.Errorf("sqlite: %w", err)
	}
	return f.Close()
}

// Backup writes a consistent copy of the live database to path, a new
// file only its owner can read; it works in every mode. It never
// overwrites a file and never follows a symbolic link, even one pointing
// nowhere: anything at path is an ECONFLICT error.
func (db *DB) Backup(ctx context.Context, path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	switch {
	case errors.Is(err, fs.ErrExist):
		return bot.Errorf(bot.ECONFLICT, "%s exists (a file or a symbolic link): a backup never overwrites nor follows a link", path)
	case err != nil:
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	f.Close()
	db.wmu.RLock()
	defer db.wmu.RUnlock()
	pool := db.w
	if pool == nil {
		pool = db.r
	}
	// VACUUM INTO fills the empty file, keeping its mode.
	if _, err := pool.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return fmt.Errorf("sqlite: backup: %w", err)
	}
	return nil
}
