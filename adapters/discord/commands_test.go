package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// TestReplyIsStoredAsNote replies to the prompt in the DM: the note is
// stored, the prompt shows it, the reply gets a reaction.
func TestReplyIsStoredAsNote(t *testing.T) {
	fx, w, who := engineForum(t)
	ctx := context.Background()
	ben := who["ben"]
	p := prompt(t, fx, ben)
	if _, err := fx.f.Reply(ctx, ben, p, "C1 limited: the council @everyone postponed the hearing"); err != nil {
		t.Fatal(err)
	}
	us, err := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ben})
	if err != nil || len(us) != 1 || us[0].Source != bot.SourceThread || us[0].Completion != bot.Limited || !strings.Contains(us[0].Note, "postponed the hearing") || us[0].EventID == "" {
		t.Fatalf("stored %+v %v", us, err)
	}
	// The reply returns at the reaction; the bot's confirmation, a second
	// message in the DM, may or may not have followed yet.
	held := fx.f.Held(ben)[0]
	if held.Reactions != 1 {
		t.Errorf("reactions on the reply: %d, want 1", held.Reactions)
	}
	if held.Edits != 1 || !strings.Contains(held.Text, "postponed the hearing") {
		t.Errorf("the prompt after the note (%d edits):\n%s", held.Edits, held.Text)
	}
	// A plain message (not a Discord reply) is a note on the latest prompt.
	id, done := fx.f.say(ben.ID(), held.Ref.Channel, "", "Also: the budget portal is down.")
	<-done
	us, _ = w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ben})
	if len(us) != 2 || !strings.Contains(us[1].Note, "portal is down") || us[1].EventID != id {
		t.Errorf("the second note: %+v", us)
	}
}

// TestCommandsThroughEngine runs /forum with typed options in DMs and in
// the server: status for an official, digest for the coordinator (posted
// to the digest channel), a refusal for anyone else.
func TestCommandsThroughEngine(t *testing.T) {
	fx, w, who := engineForum(t)
	ctx := context.Background()
	seen, err := fx.f.command(ctx, who["official"].ID(), "status C1", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"C1", "Open budget", "Committee"} {
		if !strings.Contains(seen.Text, want) {
			t.Errorf("status lacks %q:\n%s", want, seen.Text)
		}
	}
	seen, err = fx.f.Command(ctx, who["ben"], "digest")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.Text, "Only the coordinators of Test Forum") {
		t.Errorf("a member asking for a digest sees %q", seen.Text)
	}
	seen, err = fx.f.Command(ctx, who["coord"], "digest all 2031-03")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(seen.Text, "The digest for March 2031 is stored") {
		t.Errorf("the coordinator sees %q", seen.Text)
	}
	w.run(ctx, 1)
	var digest strings.Builder
	for _, h := range fx.f.Held(who["channel"]) {
		digest.WriteString(h.Text)
	}
	if !strings.Contains(digest.String(), "Test Forum: implementation digest, March 2031") {
		t.Errorf("the digest channel holds:\n%s", digest.String())
	}
	seen, err = fx.f.Command(ctx, who["ana"], "away 2031-03-20")
	if err != nil || !strings.Contains(seen.Text, "you are away until 20 Mar 2031") {
		t.Errorf("away: %q %v", seen.Text, err)
	}
	seen, err = fx.f.Command(ctx, who["ana"], "status C9")
	if err != nil || !strings.Contains(seen.Text, `There is no commitment "C9"`) {
		t.Errorf("status of an unknown commitment: %q %v", seen.Text, err)
	}
	// update with one commitment opens its form: the panel, in the DM.
	seen, err = fx.f.Command(ctx, who["ben"], "update C1")
	if err != nil || !strings.Contains(seen.Text, "Progress: C1") {
		t.Errorf("update C1: %q %v", seen.Text, err)
	}
}

// TestAutocomplete suggests commitments as the person types.
func TestAutocomplete(t *testing.T) {
	fx, _, who := engineForum(t)
	ctx := context.Background()
	choices, err := fx.f.autocomplete(ctx, who["ana"].ID(), "status contr", "commitment")
	if err != nil {
		t.Fatal(err)
	}
	if len(choices) != 1 || choices[0].Value != "C2" || choices[0].Name != "C2 · Open contracting" {
		t.Errorf("choices for %q: %+v", "contr", choices)
	}
	choices, err = fx.f.autocomplete(ctx, who["ana"].ID(), "status zzz", "commitment")
	if err != nil || len(choices) != 0 {
		t.Errorf("choices for zzz: %+v %v", choices, err)
	}
	// Someone with no role in the forum sees nothing of it.
	stranger := fx.person("stranger")
	choices, err = fx.f.autocomplete(ctx, stranger.ID(), "status C", "commitment")
	if err != nil || len(choices) != 0 {
		t.Errorf("choices for a stranger: %+v %v", choices, err)
	}
}

// TestSlowHandlerDeferred: when the bot takes longer than AckWithin, the
// interaction is acknowledged with a deferred response in time and the
// answer replaces it.
func TestSlowHandlerDeferred(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	release := make(chan struct{})
	fx.use(t, bot.HandlerFunc(func(ctx context.Context, e bot.Event) bot.Response {
		<-release
		return bot.Response{Reply: &bot.Message{Text: "slow but sure"}}
	}))
	user := fx.person("patient")
	data, err := fx.f.commandData("help", "")
	if err != nil {
		t.Fatal(err)
	}
	p := fx.f.interact(user.ID(), fx.f.digestChannel, 2, data, nil, true)
	select {
	case r := <-p.results:
		if r.kind != 5 || r.final {
			t.Fatalf("first response %+v, want a deferred one", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no deferred response")
	}
	if late := time.Since(p.at); late < fixtureAckWithin/2 {
		t.Errorf("deferred after %s, before the bot had a chance", late)
	}
	close(release)
	r, err := fx.f.await(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.msg.Content, "slow but sure") || r.msg.Flags&64 == 0 {
		t.Errorf("the deferred answer: %+v", r.msg)
	}
}

// TestSlowFormDeferred: a slow form submission from a panel is
// acknowledged with a deferred update, then the panel shows the answer.
func TestSlowFormDeferred(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	release := make(chan struct{})
	fx.use(t, bot.HandlerFunc(func(ctx context.Context, e bot.Event) bot.Response {
		switch e.Kind {
		case bot.EventButton:
			return bot.Response{Form: &bot.Form{Ref: e.Value, Title: "Slow form", Fields: []bot.FormField{
				{Name: bot.FieldCompletion, Label: "Completion", Kind: bot.FieldSelect, Options: []bot.Option{{Value: "Limited", Label: "Limited"}}},
				{Name: bot.FieldProgress, Label: "Progress", Kind: bot.FieldLongText},
			}}}
		case bot.EventForm:
			<-release
			return bot.Response{Reply: &bot.Message{Text: "Stored at last: " + e.Values[bot.FieldProgress][0]}}
		}
		return bot.Response{}
	}))
	who := fx.person("slowpoke")
	if _, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "slow-form", Message: bot.Message{Header: "Prompt",
		Buttons: []bot.Button{{Label: "Report", Action: bot.ActionOpenForm, Value: "u:9:C9"}}}}); err != nil {
		t.Fatal(err)
	}
	seen, err := fx.f.OpenForm(ctx, who, prompt(t, fx, who), "u:9:C9", bot.Limited)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	ff := seen.Form.Platform.(*fakeForm)
	p := fx.f.submitModal(ff, map[string][]string{bot.FieldProgress: {"patience"}})
	select {
	case r := <-p.results:
		if r.kind != 6 || r.final {
			t.Fatalf("first response %+v, want a deferred update", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no deferred response")
	}
	close(release)
	r, err := fx.f.await(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if r.msg.ID != ff.panel || !strings.Contains(r.msg.Content, "Stored at last: patience") || len(r.msg.Components) != 0 {
		t.Errorf("after the deferral the panel is %+v", r.msg)
	}
}
