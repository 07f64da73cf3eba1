package discord_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"forumbot/adapters/chattest"
	"forumbot/adapters/discord"
	"forumbot/bot"
)

// TestEditsWaitForALull: while messages keep arriving, the edits their
// answers ask for (a prompt re-rendered from the store) wait, so that the
// cores go to the others; the reactions that confirm an answer do not
// wait, nor does a message whose answer asks for no edit. Once the
// messages pause, every edit is made. The lull's clock is the test's: it
// ends when the test says so.
func TestEditsWaitForALull(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	chat := newChat(t, f, discord.Config{GuildID: f.guild})
	f.chat = chat
	clock := chattest.NewLullClock()
	discord.SetLull(chat, time.Second, time.Minute, clock.Now, clock.Sleep)
	var edits atomic.Int32
	h := bot.HandlerFunc(func(_ context.Context, e bot.Event) bot.Response {
		resp := bot.Response{React: true}
		if e.Text != "no edit" {
			resp.FollowUp = func(context.Context) *bot.Edit {
				edits.Add(1)
				return nil
			}
		}
		return resp
	})
	ctx, stop := context.WithCancel(context.Background())
	listening := make(chan error, 1)
	live := f.gw.liveSignal()
	go func() { listening <- chat.Listen(ctx, h) }()
	<-live
	t.Cleanup(func() {
		clock.Release()
		stop()
		if err := <-listening; err != nil {
			t.Error(err)
		}
	})

	user := f.addUser("lull")
	ref, err := chat.Send(context.Background(), bot.Outgoing{To: bot.Address("discord:" + user), Key: "lull/prompt", Message: note("the prompt")})
	if err != nil {
		t.Fatal(err)
	}
	within := func(done <-chan struct{}, what string) {
		t.Helper()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal(what)
		}
	}
	// A message whose answer asks for no edit is done at once, lull or
	// not.
	_, answered := f.say(user, ref.Channel, ref.ID, "no edit")
	within(answered, "the message that asks for no edit was not answered")
	idle := make(chan struct{})
	go func() { chat.WaitIdle(); close(idle) }()
	within(idle, "a message that asks for no edit waited for the lull")
	// The reactions go out while the edits wait.
	for i := range 3 {
		_, answered := f.say(user, ref.Channel, ref.ID, fmt.Sprint("update ", i))
		within(answered, "a reaction waited for the lull")
	}
	if got := edits.Load(); got != 0 {
		t.Errorf("%d edits were made while the messages kept arriving, want none before they pause", got)
	}
	clock.Release()
	chat.WaitIdle()
	if got := edits.Load(); got != 3 {
		t.Errorf("%d edits were made after the messages paused, want 3", got)
	}
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("platform rules broken: %v", v)
	}
}
