package kit

import (
	"context"
	"sync"
	"time"
)

// Defaults of Lull.
const (
	DefaultLullQuiet   = 50 * time.Millisecond
	DefaultLullMaxHold = 2 * time.Second
)

// Lull holds work that can wait back while requests keep arriving. The
// platform times each request until it is acknowledged, and gives up on
// it after 3 seconds; the edit of a prompt after an answer (re-rendered
// from the store) has no such deadline. In a burst, 200 members
// submitting the form the morning a round opens, the edits of the first
// answers took the cores from the acknowledgement of the last ones
// (docs/BENCHMARKS.md, "Edits wait for a lull"). An edit waits until no
// request has arrived for Quiet, or for MaxHold at most, so that a stream
// of requests that never pauses does not starve it. What confirms an
// answer (a reply, a reaction) does not wait: a process stopped meanwhile
// would lose it.
//
// The zero value uses the defaults; Arrived and Wait may be called from
// any goroutine.
type Lull struct {
	// Quiet is how long no request must have arrived;
	// DefaultLullQuiet by default.
	Quiet time.Duration
	// MaxHold bounds the wait of one follow-up; DefaultLullMaxHold by
	// default.
	MaxHold time.Duration
	// Now and Sleep are the clock, time.Now and Sleep by default (tests).
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error

	mu   sync.Mutex
	last time.Time
}

// Arrived records that a request arrived now.
func (l *Lull) Arrived() {
	now := l.now()
	l.mu.Lock()
	l.last = now
	l.mu.Unlock()
}

// Wait returns once no request has arrived for Quiet, or once it has
// waited MaxHold; it returns early with ctx's error when ctx ends.
func (l *Lull) Wait(ctx context.Context) error {
	quiet, hold := l.Quiet, l.MaxHold
	if quiet <= 0 {
		quiet = DefaultLullQuiet
	}
	if hold <= 0 {
		hold = DefaultLullMaxHold
	}
	sleep := l.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	until := l.now().Add(hold)
	for {
		l.mu.Lock()
		lull := l.last.Add(quiet)
		l.mu.Unlock()
		now := l.now()
		wait := min(lull.Sub(now), until.Sub(now))
		if wait <= 0 {
			return nil
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

func (l *Lull) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}
