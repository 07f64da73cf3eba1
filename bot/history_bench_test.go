package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
	"forumbot/store/sqlite"
	"forumbot/store/sqlite/sqlitetest"
)

// The benchmarks in this file run on databases with history, built through
// the real engine by sqlitetest (cached under the user cache directory; the
// first run of a shape builds it, about a minute for 24 months of the
// standard forum). Each measures what serve does.

// historyShapes are the history axis of the scaling table: the standard
// forum at 1, 12 and 24 months.
var historyShapes = []sqlitetest.Shape{
	withMonths(sqlitetest.Standard, 1),
	withMonths(sqlitetest.Standard, 12),
	sqlitetest.Standard,
}

func withMonths(s sqlitetest.Shape, months int) sqlitetest.Shape {
	s.Months = months
	return s
}

// big is 1,000 commitments of 30 members from 6,000 people, 24 months.
var big = sqlitetest.Shape{Platform: "local", Commitments: 1000, Committee: 30, People: 6000, Months: 24}

// sizes are the size axis of the scaling table, with one month of
// history: a forum of 1,000 commitments, and an instance of 5,000 as 50
// forums like the standard one, each with its own 600 people, configured
// with a file per forum (forum_files). 5,000 over 24 months
// would take most of a day to build on the benchmark machine.
var sizes = []sqlitetest.Shape{
	withMonths(big, 1),
	{Platform: "local", Forums: 50, Commitments: 100, Committee: 30, People: 600, Months: 1},
}

// shapesFor returns the history shapes, the big one when
// FORUMBOT_BENCH_BIG is set (its first build takes about a quarter of an
// hour), and the sizes when FORUMBOT_BENCH_SIZES is (a few minutes).
func shapesFor() []sqlitetest.Shape {
	shapes := historyShapes
	if os.Getenv("FORUMBOT_BENCH_BIG") != "" {
		shapes = append(shapes, big)
	}
	if os.Getenv("FORUMBOT_BENCH_SIZES") != "" {
		shapes = append(shapes, sizes...)
	}
	return shapes
}

// seededEngine opens a copy of the seeded database of s with an engine on
// the local chat, its clock at now. f is the first of its forums, the one
// digests and status replies are asked of.
type seededEngine struct {
	db    *sqlite.DB
	eng   *bot.Engine
	fs    []*bot.Forum
	f     *bot.Forum
	chat  *local.Chat
	clock *clock
	// close stops the chat's listener and closes the database, once.
	close func()
}

func openSeeded(b *testing.B, s sqlitetest.Shape, now time.Time) *seededEngine {
	b.Helper()
	path, _ := sqlitetest.Copy(b, s)
	fs, err := s.AllForums()
	if err != nil {
		b.Fatal(err)
	}
	c := &clock{now: now}
	db := sqlite.NewDB(path)
	db.Now = c.Now
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	chat := local.New()
	chat.Platform = s.Platform
	eng, err := bot.New(fs, db, map[string]bot.Chat{s.Platform: chat}, bot.Options{
		Now: c.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		chat.Listen(ctx, eng)
	}()
	se := &seededEngine{db: db, eng: eng, fs: fs, f: fs[0], chat: chat, clock: c, close: sync.OnceFunc(func() {
		cancel()
		<-done
		db.Close()
	})}
	b.Cleanup(se.close)
	return se
}

// afterLast is a moment after the seeded forum's last round closed.
var afterLast = time.Date(sqlitetest.Last.Year, sqlitetest.Last.Month, 20, 12, 0, 0, 0, time.UTC)

// BenchmarkDigestFromStore computes and renders the digest of the last
// round as serve does: read from the store, build, render. In serve the
// record has changed since the last read (answers, outbox marks), and
// SQLite then drops every reader's page cache: so before each digest one
// member stores their answer again, unchanged, and the digest reads its
// pages afresh. The "-warm" sub-benchmarks leave the store untouched
// between digests, which serve never does, for comparison only.
func BenchmarkDigestFromStore(b *testing.B) {
	afterWrites(b, func(b *testing.B, se *seededEngine, change func()) {
		ctx, t := context.Background(), se.eng.Texts(se.f.Locale)
		b.ReportAllocs()
		for b.Loop() {
			change()
			d, err := se.eng.DigestData(ctx, se.f, sqlitetest.Last, nil, "")
			if err != nil {
				b.Fatal(err)
			}
			if msg := bot.RenderDigest(t, d); len(msg.Sections) == 0 || d.Response.Overall.Answered == 0 {
				b.Fatal("empty digest")
			}
		}
	})
}

// BenchmarkStatusFromStore answers "/forum status" for one commitment, as
// a coordinator asks it in chat: after the record changed, as
// BenchmarkDigestFromStore explains.
func BenchmarkStatusFromStore(b *testing.B) {
	afterWrites(b, func(b *testing.B, se *seededEngine, change func()) {
		coord := se.chat.As(se.f.Coordinators[0])
		for b.Loop() {
			change()
			resp, err := coord.Command(context.Background(), "status C0007")
			if err != nil || resp.Reply == nil {
				b.Fatalf("status: %v %+v", err, resp)
			}
		}
	})
}

// afterWrites runs bench on every shape twice: with change storing an
// answer before each operation (the shape's name), and with change doing
// nothing (its name and "-warm"). It reports the CPU time of bench's
// loop, the writes left out as their wall time is.
func afterWrites(b *testing.B, bench func(b *testing.B, se *seededEngine, change func())) {
	for _, s := range shapesFor() {
		for _, warm := range []bool{false, true} {
			b.Run(s.String()+warmSuffix(warm), func(b *testing.B) {
				se := openSeeded(b, s, afterLast)
				var cpu cpuTimer
				change := func() {}
				if !warm {
					write := se.rewriter(b)
					change = func() { cpu.exclude(b, write) }
				}
				cpu = startCPU()
				bench(b, se, change)
				cpu.report(b)
			})
		}
	}
}

func warmSuffix(warm bool) string {
	if warm {
		return "-warm"
	}
	return ""
}

// rewriter returns a write that changes the database but not its
// figures: one member of the last round storing their latest answer
// again as a new version with the same content.
func (se *seededEngine) rewriter(b *testing.B) func() {
	b.Helper()
	ctx := context.Background()
	r, err := se.db.Round(ctx, se.f.ID, sqlitetest.Last)
	if err != nil {
		b.Fatal(err)
	}
	c := se.f.Plan.Commitments[0]
	us, err := se.db.Updates(ctx, bot.UpdateFilter{Member: c.Committee[0].Who, RoundID: r.ID, CommitmentID: c.ID})
	if err != nil || len(us) == 0 {
		b.Fatalf("no answer to store again: %v", err)
	}
	u := us[len(us)-1]
	i := 0
	return func() {
		i++
		again := u
		again.ID, again.Version, again.EventID = 0, 0, fmt.Sprintf("bench-again-%d", i)
		if _, added, err := se.db.AddUpdate(ctx, again); err != nil || !added {
			b.Fatalf("store again: added %v, %v", added, err)
		}
	}
}

// nextRound opens the rounds after the seeded history and returns them,
// one per forum in se.fs's order, with their prompts still pending.
func (se *seededEngine) nextRound(b *testing.B) []bot.Round {
	b.Helper()
	p := sqlitetest.Last.Add(1)
	se.clock.Set(time.Date(p.Year, p.Month, 1, 9, 0, 0, 0, se.f.Location))
	if err := se.eng.Tick(context.Background()); err != nil {
		b.Fatal(err)
	}
	rounds := make([]bot.Round, len(se.fs))
	for k, f := range se.fs {
		r, err := se.db.Round(context.Background(), f.ID, p)
		if err != nil {
			b.Fatal(err)
		}
		rounds[k] = r
	}
	return rounds
}

// members counts the members of every forum.
func (se *seededEngine) members() int {
	n := 0
	for _, f := range se.fs {
		n += len(f.Members())
	}
	return n
}

// target is a member's answer to one commitment of a round.
type target struct {
	who bot.Address
	ref bot.FormRef
}

// form is the member's form for the target submitted as event id: a
// level and the progress text given.
func (tg target) form(id, progress string) bot.Event {
	return bot.Event{ID: id, Kind: bot.EventForm, From: tg.who, FormRef: tg.ref.String(),
		Values: map[string][]string{bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {progress}}}
}

// notStored says why resp does not confirm a stored form, or nil.
func notStored(resp bot.Response) error {
	if resp.Error != "" || resp.FieldErrors != nil || resp.Reply == nil {
		return fmt.Errorf("not stored: %q %v", resp.Error, resp.FieldErrors)
	}
	return nil
}

// targets lists every member's answer to each of their commitments in
// rounds (one per forum), in an order that spreads consecutive answers as
// a round's are spread: over the forums in turn, and within a forum over
// its commitments in turn (the first member of each committee, then the
// second of each, and so on), not a committee at a time.
func (se *seededEngine) targets(rounds []bot.Round) []target {
	per := make([][]target, len(se.fs))
	most := 0
	for k, f := range se.fs {
		for i := 0; ; i++ {
			n := len(per[k])
			for _, c := range f.Plan.Commitments {
				if i < len(c.Committee) {
					per[k] = append(per[k], target{c.Committee[i].Who, bot.FormRef{RoundID: rounds[k].ID, CommitmentID: c.ID}})
				}
			}
			if len(per[k]) == n {
				break
			}
		}
		most = max(most, len(per[k]))
	}
	var all []target
	for i := range most {
		for k := range per {
			if i < len(per[k]) {
				all = append(all, per[k][i])
			}
		}
	}
	return all
}

// BenchmarkRoundPrompts opens the next round on the history and drains its
// prompts through the local chat, which has no rate limit: the engine's
// own prompts per second, each prompt rendered from the store (the
// member's answers, their standing, the milestones done).
func BenchmarkRoundPrompts(b *testing.B) {
	for _, s := range shapesFor() {
		b.Run(s.String(), func(b *testing.B) {
			var sent int
			var elapsed, cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				se := openSeeded(b, s, afterLast)
				se.nextRound(b)
				b.StartTimer()
				start, cpu0 := time.Now(), cpuNow()
				n, err := se.eng.Drain(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				elapsed += time.Since(start)
				cpu += cpuNow() - cpu0
				sent += n
				if n != se.members() {
					b.Fatalf("%d prompts sent for %d members", n, se.members())
				}
				// One engine at a time, as serve runs: closed before the
				// next iteration opens its own, not all of them at the end.
				b.StopTimer()
				se.close()
				b.StartTimer()
			}
			b.ReportMetric(float64(sent)/elapsed.Seconds(), "prompts/s")
			// CPU per prompt moves less with the machine's load than
			// prompts a second do.
			b.ReportMetric(float64(cpu.Microseconds())/float64(sent), "cpu-µs/prompt")
		})
	}
}

// openPrompted opens the seeded database of s with a new round open and
// its prompts sent, and returns the members' prompts to answer.
func openPrompted(b *testing.B, s sqlitetest.Shape) (*seededEngine, []target) {
	b.Helper()
	se := openSeeded(b, s, afterLast)
	targets := se.targets(se.nextRound(b))
	if _, err := se.eng.Drain(context.Background()); err != nil {
		b.Fatal(err)
	}
	return se, targets
}

// BenchmarkAck200 answers 200 form submissions at once, each from its own
// member, on the history, and runs each answer's follow-up (the prompt
// refreshed to show the answer) on the same cores, as the adapters do: the
// time from the event to the response is what a platform waits for. Every
// submission must be stored.
func BenchmarkAck200(b *testing.B) {
	for _, s := range shapesFor() {
		b.Run(s.String(), func(b *testing.B) {
			se, targets := openPrompted(b, s)
			var lat []time.Duration
			seq := 0
			cpu0, pages0 := cpuNow(), se.db.LogPages()
			for b.Loop() {
				var wg sync.WaitGroup
				var mu sync.Mutex
				start := make(chan struct{})
				for i := range 200 {
					seq++
					tg := targets[seq%len(targets)]
					ev := tg.form(fmt.Sprintf("ack-%d", seq), fmt.Sprintf("progress %d", i))
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						t0 := time.Now()
						resp := se.eng.HandleEvent(context.Background(), ev)
						d := time.Since(t0)
						if err := notStored(resp); err != nil {
							panic(err)
						}
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
						if edit := resp.EditAfter(context.Background()); edit == nil {
							panic("no prompt to refresh")
						}
					}()
				}
				close(start)
				wg.Wait()
			}
			b.StopTimer()
			cpu, pages := cpuNow()-cpu0, se.db.LogPages()-pages0
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			// A burst of 200 keeps every core busy, so its p99 is about
			// the CPU it takes over the cores: the CPU per answer, follow-up
			// included, moves less with the host's load than the p99 does.
			b.ReportMetric(float64(cpu.Microseconds())/float64(len(lat)), "cpu-µs/ack")
			// The pages the answers and their follow-ups appended to the
			// log: what history costs the writes, without the host's noise.
			b.ReportMetric(float64(pages)/float64(len(lat)), "log-pages/ack")
		})
	}
}

// BenchmarkFollowUp refreshes a member's prompt after their answer, one
// member after another: the reads of the follow-up that BenchmarkAck200
// runs 200 at once, alone on the cores, timed without the answer's write.
// What it costs at 24 months over 1 month is what history costs a
// follow-up, without the write's and the host's noise.
func BenchmarkFollowUp(b *testing.B) {
	for _, s := range shapesFor() {
		b.Run(s.String(), func(b *testing.B) {
			se, targets := openPrompted(b, s)
			var cpu cpuTimer
			i := 0
			cpu = startCPU()
			for b.Loop() {
				tg := targets[i%len(targets)]
				i++
				var resp bot.Response
				cpu.exclude(b, func() {
					resp = se.eng.HandleEvent(context.Background(), tg.form(fmt.Sprintf("follow-%d", i), fmt.Sprintf("progress %d", i)))
				})
				if err := notStored(resp); err != nil {
					b.Fatal(err)
				}
				if edit := resp.EditAfter(context.Background()); edit == nil {
					b.Fatal("no prompt to refresh")
				}
			}
			b.StopTimer()
			cpu.report(b)
		})
	}
}

// BenchmarkFormSubmit submits one update form per operation through the
// engine, one after another, on the history: what storing an answer costs
// a member's request, to set beside the store's own AddUpdate and a raw
// insert (store/sqlite's BenchmarkRawInsert).
func BenchmarkFormSubmit(b *testing.B) {
	se := openSeeded(b, sqlitetest.Standard, afterLast)
	targets := se.targets(se.nextRound(b))
	i := 0
	cpu := startCPU()
	for b.Loop() {
		tg := targets[i%len(targets)]
		i++
		resp := se.eng.HandleEvent(context.Background(), tg.form(fmt.Sprintf("form-%d", i), "Working group met; minutes published."))
		if err := notStored(resp); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	cpu.report(b)
}
