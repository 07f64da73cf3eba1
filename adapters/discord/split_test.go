package discord_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"forumbot/adapters/chattest"
	"forumbot/adapters/discord"
	"forumbot/bot"
)

// long returns a message of n sections too big for one Discord message.
func long(tag string, n int) bot.Message {
	msg := bot.Message{Header: "Digest " + tag, Footer: "footer " + tag}
	for i := 1; i <= n; i++ {
		msg.Sections = append(msg.Sections, bot.Section{
			Title: fmt.Sprintf("S%02d %s", i, tag),
			Text:  strings.Repeat("word ", 500) + fmt.Sprintf("END-S%02d-%s", i, tag),
		})
	}
	return msg
}

// TestSplitMessages: a message sent in parts is found by Delivered as a
// whole; a part lost is sent again by Delivered, not the whole; Update
// edits the parts, adds or removes the ones the new version needs.
func TestSplitMessages(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	who := fx.person("reader")
	out := bot.Outgoing{To: who, Key: "split/1", Message: long("v1", 6)}
	ref, err := fx.chat.Send(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	held := fx.f.Held(who)
	if len(held) != 3 || held[0].Ref != ref {
		t.Fatalf("sent as %d messages (want 3), first %v, Send said %v", len(held), held[0].Ref, ref)
	}
	if got, found, err := fx.chat.Delivered(ctx, out); err != nil || !found || got != ref {
		t.Errorf("Delivered: %v %v %v, want %v", got, found, err, ref)
	}
	// The second part went missing: Delivered completes the message.
	fx.f.mu.Lock()
	fx.f.messages[held[1].Ref.ID].deleted = true
	fx.f.mu.Unlock()
	if got, found, err := fx.chat.Delivered(ctx, out); err != nil || !found || got != ref {
		t.Errorf("Delivered with a part missing: %v %v %v", got, found, err)
	}
	if text := allText(fx.f.Held(who)); strings.Count(text, "END-S") != 6 || len(fx.f.Held(who)) != 3 {
		t.Errorf("after completing: %d messages, %d sections", len(fx.f.Held(who)), strings.Count(text, "END-S"))
	}
	// A shorter version: one message, the others removed.
	if err := discord.Update(fx.chat, ctx, ref, long("v2", 1)); err != nil {
		t.Fatal(err)
	}
	held = fx.f.Held(who)
	if len(held) != 1 || held[0].Ref != ref || !strings.Contains(held[0].Text, "END-S01-v2") || !strings.Contains(held[0].Text, "footer v2") {
		t.Errorf("after shrinking: %d messages:\n%s", len(held), allText(held))
	}
	// A longer one again: parts added after the first.
	if err := discord.Update(fx.chat, ctx, ref, long("v3", 6)); err != nil {
		t.Fatal(err)
	}
	held = fx.f.Held(who)
	text := allText(held)
	if len(held) != 3 || held[0].Ref != ref || strings.Count(text, "-v3") != 6 || strings.Contains(text, "v2") {
		t.Errorf("after growing: %d messages:\n%s", len(held), text)
	}
	if got, found, err := fx.chat.Delivered(ctx, out); err != nil || !found || got != ref {
		t.Errorf("Delivered after the updates: %v %v %v", got, found, err)
	}
}

func allText(held []chattest.Held) string {
	var b strings.Builder
	for _, h := range held {
		b.WriteString(h.Text)
	}
	return b.String()
}
