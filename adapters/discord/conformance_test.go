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

// TestConformanceEndpoint runs the shared suite with interactions on the
// Interactions Endpoint URL, signed by the fake with a key pair made for
// the run: Listen serves the endpoint and holds the gateway, which
// carries the direct messages only. No first response may go to the
// callback endpoint, which Discord keeps for the gateway's interactions.
func TestConformanceEndpoint(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	cfg, start := f.withEndpoint(t)
	cfg.GuildID = f.guild
	cfg.Options = discord.Options{MaxRateLimitWait: 2 * time.Second, RetryBackoff: 10 * time.Millisecond, Retries: 2}
	chat := newChat(t, f, cfg)
	f.chat = chat
	start(chat)
	chattest.Run(t, f, chattest.Options{NewStore: newStore})
	if n := f.count(endpointRoute); n < 10 {
		t.Errorf("%d interactions came to the endpoint, want every one of the suite's", n)
	}
	if n := f.count("POST /interactions/{id}/{token}/callback"); n != 0 {
		t.Errorf("%d first responses on the callback endpoint, want all in the HTTP responses", n)
	}
	if identifies, _ := f.gw.stats(); identifies == 0 {
		t.Errorf("the gateway was never connected; direct messages need it")
	}
}
