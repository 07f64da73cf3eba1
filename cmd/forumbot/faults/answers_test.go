package faults_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// answer is one member's reply to their prompt, as Slack delivers it:
// an event sent again, with the same id, until serve acknowledges it.
type answer struct {
	user, text, ts, eventID string
	redeliver               bool
	acked                   bool
	err                     string
}

// deliver sends a's event to whichever process runs now until one
// acknowledges it with 200, as Slack retries an event it could not
// deliver; it gives up at deadline.
func deliver(r *rig, a *answer, deadline time.Time) {
	for retry := 0; time.Now().Before(deadline); retry++ {
		p := r.current()
		if p == nil {
			time.Sleep(20 * time.Millisecond) // serve is restarting
			continue
		}
		code, body, err := p.signed("/slack/events", "application/json", dmEvent(a.eventID, a.user, a.ts, a.text), retry)
		if err == nil && code == 200 && a.acked {
			return
		}
		if err == nil && code == 200 {
			// Slack also sends an event again when it judged the
			// acknowledgement late: one in four here, maybe to the next
			// process.
			a.acked = true
			if a.redeliver {
				continue
			}
			return
		}
		a.err = fmt.Sprintf("%d %s %v", code, body, err)
	}
}

// TestKillWhileAnswersArrive sends every member's reply as a signed Events
// API request while serve is killed with SIGKILL and restarted several
// times; each event is sent again until acknowledged, as Slack does.
// Afterwards the export holds every answer exactly once, and the answers
// the bot confirmed (its reaction on the message) among them.
func TestKillWhileAnswersArrive(t *testing.T) {
	t.Parallel()
	members, kills, senders := 40, 3, 4
	if *long {
		members, kills, senders = 1000, 20, 8
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 2))
	r := newRig(t, members)
	r.start()
	r.waitFor("the round open", 30*time.Second, func() bool { return total(r.slack.prompts(promptPrefix)) >= 1 })

	answers := make([]*answer, members)
	for i, u := range r.users {
		a := &answer{user: u, text: "substantial: answer of " + u, eventID: fmt.Sprintf("Ev%05d", i), redeliver: i%4 == 0}
		a.ts = r.slack.say(u, a.text)
		answers[i] = a
	}
	var acked atomic.Int64
	work := make(chan *answer)
	var wg sync.WaitGroup
	deadline := time.Now().Add(deadlineFor(time.Duration(members)*200*time.Millisecond + 60*time.Second))
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for a := range work {
				deliver(r, a, deadline)
				if a.acked {
					acked.Add(1)
				}
			}
		}()
	}
	go func() {
		for _, a := range answers {
			work <- a
		}
		close(work)
	}()
	for k := range kills {
		target := int64((k+1)*members/(kills+1) + rng.IntN(max(members/(2*kills), 1)))
		r.waitFor("answers acknowledged", 60*time.Second, func() bool { return acked.Load() >= min(target, int64(members)) })
		r.kill(r.current())
		r.start()
	}
	wg.Wait()
	r.stop(r.current())

	stored := map[string]int{}
	for _, u := range r.export() {
		for _, a := range answers {
			if u.Member == "slack:"+a.user && strings.Contains(u.Note, "answer of "+a.user) && u.Completion == "Substantial" {
				stored[a.user]++
			}
		}
	}
	confirmed := 0
	for _, a := range answers {
		if !a.acked {
			t.Errorf("%s: never acknowledged (%s)", a.user, a.err)
			continue
		}
		if r.slack.reacted(a.user, a.ts) {
			confirmed++
		}
		if stored[a.user] != 1 {
			t.Errorf("%s's answer is in the export %d times, want exactly once (confirmed: %v)", a.user, stored[a.user], r.slack.reacted(a.user, a.ts))
		}
	}
	t.Logf("%d answers, %d kills: %d confirmed by a reaction", members, kills, confirmed)
	if confirmed < members/2 {
		t.Errorf("only %d of %d answers confirmed", confirmed, members)
	}
}
