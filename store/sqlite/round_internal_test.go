package sqlite

import (
	"context"
	"testing"
	"time"

	"forumbot/bot"
)

// openWithRound opens db, closed when the test ends, and opens the round
// of November 2026 of forum "f" in it.
func openWithRound(t *testing.T, db *DB) bot.Round {
	t.Helper()
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	r, _, err := db.OpenRound(context.Background(), bot.Round{ForumID: "f", Period: bot.Period{Year: 2026, Month: 11}, ScheduledAt: at, OpenedAt: at, ClosesAt: at.AddDate(0, 0, 7)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
