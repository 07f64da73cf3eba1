package discord

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// createMessage is discordgo's MessageSend with the nonce fields v0.29
// lacks: with enforce_nonce, Discord returns the message it already created
// with the same nonce in the last few minutes instead of creating another.
type createMessage struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// noMentions is set on every message: nothing the bot posts pings anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Send implements bot.Chat. A member's message goes to their direct
// messages; a long message goes out as several, in order, and the reference
// returned is the first one's. Each carries a nonce derived from out.Key
// and, in its footer, a short marker of the key that Delivered looks for.
func (c *Chat) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	parts, err := render(out.Message)
	if err != nil {
		return bot.MessageRef{}, err
	}
	var channel string
	var first bot.MessageRef
	err = c.inChannel(ctx, out, func(ch string) error {
		m, err := c.post(ctx, ch, parts[0], marker(out.Key, 0, len(parts)), nonce(out.Key, 0))
		if err != nil {
			return fmt.Errorf("discord: send to %s (message 1 of %d): %w", out.To, len(parts), err)
		}
		channel, first = ch, ref(ch, m.ID)
		c.marks.put(m.ID, mark{hash: hashOf(out.Key), n: len(parts)})
		return nil
	})
	if err != nil {
		return bot.MessageRef{}, err
	}
	for k, p := range parts[1:] {
		k++
		if _, err := c.post(ctx, channel, p, marker(out.Key, k, len(parts)), nonce(out.Key, k)); err != nil {
			return bot.MessageRef{}, fmt.Errorf("discord: send to %s (message %d of %d): %w", out.To, k+1, len(parts), err)
		}
	}
	return first, nil
}

// Delivered implements bot.Chat: it reads the conversation's recent
// messages (Config.HistoryLimit) for the bot's messages marked with
// out.Key. This works long after Discord's nonce window has passed. When
// only some messages of a split message arrived, it sends the missing ones
// and reports the message delivered, so that nothing is sent twice.
func (c *Chat) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	if out.Key == "" {
		return bot.MessageRef{}, false, nil
	}
	self, err := c.selfID(ctx)
	if err != nil {
		return bot.MessageRef{}, false, err
	}
	var channel string
	var msgs []*discordgo.Message
	err = c.inChannel(ctx, out, func(ch string) (err error) {
		channel = ch
		msgs, err = c.history(ctx, ch, "")
		return err
	})
	if err != nil {
		return bot.MessageRef{}, false, err
	}
	hash := keyHash(out.Key)
	found, total := map[int]string{}, 0
	for _, m := range msgs {
		if h, k, n, ok := markerOf(m, self); ok && h == hash {
			found[k], total = m.ID, n
		}
	}
	if len(found) == 0 {
		return bot.MessageRef{}, false, nil
	}
	if len(found) < total {
		parts, err := render(out.Message)
		if err == nil && len(parts) == total {
			for k, p := range parts {
				if found[k] != "" {
					continue
				}
				m, err := c.post(ctx, channel, p, marker(out.Key, k, total), nonce(out.Key, k))
				if err != nil {
					return bot.MessageRef{}, false, fmt.Errorf("discord: complete a split message to %s: %w", out.To, err)
				}
				found[k] = m.ID
			}
		}
	}
	first := found[0]
	if first == "" {
		for k := 1; k < total && first == ""; k++ {
			first = found[k]
		}
	}
	c.marks.put(first, mark{hash: hash, n: total})
	return ref(channel, first), true, nil
}

// update replaces the message r with msg, for the edit a response asks
// for. It keeps the message's delivery marker, and for a message that was
// split it edits, adds or deletes the continuation messages so that the
// conversation shows the new version once.
func (c *Chat) update(ctx context.Context, r bot.MessageRef, msg bot.Message) error {
	if r.Platform != Platform || !isSnowflake(r.Channel) || !isSnowflake(r.ID) {
		return bot.Errorf(bot.EINVALID, "%q is not a Discord message", r)
	}
	parts, err := render(msg)
	if err != nil {
		return err
	}
	self, err := c.selfID(ctx)
	if err != nil {
		return err
	}
	known, ok := c.marks.get(r.ID)
	if !ok {
		var old *discordgo.Message
		err = c.call(ctx, discordgo.EndpointChannelMessage(r.Channel, ""), func(opts ...discordgo.RequestOption) (err error) {
			old, err = c.session.ChannelMessage(r.Channel, r.ID, opts...)
			return err
		})
		if err != nil {
			return fmt.Errorf("discord: update %s: %w", r, err)
		}
		known.hash, _, known.n, _ = markerOf(old, self)
	}
	hash, n, marked := known.hash, max(known.n, 1), known.hash != ""
	ids := []string{r.ID}
	if marked && n > 1 {
		if ids, err = c.continuation(ctx, r, self, hash, n); err != nil {
			return fmt.Errorf("discord: update %s: %w", r, err)
		}
	}
	for k, p := range parts {
		mark := ""
		if marked {
			mark = markerText(hash, k, len(parts))
		}
		if k < len(ids) && ids[k] != "" {
			err = c.edit(ctx, r.Channel, ids[k], p, mark)
		} else {
			_, err = c.post(ctx, r.Channel, p, mark, "")
		}
		if err != nil {
			return fmt.Errorf("discord: update %s (message %d of %d): %w", r, k+1, len(parts), err)
		}
	}
	c.marks.put(r.ID, mark{hash: hash, n: len(parts)})
	for _, id := range ids[min(len(parts), len(ids)):] {
		if id == "" {
			continue
		}
		err := c.call(ctx, discordgo.EndpointChannelMessage(r.Channel, ""), func(opts ...discordgo.RequestOption) error {
			return c.session.ChannelMessageDelete(r.Channel, id, opts...)
		})
		if err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
			return fmt.Errorf("discord: update %s: remove a surplus message: %w", r, err)
		}
	}
	return nil
}

// continuation finds the messages after the first of a split message:
// ids[k] is message k's id, "" when it is gone.
func (c *Chat) continuation(ctx context.Context, first bot.MessageRef, self, hash string, n int) ([]string, error) {
	ids := make([]string, n)
	ids[0] = first.ID
	msgs, err := c.history(ctx, first.Channel, first.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range msgs {
		if h, k, total, ok := markerOf(m, self); ok && h == hash && total == n && k > 0 {
			ids[k] = m.ID
		}
	}
	return ids, nil
}

// post creates one message.
func (c *Chat) post(ctx context.Context, channelID string, p part, mark, nonce string) (*discordgo.Message, error) {
	data := createMessage{
		MessageSend: &discordgo.MessageSend{
			Embeds:          withMarker(p.embeds, mark),
			Components:      rows(p.buttons),
			AllowedMentions: noMentions(),
		},
		Nonce: nonce, EnforceNonce: nonce != "",
	}
	endpoint := discordgo.EndpointChannelMessages(channelID)
	var m *discordgo.Message
	err := c.call(ctx, endpoint, func(opts ...discordgo.RequestOption) error {
		body, err := c.session.RequestWithBucketID("POST", endpoint, data, endpoint, opts...)
		if err != nil {
			return err
		}
		return json.Unmarshal(body, &m)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// edit replaces one message's embeds and buttons.
func (c *Chat) edit(ctx context.Context, channelID, messageID string, p part, mark string) error {
	embeds, comps := withMarker(p.embeds, mark), rows(p.buttons)
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	return c.call(ctx, discordgo.EndpointChannelMessage(channelID, ""), func(opts ...discordgo.RequestOption) error {
		_, err := c.session.ChannelMessageEditComplex(&discordgo.MessageEdit{
			ID: messageID, Channel: channelID,
			Embeds: &embeds, Components: &comps, AllowedMentions: noMentions(),
		}, opts...)
		return err
	})
}

// history returns the recent messages of a channel, newest first, or those
// after the message with id after.
func (c *Chat) history(ctx context.Context, channelID, after string) ([]*discordgo.Message, error) {
	var msgs []*discordgo.Message
	err := c.call(ctx, discordgo.EndpointChannelMessages(channelID), func(opts ...discordgo.RequestOption) (err error) {
		msgs, err = c.session.ChannelMessages(channelID, c.cfg.HistoryLimit, "", after, "", opts...)
		return err
	})
	return msgs, err
}
