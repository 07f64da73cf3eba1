package discord_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// TestDigestOf40Commitments closes a round of a forum with 40 commitments,
// each with long answers, and reads the digest the engine posts: split into
// messages within Discord's limits (the fake refuses and records any
// breach), every commitment's text there in full.
func TestDigestOf40Commitments(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	coord, member := fx.person("coord40"), fx.person("member40")
	channel := bot.Address("discord:" + fx.f.addChannel())
	var yaml strings.Builder
	fmt.Fprintf(&yaml, `
forums:
  - id: big
    name: Big Forum
    timezone: UTC
    digest_channel: %s
    coordinators: [%s]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
`, channel, coord)
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&yaml, `        - id: C%02d
          title: Commitment number %d with a title long enough to matter in an embed
          committee:
            - {who: %s, name: Mia, group: civil_society, org: Watchdog}
`, i, i, member)
	}
	w := newWorld(t, yaml.String(), map[string]bot.Chat{"discord": fx.chat}, march)
	fx.use(t, w.eng)
	w.run(ctx, 1)
	r, err := w.store.Round(ctx, "big", bot.PeriodOf(march))
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 40; i++ {
		progress := strings.Repeat(fmt.Sprintf("Progress of C%02d: hearings held, data published. ", i), 10) + fmt.Sprintf("END-OF-C%02d", i)
		_, _, err := w.store.AddUpdate(ctx, bot.Update{
			ForumID: "big", Period: r.Period, RoundID: r.ID, CommitmentID: fmt.Sprintf("C%02d", i),
			Member: member, Group: bot.CivilSociety, Organisation: "Watchdog",
			Completion: bot.Substantial, Progress: progress, Blockers: "The <@&80351110224678913> role and @here must not ping",
			Source: bot.SourceForm, SubmittedAt: march.Add(time.Hour),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	w.advance(8 * 24 * time.Hour)
	w.run(ctx, 2)
	held := fx.f.Held(channel)
	if len(held) < 2 {
		t.Fatalf("the digest came as %d messages; 40 commitments need several", len(held))
	}
	var all strings.Builder
	for _, h := range held {
		all.WriteString(h.Text)
		wire, _ := fx.f.heldMessage(h.Ref.ID)
		if len(wire.Embeds) > 10 || wire.Content != "" {
			t.Errorf("message %s: %d embeds, content %q", h.Ref.ID, len(wire.Embeds), wire.Content)
		}
	}
	text := all.String()
	for i := 1; i <= 40; i++ {
		if !strings.Contains(text, fmt.Sprintf("C%02d · Commitment number %d", i, i)) {
			t.Errorf("the digest lost commitment C%02d", i)
		}
	}
	for _, want := range []string{"Big Forum: implementation digest, March 2031", "Answers:", "Next round opens"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lost %q", want)
		}
	}
	if strings.Contains(text, "@here") || strings.Contains(text, "<@&") {
		t.Errorf("a mention survived in the digest text")
	}
	t.Logf("40 commitments: %d messages, %d characters", len(held), len(text))
}

// TestMentionsNeutralised sends text full of mentions and masked links to
// a DM and to a channel: the fake records any live mention, any message
// without allowed_mentions set to none; the words themselves remain.
func TestMentionsNeutralised(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	evil := "@everyone @here <@80351110224678912> <@!80351110224678912> <@&80351110224678913> <#80351110224678914> [click](https://evil.example) **bold** `code` ||spoiler|| > quote\n# heading\n- item\n1. first"
	msg := bot.Message{
		Header: evil, Text: evil, Footer: evil,
		Sections: []bot.Section{{Title: evil, Text: evil, Fields: []bot.Field{{Label: evil, Value: evil}},
			Buttons: []bot.Button{{Label: evil, Action: bot.ActionOpenForm, Value: "u:1:C1"}}}},
	}
	for _, out := range []bot.Outgoing{
		{To: fx.person("target"), Key: "mentions/dm", Message: msg},
		{To: bot.Address("discord:" + fx.f.addChannel()), Channel: true, Key: "mentions/channel", Message: msg},
	} {
		ref, err := fx.chat.Send(ctx, out)
		if err != nil {
			t.Fatal(err)
		}
		wire, _ := fx.f.heldMessage(ref.ID)
		seen := seenText(wire)
		for _, word := range []string{"everyone", "here", "80351110224678912", "click", "evil.example", "bold", "code", "spoiler", "quote", "heading", "item", "first"} {
			if !strings.Contains(seen, word) {
				t.Errorf("%s: the text lost %q", out.To, word)
			}
		}
		if strings.Contains(wire.Embeds[0].Description, "**bold**") || strings.Contains(wire.Embeds[0].Description, "\n# heading") {
			t.Errorf("markdown not escaped: %q", wire.Embeds[0].Description)
		}
	}
	// The same through an interaction answer.
	fx.use(t, bot.HandlerFunc(func(context.Context, bot.Event) bot.Response {
		return bot.Response{Error: evil, Reply: &bot.Message{Text: evil}}
	}))
	seen, err := fx.f.Command(ctx, fx.person("asker"), "help")
	if err != nil || !strings.Contains(seen.Text, "everyone") {
		t.Errorf("command answer %q %v", seen.Text, err)
	}
}
