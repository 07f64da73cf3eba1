package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// form is a submission's context: the level chosen (an index into the
// level menu, or noLevel), the message the form was opened from, the
// form's reference and the panel (nil when the modal was opened directly).
type form struct {
	level    string
	promptID string
	ref      string
	panel    *discordgo.Message
}

// submit passes a form submission to the bot. Stored: the prompt is edited
// (by the bot's Edit) and the panel becomes the confirmation. Rejected:
// what the person typed is kept as a draft and shown back beside each
// error, with Try again to reopen the modal filled in.
func (c *Chat) submit(ctx context.Context, h bot.Handler, i *interaction, user string, f form, values, typed map[string][]string) {
	if values == nil {
		values = map[string][]string{}
	}
	for name, v := range panelValues(f.panel, f.level) {
		values[name] = v
	}
	ev := bot.Event{ID: i.ID, Kind: bot.EventForm, From: address(user), FormRef: f.ref, Values: values}
	if f.promptID != "" {
		ev.MessageRef = ref(i.ChannelID, f.promptID)
	}
	d := deferNew
	if f.panel != nil {
		d = deferUpdate
	}
	var resp bot.Response
	out, deferred := c.decide(ctx, i, d, func() outcome {
		resp = h.HandleEvent(ctx, ev)
		if len(resp.FieldErrors) > 0 || (resp.Error != "" && resp.Reply == nil) {
			if len(typed) > 0 {
				c.drafts.put(user, f.ref, typed)
			}
			return c.rejected(ctx, h, ev, f, resp, typed)
		}
		c.drafts.drop(user, f.ref)
		a := c.answerFor(resp)
		if f.panel != nil {
			// The confirmation replaces the panel and its menus.
			a.components = []discordgo.MessageComponent{}
		}
		return outcome{answer: a, update: f.panel != nil}
	})
	c.finish(ctx, i, out, d, deferred)
	// The person has their answer; now the prompt shows it.
	c.editAfter(ctx, resp)
}

// rejected shows why nothing was stored: each field's error under its
// label, what the person typed there, and Try again.
func (c *Chat) rejected(ctx context.Context, h bot.Handler, ev bot.Event, f form, resp bot.Response, typed map[string][]string) outcome {
	labels, order, title, words := c.formLabels(ctx, h, ev)
	msg := bot.Message{}
	var names []string
	for _, name := range order {
		if _, ok := resp.FieldErrors[name]; ok {
			names = append(names, name)
		}
	}
	for name := range resp.FieldErrors {
		if !contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		label := labelOf(labels, name)
		sec := bot.Section{Title: label, Text: resp.FieldErrors[name]}
		if v := strings.TrimSpace(strings.Join(typed[name], "\n")); v != "" {
			sec.Fields = []bot.Field{{Label: strings.Replace(words.YouWrote, "{field}", label, 1), Value: v}}
		}
		msg.Sections = append(msg.Sections, sec)
	}
	var head []string
	switch {
	case f.panel != nil:
		head = append(head, strings.SplitN(f.panel.Content, "\n", 2)[0])
	case title != "":
		head = append(head, "**"+markdown(title)+"**")
	}
	if resp.Error != "" {
		head = append(head, markdown(resp.Error))
	}
	head = append(head, markdown(words.NotSaved))
	a := answer{content: strings.Join(head, "\n")}
	if len(msg.Sections) > 0 {
		parts, err := render(msg)
		if err != nil {
			c.log.Error("discord: render form errors", "err", err)
		} else {
			a.embeds, a.more = parts[0].embeds, parts[1:]
		}
	}
	retry, err := formID(idRetry+f.level+":", f.promptID, f.ref)
	if err == nil {
		var comps []discordgo.MessageComponent
		if f.panel != nil {
			comps = f.panel.Components
		}
		a.components = withRetry(comps, retry, words.TryAgain)
	}
	return outcome{answer: a, update: f.panel != nil}
}

// formLabels asks the bot for the form again, for its field labels in the
// person's language, in order, its title and the words around it.
func (c *Chat) formLabels(ctx context.Context, h bot.Handler, ev bot.Event) (map[string]string, []string, string, bot.FormTexts) {
	resp := h.HandleEvent(ctx, bot.Event{Kind: bot.EventButton, From: ev.From, Action: bot.ActionOpenForm, Value: ev.FormRef, MessageRef: ev.MessageRef})
	labels := map[string]string{}
	var order []string
	if resp.Form == nil {
		return labels, order, "", texts(bot.Form{})
	}
	for _, f := range resp.Form.Fields {
		labels[f.Name] = f.Label
		order = append(order, f.Name)
	}
	return labels, order, resp.Form.Title, texts(*resp.Form)
}

// labelOf is a field's label, or its name made readable.
func labelOf(labels map[string]string, name string) string {
	if l := labels[name]; l != "" {
		return l
	}
	return strings.ReplaceAll(name, "_", " ")
}
