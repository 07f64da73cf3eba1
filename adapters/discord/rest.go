package discord

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// Discord JSON error codes the adapter branches on.
const (
	codeAlreadyAcknowledged = 40060 // the interaction was answered already
)

// call runs one REST request through discordgo with the adapters' retry
// policy (kit.Options.Retry):
//
//   - discordgo never retries by itself (no unbounded sleep on 429, no
//     immediate retry on 502);
//   - a 429 is waited out within MaxRateLimitWait, and so is a bucket that
//     discordgo would make wait, which it does without a context;
//     otherwise the call returns *bot.RateLimitError;
//   - a 5xx or a broken connection is retried with backoff;
//   - 400, 403 and 404 become *bot.Error with EINVALID, EFORBIDDEN and
//     ENOTFOUND, which the engine treats as permanent;
//   - every attempt of a request with a bucket waits its turn at the
//     adapter's pace (Config.RequestsPerSecond), since each counts toward
//     Discord's global limit.
//
// bucket is discordgo's rate-limit bucket of the request, "" for the
// answers to interactions, which the global limit exempts, and for the
// bot's one lookup of itself.
func (c *Chat) call(ctx context.Context, bucket string, req func(opts ...discordgo.RequestOption) error) error {
	opts := []discordgo.RequestOption{
		discordgo.WithContext(ctx),
		discordgo.WithRetryOnRatelimit(false),
		discordgo.WithRestRetries(0),
	}
	return c.cfg.Retry(ctx, kit.Call{
		Name: cmp.Or(bucket, "request"),
		Do:   func(context.Context) error { return req(opts...) },
		Ready: func(ctx context.Context, deadline time.Time) error {
			if bucket == "" {
				return nil
			}
			if wait := c.bucketWait(bucket); wait > 0 && time.Now().Add(wait).After(deadline) {
				return &bot.RateLimitError{Wait: wait, Err: fmt.Errorf("discord: rate limit bucket %s is exhausted", bucket)}
			}
			return c.pace.Wait(ctx)
		},
		Judge: judge,
	})
}

// judge reads a failed request: a 429 and its wait, a failure worth
// retrying, or a refusal in the bot's terms.
func judge(err error) kit.Verdict {
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return kit.Verdict{RetryAfter: max(rl.RetryAfter, time.Millisecond), Err: err}
	}
	return kit.Verdict{Transient: retryable(err), Err: classify(err)}
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
