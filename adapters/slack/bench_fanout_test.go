package slack_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"forumbot/adapters/slack"
	"forumbot/bot"
)

// slackLimits are Slack's documented limits as the fake enforces them in
// the fan-out benchmarks, each a token bucket: chat.postMessage "several
// hundred messages per minute" across the workspace, read at its lowest
// (300 a minute), with "generous burst behavior"; one a second per
// channel with short bursts; conversations.open in Tier 3, 50 a minute
// with sporadic bursts.
var slackLimits = fakeOptions{
	postsPerSecond: 5, postBurst: 10,
	channelPosts: 1, channelBurst: 3,
	opensPerMinute: 50, opensBurst: 3,
}

// production returns the adapter configuration serve builds when the
// config leaves Slack's pace out: cfg's connection, and every pace, retry
// and wait at the adapter's default.
func production(cfg slack.Config) slack.Config {
	return slack.Config{
		BotToken: cfg.BotToken, AppToken: cfg.AppToken, SigningSecret: cfg.SigningSecret,
		APIURL: cfg.APIURL, HTTPClient: cfg.HTTPClient, Options: slack.Options{Log: cfg.Log},
	}
}

// BenchmarkFanOut sends a round's prompts through the engine's outbox and
// the adapter as serve runs them (the adapter's default pace, the sender's
// default workers) to a fake that enforces slackLimits, and reports the
// prompts delivered a second from the round's opening to the last prompt,
// against the emulated limits (ratio-limit) and the adapter's own pace
// (ratio-pace); it fails on a prompt lost or delivered twice. Each figure
// is the median of the iterations.
//
//   - Restart: members the bot wrote to the month before, through an
//     adapter that has since restarted; the store's last message gives
//     each direct message, so posting is the bound.
//   - FirstRound: members never written to; conversations.open is the
//     bound.
//   - HighRateNotProduction: the earlier benchmark, kept for comparison
//     with older figures: 10,000 prompts at 980 posts a second through 16
//     workers, conversations.open not limited. Not what serve does.
//
// Run with:
//
//	go test -run '^$' -bench 'FanOut/(Restart|FirstRound)' -benchtime 5x -timeout 60m ./adapters/slack
func BenchmarkFanOut(b *testing.B) {
	b.Run("Restart", func(b *testing.B) { benchmarkFanOut(b, 500, true) })
	b.Run("FirstRound", func(b *testing.B) { benchmarkFanOut(b, 100, false) })
	b.Run("HighRateNotProduction", benchmarkFanOutHighRate)
}

func benchmarkFanOut(b *testing.B, members int, reached bool) {
	allowed := slackLimits.postsPerSecond
	pace := float64(slack.DefaultPostsPerSecond)
	if !reached {
		allowed = min(allowed, slackLimits.opensPerMinute/60)
		pace = min(pace, float64(slack.DefaultDMOpensPerMinute)/60)
	}
	ctx := context.Background()
	var rates, ticks, limited []float64
	for range b.N {
		b.StopTimer()
		f, eng, month := fanOutSetup(b, members, reached)
		want := f.delivered() + members
		b.StartTimer()
		tick := time.Now()
		if err := eng.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for range 20 {
			if _, err := eng.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			if f.delivered() >= want {
				break
			}
			eng.clock.Advance(time.Minute)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		rates = append(rates, float64(members)/elapsed.Seconds())
		ticks = append(ticks, start.Sub(tick).Seconds())
		limited = append(limited, float64(f.limited("chat.postMessage")+f.limited("conversations.open")))
		everyPromptOnce(b, f, members, month)
	}
	rate := median(rates)
	b.ReportMetric(rate, "prompts/s")
	b.ReportMetric(allowed, "allowed/s")
	b.ReportMetric(rate/allowed, "ratio-limit")
	b.ReportMetric(rate/pace, "ratio-pace")
	b.ReportMetric(median(ticks), "tick-s")
	b.ReportMetric(median(limited), "429s")
}

// fanOutSetup returns a fake enforcing slackLimits with an adapter as
// serve configures it, and an engine as serve builds it whose next tick
// opens a round for members; reached has the bot write to them a month
// before, through an adapter that then restarts. It returns the month of
// the round to measure, as prompts name it.
func fanOutSetup(b *testing.B, members int, reached bool) (*fakeSlack, *testEngine, string) {
	b.Helper()
	if !reached {
		opts := slackLimits
		opts.config = func(c *slack.Config) { *c = production(*c) }
		f := newFake(b, opts)
		return f, newEngineWith(b, f, committee(f, members), newStore(b), bot.SenderOptions{}), "March 2031"
	}
	f := newFake(b, fakeOptions{})
	yaml := committee(f, members)
	before := newEngineWith(b, f, yaml, newStore(b), bot.SenderOptions{Workers: 16})
	before.round(b)
	// Close March, and post its digest, before the measured round.
	before.clock.Set(roundStart.AddDate(0, 0, 8))
	before.round(b)
	f.setPace(slackLimits)
	f.cfg = production(f.cfg)
	f.restart(b)
	eng := newEngineWith(b, f, yaml, before.store, bot.SenderOptions{})
	eng.clock.Set(roundStart.AddDate(0, 1, 0))
	return f, eng, "April 2031"
}

// everyPromptOnce fails unless each of the first n members of committee
// holds exactly one prompt for month, and the fake saw no broken rule.
func everyPromptOnce(b *testing.B, f *fakeSlack, n int, month string) {
	b.Helper()
	lost, twice := 0, 0
	for i := range n {
		switch got := countHeld(f, bot.Address(fmt.Sprintf("slack:U0P%05d", i)), "progress report for "+month); {
		case got == 0:
			lost++
		case got > 1:
			twice++
		}
	}
	if lost > 0 || twice > 0 {
		b.Fatalf("%d prompts lost, %d delivered more than once", lost, twice)
	}
	noViolations(b, f)
}

// median returns the middle of xs (the mean of the two middle ones).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchmarkFanOutHighRate is the earlier fan-out benchmark, not what
// serve does: one round's 10,000 prompts through 16 workers to a fake that
// allows 1,000 chat.postMessage a second (bursts of 20), the adapter
// paced 2 % under that, conversations.open not limited. It reports the
// time the outbox took to drain against the time the limit allows.
func benchmarkFanOutHighRate(b *testing.B) {
	const (
		members        = 10000
		postsPerSecond = 1000
		burst          = 20 // what the fake tolerates
		workers        = 16
	)
	for range b.N {
		b.StopTimer()
		f := newFake(b, fakeOptions{postsPerSecond: postsPerSecond, postBurst: burst, config: func(c *slack.Config) {
			// Pace 2% under the limit: a sender that aims exactly at it
			// meets 429s from timer jitter, and each one holds every post
			// for Slack's Retry-After (a second).
			c.PostsPerSecond, c.PostBurst = postsPerSecond*0.98, 1
		}})
		eng := newEngineWith(b, f, committee(f, members), newStore(b), bot.SenderOptions{Workers: workers, Backoff: time.Second})
		ctx := context.Background()
		b.StartTimer()
		tick := time.Now()
		if err := eng.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
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
		b.ReportMetric(start.Sub(tick).Seconds(), "tick-s")
		b.ReportMetric(elapsed.Seconds(), "elapsed-s")
		b.ReportMetric(allowed.Seconds(), "allowed-s")
		b.ReportMetric(elapsed.Seconds()/allowed.Seconds(), "ratio")
		b.ReportMetric(float64(f.count("chat.postMessage")-members), "extra-posts")
		everyPromptOnce(b, f, members, "March 2031")
	}
}
