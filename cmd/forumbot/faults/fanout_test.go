package faults_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"
)

// promptPrefix starts the delivery key of every prompt of the rig's forum.
const promptPrefix = "prompt/f/"

// total adds up counts.
func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// randomFaults fails about one call in twelve of those that send or look
// for messages: 429 with Retry-After 1, a 500, or, for a post, the message
// stored and then a 500, so that the answer is lost but the message is
// there.
func randomFaults(seed uint64) func(string) stubFault {
	rng := rand.New(rand.NewPCG(seed, 0))
	return func(method string) stubFault {
		switch method {
		case "chat.postMessage", "conversations.open", "conversations.history":
		default:
			return stubFault{}
		}
		switch n := rng.IntN(36); {
		case n == 0:
			return stubFault{status: http.StatusTooManyRequests, retryAfter: 1}
		case n == 1:
			return stubFault{status: http.StatusInternalServerError}
		case n == 2 && method == "chat.postMessage":
			return stubFault{status: http.StatusInternalServerError, afterStore: true}
		}
		return stubFault{}
	}
}

// checkPromptedOnce waits for every member to be prompted and the outbox to
// be empty, or for a delivery to be given up, then checks that each member
// got exactly one prompt and that none was given up.
func checkPromptedOnce(r *rig, p *proc, within time.Duration) {
	r.t.Helper()
	var failed float64
	r.waitFor("every member prompted and the outbox empty, or a delivery given up", within, func() bool {
		if failed = p.metric("forumbot_outbox_failed"); failed > 0 {
			return true
		}
		return len(r.slack.prompts(promptPrefix)) == len(r.users) && p.metric("forumbot_outbox_depth") == 0
	})
	if failed != 0 {
		r.t.Errorf("%v deliveries given up, want none", failed)
	}
	counts := r.slack.prompts(promptPrefix)
	var never, twice []string
	for _, u := range r.users {
		switch {
		case counts[u] == 0:
			never = append(never, u)
		case counts[u] > 1:
			twice = append(twice, fmt.Sprintf("%s (%d times)", u, counts[u]))
		}
	}
	if len(never) > 0 {
		r.t.Errorf("%d of %d members never prompted, e.g. %v", len(never), len(r.users), never[:min(len(never), 5)])
	}
	if len(twice) > 0 {
		r.t.Errorf("%d members prompted more than once: %v", len(twice), twice)
	}
}

// TestKillDuringFanOut kills serve with SIGKILL at random points while
// the prompts of a round go out, Slack failing some calls at random, and
// restarts it each time: afterwards every member was prompted exactly once.
func TestKillDuringFanOut(t *testing.T) {
	t.Parallel()
	members, kills := 24, 3
	if *long {
		members, kills = 600, 20
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	r := newRig(t, members)
	r.slack.setFault(randomFaults(seed))
	for range kills {
		p := r.start()
		before := total(r.slack.prompts(promptPrefix))
		if before >= members-1 {
			r.kill(p)
			break
		}
		target := min(before+1+rng.IntN(max(members/kills, 1)), members-1)
		r.waitFor("prompts going out", 60*time.Second, func() bool { return total(r.slack.prompts(promptPrefix)) >= target })
		r.kill(p)
	}
	p := r.start()
	checkPromptedOnce(r, p, 120*time.Second)
	r.stop(p)
}

// storm makes Slack answer every call of methods with fault between start
// and end.
type storm struct {
	mu         sync.Mutex
	start, end time.Time
	methods    map[string]bool
	fault      stubFault
}

func (s *storm) set(start, end time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.start, s.end = start, end
}

func (s *storm) decide(method string) stubFault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now := time.Now(); s.methods[method] && !now.Before(s.start) && now.Before(s.end) {
		return s.fault
	}
	return stubFault{}
}

// midRound starts the storm once the first prompts are out, waits for it
// to end, and checks that every member was prompted exactly once after it.
func midRound(t *testing.T, members int, s *storm, length time.Duration) {
	r := newRig(t, members)
	r.slack.setFault(s.decide)
	p := r.start()
	r.waitFor("the first prompts", 30*time.Second, func() bool { return total(r.slack.prompts(promptPrefix)) >= 2 })
	now := time.Now()
	s.set(now, now.Add(length))
	posts := r.slack.count("chat.postMessage")
	checkPromptedOnce(r, p, length+120*time.Second)
	t.Logf("%d members, a %s storm: %d chat.postMessage calls reached Slack in all after it began", members, length, r.slack.count("chat.postMessage")-posts)
	r.stop(p)
}

// TestRateLimitStorm: mid-round, Slack answers every post 429 with a
// Retry-After longer than the adapter waits within a call (3 s), for
// several Retry-Afters in a row; once it lets up, every member is
// prompted exactly once and no delivery was given up.
func TestRateLimitStorm(t *testing.T) {
	t.Parallel()
	members, retryAfter, length := 16, 5, 15*time.Second
	if *long {
		members, retryAfter, length = 300, 10, 100*time.Second
	}
	midRound(t, members, &storm{methods: map[string]bool{"chat.postMessage": true},
		fault: stubFault{status: http.StatusTooManyRequests, retryAfter: retryAfter}}, length)
}

// TestOutage: mid-round, Slack answers 500 to everything the sender calls
// for a while; afterwards every member is prompted exactly once.
func TestOutage(t *testing.T) {
	t.Parallel()
	members, length := 16, 10*time.Second
	if *long {
		members, length = 100, 45*time.Second
	}
	midRound(t, members, &storm{methods: map[string]bool{"chat.postMessage": true, "conversations.open": true, "conversations.history": true},
		fault: stubFault{status: http.StatusInternalServerError}}, length)
}
