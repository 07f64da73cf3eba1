package discord_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
)

// endpointForum starts the real engine on SQLite with an adapter that
// answers interactions on its endpoint alone (no gateway: an instance
// that is not the leader), registers /forum as the leader would, and
// opens the March round.
func endpointForum(t *testing.T, cfg discord.Config) (*endpointBot, *world, map[string]bot.Address) {
	t.Helper()
	cfg.GuildID = "1180000000000000002"
	b := newEndpointBot(t, cfg)
	f := b.f
	who := map[string]bot.Address{}
	for _, name := range []string{"coord", "official", "ana", "ben"} {
		who[name] = bot.Address("discord:" + f.addUser(name))
	}
	who["channel"] = bot.Address("discord:" + f.addChannel())
	w := newWorld(t, forumYAML(who["channel"], who["coord"], who["official"], who["ana"], who["ben"]),
		map[string]bot.Chat{"discord": b.chat}, march)
	b.use(w.eng)
	if err := b.chat.RegisterCommands(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.run(context.Background(), 2)
	t.Cleanup(func() {
		if v := f.Violations(); len(v) > 0 {
			t.Errorf("platform rules broken:\n%s", strings.Join(v, "\n"))
		}
		if identifies, _ := f.gw.stats(); identifies != 0 {
			t.Errorf("the gateway was connected %d times, want never", identifies)
		}
		if n := f.count("POST /interactions/{id}/{token}/callback"); n != 0 {
			t.Errorf("%d first responses on the callback endpoint, want all in the HTTP responses", n)
		}
	})
	return b, w, who
}

// TestEndpointRoundThroughEngine: with interactions on the endpoint and
// no gateway, a member presses the prompt's button, chooses a level and
// submits the form. The submission first arrives with a bad signature, as
// an attacker without Discord's key would send it: refused, nothing
// stored. The same bytes signed by Discord are stored in SQLite by the
// engine and shown on the prompt. /forum status and its autocomplete
// answer.
func TestEndpointRoundThroughEngine(t *testing.T) {
	b, w, who := endpointForum(t, discord.Config{})
	f, ctx, ana := b.f, context.Background(), who["ana"]
	held := f.Held(ana)
	if len(held) != 1 {
		t.Fatalf("Ana holds %d messages, want the prompt", len(held))
	}
	seen, err := f.OpenForm(ctx, ana, held[0], held[0].FormRefs[0], bot.Substantial)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	ff := seen.Form.Platform.(*fakeForm)
	p, payload := f.modalSubmission(ff, map[string][]string{bot.FieldProgress: {"Budget published on the portal"}})
	body, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	forged := f.signed(b.url, body, time.Now())
	forged.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64))
	if status, _ := do(t, forged); status != http.StatusUnauthorized {
		t.Errorf("forged submission: HTTP %d, want 401", status)
	}
	if us, _ := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ana}); len(us) != 0 {
		t.Fatalf("stored after the forged submission: %+v", us)
	}
	f.deliver(p, payload)
	got, err := f.await(ctx, p)
	if err != nil || !strings.Contains(seenText(got.msg), "Recorded: C1 is Substantial.") {
		t.Fatalf("the submission signed by Discord: %+v %v", got.msg, err)
	}
	b.chat.WaitIdle()
	us, err := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: ana})
	if err != nil || len(us) != 1 || us[0].Completion != bot.Substantial || us[0].Progress != "Budget published on the portal" ||
		us[0].Source != bot.SourceForm || us[0].EventID != p.id {
		t.Fatalf("stored %+v %v", us, err)
	}
	after := f.Held(ana)[0]
	if after.Edits != 1 || !strings.Contains(after.Text, "Budget published on the portal") {
		t.Errorf("the prompt after the answer (%d edits):\n%s", after.Edits, after.Text)
	}

	status, err := f.command(ctx, who["official"].ID(), "status C1", true)
	if err != nil || !strings.Contains(status.Text, "Open budget") || !strings.Contains(status.Text, "Budget published on the portal") {
		t.Errorf("/forum status C1: %q %v", status.Text, err)
	}
	choices, err := f.autocomplete(ctx, ana.ID(), "status contr", "commitment")
	if err != nil || len(choices) != 1 || choices[0].Value != "C2" {
		t.Errorf("autocomplete: %+v %v", choices, err)
	}
}

// TestEndpointSlowAnswersDeferred: when the engine is slower than
// AckWithin, the HTTP response is the deferral (a thinking message for a
// command, a deferred update for a panel's form) and the answer follows
// over REST once it is ready, never before the response is written. The
// engine is held by a channel.
func TestEndpointSlowAnswersDeferred(t *testing.T) {
	b := newEndpointBot(t, discord.Config{Options: discord.Options{AckWithin: 50 * time.Millisecond}})
	f, ctx := b.f, context.Background()
	if err := b.chat.RegisterCommands(ctx); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	b.use(bot.HandlerFunc(func(ctx context.Context, e bot.Event) bot.Response {
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
		<-release
		return bot.Response{Reply: &bot.Message{Text: "slow but sure"}}
	}))
	user := f.addUser("patient")
	data, err := f.commandData("help", "")
	if err != nil {
		t.Fatal(err)
	}
	p := f.interact(user, f.digestChannel, 2, data, nil, true)
	if r := <-p.results; r.kind != 5 || r.final || r.status != 0 {
		t.Fatalf("first response %+v, want a deferred one in the HTTP response", r)
	}
	release <- struct{}{}
	r, err := f.await(ctx, p)
	if err != nil || !strings.Contains(r.msg.Content, "slow but sure") || r.msg.Flags&64 == 0 {
		t.Errorf("the deferred answer: %+v %v", r.msg, err)
	}

	who := bot.Address("discord:" + user)
	if _, err := b.chat.Send(ctx, bot.Outgoing{To: who, Key: "slow-form", Message: bot.Message{Header: "Prompt",
		Buttons: []bot.Button{{Label: "Report", Action: bot.ActionOpenForm, Value: "u:9:C9"}}}}); err != nil {
		t.Fatal(err)
	}
	seen, err := f.OpenForm(ctx, who, f.Held(who)[0], "u:9:C9", bot.Limited)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	ff := seen.Form.Platform.(*fakeForm)
	p = f.submitModal(ff, map[string][]string{bot.FieldProgress: {"patience"}})
	if r := <-p.results; r.kind != 6 || r.final {
		t.Fatalf("first response %+v, want a deferred update in the HTTP response", r)
	}
	close(release)
	r, err = f.await(ctx, p)
	if err != nil || r.msg.ID != ff.panel || !strings.Contains(r.msg.Content, "Stored at last: patience") {
		t.Errorf("after the deferral the panel is %+v %v", r.msg, err)
	}
	b.chat.WaitIdle()
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("platform rules broken:\n%s", strings.Join(v, "\n"))
	}
	if n := f.count("POST /interactions/{id}/{token}/callback"); n != 0 {
		t.Errorf("%d first responses on the callback endpoint", n)
	}
}

// TestEndpointUnknownInteraction: an interaction the bot does not
// understand (a component it never made) is answered 400, as Discord then
// tells the person it failed, and reaches no handler.
func TestEndpointUnknownInteraction(t *testing.T) {
	b := newEndpointBot(t, discord.Config{})
	body := bytes.Replace(b.f.buttonPress(b.f.addUser("curious"), "1180000000000000071"), []byte(`"custom_id":"b:`), []byte(`"custom_id":"zz:`), 1)
	if status, _ := do(t, b.f.signed(b.url, body, time.Now())); status != http.StatusBadRequest {
		t.Errorf("an unknown component: HTTP %d, want 400", status)
	}
	if got := b.seen(); len(got) != 0 {
		t.Errorf("the handler received %+v", got)
	}
}

// TestEndpointLongAnswer: an answer too long for one message is the HTTP
// response and follow-up messages, each sent once the response is
// written (the fake checks the order).
func TestEndpointLongAnswer(t *testing.T) {
	b := newEndpointBot(t, discord.Config{})
	f, ctx := b.f, context.Background()
	if err := b.chat.RegisterCommands(ctx); err != nil {
		t.Fatal(err)
	}
	var sections []bot.Section
	for i := range 30 {
		sections = append(sections, bot.Section{Title: fmt.Sprintf("Commitment %d", i), Text: strings.Repeat("Long progress. ", 40)})
	}
	b.use(bot.HandlerFunc(func(context.Context, bot.Event) bot.Response {
		return bot.Response{Reply: &bot.Message{Header: "Status", Sections: sections}}
	}))
	user := f.addUser("reader")
	if _, err := f.command(ctx, user, "help", true); err != nil {
		t.Fatal(err)
	}
	b.chat.WaitIdle()
	if n := f.count("POST /webhooks/{app}/{token}"); n == 0 {
		t.Errorf("no follow-up messages for an answer of %d sections", len(sections))
	}
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("platform rules broken:\n%s", strings.Join(v, "\n"))
	}
}
