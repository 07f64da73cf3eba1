package faults_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"forumbot/store/postgres/pgtest"
)

// failoverLease is store.lease in the failover test: the leader checks its
// lock this often; a follower tries the lock once a lease and leads after
// a lease of grace.
const failoverLease = time.Second

// cluster is three serve processes sharing one PostgreSQL database.
type cluster struct {
	r     *rig
	mu    sync.Mutex
	procs []*proc
}

// live returns the processes not killed.
func (c *cluster) live() []*proc {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*proc
	for _, p := range c.procs {
		select {
		case <-p.done:
		default:
			out = append(out, p)
		}
	}
	return out
}

// leaders returns the live processes whose /metrics say they lead.
func (c *cluster) leaders() []*proc {
	var out []*proc
	for _, p := range c.live() {
		if p.metric("forumbot_leader") == 1 {
			out = append(out, p)
		}
	}
	return out
}

// leader waits for exactly one leader and returns it.
func (c *cluster) leader(limit time.Duration) *proc {
	c.r.t.Helper()
	var ls []*proc
	c.r.waitFor("exactly one leader", limit, func() bool { ls = c.leaders(); return len(ls) == 1 })
	return ls[0]
}

// add starts one more process.
func (c *cluster) add() {
	p := c.r.start()
	c.mu.Lock()
	c.procs = append(c.procs, p)
	c.mu.Unlock()
}

// deliverAny sends a's event to a live process picked at random until one
// acknowledges it, as Slack sends an event again until acknowledged, and
// as a load balancer spreads the requests; one in four is sent again after
// its acknowledgement (Slack's redelivery of a late one), maybe to
// another process.
func (c *cluster) deliverAny(a *answer, rng *rand.Rand, deadline time.Time) {
	for retry := 0; time.Now().Before(deadline); retry++ {
		ps := c.live()
		if len(ps) == 0 {
			time.Sleep(20 * time.Millisecond)
			continue
		}
		p := ps[rng.IntN(len(ps))]
		code, body, err := p.signed("/slack/events", "application/json", dmEvent(a.eventID, a.user, a.ts, a.text), retry)
		if err == nil && code == 200 {
			if a.acked || !a.redeliver {
				a.acked = true
				return
			}
			a.acked = true
			continue
		}
		a.err = fmt.Sprintf("%d %s %v", code, body, err)
	}
}

// TestFailoverOnPostgres runs three forumbot serve processes against one
// PostgreSQL database and the stub Slack (HTTP mode, as behind a load
// balancer). A round opens; while its prompts go out and members' answers
// arrive at any process, the leader is killed with SIGKILL twice (and a
// process started in its place). Every member is prompted exactly once,
// a new leader takes over each time within the bound (two leases and a
// check, measured from the kill), and every answer is stored exactly
// once. The short variant has 40 members; -faults.long has 2,000.
func TestFailoverOnPostgres(t *testing.T) {
	t.Parallel()
	members := 40
	if *long {
		members = 2000
	}
	url := pgtest.URL(t)
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := newRig(t, members)
	r.env = []string{"FAULTS_PG_URL=" + url}
	cfg, err := os.ReadFile(r.config)
	if err != nil {
		t.Fatal(err)
	}
	// The stub does not limit: pace at the most the config allows.
	text := strings.Replace(string(cfg), "store: {path: forumbot.db}", fmt.Sprintf(`store: {url: "${FAULTS_PG_URL}", lease: %s}`, failoverLease), 1)
	text = strings.Replace(text, "slack:\n", "slack:\n  posts_per_second: 20\n  post_burst: 20\n  dm_opens_per_minute: 100\n", 1)
	if err := os.WriteFile(r.config, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	c := &cluster{r: r}
	t.Cleanup(func() {
		for _, p := range c.live() {
			r.kill(p)
		}
	})
	for range 3 {
		c.add()
	}
	bound := 2*failoverLease + failoverLease/3
	c.leader(30 * time.Second)

	answers := make([]*answer, members)
	for i, u := range r.users {
		a := &answer{user: u, text: "substantial: answer of " + u, eventID: fmt.Sprintf("Ev%05d", i), redeliver: i%4 == 0}
		a.ts = r.slack.say(u, a.text)
		answers[i] = a
	}
	r.waitFor("the round open", 60*time.Second, func() bool { return total(r.slack.prompts(promptPrefix)) >= 1 })
	// Answers arrive throughout the fan-out, the kills included.
	var wg sync.WaitGroup
	work := make(chan *answer)
	deadline := time.Now().Add(deadlineFor(time.Duration(members)*time.Second + 120*time.Second))
	var acked atomic.Int64
	for s := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(s)))
			for a := range work {
				c.deliverAny(a, rng, deadline)
				if a.acked {
					acked.Add(1)
				}
			}
		}()
	}
	go func() {
		// Spread over the fan-out: the prompts take members × 0.6 s
		// (conversations.open, 100 a minute).
		gap := time.Duration(members) * 600 * time.Millisecond / time.Duration(members+1) / 2
		for _, a := range answers {
			work <- a
			time.Sleep(gap)
		}
		close(work)
	}()

	for k := range 2 {
		target := (k + 1) * members / 3
		r.waitFor("prompts going out", time.Duration(members)*time.Second+60*time.Second, func() bool {
			return total(r.slack.prompts(promptPrefix)) >= target
		})
		old := c.leader(10 * time.Second)
		killed := time.Now()
		sent := total(r.slack.prompts(promptPrefix))
		r.kill(old)
		var next *proc
		r.waitFor("a new leader", deadlineFor(bound)+10*time.Second, func() bool {
			ls := c.leaders()
			if len(ls) > 1 {
				t.Errorf("kill %d: %d leaders at once", k+1, len(ls))
			}
			if len(ls) == 1 {
				next = ls[0]
			}
			return next != nil
		})
		took := time.Since(killed)
		t.Logf("kill %d at %d of %d prompts: a new leader %s after the SIGKILL (bound %s: two leases and a check; lease %s)",
			k+1, sent, members, took.Round(time.Millisecond), bound, failoverLease)
		if took > deadlineFor(bound)+2*time.Second {
			t.Errorf("kill %d: a new leader only %s after the kill, beyond the bound %s (+2 s to see it)", k+1, took, bound)
		}
		c.add()
	}
	wg.Wait()
	p := c.leader(30 * time.Second)
	checkPromptedOnce(r, p, time.Duration(members)*time.Second+120*time.Second)

	stored := map[string]int{}
	for _, u := range r.export() {
		user := strings.TrimPrefix(u.Member, "slack:")
		if u.Completion == "Substantial" && strings.Contains(u.Note, "answer of "+user) {
			stored[user]++
		}
	}
	for _, a := range answers {
		if !a.acked {
			t.Errorf("%s: never acknowledged (%s)", a.user, a.err)
		} else if stored[a.user] != 1 {
			t.Errorf("%s's answer is in the export %d times, want exactly once", a.user, stored[a.user])
		}
	}
	t.Logf("%d members, 2 leader kills: %d answers acknowledged, %d stored", members, acked.Load(), len(stored))
	for _, p := range c.live() {
		r.stop(p)
	}
}
