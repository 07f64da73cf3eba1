package sqlitetest_test

import (
	"context"
	"testing"

	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest"
)

// TestBuild seeds a small forum and finds a round per month, prompts sent,
// answers from most members and a digest per closed round.
func TestBuild(t *testing.T) {
	s := sqlitetest.Shape{Platform: "local", Commitments: 4, Committee: 5, People: 12, Months: 3}
	path, f := sqlitetest.Copy(t, s)
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	rounds, err := db.Rounds(ctx, f.ID)
	if err != nil || len(rounds) != 3 || rounds[2].Period != sqlitetest.Last {
		t.Fatalf("rounds: %+v %v", rounds, err)
	}
	for _, r := range rounds {
		if r.State != bot.RoundClosed {
			t.Errorf("round %s is %s", r.Period, r.State)
		}
		prompts, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
		if err != nil || len(prompts) != len(f.Members()) {
			t.Errorf("round %s: %d prompts for %d members (%v)", r.Period, len(prompts), len(f.Members()), err)
		}
		latest, err := db.PeriodAnswers(ctx, bot.AnswerFilter{ForumID: f.ID}, r.Period)
		if err != nil || len(latest) < 10 {
			t.Errorf("round %s: %d answers (%v)", r.Period, len(latest), err)
		}
		digests, err := db.Deliveries(ctx, r.ID, bot.KindDigest)
		if err != nil || len(digests) != 1 || digests[0].State != bot.Sent {
			t.Errorf("round %s: digests %+v (%v)", r.Period, digests, err)
		}
	}
}
