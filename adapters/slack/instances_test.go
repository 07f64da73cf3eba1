package slack_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"forumbot/adapters/slack"
)

// TestSocketModeSeveralInstances runs two instances of the app, as two
// forumbot processes sharing a PostgreSQL store do, each with its own
// Socket Mode connections on the same app token. Slack spreads envelopes
// over an app's connections, each to one of them: every message is
// acknowledged and handled exactly once, by one instance or the other,
// and both get their share. When one instance stops, the other gets
// everything.
func TestSocketModeSeveralInstances(t *testing.T) {
	f := newFake(t, fakeOptions{})
	first := &recorder{}
	f.listen(t, first)
	other, err := slack.New(f.cfg)
	if err != nil {
		t.Fatal(err)
	}
	slack.SetOnDone(other, f.markDone)
	second := &recorder{}
	ctx, stopSecond := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- other.Listen(ctx, second) }()
	stop := func() {
		stopSecond()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("the second instance's Listen: %v", err)
		}
		done <- nil
	}
	t.Cleanup(func() {
		stopSecond()
		<-done
	})
	each := slack.DefaultSocketConnections
	awaitConnections(t, f, -1, 2*each, "the second instance never connected")

	const n = 20
	tell(t, f, 0, n)
	a, b := first.seen(), second.seen()
	if len(a)+len(b) != n || len(a) == 0 || len(b) == 0 {
		t.Fatalf("the instances handled %d and %d messages, want %d in all, shared", len(a), len(b), n)
	}
	ids := map[string]int{}
	for _, e := range append(a, b...) {
		ids[e.ID]++
	}
	for id, k := range ids {
		if k != 1 {
			t.Errorf("event %s handled %d times", id, k)
		}
	}
	t.Logf("%d messages over two instances' connections: %d and %d", n, len(a), len(b))

	stop()
	// Slack stops sending on a closed connection; the fake, once it sees
	// the close.
	awaitConnections(t, f, -1, each, "the second instance's connections never closed")
	tell(t, f, n, 5)
	if got := len(first.seen()); got != len(a)+5 {
		t.Errorf("with the second instance stopped, the first handled %d more messages, want 5", got-len(a))
	}
	if got := len(second.seen()); got != len(b) {
		t.Errorf("the stopped instance handled %d more messages", got-len(b))
	}
	noViolations(t, f)
}

// TestSocketModeConnections has one instance keep three Socket Mode
// connections. Slack hands each envelope to one of them (the fake in
// turn): every message is handled once, whichever connection it came on,
// and after Slack refreshes one connection the instance has three again.
func TestSocketModeConnections(t *testing.T) {
	f := newFake(t, fakeOptions{config: func(c *slack.Config) { c.SocketConnections = 3 }})
	h := &recorder{}
	f.listen(t, h)
	awaitConnections(t, f, 3, 3, "the instance never opened its three connections")
	tell(t, f, 0, 9)
	f.sock.requestDisconnect()
	awaitConnections(t, f, 4, 3, "the refreshed connection never came back")
	tell(t, f, 9, 9)
	got := map[string]int{}
	for _, e := range h.seen() {
		got[e.Text]++
	}
	for i := range 18 {
		if k := got[fmt.Sprintf("message %d", i)]; k != 1 {
			t.Errorf("message %d handled %d times, want once", i, k)
		}
	}
	noViolations(t, f)
}

// awaitConnections waits until the fake has seen opened connections in
// all (any number, when opened is negative) and holds live of them open
// now. The fake learns of a connection closed only when its read of it
// fails, and nothing signals that from outside, so this polls.
func awaitConnections(t *testing.T, f *fakeSlack, opened, live int, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for (opened >= 0 && f.sock.connections() != opened) || f.sock.liveConnections() != live {
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d connections opened, %d live; want %d, %d", what, f.sock.connections(), f.sock.liveConnections(), opened, live)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// tell has the first three members, in turn, send messages from to
// from+n-1 in their direct messages, each handled before the next.
func tell(t *testing.T, f *fakeSlack, from, n int) {
	t.Helper()
	for i := from; i < from+n; i++ {
		user := userOf(string(f.Member(i % 3)))
		f.mu.Lock()
		channel := f.dm(user).id
		f.mu.Unlock()
		if _, err := f.say(context.Background(), user, channel, "", fmt.Sprintf("message %d", i)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
}
