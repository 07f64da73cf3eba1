package slack_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/adapters/slack"
	"forumbot/bot"
)

// BenchmarkInteractionAck measures how long Slack waits for the
// acknowledgement of a modal submission, which the adapter sends only once
// the real engine has stored the answer in SQLite: 200 members submit at
// once, through the fake's websocket and slack-go's Socket Mode client.
// Slack allows 3,000 ms; the target is a p99 under 100 ms. The NoStore
// variant answers submissions without the engine, to show what the fake,
// slack-go and the adapter take by themselves.
//
//	go test -run '^$' -bench InteractionAck -benchtime 5x ./adapters/slack
func BenchmarkInteractionAck(b *testing.B) {
	b.Run("Engine", func(b *testing.B) { benchmarkAck(b, true) })
	b.Run("NoStore", func(b *testing.B) { benchmarkAck(b, false) })
}

// formsOnly passes everything but form submissions to the engine.
type formsOnly struct{ eng *testEngine }

func (h formsOnly) HandleEvent(ctx context.Context, e bot.Event) bot.Response {
	if e.Kind == bot.EventForm {
		return bot.Response{}
	}
	return h.eng.HandleEvent(ctx, e)
}

func benchmarkAck(b *testing.B, store bool) {
	const members = 200
	f := newFake(b, fakeOptions{})
	eng := newEngine(b, f, committee(f, members))
	var h bot.Handler = eng
	if !store {
		h = formsOnly{eng}
	}
	f.listen(b, h)
	eng.round(b)
	ctx := context.Background()
	forms := make([]chattest.SeenForm, members)
	var latencies []time.Duration
	b.ResetTimer()
	for n := range b.N {
		b.StopTimer()
		for i := range members {
			who := bot.Address(fmt.Sprintf("slack:U0P%05d", i))
			seen, err := f.OpenForm(ctx, who, f.Held(who)[0], "u:1:C1", "")
			if err != nil || seen.Form == nil {
				b.Fatalf("OpenForm: %+v %v", seen, err)
			}
			forms[i] = *seen.Form
		}
		before := len(f.sock.ackLatencies())
		b.StartTimer()
		var wg sync.WaitGroup
		for i := range members {
			who := bot.Address(fmt.Sprintf("slack:U0P%05d", i))
			_, trigger, payload, _, err := f.submission(who, forms[i], map[string][]string{
				bot.FieldCompletion: {"Substantial"}, bot.FieldProgress: {fmt.Sprintf("Round %d of member %d", n, i)},
			})
			if err != nil {
				b.Fatal(err)
			}
			wg.Go(func() {
				ack, err := f.sock.deliver(ctx, "interactive", payload)
				if err != nil || (len(ack) > 0 && string(ack) != "null") {
					b.Errorf("submission: %s %v", ack, err)
				}
				if err := f.awaitDone(ctx, trigger); err != nil {
					b.Error(err)
				}
			})
		}
		wg.Wait()
		// From the envelope written to its acknowledgement read, as Slack
		// counts its 3 s.
		latencies = append(latencies, f.sock.ackLatencies()[before:]...)
	}
	b.StopTimer()
	us, err := eng.store.Updates(ctx, bot.UpdateFilter{ForumID: "slackforum"})
	if want := members * b.N * boolInt(store); err != nil || len(us) != want {
		b.Fatalf("stored %d updates, want %d (%v)", len(us), want, err)
	}
	slices.Sort(latencies)
	b.ReportMetric(ms(latencies[len(latencies)/2]), "p50-ms")
	b.ReportMetric(ms(latencies[len(latencies)*99/100]), "p99-ms")
	b.ReportMetric(ms(latencies[len(latencies)-1]), "max-ms")
	noViolations(b, f)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// BenchmarkFanOut sends one round's 10,000 prompts through the engine's
// outbox and the adapter to a fake that allows postsPerSecond
// chat.postMessage calls a second (a token bucket; 429 with Retry-After
// beyond it). It reports the time the outbox took to drain, from the
// round's opening (tick-s, the 10,000 prompt rows inserted, reported
// apart) to the last prompt delivered, against the time the limit allows,
// and fails on a prompt lost or duplicated.
//
//	go test -run '^$' -bench FanOut -benchtime 1x ./adapters/slack
func BenchmarkFanOut(b *testing.B) {
	const (
		members        = 10000
		postsPerSecond = 1000
		burst          = 20 // what the fake tolerates
		postBurst      = 1  // what the adapter sends back to back: evenly spaced
		workers        = 16
	)
	for range b.N {
		b.StopTimer()
		f := newFake(b, fakeOptions{postsPerSecond: postsPerSecond, postBurst: burst, config: func(c *slack.Config) {
			// Pace 2% under the limit: a sender that aims exactly at it
			// meets 429s from timer jitter, and each one holds every post
			// for Slack's Retry-After (a second).
			c.PostsPerSecond, c.PostBurst = postsPerSecond*0.98, postBurst
		}})
		eng := newEngineWith(b, f, committee(f, members), newStore(b), bot.SenderOptions{Workers: workers, Backoff: time.Second, MaxAttempts: 20})
		ctx := context.Background()
		b.StartTimer()
		tick := time.Now()
		if err := eng.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		ticked := start.Sub(tick)
		for range 20 {
			if _, err := eng.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			if f.delivered() >= members {
				break
			}
			eng.clock.Advance(time.Minute)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		allowed := time.Duration(float64(members-burst) / postsPerSecond * float64(time.Second))
		b.ReportMetric(ticked.Seconds(), "tick-s")
		b.ReportMetric(elapsed.Seconds(), "elapsed-s")
		b.ReportMetric(allowed.Seconds(), "allowed-s")
		b.ReportMetric(elapsed.Seconds()/allowed.Seconds(), "ratio")
		b.ReportMetric(float64(f.count("chat.postMessage")-members), "extra-posts")
		lost, twice := 0, 0
		for i := range members {
			switch n := len(f.Held(bot.Address(fmt.Sprintf("slack:U0P%05d", i)))); {
			case n == 0:
				lost++
			case n > 1:
				twice++
			}
		}
		if lost > 0 || twice > 0 {
			b.Fatalf("%d prompts lost, %d delivered more than once", lost, twice)
		}
		noViolations(b, f)
	}
}

// delivered counts the bot's messages in direct messages.
func (f *fakeSlack) delivered() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, ch := range f.channels {
		if ch.user != "" {
			for _, m := range ch.msgs {
				if m.bot {
					n++
				}
			}
		}
	}
	return n
}
