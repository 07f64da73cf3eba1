package slack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"golang.org/x/time/rate"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// Web API methods the adapter calls, as Slack names them. Rate limits are
// per method, so holdOffs are keyed by these.
const (
	methodPost      = "chat.postMessage"
	methodUpdate    = "chat.update"
	methodDelete    = "chat.delete"
	methodEphemeral = "chat.postEphemeral"
	methodOpen      = "conversations.open"
	methodHistory   = "conversations.history"
	methodReplies   = "conversations.replies"
	methodViewsOpen = "views.open"
	methodReact     = "reactions.add"
	methodAuthTest  = "auth.test"
	methodResponse  = "response_url"
)

// holdOffs remembers, per method, until when Slack asked the app to stop
// calling it (a 429's Retry-After), so that every caller waits, not only
// the one that was refused.
type holdOffs struct {
	mu    sync.Mutex
	until map[string]time.Time
}

func (h *holdOffs) get(method string) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.until[method]
}

func (h *holdOffs) set(method string, until time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if until.After(h.until[method]) {
		h.until[method] = until
	}
}

// callOptions tune one call.
type callOptions struct {
	// pace, when set, is waited for before every attempt: the adapter's own
	// pace for the method (chat.postMessage, conversations.open).
	pace *rate.Limiter
	// beforeRetry runs before a call that failed with a 5xx or a broken
	// connection is tried again; done reports that the first attempt took
	// effect after all (a message that was stored before the answer was
	// lost), so the call must not be repeated.
	beforeRetry func(ctx context.Context) (done bool, err error)
}

// call runs fn, one Web API call, with the adapters' retry policy
// (kit.Options.Retry): before each attempt it waits out the method's
// hold-off and the adapter's pace for it; a 429 holds every caller of the
// method off for the wait Slack asked; 5xx answers and broken connections
// are retried. Errors are translated by slackError.
func (c *Chat) call(ctx context.Context, method string, opts callOptions, fn func(ctx context.Context) error) error {
	return c.cfg.Retry(ctx, kit.Call{
		Name: method,
		Do:   fn,
		Ready: func(ctx context.Context, deadline time.Time) error {
			if err := c.holdOff(ctx, method, deadline); err != nil {
				return err
			}
			if opts.pace != nil {
				return opts.pace.Wait(ctx)
			}
			return nil
		},
		Judge: func(err error) kit.Verdict {
			if wait, limited := rateLimited(err); limited {
				c.limits.set(method, time.Now().Add(wait))
				return kit.Verdict{RetryAfter: wait, Err: slackError(method, err)}
			}
			return kit.Verdict{Transient: transient(err), Err: slackError(method, err)}
		},
		BeforeRetry: opts.beforeRetry,
	})
}

// holdOff waits until Slack allows method again, or returns a
// *bot.RateLimitError when that is past deadline.
func (c *Chat) holdOff(ctx context.Context, method string, deadline time.Time) error {
	until := c.limits.get(method)
	now := time.Now()
	if !until.After(now) {
		return nil
	}
	if until.After(deadline) {
		return &bot.RateLimitError{Wait: until.Sub(now), Err: fmt.Errorf("slack %s: rate limited", method)}
	}
	return kit.Sleep(ctx, until.Sub(now))
}

// rateLimited reports whether err is a 429 and how long Slack asked to
// wait: its Retry-After, or a second when it named none.
func rateLimited(err error) (time.Duration, bool) {
	var limited *slack.RateLimitedError
	if errors.As(err, &limited) {
		return max(limited.RetryAfter, time.Second), true
	}
	var status slack.StatusCodeError
	if errors.As(err, &status) && status.Code == http.StatusTooManyRequests {
		return time.Second, true
	}
	return 0, false
}

// transient reports whether err is worth retrying: a 5xx answer or a
// connection that broke.
func transient(err error) bool {
	var status slack.StatusCodeError
	if errors.As(err, &status) {
		return status.Code >= 500
	}
	// The HTTP client reports a broken exchange (refused, reset, EOF,
	// timeout) as a *url.Error, which is a net.Error.
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var slackErr slack.SlackErrorResponse
	if errors.As(err, &slackErr) {
		switch slackErr.Err {
		case "internal_error", "fatal_error", "service_unavailable", "request_timeout":
			return true
		}
	}
	return false
}

// slackError translates a Web API error into the bot's codes: a person or a
// channel that cannot be reached is permanent, a message Slack refuses is
// invalid, and everything else (auth, scopes, outages) stays internal so the
// outbox retries it.
func slackError(method string, err error) error {
	var slackErr slack.SlackErrorResponse
	if !errors.As(err, &slackErr) {
		return fmt.Errorf("slack %s: %w", method, err)
	}
	code := bot.EINTERNAL
	switch slackErr.Err {
	case "channel_not_found", "user_not_found", "users_not_found", "message_not_found", "thread_not_found":
		code = bot.ENOTFOUND
	case "not_in_channel", "is_archived", "cannot_dm_bot", "user_disabled", "restricted_action",
		"restricted_action_read_only_channel", "restricted_action_thread_only_channel", "ekm_access_denied", "cant_update_message":
		code = bot.EFORBIDDEN
	case "invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long", "no_text",
		"invalid_arguments", "invalid_metadata_format", "invalid_metadata_schema", "metadata_too_large",
		"expired_trigger_id", "invalid_trigger_id", "exchanged_trigger_id", "duplicate_block_id":
		code = bot.EINVALID
	}
	if code == bot.EINTERNAL {
		return fmt.Errorf("slack %s: %w", method, err)
	}
	return fmt.Errorf("slack %s: %w", method, &refusal{code: slackErr.Err, err: bot.Errorf(code, "Slack refused %s: %s", method, slackErr.Err)})
}

// refusal is a call Slack refused for good: the bot's *Error, with Slack's
// error code kept for the adapter's own decisions.
type refusal struct {
	code string
	err  *bot.Error
}

func (r *refusal) Error() string { return r.err.Error() }

func (r *refusal) Unwrap() error { return r.err }

// refusedWith reports whether err says Slack refused a call with code.
func refusedWith(err error, code string) bool {
	var r *refusal
	return errors.As(err, &r) && r.code == code
}
