package discord_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
	"forumbot/bot/config"
)

// BenchmarkFanOut sends a round's prompts to 500 members through the
// engine's outbox and the adapter as serve runs them (the adapter's
// defaults, the sender's default workers), via discordgo, to a fake
// Discord of its own that enforces fakePace. Each prompt costs two
// requests, the direct message opened and the message created: the
// adapter keeps direct-message channels in memory only, so after a
// restart every round opens them again. It reports the prompts delivered
// a second from the round's opening to the last prompt, against what the
// global limit allows (50 requests a second, 25 prompts), the 429s met,
// and fails on a prompt lost or delivered twice. Figures are medians of
// the iterations.
//
//	go test -run '^$' -bench FanOut -benchtime 5x ./adapters/discord
func BenchmarkFanOut(b *testing.B) {
	const (
		members = 500
		allowed = 50.0 / 2 // prompts a second: the global limit, two requests each
	)
	ctx := context.Background()
	var rates, global, user []float64
	for range b.N {
		b.StopTimer()
		f, w := fanOutWorld(b, members)
		b.StartTimer()
		if err := w.eng.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for range 20 {
			if _, err := w.eng.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			if f.delivered() >= members {
				break
			}
			w.advance(time.Minute)
		}
		elapsed := time.Since(start)
		b.StopTimer()
		rates = append(rates, members/elapsed.Seconds())
		refused := f.pace.refusals()
		global = append(global, float64(refused["global"]))
		user = append(user, float64(refused["user"]))
		lost, twice := 0, 0
		for i := range members {
			switch n := len(f.Held(bot.Address("discord:" + f.members[i]))); {
			case n == 0:
				lost++
			case n > 1:
				twice++
			}
		}
		if lost > 0 || twice > 0 {
			b.Fatalf("%d prompts lost, %d delivered more than once", lost, twice)
		}
		if v := f.Violations(); len(v) > 0 {
			b.Fatalf("Discord's rules broken:\n%s", strings.Join(v, "\n"))
		}
	}
	rate := medianOf(rates)
	b.ReportMetric(rate, "prompts/s")
	b.ReportMetric(allowed, "allowed/s")
	b.ReportMetric(rate/allowed, "ratio-limit")
	b.ReportMetric(medianOf(global), "global-429s")
	b.ReportMetric(medianOf(user), "channel-429s")
}

// fanOutWorld starts a fake Discord enforcing its limits with members
// people, an adapter on it as serve configures one, and an engine as
// serve builds it whose next tick opens a round for them all.
func fanOutWorld(b *testing.B, members int) (*fakeDiscord, *world) {
	b.Helper()
	f := newFake()
	b.Cleanup(f.Close)
	f.pace = newFakePace()
	chat, err := discord.New(discord.Config{Token: fakeToken, ApplicationID: f.appID, GuildID: f.guild, APIURL: f.APIURL(), Options: discord.Options{Log: quiet}})
	if err != nil {
		b.Fatal(err)
	}
	f.chat = chat
	f.members = f.members[:0]
	var committee strings.Builder
	for i := range members {
		id := f.addUser(fmt.Sprintf("fan%d", i))
		f.members = append(f.members, id)
		fmt.Fprintf(&committee, "            - {who: discord:%s, name: F%d, group: civil_society, org: Org%d}\n", id, i, i%20)
	}
	cfg, err := config.Parse([]byte(fmt.Sprintf(`
forums:
  - id: fan
    name: Fan-out Forum
    timezone: UTC
    digest_channel: discord:%s
    coordinators: [discord:%s]
    schedule: {prompt: "0 9 1 * *", window: 7d}
    plan:
      id: P
      commitments:
        - id: C1
          title: One
          committee:
%s`, f.digestChannel, f.addUser("fan-coord"), committee.String())), "fan.yaml", config.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return f, newWorldOf(b, cfg.Forums, openStore(b), map[string]bot.Chat{"discord": chat}, march, bot.SenderOptions{})
}

// delivered counts the bot's messages in direct messages.
func (f *fakeDiscord) delivered() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.channels {
		if c.recipient == "" {
			continue
		}
		for _, m := range c.messages {
			if !m.deleted && !m.ephemeral && m.wire.Author.ID == f.bot.ID {
				n++
			}
		}
	}
	return n
}

// medianOf returns the middle of xs (the mean of the two middle ones).
func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
