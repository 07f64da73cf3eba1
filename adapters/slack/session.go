package slack

import (
	"context"
	"errors"
	"sync"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// followUpsInFlight bounds the follow-up calls made at once.
const followUpsInFlight = 4

// session is one running Listen: the handler events go to and the
// goroutines handling them, which Listen waits for before it returns.
type session struct {
	ctx context.Context
	h   bot.Handler
	wg  sync.WaitGroup
	// followUps bounds the follow-up calls (edits, reactions, replies) in
	// flight: Slack allows chat.update about 50 times a minute.
	followUps chan struct{}
	closing   bool // guarded by Chat.mu
}

// begin starts a session; there is one at a time.
func (c *Chat) begin(ctx context.Context, h bot.Handler) (*session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session != nil {
		return nil, errors.New("slack: already listening")
	}
	c.session = &session{ctx: ctx, h: h, followUps: make(chan struct{}, followUpsInFlight)}
	return c.session, nil
}

// end stops accepting requests and waits for those in hand.
func (c *Chat) end(s *session) {
	c.mu.Lock()
	s.closing = true
	c.mu.Unlock()
	s.wg.Wait()
	c.mu.Lock()
	c.session = nil
	c.mu.Unlock()
}

// current returns the running session, or nil.
func (c *Chat) current() *session {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session == nil || c.session.closing {
		return nil
	}
	return c.session
}

// track runs f on a goroutine the session waits for, guarded against a
// panic. It reports false, and does not run f, when the session is
// closing.
func (c *Chat) track(s *session, f func()) bool {
	c.mu.Lock()
	if s.closing {
		c.mu.Unlock()
		return false
	}
	s.wg.Add(1)
	c.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer kit.Guard(c.log, "event")
		f()
	}()
	return true
}
