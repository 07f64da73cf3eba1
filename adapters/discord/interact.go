package discord

import (
	"context"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// interaction is one interaction being answered, however it arrived: over
// the gateway or on the interactions endpoint. Both decode the same
// discordgo.Interaction and are answered by the same code; only the first
// response goes another way.
type interaction struct {
	*discordgo.Interaction
	// reply, when set, takes the first response: the HTTP response of the
	// interactions endpoint (exchange.reply). Otherwise it goes to
	// Discord's callback endpoint, as a gateway interaction's must.
	reply func(resp any) error
}

// onInteraction turns one interaction into bot events and answers it.
func (c *Chat) onInteraction(ctx context.Context, h bot.Handler, i *interaction) {
	user := interactionUser(i.Interaction)
	if user == "" {
		c.log.Warn("discord: interaction without a user", "interaction", i.ID)
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		c.onCommand(ctx, h, i, user)
	case discordgo.InteractionApplicationCommandAutocomplete:
		c.onAutocomplete(ctx, h, i, user)
	case discordgo.InteractionMessageComponent:
		c.onComponent(ctx, h, i, user)
	case discordgo.InteractionModalSubmit:
		c.onModal(ctx, h, i, user)
	}
}

// interactionUser is the member in a server, the user in a DM.
func interactionUser(i *discordgo.Interaction) string {
	switch {
	case i.Member != nil && i.Member.User != nil:
		return i.Member.User.ID
	case i.User != nil:
		return i.User.ID
	}
	return ""
}

func (c *Chat) onCommand(ctx context.Context, h bot.Handler, i *interaction, user string) {
	text, err := commandText(i.ApplicationCommandData())
	if err != nil {
		c.finish(ctx, i, outcome{answer: answer{content: markdown(bot.ErrorMessage(err))}}, deferNew, false)
		return
	}
	ev := bot.Event{ID: i.ID, Kind: bot.EventCommand, From: address(user), Text: text}
	var resp bot.Response
	out, deferred := c.decide(ctx, i, deferNew, func() outcome {
		resp = h.HandleEvent(ctx, ev)
		return c.outcomeFor(resp, "", "")
	})
	c.finish(ctx, i, out, deferNew, deferred)
	c.editAfter(ctx, resp)
}

// outcomeFor answers a response that may open a form: its panel, or its
// modal when it has no menus.
func (c *Chat) outcomeFor(resp bot.Response, promptID, user string) outcome {
	if resp.Form == nil {
		return outcome{answer: c.answerFor(resp)}
	}
	l, err := plan(*resp.Form)
	if err != nil {
		c.log.Error("discord: form", "ref", resp.Form.Ref, "err", err)
		return outcome{answer: answer{content: markdown(bot.ErrorMessage(err))}}
	}
	if !l.hasPanel() {
		modal, err := l.modal(noLevel, promptID, c.drafts.get(user, l.form.Ref))
		if err != nil {
			return outcome{answer: answer{content: markdown(bot.ErrorMessage(err))}}
		}
		return outcome{modal: modal, tooSlow: texts(l.form).TooSlow}
	}
	content, comps, err := l.panel(promptID)
	if err != nil {
		return outcome{answer: answer{content: markdown(bot.ErrorMessage(err))}}
	}
	return outcome{answer: answer{content: content, components: comps}}
}

// onAutocomplete suggests values for the option being typed. Discord
// cannot defer an autocomplete: a bot slower than AckWithin answers with
// no suggestions.
func (c *Chat) onAutocomplete(ctx context.Context, h bot.Handler, i *interaction, user string) {
	name, typed, ok := focused(i.ApplicationCommandData())
	if !ok {
		return
	}
	ev := bot.Event{ID: i.ID, Kind: bot.EventAutocomplete, From: address(user), Action: name, Text: typed}
	options, late := kit.Decide(c.cfg.Options, func() []bot.Option { return h.HandleEvent(ctx, ev).Choices }, func() {
		c.suggest(ctx, i, nil)
	})
	if !late {
		c.suggest(ctx, i, options)
	}
}

// suggest answers an autocomplete with options.
func (c *Chat) suggest(ctx context.Context, i *interaction, options []bot.Option) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	for _, o := range options {
		if len(choices) == maxOptions || len(o.Value) > maxOptionText {
			continue
		}
		label := o.Label
		if label == "" {
			label = o.Value
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: cut(plain(label), maxOptionText), Value: o.Value})
	}
	body := autocompleteResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult}
	body.Data.Choices = choices
	if err := c.respond(ctx, i, body); err != nil {
		c.log.Error("discord: autocomplete", "interaction", i.ID, "err", err)
	}
}

// autocompleteResponse always carries its choices, even none, which
// discordgo's InteractionResponseData would leave out.
type autocompleteResponse struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	} `json:"data"`
}

// onComponent handles buttons and menus: a bot button, a panel menu, the
// level menu and the panel's buttons.
func (c *Chat) onComponent(ctx context.Context, h bot.Handler, i *interaction, user string) {
	data := i.MessageComponentData()
	id := data.CustomID
	switch kind := kindOf(id); {
	case kind == idButton:
		c.onButton(ctx, h, i, user, strings.TrimPrefix(id, idButton))
	case kind == idMenu && i.Message != nil:
		// A choice in a panel menu: the panel keeps it.
		c.finish(ctx, i, outcome{update: true, answer: answer{
			content: i.Message.Content, embeds: i.Message.Embeds,
			components: withChoice(i.Message.Components, id, data.Values),
		}}, deferUpdate, false)
	case kind == idLevel, kind == idContinue, kind == idRetry:
		c.onOpenModal(ctx, h, i, user, id, data.Values)
	default:
		c.log.Warn("discord: unknown component", "custom_id", id)
	}
}

// onButton passes a bot button on, and opens the form it asks for.
func (c *Chat) onButton(ctx context.Context, h bot.Handler, i *interaction, user, actionValue string) {
	action, value, _ := strings.Cut(actionValue, ":")
	ev := bot.Event{ID: i.ID, Kind: bot.EventButton, From: address(user), Action: action, Value: value}
	promptID := ""
	if i.Message != nil {
		ev.MessageRef, promptID = ref(i.ChannelID, i.Message.ID), i.Message.ID
	}
	var resp bot.Response
	out, deferred := c.decide(ctx, i, deferNew, func() outcome {
		resp = h.HandleEvent(ctx, ev)
		return c.outcomeFor(resp, promptID, user)
	})
	c.finish(ctx, i, out, deferNew, deferred)
	c.editAfter(ctx, resp)
}

// onOpenModal opens the modal from a panel: a level chosen, Continue, or
// Try again. The form is asked for afresh, so that it shows what is stored
// now; what the person wrote in a rejected modal wins over it.
func (c *Chat) onOpenModal(ctx context.Context, h bot.Handler, i *interaction, user, id string, chosen []string) {
	kind := kindOf(id)
	var level, promptID, formRef string
	var ok bool
	switch kind {
	case idLevel:
		_, promptID, formRef, ok = parseFormID(id)
		level = noLevel
	case idContinue:
		promptID, formRef, ok = strings.Cut(strings.TrimPrefix(id, idContinue), ":")
		level = noLevel
	case idRetry:
		level, promptID, formRef, ok = parseFormID(id)
	}
	if !ok {
		c.log.Warn("discord: malformed custom id", "custom_id", id)
		return
	}
	ev := bot.Event{ID: i.ID, Kind: bot.EventButton, From: address(user), Action: bot.ActionOpenForm, Value: formRef}
	if promptID != "" {
		ev.MessageRef = ref(i.ChannelID, promptID)
	}
	out, deferred := c.decide(ctx, i, deferUpdate, func() outcome {
		resp := h.HandleEvent(ctx, ev)
		if resp.Form == nil {
			return outcome{answer: c.answerFor(resp)}
		}
		l, err := plan(*resp.Form)
		if err != nil {
			return outcome{answer: answer{content: markdown(bot.ErrorMessage(err))}}
		}
		if kind == idLevel && l.trigger != nil && len(chosen) == 1 {
			for n, o := range l.trigger.Options {
				if o.Value == chosen[0] {
					level = strconv.Itoa(n)
				}
			}
		}
		if len(l.inputs) == 0 {
			// Nothing to type: the choice is the whole answer.
			return outcome{submit: true}
		}
		modal, err := l.modal(level, promptID, c.drafts.get(user, formRef))
		if err != nil {
			return outcome{answer: answer{content: markdown(bot.ErrorMessage(err))}}
		}
		return outcome{modal: modal, tooSlow: texts(l.form).TooSlow}
	})
	if out.submit && !deferred {
		c.submit(ctx, h, i, user, form{level: level, promptID: promptID, ref: formRef, panel: i.Message}, nil, nil)
		return
	}
	if out.submit {
		// Deferred already: too late to answer in place, as for a modal.
		out = outcome{modal: &discordgo.InteractionResponseData{}}
	}
	c.finish(ctx, i, out, deferUpdate, deferred)
}

// onModal submits a modal: its text inputs and the choices of the panel it
// was opened from.
func (c *Chat) onModal(ctx context.Context, h bot.Handler, i *interaction, user string) {
	data := i.ModalSubmitData()
	level, promptID, formRef, ok := parseFormID(data.CustomID)
	if !ok || kindOf(data.CustomID) != idModal {
		c.log.Warn("discord: unknown modal", "custom_id", data.CustomID)
		return
	}
	values, typed := modalValues(data)
	f := form{level: level, promptID: promptID, ref: formRef}
	if isPanel(i.Message) {
		f.panel = i.Message
	}
	c.submit(ctx, h, i, user, f, values, typed)
}
