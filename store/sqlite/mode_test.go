package sqlite_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/store/sqlite"
)

// openMode opens the database at path in mode, closed at cleanup.
func openMode(tb testing.TB, path string, mode sqlite.Mode) (*sqlite.DB, error) {
	tb.Helper()
	db := sqlite.NewDB(path)
	db.Mode = mode
	err := db.Open()
	if err == nil {
		tb.Cleanup(func() { db.Close() })
	}
	return db, err
}

// mustSeed creates a database at path holding one round, and closes it.
func mustSeed(tb testing.TB, path string) {
	tb.Helper()
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	mustRound(tb, db, "local:a")
	if err := db.Close(); err != nil {
		tb.Fatal(err)
	}
}

func TestOpenModeMissingFile(t *testing.T) {
	for _, tt := range []struct {
		name    string
		mode    sqlite.Mode
		created bool
	}{
		{"Create", sqlite.Create, true},
		{"Existing", sqlite.Existing, false},
		{"ReadOnly", sqlite.ReadOnly, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.db")
			_, err := openMode(t, path, tt.mode)
			_, statErr := os.Stat(path)
			if got := statErr == nil; got != tt.created {
				t.Errorf("file created: got %v, want %v", got, tt.created)
			}
			if tt.created {
				if err != nil {
					t.Errorf("Open: %v", err)
				}
				return
			}
			if bot.ErrorCode(err) != bot.ENOTFOUND || !strings.Contains(err.Error(), path) {
				t.Errorf("Open: got %v, want ENOTFOUND naming %s", err, path)
			}
		})
	}
}

func TestOpenExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "forum.db")
	mustSeed(t, path)
	db, err := openMode(t, path, sqlite.Existing)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Round(ctx, "f", nov); err != nil {
		t.Errorf("Round: %v", err)
	}
	if err := db.SetAway(ctx, "local:a", bot.Date{}); err != nil {
		t.Errorf("SetAway on a read-write database: %v", err)
	}
}

func TestOpenReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "forum.db")
	mustSeed(t, path)
	db, err := openMode(t, path, sqlite.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Reads", func(t *testing.T) {
		if _, err := db.Round(ctx, "f", nov); err != nil {
			t.Errorf("Round: %v", err)
		}
	})
	t.Run("RefusesWrites", func(t *testing.T) {
		if err := db.SetAway(ctx, "local:a", bot.Date{}); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("SetAway: got %v, want a read-only error", err)
		}
	})
	t.Run("Backup", func(t *testing.T) {
		out := filepath.Join(dir, "backup.db")
		if err := db.Backup(ctx, out); err != nil {
			t.Fatal(err)
		}
		copy, err := openMode(t, out, sqlite.ReadOnly)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := copy.Round(ctx, "f", nov); err != nil {
			t.Errorf("round in the backup: %v", err)
		}
	})
}

func TestOpenReadOnlyRefusesForeignFiles(t *testing.T) {
	for _, tt := range []struct {
		name, content, want, code string
	}{
		{"Empty", "", "not a forumbot database", bot.EINVALID},
		{"Text", "hello, not a database at all, but long enough to be read as a header......", "file is not a database", bot.EINTERNAL},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "other.db")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := openMode(t, path, sqlite.ReadOnly)
			if err == nil || !strings.Contains(err.Error(), tt.want) || bot.ErrorCode(err) != tt.code {
				t.Errorf("Open: got %v, want a %s error about %q", err, tt.code, tt.want)
			}
			if info, err := os.Stat(path); err != nil || info.Size() != int64(len(tt.content)) {
				t.Errorf("the file changed: %v %v", info, err)
			}
		})
	}
}

// TestOpenReadOnlyBesideTheBot reads and backs up a database the bot has
// open and writes to, as forumbot backup does while serve runs.
func TestOpenReadOnlyBesideTheBot(t *testing.T) {
	dir := t.TempDir()
	live, err := openMode(t, filepath.Join(dir, "live.db"), sqlite.Create)
	if err != nil {
		t.Fatal(err)
	}
	reader, err := openMode(t, live.Path, sqlite.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	mustRound(t, live, "local:a")
	if _, err := reader.Round(ctx, "f", nov); err != nil {
		t.Errorf("the reader does not see the bot's round: %v", err)
	}
	out := filepath.Join(dir, "backup.db")
	if err := reader.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	copy, err := openMode(t, out, sqlite.ReadOnly)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := copy.Round(ctx, "f", nov); err != nil {
		t.Errorf("round in the backup: %v", err)
	}
}
