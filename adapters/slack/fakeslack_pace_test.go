package slack_test

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// fakePace is Slack's rate limiting as the fake emulates it, each limit a
// token bucket: chat.postMessage across the workspace and per channel,
// conversations.open in its tier. A call beyond a limit is answered 429
// with the Retry-After the bucket needs, and counted.
type fakePace struct {
	mu         sync.Mutex
	workspace  *rate.Limiter
	opens      *rate.Limiter
	channel    func() *rate.Limiter
	perChannel map[string]*rate.Limiter
	limited    map[string]int // 429 answers by method
}

func newFakePace(opts fakeOptions) *fakePace {
	p := &fakePace{perChannel: map[string]*rate.Limiter{}, limited: map[string]int{}}
	if opts.postsPerSecond > 0 {
		p.workspace = rate.NewLimiter(rate.Limit(opts.postsPerSecond), max(opts.postBurst, 1))
	}
	if opts.opensPerMinute > 0 {
		p.opens = rate.NewLimiter(rate.Limit(opts.opensPerMinute/60), max(opts.opensBurst, 1))
	}
	if opts.channelPosts > 0 {
		p.channel = func() *rate.Limiter {
			return rate.NewLimiter(rate.Limit(opts.channelPosts), max(opts.channelBurst, 1))
		}
	}
	return p
}

// buckets returns the limits a call of method in channel draws on.
func (p *fakePace) buckets(method, channel string) []*rate.Limiter {
	var out []*rate.Limiter
	switch method {
	case "chat.postMessage":
		if p.workspace != nil {
			out = append(out, p.workspace)
		}
		if p.channel != nil {
			if p.perChannel[channel] == nil {
				p.perChannel[channel] = p.channel()
			}
			out = append(out, p.perChannel[channel])
		}
	case "conversations.open":
		if p.opens != nil {
			out = append(out, p.opens)
		}
	}
	return out
}

// take draws one token from every bucket of the call, or none: it returns
// how long the caller must wait when a bucket is empty.
func (p *fakePace) take(method, channel string) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	var taken []*rate.Reservation
	for _, b := range p.buckets(method, channel) {
		r := b.ReserveN(now, 1)
		if wait := r.DelayFrom(now); wait > 0 {
			r.CancelAt(now)
			for _, t := range taken {
				t.CancelAt(now)
			}
			p.limited[method]++
			return wait
		}
		taken = append(taken, r)
	}
	return 0
}

// admit applies Slack's rate limits to a call of method in channel; beyond
// them it answers 429 with Retry-After in whole seconds, as Slack does, and
// returns false.
func (f *fakeSlack) admit(w http.ResponseWriter, method, channel string) bool {
	f.mu.Lock()
	pace := f.pace
	f.mu.Unlock()
	wait := pace.take(method, channel)
	if wait == 0 {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusTooManyRequests)
	w.Write([]byte(`{"ok":false,"error":"ratelimited"}`))
	return false
}

// limited returns how many calls of method the fake answered 429 for
// being over its limits (not for injected faults).
func (f *fakeSlack) limited(method string) int {
	f.mu.Lock()
	pace := f.pace
	f.mu.Unlock()
	pace.mu.Lock()
	defer pace.mu.Unlock()
	return pace.limited[method]
}

// setPace replaces the limits the fake enforces (the rate fields of opts)
// with full buckets and no refusals counted: a benchmark sets up without
// limits, then measures under them.
func (f *fakeSlack) setPace(opts fakeOptions) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pace = newFakePace(opts)
}
