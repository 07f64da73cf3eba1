package kit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"forumbot/adapters/internal/kit"
)

// lullClock is a clock that moves only when the lull sleeps; each sleep
// may let requests arrive, as the test says.
type lullClock struct {
	now    time.Time
	slept  []time.Duration
	during func(slept time.Duration) // runs as each sleep ends
}

func (c *lullClock) lull(quiet, hold time.Duration) *kit.Lull {
	return &kit.Lull{Quiet: quiet, MaxHold: hold, Now: func() time.Time { return c.now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			c.now = c.now.Add(d)
			c.slept = append(c.slept, d)
			if c.during != nil {
				c.during(d)
			}
			return ctx.Err()
		}}
}

// wait runs l.Wait and returns how long it slept in all.
func (c *lullClock) wait(t *testing.T, l *kit.Lull) time.Duration {
	t.Helper()
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	var sum time.Duration
	for _, d := range c.slept {
		sum += d
	}
	return sum
}

// TestLullAfterLastRequest: a follow-up waits until Quiet has passed since
// the last request arrived, and no longer.
func TestLullAfterLastRequest(t *testing.T) {
	c := &lullClock{now: time.Unix(1000, 0)}
	l := c.lull(50*time.Millisecond, 2*time.Second)
	l.Arrived()
	c.now = c.now.Add(30 * time.Millisecond)
	if got := c.wait(t, l); got != 20*time.Millisecond {
		t.Errorf("waited %s, want the 20 ms left of the quiet 50 ms", got)
	}
}

// TestLullWhileRequestsArrive: each request that arrives while the
// follow-up waits puts the lull off.
func TestLullWhileRequestsArrive(t *testing.T) {
	c := &lullClock{now: time.Unix(1000, 0)}
	l := c.lull(50*time.Millisecond, 2*time.Second)
	l.Arrived()
	arrivals := 3
	c.during = func(time.Duration) {
		if arrivals > 0 {
			arrivals--
			l.Arrived()
		}
	}
	if got, want := c.wait(t, l), 4*50*time.Millisecond; got != want {
		t.Errorf("waited %s, want %s: the quiet period after each of three more requests", got, want)
	}
}

// TestLullHoldsNoLongerThanMaxHold: requests that never pause do not
// starve a follow-up.
func TestLullHoldsNoLongerThanMaxHold(t *testing.T) {
	c := &lullClock{now: time.Unix(1000, 0)}
	l := c.lull(50*time.Millisecond, 2*time.Second)
	l.Arrived()
	c.during = func(time.Duration) { l.Arrived() }
	if got := c.wait(t, l); got != 2*time.Second {
		t.Errorf("waited %s, want MaxHold's 2 s", got)
	}
}

// TestLullNoRequest: with no request in the quiet period, a follow-up
// does not wait at all.
func TestLullNoRequest(t *testing.T) {
	c := &lullClock{now: time.Unix(1000, 0)}
	l := c.lull(0, 0)
	l.Arrived()
	c.now = c.now.Add(kit.DefaultLullQuiet)
	if got := c.wait(t, l); got != 0 {
		t.Errorf("waited %s, want no wait", got)
	}
}

// TestLullEndsWithItsContext: a follow-up dropped at shutdown stops
// waiting and says why.
func TestLullEndsWithItsContext(t *testing.T) {
	c := &lullClock{now: time.Unix(1000, 0)}
	l := c.lull(50*time.Millisecond, 2*time.Second)
	l.Arrived()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait = %v, want context.Canceled", err)
	}
}
