package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// Discord JSON error codes of a message create in a channel the bot may
// no longer use: the channel is gone, the bot cannot see it, or the
// person no longer accepts its direct messages.
const (
	codeUnknownChannel = 10003 // 404 Unknown Channel
	codeMissingAccess  = 50001 // 403 Missing Access
	codeCannotMessage  = 50007 // 403 Cannot send messages to this user
)

// dmBook is what the adapter knows, in this process, of direct-message
// channels.
//
// A bot.MessageRef names a channel and a message: nothing in it says whose
// direct message the channel is, and Discord tells a bot that only through
// a request (GET /channels/{id} lists the recipients) that counts against
// the same global limit as opening the channel again. So out.Reached is
// used as a hint, trusted for what the engine guarantees: it is the ref
// this adapter's Send returned for a direct message to the same address
// (bot.Store.LastRefs keys it by recipient, channel deliveries have the
// channel's own address, and a member's fallback is on another platform).
// The hint is refused when the book contradicts it: the channel is known
// as another person's direct message (opened for them, written to by
// them, or already used for them), or as a channel the bot posts to as a
// channel. A reached channel that Discord no longer lets the bot use is
// replaced, once, by the one Create DM returns.
type dmBook struct {
	mu sync.Mutex
	// byUser is each person's channel: opened with Create DM, seen in a
	// message from them, or reached and written to successfully.
	byUser map[string]string
	// owner is the person of each channel in byUser.
	owner map[string]string
	// shared holds channels the bot posts to as channels (out.Channel).
	shared map[string]bool
}

func newDMBook() *dmBook {
	return &dmBook{byUser: map[string]string{}, owner: map[string]string{}, shared: map[string]bool{}}
}

// get returns user's channel, if known.
func (d *dmBook) get(user string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	channel, ok := d.byUser[user]
	return channel, ok
}

// put records channel as user's direct message, dropping whatever either
// was known as before.
func (d *dmBook) put(user, channel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.byUser[user]; ok && d.owner[old] == user {
		delete(d.owner, old)
	}
	if prev, ok := d.owner[channel]; ok && prev != user {
		delete(d.byUser, prev)
	}
	d.byUser[user], d.owner[channel] = channel, user
}

// forget drops user's channel if it is still channel.
func (d *dmBook) forget(user, channel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.byUser[user] == channel {
		delete(d.byUser, user)
		delete(d.owner, channel)
	}
}

// shareChannel records a channel the bot posts to as a channel.
func (d *dmBook) shareChannel(channel string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.shared[channel] = true
}

// usable reports whether channel may be user's direct message: it is
// neither another person's known channel nor a shared one.
func (d *dmBook) usable(user, channel string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	owner, known := d.owner[channel]
	return !d.shared[channel] && (!known || owner == user)
}

// reachedDM returns the channel of out.Reached when it may be the
// direct message with user (see dmBook), and "" otherwise.
func (c *Chat) reachedDM(user string, r bot.MessageRef) string {
	if r.Platform != Platform || !isSnowflake(r.Channel) || !isSnowflake(r.ID) || r.Channel == user {
		return ""
	}
	if !c.dms.usable(user, r.Channel) {
		c.log.Warn("discord: the last message sent to a person is in a channel known not to be their direct message; opening it", "user", user, "channel", r.Channel)
		return ""
	}
	return r.Channel
}

// inChannel runs fn in the channel out goes to: the channel named, or the
// member's direct message from the book, out.Reached, or Create DM. When
// the direct message was known from before (the book or out.Reached) and
// Discord answers that it is unknown (10003), hidden from the bot (50001)
// or closed to it (50007), fn runs once more in the channel Create DM
// returns; a refusal there is the answer. A reached channel is booked
// once fn succeeded in it.
func (c *Chat) inChannel(ctx context.Context, out bot.Outgoing, fn func(channel string) error) error {
	id, err := userID(out.To)
	if err != nil {
		return err
	}
	if out.Channel {
		c.dms.shareChannel(id)
		return fn(id)
	}
	channel, known := c.dms.get(id)
	if !known {
		channel = c.reachedDM(id, out.Reached)
		known = channel != ""
	}
	if !known {
		if channel, err = c.openDM(ctx, id); err != nil {
			return err
		}
		return fn(channel)
	}
	err = fn(channel)
	if err == nil {
		c.dms.put(id, channel)
		return nil
	}
	if !goneDM(err) {
		return err
	}
	c.log.Info("discord: a known direct message is gone; opening it again", "user", id, "channel", channel, "code", apiCode(err))
	c.dms.forget(id, channel)
	if channel, err = c.openDM(ctx, id); err != nil {
		return err
	}
	return fn(channel)
}

// goneDM reports whether err says the bot can no longer post in a
// channel it took for a direct message.
func goneDM(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) || re.Response == nil {
		return false
	}
	switch apiCode(err) {
	case codeUnknownChannel:
		return re.Response.StatusCode == http.StatusNotFound
	case codeMissingAccess, codeCannotMessage:
		return re.Response.StatusCode == http.StatusForbidden
	}
	return false
}

// openDM opens (or finds) the direct-message channel with a user through
// Create DM, and books it.
func (c *Chat) openDM(ctx context.Context, user string) (string, error) {
	var channel *discordgo.Channel
	err := c.call(ctx, discordgo.EndpointUserChannels(""), func(opts ...discordgo.RequestOption) (err error) {
		channel, err = c.session.UserChannelCreate(user, opts...)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("discord: open a direct message with %s: %w", user, err)
	}
	c.dms.put(user, channel.ID)
	return channel.ID, nil
}
