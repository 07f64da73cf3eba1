package sqlite_test

import (
	"fmt"
	"sync"
	"testing"

	"forumbot/bot"
)

// TestConcurrentAnswersAreStoredEachOnce sends 200 answers at once, with
// redelivered events and one answer to a round that does not exist among
// them: every good answer is stored once with the right version, each
// redelivery finds the stored answer, and only the bad answer fails.
func TestConcurrentAnswersAreStoredEachOnce(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db)
	type result struct {
		u     bot.Update
		added bool
		err   error
	}
	const n = 200
	results := make([]result, n+20+1)
	var wg sync.WaitGroup
	answer := func(i int, member bot.Address, event string, round int64) {
		defer wg.Done()
		u, added, err := db.AddUpdate(ctx, bot.Update{ForumID: "f", Period: nov, RoundID: round, CommitmentID: "C1", Member: member,
			Group: bot.Government, Organisation: "O", Completion: bot.Limited, Source: bot.SourceForm, SubmittedAt: t0, EventID: event})
		results[i] = result{u, added, err}
	}
	for i := range n {
		wg.Add(1)
		go answer(i, bot.Address(fmt.Sprintf("local:m%d", i%50)), fmt.Sprintf("e%d", i), r.ID)
	}
	for i := range 20 { // redeliveries of events e0..e19
		wg.Add(1)
		go answer(n+i, bot.Address(fmt.Sprintf("local:m%d", i%50)), fmt.Sprintf("e%d", i), r.ID)
	}
	wg.Add(1)
	go answer(n+20, "local:bad", "bad", r.ID+999)
	wg.Wait()

	if err := results[n+20].err; bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("answer to a missing round: %v, want a conflict", err)
	}
	added := 0
	for i, res := range results[:n+20] {
		if res.err != nil {
			t.Fatalf("answer %d: %v", i, res.err)
		}
		if res.added {
			added++
		}
	}
	if added != n {
		t.Errorf("%d answers added, want %d (20 were redeliveries)", added, n)
	}
	all, err := db.Updates(ctx, bot.UpdateFilter{ForumID: "f"})
	if err != nil || len(all) != n {
		t.Fatalf("%d updates stored (%v), want %d", len(all), err, n)
	}
	versions := map[bot.Address][]int{}
	for _, u := range all {
		versions[u.Member] = append(versions[u.Member], u.Version)
	}
	for who, vs := range versions {
		for i, v := range vs {
			if v != i+1 {
				t.Errorf("%s: versions %v, want 1..%d in order", who, vs, len(vs))
				break
			}
		}
	}
	if head, err := db.ChainHead(ctx, "f"); err != nil || head.Entries != n {
		t.Errorf("chain: %+v %v, want %d entries", head, err, n)
	}
}

// TestLastRefs reads the newest sent message of each recipient at once;
// one never sent to is absent.
func TestLastRefs(t *testing.T) {
	db := MustOpenDB(t)
	r := mustRound(t, db, "local:a", "local:b", "local:c")
	prompts, err := db.Deliveries(ctx, r.ID, bot.KindPrompt)
	if err != nil || len(prompts) != 3 {
		t.Fatal(prompts, err)
	}
	refs := map[bot.Address]bot.MessageRef{}
	for i, d := range prompts[:2] {
		ref := bot.MessageRef{Platform: "local", Channel: "D" + d.To.ID(), ID: fmt.Sprint(i + 1)}
		if err := db.MarkSent(ctx, d.ID, ref, t0); err != nil {
			t.Fatal(err)
		}
		refs[d.To] = ref
	}
	got, err := db.LastRefs(ctx, []bot.Address{"local:a", "local:b", "local:c", "local:nobody"})
	if err != nil || fmt.Sprint(got) != fmt.Sprint(refs) {
		t.Errorf("LastRefs: %v %v, want %v", got, err, refs)
	}
}
