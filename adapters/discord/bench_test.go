package discord_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/chattest"
	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest"
)

// BenchmarkInteractionAck measures how long Discord waits for the first
// response to a form submission when 200 members submit at once: the
// fake's gateway dispatches 200 MODAL_SUBMIT interactions, discordgo reads
// them, the engine stores each update in SQLite and the adapter answers.
// Latency is from the dispatch to the response reaching the fake, as
// Discord would measure it. Before each iteration every member opens the
// form afresh from their prompt (a submitted form's panel no longer takes
// answers); each iteration waits until the adapter is idle, the prompts'
// refresh included, and fails unless every submission stored an update.
//
//   - History24Months: the standard seeded forum (100 commitments × 30
//     members from 600 people, 24 months of rounds) on Discord ids; the
//     members answer in its 25th round.
//   - EmptyDatabase: a committee of 200 in a forum's first round; not
//     what a forum with history meets.
//
// Run with:
//
//	go test -run '^$' -bench InteractionAck -benchtime 5x ./adapters/discord
func BenchmarkInteractionAck(b *testing.B) {
	b.Run("History24Months", func(b *testing.B) { benchmarkAck(b, seededAck(b)) })
	b.Run("EmptyDatabase", func(b *testing.B) { benchmarkAck(b, emptyAck(b)) })
}

// ackMembers is how many members submit at once.
const ackMembers = 200

// ackWorld is an engine on the shared fixture whose next tick opens a
// round for members.
type ackWorld struct {
	fx      *fixture
	w       *world
	forumID string
	members []bot.Address
}

// emptyAck is a forum's first round for a committee of ackMembers.
func emptyAck(b *testing.B) ackWorld {
	fx := setup(b)
	coord := fx.person("bench-coord")
	var committee strings.Builder
	var who []bot.Address
	for i := range ackMembers {
		m := fx.person(fmt.Sprintf("bench%d", i))
		who = append(who, m)
		fmt.Fprintf(&committee, "            - {who: %s, name: B%d, group: civil_society, org: Org%d}\n", m, i, i%20)
	}
	yaml := fmt.Sprintf(`
forums:
  - id: bench
    name: Bench Forum
    timezone: UTC
    digest_channel: discord:%s
    coordinators: [%s]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: One
          committee:
%s`, fx.f.addChannel(), coord, committee.String())
	return ackWorld{fx: fx, w: newWorld(b, yaml, map[string]bot.Chat{"discord": fx.chat}, march), forumID: "bench", members: who}
}

// seededAck is the 25th round of the standard seeded forum on Discord
// ids, its people added to the fake; the members are the first
// ackMembers people on its committees.
func seededAck(b *testing.B) ackWorld {
	fx := setup(b)
	shape := sqlitetest.Standard
	shape.Platform = "discord"
	path, forum := sqlitetest.Copy(b, shape)
	db := sqlite.NewDB(path)
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	for i := range shape.People + 1 {
		fx.f.addPersonID(shape.Address(i).ID())
	}
	next := sqlitetest.Last.Add(1)
	start := time.Date(next.Year, next.Month, 1, 9, 0, 0, 0, forum.Location)
	w := newWorldOf(b, []*bot.Forum{forum}, db, map[string]bot.Chat{"discord": fx.chat}, start, bot.SenderOptions{})
	a := ackWorld{fx: fx, w: w, forumID: forum.ID}
	seen := map[bot.Address]bool{}
	for _, c := range forum.Plan.Commitments {
		for _, m := range c.Committee {
			if !seen[m.Who] && len(a.members) < ackMembers {
				seen[m.Who] = true
				a.members = append(a.members, m.Who)
			}
		}
	}
	return a
}

// addPersonID adds a person with a given id.
func (f *fakeDiscord) addPersonID(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = &discordgo.User{ID: id, Username: "person" + id}
}

func benchmarkAck(b *testing.B, a ackWorld) {
	fx, w := a.fx, a.w
	ctx := context.Background()
	fx.use(b, w.eng)
	w.run(ctx, 2)
	open, err := w.store.OpenRounds(ctx)
	if err != nil || len(open) != 1 {
		b.Fatalf("open rounds: %v %v, want one", open, err)
	}
	round := open[0]
	stored := func() int {
		us, err := w.store.Updates(ctx, bot.UpdateFilter{ForumID: a.forumID, RoundID: round.ID})
		if err != nil {
			b.Fatal(err)
		}
		return len(us)
	}
	prompts := make([]chattest.Held, len(a.members))
	for i, m := range a.members {
		prompts[i] = formPrompt(b, fx.f, m)
	}
	values := map[string][]string{bot.FieldProgress: {"Benchmark progress"}, bot.FieldEvidence: {"https://bench.example"}}
	forms := make([]*fakeForm, len(a.members))
	var all []time.Duration
	b.ResetTimer()
	for n := range b.N {
		b.StopTimer()
		for i, m := range a.members {
			refs := prompts[i].FormRefs
			seen, err := fx.f.OpenForm(ctx, m, prompts[i], refs[n%len(refs)], bot.Substantial)
			if err != nil || seen.Form == nil {
				b.Fatalf("OpenForm: %+v %v", seen, err)
			}
			forms[i] = seen.Form.Platform.(*fakeForm)
		}
		before := stored()
		b.StartTimer()
		lat := make([]time.Duration, len(forms))
		var wg sync.WaitGroup
		for i, ff := range forms {
			wg.Go(func() {
				p := fx.f.submitModal(ff, values)
				if _, err := fx.f.await(ctx, p); err != nil {
					b.Error(err)
					return
				}
				fx.f.mu.Lock()
				lat[i] = p.acked.Sub(p.at)
				fx.f.mu.Unlock()
			})
		}
		wg.Wait()
		fx.chat.WaitIdle()
		b.StopTimer()
		if got := stored() - before; got != len(forms) {
			b.Fatalf("iteration %d: %d of %d submissions stored an update", n, got, len(forms))
		}
		all = append(all, lat...)
		b.StartTimer()
	}
	b.StopTimer()
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}

// formPrompt returns who's message that offers forms.
func formPrompt(b *testing.B, f *fakeDiscord, who bot.Address) chattest.Held {
	b.Helper()
	for _, h := range f.Held(who) {
		if len(h.FormRefs) > 0 {
			return h
		}
	}
	b.Fatalf("%s holds no prompt with a form", who)
	return chattest.Held{}
}
