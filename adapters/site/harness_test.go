package site_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/site"
	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/bot/ogp"
	"forumbot/configs"
	"forumbot/store/sqlite"
)

// world is a store with months of rounds run through the real engine for
// two forums: the example forum of configs/example.yaml and the 40
// commitments of the shared OGP sample imported as import-ogp does.
type world struct {
	db     *sqlite.DB
	eng    *bot.Engine
	forums []*bot.Forum
	clock  *clock
	// typed is every text a member typed into an answer.
	typed map[string]bool
	// private is what the public typed that is never published: the text
	// of pending and rejected questions, e-mail addresses, the names of
	// askers who did not tick the box. public is the text of the approved
	// questions and their answers.
	private, public []string
	// last is the latest round's period.
	last bot.Period
}

// formSecret signs the test sites' question forms.
const formSecret = "test-form-secret-0123456789abcdef0123456789"

// injection is a question that tries HTML and mentions on the pages.
const injection = "<script>alert(1)</script> Is the <b>budget</b> public? @everyone <!channel> see https://evil.example.org/x"

// exampleFile is configs/example.yaml as loaded.
func exampleFile(t testing.TB) *config.Config {
	t.Helper()
	cfg, err := config.Parse(configs.Example, "example.yaml", config.Options{IgnoreUnsetEnv: true})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// importedForum is the 40 commitments of testdata/ogp-commitments-sample.csv
// imported as one plan, with generated committees and milestones due while
// the generated months run.
func importedForum(t testing.TB, start bot.Period, months int) *bot.Forum {
	t.Helper()
	csv, err := os.ReadFile("../../testdata/ogp-commitments-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	csv = bytes.Replace(csv, []byte(",Action Plan ID,"), []byte(",Plan (hidden),"), 1)
	file, _, err := ogp.Import(bytes.NewReader(csv), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fc := &file.Forums[0]
	fc.ID, fc.Timezone, fc.Locale = "imported", "America/Mexico_City", "es"
	fc.Plan.Start = start.First().String()
	fc.Plan.End = start.Add(months + 6).Last().String()
	for i := range fc.Plan.Commitments {
		c := &fc.Plan.Commitments[i]
		lead := c.LeadAgency
		if lead == "" || len(lead) > 80 {
			lead = "Lead agency of " + c.ID
		}
		c.Start, c.End = "", ""
		c.Committee = []config.MemberConfig{
			{Who: fmt.Sprintf("local:gov-%s", c.ID), Name: "Official " + c.ID, Group: "government", Org: lead, Role: "chair"},
			{Who: fmt.Sprintf("local:cso-%d", i%7), Name: fmt.Sprintf("Activist %d", i%7), Group: "civil_society", Org: fmt.Sprintf("Civil society network %d", i%7)},
		}
		c.Milestones = nil
		for m := range 2 {
			c.Milestones = append(c.Milestones, config.MilestoneConfig{
				ID: fmt.Sprintf("M%d", m+1), Title: []string{"Baseline published", "Platform live"}[m],
				Due: start.Add(1 + m*3 + i%4).Last().String(),
			})
		}
	}
	data, err := ogp.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(data, "imported.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Forums[0]
}

var (
	cachedMu sync.Mutex
	cached   = map[int]string{}
	cacheDir string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "site-test-")
	if err != nil {
		panic(err)
	}
	cacheDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// newWorld runs months of rounds for both forums, ending with the round of
// November 2026, and returns the store. The database is built once per
// test binary, closed, and copied for each caller.
func newWorld(t testing.TB, months int) *world {
	t.Helper()
	cachedMu.Lock()
	defer cachedMu.Unlock()
	src, ok := cached[months]
	if !ok {
		src = filepath.Join(cacheDir, fmt.Sprintf("forum-%d.db", months))
		w := openWorld(t, src, months)
		w.generate(t, months, true)
		if err := w.db.Close(); err != nil {
			t.Fatal(err)
		}
		cached[months] = src
	}
	path := filepath.Join(t.TempDir(), "forum.db")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	w := openWorld(t, path, months)
	t.Cleanup(func() { w.db.Close() })
	w.generate(t, months, false)
	return w
}

// openWorld opens the store at path with an engine for both forums.
func openWorld(t testing.TB, path string, months int) *world {
	ex := exampleFile(t).Forums[0]
	last := bot.Period{Year: 2026, Month: time.November}
	imp := importedForum(t, last.Add(-(months - 1)), months)
	ex.Questions = bot.QuestionPolicy{Enabled: true, Deadline: bot.DefaultQuestionDeadline, RemindBefore: bot.DefaultRemindBefore,
		SendTo: bot.SendToLeads, KeepContacts: bot.DefaultKeepContacts}
	w := &world{forums: []*bot.Forum{ex, imp}, clock: &clock{}, typed: map[string]bool{}, last: last}
	w.clock.Set(time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC))
	w.db = sqlite.NewDB(path)
	w.db.Now = w.clock.Now
	if err := w.db.Open(); err != nil {
		t.Fatal(err)
	}
	chats := map[string]bot.Chat{"local": sink{}, "slack": sink{}, "discord": sink{}, "email": sink{}}
	eng, err := bot.New(w.forums, w.db, chats, bot.Options{Now: w.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w.eng = eng
	return w
}

var notes = []string{
	"Working group met twice; minutes published.",
	"Draft shared with civil society for comments.",
	"Budget line approved by the council.",
	"Public consultation held in three districts.",
}

// generate runs the months (when run) and records what members typed,
// the same for the same months whether run or copied.
func (w *world) generate(t testing.TB, months int, run bool) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(months), 7))
	event := 0
	for i := range months {
		p := w.last.Add(i - (months - 1))
		at := func(day, hour int) {
			w.clock.Set(time.Date(p.Year, p.Month, day, hour, 0, 0, 0, time.UTC))
			if !run {
				return
			}
			if err := w.eng.Tick(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := w.eng.Drain(ctx); err != nil {
				t.Fatal(err)
			}
		}
		at(1, 18)
		for _, f := range w.forums {
			r, err := w.db.Round(ctx, f.ID, p)
			if err != nil {
				if run && f.ID == "imported" {
					t.Fatalf("%s: no round in %s: %v", f.ID, p, err)
				}
				continue
			}
			for ci, c := range f.Plan.Commitments {
				for mi, m := range c.Committee {
					if rng.IntN(100) >= 70 {
						continue
					}
					level := min(3, max(0, i*4/months+rng.IntN(3)-1))
					if m.Group == bot.CivilSociety && ci%9 == 4 {
						level = 0
					}
					text := fmt.Sprintf("%s (typed by member %d on %s in %s)", notes[rng.IntN(len(notes))], mi, c.ID, p)
					values := map[string][]string{bot.FieldCompletion: {string(bot.Completions[level])}, bot.FieldProgress: {text}}
					w.typed[text] = true
					if rng.IntN(5) == 0 {
						b := fmt.Sprintf("Secret blocker %d of %s in %s", mi, c.ID, p)
						values[bot.FieldBlockers] = []string{b}
						values[bot.FieldNeeds] = []string{string(bot.Needs[rng.IntN(2)])}
						w.typed[b] = true
					}
					if rng.IntN(3) == 0 {
						values[bot.FieldEvidence] = []string{fmt.Sprintf("https://opengov.example.org/%s/%s/%s", f.ID, c.ID, p)}
					}
					if level >= 2 && len(c.Milestones) > 0 && rng.IntN(2) == 0 {
						values[bot.FieldMilestones] = []string{c.Milestones[rng.IntN(len(c.Milestones))].ID}
					}
					if !run {
						continue
					}
					w.clock.Set(time.Date(p.Year, p.Month, 2+mi%3, 10, 0, 0, 0, time.UTC))
					event++
					resp := w.eng.HandleEvent(ctx, bot.Event{ID: fmt.Sprintf("ev-%d", event), Kind: bot.EventForm, From: m.Who,
						FormRef: bot.FormRef{RoundID: r.ID, CommitmentID: c.ID}.String(), Values: values})
					if resp.Error != "" || resp.FieldErrors != nil {
						t.Fatalf("%s answering %s: %s %v", m.Who, c.ID, resp.Error, resp.FieldErrors)
					}
				}
			}
		}
		at(9, 12)
		if i == months-2 && run {
			// A correction after the round closed.
			f := w.forums[0]
			c := f.Plan.Commitments[0]
			r, err := w.db.Round(ctx, f.ID, p)
			if err == nil {
				event++
				resp := w.eng.HandleEvent(ctx, bot.Event{ID: fmt.Sprintf("ev-%d", event), Kind: bot.EventForm, From: c.Committee[0].Who,
					FormRef: bot.FormRef{RoundID: r.ID, CommitmentID: c.ID}.String(), Values: map[string][]string{bot.FieldCompletion: {string(bot.Substantial)}, bot.FieldProgress: {"Correction typed after the round closed"}}})
				w.typed["Correction typed after the round closed"] = true
				if resp.Error != "" || resp.FieldErrors != nil {
					t.Fatalf("correction: %s %v", resp.Error, resp.FieldErrors)
				}
			}
		}
	}
	w.questions(t, run)
	w.clock.Set(time.Date(2026, time.November, 30, 12, 0, 0, 0, time.UTC))
}

// questions asks the example forum's committees five questions in
// November 2026 through the engine, as the site's form does, and
// moderates and answers them as the chat adapters do: one answered on
// time (the injection), one answered late, one approved and overdue, one
// pending, one rejected.
func (w *world) questions(t testing.TB, run bool) {
	ctx := context.Background()
	f := w.forums[0]
	cs := f.Plan.Commitments
	asks := []struct {
		at          time.Time
		c           int
		text, email string
		name, org   string
		publish     bool
	}{
		{time.Date(2026, time.November, 10, 8, 0, 0, 0, time.UTC), 2, "When will the procurement data be open? (answered late)", "asker-e@example.net", "", "", false},
		{time.Date(2026, time.November, 10, 9, 0, 0, 0, time.UTC), 1, "Who audits the health budget? (approved, overdue)", "", "Dolores Private", "", false},
		{time.Date(2026, time.November, 12, 10, 0, 0, 0, time.UTC), 0, injection, "asker-a@example.net", "Ana Asker", "Barangay Watch", true},
		{time.Date(2026, time.November, 12, 10, 5, 0, 0, time.UTC), 0, "Pending secret question from Bea", "asker-b@example.net", "Bea Hidden", "Hidden Org", false},
		{time.Date(2026, time.November, 12, 10, 10, 0, 0, time.UTC), 1, "Rejected secret question about my neighbour", "asker-c@example.net", "", "", false},
	}
	w.private = []string{"asker-e@example.net", "asker-a@example.net", "asker-b@example.net", "asker-c@example.net",
		"Dolores Private", "Bea Hidden", "Hidden Org", asks[3].text, asks[4].text}
	w.public = []string{asks[0].text, asks[1].text, "Ana Asker", "The audit office publishes it every quarter", "Procurement data opens in December"}
	if !run {
		return
	}
	for _, a := range asks {
		w.clock.Set(a.at)
		_, errs, err := w.eng.Ask(ctx, bot.Asking{ForumID: f.ID, Commitment: cs[a.c].ID, Text: a.text, Name: a.name, Organisation: a.org,
			PublishName: a.publish, Email: a.email, Locale: "en"})
		if err != nil || errs != nil {
			t.Fatalf("asking %q: %v %v", a.text, err, errs)
		}
	}
	coord := f.Coordinators[0]
	event := func(at time.Time, ev bot.Event) {
		w.clock.Set(at)
		ev.ID = fmt.Sprintf("q-ev-%d-%s", at.Unix(), ev.Value+ev.FormRef)
		if resp := w.eng.HandleEvent(ctx, ev); resp.Error != "" || resp.FieldErrors != nil {
			t.Fatalf("%+v: %s %v", ev, resp.Error, resp.FieldErrors)
		}
	}
	noon := time.Date(2026, time.November, 12, 12, 0, 0, 0, time.UTC)
	for _, id := range []string{"1", "2", "3"} {
		event(noon, bot.Event{Kind: bot.EventButton, From: coord, Action: bot.ActionApproveQuestion, Value: "qp:" + id})
	}
	event(noon, bot.Event{Kind: bot.EventForm, From: coord, FormRef: "qr:5", Values: map[string][]string{"reason": {"off_topic"}}})
	event(time.Date(2026, time.November, 13, 9, 0, 0, 0, time.UTC), bot.Event{Kind: bot.EventForm, From: cs[0].Committee[0].Who, FormRef: "qa:3",
		Values: map[string][]string{"answer": {"The audit office publishes it every quarter. <b>Really</b> @here"}, bot.FieldEvidence: {"https://opengov.example.org/answers/q3"}}})
	event(time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC), bot.Event{Kind: bot.EventForm, From: cs[2].Committee[0].Who, FormRef: "qa:1",
		Values: map[string][]string{"answer": {"Procurement data opens in December."}}})
}

// newSite publishes both forums, with the members' words as text says.
func (w *world) newSite(t testing.TB, text bool) *site.Site {
	t.Helper()
	var fs []site.Forum
	for _, f := range w.forums {
		fs = append(fs, site.Forum{Forum: f, Licence: "CC-BY-4.0", LicenceURL: config.Licences["CC-BY-4.0"], Contact: "opengov@example.org", Text: text, Evidence: true})
	}
	s, err := site.New(site.Config{Engine: w.eng, Store: w.db, Forums: fs, Path: "/site/", Locale: "en", Now: w.clock.Now,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), FormSecret: formSecret})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clock is a settable clock.
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

// sink accepts every message: the site needs the engine's record, not a
// platform.
type sink struct{}

func (sink) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	return bot.MessageRef{Platform: out.To.Platform(), Channel: "D" + out.To.ID(), ID: fmt.Sprint(time.Now().UnixNano())}, nil
}
func (sink) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	return bot.MessageRef{}, false, nil
}
func (sink) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error { return nil }
func (sink) Listen(ctx context.Context, h bot.Handler) error                       { <-ctx.Done(); return nil }
