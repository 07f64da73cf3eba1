package slack_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"forumbot/adapters/slack"
	"forumbot/bot"
)

// TestFollowUpsWaitForALull: while messages keep arriving, the replies to
// those already acknowledged wait, so that the cores go to acknowledging
// the others within Slack's 3 s; once the messages pause, every reply
// goes out.
func TestFollowUpsWaitForALull(t *testing.T) {
	f := newFake(t, fakeOptions{})
	slack.SetLull(f.chat, time.Second, time.Minute)
	h := &recorder{fn: func(context.Context, bot.Event) bot.Response {
		return bot.Response{Reply: &bot.Message{Text: "Noted."}}
	}}
	f.listen(t, h)
	ctx := context.Background()
	user := userOf(string(f.Member(0)))
	f.mu.Lock()
	channel := f.dm(user).id
	f.mu.Unlock()
	posts := f.count("chat.postEphemeral")
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
	if got := f.count("chat.postEphemeral") - posts; got != 0 {
		t.Errorf("%d replies went out while messages kept arriving, want none before they pause", got)
	}
	for _, id := range ids {
		if err := f.awaitDone(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.count("chat.postEphemeral") - posts; got != len(ids) {
		t.Errorf("%d replies went out after the messages paused, want %d", got, len(ids))
	}
	if got := len(h.seen()); got != len(ids) {
		t.Errorf("the handler saw %d messages, want %d", got, len(ids))
	}
	noViolations(t, f)
}
