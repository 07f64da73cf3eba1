package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// reaction confirms that a reply was stored as a note.
const reaction = "✅"

// Listen implements bot.Chat: it connects the gateway (identify, then
// heartbeats; discordgo reconnects and resumes after a drop), registers
// /forum, and hands interactions and direct messages to h, each on a
// goroutine of its own, until ctx is done. It then closes the gateway and
// waits for those goroutines. It returns an error when it cannot connect
// or register the command.
func (c *Chat) Listen(ctx context.Context, h bot.Handler) error {
	c.mu.Lock()
	if c.listening {
		c.mu.Unlock()
		return errors.New("discord: already listening")
	}
	c.listening, c.stopping = true, false
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.listening = false
		c.mu.Unlock()
	}()
	removeInteractions := c.session.AddHandler(func(_ *discordgo.Session, e *discordgo.InteractionCreate) {
		c.spawn(ctx, func(ctx context.Context) { c.onInteraction(ctx, h, e.Interaction) })
	})
	defer removeInteractions()
	removeMessages := c.session.AddHandler(func(_ *discordgo.Session, e *discordgo.MessageCreate) {
		c.spawn(ctx, func(ctx context.Context) { c.onMessage(ctx, h, e.Message) })
	})
	defer removeMessages()

	if err := c.session.Open(); err != nil {
		c.stop(false)
		return fmt.Errorf("discord: connect to the gateway: %w", err)
	}
	if err := c.RegisterCommands(ctx); err != nil {
		c.stop(true)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	c.log.Info("discord: listening", "application", c.cfg.ApplicationID, "guild", c.cfg.GuildID)
	<-ctx.Done()
	c.stop(true)
	return nil
}

// stop refuses new events, closes the gateway if open, and waits for the
// events in progress.
func (c *Chat) stop(open bool) {
	c.mu.Lock()
	c.stopping = true
	c.mu.Unlock()
	if open {
		if err := c.session.Close(); err != nil {
			c.log.Warn("discord: close the gateway", "err", err)
		}
	}
	c.inflight.Wait()
}

// spawn runs fn on a goroutine that stop waits for, guarded against a
// panic, with the event's context (kit.Options.EventContext): it outlives
// Listen's, so that an answer being stored when the bot stops is still
// confirmed.
func (c *Chat) spawn(listening context.Context, fn func(context.Context)) {
	c.mu.Lock()
	if c.stopping {
		c.mu.Unlock()
		return
	}
	c.inflight.Add(1)
	c.busy++
	c.mu.Unlock()
	go func() {
		defer c.inflight.Done()
		defer func() {
			c.mu.Lock()
			if c.busy--; c.busy == 0 {
				c.idle.Broadcast()
			}
			c.mu.Unlock()
		}()
		defer kit.Guard(c.log, "event")
		ctx, cancel := c.cfg.EventContext(listening)
		defer cancel()
		fn(ctx)
	}()
}

// onMessage turns a person's direct message into a reply event: a note on
// the prompt it replies to (or on their latest prompt). A stored note is
// confirmed with a reaction; an error or a reply from the bot is posted as
// an answer to the person's message.
func (c *Chat) onMessage(ctx context.Context, h bot.Handler, m *discordgo.Message) {
	if m.GuildID != "" || m.Author == nil || m.Author.Bot || strings.TrimSpace(m.Content) == "" {
		return
	}
	ev := bot.Event{ID: m.ID, Kind: bot.EventReply, From: address(m.Author.ID), Text: m.Content}
	if r := m.MessageReference; r != nil && r.MessageID != "" {
		channel := r.ChannelID
		if channel == "" {
			channel = m.ChannelID
		}
		ev.MessageRef = ref(channel, r.MessageID)
	}
	resp := h.HandleEvent(ctx, ev)
	// Once the person has the reaction or the answer, the prompt shows it.
	defer c.cfg.ApplyEdit(ctx, Platform, resp, c.update)
	if resp.React {
		err := c.call(ctx, discordgo.EndpointMessageReaction(m.ChannelID, "", "", ""), func(opts ...discordgo.RequestOption) error {
			return c.session.MessageReactionAdd(m.ChannelID, m.ID, reaction, opts...)
		})
		if err != nil {
			c.log.Error("discord: react to a note", "message", m.ID, "err", err)
		}
	}
	if resp.Error == "" && resp.Reply == nil {
		return
	}
	a := c.answerFor(resp)
	msgs := []*discordgo.MessageSend{{Content: a.content, Embeds: a.embeds, Components: a.components}}
	for _, p := range a.more {
		msgs = append(msgs, &discordgo.MessageSend{Embeds: p.embeds, Components: rows(p.buttons)})
	}
	for n, send := range msgs {
		send.AllowedMentions = noMentions()
		if n == 0 {
			send.Reference = &discordgo.MessageReference{MessageID: m.ID, ChannelID: m.ChannelID}
		}
		endpoint := discordgo.EndpointChannelMessages(m.ChannelID)
		err := c.call(ctx, endpoint, func(opts ...discordgo.RequestOption) error {
			_, err := c.session.ChannelMessageSendComplex(m.ChannelID, send, opts...)
			return err
		})
		if err != nil {
			c.log.Error("discord: answer a direct message", "message", m.ID, "err", err)
			return
		}
	}
}
