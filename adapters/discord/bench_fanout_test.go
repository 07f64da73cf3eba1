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
// Discord of its own that enforces fakePace. It reports the prompts
// delivered a second from the round's opening to the last prompt, against
// what the global limit allows (50 requests a second), the 429s met, and
// fails on a prompt lost or delivered twice. Figures are medians of the
// iterations.
//
//   - FirstRound: members never written to: each prompt costs two
//     requests, the direct message opened (Create DM) and the message
//     created, so the limit allows 25 prompts a second.
//   - Restart: members the bot wrote to the month before, through an
//     adapter that has since restarted; the store's last message to each
//     (bot.Outgoing.Reached) names their direct message, so each prompt
//     costs one request and the limit allows 50 a second.
//
// Run with:
//
//	go test -run '^$' -bench FanOut -benchtime 5x -timeout 60m ./adapters/discord
func BenchmarkFanOut(b *testing.B) {
	b.Run("FirstRound", func(b *testing.B) { benchmarkFanOut(b, false) })
	b.Run("Restart", func(b *testing.B) { benchmarkFanOut(b, true) })
}

func benchmarkFanOut(b *testing.B, reached bool) {
	const members = 500
	allowed := 50.0 / 2 // prompts a second: the global limit, two requests each
	month := "March 2031"
	if reached {
		allowed, month = 50.0, "April 2031"
	}
	ctx := context.Background()
	var rates, global, user, opens []float64
	for range b.N {
		b.StopTimer()
		f, w := fanOutWorld(b, members, reached)
		want := f.delivered() + members
		opened := f.count("POST /users/@me/channels")
		b.StartTimer()
		if err := w.eng.Tick(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for range 20 {
			if _, err := w.eng.Drain(ctx); err != nil {
				b.Fatal(err)
			}
			if f.delivered() >= want {
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
		opens = append(opens, float64(f.count("POST /users/@me/channels")-opened))
		lost, twice := 0, 0
		for i := range members {
			switch n := f.prompts(f.members[i], month); {
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
	b.ReportMetric(medianOf(opens), "dm-opens")
}

// fanOutWorld starts a fake Discord with members people, an adapter on it
// as serve configures one, and an engine as serve builds it whose next
// tick opens a round for them all, the fake enforcing its limits. With
// reached, the bot wrote to them all in March, through an adapter that
// has since restarted, and the round is April's.
func fanOutWorld(b *testing.B, members int, reached bool) (*fakeDiscord, *world) {
	b.Helper()
	f := newFake()
	b.Cleanup(f.Close)
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
	store, start := openStore(b), march
	if reached {
		before := newWorldOf(b, cfg.Forums, store, map[string]bot.Chat{"discord": fanOutChat(b, f)}, march, bot.SenderOptions{Workers: 16})
		before.run(context.Background(), 2)
		// Close March, and post its digest, before the measured round.
		before.advance(8 * 24 * time.Hour)
		before.run(context.Background(), 2)
		start = march.AddDate(0, 1, 0)
	}
	f.mu.Lock()
	f.pace = newFakePace()
	f.mu.Unlock()
	return f, newWorldOf(b, cfg.Forums, store, map[string]bot.Chat{"discord": fanOutChat(b, f)}, start, bot.SenderOptions{})
}

// fanOutChat returns an adapter on f as serve configures one.
func fanOutChat(b *testing.B, f *fakeDiscord) *discord.Chat {
	b.Helper()
	chat, err := discord.New(discord.Config{Token: fakeToken, ApplicationID: f.appID, GuildID: f.guild, APIURL: f.APIURL(), Options: discord.Options{Log: quiet}})
	if err != nil {
		b.Fatal(err)
	}
	f.chat = chat
	return chat
}

// prompts counts the prompts for month a person holds.
func (f *fakeDiscord) prompts(user, month string) int {
	n := 0
	for _, h := range f.Held(bot.Address("discord:" + user)) {
		if strings.Contains(h.Text, "progress report for "+month) {
			n++
		}
	}
	return n
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
