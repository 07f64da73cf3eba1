package slack

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/slack-go/slack"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// reaction confirms that a person's reply was stored.
const reaction = "white_check_mark"

// audience is where an answer meant for one person goes: the command's or
// the message's response_url when there is one, else an ephemeral message
// in the conversation (in the thread, when set), else, or when that fails
// (a channel the bot is not in), their direct message.
type audience struct {
	user, channel, thread, responseURL string
}

// answerParts renders what a response shows the person alone: the error,
// then the reply.
func (c *Chat) answerParts(resp bot.Response) []part {
	var msgs []bot.Message
	if resp.Error != "" {
		msgs = append(msgs, bot.Message{Text: resp.Error})
	}
	if resp.Reply != nil {
		msgs = append(msgs, *resp.Reply)
	}
	var parts []part
	for _, m := range msgs {
		ps, err := render(m)
		if err != nil {
			c.log.Error("answer cannot be shown", "err", err)
			continue
		}
		parts = append(parts, ps...)
	}
	return parts
}

// tell shows a response's error and reply to the person alone.
func (c *Chat) tell(ctx context.Context, to audience, resp bot.Response) {
	c.say(ctx, to, c.answerParts(resp))
}

// say posts parts for the person alone.
func (c *Chat) say(ctx context.Context, to audience, parts []part) {
	for _, p := range parts {
		if to.responseURL != "" {
			err := c.call(ctx, methodResponse, callOptions{}, func(ctx context.Context) error {
				_, _, err := c.api.PostMessageContext(ctx, "",
					slack.MsgOptionResponseURL(to.responseURL, slack.ResponseTypeEphemeral),
					slack.MsgOptionText(p.fallback, false), slack.MsgOptionBlocks(p.blocks...))
				return err
			})
			if err == nil {
				continue
			}
			c.log.Warn("response_url failed", "err", err)
		}
		err := c.ephemeral(ctx, to.channel, to.user, to.thread, p)
		if err != nil && to.channel != "" {
			c.log.Warn("chat.postEphemeral failed; answering in the direct message", "user", to.user, "err", err)
			err = c.ephemeral(ctx, "", to.user, "", p)
		}
		if err != nil {
			c.log.Warn("cannot answer", "user", to.user, "err", err)
		}
	}
}

// ephemeral posts p for user alone in channel (in thread, when set), or
// in their direct message when channel is empty.
func (c *Chat) ephemeral(ctx context.Context, channel, user, thread string, p part) error {
	if channel == "" {
		dm, err := c.dm(ctx, user)
		if err != nil {
			return err
		}
		channel = dm
	}
	opts := []slack.MsgOption{slack.MsgOptionText(p.fallback, false), slack.MsgOptionBlocks(p.blocks...)}
	if thread != "" {
		opts = append(opts, slack.MsgOptionTS(thread))
	}
	return kit.Patiently(ctx, func() error {
		return c.call(ctx, methodEphemeral, callOptions{}, func(ctx context.Context) error {
			_, err := c.api.PostEphemeralContext(ctx, channel, user, opts...)
			return err
		})
	})
}

// react adds the confirmation reaction to a person's message.
func (c *Chat) react(ctx context.Context, channel, ts string) {
	err := kit.Patiently(ctx, func() error {
		return c.call(ctx, methodReact, callOptions{}, func(ctx context.Context) error {
			err := c.api.AddReactionContext(ctx, reaction, slack.ItemRef{Channel: channel, Timestamp: ts})
			var slackErr slack.SlackErrorResponse
			if errors.As(err, &slackErr) && slackErr.Err == "already_reacted" {
				return nil
			}
			return err
		})
	})
	if err != nil {
		c.log.Warn("reactions.add failed", "err", err)
	}
}

// Slack's markup in what people type, turned back into plain text.
var (
	linkMarkup    = regexp.MustCompile(`<((?:https?|mailto):[^|>]+)\|([^>]*)>`)
	bareMarkup    = regexp.MustCompile(`<((?:https?|mailto):[^|>]+)>`)
	channelMarkup = regexp.MustCompile(`<#[A-Z0-9]+\|([^>]*)>`)
	mentionMarkup = regexp.MustCompile(`<([@#])([^|>]+)(?:\|[^>]*)?>`)
	specialMarkup = regexp.MustCompile(`<!([a-z]+)[^>]*>`)
	unescape      = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
)

// fromMrkdwn turns the text of a message as Slack delivers it (links,
// mentions and &, <, > escaped) into the plain text the person typed, which
// the bot stores and neutralises again when it echoes it.
func fromMrkdwn(s string) string {
	s = linkMarkup.ReplaceAllString(s, "$2 ($1)")
	s = bareMarkup.ReplaceAllString(s, "$1")
	s = channelMarkup.ReplaceAllString(s, "#$1")
	s = mentionMarkup.ReplaceAllString(s, "$1$2")
	s = specialMarkup.ReplaceAllString(s, "@$1")
	return unescape.Replace(s)
}
