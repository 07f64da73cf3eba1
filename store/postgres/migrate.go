package postgres

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"

	"forumbot/bot"
	"forumbot/store"
)

// SchemaVersion is the schema version this build migrates databases to.
func SchemaVersion() int {
	names, _ := store.MigrationNames(migrations)
	return len(names)
}

// migrate applies the embedded migrations the database has not, each in
// its own transaction with the version bump, holding the migration lock:
// instances started at once migrate one after the other, and each finds
// what the one before it applied.
func (db *DB) migrate(ctx context.Context) error {
	names, err := store.MigrationNames(migrations)
	if err != nil {
		return err
	}
	for {
		done := false
		err := db.tx(ctx, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, migrationLock); err != nil {
				return err
			}
			version, err := schemaVersion(ctx, tx, true)
			if err != nil {
				return err
			}
			if version > len(names) {
				return store.NewerSchema(version, len(names))
			}
			if version == len(names) {
				done = true
				return nil
			}
			body, err := fs.ReadFile(migrations, names[version])
			if err != nil {
				return err
			}
			// Without arguments pgx sends the file as one simple query,
			// which may hold several statements.
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return fmt.Errorf("%s: %w", names[version], err)
			}
			_, err = tx.Exec(ctx, `UPDATE forumbot_schema SET version = $1`, version+1)
			return err
		})
		if err != nil || done {
			return err
		}
	}
}

// schemaVersion reads the schema version; create makes the table that
// holds it when it is missing.
func schemaVersion(ctx context.Context, tx pgx.Tx, create bool) (int, error) {
	var exists bool
	if err := tx.QueryRow(ctx, `SELECT to_regclass('forumbot_schema') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		if !create {
			return 0, nil
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE forumbot_schema (version INTEGER NOT NULL); INSERT INTO forumbot_schema VALUES (0)`); err != nil {
			return 0, err
		}
	}
	var version int
	err := tx.QueryRow(ctx, `SELECT version FROM forumbot_schema`).Scan(&version)
	return version, err
}

// checkSchema makes sure a database opened read-only has the current
// schema, as it cannot be migrated.
func (db *DB) checkSchema(ctx context.Context) error {
	latest := SchemaVersion()
	var version int
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var err error
		version, err = schemaVersion(ctx, tx, false)
		return err
	})
	switch {
	case err != nil:
		return err
	case version == 0:
		return bot.Errorf(bot.EINVALID, "not a forumbot database (it has no forumbot schema): run forumbot serve once to create it")
	case version < latest:
		return bot.Errorf(bot.EINVALID, "database schema v%d is older than this forumbot (v%d): run forumbot serve once to upgrade it", version, latest)
	case version > latest:
		return store.NewerSchema(version, latest)
	}
	return nil
}
