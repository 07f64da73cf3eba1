package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"forumbot/store"
	"forumbot/store/sqlite"
	"forumbot/store/storetest"
)

// harness opens each conformance test's store on a file of its own.
var harness = storetest.Harness{
	Open: func(tb testing.TB) store.DB {
		return openAt(tb, filepath.Join(tb.TempDir(), "test.db"))
	},
	Reopen: func(tb testing.TB, db store.DB) store.DB {
		return openAt(tb, db.(*sqlite.DB).Path)
	},
	Exec: func(tb testing.TB, db store.DB, query string) error {
		raw, err := sql.Open("sqlite", db.(*sqlite.DB).Path)
		if err != nil {
			tb.Fatal(err)
		}
		defer raw.Close()
		_, err = raw.Exec(query)
		return err
	},
	DropTrigger: func(name, _ string) string { return "DROP TRIGGER " + name },
	SetNow:      func(db store.DB, now func() time.Time) { db.(*sqlite.DB).Now = now },
}

func openAt(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestStore runs the conformance suite every store passes.
func TestStore(t *testing.T) { storetest.Run(t, harness) }
