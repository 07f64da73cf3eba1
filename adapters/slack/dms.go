package slack

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// dmCache remembers direct-message channels: conversations.open is a
// Tier 3 method, and a member's channel does not change.
type dmCache struct {
	mu     sync.Mutex
	byUser map[string]string
}

func (d *dmCache) get(user string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	channel, ok := d.byUser[user]
	return channel, ok
}

func (d *dmCache) put(user, channel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.byUser[user] = channel
}

// forget drops user's channel if it is still channel.
func (d *dmCache) forget(user, channel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byUser[user] == channel {
		delete(d.byUser, user)
	}
}

// conversation returns the Slack channel out goes to, and whether it is a
// direct message known from before (the cache, or out.Reached after a
// restart) rather than one conversations.open returned just now.
func (c *Chat) conversation(ctx context.Context, out bot.Outgoing) (channel string, known bool, err error) {
	if out.To.Platform() != platform || out.To.ID() == "" {
		return "", false, bot.Errorf(bot.EINVALID, "%s is not a Slack address", out.To)
	}
	if out.Channel {
		return out.To.ID(), false, nil
	}
	user := out.To.ID()
	if channel, ok := c.dms.get(user); ok {
		return channel, true, nil
	}
	if channel := reachedDM(out.Reached); channel != "" {
		return channel, true, nil
	}
	channel, err = c.open(ctx, user)
	return channel, false, err
}

// inConversation runs fn in out's conversation. A direct-message channel
// known from before may be gone (Slack answers channel_not_found): then fn
// runs once more, in the channel conversations.open returns. The channel
// of out.Reached is cached once a call in it succeeded.
func (c *Chat) inConversation(ctx context.Context, out bot.Outgoing, fn func(channel string) error) error {
	channel, known, err := c.conversation(ctx, out)
	if err != nil {
		return err
	}
	err = fn(channel)
	if err == nil && known {
		c.dms.put(out.To.ID(), channel)
	}
	if !known || !refusedWith(err, "channel_not_found") {
		return err
	}
	user := out.To.ID()
	c.log.Info("direct message channel not found; opening it again", "user", user, "channel", channel)
	c.dms.forget(user, channel)
	if channel, err = c.open(ctx, user); err != nil {
		return err
	}
	return fn(channel)
}

// reachedDM returns the channel of r when r is a message in a Slack direct
// message (whose channel ids start with D), and "" otherwise.
func reachedDM(r bot.MessageRef) string {
	if r.Platform == platform && strings.HasPrefix(r.Channel, "D") && r.ID != "" {
		return r.Channel
	}
	return ""
}

// dm returns the direct-message channel between the bot and user, from the
// cache or conversations.open.
func (c *Chat) dm(ctx context.Context, user string) (string, error) {
	if channel, ok := c.dms.get(user); ok {
		return channel, nil
	}
	return c.open(ctx, user)
}

// open calls conversations.open, at the adapter's pace for it, and caches
// the channel.
func (c *Chat) open(ctx context.Context, user string) (string, error) {
	var channel string
	err := c.call(ctx, methodOpen, callOptions{pace: c.opens}, func(ctx context.Context) error {
		ch, _, _, err := c.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
		if err != nil {
			return err
		}
		if ch == nil || ch.ID == "" {
			// Slack always names the channel; an answer without one is
			// a proxy's or a broken stub's, and worth a later retry.
			return fmt.Errorf("slack conversations.open for %s: ok, but no channel in the answer", user)
		}
		channel = ch.ID
		return nil
	})
	if err != nil {
		return "", err
	}
	c.dms.put(user, channel)
	return channel, nil
}
