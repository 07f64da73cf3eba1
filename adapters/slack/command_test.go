package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"forumbot/bot"
)

func TestCommandsThroughEngine(t *testing.T) {
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	ctx := context.Background()
	channelBefore := len(f.Held(f.Channel()))

	seen, err := f.Command(ctx, official, "status C1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.Text, "C1") || !strings.Contains(seen.Text, "Open budget") {
		t.Errorf("/forum status C1 shows %q", seen.Text)
	}
	if n := len(f.Held(official)); n != 0 {
		t.Errorf("the status answer left %d messages in the official's DM; it should be ephemeral", n)
	}

	seen, err = f.Command(ctx, f.Member(0), "digest")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.Text, "Only the coordinators of Slack Test Forum") {
		t.Errorf("a member's /forum digest shows %q, want a refusal", seen.Text)
	}
	eng.drain(t)
	if n := len(f.Held(f.Channel())); n != channelBefore {
		t.Errorf("a refused digest posted %d messages", n-channelBefore)
	}

	seen, err = f.Command(ctx, coordinator, "digest")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.Text, "The digest for March 2031 is stored and on its way") {
		t.Errorf("the coordinator's /forum digest shows %q", seen.Text)
	}
	eng.drain(t)
	held := f.Held(f.Channel())[channelBefore:]
	if len(held) == 0 || !strings.Contains(held[0].Text, "Slack Test Forum: implementation digest, March 2031") {
		t.Fatalf("the digest channel holds %+v", held)
	}

	// /forum update opens the form on the command's trigger.
	seen, err = f.Command(ctx, f.Member(1), "update C2")
	if err != nil || seen.Form == nil || seen.Form.Ref != "u:1:C2" {
		t.Fatalf("/forum update C2: %+v %v", seen, err)
	}
	seen, err = f.Submit(ctx, f.Member(1), *seen.Form, map[string][]string{bot.FieldCompletion: {"Complete"}, bot.FieldProgress: {"Portal live"}})
	if err != nil || !strings.Contains(seen.Text, "Recorded: C2 is Complete") {
		t.Errorf("submitting the command's form: %+v %v", seen, err)
	}
	if p := prompt(t, f, f.Member(1)); p.Edits != 1 || !strings.Contains(p.Text, "Portal live") {
		t.Errorf("the prompt was not updated after a form from /forum update:\n%s", p.Text)
	}
	noViolations(t, f)
}

// manyCommitments is a forum of n commitments on the fake's members.
func manyCommitments(f *fakeSlack, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `
forums:
  - id: slackforum
    name: Slack Test Forum
    timezone: UTC
    digest_channel: %s
    coordinators: [%s]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
`, f.Channel(), coordinator)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `        - id: C%02d
          title: Commitment number %d on open data for everyone
          milestones: [{id: M1, title: First step of %d, due: 2031-03-20}, {id: M2, title: Second step of %d, due: 2031-02-10}]
          committee:
            - {who: %s, name: Zero, group: government, org: Finance}
            - {who: %s, name: One, group: civil_society, org: Watchdog}
`, i, i, i, i, f.Member(0), f.Member(1))
	}
	return b.String()
}

func TestDigestOf40CommitmentsSplit(t *testing.T) {
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, manyCommitments(f, 40))
	f.listen(t, eng)
	eng.round(t)
	ctx := context.Background()
	for i := 1; i <= 40; i++ {
		for j, who := range []bot.Address{f.Member(0), f.Member(1)} {
			u := bot.Update{ForumID: "slackforum", Period: bot.Period{Year: 2031, Month: 3}, RoundID: 1, CommitmentID: fmt.Sprintf("C%02d", i),
				Member: who, Group: []bot.Group{bot.Government, bot.CivilSociety}[j], Organisation: []string{"Finance", "Watchdog"}[j],
				Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: roundStart,
				Progress: strings.Repeat(fmt.Sprintf("Progress on C%02d by %s, with detail. ", i, who), 12) + fmt.Sprintf("END-C%02d-%d", i, j),
				Blockers: fmt.Sprintf("Blocker of C%02d: <!here> & budget", i), Needs: []bot.Need{bot.NeedResources}}
			if _, _, err := eng.store.AddUpdate(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := len(f.Held(f.Channel()))
	if _, err := f.Command(ctx, coordinator, "digest"); err != nil {
		t.Fatal(err)
	}
	eng.drain(t)
	held := f.Held(f.Channel())[before:]
	if len(held) < 2 {
		t.Fatalf("a 40-commitment digest went out as %d message(s); want a parent and thread replies", len(held))
	}
	var all strings.Builder
	for i, h := range held {
		all.WriteString(h.Text + "\n")
		if marker := fmt.Sprintf("(%d/%d)", i+1, len(held)); !strings.Contains(h.Text, marker) {
			t.Errorf("part %d lacks its marker %s", i+1, marker)
		}
		if thread := f.threadOf(h.Ref); i > 0 && thread != held[0].Ref.ID {
			t.Errorf("part %d is in thread %q, want the parent %s", i+1, thread, held[0].Ref.ID)
		}
	}
	for i := 1; i <= 40; i++ {
		for _, want := range []string{fmt.Sprintf("C%02d · Commitment number %d", i, i), fmt.Sprintf("END-C%02d-0", i), fmt.Sprintf("END-C%02d-1", i), fmt.Sprintf("Blocker of C%02d", i)} {
			if !strings.Contains(all.String(), want) {
				t.Errorf("the digest lost %q", want)
			}
		}
	}
	noViolations(t, f)
}

// threadOf returns the thread a message was posted in.
func (f *fakeSlack) threadOf(ref bot.MessageRef) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.channels[ref.Channel].find(ref.ID).thread
}

// TestMentionInjectionNeutralised sends what people type that tries to ping
// or to inject links through every way it can come back: the form, a
// thread reply, a status answer and the digest.
func TestMentionInjectionNeutralised(t *testing.T) {
	const evil = "<!channel> <!here> <!everyone> @everyone @here <@U024BE7LH> <#C0FORUM|forum> <https://evil.example|click> & <b>"
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	ctx := context.Background()
	who := f.Member(1)
	_, form := openForm(t, f, who, "u:1:C1")
	if _, err := f.Submit(ctx, who, form, map[string][]string{bot.FieldCompletion: {"Limited"}, bot.FieldProgress: {"progress " + evil}, bot.FieldBlockers: {"blocked " + evil}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Reply(ctx, who, prompt(t, f, who), "C1 "+evil); err != nil {
		t.Fatal(err)
	}
	seen, err := f.Command(ctx, official, "status C1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Command(ctx, coordinator, "digest"); err != nil {
		t.Fatal(err)
	}
	eng.drain(t)
	var digest strings.Builder
	for _, h := range f.Held(f.Channel()) {
		digest.WriteString(h.Text)
	}
	for _, text := range []string{prompt(t, f, who).Text, seen.Text, digest.String()} {
		for _, word := range []string{"channel", "everyone", "evil.example", "click", "& "} {
			if !strings.Contains(text, word) {
				t.Errorf("%q was deleted rather than neutralised in:\n%s", word, text)
			}
		}
	}
	noViolations(t, f)
}
