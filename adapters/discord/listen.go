package discord

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// reaction confirms that a reply was stored as a note.
const reaction = "✅"

// Listen implements bot.Chat. Without Config.PublicKey it is
// ListenGateway: interactions and direct messages both arrive over the
// gateway. With it, ServeInteractions and ListenGateway run side by side:
// interactions come to InteractionsHandler, direct messages over the
// gateway. It returns once ctx is done and both have stopped, or with the
// error of either, having stopped the other.
func (c *Chat) Listen(ctx context.Context, h bot.Handler) error {
	if c.publicKey == nil {
		return c.ListenGateway(ctx, h)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() {
		err := c.ServeInteractions(ctx, h)
		cancel() // the gateway stops with the endpoint
		served <- err
	}()
	err := c.ListenGateway(ctx, h)
	cancel()
	return errors.Join(err, <-served)
}

// ServeInteractions lets InteractionsHandler hand interactions to h until
// ctx is done, then waits for those in hand. It connects nothing: an
// instance that does not hold the gateway (one of several behind a load
// balancer) answers interactions with it alone. It needs Config.PublicKey.
func (c *Chat) ServeInteractions(ctx context.Context, h bot.Handler) error {
	if c.publicKey == nil {
		return errors.New("discord: no public key, so interactions arrive over the gateway (set the application's public key to answer them on the interactions endpoint)")
	}
	r, err := c.begin(&c.endpoint, ctx, h, "the interactions endpoint")
	if err != nil {
		return err
	}
	c.log.Info("discord: answering interactions on the endpoint", "application", c.cfg.ApplicationID)
	<-ctx.Done()
	c.end(&c.endpoint, r)
	return nil
}

// ListenGateway connects the gateway (identify, then heartbeats; after a
// drop the adapter reconnects and discordgo resumes), registers /forum, and hands
// direct messages, and interactions when Discord sends them over the
// gateway, to h, each on a goroutine of its own, until ctx is done. It
// then closes the gateway and waits for those goroutines. It returns an
// error when it cannot connect or register the command.
//
// Every connected gateway receives every direct message, so among several
// instances only one should hold it; the others answer interactions with
// ServeInteractions alone.
func (c *Chat) ListenGateway(ctx context.Context, h bot.Handler) error {
	r, err := c.begin(&c.gateway, ctx, h, "the gateway")
	if err != nil {
		return err
	}
	removeInteractions := c.session.AddHandler(func(_ *discordgo.Session, e *discordgo.InteractionCreate) {
		c.spawn(r, func(ctx context.Context) { c.onInteraction(ctx, h, &interaction{Interaction: e.Interaction}) })
	})
	defer removeInteractions()
	removeMessages := c.session.AddHandler(func(_ *discordgo.Session, e *discordgo.MessageCreate) {
		c.spawn(r, func(ctx context.Context) { c.onMessage(ctx, h, e.Message) })
	})
	defer removeMessages()
	removeDisconnects := c.session.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		c.redial(r)
	})
	defer removeDisconnects()

	if err := c.session.Open(); err != nil {
		c.stopGateway(r, false)
		return fmt.Errorf("discord: connect to the gateway: %w", err)
	}
	if err := c.RegisterCommands(ctx); err != nil {
		c.stopGateway(r, true)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	c.log.Info("discord: listening", "application", c.cfg.ApplicationID, "guild", c.cfg.GuildID)
	<-ctx.Done()
	c.stopGateway(r, true)
	return nil
}

// ListenShared implements bot.LeaderChat: what every one of several
// instances serves. With Config.PublicKey that is the interactions
// endpoint; without it nothing (interactions then come over the gateway,
// which only the leader holds), and it waits for ctx.
func (c *Chat) ListenShared(ctx context.Context, h bot.Handler) error {
	if c.publicKey == nil {
		<-ctx.Done()
		return nil
	}
	return c.ServeInteractions(ctx, h)
}

// ListenLeader implements bot.LeaderChat: the gateway, which delivers
// every direct message to every session holding it, is held by the
// leading instance alone, and closed when it steps down.
func (c *Chat) ListenLeader(ctx context.Context, h bot.Handler) error {
	return c.ListenGateway(ctx, h)
}

// stopGateway refuses new events, stops reconnecting, closes the gateway
// if open, and waits for the events in progress.
func (c *Chat) stopGateway(r *receiver, open bool) {
	c.refuse(r)
	r.redials.Wait()
	if open {
		if err := c.session.Close(); err != nil {
			c.log.Warn("discord: close the gateway", "err", err)
		}
	}
	c.end(&c.gateway, r)
}

// redial reconnects the gateway after a drop, at once and then after 1,
// 2, 4 … seconds (at most ten minutes) between tries, until it is open
// again or r stops; discordgo resumes the session where Discord allows.
// It runs on discordgo's Disconnect event, which every close emits, so it
// does nothing once r is stopping.
//
// discordgo's own reconnection is off (Session.ShouldReconnectOnError):
// its heartbeat, finding the connection closed while Close waits for
// Discord to end it, would call it and resume the session after Close
// returned, so that an instance that had stepped down from leading kept
// the gateway, and every direct message went to two instances.
func (c *Chat) redial(r *receiver) {
	c.mu.Lock()
	if r.closing {
		c.mu.Unlock()
		return
	}
	r.redials.Add(1)
	c.mu.Unlock()
	go func() {
		defer r.redials.Done()
		wait := time.Second
		for {
			select {
			case <-r.stopped:
				return
			default:
			}
			err := c.session.Open()
			if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
				return
			}
			c.log.Warn("discord: reconnect to the gateway", "err", err, "retry_in", wait)
			select {
			case <-r.stopped:
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, 10*time.Minute)
		}
	}()
}

// onMessage turns a person's direct message into a reply event: a note on
// the prompt it replies to (or on their latest prompt). A stored note is
// confirmed with a reaction; an error or a reply from the bot is posted as
// an answer to the person's message.
func (c *Chat) onMessage(ctx context.Context, h bot.Handler, m *discordgo.Message) {
	if m.GuildID != "" || m.Author == nil || m.Author.Bot {
		return
	}
	// A message from a person outside a server is in their direct message
	// with the bot: that proves whose channel it is.
	if isSnowflake(m.ChannelID) {
		c.dms.put(m.Author.ID, m.ChannelID)
	}
	if strings.TrimSpace(m.Content) == "" {
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
	defer c.editAfter(ctx, resp)
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

// editAfter makes the edit resp asks for (the prompt re-rendered to show the
// answer) once the events pause (kit.Lull): in a burst of answers it
// would take the cores from acknowledging the others within Discord's 3
// seconds. The person has their answer by then.
func (c *Chat) editAfter(ctx context.Context, resp bot.Response) {
	if !resp.WantsEdit() {
		return
	}
	if err := c.lull.Wait(ctx); err != nil {
		c.log.Warn("discord: edit dropped", "err", err)
		return
	}
	c.cfg.ApplyEdit(ctx, Platform, resp, c.update)
}
