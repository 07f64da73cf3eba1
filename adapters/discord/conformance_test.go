package discord_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/adapters/discord"
	"forumbot/bot"
	"forumbot/store/sqlite"
)

var _ chattest.Fake = (*fakeDiscord)(nil)

// quiet discards logs; run with -v and swap it for slog.Default() to see
// them.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// newChat returns an adapter pointed at f.
func newChat(t testing.TB, f *fakeDiscord, cfg discord.Config) *discord.Chat {
	t.Helper()
	cfg.Token, cfg.ApplicationID, cfg.APIURL = fakeToken, f.appID, f.APIURL()
	if cfg.Log == nil {
		cfg.Log = quiet
	}
	chat, err := discord.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return chat
}

// newStore returns an empty SQLite store in a temporary file.
func newStore(t *testing.T) bot.Store { return openStore(t) }

func openStore(t testing.TB) bot.Store {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "forumbot.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the shared adapter suite through discordgo against
// the fake Discord, with one gateway session for the whole run.
func TestConformance(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	f.chat = newChat(t, f, discord.Config{GuildID: f.guild, Options: discord.Options{
		MaxRateLimitWait: 2 * time.Second,
		RetryBackoff:     10 * time.Millisecond,
		Retries:          2,
	}})
	chattest.Run(t, f, chattest.Options{NewStore: newStore})
}
