package discord_test

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// fakePace is Discord's rate limiting as the fake emulates it when a
// benchmark asks: fixed windows, as Discord describes them, announced in
// the X-RateLimit headers that discordgo reads. Discord documents the
// global limit (50 requests a second for a bot, interactions exempt); the
// per-channel limit on creating messages is not documented, and the fake
// uses the commonly observed 5 per 5 seconds.
type fakePace struct {
	mu       sync.Mutex
	global   window
	messages map[string]*window // by channel
	limited  map[string]int     // 429 answers by scope: global, user
}

// window is one fixed-window limit.
type window struct {
	limit   int
	length  time.Duration
	count   int
	resetAt time.Time
}

// take counts a request in w at now, or returns how long until w resets
// when it is full.
func (w *window) take(now time.Time) time.Duration {
	if !now.Before(w.resetAt) {
		w.count, w.resetAt = 0, now.Add(w.length)
	}
	if w.count >= w.limit {
		return w.resetAt.Sub(now)
	}
	w.count++
	return 0
}

func newFakePace() *fakePace {
	return &fakePace{
		global:   window{limit: 50, length: time.Second},
		messages: map[string]*window{},
		limited:  map[string]int{},
	}
}

// admit applies the limits to a request of route on the bot's token: the
// global one, then the channel's for a new message. It sets the bucket's
// headers, or answers 429 as Discord does and returns false.
func (p *fakePace) admit(w http.ResponseWriter, route string, r *http.Request) bool {
	if strings.HasPrefix(route, "POST /interactions/") || strings.Contains(route, "/webhooks/") {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if wait := p.global.take(now); wait > 0 {
		p.limited["global"]++
		w.Header().Set("X-RateLimit-Global", "true")
		w.Header().Set("X-RateLimit-Scope", "global")
		tooMany(w, wait, true)
		return false
	}
	if route != "POST /channels/{channel}/messages" {
		return true
	}
	channel := r.PathValue("channel")
	b := p.messages[channel]
	if b == nil {
		b = &window{limit: 5, length: 5 * time.Second}
		p.messages[channel] = b
	}
	wait := b.take(now)
	w.Header().Set("X-RateLimit-Bucket", "messages")
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(b.limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(b.limit-b.count))
	w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(b.resetAt.Sub(now).Seconds(), 'f', 3, 64))
	if wait > 0 {
		p.limited["user"]++
		w.Header().Set("X-RateLimit-Scope", "user")
		tooMany(w, wait, false)
		return false
	}
	return true
}

// tooMany writes a 429 with Retry-After (whole seconds, rounded up) and
// the JSON body discordgo reads.
func tooMany(w http.ResponseWriter, wait time.Duration, global bool) {
	w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	writeJSON(w, http.StatusTooManyRequests, map[string]any{"message": "You are being rate limited.", "retry_after": wait.Seconds(), "global": global})
}

// refusals returns the 429 answers so far, by scope.
func (p *fakePace) refusals() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.limited {
		out[k] = v
	}
	return out
}
