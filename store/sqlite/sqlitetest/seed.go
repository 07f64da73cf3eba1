// Package sqlitetest builds forumbot databases with history, for benchmarks
// that must measure what production does on data the size forums have: a
// forum of many commitments, committees of people who sit on several, and
// months of rounds run through the real engine (prompts sent, answers
// submitted as forms, edits, notes, reminders, absences, rounds closed with
// their digests). A database is built once per shape and cached under
// os.UserCacheDir(), keyed by the shape and the schema version; each caller
// gets its own copy.
package sqlitetest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
)

// seederVersion changes when the seeding changes what it writes, so that
// stale cached databases are not reused.
const seederVersion = 4

// Shape is the size of a seeded instance: one forum, or several alike.
type Shape struct {
	// Platform prefixes the members' addresses: local, slack or discord.
	Platform string
	// Forums alike, each with its own people; 0 is one.
	Forums int
	// Commitments of each forum, each with a committee of Committee
	// members drawn from the forum's pool of People, so that people sit on
	// several committees.
	Commitments, Committee, People int
	// Months of rounds, ending with the round of Last.
	Months int
}

// Last is the period of a seeded forum's latest round.
var Last = bot.Period{Year: 2026, Month: time.November}

// Standard is the shape the digest target is set for: 100 commitments of
// 30 members from 600 people, 24 months.
var Standard = Shape{Platform: "local", Commitments: 100, Committee: 30, People: 600, Months: 24}

func (s Shape) String() string {
	forums := ""
	if s.forums() > 1 {
		forums = fmt.Sprintf("-f%d", s.forums())
	}
	return fmt.Sprintf("%s%s-c%d-m%d-p%d-%dmo", s.Platform, forums, s.Commitments, s.Committee, s.People, s.Months)
}

func (s Shape) forums() int { return max(1, s.Forums) }

// Address is the address of person i of a seeded instance. The first
// forum's members are people 0 to People-1 and its coordinator is person
// People; the second forum's are the next People+1, and so on.
func (s Shape) Address(i int) bot.Address {
	switch s.Platform {
	case "slack":
		return bot.Address(fmt.Sprintf("slack:U%08d", i))
	case "discord":
		return bot.Address(fmt.Sprintf("discord:%d", 100000000000000000+i))
	}
	return bot.Address(fmt.Sprintf("%s:p%05d", s.Platform, i))
}

// Channel is the digest channel of a seeded instance's first forum.
func (s Shape) Channel() bot.Address { return s.channel(0) }

func (s Shape) channel(k int) bot.Address {
	switch s.Platform {
	case "slack":
		return bot.Address(fmt.Sprintf("slack:C%dDIGEST", k))
	case "discord":
		return bot.Address(fmt.Sprintf("discord:%d", 200000000000000000+k))
	}
	if k == 0 {
		return bot.Address(s.Platform + ":digest")
	}
	return bot.Address(fmt.Sprintf("%s:digest-%02d", s.Platform, k))
}

// YAML is the instance's configuration: its forums: section.
func (s Shape) YAML() string {
	var b strings.Builder
	b.WriteString("forums:\n")
	for k := range s.forums() {
		s.forumYAML(&b, k)
	}
	return b.String()
}

// ForumFile is forum k of the instance as a file of forum_files (a
// forums: list of one), within the size a configuration file may have
// however many forums the instance has.
func (s Shape) ForumFile(k int) string {
	var b strings.Builder
	b.WriteString("forums:\n")
	s.forumYAML(&b, k)
	return b.String()
}

// WriteForumFiles makes the directory dir and writes each forum of the
// instance to it as forum-NN.yaml, a file of forum_files, returning the
// bytes of YAML written.
func (s Shape) WriteForumFiles(dir string) (int, error) {
	if err := os.Mkdir(dir, 0o700); err != nil {
		return 0, err
	}
	total := 0
	for k := range s.forums() {
		body := s.ForumFile(k)
		total += len(body)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("forum-%02d.yaml", k)), []byte(body), 0o600); err != nil {
			return total, err
		}
	}
	return total, nil
}

// forumYAML writes forum k's entry of the forums: section. The first
// forum is "seeded"; the others are "seeded-01" and on, each with its own
// people and a coordinator who is none of them.
func (s Shape) forumYAML(b *strings.Builder, k int) {
	id, name := "seeded", "Seeded Forum"
	if k > 0 {
		id, name = fmt.Sprintf("seeded-%02d", k), fmt.Sprintf("Seeded Forum %d", k)
	}
	person := func(p int) bot.Address { return s.Address(k*(s.People+1) + p) }
	start := Last.Add(-(s.Months - 1))
	fmt.Fprintf(b, "  - id: %s\n    name: %s\n    timezone: America/Asuncion\n    locale: es\n", id, name)
	fmt.Fprintf(b, "    digest_channel: %s\n    coordinators: [%s]\n", s.channel(k), person(s.People))
	b.WriteString("    schedule: {prompt: \"0 9 1 * *\", window: 7d, reminders: [3d, 6d]}\n")
	fmt.Fprintf(b, "    plan:\n      id: SEEDED\n      start: %s\n      end: %s\n      commitments:\n", start.First(), Last.Add(6).Last())
	for c := range s.Commitments {
		fmt.Fprintf(b, "        - id: C%04d\n          title: Commitment %d on open contracting and civic participation\n", c, c)
		fmt.Fprintf(b, "          lead_agency: Agency %d\n          milestones:\n", c%40)
		for m := range 3 {
			due := start.Add((c + m*8) % (s.Months + 6)).Last()
			fmt.Fprintf(b, "            - {id: M%d, title: Milestone %d of commitment %d, due: %s}\n", m+1, m+1, c, due)
		}
		b.WriteString("          committee:\n")
		seen := map[int]bool{}
		for m := 0; len(seen) < min(s.Committee, s.People); m++ {
			p := (c*7 + m*13) % s.People
			if seen[p] {
				p = (p + m) % s.People
				if seen[p] {
					continue
				}
			}
			seen[p] = true
			group := []string{"government", "civil_society"}[p%2]
			fmt.Fprintf(b, "            - {who: %q, name: Person %d, group: %s, org: Organisation %d}\n", person(p), k*(s.People+1)+p, group, p%80)
		}
	}
}

// Forum parses the configuration of the instance's first forum.
func (s Shape) Forum() (*bot.Forum, error) { return s.parse(0) }

// AllForums parses the configuration of each of the instance's forums. Each
// is parsed on its own, as a file of forum_files: 50 forums of 100
// commitments of 30 members make 16 MB of YAML, over the 8 MiB a
// configuration file may have.
func (s Shape) AllForums() ([]*bot.Forum, error) {
	fs := make([]*bot.Forum, s.forums())
	for k := range fs {
		f, err := s.parse(k)
		if err != nil {
			return nil, err
		}
		fs[k] = f
	}
	return fs, nil
}

func (s Shape) parse(k int) (*bot.Forum, error) {
	cfg, err := config.Parse([]byte(s.ForumFile(k)), "seeded.yaml", config.Options{})
	if err != nil {
		return nil, err
	}
	return cfg.Forums[0], nil
}

// building serialises builds within a process; across processes a build
// writes a temporary file and renames it.
var building sync.Mutex

// Copy returns a private copy of the seeded database of shape s, building
// and caching it first if needed, and the forum. The copy lives in the
// test's temporary directory.
func Copy(tb testing.TB, s Shape) (string, *bot.Forum) {
	tb.Helper()
	f, err := s.Forum()
	if err != nil {
		tb.Fatal(err)
	}
	cached, err := Cached(s)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "seeded.db")
	if err := copyFile(cached, path); err != nil {
		tb.Fatal(err)
	}
	return path, f
}

// Cached returns the path of the cached seeded database of shape s,
// building it if it is missing. Callers that write must use a copy.
func Cached(s Shape) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "forumbot-bench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-schema%d-%s-seed%d.db", s, sqlite.SchemaVersion(), sqlite.SchemaDigest(), seederVersion))
	building.Lock()
	defer building.Unlock()
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	os.Remove(tmp)
	if err := Build(tmp, s); err != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("seeding %s: %w", s, err)
	}
	return path, os.Rename(tmp, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	// Written to the disk before it is used: otherwise the first
	// checkpoint's sync, inside whatever a benchmark times, writes back
	// the whole copy (85 MB for the standard 24-month forum).
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Build writes the seeded database of shape s at path, through the real
// engine on a clock that runs the months in order.
func Build(path string, s Shape) error {
	fs, err := s.AllForums()
	if err != nil {
		return err
	}
	clock := &clock{}
	db := sqlite.NewDB(path)
	db.Now = clock.Now
	if err := db.Open(); err != nil {
		return err
	}
	defer db.Close()
	chat := &sink{}
	eng, err := bot.New(fs, db, map[string]bot.Chat{s.Platform: chat}, bot.Options{
		Now: clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Sender: bot.SenderOptions{Workers: 8},
	})
	if err != nil {
		return err
	}
	sd := &seeder{ctx: context.Background(), eng: eng, db: db, fs: fs, s: s, clock: clock, rng: rand.New(rand.NewPCG(uint64(s.Commitments), uint64(s.Months)))}
	for i := range s.Months {
		if err := sd.month(Last.Add(i - (s.Months - 1))); err != nil {
			return err
		}
	}
	return nil
}

// seeder runs one seeded instance's months.
type seeder struct {
	ctx   context.Context
	eng   *bot.Engine
	db    *sqlite.DB
	fs    []*bot.Forum
	s     Shape
	clock *clock
	rng   *rand.Rand
	event int
}

var notes = []string{
	"La mesa de trabajo se reunió dos veces; las actas están publicadas en el portal.",
	"Se compartió el borrador con la sociedad civil para comentarios hasta fin de mes.",
	"El concejo aprobó la partida presupuestaria; falta la reglamentación.",
	"Consulta pública realizada en tres distritos con 240 participantes.",
	"La contratación de la plataforma se demoró por una impugnación.",
}

// at sets the clock to day d of p at hh:00 and runs a tick and a drain.
func (sd *seeder) at(p bot.Period, d, hh int) error {
	sd.clock.Set(time.Date(p.Year, p.Month, d, hh, 0, 0, 0, sd.fs[0].Location))
	if err := sd.eng.Tick(sd.ctx); err != nil {
		return err
	}
	_, err := sd.eng.Drain(sd.ctx)
	return err
}

// month runs the rounds of p: prompts on the 1st, answers on the 2nd,
// the first reminder on the 4th, more answers on the 5th, the close on the
// 8th.
func (sd *seeder) month(p bot.Period) error {
	if err := sd.at(p, 1, 9); err != nil {
		return err
	}
	rounds := make([]bot.Round, len(sd.fs))
	for k, f := range sd.fs {
		r, err := sd.db.Round(sd.ctx, f.ID, p)
		if err != nil {
			return err
		}
		rounds[k] = r
	}
	for _, day := range []int{2, 5} {
		if day == 5 {
			if err := sd.at(p, 4, 9); err != nil {
				return err
			}
		}
		for k, f := range sd.fs {
			if err := sd.answer(p, f, rounds[k], day); err != nil {
				return err
			}
		}
	}
	return sd.at(p, 8, 9)
}

// answer has about half the members who still owe answer each of their
// commitments on day d, by form; some edit, some add a note.
func (sd *seeder) answer(p bot.Period, f *bot.Forum, r bot.Round, day int) error {
	sd.clock.Set(time.Date(p.Year, p.Month, day, 10, 0, 0, 0, f.Location))
	base := min(3, sd.monthIndex(p)*4/max(sd.s.Months, 1))
	for _, c := range f.Plan.Commitments {
		for _, m := range c.Committee {
			if sd.rng.IntN(100) >= 55 {
				continue
			}
			level := min(3, max(0, base+sd.rng.IntN(3)-1))
			values := map[string][]string{
				bot.FieldCompletion: {string(bot.Completions[level])},
				bot.FieldProgress:   {notes[sd.rng.IntN(len(notes))]},
			}
			if sd.rng.IntN(8) == 0 {
				values[bot.FieldBlockers] = []string{"Falta la aprobación del presupuesto del concejo."}
				values[bot.FieldNeeds] = []string{string(bot.Needs[sd.rng.IntN(2)])}
			}
			if sd.rng.IntN(4) == 0 {
				values[bot.FieldEvidence] = []string{fmt.Sprintf("https://gobiernoabierto.example.org/%s/%s", c.ID, p)}
			}
			if level >= 2 && sd.rng.IntN(3) == 0 {
				values[bot.FieldMilestones] = []string{c.Milestones[sd.rng.IntN(len(c.Milestones))].ID}
			}
			for range 1 + btoi(sd.rng.IntN(15) == 0) {
				if err := sd.submit(m.Who, bot.FormRef{RoundID: r.ID, CommitmentID: c.ID}, values); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (sd *seeder) monthIndex(p bot.Period) int {
	first := Last.Add(-(sd.s.Months - 1))
	return (p.Year-first.Year)*12 + int(p.Month) - int(first.Month)
}

func (sd *seeder) submit(who bot.Address, ref bot.FormRef, values map[string][]string) error {
	sd.event++
	resp := sd.eng.HandleEvent(sd.ctx, bot.Event{
		ID: fmt.Sprintf("seed-%d", sd.event), Kind: bot.EventForm, From: who, FormRef: ref.String(), Values: values,
	})
	if resp.Error != "" || resp.FieldErrors != nil {
		return fmt.Errorf("%s answering %s: %s %v", who, ref, resp.Error, resp.FieldErrors)
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// clock is the seeder's settable clock.
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

// sink is the chat of a seeding run: it accepts every message and keeps
// nothing but a counter for references. Seeding needs the engine's record
// of sent prompts, not a platform.
type sink struct {
	mu sync.Mutex
	n  int
}

func (s *sink) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return bot.MessageRef{Platform: out.To.Platform(), Channel: "D" + out.To.ID(), ID: fmt.Sprint(s.n)}, nil
}

func (s *sink) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	return bot.MessageRef{}, false, nil
}

func (s *sink) Update(ctx context.Context, ref bot.MessageRef, msg bot.Message) error { return nil }

func (s *sink) Listen(ctx context.Context, h bot.Handler) error {
	<-ctx.Done()
	return nil
}
