package postgres_test

import (
	"context"
	"os"
	"testing"
	"time"

	"forumbot/store"
	"forumbot/store/postgres"
	"forumbot/store/postgres/pgtest"
	"forumbot/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// harness opens each conformance test's store on a database of its own on
// the test binary's server.
var harness = storetest.Harness{
	Open: func(tb testing.TB) store.DB {
		return openAt(tb, pgtest.URL(tb))
	},
	Reopen: func(tb testing.TB, db store.DB) store.DB {
		return openAt(tb, db.(*postgres.DB).URL)
	},
	Exec: func(tb testing.TB, db store.DB, query string) error {
		_, err := db.(*postgres.DB).Pool().Exec(context.Background(), query)
		return err
	},
	DropTrigger: func(name, table string) string { return "DROP TRIGGER " + name + " ON " + table },
	SetNow:      func(db store.DB, now func() time.Time) { db.(*postgres.DB).Now = now },
}

func openAt(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db := postgres.NewDB(url)
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// TestStore runs the conformance suite every store passes.
func TestStore(t *testing.T) { storetest.Run(t, harness) }
