package discord_test

import (
	"context"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
	"forumbot/bot/config"
)

// TestGatewayOnlyOnTheLeader: with several instances on one store
// (bot.Options.Lead), every instance answers on the interactions endpoint
// and only the leading one holds the gateway, which delivers every direct
// message to every session holding it. The leader closes it when it
// steps down, and the next leader opens it.
func TestGatewayOnlyOnTheLeader(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	keyed, _ := f.withEndpoint(t)
	keyed.GuildID = f.guild
	a, b := newChat(t, f, keyed), newChat(t, f, keyed)
	f.chat = a
	channel := bot.Address("discord:" + f.addChannel())
	var who []bot.Address
	for _, name := range []string{"coord", "official", "ana", "ben"} {
		who = append(who, bot.Address("discord:"+f.addUser(name)))
	}
	cfg, err := config.Parse([]byte(forumYAML(channel, who[0], who[1], who[2], who[3])), "test.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := openStore(t)
	start := func(chat *discord.Chat) func(context.Context) {
		handed := make(chan func(context.Context), 1)
		eng, err := bot.New(cfg.Forums, store, map[string]bot.Chat{"discord": chat}, bot.Options{
			Now: func() time.Time { return march }, Log: quiet, TickEvery: time.Hour, PollEvery: time.Hour,
			Lead: func(ctx context.Context, lead func(context.Context)) error {
				handed <- lead
				<-ctx.Done()
				return nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- eng.Run(ctx) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
		return <-handed
	}
	leadA, leadB := start(a), start(b)

	term := func(lead func(context.Context)) (stepDown func()) {
		ctx, cancel := context.WithCancel(context.Background())
		ended := make(chan struct{})
		go func() {
			lead(ctx)
			close(ended)
		}()
		return func() {
			cancel()
			<-ended
		}
	}
	live := f.gw.liveSignal()
	stepDownA := term(leadA)
	<-live
	if identifies, _ := f.gw.stats(); identifies != 1 {
		t.Fatalf("with A leading the gateway was identified %d times, want once (A only)", identifies)
	}
	stepDownA() // returns once A's gateway is closed
	live = f.gw.liveSignal()
	stepDownB := term(leadB)
	<-live
	if identifies, _ := f.gw.stats(); identifies != 2 {
		t.Errorf("after B took over the gateway was identified %d times, want twice (A, then B)", identifies)
	}
	stepDownB()
	for i, c := range []*discord.Chat{a, b} {
		if !c.Endpoint() {
			t.Errorf("instance %d does not answer on the endpoint", i)
		}
	}
}
