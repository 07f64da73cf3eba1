// Package chattest is the conformance suite every bot.Chat adapter passes:
// the same scenarios run against the local chat, against Slack through
// slack-go and a fake Slack, and against Discord through discordgo and a
// fake Discord. An adapter's test supplies a Fake: the platform side,
// which holds what was delivered and acts as people through the platform's
// own wire protocol.
package chattest

import (
	"context"
	"time"

	"forumbot/bot"
)

// Fake is the platform behind an adapter under test.
type Fake interface {
	// Chat returns the adapter under test, connected to the fake.
	Chat() bot.Chat
	// Member returns the address of one of three people the fake knows
	// (i = 0, 1, 2) who can receive direct messages.
	Member(i int) bot.Address
	// Channel returns a channel the bot may post to.
	Channel() bot.Address
	// Held returns the messages the platform holds in the direct
	// conversation with a person, or in a channel, oldest first; for a
	// channel, thread replies are included after their parent.
	Held(to bot.Address) []Held
	// OpenForm does what a person does on msg to open the form with the
	// given reference (press its button; choose a level where the platform
	// asks for it first) and returns what the person then sees.
	OpenForm(ctx context.Context, who bot.Address, msg Held, formRef string, level bot.Completion) (Seen, error)
	// Press presses the button carrying value on msg (a button that opens
	// no form, such as Approve) and returns what the person then sees.
	Press(ctx context.Context, who bot.Address, msg Held, value string) (Seen, error)
	// Submit fills in and submits a form the person sees.
	Submit(ctx context.Context, who bot.Address, form SeenForm, values map[string][]string) (Seen, error)
	// Reply replies to msg in its thread (or in the direct conversation).
	Reply(ctx context.Context, who bot.Address, msg Held, text string) (Seen, error)
	// Command runs the slash command with text, e.g. "status C1".
	Command(ctx context.Context, who bot.Address, text string) (Seen, error)
	// FailNext queues n failures of kind f, after any already queued: each
	// of the next calls that posts or updates a message takes one.
	FailNext(n int, f Fault)
	// Drop closes the event connection (websocket, gateway); the adapter
	// must reconnect on its own.
	Drop()
	// Violations lists what broke the platform's rules so far: a message
	// over its limits, a mention that would notify people.
	Violations() []string
}

// Held is a message as the platform holds it, flattened for assertions.
type Held struct {
	Ref bot.MessageRef
	// Text is all the text of the message: header, sections, fields,
	// footers, in order.
	Text string
	// FormRefs are the form references offered by the message's buttons or
	// menus.
	FormRefs []string
	// Reactions counts reactions the bot added to the message or to a
	// person's replies to it.
	Reactions int
	// Edits counts updates to the message.
	Edits int
}

// Seen is what a person sees in answer to an action: a form, a private
// reply, or errors beside a form's fields.
type Seen struct {
	Form        *SeenForm
	Text        string
	FieldErrors map[string]string
}

// SeenForm is a form as shown to a person.
type SeenForm struct {
	// Ref is the form reference the bot gave it.
	Ref    string
	Title  string
	Fields []SeenField
	// Platform holds whatever the fake needs to submit it.
	Platform any
}

// SeenField is one input of a shown form.
type SeenField struct {
	Name    string
	Label   string
	Initial []string
}

// Field returns the field with the given name.
func (f SeenForm) Field(name string) (SeenField, bool) {
	for _, x := range f.Fields {
		if x.Name == name {
			return x, true
		}
	}
	return SeenField{}, false
}

// Fault is a failure a fake platform injects.
type Fault struct {
	// Status is the HTTP status: 429 or a 5xx.
	Status int
	// RetryAfter is sent with a 429.
	RetryAfter time.Duration
	// AfterPost makes the platform store the message and then fail the
	// response, as when a connection breaks after the platform accepted the
	// message: only a check for the idempotency key avoids a duplicate.
	AfterPost bool
}
