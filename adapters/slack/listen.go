package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// Listen implements bot.Chat. It checks the bot token (auth.test), then
// receives events through Socket Mode, or, in HTTP mode, lets HTTPHandler
// accept them, until ctx is done. It returns once every request it accepted
// is handled: answers being stored are not cut off by a shutdown.
func (c *Chat) Listen(ctx context.Context, h bot.Handler) error {
	if err := c.whoAmI(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	s, err := c.begin(ctx, h)
	if err != nil {
		return err
	}
	defer c.end(s)
	if c.SocketMode() {
		return c.listenSocket(ctx, s)
	}
	c.log.Info("listening for HTTP events")
	<-ctx.Done()
	return nil
}

// whoAmI learns the bot's user id, to ignore its own messages. Slack being
// unreachable is retried until ctx ends; a refused token is an error.
func (c *Chat) whoAmI(ctx context.Context) error {
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		var resp *slack.AuthTestResponse
		err := c.call(ctx, methodAuthTest, callOptions{}, func(ctx context.Context) error {
			r, err := c.api.AuthTestContext(ctx)
			resp = r
			return err
		})
		if err == nil {
			c.mu.Lock()
			c.self = resp.UserID
			c.mu.Unlock()
			return nil
		}
		var slackErr slack.SlackErrorResponse
		if errors.As(err, &slackErr) {
			return fmt.Errorf("slack: the bot token was refused: %w", err)
		}
		c.log.Warn("cannot reach Slack", "err", err, "retry_in", wait)
		if err := kit.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// outcome is what handling a request decided: the acknowledgement and the
// calls that follow it.
type outcome struct {
	// ack is the acknowledgement's payload; nil for an empty one.
	ack any
	// after runs once the request is acknowledged: replies, reactions.
	// late says the acknowledgement went out before the handler
	// finished, so an answer meant for it must go another way.
	after func(ctx context.Context, late bool)
	// edit is the response whose edit (the prompt re-rendered to show an
	// answer), if it asks for one, is made once the requests pause.
	edit bot.Response
}

// run handles one request: decide runs the handler (which stores before it
// confirms), ack acknowledges with what it decided, then the follow-up
// calls run: the replies and reactions at once, the edit once the
// requests pause (kit.Lull). If decide takes longer than AckWithin, ack is
// sent early with the early payload so that Slack's 3 s are kept, and the
// answer follows when it is ready.
func (c *Chat) run(s *session, key string, early any, decide func(ctx context.Context) outcome, ack func(any)) {
	defer c.done(key)
	c.lull.Arrived()
	ctx, cancel := c.cfg.EventContext(s.ctx)
	defer cancel()
	o, late := kit.Decide(c.cfg.Options, func() outcome { return decide(ctx) }, func() {
		c.log.Warn("acknowledged before the handler finished", "key", key)
		ack(early)
	})
	if !late {
		ack(o.ack)
	}
	if o.after != nil {
		c.followUp(ctx, s, key, func(ctx context.Context) { o.after(ctx, late) })
	}
	if !o.edit.WantsEdit() {
		return
	}
	// The edit re-renders a prompt from the store: the acknowledgements
	// still to come go first.
	if err := c.lull.Wait(ctx); err != nil {
		c.log.Warn("follow-up dropped", "key", key, "err", err)
		return
	}
	c.followUp(ctx, s, key, func(ctx context.Context) { c.cfg.ApplyEdit(ctx, platform, o.edit, c.update) })
}

// followUp runs f in its turn among the follow-ups in flight.
func (c *Chat) followUp(ctx context.Context, s *session, key string, f func(context.Context)) {
	select {
	case s.followUps <- struct{}{}:
		defer func() { <-s.followUps }()
		f(ctx)
	case <-ctx.Done():
		c.log.Warn("follow-up dropped", "key", key, "err", ctx.Err())
	}
}

// done tells a test hook that the request key is handled.
func (c *Chat) done(key string) {
	c.mu.Lock()
	hook := c.onDone
	c.mu.Unlock()
	if hook != nil {
		hook(key)
	}
}
