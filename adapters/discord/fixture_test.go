package discord_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
	"forumbot/bot/config"
)

// fixture is the fake Discord and the adapter listening on it that every
// test but the conformance run shares: discordgo's Session.Close sleeps a
// second, so the package opens two gateway sessions in all. Tests use
// fresh people (addUser) and set the handler they need with use.
type fixture struct {
	f      *fakeDiscord
	chat   *discord.Chat
	router *router
	stop   context.CancelFunc
	done   chan error
}

// fixtureAckWithin is the shared adapter's deferral delay: long enough
// that the engine on SQLite always answers first, short enough for the
// test of slow handlers.
const fixtureAckWithin = time.Second

var shared struct {
	once sync.Once
	fx   *fixture
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fx := shared.fx; fx != nil {
		fx.stop()
		if err := <-fx.done; err != nil {
			fmt.Fprintln(os.Stderr, "Listen:", err)
			code = 1
		}
		if v := fx.f.Violations(); len(v) > 0 {
			fmt.Fprintf(os.Stderr, "platform rules broken:\n%s\n", strings.Join(v, "\n"))
			code = 1
		}
		fx.f.Close()
	}
	os.Exit(code)
}

// setup returns the shared fixture, starting it on first use.
func setup(t testing.TB) *fixture {
	t.Helper()
	shared.once.Do(func() {
		f := newFake()
		chat, err := discord.New(discord.Config{
			Token: fakeToken, ApplicationID: f.appID, GuildID: f.guild, APIURL: f.APIURL(),
			Options: discord.Options{
				Log: quiet, MaxRateLimitWait: time.Second, RetryBackoff: 10 * time.Millisecond, Retries: 2,
				AckWithin: fixtureAckWithin,
			},
		})
		if err != nil {
			panic(err)
		}
		// The benchmarks dispatch 200 interactions at once.
		discord.SetGatewayReadBuffer(chat, 4<<20)
		f.chat = chat
		ctx, cancel := context.WithCancel(context.Background())
		fx := &fixture{f: f, chat: chat, router: &router{}, stop: cancel, done: make(chan error, 1)}
		live := f.gw.liveSignal()
		go func() { fx.done <- chat.Listen(ctx, fx.router) }()
		<-live
		shared.fx = fx
	})
	if shared.fx == nil {
		t.Fatal("the shared fixture did not start")
	}
	t.Cleanup(func() {
		if v := shared.fx.f.Violations(); len(v) > 0 {
			t.Errorf("platform rules broken so far:\n%s", strings.Join(v, "\n"))
		}
	})
	return shared.fx
}

// router passes events to the handler the running test set.
type router struct {
	mu sync.Mutex
	h  bot.Handler
}

func (r *router) HandleEvent(ctx context.Context, e bot.Event) bot.Response {
	r.mu.Lock()
	h := r.h
	r.mu.Unlock()
	if h == nil {
		return bot.Response{Error: "no handler"}
	}
	return h.HandleEvent(ctx, e)
}

// use makes h answer events until the test ends.
func (fx *fixture) use(t testing.TB, h bot.Handler) {
	fx.router.mu.Lock()
	fx.router.h = h
	fx.router.mu.Unlock()
	t.Cleanup(func() {
		fx.router.mu.Lock()
		fx.router.h = nil
		fx.router.mu.Unlock()
	})
}

// person adds a fresh person and returns their address.
func (fx *fixture) person(name string) bot.Address {
	return bot.Address("discord:" + fx.f.addUser(name))
}

// world is a forum run by the real engine on a temp-file SQLite store,
// with a clock the test moves.
type world struct {
	t     testing.TB
	eng   *bot.Engine
	store bot.Store
	mu    sync.Mutex
	now   time.Time
}

// newWorld configures the forums in yaml (a config file's forums: list),
// with chats by platform.
func newWorld(t testing.TB, yaml string, chats map[string]bot.Chat, start time.Time) *world {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "test.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return newWorldOf(t, cfg.Forums, openStore(t), chats, start, bot.SenderOptions{Workers: 2, Backoff: time.Second})
}

// newWorldOf runs forums on store with chats and the sender's options.
func newWorldOf(t testing.TB, forums []*bot.Forum, store bot.Store, chats map[string]bot.Chat, start time.Time, sender bot.SenderOptions) *world {
	t.Helper()
	w := &world{t: t, store: store, now: start}
	var err error
	w.eng, err = bot.New(forums, w.store, chats, bot.Options{Now: w.clock, Log: quiet, Sender: sender})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) clock() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.now
}

func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	w.now = w.now.Add(d)
	w.mu.Unlock()
}

// run ticks and drains the outbox, a minute of the world's time per round,
// n times.
func (w *world) run(ctx context.Context, n int) {
	w.t.Helper()
	for range n {
		if err := w.eng.Tick(ctx); err != nil {
			w.t.Fatal(err)
		}
		if _, err := w.eng.Drain(ctx); err != nil {
			w.t.Fatal(err)
		}
		w.advance(time.Minute)
	}
}

// march is when the test forums' March 2031 round opens.
var march = time.Date(2031, time.March, 1, 9, 0, 0, 0, time.UTC)

// forumYAML is a forum with two commitments: a (civil society) sits on
// both, b (government) on C1; coord coordinates, official may ask status.
func forumYAML(channel, coord, official, a, b bot.Address) string {
	return fmt.Sprintf(`
forums:
  - id: f1
    name: Test Forum
    timezone: UTC
    digest_channel: %s
    coordinators: [%s]
    officials: [%s]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: Open budget
          milestones:
            - {id: M1, title: Budget published, due: 2031-03-20}
            - {id: M2, title: Citizens' budget printed, due: 2031-04-30}
          committee:
            - {who: %s, name: Ana, group: civil_society, org: Watchdog}
            - {who: %s, name: Ben, group: government, org: Finance}
        - id: C2
          title: Open contracting
          committee:
            - {who: %s, name: Ana, group: civil_society, org: Watchdog}
`, channel, coord, official, a, b, a)
}
