package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/storetest"
)

// TestLevelCountsOfManyCommitments checks that asking for many
// commitments at once (read as the periods' whole counts, then filtered)
// gives what asking for each one gives (read by seeking it): the asked
// commitments' counts, none of the others', in the same order.
func TestLevelCountsOfManyCommitments(t *testing.T) {
	ctx := context.Background()
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "counts.db"))
	if err := db.Open(); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	periods := storetest.RandomRecord(t, db, 400, 11)
	for _, through := range []bot.Period{periods[len(periods)-1], periods[2]} {
		// C1 is left out; the unknown ones make the list long.
		many := []string{"C0", "C2"}
		for i := range 30 {
			many = append(many, fmt.Sprintf("X%d", i))
		}
		got, err := db.LevelCounts(ctx, "f", many, through)
		if err != nil {
			t.Fatal(err)
		}
		var want []bot.LevelCount
		for _, c := range []string{"C0", "C2"} {
			one, err := db.LevelCounts(ctx, "f", []string{c}, through)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, one...)
		}
		if countsString(got) != countsString(want) || len(want) == 0 {
			t.Errorf("through %s, counts of many commitments:\n%s\nwant\n%s", through, countsString(got), countsString(want))
		}
		for _, lc := range got {
			if lc.CommitmentID == "C1" {
				t.Errorf("through %s: counts of C1, which was not asked: %+v", through, lc)
			}
		}
		// The two periods read whole come in the order of the seeks.
		few, err := db.LevelCounts(ctx, "f", []string{"C0", "C1", "C2"}, through)
		if err != nil {
			t.Fatal(err)
		}
		all, err := db.LevelCounts(ctx, "f", append([]string{"C0", "C1", "C2"}, many[2:]...), through)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(all) != fmt.Sprint(few) {
			t.Errorf("through %s, order differs:\n%v\nwant\n%v", through, all, few)
		}
	}
}
