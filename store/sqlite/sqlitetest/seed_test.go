package sqlitetest_test

import (
	"context"
	"testing"

	"forumbot/bot"
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
