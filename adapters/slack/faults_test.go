package slack_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

// recorder is a handler that records the events it gets and answers with
// fn.
type recorder struct {
	mu     sync.Mutex
	events []bot.Event
	fn     func(context.Context, bot.Event) bot.Response
}

func (r *recorder) HandleEvent(ctx context.Context, e bot.Event) bot.Response {
	r.mu.Lock()
	r.events = append(r.events, e)
	fn := r.fn
	r.mu.Unlock()
	if fn == nil {
		return bot.Response{}
	}
	return fn(ctx, e)
}

func (r *recorder) seen() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}

// committee is a forum whose one commitment has n members.
func committee(f *fakeSlack, n int) string {
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
        - id: C1
          title: Open budget
          committee:
`, f.Channel(), coordinator)
	for i := range n {
		fmt.Fprintf(&b, "            - {who: slack:U0P%05d, name: P%d, group: government, org: Org%d}\n", i, i, i%7)
	}
	return b.String()
}

func TestFaultBurstsEveryPromptOnce(t *testing.T) {
	t.Parallel() // waits out real Retry-After seconds
	f := newFake(t, fakeOptions{})
	eng := newEngine(t, f, committee(f, 12))
	f.listen(t, eng)
	f.FailNext(2, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	f.FailNext(3, chattest.Fault{Status: http.StatusServiceUnavailable})
	f.FailNext(2, chattest.Fault{Status: http.StatusBadGateway, AfterPost: true})
	f.FailNext(2, chattest.Fault{Status: http.StatusInternalServerError})
	f.FailNext(1, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	f.FailNext(1, chattest.Fault{Status: http.StatusGatewayTimeout, AfterPost: true})
	eng.round(t)
	for i := range 12 {
		who := bot.Address(fmt.Sprintf("slack:U0P%05d", i))
		if n := len(f.Held(who)); n != 1 {
			t.Errorf("%s holds %d prompts, want exactly 1", who, n)
		}
	}
	if got := f.count("conversations.history"); got < 3 {
		t.Errorf("conversations.history called %d times; the 3 answers lost after storing should each be checked", got)
	}
	noViolations(t, f)
}

func TestRateLimitBeyondTheWaitBudget(t *testing.T) {
	f := newFake(t, fakeOptions{})
	ctx := context.Background()
	out := bot.Outgoing{To: f.Member(0), Key: "k1", Message: bot.Message{Text: "hello"}}
	f.FailNext(1, chattest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 20 * time.Second})
	_, err := f.chat.Send(ctx, out)
	wait, ok := bot.RetryAfter(err)
	if !ok || wait < 19*time.Second || wait > 20*time.Second {
		t.Fatalf("Send after a 429 with Retry-After 20: %v; want a *bot.RateLimitError of 20 s", err)
	}
	posts := f.count("chat.postMessage")
	_, err = f.chat.Send(ctx, bot.Outgoing{To: f.Member(1), Key: "k2", Message: bot.Message{Text: "hello"}})
	if _, ok := bot.RetryAfter(err); !ok || f.count("chat.postMessage") != posts {
		t.Errorf("a Send during the hold-off: %v, %d more calls; want a rate-limit error without calling Slack", err, f.count("chat.postMessage")-posts)
	}
	if n := len(f.Held(f.Member(0))) + len(f.Held(f.Member(1))); n != 0 {
		t.Errorf("%d messages posted", n)
	}
}

func TestServerErrorsRetriedThenReported(t *testing.T) {
	f := newFake(t, fakeOptions{})
	ctx := context.Background()
	out := bot.Outgoing{To: f.Member(0), Key: "k1", Message: bot.Message{Text: "hello"}}
	f.FailNext(3, chattest.Fault{Status: http.StatusServiceUnavailable})
	if _, err := f.chat.Send(ctx, out); err != nil {
		t.Fatalf("Send through 3 server errors (3 retries allowed): %v", err)
	}
	f.FailNext(4, chattest.Fault{Status: http.StatusServiceUnavailable})
	_, err := f.chat.Send(ctx, bot.Outgoing{To: f.Member(0), Key: "k2", Message: bot.Message{Text: "again"}})
	if _, limited := bot.RetryAfter(err); err == nil || limited || bot.Permanent(err) {
		t.Errorf("Send through 4 server errors: %v; want an error worth retrying later", err)
	}
	if n := len(f.Held(f.Member(0))); n != 1 {
		t.Errorf("%d messages held, want 1", n)
	}
}

func TestUnreachableIsPermanent(t *testing.T) {
	f := newFake(t, fakeOptions{})
	ctx := context.Background()
	for _, out := range []bot.Outgoing{
		{To: "slack:UGONE1", Key: "k1", Message: bot.Message{Text: "hello"}},
		{To: "slack:CNOSUCH", Channel: true, Key: "k2", Message: bot.Message{Text: "hello"}},
		{To: "discord:123", Key: "k3", Message: bot.Message{Text: "hello"}},
	} {
		if _, err := f.chat.Send(ctx, out); !bot.Permanent(err) {
			t.Errorf("Send to %s: %v; want a permanent error", out.To, err)
		}
	}
}

// longMessage needs three Slack messages.
func longMessage() bot.Message {
	msg := bot.Message{Header: "Digest"}
	for i := range 30 {
		msg.Sections = append(msg.Sections, bot.Section{Title: fmt.Sprintf("S%02d", i), Text: strings.Repeat("word ", 200) + fmt.Sprintf("END%02d", i)})
	}
	return msg
}

func TestSplitMessageResumedAfterAFailure(t *testing.T) {
	f := newFake(t, fakeOptions{})
	ctx := context.Background()
	out := bot.Outgoing{To: f.Channel(), Channel: true, Key: "digest-1", Message: longMessage()}
	f.FailNext(1, chattest.Fault{})
	f.FailNext(1, chattest.Fault{Status: http.StatusBadGateway, AfterPost: true})
	f.FailNext(4, chattest.Fault{Status: http.StatusServiceUnavailable})
	if _, err := f.chat.Send(ctx, out); err == nil {
		t.Fatal("Send succeeded through 4 server errors on the third part")
	}
	if n := len(f.Held(f.Channel())); n != 2 {
		t.Fatalf("after the failure the channel holds %d messages, want the parent and the second part", n)
	}
	if _, found, err := f.chat.Delivered(ctx, out); found || err != nil {
		t.Errorf("Delivered on a partly posted message: found=%v err=%v, want false", found, err)
	}
	ref, err := f.chat.Send(ctx, out)
	if err != nil {
		t.Fatal(err)
	}
	held := f.Held(f.Channel())
	if len(held) != 3 || held[0].Ref != ref {
		t.Fatalf("after resuming: %d messages, parent %v (Send returned %v); want 3", len(held), held[0].Ref, ref)
	}
	var all strings.Builder
	for _, h := range held {
		all.WriteString(h.Text)
	}
	for i := range 30 {
		if n := strings.Count(all.String(), fmt.Sprintf("END%02d", i)); n != 1 {
			t.Errorf("END%02d appears %d times, want once", i, n)
		}
	}
	if got, found, err := f.chat.Delivered(ctx, out); !found || err != nil || got != ref {
		t.Errorf("Delivered after resuming: %v %v %v", got, found, err)
	}
	noViolations(t, f)
}

func TestDroppedWebsocketNoEventLostOrTwice(t *testing.T) {
	f := newFake(t, fakeOptions{})
	entered, release := make(chan struct{}), make(chan struct{})
	h := &recorder{fn: func(ctx context.Context, e bot.Event) bot.Response {
		if e.Text == "slow" {
			close(entered)
			<-release
		}
		return bot.Response{Reply: &bot.Message{Text: "pong " + e.Text}}
	}}
	f.listen(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	// The connection drops right after an envelope is written: it comes
	// again on the next connection and is handled once.
	f.sock.mu.Lock()
	f.sock.dropAfterNext = true
	f.sock.mu.Unlock()
	seen, err := f.Command(ctx, f.Member(0), "first")
	if err != nil || !strings.Contains(seen.Text, "pong first") {
		t.Fatalf("a command across a drop: %+v %v", seen, err)
	}

	// The connection drops while the handler works: the acknowledgement
	// is lost with it, the envelope comes again, and the redelivery gets
	// the first answer without a second handling.
	type result struct {
		seen chattest.Seen
		err  error
	}
	done := make(chan result, 1)
	go func() {
		s, err := f.Command(ctx, f.Member(1), "slow")
		done <- result{s, err}
	}()
	<-entered
	f.Drop()
	close(release)
	r := <-done
	if r.err != nil || !strings.Contains(r.seen.Text, "pong slow") {
		t.Fatalf("a command whose connection dropped while handled: %+v %v", r.seen, r.err)
	}

	// Slack asks for a reconnect.
	f.sock.requestDisconnect()
	if seen, err := f.Command(ctx, f.Member(2), "third"); err != nil || !strings.Contains(seen.Text, "pong third") {
		t.Fatalf("a command after a disconnect request: %+v %v", seen, err)
	}

	var texts []string
	for _, e := range h.seen() {
		texts = append(texts, e.Text)
	}
	if got := strings.Join(texts, ","); got != "first,slow,third" {
		t.Errorf("the handler saw %q, want each command once", got)
	}
	if n := f.sock.connections(); n < 4 {
		t.Errorf("%d connections; want a reconnect after each drop and the disconnect request", n)
	}
	if n := f.sock.redeliveries(); n < 2 {
		t.Errorf("%d envelopes delivered again; want the two the drops cut off", n)
	}
	noViolations(t, f)
}

func TestRetriedEventHandledOnce(t *testing.T) {
	f := newFake(t, fakeOptions{})
	h := &recorder{fn: func(context.Context, bot.Event) bot.Response { return bot.Response{React: true} }}
	f.listen(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := f.chat.Send(ctx, bot.Outgoing{To: f.Member(0), Key: "k", Message: bot.Message{Text: "prompt"}}); err != nil {
		t.Fatal(err)
	}
	p := f.Held(f.Member(0))[0]
	if _, err := f.Reply(ctx, f.Member(0), p, "a note"); err != nil {
		t.Fatal(err)
	}
	// Slack retries the same event in a new envelope.
	ev := h.seen()[0]
	f.mu.Lock()
	var reply *fakeMsg
	for _, m := range f.channels[p.Ref.Channel].msgs {
		if !m.bot {
			reply = m
		}
	}
	f.mu.Unlock()
	again := &envelope{ID: f.nextID("env-"), Type: "events_api", RetryAttempt: 1, RetryReason: "timeout",
		Payload: eventCallback(ev.ID, map[string]any{"type": "message", "channel": p.Ref.Channel, "user": userOf(string(f.Member(0))),
			"text": reply.text, "ts": reply.ts, "thread_ts": p.Ref.ID, "channel_type": "im"})}
	if _, err := f.sock.deliverEnvelope(ctx, again); err != nil {
		t.Fatal(err)
	}
	if n := len(h.seen()); n != 1 {
		t.Errorf("the handler saw %d events for one event delivered twice", n)
	}
	if r := f.Held(f.Member(0))[0].Reactions; r != 1 {
		t.Errorf("%d reactions, want 1", r)
	}
	noViolations(t, f)
}
