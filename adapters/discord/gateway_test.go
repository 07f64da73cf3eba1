package discord_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/discord"
	"forumbot/bot"
)

// TestGatewayResumed drops the gateway connection while a person runs a
// command and replies in a DM: discordgo reconnects and resumes the
// session (no new identify), the events sent meanwhile arrive once each.
func TestGatewayResumed(t *testing.T) {
	fx := setup(t)
	ctx := context.Background()
	var mu sync.Mutex
	events := map[bot.EventKind]int{}
	fx.use(t, bot.HandlerFunc(func(_ context.Context, e bot.Event) bot.Response {
		mu.Lock()
		events[e.Kind]++
		mu.Unlock()
		if e.Kind == bot.EventReply {
			return bot.Response{React: true}
		}
		return bot.Response{Reply: &bot.Message{Text: "still here"}}
	}))
	identifies, resumes := fx.f.gw.stats()
	who := fx.person("resumer")
	// A DM channel to reply in.
	ref, err := fx.chat.Send(ctx, bot.Outgoing{To: who, Key: "resume/prompt", Message: note("before the drop")})
	if err != nil {
		t.Fatal(err)
	}
	live := fx.f.gw.liveSignal()
	fx.f.Drop()
	_, done := fx.f.say(who.ID(), ref.Channel, ref.ID, "a note sent while the bot was away")
	seen, err := fx.f.Command(ctx, who, "help")
	if err != nil {
		t.Fatal(err)
	}
	<-done
	<-live
	if !strings.Contains(seen.Text, "still here") {
		t.Errorf("after the drop the person sees %q", seen.Text)
	}
	gotIdentifies, gotResumes := fx.f.gw.stats()
	if gotIdentifies != identifies {
		t.Errorf("%d identifies after the drop, want none (a resume)", gotIdentifies-identifies)
	}
	if len(gotResumes) != len(resumes)+1 {
		t.Fatalf("%d resumes, want 1", len(gotResumes)-len(resumes))
	}
	r := gotResumes[len(gotResumes)-1]
	if !strings.HasPrefix(r.Session, "session-") || r.Seq == 0 || r.Token != "Bot "+fakeToken {
		t.Errorf("resume %+v, want the session, its last sequence number and the token", r)
	}
	mu.Lock()
	defer mu.Unlock()
	if events[bot.EventCommand] != 1 || events[bot.EventReply] != 1 {
		t.Errorf("events after the drop: %v, want one command and one reply", events)
	}
}

// TestIntents checks the gateway was asked for direct messages only.
func TestIntents(t *testing.T) {
	fx := setup(t)
	fx.f.gw.mu.Lock()
	intents := append([]int(nil), fx.f.gw.intents...)
	fx.f.gw.mu.Unlock()
	if len(intents) == 0 || intents[0] != 1<<12 {
		t.Errorf("identify intents %v, want DIRECT_MESSAGES (4096) only", intents)
	}
	overwrites, _ := fx.f.registrations()
	if len(overwrites) != 1 || overwrites[0] != fx.f.guild {
		t.Errorf("Listen registered /forum on %v, want the guild once", overwrites)
	}
}

// TestGatewayStaysClosedAfterStop: a gateway stopped as soon as it is
// open stays closed. discordgo's Close sends the close frame and waits a
// second for Discord to end the connection; a heartbeat that finds the
// connection closing meanwhile (the first, sent as the gateway opens, or
// one of those every 20 ms here) closes the session again and, with
// discordgo's own reconnection, resumed it at once: an instance that had
// stepped down from leading went on receiving every direct message. Once
// Listen has returned, the gateway must be neither resumed nor
// identified again; the wait for a reconnection that should not come is
// bounded, half a second, 25 heartbeats.
func TestGatewayStaysClosedAfterStop(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	f.gw.mu.Lock()
	f.gw.heartbeat = 20
	f.gw.mu.Unlock()
	chat := newChat(t, f, discord.Config{GuildID: f.guild})
	f.chat = chat
	ctx, cancel := context.WithCancel(context.Background())
	live := f.gw.liveSignal()
	done := make(chan error, 1)
	go func() {
		done <- chat.Listen(ctx, bot.HandlerFunc(func(context.Context, bot.Event) bot.Response { return bot.Response{} }))
	}()
	<-live
	cancel() // at once: Close follows Open before its first heartbeat
	if err := <-done; err != nil {
		t.Fatalf("Listen: %v", err)
	}
	identifies, resumes := f.gw.stats()
	select {
	case <-f.gw.liveSignal():
		t.Error("the gateway came back after Listen returned")
	case <-time.After(500 * time.Millisecond):
	}
	if i, r := f.gw.stats(); i != identifies || len(r) != len(resumes) {
		t.Errorf("after Listen returned: %d identifies and %d resumes more, want none", i-identifies, len(r)-len(resumes))
	}
}
