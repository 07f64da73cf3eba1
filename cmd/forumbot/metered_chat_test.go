package main

import (
	"context"
	"io"
	"log/slog"
	"runtime"
	"testing"

	"forumbot/adapters/discord"
	"forumbot/adapters/local"
	"forumbot/bot"
)

// TestMeteredKeepsTheLeaderSplit: serve wraps every chat for its metrics
// and readiness; the wrapped Discord chat must still be a bot.LeaderChat,
// or every instance would hold the gateway, and its shared part must
// count as listening for /readyz while the leader part does not.
func TestMeteredKeepsTheLeaderSplit(t *testing.T) {
	d, err := discord.New(discord.Config{Token: "test-token", ApplicationID: "1180000000000000001"})
	if err != nil {
		t.Fatal(err)
	}
	ready := newReadiness(nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	wrapped := metered(d, "discord", newMetrics(), ready)
	lc, ok := wrapped.(bot.LeaderChat)
	if !ok {
		t.Fatalf("the metered Discord chat (%T) is not a bot.LeaderChat", wrapped)
	}
	if _, ok := metered(local.New(), "local", newMetrics(), ready).(bot.LeaderChat); ok {
		t.Errorf("the metered local chat claims a leader part")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- lc.ListenShared(ctx, nil) }()
	// Without a public key the shared part waits for ctx; the instance
	// counts as listening from before it starts waiting.
	for !listening(ready, "discord") {
		select {
		case err := <-done:
			t.Fatalf("ListenShared returned early: %v", err)
		default:
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ListenShared: %v", err)
	}
	if listening(ready, "discord") {
		t.Errorf("still listening after ListenShared returned")
	}
}

func listening(r *readiness, platform string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.listening[platform]
}
