package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"

	"forumbot/bot"
)

// TestFilesOnlyOwnerCanRead: the database, its -wal and -shm files and a
// backup hold every answer: they are created 0600.
func TestFilesOnlyOwnerCanRead(t *testing.T) {
	db := MustOpenDB(t)
	mustRound(t, db, "local:a")
	out := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{db.Path, db.Path + "-wal", db.Path + "-shm", out} {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: mode %v, want -rw-------", filepath.Base(path), got)
		}
	}
}

// TestBackupNeverOverwritesNorFollowsLinks: a backup refuses any path
// that exists, a symbolic link pointing nowhere included, and creates
// nothing where the link points.
func TestBackupNeverOverwritesNorFollowsLinks(t *testing.T) {
	db := MustOpenDB(t)
	mustRound(t, db, "local:a")
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.db")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, link := range map[string]string{"dangling.db": filepath.Join(dir, "target.db"), "to-existing.db": existing} {
		if err := os.Symlink(link, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"existing.db", "dangling.db", "to-existing.db"} {
		t.Run(name, func(t *testing.T) {
			err := db.Backup(ctx, filepath.Join(dir, name))
			if bot.ErrorCode(err) != bot.ECONFLICT {
				t.Errorf("Backup to %s: %v, want ECONFLICT", name, err)
			}
		})
	}
	if _, err := os.Lstat(filepath.Join(dir, "target.db")); !os.IsNotExist(err) {
		t.Errorf("the dangling link's target was created (%v)", err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "keep me" {
		t.Errorf("the existing file now holds %q", b)
	}
}
