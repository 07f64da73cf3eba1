package slack_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"forumbot/adapters/slack"
	"forumbot/bot"
)

// TestRestartReusesDirectMessages runs a round, restarts the adapter (a
// new one, with nothing cached) and runs the next round through a new
// engine on the same store: the engine passes each member's last message
// as Outgoing.Reached, and the adapter posts in its channel without
// conversations.open. When the channels are gone, it opens each once.
func TestRestartReusesDirectMessages(t *testing.T) {
	for _, c := range []struct {
		name      string
		gone      bool
		wantOpens int
	}{
		{"Reached", false, 0},
		{"ChannelsGone", true, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, fakeOptions{})
			eng := newEngine(t, f, forumYAML(f))
			eng.round(t)
			before := f.count("conversations.open")
			if before != 3 {
				t.Fatalf("first round: conversations.open called %d times for 3 members, want 3", before)
			}
			if c.gone {
				f.moveDMs()
			}
			f.restart(t)
			eng = newEngineWithStore(t, f, forumYAML(f), eng.store)
			eng.clock.Set(roundStart.AddDate(0, 1, 0))
			eng.round(t)
			if got := f.count("conversations.open") - before; got != c.wantOpens {
				t.Errorf("after the restart conversations.open was called %d times, want %d", got, c.wantOpens)
			}
			for i := range 3 {
				who := f.Member(i)
				for _, month := range []string{"March 2031", "April 2031"} {
					if n := countHeld(f, who, "progress report for "+month); n != 1 {
						t.Errorf("%s holds %d prompts for %s, want 1", who, n, month)
					}
				}
				lasts, err := eng.store.LastRefs(context.Background(), []bot.Address{who})
				if dm := f.dmOf(userOf(string(who))); err != nil || lasts[who].Channel != dm {
					last := lasts[who]
					t.Errorf("%s: the store's last message is in %q (%v), want the direct message %s", who, last.Channel, err, dm)
				}
			}
			noViolations(t, f)
		})
	}
}

// countHeld counts who's messages from the bot containing text.
func countHeld(f *fakeSlack, who bot.Address, text string) int {
	n := 0
	for _, h := range f.Held(who) {
		if strings.Contains(h.Text, text) {
			n++
		}
	}
	return n
}

// TestSendReached sends to a member the adapter has not seen, with each
// kind of Outgoing.Reached: only the channel of a direct message that
// still exists saves the conversations.open.
func TestSendReached(t *testing.T) {
	for _, c := range []struct {
		name      string
		reached   bot.MessageRef // channel "dm" stands for the member's
		wantOpens int
	}{
		{"None", bot.MessageRef{}, 1},
		{"DirectMessage", bot.MessageRef{Platform: "slack", Channel: "dm", ID: "1.000001"}, 0},
		{"Gone", bot.MessageRef{Platform: "slack", Channel: "D0GONE", ID: "1.000001"}, 1},
		{"NotDirect", bot.MessageRef{Platform: "slack", Channel: forumChannel, ID: "1.000001"}, 1},
		{"OtherPlatform", bot.MessageRef{Platform: "discord", Channel: "dm", ID: "1"}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t, fakeOptions{})
			who := f.Member(0)
			f.mu.Lock()
			dm := f.dm(userOf(string(who))).id
			f.mu.Unlock()
			if c.reached.Channel == "dm" {
				c.reached.Channel = dm
			}
			ctx := context.Background()
			out := bot.Outgoing{To: who, Key: "k", Message: bot.Message{Text: "prompt"}, Reached: c.reached}
			got, err := f.chat.Send(ctx, out)
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if got.Channel != dm || len(f.Held(who)) != 1 {
				t.Errorf("sent to %s, %s holds %d messages; want one, in %s", got, who, len(f.Held(who)), dm)
			}
			if n := f.count("conversations.open"); n != c.wantOpens {
				t.Errorf("conversations.open called %d times, want %d", n, c.wantOpens)
			}
			noViolations(t, f)
		})
	}
}

// TestDeliveredAfterRestartGoneChannel asks a new adapter whether a
// message was delivered, with a Reached whose channel is gone: it opens
// the direct message once and finds the message there.
func TestDeliveredAfterRestartGoneChannel(t *testing.T) {
	f := newFake(t, fakeOptions{})
	ctx := context.Background()
	out := bot.Outgoing{To: f.Member(0), Key: "k", Message: bot.Message{Text: "prompt"}}
	sent, err := f.chat.Send(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	f.moveDMs()
	f.restart(t)
	out.Reached = sent
	got, found, err := f.chat.Delivered(ctx, out)
	if err != nil || !found || got.ID != sent.ID || got.Channel != f.dmOf(userOf(string(out.To))) {
		t.Errorf("Delivered = %v, %v, %v; want %s in the direct message's new channel", got, found, err, sent.ID)
	}
	if n := f.count("conversations.open"); n != 2 {
		t.Errorf("conversations.open called %d times, want 2 (before and after the restart)", n)
	}
}

// TestDMOpensPaced opens direct messages with members the adapter has not
// reached, all at once, against a fake that enforces conversations.open's
// limit: at the pace the adapter is configured for, Slack never refuses
// one; an adapter paced above the limit meets 429s.
func TestDMOpensPaced(t *testing.T) {
	t.Parallel() // paced opens take seconds
	for _, c := range []struct {
		name        string
		limit, pace float64 // calls a minute: the fake's, the adapter's
		members     int
		burst       int // the fake's
		want429     bool
	}{
		{"AtPace", 600, 600, 10, 3, false},
		// A burst of one, a limit a little above the default pace (the
		// fake's clock and the adapter's start apart): three opens at
		// once would meet two 429s unless the adapter paces them.
		{"Default", slack.DefaultDMOpensPerMinute * 1.2, 0, 3, 1, false},
		{"OverPace", 600, 60000, 10, 3, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := newFake(t, fakeOptions{opensPerMinute: c.limit, opensBurst: c.burst, config: func(cfg *slack.Config) {
				cfg.DMOpensPerMinute = c.pace
			}})
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make([]error, c.members)
			for i := range c.members {
				wg.Go(func() {
					to := bot.Address(fmt.Sprintf("slack:U0NEW%03d", i))
					_, errs[i] = f.chat.Send(ctx, bot.Outgoing{To: to, Key: fmt.Sprint("k", i), Message: bot.Message{Text: "prompt"}})
				})
			}
			wg.Wait()
			refused := f.limited("conversations.open")
			if got := refused > 0; got != c.want429 {
				t.Errorf("Slack refused %d conversations.open calls with 429; want refusals: %v", refused, c.want429)
			}
			if c.want429 {
				return
			}
			for i, err := range errs {
				if err != nil {
					t.Errorf("Send to member %d: %v", i, err)
				}
			}
			if n := f.count("conversations.open"); n != c.members {
				t.Errorf("conversations.open called %d times for %d members, want one each", n, c.members)
			}
		})
	}
}

// TestOpenWithoutChannel: a conversations.open answered ok but with no
// channel (a broken proxy, a stub) is an error to retry later, not a
// panic that would take the process down.
func TestOpenWithoutChannel(t *testing.T) {
	f := newFake(t, fakeOptions{config: func(c *slack.Config) { c.Retries = 1 }})
	out := bot.Outgoing{To: "slack:UNOCHANNEL1", Key: "k", Message: bot.Message{Text: "prompt"}}
	_, err := f.chat.Send(context.Background(), out)
	if err == nil || !strings.Contains(err.Error(), "no channel") || bot.Permanent(err) {
		t.Errorf("Send: %v, want a temporary error saying the answer had no channel", err)
	}
}
