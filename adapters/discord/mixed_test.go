package discord_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
)

// TestMixedCommittee is one committee with a member on Slack (the local
// chat standing in for it) and a member on Discord: both are prompted,
// both answer on their platform, and one digest holds both answers.
func TestMixedCommittee(t *testing.T) {
	fx := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slack := local.New()
	slack.Platform = "slack"
	discordMember := fx.person("rosa")
	channel := bot.Address("discord:" + fx.f.addChannel())
	yaml := fmt.Sprintf(`
forums:
  - id: mixed
    name: Mixed Forum
    timezone: Asia/Manila
    digest_channel: %s
    coordinators: [slack:U0COORD]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          committee:
            - {who: slack:U0GOV1, name: Maria, group: government, org: Budget Office}
            - {who: %s, name: Rosa, group: civil_society, org: Press Club}
`, channel, discordMember)
	w := newWorld(t, yaml, map[string]bot.Chat{"discord": fx.chat, "slack": slack}, march)
	fx.use(t, w.eng)
	listening := make(chan error, 1)
	go func() { listening <- slack.Listen(ctx, w.eng) }()
	defer func() {
		cancel()
		if err := <-listening; err != nil {
			t.Error(err)
		}
	}()
	w.run(ctx, 2)

	maria := slack.As("slack:U0GOV1")
	sent, ok := maria.Latest()
	if !ok || !strings.Contains(sent.Message.Header, "progress report for March 2031") {
		t.Fatalf("the Slack member was not prompted: %+v", sent)
	}
	rosa := prompt(t, fx, discordMember)
	if !strings.Contains(rosa.Text, "progress report for March 2031") {
		t.Fatalf("the Discord member's prompt:\n%s", rosa.Text)
	}

	resp, err := maria.Answer(ctx, sent, "C1", map[string][]string{
		bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {"Budget tabled in council (from Slack)"},
	})
	if err != nil || len(resp.FieldErrors) > 0 || resp.Error != "" {
		t.Fatalf("Slack answer: %+v %v", resp, err)
	}
	seen, err := fx.f.OpenForm(ctx, discordMember, rosa, rosa.FormRefs[0], bot.Limited)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	got, err := fx.f.Submit(ctx, discordMember, *seen.Form, map[string][]string{
		bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Hearings delayed (from Discord)"}, bot.FieldNeeds: {"political_support"},
	})
	if err != nil || len(got.FieldErrors) > 0 {
		t.Fatalf("Discord answer: %+v %v", got, err)
	}

	w.advance(8 * 24 * time.Hour)
	w.run(ctx, 2)
	var digest strings.Builder
	for _, h := range fx.f.Held(channel) {
		digest.WriteString(h.Text)
	}
	for _, want := range []string{"Mixed Forum: implementation digest, March 2031", "Budget tabled in council (from Slack)", "Hearings delayed (from Discord)", "Substantial", "Limited", "Answers: 2 of 2 expected"} {
		if !strings.Contains(digest.String(), want) {
			t.Errorf("the digest lacks %q:\n%s", want, digest.String())
		}
	}
}
