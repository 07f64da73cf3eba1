package discord_test

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/chattest"
	"forumbot/adapters/discord"
	"forumbot/bot"
)

// Reply implements chattest.Fake: a DM reply to msg; it returns once the
// bot reacted to it or answered it, and edited the prompt if it does.
func (f *fakeDiscord) Reply(ctx context.Context, who bot.Address, msg chattest.Held, text string) (chattest.Seen, error) {
	id, done := f.say(who.ID(), msg.Ref.Channel, msg.Ref.ID, text)
	select {
	case <-done:
	case <-ctx.Done():
		return chattest.Seen{}, ctx.Err()
	case <-time.After(15 * time.Second):
		return chattest.Seen{}, errors.New("the bot neither reacted nor answered")
	}
	// The prompt is edited after the person is answered.
	f.chat.(*discord.Chat).WaitIdle()
	return chattest.Seen{Text: f.answerTo(id)}, nil
}

// say posts a person's message in a DM channel, replying to replyTo if
// set, and returns its id and a channel closed when the bot answers.
func (f *fakeDiscord) say(user, channel, replyTo, text string) (string, <-chan struct{}) {
	f.mu.Lock()
	m := &fakeMessage{wire: wireMessage{
		ID: f.id(), ChannelID: channel, Author: f.users[user], Content: text,
		Timestamp: time.Now().UTC().Format(time.RFC3339Nano),
	}, reactions: map[string][]string{}}
	if replyTo != "" {
		m.wire.Type = 19
		m.wire.MessageReference = &discordgo.MessageReference{MessageID: replyTo, ChannelID: channel}
	}
	f.messages[m.wire.ID] = m
	if c := f.channels[channel]; c != nil {
		c.messages = append(c.messages, m)
	}
	done := make(chan struct{})
	f.answered[m.wire.ID] = done
	f.mu.Unlock()
	f.gw.dispatch("MESSAGE_CREATE", m.wire)
	return m.wire.ID, done
}

// answerTo returns the text of the bot's messages replying to id.
func (f *fakeDiscord) answerTo(id string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var b strings.Builder
	for _, m := range f.messages {
		if r := m.wire.MessageReference; r != nil && r.MessageID == id && m.wire.Author.ID == f.bot.ID {
			b.WriteString(seenText(m.wire))
		}
	}
	return b.String()
}
