package slack_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/bot"
	"forumbot/bot/config"
)

// People of the test forum, beside the fake's three members.
const (
	coordinator = bot.Address("slack:U0COORD")
	official    = bot.Address("slack:U0MAYOR")
	outsider    = bot.Address("slack:U0STRANGER")
)

// testClock is the engine's clock: tests move it by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// roundStart is when the test forum's first round opens.
var roundStart = time.Date(2031, time.March, 1, 9, 0, 0, 0, time.UTC)

// forumYAML is a forum of two commitments on the fake's members.
func forumYAML(f *fakeSlack) string {
	return chattest.ForumYAML("slackforum", "Slack Test Forum", f, coordinator, official)
}

// testEngine is the real engine on a temp-file SQLite store, talking through
// the adapter to the fake.
type testEngine struct {
	*bot.Engine
	store bot.Store
	clock *testClock
}

func newEngine(t testing.TB, f *fakeSlack, yaml string) *testEngine {
	t.Helper()
	return newEngineWithStore(t, f, yaml, newStore(t))
}

func newEngineWithStore(t testing.TB, f *fakeSlack, yaml string, store bot.Store) *testEngine {
	t.Helper()
	return newEngineWith(t, f, yaml, store, bot.SenderOptions{Workers: 4, Backoff: time.Second})
}

func newEngineWith(t testing.TB, f *fakeSlack, yaml string, store bot.Store, sender bot.SenderOptions) *testEngine {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "test.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{now: roundStart}
	eng, err := bot.New(cfg.Forums, store, map[string]bot.Chat{"slack": f.Chat()}, bot.Options{
		Now: clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Sender: sender,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testEngine{Engine: eng, store: store, clock: clock}
}

// round opens the round and drains the outbox until it is empty.
func (e *testEngine) round(t testing.TB) {
	t.Helper()
	if err := e.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
}

// drain delivers what is due, moving the clock past any retry waits.
func (e *testEngine) drain(t testing.TB) {
	t.Helper()
	for range 30 {
		if _, err := e.Drain(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Minute)
	}
}

// prompt returns the one prompt who holds.
func prompt(t testing.TB, f *fakeSlack, who bot.Address) chattest.Held {
	t.Helper()
	var prompts []chattest.Held
	for _, h := range f.Held(who) {
		if strings.Contains(h.Text, "progress report for March 2031") {
			prompts = append(prompts, h)
		}
	}
	if len(prompts) != 1 {
		t.Fatalf("%s holds %d prompts, want 1", who, len(prompts))
	}
	return prompts[0]
}

func noViolations(t testing.TB, f *fakeSlack) {
	t.Helper()
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("Slack's rules broken:\n%s", strings.Join(v, "\n"))
	}
}

func TestRoundPromptsDelivered(t *testing.T) {
	f := newFake(t, fakeOptions{echo: true})
	eng := newEngine(t, f, forumYAML(f))
	f.listen(t, eng)
	eng.round(t)
	for i, want := range []struct {
		texts []string
		forms []string
	}{
		{[]string{"C1 · Open budget", "Milestones due", "Budget published"}, []string{"u:1:C1"}},
		{[]string{"C1 · Open budget", "C2 · Open contracting"}, []string{"u:1:C1", "u:1:C2"}},
		{[]string{"C2 · Open contracting"}, []string{"u:1:C2"}},
	} {
		who := f.Member(i)
		p := prompt(t, f, who)
		for _, s := range append(want.texts, "Slack Test Forum: progress report for March 2031", "Reply here to add a note") {
			if !strings.Contains(p.Text, s) {
				t.Errorf("%s's prompt lacks %q:\n%s", who, s, p.Text)
			}
		}
		if got := strings.Join(p.FormRefs, " "); got != strings.Join(want.forms, " ") {
			t.Errorf("%s's prompt offers forms %q, want %q", who, got, want.forms)
		}
		if got, want := f.metadataKey(p.Ref), "prompt/slackforum/2031-03/"+string(who); got != want {
			t.Errorf("%s's prompt carries key %q, want %q", who, got, want)
		}
	}
	if got := f.count("conversations.open"); got != 3 {
		t.Errorf("conversations.open called %d times for 3 members, want 3 (cached)", got)
	}
	noViolations(t, f)
}

// metadataKey returns the idempotency key a message carries.
func (f *fakeSlack) metadataKey(ref bot.MessageRef) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ch := f.channels[ref.Channel]; ch != nil {
		if m := ch.find(ref.ID); m != nil && m.meta != nil {
			key, _ := m.meta.EventPayload["key"].(string)
			return key
		}
	}
	return ""
}
