package slack_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

func TestThreadReplyIsANote(t *testing.T) {
	f := newFake(t, fakeOptions{echo: true})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	ctx := context.Background()
	who := f.Member(0)
	p := prompt(t, f, who)
	seen, err := f.Reply(ctx, who, p, "C1 limited: the hearing moved to <March> & the <!channel> knows")
	if err != nil {
		t.Fatal(err)
	}
	us, err := eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum", Member: who})
	if err != nil || len(us) != 1 {
		t.Fatalf("stored %+v %v", us, err)
	}
	if u := us[0]; u.Source != bot.SourceThread || u.Completion != bot.Limited || u.Note != "the hearing moved to <March> & the <!channel> knows" || u.Correction {
		t.Errorf("stored %+v", u)
	}
	p = prompt(t, f, who)
	if want := "Recorded C1: Limited."; p.Reactions != 1 || p.Edits != 1 || seen.Text != want {
		t.Errorf("after the reply: %d reactions on it, %d edits of the prompt, the person sees %q; want 1, 1 and %q", p.Reactions, p.Edits, seen.Text, want)
	}

	// A plain message in the direct message, outside the thread, is a note
	// on the latest prompt too.
	if _, err := f.say(ctx, userOf(string(who)), p.Ref.Channel, "", "Also: the portal is live"); err != nil {
		t.Fatal(err)
	}
	us, _ = eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum", Member: who})
	if len(us) != 2 || !strings.Contains(us[1].Note, "Also: the portal is live") {
		t.Errorf("after a plain message: %+v", us)
	}

	// Edits and other subtypes are not people typing.
	before := len(us)
	edited := eventCallback(f.nextID("Ev"), map[string]any{"type": "message", "subtype": "message_changed", "channel": p.Ref.Channel,
		"message": map[string]any{"type": "message", "user": userOf(string(who)), "text": "changed", "ts": "1.000001"}, "ts": "1.000002", "channel_type": "im"})
	if _, err := f.send(ctx, "events_api", edited); err != nil {
		t.Fatal(err)
	}
	if err := f.awaitDone(ctx, edited["event_id"].(string)); err != nil {
		t.Fatal(err)
	}
	if us, _ = eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum", Member: who}); len(us) != before {
		t.Errorf("a message_changed event was stored: %d updates, want %d", len(us), before)
	}

	// After the round closed, a reply is a correction, and the person is told.
	eng.clock.Advance(8 * 24 * time.Hour)
	if err := eng.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	seen, err = f.Reply(ctx, who, p, "C1 substantial: it was published after all")
	if err != nil {
		t.Fatal(err)
	}
	us, _ = eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum", Member: who})
	if last := us[len(us)-1]; !last.Correction || last.Completion != bot.Substantial {
		t.Errorf("a reply after close stored %+v, want a correction", last)
	}
	if !strings.Contains(seen.Text, "recorded as a correction") {
		t.Errorf("after close the person sees %q", seen.Text)
	}
	noViolations(t, f)
}
