package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// answer is what the person sees in reply to an interaction or a message.
type answer struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	// more holds further messages of a long answer.
	more []part
}

// outcome is how an interaction is answered: a modal to open, or an answer
// as a new ephemeral message or (update) in place of the panel.
type outcome struct {
	modal *discordgo.InteractionResponseData
	// tooSlow is said instead when the modal comes too late to show.
	tooSlow string
	answer  answer
	update  bool
	// submit says the form has nothing to type: the panel's choices are
	// the whole answer.
	submit bool
}

// deferral is the deferred response an interaction gets when the bot is
// slow: a "thinking…" ephemeral message, or an acknowledged update of the
// message the component is on.
type deferral int

const (
	deferNew deferral = iota
	deferUpdate
)

// answerFor renders a bot response: an error and a plain reply as text,
// anything richer as embeds (and more messages when long).
func (c *Chat) answerFor(resp bot.Response) answer {
	var texts []string
	if resp.Error != "" {
		texts = append(texts, resp.Error)
	}
	rich := resp.Reply
	if rich != nil && rich.Header == "" && len(rich.Sections) == 0 && len(rich.Buttons) == 0 && rich.Footer == "" {
		texts = append(texts, rich.Text)
		rich = nil
	}
	var a answer
	text := strings.TrimSpace(strings.Join(texts, "\n\n"))
	if content := markdown(text); runes(content) <= maxContent {
		a.content = content
	} else {
		// Too long for content: the same text as embeds, split as needed.
		long := bot.Message{Text: text}
		if rich != nil {
			long.Sections = append([]bot.Section{{Title: rich.Header, Text: rich.Text}}, rich.Sections...)
			long.Buttons, long.Footer = rich.Buttons, rich.Footer
		}
		rich = &long
	}
	if rich != nil {
		parts, err := render(*rich)
		if err != nil {
			c.log.Error("discord: render a reply", "err", err)
			parts, _ = render(bot.Message{Text: bot.RenderText(*rich)})
		}
		if len(parts) > 0 {
			a.embeds, a.components = parts[0].embeds, rows(parts[0].buttons)
			a.more = parts[1:]
		}
	}
	if a.content == "" && len(a.embeds) == 0 {
		a.content = empty
	}
	return a
}

// decide runs work, and if it takes longer than AckWithin sends the
// deferred response d first, so that Discord gets an answer within its 3 s
// (kit.Decide). It reports whether it deferred. work always finishes
// before decide returns.
func (c *Chat) decide(ctx context.Context, i *interaction, d deferral, work func() outcome) (outcome, bool) {
	return kit.Decide(c.cfg.Options, work, func() {
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
		if d == deferNew {
			resp = &discordgo.InteractionResponse{
				Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions()},
			}
		}
		if err := c.respond(ctx, i, resp); err != nil {
			c.log.Warn("discord: deferred response", "interaction", i.ID, "err", err)
		}
	})
}

// finish answers an interaction with out, after a deferral d if deferred.
func (c *Chat) finish(ctx context.Context, i *interaction, out outcome, d deferral, deferred bool) {
	a := out.answer
	var err error
	switch {
	case out.modal != nil && !deferred:
		err = c.respond(ctx, i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: out.modal})
	case out.modal != nil:
		// Too late for a modal: a modal cannot follow a deferral.
		slow := out.tooSlow
		if slow == "" {
			slow = bot.DefaultFormTexts().TooSlow
		}
		err = c.followup(ctx, i, answer{content: markdown(slow)})
	case !deferred:
		typ := discordgo.InteractionResponseChannelMessageWithSource
		data := &discordgo.InteractionResponseData{
			Content: a.content, Embeds: a.embeds, Components: a.components,
			AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
		}
		if out.update {
			// Explicitly empty, so that an update clears what it replaces.
			typ, data.Flags = discordgo.InteractionResponseUpdateMessage, 0
			if data.Embeds == nil {
				data.Embeds = []*discordgo.MessageEmbed{}
			}
			if data.Components == nil {
				data.Components = []discordgo.MessageComponent{}
			}
		}
		err = c.respond(ctx, i, &discordgo.InteractionResponse{Type: typ, Data: data})
	case d == deferNew || out.update:
		err = c.editOriginal(ctx, i, a)
	default:
		err = c.followup(ctx, i, answer{content: a.content, embeds: a.embeds, components: a.components})
	}
	if err != nil {
		c.log.Error("discord: answer an interaction", "interaction", i.ID, "err", err)
		return
	}
	for _, p := range a.more {
		if err := c.followup(ctx, i, answer{embeds: p.embeds, components: rows(p.buttons)}); err != nil {
			c.log.Error("discord: follow-up message", "interaction", i.ID, "err", err)
			return
		}
	}
}

// respond sends the first response to an interaction: resp is an
// interaction response (*discordgo.InteractionResponse, or the choices of
// an autocomplete). One received on the interactions endpoint is answered
// in the HTTP response; one received over the gateway through Discord's
// callback endpoint, where a retry that finds it already answered has
// succeeded.
func (c *Chat) respond(ctx context.Context, i *interaction, resp any) error {
	if i.reply != nil {
		return i.reply(resp)
	}
	endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
	err := c.call(ctx, "", func(opts ...discordgo.RequestOption) error {
		_, err := c.session.RequestWithBucketID("POST", endpoint, resp, endpoint, opts...)
		return err
	})
	if apiCode(err) == codeAlreadyAcknowledged {
		return nil
	}
	return err
}

// editOriginal replaces the interaction's first (or deferred) response.
func (c *Chat) editOriginal(ctx context.Context, i *interaction, a answer) error {
	embeds, comps := a.embeds, a.components
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	if comps == nil {
		comps = []discordgo.MessageComponent{}
	}
	return c.call(ctx, "", func(opts ...discordgo.RequestOption) error {
		_, err := c.session.InteractionResponseEdit(i.Interaction, &discordgo.WebhookEdit{
			Content: &a.content, Embeds: &embeds, Components: &comps, AllowedMentions: noMentions(),
		}, opts...)
		return err
	})
}

// followup sends a further ephemeral message for the interaction.
func (c *Chat) followup(ctx context.Context, i *interaction, a answer) error {
	return c.call(ctx, "", func(opts ...discordgo.RequestOption) error {
		_, err := c.session.FollowupMessageCreate(i.Interaction, true, &discordgo.WebhookParams{
			Content: a.content, Embeds: a.embeds, Components: a.components,
			AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
		}, opts...)
		return err
	})
}
