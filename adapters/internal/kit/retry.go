package kit

import (
	"context"
	"time"

	"forumbot/bot"
)

// maxRateLimitWaits caps how often one call waits out a 429 and tries
// again, however short the waits: a platform that keeps refusing is left
// to the outbox.
const maxRateLimitWaits = 3

// Call is one platform call, as Retry makes it.
type Call struct {
	// Name names the call in logs: the method or the route.
	Name string
	// Do makes the call once.
	Do func(ctx context.Context) error
	// Judge reads a failure of Do.
	Judge func(err error) Verdict
	// Ready, when set, runs before every attempt: it waits until the
	// platform, or the adapter's own pace, allows the call, or returns a
	// *bot.RateLimitError when that would be after deadline, the end of the
	// call's budget for rate limits.
	Ready func(ctx context.Context, deadline time.Time) error
	// BeforeRetry, when set, runs before a transient failure is tried
	// again; done reports that the failed attempt took effect after all (the
	// platform stored a message before its answer was lost), which ends the
	// call.
	BeforeRetry func(ctx context.Context) (done bool, err error)
}

// Verdict is what an adapter reads in a failed call.
type Verdict struct {
	// RetryAfter, when positive, says the platform refused the call for now
	// (a 429) and how long it asked to wait.
	RetryAfter time.Duration
	// Transient says the failure may pass if the call is made again: a 5xx,
	// a broken connection.
	Transient bool
	// Err is what the call returns when it is not tried again: the failure
	// in the bot's terms (a *bot.Error for a permanent refusal); the failure
	// itself when nil.
	Err error
}

// Retry makes c with the policy of o:
//
//   - a 429 is waited out and the call made again, at most three times and
//     while the waits end within MaxRateLimitWait of the call's start;
//     beyond that, Retry returns a *bot.RateLimitError carrying the wait,
//     for the caller (the engine's outbox) to honour;
//   - a transient failure is tried again up to Retries times, after
//     RetryBackoff, doubled after each;
//   - any other failure ends the call with its Verdict's Err.
//
// Every wait ends early, with ctx's error, when ctx is done.
func (o Options) Retry(ctx context.Context, c Call) error {
	// Rate-limit waits use the wall clock: they pace real requests.
	deadline := time.Now().Add(max(o.MaxRateLimitWait, 0))
	failures, waits := 0, 0
	for {
		if c.Ready != nil {
			if err := c.Ready(ctx, deadline); err != nil {
				return err
			}
		}
		err := c.Do(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		v := c.Judge(err)
		final := v.Err
		if final == nil {
			final = err
		}
		switch {
		case v.RetryAfter > 0:
			if waits >= maxRateLimitWaits || time.Now().Add(v.RetryAfter).After(deadline) {
				return &bot.RateLimitError{Wait: v.RetryAfter, Err: final}
			}
			waits++
			o.Log.Info("rate limited", "call", c.Name, "retry_after", v.RetryAfter)
			if err := Sleep(ctx, v.RetryAfter); err != nil {
				return err
			}
		case v.Transient && failures < o.Retries:
			failures++
			o.Log.Info("retrying", "call", c.Name, "attempt", failures, "err", err)
			if err := Sleep(ctx, o.RetryBackoff<<(failures-1)); err != nil {
				return err
			}
			if c.BeforeRetry != nil {
				if done, err := c.BeforeRetry(ctx); err != nil || done {
					return err
				}
			}
		default:
			return final
		}
	}
}

// Sleep waits d, or until ctx is done and then returns ctx's error. It
// returns at once when d is not positive.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Patiently makes a follow-up call (an edit, a reaction, an answer after
// the acknowledgement) again after each *bot.RateLimitError, once the wait
// the platform asked for is over, for as long as ctx allows: a follow-up
// has no deadline but its event's, and a burst of answers can exceed what
// a platform allows per minute for edits and reactions.
func Patiently(ctx context.Context, call func() error) error {
	for {
		err := call()
		wait, limited := bot.RetryAfter(err)
		if !limited {
			return err
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return err
		}
		if err := Sleep(ctx, wait); err != nil {
			return err
		}
	}
}
