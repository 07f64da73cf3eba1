package discord_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
)

// BenchmarkInteractionAck measures how long Discord waits for the first
// response to a form submission when 200 members submit at once: the
// fake's gateway dispatches 200 MODAL_SUBMIT interactions, discordgo reads
// them, the engine stores each update in SQLite and the adapter edits the
// member's prompt, then answers. Latency is from the dispatch to the
// response reaching the fake, as Discord would measure it.
//
//	go test -run '^$' -bench InteractionAck -benchtime 5x ./adapters/discord
func BenchmarkInteractionAck(b *testing.B) {
	const members = 200
	fx := setup(b)
	ctx := context.Background()
	coord := fx.person("bench-coord")
	var committee strings.Builder
	var who []bot.Address
	for i := range members {
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
	w := newWorld(b, yaml, map[string]bot.Chat{"discord": fx.chat}, march)
	fx.use(b, w.eng)
	w.run(ctx, 2)
	forms := make([]*fakeForm, members)
	for i, m := range who {
		held := fx.f.Held(m)
		if len(held) != 1 {
			b.Fatalf("%s holds %d prompts", m, len(held))
		}
		seen, err := fx.f.OpenForm(ctx, m, held[0], held[0].FormRefs[0], bot.Substantial)
		if err != nil || seen.Form == nil {
			b.Fatalf("OpenForm: %+v %v", seen, err)
		}
		forms[i] = seen.Form.Platform.(*fakeForm)
	}
	values := map[string][]string{bot.FieldProgress: {"Benchmark progress"}, bot.FieldEvidence: {"https://bench.example"}}
	var all []time.Duration
	b.ResetTimer()
	for range b.N {
		lat := make([]time.Duration, members)
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
		all = append(all, lat...)
	}
	b.StopTimer()
	slices.Sort(all)
	pct := func(p float64) float64 { return float64(all[int(p*float64(len(all)-1))]) / float64(time.Millisecond) }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	us, err := w.store.Updates(ctx, bot.UpdateFilter{ForumID: "bench"})
	if err != nil || len(us) != members {
		b.Errorf("%d members' updates stored, want %d (%v)", len(us), members, err)
	}
}
