package discord_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/adapters/discord"
	"forumbot/bot"
)

func note(text string) bot.Message {
	return bot.Message{Header: "Note", Text: text}
}

// dmCount returns how many messages the bot holds in who's DM.
func dmCount(fx *fixture, who bot.Address) int { return len(fx.f.Held(who)) }

func TestRateLimitWaitedWithinBound(t *testing.T) {
	fx := setup(t)
	who := fx.person("limited")
	fx.f.FailNext(1, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 300 * time.Millisecond})
	start := time.Now()
	if _, err := fx.chat.Send(context.Background(), bot.Outgoing{To: who, Key: "rl/within", Message: note("hello")}); err != nil {
		t.Fatalf("Send through a short 429: %v", err)
	}
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("Send took %s; it did not wait out the 429", took)
	}
	if n := dmCount(fx, who); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

// TestRateLimitBeyondBound: a wait longer than MaxRateLimitWait comes back
// as *bot.RateLimitError carrying Discord's wait, and while discordgo's
// bucket is exhausted later calls say so without a request.
func TestRateLimitBeyondBound(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	who := fx.person("throttled")
	if _, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "rl/first", Message: note("first")}); err != nil {
		t.Fatal(err)
	}
	fx.f.FailNext(1, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second})
	start := time.Now()
	_, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "rl/beyond", Message: note("second")})
	wait, ok := bot.RetryAfter(err)
	if !ok || wait < 29*time.Second || wait > 30*time.Second || bot.Permanent(err) {
		t.Fatalf("Send through a long 429: %v (wait %s)", err, wait)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Send took %s before giving up", took)
	}
	posts := fx.f.count("POST /channels/{channel}/messages")
	_, err = fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "rl/again", Message: note("third")})
	if wait, ok := bot.RetryAfter(err); !ok || wait < 25*time.Second {
		t.Errorf("Send while the bucket is exhausted: %v", err)
	}
	if got := fx.f.count("POST /channels/{channel}/messages"); got != posts {
		t.Errorf("%d requests went out while the bucket was exhausted", got-posts)
	}
	if n := dmCount(fx, who); n != 1 {
		t.Errorf("%d messages, want 1", n)
	}
}

func TestServerErrorsRetried(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	who := fx.person("patient")
	fx.f.FailNext(2, chattest.Fault{Status: http.StatusServiceUnavailable})
	if _, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "5xx/retried", Message: note("one")}); err != nil {
		t.Fatalf("Send through two 503s: %v", err)
	}
	// Stored, then the answer lost: the retry's nonce finds the message.
	fx.f.FailNext(1, chattest.Fault{Status: http.StatusBadGateway, AfterPost: true})
	ref, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "5xx/after-post", Message: note("two")})
	if err != nil {
		t.Fatalf("Send through a 502 after the post: %v", err)
	}
	held := fx.f.Held(who)
	if len(held) != 2 || held[1].Ref != ref {
		t.Errorf("held %d messages (want 2), last %v, Send said %v", len(held), held[len(held)-1].Ref, ref)
	}
	// Too many failures: a retryable error for the engine.
	fx.f.FailNext(3, chattest.Fault{Status: http.StatusInternalServerError})
	_, err = fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "5xx/exhausted", Message: note("three")})
	if err == nil || bot.Permanent(err) {
		t.Errorf("Send through three 500s: %v, want a retryable error", err)
	}
	if n := dmCount(fx, who); n != 2 {
		t.Errorf("%d messages, want 2", n)
	}
}

func TestPermanentErrors(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	closed := fx.person("closed")
	fx.f.mu.Lock()
	fx.f.closed[closed.ID()] = true
	fx.f.mu.Unlock()
	for _, tc := range []struct {
		to   bot.Address
		code string
	}{
		{closed, bot.EFORBIDDEN},
		{"discord:1399999999999999999", bot.ENOTFOUND},
		{"discord:not-a-snowflake", bot.EINVALID},
		{"slack:U024BE7LH", bot.EINVALID},
	} {
		_, err := fx.chat.Send(ctx, bot.Outgoing{To: tc.to, Key: "perm/" + string(tc.to), Message: note("x")})
		if bot.ErrorCode(err) != tc.code || !bot.Permanent(err) {
			t.Errorf("Send to %s: %v (code %q), want permanent %s", tc.to, err, bot.ErrorCode(err), tc.code)
		}
	}
	if err := discord.Update(fx.chat, ctx, bot.MessageRef{Platform: "discord", Channel: fx.f.digestChannel, ID: "1399999999999999998"}, note("x")); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("Update of a missing message: %v", err)
	}
}

// TestEngineRoundExactlyOnce runs a round for eight members through 429s
// beyond the bound (the engine reschedules), 5xx and 5xx after the post:
// every member holds exactly one prompt.
func TestEngineRoundExactlyOnce(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	fx.f.mu.Lock()
	fx.f.bare429 = true
	fx.f.mu.Unlock()
	t.Cleanup(func() {
		fx.f.mu.Lock()
		fx.f.bare429 = false
		fx.f.mu.Unlock()
	})
	coord := fx.person("coord8")
	var members []bot.Address
	var committee strings.Builder
	for i := range 8 {
		m := fx.person(fmt.Sprintf("m%d", i))
		members = append(members, m)
		fmt.Fprintf(&committee, "            - {who: %s, name: M%d, group: government, org: Org%d}\n", m, i, i)
	}
	yaml := fmt.Sprintf(`
forums:
  - id: eight
    name: Eight
    timezone: UTC
    digest_channel: discord:%s
    coordinators: [%s]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: One
          committee:
%s`, fx.f.addChannel(), coord, committee.String())
	w := newWorld(t, yaml, map[string]bot.Chat{"discord": fx.chat}, march)
	fx.use(t, w.eng)
	fx.f.FailNext(2, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 90 * time.Second})
	fx.f.FailNext(2, chattest.Fault{Status: http.StatusBadGateway, AfterPost: true})
	fx.f.FailNext(3, chattest.Fault{Status: http.StatusServiceUnavailable})
	fx.f.FailNext(1, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 200 * time.Millisecond})
	fx.f.FailNext(2, chattest.Fault{Status: http.StatusInternalServerError, AfterPost: true})
	w.run(ctx, 1)
	for range 10 {
		w.advance(2 * time.Minute)
		w.run(ctx, 1)
	}
	for _, m := range members {
		if n := dmCount(fx, m); n != 1 {
			t.Errorf("%s holds %d prompts, want exactly 1", m, n)
		}
	}
	fx.f.mu.Lock()
	left := len(fx.f.faults)
	fx.f.mu.Unlock()
	if left != 0 {
		t.Errorf("%d faults were never injected", left)
	}
}

// TestDeliveredAfterTheNonceWindow: the platform stored a prompt but the
// answer was lost, and the nonce is forgotten by the time the engine tries
// again: Delivered finds the prompt by its marker, nothing is resent.
func TestDeliveredAfterTheNonceWindow(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	// An adapter that does not retry by itself: the engine's retry comes
	// after the nonce window.
	chat := newChat(t, fx.f, discord.Config{Options: discord.Options{Retries: -1}})
	fx.f.mu.Lock()
	fx.f.nonceWindow = 0
	fx.f.mu.Unlock()
	t.Cleanup(func() {
		fx.f.mu.Lock()
		fx.f.nonceWindow = 5 * time.Minute
		fx.f.mu.Unlock()
	})
	who := map[string]bot.Address{"coord": fx.person("c"), "official": fx.person("o"), "ana": fx.person("a"), "ben": fx.person("b")}
	w := newWorld(t, forumYAML(bot.Address("discord:"+fx.f.addChannel()), who["coord"], who["official"], who["ana"], who["ben"]),
		map[string]bot.Chat{"discord": chat}, march)
	fx.f.FailNext(2, chattest.Fault{Status: http.StatusBadGateway, AfterPost: true})
	w.run(ctx, 3)
	for _, m := range []bot.Address{who["ana"], who["ben"]} {
		if n := dmCount(fx, m); n != 1 {
			t.Errorf("%s holds %d prompts, want exactly 1", m, n)
		}
	}
	d, err := w.store.DeliveryByKey(ctx, "prompt/f1/2031-03/"+string(who["ana"]))
	if err != nil {
		t.Fatal(err)
	}
	if d.State != bot.Sent || d.Ref.IsZero() {
		t.Errorf("delivery %+v, want sent with its reference", d)
	}
}
