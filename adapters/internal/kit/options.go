// Package kit is what forumbot's chat adapters do alike: wait out rate
// limits and retry failed calls, acknowledge an event before the platform
// gives up on it, bound the work on one event, hold edits back while
// requests keep arriving, apply the edit a response asks for, guard
// against a panic escaping into a client library's goroutines, and split
// long text. Each adapter brings what is its platform's own (how it reads
// a 429, what counts as a character, what an escape looks like); the
// policy, its option names and its defaults live here, once.
// matterbridge's bridge/helper plays the same part for its bridges.
package kit

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Defaults of Options, for the documentation of the adapters.
const (
	DefaultMaxRateLimitWait = 3 * time.Second
	DefaultRetries          = 3
	DefaultRetryBackoff     = 250 * time.Millisecond
	DefaultAckWithin        = 2 * time.Second
	DefaultEventTimeout     = time.Minute
)

// PlatformDeadline is how long Slack and Discord wait for an interaction
// to be acknowledged before they show the person an error.
const PlatformDeadline = 3 * time.Second

// Options tune what every adapter does alike; each adapter's Config embeds
// them. The zero value of a field means its default.
type Options struct {
	// Log receives structured logs, each naming the platform;
	// slog.Default() by default.
	Log *slog.Logger
	// MaxRateLimitWait bounds how long one call waits out the platform's
	// rate limits (a 429's Retry-After, a bucket known to be empty) before
	// it gives up with a *bot.RateLimitError that carries the wait and
	// leaves it to the engine's outbox; 3 s by default, negative for
	// never waiting.
	MaxRateLimitWait time.Duration
	// Retries is how many times a call that failed with a 5xx or a broken
	// connection is tried again; 3 by default, negative for none. A retry
	// never doubles a message: each adapter checks first or sends a nonce.
	Retries int
	// RetryBackoff is the wait before the first of those retries, doubled
	// after each; 250 ms by default.
	RetryBackoff time.Duration
	// AckWithin is how long an event may take before it is acknowledged
	// anyway (an empty or "still saving" acknowledgement on Slack, a
	// deferred response on Discord) and its answer follows when ready; 2 s
	// by default, at most 3 s, the platforms' deadline.
	AckWithin time.Duration
	// EventTimeout bounds the work on one event, the follow-up calls after
	// its acknowledgement included. It outlives Listen, so that an answer
	// being stored when the bot stops is still confirmed, and Listen waits
	// for it; 1 minute by default, so that a shutdown ends within a service
	// manager's usual stop timeout.
	EventTimeout time.Duration
}

// Problems lists what is wrong with o, each naming its field.
func (o Options) Problems() []string {
	var out []string
	if o.AckWithin > PlatformDeadline {
		out = append(out, fmt.Sprintf("AckWithin: %s is over the platforms' %s", o.AckWithin, PlatformDeadline))
	}
	if o.RetryBackoff < 0 {
		out = append(out, fmt.Sprintf("RetryBackoff: %s is negative", o.RetryBackoff))
	}
	if o.EventTimeout < 0 {
		out = append(out, fmt.Sprintf("EventTimeout: %s is negative", o.EventTimeout))
	}
	return out
}

// WithDefaults returns o with every zero field set to its default and the
// platform named in its log.
func (o Options) WithDefaults(platform string) Options {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	o.Log = o.Log.With("platform", platform)
	if o.MaxRateLimitWait == 0 {
		o.MaxRateLimitWait = DefaultMaxRateLimitWait
	}
	if o.Retries == 0 {
		o.Retries = DefaultRetries
	}
	o.Retries = max(o.Retries, 0)
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = DefaultRetryBackoff
	}
	if o.AckWithin <= 0 {
		o.AckWithin = DefaultAckWithin
	}
	if o.EventTimeout <= 0 {
		o.EventTimeout = DefaultEventTimeout
	}
	return o
}

// EventContext returns the context for the work on one event: it keeps
// parent's values but not its cancellation (a shutdown does not cut off an
// answer being stored) and ends after EventTimeout.
func (o Options) EventContext(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(parent), o.EventTimeout)
}
