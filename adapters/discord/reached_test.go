package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
	"forumbot/bot/config"
)

// routeOpenDM is Create DM, the request a reached direct message saves.
const routeOpenDM = "POST /users/@me/channels"

// restarted is a forum whose March round was sent by one adapter, and a
// second adapter and engine on the same store, as after a restart, whose
// clock stands at the April round.
type restarted struct {
	f        *fakeDiscord
	ana, ben bot.Address
	chat     *discord.Chat
	w        *world
	// march is each member's March prompt.
	march map[bot.Address]bot.MessageRef
	// opens counts Create DM calls before the restart.
	opens int
}

func restart(t *testing.T) *restarted {
	t.Helper()
	ctx := context.Background()
	f := newFake()
	t.Cleanup(f.Close)
	r := &restarted{f: f, ana: bot.Address("discord:" + f.members[0]), ben: bot.Address("discord:" + f.members[1]), march: map[bot.Address]bot.MessageRef{}}
	cfg, err := config.Parse([]byte(forumYAML(bot.Address("discord:"+f.digestChannel),
		bot.Address("discord:"+f.members[2]), bot.Address("discord:"+f.addUser("official")), r.ana, r.ben)), "test.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := openStore(t)
	sender := bot.SenderOptions{Workers: 2, Backoff: time.Second}
	before := newWorldOf(t, cfg.Forums, store, map[string]bot.Chat{"discord": newChat(t, f, discord.Config{})}, march, sender)
	before.run(ctx, 2)
	for _, who := range []bot.Address{r.ana, r.ben} {
		r.march[who] = prompt(t, &fixture{f: f}, who).Ref
	}
	r.opens = f.count(routeOpenDM)
	if r.opens != 2 {
		t.Fatalf("the March round opened %d direct messages, want 2", r.opens)
	}
	r.chat = newChat(t, f, discord.Config{})
	r.w = newWorldOf(t, cfg.Forums, store, map[string]bot.Chat{"discord": r.chat}, march.AddDate(0, 1, 0), sender)
	return r
}

// aprilPrompts returns the April prompts who holds.
func (r *restarted) aprilPrompts(who bot.Address) []bot.MessageRef {
	var refs []bot.MessageRef
	for _, h := range r.f.Held(who) {
		if strings.Contains(h.Text, "April 2031") {
			refs = append(refs, h.Ref)
		}
	}
	return refs
}

// TestReachedAfterRestart: after a restart, the April round goes to the
// direct messages the March round reached, without a Create DM.
func TestReachedAfterRestart(t *testing.T) {
	r := restart(t)
	r.w.run(context.Background(), 2)
	if n := r.f.count(routeOpenDM) - r.opens; n != 0 {
		t.Errorf("the round after the restart made %d %s calls, want 0", n, routeOpenDM)
	}
	for _, who := range []bot.Address{r.ana, r.ben} {
		got := r.aprilPrompts(who)
		if len(got) != 1 || got[0].Channel != r.march[who].Channel {
			t.Errorf("%s holds April prompts %v, want one in %s, the March prompt's channel", who, got, r.march[who].Channel)
		}
	}
}

// TestReachedChannelGone: a reached direct message that Discord no longer
// knows (404, code 10003) is replaced by a new one, once, and the prompt
// arrives there exactly once.
func TestReachedChannelGone(t *testing.T) {
	r := restart(t)
	gone := r.f.deleteDM(r.ana.ID())
	r.w.run(context.Background(), 2)
	if n := r.f.count(routeOpenDM) - r.opens; n != 1 {
		t.Errorf("the round after the restart made %d %s calls, want 1 (Ana's)", n, routeOpenDM)
	}
	got := r.aprilPrompts(r.ana)
	if len(got) != 1 || got[0].Channel == gone {
		t.Errorf("Ana holds April prompts %v, want one in a new direct message (not %s)", got, gone)
	}
	if got := r.aprilPrompts(r.ben); len(got) != 1 || got[0].Channel != r.march[r.ben].Channel {
		t.Errorf("Ben holds April prompts %v, want one in his March channel", got)
	}
}

// TestReachedClosedDM: a person who no longer accepts the bot's direct
// messages gets a Create DM, once, and the refusal (403, code 50007) is
// reported as permanent.
func TestReachedClosedDM(t *testing.T) {
	r := restart(t)
	r.f.mu.Lock()
	r.f.closed[r.ana.ID()] = true
	r.f.mu.Unlock()
	_, err := r.chat.Send(context.Background(), bot.Outgoing{To: r.ana, Key: "closed", Message: bot.Message{Text: "hello"}, Reached: r.march[r.ana]})
	if bot.ErrorCode(err) != bot.EFORBIDDEN || !strings.Contains(err.Error(), "50007") {
		t.Errorf("Send = %v, want EFORBIDDEN naming code 50007", err)
	}
	if n := r.f.count(routeOpenDM) - r.opens; n != 1 {
		t.Errorf("%d %s calls, want 1", n, routeOpenDM)
	}
}

// TestReachedNotTheirs: a Reached in a channel the adapter knows is not
// the person's direct message (another person's, or a server channel it
// posts to) is not used: the message goes to their own direct message.
func TestReachedNotTheirs(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// learn makes the adapter learn the channel of the bad Reached,
		// and returns that Reached.
		learn func(t *testing.T, r *restarted) bot.MessageRef
	}{
		{"AnotherPersonsDM", func(t *testing.T, r *restarted) bot.MessageRef {
			// Ben's prompt goes where his March prompt went.
			got, err := r.chat.Send(ctx, bot.Outgoing{To: r.ben, Key: "ben", Message: bot.Message{Text: "for Ben"}, Reached: r.march[r.ben]})
			if err != nil || got.Channel != r.march[r.ben].Channel {
				t.Fatalf("Send to Ben = %v, %v, want his March channel %s", got, err, r.march[r.ben].Channel)
			}
			return r.march[r.ben]
		}},
		{"ServerChannel", func(t *testing.T, r *restarted) bot.MessageRef {
			got, err := r.chat.Send(ctx, bot.Outgoing{To: bot.Address("discord:" + r.f.digestChannel), Channel: true, Key: "digest", Message: bot.Message{Text: "digest"}})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := restart(t)
			bad := tc.learn(t, r)
			before := len(r.f.Held(r.ben))
			opens := r.f.count(routeOpenDM)
			got, err := r.chat.Send(ctx, bot.Outgoing{To: r.ana, Key: "ana", Message: bot.Message{Text: "for Ana"}, Reached: bad})
			if err != nil {
				t.Fatal(err)
			}
			if got.Channel != r.march[r.ana].Channel {
				t.Errorf("Ana's message went to %s, want her direct message %s", got.Channel, r.march[r.ana].Channel)
			}
			if n := r.f.count(routeOpenDM) - opens; n != 1 {
				t.Errorf("%d %s calls for Ana, want 1: the Reached is not hers", n, routeOpenDM)
			}
			if after := len(r.f.Held(r.ben)); after != before {
				t.Errorf("Ben holds %d messages, had %d: Ana's message reached him", after, before)
			}
			for _, h := range r.f.heldIn(bad.Channel) {
				if strings.Contains(h, "for Ana") {
					t.Errorf("Ana's message was posted in %s", bad.Channel)
				}
			}
		})
	}
}

// TestReachedNotTheirsLearned: a person's own message in their direct
// message tells the adapter whose channel it is, so a Reached naming that
// channel for someone else is not used.
func TestReachedNotTheirsLearned(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	carl, dave := fx.person("carl"), fx.person("dave")
	fx.f.mu.Lock()
	carlDM := fx.f.dm(carl.ID()).id
	fx.f.mu.Unlock()
	said, done := fx.f.say(carl.ID(), carlDM, "", "hello")
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the bot did not answer Carl")
	}
	fx.chat.WaitIdle()
	got, err := fx.chat.Send(ctx, bot.Outgoing{To: dave, Key: "dave", Message: bot.Message{Text: "for Dave"},
		Reached: bot.MessageRef{Platform: "discord", Channel: carlDM, ID: said}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Channel == carlDM {
		t.Errorf("Dave's message went to Carl's direct message %s", carlDM)
	}
	if held := fx.f.Held(dave); len(held) != 1 || held[0].Ref != got {
		t.Errorf("Dave holds %v, want the message %v", held, got)
	}
}
