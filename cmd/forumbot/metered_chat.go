package main

import (
	"context"
	"time"

	"forumbot/bot"
)

// meteredChat is a platform's chat as the engine is given it: Listen
// tells readiness while the chat listens, and the handler it passes on
// times each inbound event for Metrics.
type meteredChat struct {
	bot.Chat
	platform string
	m        *Metrics
	ready    *readiness
}

// Listen implements bot.Chat.
func (c *meteredChat) Listen(ctx context.Context, h bot.Handler) error {
	c.ready.setListening(c.platform, true)
	defer c.ready.setListening(c.platform, false)
	return c.Chat.Listen(ctx, timedHandler{h: h, platform: c.platform, m: c.m})
}

// meteredLeaderChat is a meteredChat whose platform has a part only the
// leading instance holds (bot.LeaderChat): it stays one, so that the
// engine still splits it.
type meteredLeaderChat struct {
	*meteredChat
	lc bot.LeaderChat
}

// metered wraps c for the engine, keeping what c implements.
func metered(c bot.Chat, platform string, m *Metrics, ready *readiness) bot.Chat {
	mc := &meteredChat{Chat: c, platform: platform, m: m, ready: ready}
	if lc, ok := c.(bot.LeaderChat); ok {
		return &meteredLeaderChat{meteredChat: mc, lc: lc}
	}
	return mc
}

// ListenShared implements bot.LeaderChat: what every instance serves,
// during which this instance answers the platform's members.
func (c *meteredLeaderChat) ListenShared(ctx context.Context, h bot.Handler) error {
	c.ready.setListening(c.platform, true)
	defer c.ready.setListening(c.platform, false)
	return c.lc.ListenShared(ctx, timedHandler{h: h, platform: c.platform, m: c.m})
}

// ListenLeader implements bot.LeaderChat.
func (c *meteredLeaderChat) ListenLeader(ctx context.Context, h bot.Handler) error {
	return c.lc.ListenLeader(ctx, timedHandler{h: h, platform: c.platform, m: c.m})
}

// timedHandler observes how long the engine takes to answer each event.
type timedHandler struct {
	h        bot.Handler
	platform string
	m        *Metrics
}

// HandleEvent implements bot.Handler.
func (t timedHandler) HandleEvent(ctx context.Context, e bot.Event) bot.Response {
	start := time.Now()
	resp := t.h.HandleEvent(ctx, e)
	t.m.ack.WithLabelValues(t.platform).Observe(time.Since(start).Seconds())
	return resp
}
