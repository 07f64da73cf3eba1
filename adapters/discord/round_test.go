package discord_test

import (
	"context"
	"strings"
	"testing"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

// engineForum starts the real engine on a forum whose people are all on
// the shared fake Discord, and opens the March round.
func engineForum(t *testing.T) (*fixture, *world, map[string]bot.Address) {
	fx := setup(t)
	who := map[string]bot.Address{
		"coord": fx.person("coord"), "official": fx.person("official"),
		"ana": fx.person("ana"), "ben": fx.person("ben"),
	}
	channel := bot.Address("discord:" + fx.f.addChannel())
	who["channel"] = channel
	w := newWorld(t, forumYAML(channel, who["coord"], who["official"], who["ana"], who["ben"]),
		map[string]bot.Chat{"discord": fx.chat}, march)
	fx.use(t, w.eng)
	w.run(context.Background(), 2)
	return fx, w, who
}

// prompt returns the one prompt a person holds.
func prompt(t *testing.T, fx *fixture, who bot.Address) chattest.Held {
	t.Helper()
	held := fx.f.Held(who)
	if len(held) != 1 {
		t.Fatalf("%s holds %d messages, want the prompt", who, len(held))
	}
	return held[0]
}

func TestRoundPrompts(t *testing.T) {
	fx, _, who := engineForum(t)
	ana, ben := prompt(t, fx, who["ana"]), prompt(t, fx, who["ben"])
	for _, want := range []string{"Test Forum: progress report for March 2031", "Hello Ana", "C1 · Open budget", "Budget published (20 Mar 2031)", "C2 · Open contracting", "Reply here to add a note."} {
		if !strings.Contains(ana.Text, want) {
			t.Errorf("Ana's prompt lacks %q:\n%s", want, ana.Text)
		}
	}
	if len(ana.FormRefs) != 2 || !strings.HasSuffix(ana.FormRefs[0], ":C1") || !strings.HasSuffix(ana.FormRefs[1], ":C2") {
		t.Errorf("Ana's prompt offers %v, want a button per commitment", ana.FormRefs)
	}
	if len(ben.FormRefs) != 1 || strings.Contains(ben.Text, "C2") {
		t.Errorf("Ben's prompt: %v\n%s", ben.FormRefs, ben.Text)
	}
	wire, _ := fx.f.heldMessage(ana.Ref.ID)
	if len(wire.Nonce) == 0 || len(wire.Nonce) > 25 {
		t.Errorf("the prompt was sent with nonce %q, want one of at most 25 characters", wire.Nonce)
	}
	if len(wire.Embeds) != 3 {
		t.Errorf("the prompt has %d embeds, want the header and one per commitment", len(wire.Embeds))
	}
	// Both buttons under one message: each names its commitment.
	var labels []string
	each(wire.Components, func(c *wireComponent) {
		if c.Type == compButton {
			labels = append(labels, c.Label)
		}
	})
	if strings.Join(labels, "|") != "Report progress · C1|Report progress · C2" {
		t.Errorf("button labels %q", labels)
	}
	if !strings.Contains(wire.Embeds[len(wire.Embeds)-1].Footer.Text, "ref ") {
		t.Errorf("the footer carries no delivery marker: %q", wire.Embeds[len(wire.Embeds)-1].Footer.Text)
	}
}
