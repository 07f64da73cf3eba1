package bot

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Chat is the port through which the engine talks on one platform: it
// delivers the outbox (Send, Delivered) and listens (Listen). Adapters in
// adapters/ implement it; the engine makes every call.
//
// Editing a message is not on the port. The bot edits a message only in
// answer to what a person did (the prompt re-rendered to show a stored
// answer), so an edit is part of a Response, like the reply, the form and
// the reaction, and the adapter applies all of it: it alone knows when the
// event was acknowledged, after which the edit may run, and how its
// platform paces such calls. An adapter for a platform that cannot edit
// (e-mail) leaves the edit out rather than implementing a method that
// fails.
type Chat interface {
	// Send delivers out and returns a reference to the message the platform
	// accepted. An error carrying RetryAfter asks the caller to wait; an
	// *Error with code EINVALID, ENOTFOUND or EFORBIDDEN is permanent (the
	// person cannot be reached); any other error is worth retrying.
	Send(ctx context.Context, out Outgoing) (MessageRef, error)
	// Delivered reports whether a message with out.Key was already delivered
	// to out.To, and where. The engine asks before resending a message whose
	// send may have succeeded before a crash.
	Delivered(ctx context.Context, out Outgoing) (MessageRef, bool, error)
	// Listen turns the platform's inbound events into Events for h until ctx
	// is done, then returns nil; it returns an error when it cannot connect.
	Listen(ctx context.Context, h Handler) error
}

// A LeaderChat is a Chat with a connection only one of several instances
// sharing a store may hold, because the platform delivers every event on
// it to every holder: Discord's gateway, which carries direct messages.
// When the engine runs with Options.Lead, it calls ListenShared on every
// instance in place of Listen, and ListenLeader only while the instance
// leads, under a context cancelled when it steps down. Both follow
// Listen's contract.
type LeaderChat interface {
	Chat
	ListenShared(ctx context.Context, h Handler) error
	ListenLeader(ctx context.Context, h Handler) error
}

// Outgoing is one message the engine asks a Chat to deliver.
type Outgoing struct {
	// To is a member (the message goes to a direct message) or a channel.
	To Address
	// Channel says To names a channel rather than a person.
	Channel bool
	// Key is the idempotency key: the same key is never delivered twice.
	Key     string
	Message Message
	// Reached is the last message sent to To, if any: an adapter may reuse
	// its conversation (Slack's direct-message channel) instead of opening
	// one, which after a restart would cost a rate-limited call per member.
	Reached MessageRef
	// For is the member the message is for when To is not their own
	// address but their fallback (Member.Fallback); empty otherwise. What
	// the person does with the message acts as For.
	For Address
	// Locale is the language the message is written in ("es"), for the
	// words an adapter adds around it; empty when unknown.
	Locale string
	// ClosesAt is when the round of a prompt or a reminder closes; zero
	// for other messages. An adapter whose links outlive the message
	// (e-mail) lets them expire some time after it.
	ClosesAt time.Time
}

// Member returns the member the message is for: For, else To.
func (o Outgoing) Member() Address {
	if o.For != "" {
		return o.For
	}
	return o.To
}

// Handler receives inbound events. The engine implements it; adapters call it
// from their own goroutines, concurrently.
type Handler interface {
	// HandleEvent acts on e and says what to show the person. It stores
	// before it confirms: a Response that confirms means the data is stored.
	HandleEvent(ctx context.Context, e Event) Response
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, e Event) Response

// HandleEvent calls f.
func (f HandlerFunc) HandleEvent(ctx context.Context, e Event) Response { return f(ctx, e) }

// EventKind says what a person did.
type EventKind string

// Inbound event kinds.
const (
	// EventButton: Action and Value of the button, MessageRef the message
	// it was on.
	EventButton EventKind = "button_pressed"
	// EventForm: FormRef of the form, Values by field name.
	EventForm EventKind = "form_submitted"
	// EventReply: Text of a reply in a direct message or thread,
	// MessageRef the message replied to when the platform says.
	EventReply EventKind = "reply"
	// EventCommand: Text after the command name, e.g. "status C3".
	EventCommand EventKind = "command"
	// EventAutocomplete: Text typed so far in the option named by Action.
	EventAutocomplete EventKind = "autocomplete"
)

// Event is something a person did on a platform, in platform-neutral terms.
type Event struct {
	// ID is the platform's id for this event, used to store a redelivered
	// answer once; empty when the platform has none.
	ID   string
	Kind EventKind
	From Address
	At   time.Time
	// MessageRef is the message the person acted on or replied to (for a
	// form, the one it was opened from); zero when there is none (a
	// command) or the platform does not say.
	MessageRef MessageRef
	Action     string
	Value      string
	FormRef    string
	Values     map[string][]string
	Text       string
}

// Response is what the bot wants shown after an event.
type Response struct {
	// Reply is shown to the person alone.
	Reply *Message
	// Form is opened for the person (after an EventButton).
	Form *Form
	// FieldErrors rejects a submitted form, by field name; nothing was stored.
	FieldErrors map[string]string
	// Error says the event failed as a whole (nothing was stored, the
	// command was refused, or the bot failed and cannot say what was
	// stored); shown to the person alone.
	Error string
	// Edit replaces a message sent earlier; the adapter applies it once the
	// event is acknowledged.
	Edit *Edit
	// FollowUp is work for after the person has been answered: the adapter
	// calls it once the event is acknowledged and applies the edit it
	// returns, if any, like Edit. Re-rendering a prompt to show a stored
	// answer goes here, so that it never delays an acknowledgement.
	FollowUp func(ctx context.Context) *Edit
	// React asks for a reaction on the person's message: the answer is stored.
	React bool
	// Choices answers an EventAutocomplete.
	Choices []Option
}

// WantsEdit reports whether the response may ask for an edit: whether
// EditAfter may return one. An adapter that holds edits back does not
// hold back a response without one.
func (r Response) WantsEdit() bool { return r.Edit != nil || r.FollowUp != nil }

// EditAfter returns the edit a response asks for: Edit, or else what
// FollowUp computes. Adapters call it after acknowledging the event.
func (r Response) EditAfter(ctx context.Context) *Edit {
	switch {
	case r.Edit != nil:
		return r.Edit
	case r.FollowUp != nil:
		return r.FollowUp(ctx)
	}
	return nil
}

// Edit is a new version of a message sent earlier.
type Edit struct {
	Ref     MessageRef
	Message Message
}

// RateLimitError says a platform refused a call for now and when to retry.
type RateLimitError struct {
	Wait time.Duration
	Err  error
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited, retry after %s: %v", e.Wait, e.Err)
}

func (e *RateLimitError) Unwrap() error { return e.Err }

// RetryAfter reports the wait asked for by a RateLimitError in err's chain.
func RetryAfter(err error) (time.Duration, bool) {
	var rl *RateLimitError
	if errors.As(err, &rl) {
		return rl.Wait, true
	}
	return 0, false
}

// Permanent reports whether err says a send can never succeed, so that
// retrying is pointless.
func Permanent(err error) bool {
	switch ErrorCode(err) {
	case EINVALID, ENOTFOUND, EFORBIDDEN:
		return true
	}
	return false
}
