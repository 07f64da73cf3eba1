package bot_test

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
)

// outage makes the local chat refuse every send with err until the clock
// reaches until, and counts the refusals.
type outage struct {
	mu      sync.Mutex
	until   time.Time
	err     error
	refused int
}

func (o *outage) install(h *harness) {
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		o.mu.Lock()
		defer o.mu.Unlock()
		if h.clock.Now().Before(o.until) {
			o.refused++
			return o.err
		}
		return nil
	}
}

func (h *harness) prompts() []bot.Delivery {
	h.t.Helper()
	rs := h.rounds("f1")
	ds, err := h.store.Deliveries(h.ctx, rs[len(rs)-1].ID, bot.KindPrompt)
	if err != nil {
		h.t.Fatal(err)
	}
	return ds
}

// TestRateLimitStormDropsNoPrompt: Retry-After 10 s for 100 s, as when the
// Slack adapter refuses calls locally while a 429's Retry-After lasts. Each
// refusal is a wait, not an attempt: nobody's prompt is given up on, none
// counts an attempt, and all go out once the storm ends.
func TestRateLimitStormDropsNoPrompt(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	loc := h.forums[0].Location
	start := time.Date(2026, time.November, 1, 9, 0, 0, 0, loc)
	storm := &outage{until: start.Add(100 * time.Second), err: &bot.RateLimitError{Wait: 10 * time.Second, Err: errors.New("slack chat.postMessage: rate limited")}}
	storm.install(h)
	for at := start; at.Before(start.Add(100 * time.Second)); at = at.Add(10 * time.Second) {
		h.atTime(at)
	}
	if storm.refused < 10*len(allMembers) {
		t.Fatalf("the storm refused %d sends, want every member refused at each of 10 drains", storm.refused)
	}
	for _, d := range h.prompts() {
		if d.State != bot.Pending || d.Attempts != 0 || !d.FailingSince.IsZero() {
			t.Errorf("%s during the storm: state %s, %d attempts, failing since %v; want pending, no attempt counted", d.To, d.State, d.Attempts, d.FailingSince)
		}
	}
	h.atTime(start.Add(110 * time.Second))
	for _, who := range allMembers {
		if got := h.counts("prompt/")[who]; got != 1 {
			t.Errorf("%s: %d prompts after the storm, want 1", who, got)
		}
	}
}

// TestFailingSendGivesUpAfterGiveUpAfter: a send that fails for another
// reason than a wait is retried with backoff, and given up on only after
// it has been failing for a day (the default), with the reason.
func TestFailingSendGivesUpAfterGiveUpAfter(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	loc := h.forums[0].Location
	start := time.Date(2026, time.November, 1, 9, 0, 0, 0, loc)
	down := &outage{until: start.Add(48 * time.Hour), err: errors.New("503 service unavailable")}
	down.install(h)
	for at := start; !at.After(start.Add(23 * time.Hour)); at = at.Add(30 * time.Minute) {
		h.atTime(at)
	}
	for _, d := range h.prompts() {
		if d.State != bot.Pending || d.Attempts < 8 {
			t.Fatalf("%s after 23 hours of 503s: state %s after %d attempts; want still pending after more than 8", d.To, d.State, d.Attempts)
		}
	}
	for at := start.Add(23 * time.Hour); !at.After(start.Add(25 * time.Hour)); at = at.Add(30 * time.Minute) {
		h.atTime(at)
	}
	for _, d := range h.prompts() {
		if d.State != bot.Failed || !strings.Contains(d.LastError, "gave up after 24h") || !strings.Contains(d.LastError, "503") {
			t.Errorf("%s after 25 hours of 503s: state %s, reason %q; want failed, giving up after 24h with the cause", d.To, d.State, d.LastError)
		}
	}
}

// TestFailedDeliveriesAreShownAndRetried: a prompt given up on is listed
// by round failed with its reason, counted in the digest, and sent once
// round retry puts it back.
func TestFailedDeliveriesAreShownAndRetried(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	unreachable := true
	var mu sync.Mutex
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		mu.Lock()
		defer mu.Unlock()
		if unreachable && out.To == "local:gov3" {
			return bot.Errorf(bot.EFORBIDDEN, "Slack refused chat.postMessage: cannot_dm_bot")
		}
		return nil
	}
	h.at(2026, time.November, 1, 9, 0)
	resp := command(t, h, "local:coord", "round failed")
	text := bot.RenderText(*resp.Reply)
	for _, want := range []string{"1 message not delivered", "prompt 2026-11 to Gov Three (Mayor's Office)", "cannot_dm_bot", "/forum round retry"} {
		if !strings.Contains(text, want) {
			t.Errorf("round failed lacks %q:\n%s", want, text)
		}
	}
	d, err := h.eng.DigestData(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, nil, "")
	if err != nil || d.Undelivered != 1 {
		t.Fatalf("digest: %d prompts not delivered, %v; want 1", d.Undelivered, err)
	}
	if msg := bot.RenderText(bot.RenderDigest(h.eng.Texts("en"), d)); !strings.Contains(msg, "Prompts not delivered: 1") {
		t.Errorf("digest lacks the undelivered line:\n%s", msg)
	}
	mu.Lock()
	unreachable = false
	mu.Unlock()
	if resp := command(t, h, "local:coord", "round retry"); resp.Reply == nil || !strings.Contains(resp.Reply.Text, "1 message is queued again") {
		t.Fatalf("round retry: %+v", resp)
	}
	h.at(2026, time.November, 1, 9, 5)
	if got := h.counts("prompt/")["local:gov3"]; got != 1 {
		t.Errorf("gov3: %d prompts after retry, want 1", got)
	}
	if resp := command(t, h, "local:coord", "round failed"); resp.Reply == nil || !strings.Contains(resp.Reply.Text, "nothing to resend") {
		t.Errorf("round failed after the retry: %+v", resp.Reply)
	}
}

// TestAdapterPanicIsRetriedNotFatal: an adapter that panics while
// sending neither stops the sender nor the process: the panic is an error
// like any other, the prompt is retried, and sent once the adapter works.
func TestAdapterPanicIsRetriedNotFatal(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	loc := h.forums[0].Location
	start := time.Date(2026, time.November, 1, 9, 0, 0, 0, loc)
	var mu sync.Mutex
	broken := true
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		mu.Lock()
		defer mu.Unlock()
		if broken && op == "send" {
			panic("the adapter broke on " + out.Key)
		}
		return nil
	}
	h.atTime(start)
	for _, d := range h.prompts() {
		if d.State != bot.Pending || !strings.Contains(d.LastError, "panicked") {
			t.Fatalf("%s after a panicking send: state %s, reason %q; want pending, with the panic as the reason", d.To, d.State, d.LastError)
		}
	}
	mu.Lock()
	broken = false
	mu.Unlock()
	h.atTime(start.Add(2 * time.Hour))
	for _, d := range h.prompts() {
		if d.State != bot.Sent {
			t.Errorf("%s once the adapter works: state %s (%s), want sent", d.To, d.State, d.LastError)
		}
	}
}

// TestEveryEntryIsSendingBeforeItsSend: the sender marks the entries it
// is about to send a few at a time, and each is "sending" in the store
// when its send starts, so that a crash during the send leaves it to be
// asked of the platform (Chat.Delivered) before it is sent again.
func TestEveryEntryIsSendingBeforeItsSend(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	var (
		mu     sync.Mutex
		states = map[string]bot.DeliveryState{}
	)
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		if op != "send" {
			return nil
		}
		d, err := h.store.DeliveryByKey(h.ctx, out.Key)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			t.Errorf("%s: %v", out.Key, err)
		}
		states[out.Key] = d.State
		return nil
	}
	h.at(2026, time.November, 1, 9, 5)
	if len(states) != len(allMembers) {
		t.Fatalf("%d sends seen, want one prompt to each of %d members", len(states), len(allMembers))
	}
	for key, state := range states {
		if state != bot.Sending {
			t.Errorf("%s was %s in the store when its send started, want sending", key, state)
		}
	}
	for _, d := range h.prompts() {
		if d.State != bot.Sent {
			t.Errorf("%s after the drain: %s, want sent", d.To, d.State)
		}
	}
}

// TestSendsAreRecordedWhileTheDrainGoesOn: a drain records its sends a
// few at a time; those waiting when the timer started by the first of them
// runs (200 ms later in production) are recorded then, not only when the
// drain ends.
func TestSendsAreRecordedWhileTheDrainGoesOn(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	var timers fakeTimers
	h.sender = func(o *bot.SenderOptions) { o.Workers, o.AfterFunc = 1, timers.afterFunc }
	h.restart()
	var keys []string
	state := func(key string) bot.DeliveryState {
		d, err := h.store.DeliveryByKey(h.ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return d.State
	}
	checked := false
	h.chat.Fault = func(op string, out bot.Outgoing) error {
		if op != "send" {
			return nil
		}
		keys = append(keys, out.Key) // one worker: one send at a time
		if len(keys) != 3 {
			return nil
		}
		// The first two sends are made and wait to be recorded, with the
		// timer of the first one pending.
		for _, k := range keys[:2] {
			if got := state(k); got != bot.Sending {
				t.Errorf("%s before the timer: %s, want sending (its record waits for the batch)", k, got)
			}
		}
		if fired := timers.fire(); fired != 1 {
			t.Errorf("%d timers fired, want the one of the batch", fired)
		}
		for _, k := range keys[:2] {
			if got := state(k); got != bot.Sent {
				t.Errorf("%s after the timer: %s, want sent", k, got)
			}
		}
		if got := state(out.Key); got != bot.Sending {
			t.Errorf("%s, being sent: %s, want sending", out.Key, got)
		}
		checked = true
		return nil
	}
	h.at(2026, time.November, 1, 9, 5)
	if !checked {
		t.Fatalf("%d sends, want at least 3", len(keys))
	}
	for _, k := range keys {
		if got := state(k); got != bot.Sent {
			t.Errorf("%s after the drain: %s, want sent", k, got)
		}
	}
	for _, d := range timers.delays() {
		if d != 200*time.Millisecond {
			t.Errorf("a batch's records wait %s, want 200ms", d)
		}
	}
}

// fakeTimers is an AfterFunc whose calls run when the test fires them.
type fakeTimers struct {
	mu     sync.Mutex
	timers []*fakeTimer
}

type fakeTimer struct {
	timers *fakeTimers
	d      time.Duration
	f      func()
	done   bool // stopped or fired
}

func (ft *fakeTimers) afterFunc(d time.Duration, f func()) bot.Timer {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	t := &fakeTimer{timers: ft, d: d, f: f}
	ft.timers = append(ft.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.timers.mu.Lock()
	defer t.timers.mu.Unlock()
	pending := !t.done
	t.done = true
	return pending
}

// fire runs every pending call and returns how many ran.
func (ft *fakeTimers) fire() int {
	ft.mu.Lock()
	var due []*fakeTimer
	for _, t := range ft.timers {
		if !t.done {
			t.done = true
			due = append(due, t)
		}
	}
	ft.mu.Unlock()
	for _, t := range due {
		t.f()
	}
	return len(due)
}

func (ft *fakeTimers) delays() []time.Duration {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	var ds []time.Duration
	for _, t := range ft.timers {
		ds = append(ds, t.d)
	}
	return ds
}

// TestEmailSendIsRecordedAtOnce: a relay cannot be asked whether it took
// a message, so an e-mail's send is recorded before the next one starts
// rather than with a later batch: a crash can then repeat at most the
// sends in flight, one per worker.
func TestEmailSendIsRecordedAtOnce(t *testing.T) {
	yaml := strings.NewReplacer("local:gov", "email:gov@", "local:cs", "email:cs@").Replace(testForum)
	yaml = strings.ReplaceAll(yaml, "@1", "1@example.org")
	yaml = strings.ReplaceAll(yaml, "@2", "2@example.org")
	yaml = strings.ReplaceAll(yaml, "@3", "3@example.org")
	h := newHarness(t, yaml, time.Time{})
	mail := local.New()
	mail.Platform = bot.EmailPlatform
	eng, err := bot.New(h.forums, h.store, map[string]bot.Chat{"local": h.chat, bot.EmailPlatform: mail}, bot.Options{
		Now: h.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Sender: bot.SenderOptions{Workers: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	var recordedBefore []int
	mail.Fault = func(op string, out bot.Outgoing) error {
		if op != "send" {
			return nil
		}
		rs, err := h.store.Rounds(h.ctx, "f1")
		if err != nil || len(rs) == 0 {
			t.Errorf("rounds: %v %v", rs, err)
			return nil
		}
		n, err := h.store.CountDeliveries(h.ctx, rs[0].ID, bot.KindPrompt, bot.Sent)
		if err != nil {
			t.Error(err)
		}
		recordedBefore = append(recordedBefore, n)
		return nil
	}
	h.clock.Set(time.Date(2026, time.November, 1, 9, 5, 0, 0, h.forums[0].Location))
	if err := eng.Tick(h.ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := eng.Drain(h.ctx); err != nil || n != len(allMembers) {
		t.Fatalf("drain: %d sent, %v; want %d", n, err, len(allMembers))
	}
	if len(recordedBefore) != len(allMembers) {
		t.Fatalf("%d e-mails sent, want %d", len(recordedBefore), len(allMembers))
	}
	for i, n := range recordedBefore {
		if n != i {
			t.Errorf("e-mail %d: %d prompts recorded sent before it, want %d", i+1, n, i)
		}
	}
}
