package bot_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
)

// testForum is a small forum on the local chat: five members on three
// committees, gov1 and cs2 on two each.
const testForum = `
forums:
  - id: f1
    name: Test Forum
    timezone: Europe/Madrid
    digest_channel: local:digest
    coordinators: [local:coord]
    officials: [local:mayor]
    schedule: {prompt: "0 9 1 * *", window: 7d, reminders: [3d, 6d]}
    plan:
      id: P1
      commitments:
        - id: C1
          title: Open budget
          milestones: [{id: M1, title: Budget published, due: 2026-11-15}, {id: M2, title: Hearings held, due: 2026-09-30}]
          committee:
            - {who: local:gov1, name: Gov One, group: government, org: Finance}
            - {who: local:cs1, name: CS One, group: civil_society, org: Watchdog}
        - id: C2
          title: Open contracting
          committee:
            - {who: local:gov1, name: Gov One, group: government, org: Finance}
            - {who: local:gov2, name: Gov Two, group: government, org: Procurement}
            - {who: local:cs2, name: CS Two, group: civil_society, org: Youth Network}
        - id: C3
          title: Civic participation
          committee:
            - {who: local:gov3, name: Gov Three, group: government, org: Mayor's Office}
            - {who: local:cs2, name: CS Two, group: civil_society, org: Youth Network}
`

// clock is a settable clock shared by the engine and the store.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// harness runs an engine on a temp-file store and the local chat.
type harness struct {
	t      testing.TB
	ctx    context.Context
	clock  *clock
	path   string
	db     *sqlite.DB
	store  bot.Store
	chat   *local.Chat
	eng    *bot.Engine
	forums []*bot.Forum
	stop   func()
	// logs, when set, receives the engine's logs from the next restart.
	logs *syncBuffer
	// email, when set, is the chat of email: addresses from the next
	// restart.
	email *local.Chat
	// sender, when set, changes the sender's options from the next
	// restart.
	sender func(*bot.SenderOptions)
}

// syncBuffer is a buffer the engine's goroutines may log to at once.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func mustForums(t testing.TB, yaml string) []*bot.Forum {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "test.yaml", config.Options{})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg.Forums
}

func newHarness(t testing.TB, yaml string, start time.Time) *harness {
	t.Helper()
	h := &harness{t: t, ctx: context.Background(), clock: &clock{now: start}, chat: local.New(),
		path: filepath.Join(t.TempDir(), "test.db"), forums: mustForums(t, yaml)}
	h.openDB()
	h.restart()
	t.Cleanup(func() {
		h.stop()
		h.db.Close()
	})
	return h
}

func (h *harness) openDB() {
	h.t.Helper()
	h.db = sqlite.NewDB(h.path)
	h.db.Now = h.clock.Now
	if err := h.db.Open(); err != nil {
		h.t.Fatal(err)
	}
	h.store = h.db
}

// restart replaces the engine, as a process restart would: nothing survives
// but the database and what the platform (the local chat) holds.
func (h *harness) restart() {
	h.t.Helper()
	if h.stop != nil {
		h.stop()
	}
	var logTo io.Writer = io.Discard
	if h.logs != nil {
		logTo = h.logs
	}
	chats := map[string]bot.Chat{"local": h.chat}
	if h.email != nil {
		chats["email"] = h.email
	}
	sender := bot.SenderOptions{Workers: 3, Backoff: time.Minute}
	if h.sender != nil {
		h.sender(&sender)
	}
	eng, err := bot.New(h.forums, h.store, chats, bot.Options{
		Now: h.clock.Now, Log: slog.New(slog.NewTextHandler(logTo, nil)), Sender: sender,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.eng = eng
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.chat.Listen(ctx, eng)
	}()
	h.stop = func() {
		cancel()
		<-done
	}
}

// at sets the clock to a wall time in Madrid and runs a tick and a drain.
func (h *harness) at(y int, m time.Month, d, hh, mm int) {
	h.t.Helper()
	loc, _ := time.LoadLocation("Europe/Madrid")
	h.atTime(time.Date(y, m, d, hh, mm, 0, 0, loc))
}

func (h *harness) atTime(t time.Time) {
	h.t.Helper()
	h.clock.Set(t)
	if err := h.eng.Tick(h.ctx); err != nil {
		h.t.Fatalf("tick at %s: %v", t, err)
	}
	if _, err := h.eng.Drain(h.ctx); err != nil {
		h.t.Fatalf("drain at %s: %v", t, err)
	}
}

func (h *harness) person(who string) *local.Person {
	p := h.chat.As(bot.Address(who))
	p.Now = h.clock.Now
	return p
}

// latest returns the newest message to who, failing if there is none.
func (h *harness) latest(who string) local.Sent {
	h.t.Helper()
	s, ok := h.person(who).Latest()
	if !ok {
		h.t.Fatalf("%s has no message", who)
	}
	return s
}

// answer fills in who's form for commitment from their latest message.
func (h *harness) answer(who, commitment, level string, extra ...string) bot.Response {
	h.t.Helper()
	v := map[string][]string{bot.FieldCompletion: {level}, bot.FieldProgress: {"progress on " + commitment}}
	for i := 0; i+1 < len(extra); i += 2 {
		v[extra[i]] = append(v[extra[i]], extra[i+1])
	}
	resp, err := h.person(who).Answer(h.ctx, h.latest(who), commitment, v)
	if err != nil {
		h.t.Fatalf("%s answering %s: %v", who, commitment, err)
	}
	if resp.Error != "" || resp.FieldErrors != nil {
		h.t.Fatalf("%s answering %s refused: %q %v", who, commitment, resp.Error, resp.FieldErrors)
	}
	return resp
}

// counts returns how many messages of each kind ("prompt", "reminder") each
// person received.
func (h *harness) counts(kind string) map[bot.Address]int {
	out := map[bot.Address]int{}
	for _, s := range h.chat.All() {
		if len(s.Key) > len(kind) && s.Key[:len(kind)] == kind {
			out[s.To]++
		}
	}
	return out
}

func (h *harness) rounds(forum string) []bot.Round {
	h.t.Helper()
	rs, err := h.store.Rounds(h.ctx, forum)
	if err != nil {
		h.t.Fatal(err)
	}
	return rs
}
