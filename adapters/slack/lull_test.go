package slack_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/adapters/slack"
	"forumbot/bot"
)

// TestEditsWaitForALull: while messages keep arriving, the edits their
// answers ask for (a prompt re-rendered from the store) wait, so that the
// cores go to acknowledging the others within Slack's 3 s; the replies
// and reactions that confirm an answer do not wait, nor does a message
// whose answer asks for no edit. Once the messages pause, every edit is
// made. The lull's clock is the test's: it ends when the test says so.
func TestEditsWaitForALull(t *testing.T) {
	f := newFake(t, fakeOptions{})
	clock := chattest.NewLullClock()
	slack.SetLull(f.chat, time.Second, time.Minute, clock.Now, clock.Sleep)
	var edits atomic.Int32
	h := &recorder{fn: func(_ context.Context, e bot.Event) bot.Response {
		resp := bot.Response{React: true, Reply: &bot.Message{Text: "Noted."}}
		if e.Text != "no edit" {
			resp.FollowUp = func(context.Context) *bot.Edit {
				edits.Add(1)
				return nil
			}
		}
		return resp
	}}
	f.listen(t, h)
	ctx := context.Background()
	user := userOf(string(f.Member(0)))
	f.mu.Lock()
	channel := f.dm(user).id
	f.mu.Unlock()
	say := func(i int, text string) string {
		t.Helper()
		id := f.nextID("Ev")
		ts := fmt.Sprintf("1700000000.%06d", i)
		ev := map[string]any{"type": "message", "channel": channel, "user": user, "text": text, "ts": ts,
			"channel_type": "im", "event_ts": ts}
		if _, err := f.send(ctx, "events_api", eventCallback(id, ev)); err != nil {
			t.Fatal(err)
		}
		return id
	}
	// A message whose answer asks for no edit is done at once, lull or
	// not.
	plain := say(9, "no edit")
	soon, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := f.awaitDone(soon, plain); err != nil {
		t.Fatalf("a message that asks for no edit waited for the lull: %v", err)
	}
	replies, reactions := f.count("chat.postEphemeral"), f.count("reactions.add")
	var ids []string
	for i := range 3 {
		ids = append(ids, say(i, fmt.Sprint("update ", i)))
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
	clock.Release()
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
