package slack

import (
	"context"
	"sync"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// Send implements bot.Chat. A message to a member goes to the direct
// message with the bot (conversations.open); a message to a channel goes
// there. Every Slack message carries the idempotency key as message
// metadata, which Delivered looks for. A message too long for one Slack
// message is posted as a parent and thread replies; if an earlier attempt
// posted some of them, Send posts only the rest.
func (c *Chat) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	channel, err := c.conversation(ctx, out)
	if err != nil {
		return bot.MessageRef{}, err
	}
	parts, err := render(out.Message)
	if err != nil {
		return bot.MessageRef{}, err
	}
	var posted map[int]string
	if len(parts) > 1 && out.Key != "" {
		if posted, _, err = c.lookup(ctx, channel, out.Key); err != nil {
			return bot.MessageRef{}, err
		}
	}
	parent := posted[0]
	for i, p := range parts {
		if _, ok := posted[i]; ok {
			continue
		}
		ts, err := c.postPart(ctx, channel, parent, p, out.Key, i, len(parts))
		if err != nil {
			return bot.MessageRef{}, err
		}
		if i == 0 {
			parent = ts
		}
	}
	return ref(channel, parent), nil
}

// Delivered implements bot.Chat: it reads the conversation's recent history
// for a message carrying out.Key. A split message counts as delivered only
// when all its parts are there; otherwise Send completes it.
func (c *Chat) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	if out.Key == "" {
		return bot.MessageRef{}, false, nil
	}
	channel, err := c.conversation(ctx, out)
	if err != nil {
		return bot.MessageRef{}, false, err
	}
	posted, parts, err := c.lookup(ctx, channel, out.Key)
	if err != nil {
		return bot.MessageRef{}, false, err
	}
	parent, ok := posted[0]
	if !ok || len(posted) < parts {
		return bot.MessageRef{}, false, nil
	}
	return ref(channel, parent), true, nil
}

// Update implements bot.Chat with chat.update. When the new version needs
// several Slack messages, the thread replies of the first version are
// updated, added to or removed to match.
func (c *Chat) Update(ctx context.Context, r bot.MessageRef, msg bot.Message) error {
	if r.Platform != platform || r.Channel == "" || r.ID == "" {
		return bot.Errorf(bot.EINVALID, "%s is not a Slack message", r)
	}
	parts, err := render(msg)
	if err != nil {
		return err
	}
	if len(parts) == 1 {
		return c.updatePart(ctx, r.Channel, r.ID, parts[0], nil)
	}
	key, existing, err := c.threadParts(ctx, r.Channel, r.ID)
	if err != nil {
		return err
	}
	for i, p := range parts {
		md := delivery(key, i, len(parts))
		switch ts, ok := existing[i]; {
		case i == 0:
			err = c.updatePart(ctx, r.Channel, r.ID, p, &md)
		case ok:
			err = c.updatePart(ctx, r.Channel, ts, p, &md)
		default:
			_, err = c.postPart(ctx, r.Channel, r.ID, p, key, i, len(parts))
		}
		if err != nil {
			return err
		}
	}
	for i, ts := range existing {
		if i >= len(parts) {
			err := c.call(ctx, methodDelete, callOptions{}, func(ctx context.Context) error {
				_, _, err := c.api.DeleteMessageContext(ctx, r.Channel, ts)
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// conversation returns the Slack channel out goes to.
func (c *Chat) conversation(ctx context.Context, out bot.Outgoing) (string, error) {
	if out.To.Platform() != platform || out.To.ID() == "" {
		return "", bot.Errorf(bot.EINVALID, "%s is not a Slack address", out.To)
	}
	if out.Channel {
		return out.To.ID(), nil
	}
	return c.dm(ctx, out.To.ID())
}

// dmCache remembers direct-message channels: conversations.open is a
// Tier 3 method, and a member's channel never changes.
type dmCache struct {
	mu     sync.Mutex
	byUser map[string]string
}

// dm returns the direct-message channel between the bot and user.
func (c *Chat) dm(ctx context.Context, user string) (string, error) {
	c.dms.mu.Lock()
	channel, ok := c.dms.byUser[user]
	c.dms.mu.Unlock()
	if ok {
		return channel, nil
	}
	err := c.call(ctx, methodOpen, callOptions{}, func(ctx context.Context) error {
		ch, _, _, err := c.api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{user}, ReturnIM: true})
		if err == nil {
			channel = ch.ID
		}
		return err
	})
	if err != nil {
		return "", err
	}
	c.dms.mu.Lock()
	c.dms.byUser[user] = channel
	c.dms.mu.Unlock()
	return channel, nil
}

// postPart posts part i of n in channel (as a reply in thread, when set)
// and returns its ts. Before retrying after a lost answer it looks for the
// part on Slack, so a message stored before its answer failed is not
// posted twice.
func (c *Chat) postPart(ctx context.Context, channel, thread string, p part, key string, i, n int) (string, error) {
	opts := []slack.MsgOption{
		slack.MsgOptionText(p.fallback, false),
		slack.MsgOptionBlocks(p.blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if key != "" {
		opts = append(opts, slack.MsgOptionMetadata(delivery(key, i, n)))
	}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	var ts string
	check := func(ctx context.Context) (bool, error) {
		if key == "" {
			return false, nil
		}
		found, err := c.findPart(ctx, channel, thread, key, i)
		ts = found
		return found != "", err
	}
	err := c.call(ctx, methodPost, callOptions{paced: true, beforeRetry: check}, func(ctx context.Context) error {
		_, posted, err := c.api.PostMessageContext(ctx, channel, opts...)
		ts = posted
		return err
	})
	return ts, err
}

// updatePart replaces the blocks of the message ts; md, when set, replaces
// its metadata too (Slack keeps it otherwise).
func (c *Chat) updatePart(ctx context.Context, channel, ts string, p part, md *slack.SlackMetadata) error {
	opts := []slack.MsgOption{slack.MsgOptionText(p.fallback, false), slack.MsgOptionBlocks(p.blocks...)}
	if md != nil && md.EventPayload["key"] != "" {
		opts = append(opts, slack.MsgOptionMetadata(*md))
	}
	return c.call(ctx, methodUpdate, callOptions{}, func(ctx context.Context) error {
		_, _, _, err := c.api.UpdateMessageContext(ctx, channel, ts, opts...)
		return err
	})
}
