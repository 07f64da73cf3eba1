package email_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
)

// TestMixedCommitteeWithFallback is one committee with a member on Slack
// whose account is deactivated (Slack refuses the prompt for good, so it
// goes to her fallback e-mail address), a member on Discord and a member
// reached by e-mail (the local chat stands in for Slack and Discord; the
// e-mail goes through the real SMTP server and form). All three answer,
// each their own way; one digest, mailed to the forum's list, holds the
// three answers and says that one member was reached at their fallback.
func TestMixedCommitteeWithFallback(t *testing.T) {
	slack, discord := local.New(), local.New()
	slack.Platform, discord.Platform = "slack", "discord"
	slack.Fault = func(op string, out bot.Outgoing) error {
		if out.To == "slack:U0MARIA" {
			return bot.Errorf(bot.EFORBIDDEN, "slack: account_inactive")
		}
		return nil
	}
	w := newEngineWorld(t, `
forums:
  - id: mail
    name: Mixed Forum
    timezone: UTC
    digest_channel: email:forum-list@example.org
    coordinators: [slack:U0COORD]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          committee:
            - {who: slack:U0MARIA, name: Maria, group: government, org: Budget Office, fallback: email:maria@example.org}
            - {who: discord:4242, name: Rosa, group: civil_society, org: Press Club}
            - {who: email:ana@example.org, name: Ana, group: civil_society, org: Neighbourhood Association, locale: pt}
`, map[string]bot.Chat{"slack": slack, "discord": discord})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, c := range []*local.Chat{slack, discord} {
		done := make(chan error, 1)
		go func() { done <- c.Listen(ctx, w.eng) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Error(err)
			}
		})
	}
	w.run()

	if n := len(slack.Messages("slack:U0MARIA")); n != 0 {
		t.Fatalf("Slack holds %d messages for Maria", n)
	}
	maria := w.prompt("maria@example.org")
	if !strings.Contains(maria.Plain, "progress report for March 2031") || len(maria.Links) != 1 {
		t.Fatalf("Maria's fallback e-mail:\n%s", maria.Plain)
	}
	if _, tok := tokenOf(t, maria.Links[0]); tok.Member != "slack:U0MARIA" {
		t.Errorf("Maria's link answers as %s, want slack:U0MARIA", tok.Member)
	}
	ana := w.prompt("ana@example.org")
	if !strings.Contains(ana.Plain, "não encaminhe este e-mail") {
		t.Errorf("Ana's prompt is not in Portuguese:\n%s", ana.Plain)
	}

	answer := func(link, progress string) {
		t.Helper()
		form := seen(w.get(link)).Form
		if form == nil {
			t.Fatalf("the form of %s did not open", link)
		}
		p := w.submit(*form, map[string][]string{bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {progress}})
		if p.Status != 200 {
			t.Fatalf("answer: %d\n%s", p.Status, p.Body)
		}
	}
	answer(maria.Links[0], "Budget tabled in council (by e-mail, for Slack)")
	answer(ana.Links[0], "Hearing held (by e-mail)")
	rosa := discord.As("discord:4242")
	sent, ok := rosa.Latest()
	if !ok {
		t.Fatal("Rosa was not prompted on Discord")
	}
	if resp, err := rosa.Answer(ctx, sent, "C1", map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"Hearings delayed (from Discord)"}}); err != nil || resp.Error != "" || len(resp.FieldErrors) > 0 {
		t.Fatalf("Rosa's answer: %+v %v", resp, err)
	}
	if us := w.updates("slack:U0MARIA"); len(us) != 1 || us[0].Member != "slack:U0MARIA" {
		t.Fatalf("Maria's answer: %+v", us)
	}

	w.clock.advance(8 * 24 * time.Hour)
	w.run()
	digests := w.relay.messages("forum-list@example.org")
	if len(digests) != 1 {
		t.Fatalf("the list got %d digests, want 1", len(digests))
	}
	d := parse(t, digests[0].Data).Plain
	for _, want := range []string{"Mixed Forum: implementation digest, March 2031", "Budget tabled in council (by e-mail, for Slack)", "Hearing held (by e-mail)", "Hearings delayed (from Discord)", "Reached by e-mail because their chat refused the message: 1."} {
		if !strings.Contains(d, want) {
			t.Errorf("the digest lacks %q:\n%s", want, d)
		}
	}
}
