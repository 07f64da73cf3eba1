package slack

import (
	"context"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// Send implements bot.Chat. A message to a member goes to the direct
// message with the bot: the channel of out.Reached when the engine knows
// it, otherwise one conversations.open returns; a message to a channel goes
// there. Every Slack message carries the idempotency key as message
// metadata, which Delivered looks for. A message too long for one Slack
// message is posted as a parent and thread replies; if an earlier attempt
// posted some of them, Send posts only the rest.
func (c *Chat) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	parts, err := render(out.Message)
	if err != nil {
		return bot.MessageRef{}, err
	}
	var sent bot.MessageRef
	err = c.inConversation(ctx, out, func(channel string) error {
		var posted map[int]string
		if len(parts) > 1 && out.Key != "" {
			var err error
			if posted, _, err = c.lookup(ctx, channel, out.Key); err != nil {
				return err
			}
		}
		parent := posted[0]
		for i, p := range parts {
			if _, ok := posted[i]; ok {
				continue
			}
			ts, err := c.postPart(ctx, channel, parent, p, out.Key, i, len(parts))
			if err != nil {
				return err
			}
			if i == 0 {
				parent = ts
			}
		}
		sent = ref(channel, parent)
		return nil
	})
	return sent, err
}

// Delivered implements bot.Chat: it reads the conversation's recent history
// for a message carrying out.Key. A split message counts as delivered only
// when all its parts are there; otherwise Send completes it.
func (c *Chat) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	if out.Key == "" {
		return bot.MessageRef{}, false, nil
	}
	var found bot.MessageRef
	err := c.inConversation(ctx, out, func(channel string) error {
		posted, parts, err := c.lookup(ctx, channel, out.Key)
		if err != nil {
			return err
		}
		if parent, ok := posted[0]; ok && len(posted) >= parts {
			found = ref(channel, parent)
		}
		return nil
	})
	return found, found.ID != "", err
}

// update replaces the message r with msg through chat.update, for the edit
// a response asks for. When the new version needs several Slack messages,
// the thread replies of the first version are updated, added to or removed
// to match.
func (c *Chat) update(ctx context.Context, r bot.MessageRef, msg bot.Message) error {
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
	err := c.call(ctx, methodPost, callOptions{pace: c.post, beforeRetry: check}, func(ctx context.Context) error {
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
