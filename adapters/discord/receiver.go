package discord

import (
	"context"
	"fmt"
	"sync"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// receiver is one running source of events, the gateway or the
// interactions endpoint: the context it runs in, the handler its events
// go to, and the goroutines handling them, which it waits for when it
// stops. The two start and stop apart: an instance may answer
// interactions without holding the gateway.
type receiver struct {
	ctx context.Context
	h   bot.Handler
	wg  sync.WaitGroup
	// closing refuses new events while the receiver stops; guarded by
	// Chat.mu. stopped is closed when closing is set.
	closing bool
	stopped chan struct{}
	// redials are the gateway's reconnections in progress (redial).
	redials sync.WaitGroup
}

// begin starts a receiver in slot (c.gateway or c.endpoint); there is one
// of each at a time.
func (c *Chat) begin(slot **receiver, ctx context.Context, h bot.Handler, what string) (*receiver, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if *slot != nil {
		return nil, fmt.Errorf("discord: already listening on %s", what)
	}
	r := &receiver{ctx: ctx, h: h, stopped: make(chan struct{})}
	*slot = r
	return r, nil
}

// refuse makes r refuse new events.
func (c *Chat) refuse(r *receiver) {
	c.mu.Lock()
	if !r.closing {
		r.closing = true
		close(r.stopped)
	}
	c.mu.Unlock()
}

// end refuses new events on r, waits for those in hand and empties slot.
func (c *Chat) end(slot **receiver, r *receiver) {
	c.refuse(r)
	r.wg.Wait()
	c.mu.Lock()
	if *slot == r {
		*slot = nil
	}
	c.mu.Unlock()
}

// current returns the receiver in slot while it accepts events, or nil.
func (c *Chat) current(slot **receiver) *receiver {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := *slot; r != nil && !r.closing {
		return r
	}
	return nil
}

// spawn runs fn on a goroutine that r waits for, guarded against a
// panic, with the event's context (kit.Options.EventContext): it outlives
// r's, so that an answer being stored when the bot stops is still
// confirmed. It reports false, and does not run fn, when r is stopping.
func (c *Chat) spawn(r *receiver, fn func(context.Context)) bool {
	c.mu.Lock()
	if r.closing {
		c.mu.Unlock()
		return false
	}
	r.wg.Add(1)
	c.busy++
	c.mu.Unlock()
	c.lull.Arrived()
	go func() {
		defer r.wg.Done()
		defer func() {
			c.mu.Lock()
			if c.busy--; c.busy == 0 {
				c.idle.Broadcast()
			}
			c.mu.Unlock()
		}()
		defer kit.Guard(c.log, "event")
		ctx, cancel := c.cfg.EventContext(r.ctx)
		defer cancel()
		fn(ctx)
	}()
	return true
}
