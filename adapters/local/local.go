// Package local is an in-process chat implementing bot.Chat: the demo runs
// on it, and tests use it to play committee members who press buttons,
// submit forms and reply, with no platform and no network.
package local

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"forumbot/bot"
)

var _ bot.Chat = (*Chat)(nil)

// Sent is a message as the local chat holds it.
type Sent struct {
	Ref     bot.MessageRef
	To      bot.Address
	Channel bool
	Key     string
	Message bot.Message
	// Edits counts the updates the message received.
	Edits int
}

// Chat is the in-process chat. The zero value is not usable; call New.
type Chat struct {
	// Platform names the platform in message references; "local" by
	// default. A chat standing in for Slack in a test uses "slack".
	Platform string
	// Fault, when set, is asked before every send ("send") and edit
	// ("edit"); an error it returns fails the call without delivering
	// anything.
	Fault func(op string, out bot.Outgoing) error
	// FailAfter, when set, is asked after a Send delivered; an error it
	// returns fails the call although the message was delivered, as when
	// a platform's answer is lost.
	FailAfter func(op string, out bot.Outgoing) error
	// OnSend and OnEdit, when set, observe deliveries and edits (the demo
	// prints them). They run with the chat unlocked.
	OnSend, OnEdit func(Sent)

	mu    sync.Mutex
	seq   int
	sent  []*Sent
	byRef map[bot.MessageRef]*Sent
	// reactions counts the bot's reactions to people's replies, by the
	// message replied to ("" key part for a plain direct message).
	reactions map[string]int
	handler   bot.Handler
	// changed is closed and replaced whenever handler changes, waking
	// people waiting for the bot to listen.
	changed chan struct{}
}

// New returns an empty local chat.
func New() *Chat {
	return &Chat{Platform: "local", byRef: map[bot.MessageRef]*Sent{}, reactions: map[string]int{}, changed: make(chan struct{})}
}

// Send implements bot.Chat.
func (c *Chat) Send(ctx context.Context, out bot.Outgoing) (bot.MessageRef, error) {
	if c.Fault != nil {
		if err := c.Fault("send", out); err != nil {
			return bot.MessageRef{}, err
		}
	}
	c.mu.Lock()
	c.seq++
	channel := "dm-" + out.To.ID()
	if out.Channel {
		channel = out.To.ID()
	}
	s := &Sent{
		Ref: bot.MessageRef{Platform: c.Platform, Channel: channel, ID: strconv.Itoa(c.seq)},
		To:  out.To, Channel: out.Channel, Key: out.Key, Message: out.Message,
	}
	c.sent = append(c.sent, s)
	c.byRef[s.Ref] = s
	copied := *s
	c.mu.Unlock()
	if c.OnSend != nil {
		c.OnSend(copied)
	}
	if c.FailAfter != nil {
		if err := c.FailAfter("send", out); err != nil {
			return bot.MessageRef{}, err
		}
	}
	return s.Ref, nil
}

// Delivered implements bot.Chat: it looks for the key among the messages
// already sent to out.To.
func (c *Chat) Delivered(ctx context.Context, out bot.Outgoing) (bot.MessageRef, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.sent {
		if s.To == out.To && s.Key == out.Key && out.Key != "" {
			return s.Ref, true, nil
		}
	}
	return bot.MessageRef{}, false, nil
}

// edit replaces the message ref with msg, for the edit a response asks
// for.
func (c *Chat) edit(ref bot.MessageRef, msg bot.Message) error {
	c.mu.Lock()
	s, ok := c.byRef[ref]
	c.mu.Unlock()
	if !ok {
		return bot.Errorf(bot.ENOTFOUND, "no message %s", ref)
	}
	if c.Fault != nil {
		if err := c.Fault("edit", bot.Outgoing{To: s.To, Key: s.Key, Message: msg}); err != nil {
			return err
		}
	}
	c.mu.Lock()
	s.Message = msg
	s.Edits++
	copied := *s
	c.mu.Unlock()
	if c.OnEdit != nil {
		c.OnEdit(copied)
	}
	return nil
}

// Listen implements bot.Chat: it hands h to the scripted people until ctx
// ends. Like a platform, the chat outlives the bot: a restarted bot listens
// again on the same chat and sees the same messages.
func (c *Chat) Listen(ctx context.Context, h bot.Handler) error {
	c.mu.Lock()
	if c.handler != nil {
		c.mu.Unlock()
		return fmt.Errorf("local chat: another bot is listening")
	}
	c.setHandler(h)
	c.mu.Unlock()
	<-ctx.Done()
	c.mu.Lock()
	c.setHandler(nil)
	c.mu.Unlock()
	return nil
}

// setHandler must be called with c.mu held.
func (c *Chat) setHandler(h bot.Handler) {
	c.handler = h
	close(c.changed)
	c.changed = make(chan struct{})
}

// waitHandler returns the listening bot's handler, waiting for one.
func (c *Chat) waitHandler(ctx context.Context) (bot.Handler, error) {
	for {
		c.mu.Lock()
		h, changed := c.handler, c.changed
		c.mu.Unlock()
		if h != nil {
			return h, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Messages returns copies of every message sent to who, oldest first.
func (c *Chat) Messages(who bot.Address) []Sent {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []Sent
	for _, s := range c.sent {
		if s.To == who {
			out = append(out, *s)
		}
	}
	return out
}

// All returns copies of every message sent, oldest first.
func (c *Chat) All() []Sent {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Sent, len(c.sent))
	for i, s := range c.sent {
		out[i] = *s
	}
	return out
}

// Reactions returns how many reactions the bot put on a person's replies.
func (c *Chat) Reactions(who bot.Address) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.reactions {
		if strings.HasPrefix(k, string(who)+"|") {
			n += v
		}
	}
	return n
}

// ReactionsOn returns how many reactions the bot put on replies to ref.
func (c *Chat) ReactionsOn(ref bot.MessageRef) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.reactions {
		if strings.HasSuffix(k, "|"+ref.String()) {
			n += v
		}
	}
	return n
}
