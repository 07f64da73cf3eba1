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
