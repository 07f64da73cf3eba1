package discord_test

import (
	"context"
	"fmt"
	"strings"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

// The fake acts as a person through the client's own wire protocol: it
// presses buttons and chooses menu options by echoing their custom ids,
// fills in modals, replies in DMs and runs /forum with typed options. The
// suite names form fields; the fake reads a field's name where the adapter
// writes it: a text input's custom id, a menu's "fs:<name>:…" or
// "ft:<name>:…".

// fakeForm is a form as a person has it open.
type fakeForm struct {
	user, channel, ref string
	// panel is the ephemeral message with the form's menus ("" for none).
	panel string
	// modal is the modal on screen, nil once submitted or closed.
	modal *messageBody
	level string
}

// lookup returns a message by id.
func (f *fakeDiscord) lookup(id string) (*fakeMessage, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, ok := f.messages[id]
	if !ok {
		return nil, fmt.Errorf("no message %s", id)
	}
	return m, nil
}

// wireOf is m as it stands: the bot may edit it (an answer's follow-up)
// while the person reads it.
func (f *fakeDiscord) wireOf(m *fakeMessage) wireMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return m.wire
}

// find returns the first component of m that match says yes to.
func (f *fakeDiscord) find(m *fakeMessage, match func(*wireComponent) bool) (wireComponent, bool) {
	var out wireComponent
	found := false
	each(f.wireOf(m).Components, func(c *wireComponent) {
		if !found && match(c) {
			out, found = *c, true
		}
	})
	return out, found
}

// click presses a button or chooses values in a menu of m.
func (f *fakeDiscord) click(ctx context.Context, user string, m *fakeMessage, c wireComponent, values []string) (result, error) {
	data := map[string]any{"custom_id": c.CustomID, "component_type": c.Type}
	if c.Type == compSelect {
		data["values"] = values
	}
	return f.await(ctx, f.interact(user, f.wireOf(m).ChannelID, 3, data, m, false))
}

// OpenForm implements chattest.Fake: press the button for formRef; if a
// panel appears, choose level in the menu that offers it.
func (f *fakeDiscord) OpenForm(ctx context.Context, who bot.Address, msg chattest.Held, formRef string, level bot.Completion) (chattest.Seen, error) {
	user := who.ID()
	m, err := f.lookup(msg.Ref.ID)
	if err != nil {
		return chattest.Seen{}, err
	}
	btn, ok := f.find(m, func(c *wireComponent) bool { return c.Type == compButton && strings.HasSuffix(c.CustomID, ":"+formRef) })
	if !ok {
		return chattest.Seen{}, fmt.Errorf("message %s has no button for %s", msg.Ref.ID, formRef)
	}
	res, err := f.click(ctx, user, m, btn, nil)
	if err != nil {
		return chattest.Seen{}, err
	}
	ff := &fakeForm{user: user, channel: f.wireOf(m).ChannelID, ref: formRef}
	if res.kind == 9 {
		ff.modal = &res.modal
		return f.seenForm(ff), nil
	}
	panel, err := f.lookup(res.msg.ID)
	if err != nil {
		return chattest.Seen{}, err
	}
	ff.panel = res.msg.ID
	if menu, ok := f.find(panel, func(c *wireComponent) bool { return c.Type == compSelect && hasOption(c, string(level)) }); ok {
		res, err = f.click(ctx, user, panel, menu, []string{string(level)})
	} else if cont, ok := f.find(panel, func(c *wireComponent) bool { return strings.HasPrefix(c.CustomID, "fc:") }); ok {
		res, err = f.click(ctx, user, panel, cont, nil)
	} else {
		return f.seen(res.msg, ff), nil
	}
	if err != nil {
		return chattest.Seen{}, err
	}
	if res.kind != 9 {
		return f.seen(res.msg, ff), nil
	}
	ff.modal, ff.level = &res.modal, string(level)
	return f.seenForm(ff), nil
}

// Press implements chattest.Fake: OpenForm presses any button by the
// value its custom id ends with.
func (f *fakeDiscord) Press(ctx context.Context, who bot.Address, msg chattest.Held, value string) (chattest.Seen, error) {
	return f.OpenForm(ctx, who, msg, value, "")
}

func hasOption(c *wireComponent, value string) bool {
	for _, o := range c.Options {
		if o.Value == value {
			return true
		}
	}
	return false
}

// fieldName reads a field's name from a custom id the adapter wrote.
func fieldName(id string) (name string, trigger, ok bool) {
	if rest, found := strings.CutPrefix(id, "fs:"); found {
		name, _, _ = strings.Cut(rest, ":")
		return name, false, true
	}
	if rest, found := strings.CutPrefix(id, "ft:"); found {
		name, _, _ = strings.Cut(rest, ":")
		return name, true, true
	}
	return "", false, false
}

// seenForm is the open form as the person sees it: the panel's menus and
// the modal's inputs.
func (f *fakeDiscord) seenForm(ff *fakeForm) chattest.Seen {
	form := chattest.SeenForm{Ref: ff.ref, Title: ff.modal.Title, Platform: ff}
	if panel, err := f.lookup(ff.panel); err == nil {
		each(f.wireOf(panel).Components, func(c *wireComponent) {
			name, trigger, ok := fieldName(c.CustomID)
			if !ok {
				return
			}
			field := chattest.SeenField{Name: name, Label: c.Placeholder}
			if trigger {
				field.Label, _, _ = strings.Cut(c.Placeholder, " · ")
				field.Initial = []string{ff.level}
			}
			for _, o := range c.Options {
				if o.Default {
					field.Initial = append(field.Initial, o.Value)
				}
			}
			form.Fields = append(form.Fields, field)
		})
	}
	rows, _ := ff.modal.components()
	each(rows, func(c *wireComponent) {
		if c.Type != compTextInput {
			return
		}
		field := chattest.SeenField{Name: strings.TrimPrefix(c.CustomID, "list:"), Label: c.Label}
		if c.Value != "" {
			field.Initial = strings.Split(c.Value, "\n")
		}
		form.Fields = append(form.Fields, field)
	})
	return chattest.Seen{Form: &form}
}

// seen is a message as the person sees it; embeds titled with a field's
// label are that field's errors.
func (f *fakeDiscord) seen(m wireMessage, ff *fakeForm) chattest.Seen {
	s := chattest.Seen{Text: seenText(m)}
	if ff == nil {
		return s
	}
	labels := map[string]string{}
	if ff.modal != nil || ff.panel != "" {
		if sf := f.seenForm(&fakeForm{panel: ff.panel, modal: orEmpty(ff.modal), level: ff.level}); sf.Form != nil {
			for _, fl := range sf.Form.Fields {
				labels[unescape.ReplaceAllString(fl.Label, "$1")] = fl.Name
			}
		}
	}
	for _, e := range m.Embeds {
		if name, ok := labels[unescape.ReplaceAllString(e.Title, "$1")]; ok {
			if s.FieldErrors == nil {
				s.FieldErrors = map[string]string{}
			}
			s.FieldErrors[name] = unescape.ReplaceAllString(e.Description, "$1")
		}
	}
	return s
}

func orEmpty(m *messageBody) *messageBody {
	if m == nil {
		return &messageBody{}
	}
	return m
}

// deleteDM removes the DM channel with user, as when Discord no longer
// knows it: requests in it answer 404 Unknown Channel (10003), and Create
// DM opens a new one. It returns the removed channel's id.
func (f *fakeDiscord) deleteDM(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	id := f.dmOf[user]
	delete(f.channels, id)
	delete(f.dmOf, user)
	return id
}

// heldIn returns the text of the bot's messages in a channel.
func (f *fakeDiscord) heldIn(channel string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.channels[channel]
	if c == nil {
		return nil
	}
	var out []string
	for _, m := range c.messages {
		if !m.deleted && m.wire.Author.ID == f.bot.ID {
			out = append(out, seenText(m.wire))
		}
	}
	return out
}
