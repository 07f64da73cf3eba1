package slack

import (
	"sync"
	"time"
)

// seenSet remembers recent requests so that one Slack delivers twice is
// handled once: a Socket Mode envelope redelivered after a reconnect, an
// event Slack retried because the first answer was late or lost. It keeps
// at most max entries, none older than ttl.
type seenSet struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	entries map[string]*seenEntry
	// order lists entries oldest first; an entry forgotten and claimed
	// again appears twice, and only its newest place counts.
	order []orderedKey
}

type orderedKey struct {
	key   string
	entry *seenEntry
}

// seenEntry is one request: its acknowledgement, once sent, so a
// redelivery gets the same answer.
type seenEntry struct {
	at    time.Time
	acked chan struct{}
	ack   any
	once  sync.Once
}

func newSeenSet(max int, ttl time.Duration) *seenSet {
	return &seenSet{max: max, ttl: ttl, entries: map[string]*seenEntry{}}
}

// claim records key at now. It returns the entry and true when key is new
// (the caller handles the request), or the earlier entry and false.
func (s *seenSet) claim(key string, now time.Time) (*seenEntry, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.entries[key]; ok {
		return e, false
	}
	for len(s.order) > 0 && (len(s.entries) >= s.max || now.Sub(s.order[0].entry.at) > s.ttl) {
		if old := s.order[0]; s.entries[old.key] == old.entry {
			delete(s.entries, old.key)
		}
		s.order = s.order[1:]
	}
	e := &seenEntry{at: now, acked: make(chan struct{})}
	s.entries[key] = e
	s.order = append(s.order, orderedKey{key, e})
	return e, true
}

// forget drops key, claimed for a request that could not be handled, so
// that its redelivery is.
func (s *seenSet) forget(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
}

// setAck records the acknowledgement payload; the first call wins.
func (e *seenEntry) setAck(payload any) {
	e.once.Do(func() {
		e.ack = payload
		close(e.acked)
	})
}
