package slack_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forumbot/adapters/slack"
	"forumbot/bot"
)

// TestEditsWaitForALull: while messages keep arriving, the edits their
// answers ask for (a prompt re-rendered from the store) wait, so that the
// cores go to acknowledging the others within Slack's 3 s; the replies
// and reactions that confirm an answer do not wait. Once the messages
// pause, every edit is made. The lull's clock is the test's: it ends when
// the test says so.
func TestEditsWaitForALull(t *testing.T) {
	f := newFake(t, fakeOptions{})
	var (
		mu      sync.Mutex
		now     = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
		release = make(chan struct{})
	)
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	sleep := func(ctx context.Context, _ time.Duration) error {
		select {
		case <-release:
			mu.Lock()
			now = now.Add(time.Hour)
			mu.Unlock()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	slack.SetLull(f.chat, time.Second, time.Minute, clock, sleep)
	var edits atomic.Int32
	h := &recorder{fn: func(context.Context, bot.Event) bot.Response {
		return bot.Response{React: true, Reply: &bot.Message{Text: "Noted."}, FollowUp: func(context.Context) *bot.Edit {
			edits.Add(1)
			return nil
		}}
	}}
	f.listen(t, h)
	ctx := context.Background()
	user := userOf(string(f.Member(0)))
	f.mu.Lock()
	channel := f.dm(user).id
	f.mu.Unlock()
	replies, reactions := f.count("chat.postEphemeral"), f.count("reactions.add")
	var ids []string
	for i := range 3 {
		id := f.nextID("Ev")
		ts := fmt.Sprintf("1700000000.%06d", i)
		ev := map[string]any{"type": "message", "channel": channel, "user": user, "text": fmt.Sprint("update ", i), "ts": ts,
			"channel_type": "im", "event_ts": ts}
		if _, err := f.send(ctx, "events_api", eventCallback(id, ev)); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	// The confirmations go out while the edits wait: the fake counts the
	// calls; nothing signals them.
	deadline := time.Now().Add(10 * time.Second)
	for f.count("chat.postEphemeral")-replies < len(ids) || f.count("reactions.add")-reactions < len(ids) {
		if time.Now().After(deadline) {
			t.Fatalf("%d replies and %d reactions went out before the lull, want %d of each",
				f.count("chat.postEphemeral")-replies, f.count("reactions.add")-reactions, len(ids))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := edits.Load(); got != 0 {
		t.Errorf("%d edits were made while the messages kept arriving, want none before they pause", got)
	}
	close(release)
	for _, id := range ids {
		if err := f.awaitDone(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if got := edits.Load(); got != int32(len(ids)) {
		t.Errorf("%d edits were made after the messages paused, want %d", got, len(ids))
	}
	noViolations(t, f)
}
