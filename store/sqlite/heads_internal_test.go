package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"forumbot/bot"
)

// headsDB opens a store with a round and returns a function that stores
// the next answer through it.
func headsDB(t *testing.T, path string) (*DB, func(db *DB, event string)) {
	t.Helper()
	db := NewDB(path)
	r := openWithRound(t, db)
	return db, func(db *DB, event string) {
		t.Helper()
		u := bot.Update{ForumID: "f", Period: r.Period, RoundID: r.ID, CommitmentID: "C1", Member: bot.Address("local:" + event),
			Group: bot.Government, Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: r.OpenedAt, EventID: event}
		if _, _, err := db.AddUpdate(context.Background(), u); err != nil {
			t.Fatalf("answer %s: %v", event, err)
		}
	}
}

// verified fails the test unless the record's chain is intact and holds
// entries entries.
func verified(t *testing.T, db *DB, entries int64) {
	t.Helper()
	rep, err := db.Verify(context.Background())
	if err != nil || len(rep.Breaks) != 0 || len(rep.Forums) != 1 || rep.Forums[0].Entries != entries {
		t.Fatalf("Verify = %+v, %v; want forum f intact with %d entries", rep, err, entries)
	}
}

// TestChainHeadAfterAnotherProcess: a command run beside serve appends to
// the chain; serve's next answer, whose kept head is then behind, reads
// the head again and chains after the command's entry.
func TestChainHeadAfterAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	serve, answer := headsDB(t, path)
	answer(serve, "a")
	command := NewDB(path)
	if err := command.Open(); err != nil {
		t.Fatal(err)
	}
	defer command.Close()
	answer(command, "b")
	answer(serve, "c")
	verified(t, serve, 3)
}

// TestChainHeadAfterAFailedWrite: a write whose transaction fails after
// chaining a row leaves no head behind that the chain does not hold.
func TestChainHeadAfterAFailedWrite(t *testing.T) {
	ctx := context.Background()
	db, answer := headsDB(t, filepath.Join(t.TempDir(), "f.db"))
	answer(db, "a")
	failed := errors.New("refused after chaining")
	err := db.write(ctx, func(tx *sql.Tx) error {
		if err := db.chainer(tx).row(ctx, "updates", "f", 1); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("the write returned %v, want %v", err, failed)
	}
	answer(db, "b")
	verified(t, db, 2)
}
