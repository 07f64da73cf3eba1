package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// listenSocket receives envelopes through Socket Mode until ctx is done,
// on SocketConnections websocket connections at once: Slack hands each
// envelope to one of an app's open connections, and slack-go reads and
// decodes a connection's envelopes one after another, so a burst of
// submissions is decoded on as many cores as there are connections.
// slack-go's client reconnects on its own after a dropped websocket or a
// disconnect request; envelopes it sees twice (redelivered after a
// reconnect, to the same connection or another) and events Slack retried
// are handled once, and a redelivered envelope gets the acknowledgement
// of the first.
func (c *Chat) listenSocket(ctx context.Context, s *session) error {
	runCtx, cancel := context.WithCancel(ctx)
	var readers sync.WaitGroup
	defer func() {
		cancel()
		readers.Wait()
	}()
	stopped := make(chan error, c.cfg.SocketConnections)
	for range c.cfg.SocketConnections {
		smc := socketmode.New(c.api, socketmode.OptionLog(slogPrinter{c.log}))
		go func() { stopped <- smc.RunContext(runCtx) }()
		readers.Go(func() {
			for {
				select {
				case <-runCtx.Done():
					return
				case e := <-smc.Events:
					c.onSocketEvent(s, smc, e)
				}
			}
		})
	}
	err := <-stopped
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return nil
	}
	return fmt.Errorf("slack socket mode: %w", err)
}

// onSocketEvent dispatches one event of the Socket Mode client.
func (c *Chat) onSocketEvent(s *session, smc *socketmode.Client, e socketmode.Event) {
	switch e.Type {
	case socketmode.EventTypeConnected:
		c.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeIncomingError, socketmode.EventTypeInvalidAuth:
		c.log.Warn("socket mode", "event", string(e.Type), "data", fmt.Sprint(e.Data))
	case socketmode.EventTypeErrorBadMessage:
		c.ackUnreadable(s, smc, e)
	case socketmode.EventTypeEventsAPI, socketmode.EventTypeInteractive, socketmode.EventTypeSlashCommand:
		if e.Request != nil {
			c.onEnvelope(s, smc, e)
		}
	}
}

// onEnvelope handles one envelope once, acknowledging it by envelope_id.
func (c *Chat) onEnvelope(s *session, smc *socketmode.Client, e socketmode.Event) {
	envelope := e.Request.EnvelopeID
	entry, fresh := c.seen.claim("envelope:"+envelope, c.now())
	if !fresh {
		// Redelivered after a reconnect: answer as the first time, once
		// that answer is known.
		c.track(s, func() {
			select {
			case <-entry.acked:
				c.ack(s, smc, envelope, entry.ack)
			case <-s.ctx.Done():
			}
		})
		return
	}
	ack := func(payload any) {
		entry.setAck(payload)
		c.ack(s, smc, envelope, payload)
	}
	switch data := e.Data.(type) {
	case slackevents.EventsAPIEvent:
		cb, _ := data.Data.(*slackevents.EventsAPICallbackEvent)
		msg, _ := data.InnerEvent.Data.(*slackevents.MessageEvent)
		if cb == nil || msg == nil {
			ack(nil)
			return
		}
		if _, fresh := c.seen.claim("event:"+cb.EventID, c.now()); !fresh {
			ack(nil) // Slack retried an event already in hand.
			return
		}
		if !c.track(s, func() {
			c.run(s, cb.EventID, nil, func(ctx context.Context) outcome { return c.onMessage(ctx, s.h, cb.EventID, msg) }, ack)
		}) {
			c.seen.forget("event:" + cb.EventID)
			c.seen.forget("envelope:" + envelope)
		}
	case slack.InteractionCallback:
		c.handleOrForget(s, envelope, func() {
			c.run(s, data.TriggerID, c.earlyAck(data), func(ctx context.Context) outcome { return c.onInteraction(ctx, s.h, data) }, ack)
		})
	case slack.SlashCommand:
		c.handleOrForget(s, envelope, func() {
			c.run(s, data.TriggerID, nil, func(ctx context.Context) outcome { return c.onCommand(ctx, s.h, data) }, ack)
		})
	default:
		ack(nil)
	}
}

// handleOrForget runs f on the session; when the session is closing, it
// forgets the envelope so that Slack's redelivery, to the next Listen, is
// handled.
func (c *Chat) handleOrForget(s *session, envelope string, f func()) {
	if !c.track(s, f) {
		c.seen.forget("envelope:" + envelope)
	}
}

// ack acknowledges an envelope. During a shutdown the acknowledgement may
// not get out; Slack then redelivers the envelope to the next connection,
// and the store keeps the answer once.
func (c *Chat) ack(s *session, smc *socketmode.Client, envelope string, payload any) {
	if err := smc.AckCtx(s.ctx, envelope, payload); err != nil && s.ctx.Err() == nil {
		c.log.Warn("socket mode ack failed", "envelope", envelope, "err", err)
	}
}

// ackUnreadable acknowledges an envelope the client could not parse, so
// that Slack does not deliver it again and again.
func (c *Chat) ackUnreadable(s *session, smc *socketmode.Client, e socketmode.Event) {
	bad, ok := e.Data.(*socketmode.ErrorBadMessage)
	if !ok {
		return
	}
	c.log.Warn("socket mode message unreadable", "err", bad.Cause)
	var env struct {
		EnvelopeID string `json:"envelope_id"`
	}
	if json.Unmarshal(bad.Message, &env) == nil && env.EnvelopeID != "" {
		c.ack(s, smc, env.EnvelopeID, nil)
	}
}

// slogPrinter passes slack-go's debug lines to the adapter's log.
type slogPrinter struct {
	log interface{ Debug(string, ...any) }
}

func (p slogPrinter) Output(_ int, s string) error {
	p.log.Debug(s)
	return nil
}
