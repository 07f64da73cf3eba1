package sqlitetest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest"
)

// TestBuild seeds an instance of two small forums and finds in each a
// round per month, prompts sent, answers from most members and a digest
// per closed round; the two forums share no one.
func TestBuild(t *testing.T) {
	s := sqlitetest.Shape{Platform: "local", Forums: 2, Commitments: 4, Committee: 5, People: 12, Months: 3}
	path, first := sqlitetest.Copy(t, s)
	fs, err := s.AllForums()
	if err != nil || len(fs) != 2 || fs[0].ID != first.ID || fs[1].ID == first.ID {
		t.Fatalf("forums %v, the first %s: %v", fs, first.ID, err)
	}
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seen := map[bot.Address]string{}
	for _, f := range fs {
		who := []bot.Address{f.DigestChannel}
		who = append(who, f.Coordinators...)
		for _, m := range f.Members() {
			who = append(who, m.Who)
		}
		for _, a := range who {
			if other, ok := seen[a]; ok && other != f.ID {
				t.Errorf("%s is in %s and %s", a, other, f.ID)
			}
			seen[a] = f.ID
		}
		checkForum(t, db, f)
	}
}

func checkForum(t *testing.T, db *sqlite.DB, f *bot.Forum) {
	t.Helper()
	ctx := context.Background()
	rounds, err := db.Rounds(ctx, f.ID)
	if err != nil || len(rounds) != 3 || rounds[2].Period != sqlitetest.Last {
		t.Fatalf("%s rounds: %+v %v", f.ID, rounds, err)
	}
	for _, r := range rounds {
		if r.State != bot.RoundClosed {
			t.Errorf("%s round %s is %s", f.ID, r.Period, r.State)
		}
		prompts, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		if err != nil || len(prompts) != len(f.Members()) {
			t.Errorf("%s round %s: %d prompts for %d members (%v)", f.ID, r.Period, len(prompts), len(f.Members()), err)
		}
		latest, err := db.PeriodAnswers(ctx, bot.AnswerFilter{ForumID: f.ID}, r.Period)
		if err != nil || len(latest) < 10 {
			t.Errorf("%s round %s: %d answers (%v)", f.ID, r.Period, len(latest), err)
		}
		digests, err := db.Deliveries(ctx, r.ID, bot.KindDigest)
		if err != nil || len(digests) != 1 || digests[0].State != bot.Sent {
			t.Errorf("%s round %s: digests %+v (%v)", f.ID, r.Period, digests, err)
		}
	}
}

// BenchmarkConfigFiftyForums writes the 5,000-commitment instance of the
// benchmarks (50 forums of 100 commitments, committees of 30) as a
// configuration with a file per forum and loads it, as serve and validate
// do: more YAML than one configuration file may hold, every forum and
// commitment found.
func BenchmarkConfigFiftyForums(b *testing.B) {
	s := sqlitetest.Shape{Platform: "local", Forums: 50, Commitments: 100, Committee: 30, People: 600, Months: 1}
	dir := b.TempDir()
	total, err := s.WriteForumFiles(filepath.Join(dir, "forums"))
	if err != nil {
		b.Fatal(err)
	}
	if total <= config.MaxFileSize {
		b.Fatalf("the instance's forums are %d bytes of YAML, within one file's %d: the test shows nothing", total, config.MaxFileSize)
	}
	main := filepath.Join(dir, "forumbot.yaml")
	if err := os.WriteFile(main, []byte("store: {path: forumbot.db}\nforum_files: [forums/*.yaml]\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var cfg *config.Config
	for b.Loop() {
		if cfg, err = config.Load(main, config.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total)/(1<<20), "MiB-of-yaml")
	commitments := 0
	for _, f := range cfg.Forums {
		commitments += len(f.Plan.Commitments)
	}
	if len(cfg.Forums) != 50 || commitments != 5000 || cfg.Forums[49].ID != "seeded-49" {
		b.Errorf("%d forums, %d commitments, the last %s; want 50, 5,000 and seeded-49", len(cfg.Forums), commitments, cfg.Forums[len(cfg.Forums)-1].ID)
	}
}
