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

// Lull holds follow-up work back while requests keep arriving. The
// platform times each request until it is acknowledged, and gives up on
// it after 3 seconds; the calls that follow an acknowledgement (the edit
// of a prompt after an answer, a confirmation) have no such deadline. In
// a burst, 200 members submitting the form the morning a round opens, the
// follow-ups of the first answers took the cores from the acknowledgement
// of the last ones: through Slack, on two years of history, the median
// acknowledgement took 89 ms with them running at once and 62 ms with
// them waiting, the 99th percentile 161 and 123 ms (docs/BENCHMARKS.md,
// "Follow-ups wait for a lull"). A follow-up waits until no request has
// arrived for Quiet, or for MaxHold at most, so that a stream of requests
// that never pauses does not starve it.
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
