package slack_test

import (
	"path/filepath"
	"testing"

	"forumbot/adapters/chattest"
	"forumbot/bot"
	"forumbot/store/sqlite"
)

// newStore opens an empty SQLite store in a temporary file.
func newStore(t testing.TB) *sqlite.DB {
	t.Helper()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "forumbot.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func conformanceOptions() chattest.Options {
	return chattest.Options{NewStore: func(t *testing.T) bot.Store { return newStore(t) }}
}

// TestConformance runs the suite every adapter passes, through Socket Mode,
// with the fake echoing the bot's own messages as Slack does.
func TestConformance(t *testing.T) {
	t.Parallel() // waits out real Retry-After seconds
	chattest.Run(t, newFake(t, fakeOptions{echo: true}), conformanceOptions())
}

// TestConformanceHTTP runs the suite with events arriving as signed HTTP
// requests.
func TestConformanceHTTP(t *testing.T) {
	t.Parallel() // waits out real Retry-After seconds
	chattest.Run(t, newFake(t, fakeOptions{http: true, echo: true}), conformanceOptions())
}
