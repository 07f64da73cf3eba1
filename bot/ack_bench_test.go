package bot_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"forumbot/bot"
)

// BenchmarkAck200 answers 200 form submissions at once, each from its own
// member, through the engine on a temp-file SQLite store: the time from the
// event to the response is what a platform waits for (store first, then
// confirm). It reports the median and the 99th percentile.
func BenchmarkAck200(b *testing.B) {
	const n = 200
	yaml := `
forums:
  - id: f1
    name: Load Forum
    timezone: UTC
    digest_channel: local:digest
    coordinators: [local:coord]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
`
	for c := range 20 {
		yaml += fmt.Sprintf("        - id: C%d\n          title: Commitment %d\n          committee:\n", c, c)
		for m := range n / 20 {
			yaml += fmt.Sprintf("            - {who: local:m%d, name: M%d, group: %s, org: O%d}\n", c*10+m, c*10+m, []string{"government", "civil_society"}[m%2], m)
		}
	}
	h := newHarness(b, yaml, time.Date(2026, time.November, 1, 9, 0, 0, 0, time.UTC))
	h.atTime(h.clock.Now())
	rounds, _ := h.store.Rounds(h.ctx, "f1")
	var lat []time.Duration
	seq := 0
	for b.Loop() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := make(chan struct{})
		for i := range n {
			seq++
			ev := bot.Event{
				ID: fmt.Sprintf("e%d", seq), Kind: bot.EventForm, From: bot.Address(fmt.Sprintf("local:m%d", i)),
				FormRef: bot.FormRef{RoundID: rounds[0].ID, CommitmentID: fmt.Sprintf("C%d", i/10)}.String(),
				Values:  map[string][]string{bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {"progress"}},
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				t0 := time.Now()
				r := h.eng.HandleEvent(h.ctx, ev)
				d := time.Since(t0)
				if r.Error != "" || r.FieldErrors != nil {
					panic(r.Error)
				}
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
