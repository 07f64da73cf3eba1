package local

import (
	"context"
	"fmt"
	"time"

	"forumbot/bot"
)

// Person acts as one member in the local chat: the scripted side of the
// demo and of tests.
type Person struct {
	Chat *Chat
	Who  bot.Address
	// Now stamps the events; the bot's clock when nil.
	Now func() time.Time
}

// As returns a Person acting as who.
func (c *Chat) As(who bot.Address) *Person { return &Person{Chat: c, Who: who} }

func (p *Person) handle(ctx context.Context, ev bot.Event) (bot.Response, error) {
	h, err := p.Chat.waitHandler(ctx)
	if err != nil {
		return bot.Response{}, err
	}
	p.Chat.mu.Lock()
	p.Chat.seq++
	if ev.ID == "" {
		ev.ID = fmt.Sprintf("local-%d", p.Chat.seq)
	}
	p.Chat.mu.Unlock()
	ev.From = p.Who
	if p.Now != nil {
		ev.At = p.Now()
	}
	resp := h.HandleEvent(ctx, ev)
	if edit := resp.EditAfter(ctx); edit != nil {
		if err := p.Chat.edit(edit.Ref, edit.Message); err != nil {
			return resp, err
		}
	}
	if resp.React {
		p.Chat.mu.Lock()
		p.Chat.reactions[string(p.Who)+"|"+ev.MessageRef.String()]++
		p.Chat.mu.Unlock()
	}
	return resp, nil
}

// Latest returns the newest message sent to the person.
func (p *Person) Latest() (Sent, bool) {
	msgs := p.Chat.Messages(p.Who)
	if len(msgs) == 0 {
		return Sent{}, false
	}
	return msgs[len(msgs)-1], true
}

// Press presses the first button on msg whose action is open_form for the
// given commitment (or any button if commitment is empty) and returns the
// bot's response, normally a form to fill.
func (p *Person) Press(ctx context.Context, msg Sent, commitment string) (bot.Response, error) {
	for _, s := range msg.Message.Sections {
		for _, b := range s.Buttons {
			ref, err := bot.ParseFormRef(b.Value)
			if err == nil && (commitment == "" || ref.CommitmentID == commitment) {
				return p.handle(ctx, bot.Event{Kind: bot.EventButton, MessageRef: msg.Ref, Action: b.Action, Value: b.Value})
			}
		}
	}
	return bot.Response{}, fmt.Errorf("no button for %q on message %s", commitment, msg.Ref)
}

// Submit submits form with values, as from the message msg (zero when the
// form came from a command).
func (p *Person) Submit(ctx context.Context, msg bot.MessageRef, form bot.Form, values map[string][]string) (bot.Response, error) {
	return p.handle(ctx, bot.Event{Kind: bot.EventForm, MessageRef: msg, FormRef: form.Ref, Values: values})
}

// Answer presses the button for commitment on msg and submits the form it
// opens with values: the whole "answer in under a minute" path.
func (p *Person) Answer(ctx context.Context, msg Sent, commitment string, values map[string][]string) (bot.Response, error) {
	resp, err := p.Press(ctx, msg, commitment)
	if err != nil {
		return resp, err
	}
	if resp.Form == nil {
		return resp, fmt.Errorf("pressing %s opened no form: %s", commitment, resp.Error)
	}
	return p.Submit(ctx, msg.Ref, *resp.Form, values)
}

// Reply replies to msg (in its thread) with text.
func (p *Person) Reply(ctx context.Context, msg bot.MessageRef, text string) (bot.Response, error) {
	return p.handle(ctx, bot.Event{Kind: bot.EventReply, MessageRef: msg, Text: text})
}

// Command runs a /forum command, e.g. "status C3".
func (p *Person) Command(ctx context.Context, text string) (bot.Response, error) {
	return p.handle(ctx, bot.Event{Kind: bot.EventCommand, Text: text})
}

// Click presses the first button labelled label on msg, in a section or
// under the whole message, and returns the bot's response.
func (p *Person) Click(ctx context.Context, msg Sent, label string) (bot.Response, error) {
	return p.push(ctx, msg, func(b bot.Button) bool { return b.Label == label }, "labelled "+label)
}

// Open presses the button on msg that opens the form formRef.
func (p *Person) Open(ctx context.Context, msg Sent, formRef string) (bot.Response, error) {
	return p.push(ctx, msg, func(b bot.Button) bool { return b.Action == bot.ActionOpenForm && b.Value == formRef }, "for "+formRef)
}

// Push presses the button on msg whose value is value.
func (p *Person) Push(ctx context.Context, msg Sent, value string) (bot.Response, error) {
	return p.push(ctx, msg, func(b bot.Button) bool { return b.Value == value }, "with value "+value)
}

func (p *Person) push(ctx context.Context, msg Sent, match func(bot.Button) bool, what string) (bot.Response, error) {
	buttons := msg.Message.Buttons
	for _, s := range msg.Message.Sections {
		buttons = append(buttons, s.Buttons...)
	}
	for _, b := range buttons {
		if match(b) {
			return p.handle(ctx, bot.Event{Kind: bot.EventButton, MessageRef: msg.Ref, Action: b.Action, Value: b.Value})
		}
	}
	return bot.Response{}, fmt.Errorf("no button %s on message %s", what, msg.Ref)
}
