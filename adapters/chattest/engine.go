package chattest

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/bot/config"
)

// ForumYAML is a forum config for adapter tests: commitments C1 (members 0
// and 1, milestone M1 due 2031-03-31) and C2 (members 1 and 2), digests to
// the fake's channel, rounds at 09:00 UTC on the 1st for seven days.
func ForumYAML(id, name string, f Fake, coordinator, official bot.Address) string {
	return fmt.Sprintf(`
forums:
  - id: %s
    name: %s
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
          milestones: [{id: M1, title: Budget published, due: 2031-03-31}]
          committee:
            - {who: %s, name: Zero, group: government, org: Finance}
            - {who: %s, name: One, group: civil_society, org: Watchdog}
        - id: C2
          title: Open contracting
          committee:
            - {who: %s, name: One, group: civil_society, org: Watchdog}
            - {who: %s, name: Two, group: government, org: Procurement}
`, id, name, f.Channel(), coordinator, official, f.Member(0), f.Member(1), f.Member(1), f.Member(2))
}

// engine starts a real engine on a new store for the forums of yaml,
// talking through the adapter, on a clock that starts at 09:00 on 1
// March 2031 and moves only by advance.
func (s *suite) engine(t *testing.T, yaml string) (eng *bot.Engine, store bot.Store, advance func(time.Duration)) {
	t.Helper()
	cfg, err := config.Parse([]byte(yaml), "conformance.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2031, time.March, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance = func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	store = s.opts.NewStore(t)
	eng, err = bot.New(cfg.Forums, store, map[string]bot.Chat{s.f.Member(0).Platform(): s.f.Chat()}, bot.Options{
		Now: clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sender: bot.SenderOptions{Workers: 2, Backoff: time.Second},
	})
	if err != nil {
		t.Fatal(err)
	}
	s.h.set(eng.HandleEvent)
	return eng, store, advance
}

// engineRoundUnderFaults runs a real round through the engine and the
// adapter while the platform answers 429s and 5xx, some after storing the
// message: every member must hold exactly one prompt, an answer given
// through the platform must be stored, and the digest must be posted.
func (s *suite) engineRoundUnderFaults(t *testing.T) {
	m0, m1, m2, ch := s.f.Member(0), s.f.Member(1), s.f.Member(2), s.f.Channel()
	eng, store, advance := s.engine(t, ForumYAML("conf", "Conformance Forum", s.f, m0, m0))
	before := map[bot.Address]int{}
	for _, m := range []bot.Address{m0, m1, m2, ch} {
		before[m] = len(s.f.Held(m))
	}
	s.f.FailNext(1, Fault{Status: 502, AfterPost: true})
	s.f.FailNext(2, Fault{Status: 429, RetryAfter: time.Second})
	s.f.FailNext(2, Fault{Status: 503})
	if err := eng.Tick(s.ctx); err != nil {
		t.Fatal(err)
	}
	for range 30 {
		if _, err := eng.Drain(s.ctx); err != nil {
			t.Fatal(err)
		}
		advance(time.Minute)
	}
	const header = "progress report for March 2031"
	for _, m := range []bot.Address{m0, m1, m2} {
		n := 0
		for _, h := range s.f.Held(m)[before[m]:] {
			if strings.Contains(h.Text, header) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s holds %d prompts, want exactly 1", m, n)
		}
	}
	held := s.f.Held(m1)
	prompt := held[len(held)-1]
	if len(prompt.FormRefs) != 2 {
		t.Fatalf("m1's prompt offers %v, want forms for C1 and C2", prompt.FormRefs)
	}
	seen, err := s.f.OpenForm(s.ctx, m1, prompt, prompt.FormRefs[1], bot.Substantial)
	if err != nil || seen.Form == nil {
		t.Fatalf("OpenForm: %+v %v", seen, err)
	}
	got, err := s.f.Submit(s.ctx, m1, *seen.Form, map[string][]string{
		bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {"Contracts published"}, bot.FieldEvidence: {"https://data.example/ocds"},
	})
	if err != nil || len(got.FieldErrors) > 0 {
		t.Fatalf("Submit: %+v %v", got, err)
	}
	us, err := store.Updates(s.ctx, bot.UpdateFilter{ForumID: "conf", Member: m1})
	if err != nil || len(us) != 1 || us[0].CommitmentID != "C2" || us[0].Completion != bot.Substantial || us[0].Evidence[0] != "https://data.example/ocds" {
		t.Fatalf("stored: %+v %v", us, err)
	}
	held = s.f.Held(m1)
	last := held[len(held)-1]
	switch {
	case s.opts.FormsOnly && last.Edits != 0:
		// A platform without edits must leave the prompt as sent.
		t.Errorf("the prompt was edited %d times on a platform without edits", last.Edits)
	case !s.opts.FormsOnly && !strings.Contains(last.Text, "Contracts published"):
		t.Errorf("the prompt does not show the recorded answer:\n%s", last.Text)
	}
	advance(7 * 24 * time.Hour)
	if err := eng.Tick(s.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Drain(s.ctx); err != nil {
		t.Fatal(err)
	}
	var digest strings.Builder
	for _, h := range s.f.Held(ch)[before[ch]:] {
		digest.WriteString(h.Text)
	}
	for _, want := range []string{"Conformance Forum: implementation digest, March 2031", "Contracts published"} {
		if !strings.Contains(digest.String(), want) {
			t.Errorf("the digest lacks %q:\n%s", want, digest.String())
		}
	}
}
