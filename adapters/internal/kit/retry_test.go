package kit_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

var (
	errLimited   = errors.New("429")
	errFlaky     = errors.New("502")
	errRefused   = errors.New("403")
	errForbidden = bot.Errorf(bot.EFORBIDDEN, "refused")
)

// judge reads the test's failures: a 429 asking for a second, a
// transient 502, a permanent 403.
func judge(err error) kit.Verdict {
	switch err {
	case errLimited:
		return kit.Verdict{RetryAfter: time.Second}
	case errFlaky:
		return kit.Verdict{Transient: true}
	}
	return kit.Verdict{Err: errForbidden}
}

func quiet() kit.Options {
	return kit.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}.WithDefaults("test")
}

// answers returns a call that fails with errs in turn, then succeeds, and
// counts its attempts.
func answers(attempts *int, errs ...error) func(context.Context) error {
	return func(context.Context) error {
		*attempts++
		if *attempts <= len(errs) {
			return errs[*attempts-1]
		}
		return nil
	}
}

// TestRetry runs the policy on a fake clock: what each sequence of
// failures ends in, after how many attempts, and how long it waited.
func TestRetry(t *testing.T) {
	for _, tc := range []struct {
		name     string
		opts     func(*kit.Options)
		errs     []error
		want     error
		attempts int
		waited   time.Duration
	}{
		{"OK", nil, nil, nil, 1, 0},
		{"RateLimitWaitedOut", nil, []error{errLimited, errLimited}, nil, 3, 2 * time.Second},
		{"RateLimitBeyondTheBudget", func(o *kit.Options) { o.MaxRateLimitWait = 1500 * time.Millisecond }, []error{errLimited, errLimited}, errLimited, 2, time.Second},
		{"NeverWait", func(o *kit.Options) { o.MaxRateLimitWait = -1 }, []error{errLimited}, errLimited, 1, 0},
		{"AtMostThreeWaits", func(o *kit.Options) { o.MaxRateLimitWait = time.Hour }, []error{errLimited, errLimited, errLimited, errLimited}, errLimited, 4, 3 * time.Second},
		{"TransientRetriedWithBackoff", nil, []error{errFlaky, errFlaky, errFlaky}, nil, 4, 1750 * time.Millisecond},
		{"TransientGivenUp", nil, []error{errFlaky, errFlaky, errFlaky, errFlaky}, errFlaky, 4, 1750 * time.Millisecond},
		{"NoRetries", func(o *kit.Options) { o.Retries = 0 }, []error{errFlaky}, errFlaky, 1, 0},
		{"PermanentAtOnce", nil, []error{errRefused}, errForbidden, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				o := quiet()
				if tc.opts != nil {
					tc.opts(&o)
				}
				attempts := 0
				start := time.Now()
				err := o.Retry(context.Background(), kit.Call{Name: "test", Do: answers(&attempts, tc.errs...), Judge: judge})
				if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
					t.Errorf("Retry returned %v, want %v", err, tc.want)
				}
				if _, limited := bot.RetryAfter(err); limited != (tc.want == errLimited) {
					t.Errorf("Retry returned %v: a *bot.RateLimitError is %v, want %v", err, limited, tc.want == errLimited)
				}
				if attempts != tc.attempts {
					t.Errorf("%d attempts, want %d", attempts, tc.attempts)
				}
				if waited := time.Since(start); waited != tc.waited {
					t.Errorf("waited %s, want %s", waited, tc.waited)
				}
			})
		})
	}
}

// TestRetryReady: Ready runs before every attempt with the budget's end,
// and its refusal ends the call.
func TestRetryReady(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := quiet()
		start := time.Now()
		var deadlines []time.Time
		attempts := 0
		refusal := &bot.RateLimitError{Wait: time.Minute}
		err := o.Retry(context.Background(), kit.Call{
			Do: answers(&attempts, errLimited, errLimited), Judge: judge,
			Ready: func(_ context.Context, deadline time.Time) error {
				deadlines = append(deadlines, deadline)
				if len(deadlines) == 2 {
					return refusal
				}
				return nil
			},
		})
		if err != refusal || attempts != 1 {
			t.Errorf("Retry returned %v after %d attempts, want Ready's refusal after 1", err, attempts)
		}
		if len(deadlines) != 2 || !deadlines[0].Equal(start.Add(3*time.Second)) || !deadlines[1].Equal(deadlines[0]) {
			t.Errorf("Ready saw deadlines %v, want twice the call's start plus MaxRateLimitWait", deadlines)
		}
	})
}

// TestRetryBeforeRetry: a transient failure that took effect after all
// ends the call without another attempt.
func TestRetryBeforeRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		attempts, checks := 0, 0
		err := quiet().Retry(context.Background(), kit.Call{
			Do: answers(&attempts, errFlaky, errFlaky), Judge: judge,
			BeforeRetry: func(context.Context) (bool, error) { checks++; return true, nil },
		})
		if err != nil || attempts != 1 || checks != 1 {
			t.Errorf("Retry: %v after %d attempts and %d checks, want success after 1 and 1", err, attempts, checks)
		}
	})
}

// TestRetryCancelled: a wait ends when the context does.
func TestRetryCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := quiet()
		o.MaxRateLimitWait = time.Hour
		ctx, cancel := context.WithCancel(context.Background())
		attempts := 0
		done := make(chan error)
		go func() {
			done <- o.Retry(ctx, kit.Call{Do: answers(&attempts, errLimited, errLimited), Judge: judge})
		}()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || attempts != 1 {
			t.Errorf("Retry: %v after %d attempts, want context.Canceled after 1", err, attempts)
		}
	})
}

// TestPatiently: a follow-up waits out rate limits while its context
// allows, and gives up with the rate limit when the wait would outlast it.
func TestPatiently(t *testing.T) {
	limited := &bot.RateLimitError{Wait: 10 * time.Second}
	for _, tc := range []struct {
		name     string
		timeout  time.Duration
		want     error
		attempts int
	}{
		{"WaitsWithinTheDeadline", time.Minute, nil, 3},
		{"GivesUpBeyondIt", 15 * time.Second, limited, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(context.Background(), tc.timeout)
				defer cancel()
				attempts := 0
				err := kit.Patiently(ctx, func() error { return answers(&attempts, limited, limited)(ctx) })
				if err != tc.want || attempts != tc.attempts {
					t.Errorf("Patiently: %v after %d attempts, want %v after %d", err, attempts, tc.want, tc.attempts)
				}
			})
		})
	}
}
