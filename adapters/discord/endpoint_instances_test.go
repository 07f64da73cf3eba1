package discord_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"forumbot/bot"
	"forumbot/bot/config"
)

// balancer spreads the requests to the Interactions Endpoint URL over the
// handlers of several instances in turn, as a load balancer does, and
// counts the interactions each received.
type balancer struct {
	mu       sync.Mutex
	next     int
	handlers []http.Handler
	got      []int
}

func (b *balancer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b.mu.Lock()
	i := b.next
	b.next = (b.next + 1) % len(b.handlers)
	b.got[i]++
	b.mu.Unlock()
	b.handlers[i].ServeHTTP(w, r)
}

// TestEndpointSeveralInstances: two instances, each its own adapter and
// engine over one store, answer interactions behind a balancer that
// alternates between them, and neither holds the gateway. The leader's
// engine sends the prompts. Each member's button press, level choice and
// submission land on different instances in turn; every answer is stored
// once, by whichever instance received the submission, and shown on the
// prompt.
func TestEndpointSeveralInstances(t *testing.T) {
	f := newFake()
	t.Cleanup(f.Close)
	keyed, _ := f.withEndpoint(t)
	keyed.GuildID = f.guild
	a, b := newChat(t, f, keyed), newChat(t, f, keyed)
	f.chat = a
	who := map[string]bot.Address{}
	for _, name := range []string{"coord", "official", "ana", "ben"} {
		who[name] = bot.Address("discord:" + f.addUser(name))
	}
	channel := bot.Address("discord:" + f.addChannel())
	cfg, err := config.Parse([]byte(forumYAML(channel, who["coord"], who["official"], who["ana"], who["ben"])), "test.yaml", config.Options{})
	if err != nil {
		t.Fatal(err)
	}
	leader := newWorldOf(t, cfg.Forums, openStore(t), map[string]bot.Chat{"discord": a}, march, bot.SenderOptions{Workers: 2})
	other := newWorldOf(t, cfg.Forums, leader.store, map[string]bot.Chat{"discord": b}, march, bot.SenderOptions{Workers: 2})
	serve(t, a, leader.eng)
	serve(t, b, other.eng)
	lb := &balancer{handlers: []http.Handler{a.InteractionsHandler(), b.InteractionsHandler()}, got: make([]int, 2)}
	mux := http.NewServeMux()
	mux.Handle(endpointPath, f.track(lb))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.mu.Lock()
	f.endpoint = srv.URL + endpointPath
	f.mu.Unlock()

	ctx := context.Background()
	if err := a.RegisterCommands(ctx); err != nil {
		t.Fatal(err)
	}
	leader.run(ctx, 2)
	ids := map[string]string{}
	for _, name := range []string{"ana", "ben"} {
		person := who[name]
		held := f.Held(person)
		if len(held) != 1 {
			t.Fatalf("%s holds %d messages, want the prompt", name, len(held))
		}
		seen, err := f.OpenForm(ctx, person, held[0], held[0].FormRefs[0], bot.Limited)
		if err != nil || seen.Form == nil {
			t.Fatalf("%s: OpenForm: %+v %v", name, seen, err)
		}
		p, payload := f.modalSubmission(seen.Form.Platform.(*fakeForm), map[string][]string{bot.FieldProgress: {"Report of " + name}})
		f.deliver(p, payload)
		got, err := f.await(ctx, p)
		if err != nil || !strings.Contains(seenText(got.msg), "Recorded: C1 is Limited.") {
			t.Fatalf("%s: the submission: %+v %v", name, got.msg, err)
		}
		ids[name] = p.id
	}
	a.WaitIdle()
	b.WaitIdle()
	for _, name := range []string{"ana", "ben"} {
		us, err := leader.store.Updates(ctx, bot.UpdateFilter{ForumID: "f1", Member: who[name]})
		if err != nil || len(us) != 1 || us[0].Progress != "Report of "+name || us[0].EventID != ids[name] {
			t.Errorf("%s: stored %+v %v, want the one answer", name, us, err)
		}
		if after := f.Held(who[name])[0]; after.Edits != 1 || !strings.Contains(after.Text, "Report of "+name) {
			t.Errorf("%s: the prompt after the answer (%d edits):\n%s", name, after.Edits, after.Text)
		}
	}
	lb.mu.Lock()
	got := append([]int(nil), lb.got...)
	lb.mu.Unlock()
	if got[0] == 0 || got[1] == 0 {
		t.Errorf("interactions per instance %v, want both to have answered some", got)
	}
	if identifies, _ := f.gw.stats(); identifies != 0 {
		t.Errorf("the gateway was connected %d times, want never", identifies)
	}
	if v := f.Violations(); len(v) > 0 {
		t.Errorf("platform rules broken:\n%s", strings.Join(v, "\n"))
	}
	if n := f.count("POST /interactions/{id}/{token}/callback"); n != 0 {
		t.Errorf("%d first responses on the callback endpoint", n)
	}
}
