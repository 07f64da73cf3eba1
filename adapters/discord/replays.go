package discord

import (
	"sync"
	"time"
)

// replays remembers the interactions received on the endpoint within the
// replay window. Discord sends each interaction once, so a signed request
// that comes again is a replay, refused. It keeps at most max ids, none
// older than the window.
type replays struct {
	mu     sync.Mutex
	window time.Duration
	max    int
	next   uint64
	ids    map[string]claim
	// order lists the claims oldest first; an id forgotten and claimed
	// again appears twice, and only its newest claim counts.
	order []orderedClaim
}

// claim is when an id was received, and the claim's number.
type claim struct {
	at time.Time
	n  uint64
}

type orderedClaim struct {
	id string
	claim
}

func newReplays(window time.Duration, max int) *replays {
	return &replays{window: window, max: max, ids: map[string]claim{}}
}

// claim records id at now; it reports false when id was received already.
func (r *replays) claim(id string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.order) > 0 {
		oldest := r.order[0]
		cur, ok := r.ids[oldest.id]
		current := ok && cur.n == oldest.n
		if current && len(r.ids) < r.max && now.Sub(cur.at) <= r.window {
			break
		}
		if current {
			delete(r.ids, oldest.id)
		}
		r.order = r.order[1:]
	}
	if _, ok := r.ids[id]; ok {
		return false
	}
	r.next++
	c := claim{at: now, n: r.next}
	r.ids[id] = c
	r.order = append(r.order, orderedClaim{id, c})
	return true
}

// forget drops id, claimed for an interaction that could not be handled.
func (r *replays) forget(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.ids, id)
}
