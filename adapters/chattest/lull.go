package chattest

import (
	"context"
	"sync"
	"time"
)

// LullClock is a clock for an adapter's lull (kit.Lull) that stands
// still until Release: a test holds the edits that wait for the requests
// to pause, checks what went out meanwhile, then lets them go.
type LullClock struct {
	mu      sync.Mutex
	now     time.Time
	release chan struct{}
	once    sync.Once
}

// NewLullClock returns a clock standing at a fixed time.
func NewLullClock() *LullClock {
	return &LullClock{now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC), release: make(chan struct{})}
}

// Now is the clock's time.
func (c *LullClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep waits until Release, then moves the clock on an hour, past any
// lull; it returns early with ctx's error.
func (c *LullClock) Sleep(ctx context.Context, _ time.Duration) error {
	select {
	case <-c.release:
		c.mu.Lock()
		c.now = c.now.Add(time.Hour)
		c.mu.Unlock()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release lets every sleep end, now and from then on; it may be called
// more than once.
func (c *LullClock) Release() { c.once.Do(func() { close(c.release) }) }
