package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// maxRateLimitRetries caps how often one call waits out a 429 and tries
// again, however short the waits.
const maxRateLimitRetries = 3

// Discord JSON error codes the adapter branches on.
const (
	codeAlreadyAcknowledged = 40060 // the interaction was answered already
)

// call runs one REST request through discordgo with the adapter's policy:
//
//   - discordgo never retries by itself (no unbounded sleep on 429, no
//     immediate retry on 502);
//   - a 429 whose wait is within Config.MaxRateLimitWait is waited out
//     (cancellably) and retried; a longer one returns *bot.RateLimitError,
//     as does a bucket that discordgo would make wait too long;
//   - a 5xx or a broken connection is retried with backoff up to
//     Config.MaxRetries times;
//   - 400, 403 and 404 become *bot.Error with EINVALID, EFORBIDDEN and
//     ENOTFOUND, which the engine treats as permanent.
//
// bucket is discordgo's rate-limit bucket of the request ("" for none).
func (c *Chat) call(ctx context.Context, bucket string, req func(opts ...discordgo.RequestOption) error) error {
	opts := []discordgo.RequestOption{
		discordgo.WithContext(ctx),
		discordgo.WithRetryOnRatelimit(false),
		discordgo.WithRestRetries(0),
	}
	backoff := c.cfg.RetryBackoff
	retries, waits := 0, 0
	for {
		if bucket != "" {
			if wait := c.bucketWait(bucket); wait > 0 && wait > c.cfg.MaxRateLimitWait {
				return &bot.RateLimitError{Wait: wait, Err: fmt.Errorf("discord: rate limit bucket %s is exhausted", bucket)}
			}
		}
		err := req(opts...)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var rl *discordgo.RateLimitError
		if errors.As(err, &rl) {
			wait := rl.RetryAfter
			if wait > c.cfg.MaxRateLimitWait || waits >= maxRateLimitRetries {
				return &bot.RateLimitError{Wait: wait, Err: err}
			}
			waits++
			if err := sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		if retryable(err) && retries < c.cfg.MaxRetries {
			retries++
			c.log.Debug("discord: retrying", "attempt", retries, "err", err)
			if err := sleep(ctx, backoff); err != nil {
				return err
			}
			backoff *= 2
			continue
		}
		return classify(err)
	}
}

// bucketWait reports how long discordgo would sleep before a request on
// bucket, which it does without a context.
func (c *Chat) bucketWait(bucket string) time.Duration {
	rl := c.session.Ratelimiter
	b := rl.GetBucket(bucket)
	b.Lock()
	defer b.Unlock()
	return rl.GetWaitTime(b, 1)
}

// retryable reports whether err is a 5xx or a failure to talk to Discord at
// all, as opposed to an answer that will not change.
func retryable(err error) bool {
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		return re.Response != nil && re.Response.StatusCode >= 500
	}
	return !errors.Is(err, discordgo.ErrJSONUnmarshal) && !errors.Is(err, discordgo.ErrUnauthorized)
}

// classify turns Discord's permanent refusals into bot errors, keeping the
// original in the chain.
func classify(err error) error {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return err
	}
	msg := http.StatusText(re.Response.StatusCode)
	if re.Message != nil && re.Message.Message != "" {
		msg = fmt.Sprintf("%s (code %d)", re.Message.Message, re.Message.Code)
	}
	var code string
	switch re.Response.StatusCode {
	case http.StatusBadRequest:
		code = bot.EINVALID
	case http.StatusForbidden:
		code = bot.EFORBIDDEN
	case http.StatusNotFound:
		code = bot.ENOTFOUND
	default:
		return err
	}
	return fmt.Errorf("%w: %w", bot.Errorf(code, "Discord refused: %s", msg), err)
}

// apiCode returns Discord's JSON error code in err, or 0.
func apiCode(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		return re.Message.Code
	}
	return 0
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
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
