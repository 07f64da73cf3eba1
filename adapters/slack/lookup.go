package slack

import (
	"context"

	"github.com/slack-go/slack"
)

// deliveryType is the event_type of the metadata on every message the bot
// posts; its payload holds the idempotency key and which part of a split
// message it is.
const deliveryType = "forumbot_delivery"

// historyPages bounds how far back Delivered looks (100 messages a page):
// the engine asks soon after a failed attempt, so the message, if any, is
// recent.
const historyPages = 5

func delivery(key string, part, parts int) slack.SlackMetadata {
	return slack.SlackMetadata{EventType: deliveryType, EventPayload: map[string]any{"key": key, "part": part, "parts": parts}}
}

// deliveryOf reads the bot's metadata on a message.
func deliveryOf(m slack.Message) (key string, part, parts int, ok bool) {
	md := m.Metadata
	if md.EventType != deliveryType {
		return "", 0, 0, false
	}
	key, _ = md.EventPayload["key"].(string)
	p, _ := md.EventPayload["part"].(float64)
	n, _ := md.EventPayload["parts"].(float64)
	return key, int(p), max(int(n), 1), key != ""
}

// lookup finds the messages carrying key in channel: the parent (part 0) in
// the channel's recent history, the other parts in its thread. It returns
// the ts of each part found and how many parts the message has.
func (c *Chat) lookup(ctx context.Context, channel, key string) (map[int]string, int, error) {
	parent, parts, err := c.findParent(ctx, channel, key)
	if err != nil || parent == "" {
		return nil, 0, err
	}
	posted := map[int]string{0: parent}
	if parts > 1 {
		k, replies, err := c.threadParts(ctx, channel, parent)
		if err != nil {
			return nil, 0, err
		}
		if k == key {
			for i, ts := range replies {
				posted[i] = ts
			}
		}
	}
	return posted, parts, nil
}

// findParent scans the recent history of channel for part 0 of key.
func (c *Chat) findParent(ctx context.Context, channel, key string) (ts string, parts int, err error) {
	cursor := ""
	for range historyPages {
		var resp *slack.GetConversationHistoryResponse
		err := c.call(ctx, methodHistory, callOptions{}, func(ctx context.Context) error {
			r, err := c.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
				ChannelID: channel, Cursor: cursor, Limit: 100, IncludeAllMetadata: true,
			})
			resp = r
			return err
		})
		if err != nil {
			return "", 0, err
		}
		for _, m := range resp.Messages {
			if k, part, n, ok := deliveryOf(m); ok && k == key && part == 0 {
				return m.Timestamp, n, nil
			}
		}
		cursor = resp.ResponseMetaData.NextCursor
		if !resp.HasMore || cursor == "" {
			break
		}
	}
	return "", 0, nil
}

// threadParts reads the thread of the message parent and returns the key
// the parent carries and the ts of every part of it in the thread.
func (c *Chat) threadParts(ctx context.Context, channel, parent string) (string, map[int]string, error) {
	key := ""
	parts := map[int]string{}
	cursor := ""
	for {
		var (
			msgs    []slack.Message
			hasMore bool
		)
		err := c.call(ctx, methodReplies, callOptions{}, func(ctx context.Context) error {
			m, more, next, err := c.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
				ChannelID: channel, Timestamp: parent, Cursor: cursor, Limit: 200, IncludeAllMetadata: true,
			})
			msgs, hasMore, cursor = m, more, next
			return err
		})
		if err != nil {
			return "", nil, err
		}
		for _, m := range msgs {
			k, part, _, ok := deliveryOf(m)
			switch {
			case !ok:
			case m.Timestamp == parent:
				key = k
			case k == key || key == "":
				parts[part] = m.Timestamp
			}
		}
		if !hasMore || cursor == "" {
			return key, parts, nil
		}
	}
}

// findPart looks for part i of key: in the channel when it is the parent,
// in the thread otherwise. It returns the part's ts, or "" when it is not
// there.
func (c *Chat) findPart(ctx context.Context, channel, thread, key string, i int) (string, error) {
	if thread == "" {
		ts, _, err := c.findParent(ctx, channel, key)
		return ts, err
	}
	k, parts, err := c.threadParts(ctx, channel, thread)
	if err != nil || k != key {
		return "", err
	}
	return parts[i], nil
}
