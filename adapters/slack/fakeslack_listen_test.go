package slack_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"forumbot/bot"
)

// markDone is the adapter's hook: the request key is handled.
func (f *fakeSlack) markDone(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch, ok := f.done[key]
	if !ok {
		ch = make(chan struct{})
		f.done[key] = ch
	}
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// awaitDone waits until the adapter has handled the request key.
func (f *fakeSlack) awaitDone(ctx context.Context, key string) error {
	f.mu.Lock()
	ch, ok := f.done[key]
	if !ok {
		ch = make(chan struct{})
		f.done[key] = ch
	}
	f.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("the adapter did not finish handling %s: %w", key, ctx.Err())
	}
}

// listen runs the adapter's Listen with h until the test ends.
func (f *fakeSlack) listen(t testing.TB, h bot.Handler) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.chat.Listen(ctx, h) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Listen: %v", err)
		}
	})
	f.waitListening(t)
}

// waitListening waits until the adapter accepts events: connected through
// Socket Mode, or answering in HTTP mode.
func (f *fakeSlack) waitListening(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if !f.opts.http {
		if err := f.sock.awaitConnected(ctx); err != nil {
			t.Fatal(err)
		}
		return
	}
	// Nothing signals readiness from outside the adapter: poll the handler,
	// which answers 503 until Listen runs.
	for {
		resp, err := f.postSigned(ctx, "/slack/events", "application/json", []byte(`{"type":"url_verification","challenge":"ready"}`), f.opts.now(), 0)
		if err == nil && resp.status == http.StatusOK {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the adapter never listened in HTTP mode: %v %v", resp, err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}
