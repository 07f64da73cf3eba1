package slack

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"forumbot/bot"
)

// triggerLife is how long a trigger_id lets the app open a modal.
const triggerLife = 3 * time.Second

// onMessage turns a person's message in a direct message with the bot into
// an EventReply. Thread replies name the message they answer. The bot's own
// messages, edits, deletions and other subtypes are not people typing and
// are ignored.
func (c *Chat) onMessage(ctx context.Context, h bot.Handler, eventID string, m *slackevents.MessageEvent) outcome {
	if !c.fromPerson(m) {
		return outcome{}
	}
	ev := bot.Event{ID: eventID, Kind: bot.EventReply, From: userAddress(m.User), Text: fromMrkdwn(m.Text)}
	if ev.ID == "" {
		ev.ID = m.ClientMsgID
	}
	thread := ""
	if m.ThreadTimeStamp != "" && m.ThreadTimeStamp != m.TimeStamp {
		thread = m.ThreadTimeStamp
		ev.MessageRef = ref(m.Channel, thread)
	}
	resp := h.HandleEvent(ctx, ev)
	return outcome{after: func(ctx context.Context, _ bool) {
		if resp.React {
			c.react(ctx, m.Channel, m.TimeStamp)
		}
		c.tell(ctx, audience{user: m.User, channel: m.Channel, thread: thread}, resp)
	}, edit: resp}
}

func (c *Chat) fromPerson(m *slackevents.MessageEvent) bool {
	c.mu.Lock()
	self := c.self
	c.mu.Unlock()
	switch m.SubType {
	case "", slack.MsgSubTypeThreadBroadcast, slack.MsgSubTypeFileShare:
	default:
		return false
	}
	im := m.ChannelType == "im" || (m.ChannelType == "" && strings.HasPrefix(m.Channel, "D"))
	return im && m.User != "" && m.User != self && m.BotID == "" && strings.TrimSpace(m.Text) != ""
}

// onInteraction handles a button press or a modal submission.
func (c *Chat) onInteraction(ctx context.Context, h bot.Handler, ic slack.InteractionCallback) outcome {
	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		return c.onButton(ctx, h, ic)
	case slack.InteractionTypeViewSubmission:
		return c.onSubmit(ctx, h, ic)
	}
	return outcome{}
}

// onButton turns a button press into an EventButton and opens the form the
// bot answers with, on the press's trigger_id, before acknowledging.
func (c *Chat) onButton(ctx context.Context, h bot.Handler, ic slack.InteractionCallback) outcome {
	if len(ic.ActionCallback.BlockActions) == 0 {
		return outcome{}
	}
	a := ic.ActionCallback.BlockActions[0]
	channel, ts := ic.Container.ChannelID, ic.Container.MessageTs
	if channel == "" {
		channel = ic.Channel.ID
	}
	if ts == "" {
		ts = ic.Message.Timestamp
	}
	ev := bot.Event{ID: ic.TriggerID, Kind: bot.EventButton, From: userAddress(ic.User.ID), Action: actionOf(a.ActionID), Value: a.Value}
	if channel != "" && ts != "" {
		ev.MessageRef = ref(channel, ts)
	}
	resp := h.HandleEvent(ctx, ev)
	if resp.Form != nil {
		c.openForm(ctx, ic.TriggerID, ic.User.ID, *resp.Form, formOrigin{Channel: channel, TS: ts})
	}
	return outcome{after: func(ctx context.Context, _ bool) {
		c.tell(ctx, audience{user: ic.User.ID, channel: channel, responseURL: ic.ResponseURL}, resp)
	}, edit: resp}
}

// onSubmit turns a modal submission into an EventForm. Field errors, and an
// error about the whole submission, come back inside the modal; only a
// stored answer closes it, after which the prompt is edited and the
// confirmation shown. Where the form came from is read from its metadata
// only when the bot sealed it for this person and form; otherwise the
// answer goes to their direct message and no message is named.
func (c *Chat) onSubmit(ctx context.Context, h bot.Handler, ic slack.InteractionCallback) outcome {
	origin, ok := c.openOrigin(ic)
	if !ok && ic.View.PrivateMetadata != "" {
		c.log.Warn("modal metadata not sealed by the bot for this person; ignored", "user", ic.User.ID)
	}
	ev := bot.Event{
		ID: "view:" + ic.View.ID + ":" + ic.View.Hash, Kind: bot.EventForm, From: userAddress(ic.User.ID),
		FormRef: ic.View.CallbackID, Values: formValues(ic.View.State),
	}
	if origin.Channel != "" && origin.TS != "" {
		ev.MessageRef = ref(origin.Channel, origin.TS)
	}
	resp := h.HandleEvent(ctx, ev)
	to := audience{user: ic.User.ID, channel: origin.Channel}
	if len(resp.FieldErrors) > 0 || resp.Error != "" {
		errs := fieldErrors(ic.View, resp.FieldErrors, resp.Error)
		if len(errs) > 0 {
			return outcome{ack: slack.NewErrorsViewSubmissionResponse(errs), after: func(ctx context.Context, late bool) {
				if late {
					// The modal showed "still saving"; say what happened.
					c.tell(ctx, to, bot.Response{Error: strings.Join(sortedValues(errs), "\n")})
				}
			}}
		}
	}
	return outcome{after: func(ctx context.Context, _ bool) {
		c.tell(ctx, to, resp)
	}, edit: resp}
}

// earlyAck is the acknowledgement sent when the handler is slow: empty,
// except for a modal submission, which stays open saying it is still
// saving rather than closing as if the answer were recorded.
func (c *Chat) earlyAck(ic slack.InteractionCallback) any {
	if ic.Type != slack.InteractionTypeViewSubmission {
		return nil
	}
	// The modal stays open saying it is still saving, in the form's
	// language when it brought its words, rather than closing as if the
	// answer were recorded.
	saving := bot.DefaultFormTexts().StillSaving
	if origin, ok := c.openOrigin(ic); ok && origin.Saving != "" {
		saving = origin.Saving
	}
	errs := fieldErrors(ic.View, nil, saving)
	if len(errs) == 0 {
		return nil
	}
	return slack.NewErrorsViewSubmissionResponse(errs)
}

// commandAck is a slash command's acknowledgement: a message only the
// person sees.
type commandAck struct {
	ResponseType string        `json:"response_type"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

// maxAck keeps an acknowledgement well under Socket Mode's 20 KB, beyond
// which Slack silently drops it; a longer answer goes to the response_url.
const maxAck = 16 * 1024

// onCommand turns the slash command into an EventCommand. The answer rides
// on the acknowledgement when it is ready in time and small enough, and
// otherwise goes to the command's response_url; a form opens on the
// command's trigger_id.
func (c *Chat) onCommand(ctx context.Context, h bot.Handler, cmd slack.SlashCommand) outcome {
	if cmd.Command != c.cfg.Command {
		c.log.Warn("slash command name differs from the configured one; check the app's settings", "got", cmd.Command, "configured", c.cfg.Command)
	}
	ev := bot.Event{ID: cmd.TriggerID, Kind: bot.EventCommand, From: userAddress(cmd.UserID), Text: strings.TrimSpace(fromMrkdwn(cmd.Text))}
	resp := h.HandleEvent(ctx, ev)
	if resp.Form != nil {
		c.openForm(ctx, cmd.TriggerID, cmd.UserID, *resp.Form, formOrigin{Channel: cmd.ChannelID})
	}
	parts := c.answerParts(resp)
	to := audience{user: cmd.UserID, channel: cmd.ChannelID, responseURL: cmd.ResponseURL}
	var ack any
	if len(parts) > 0 {
		a := commandAck{ResponseType: slack.ResponseTypeEphemeral, Text: parts[0].fallback, Blocks: parts[0].blocks}
		if b, err := json.Marshal(a); err == nil && len(b) < maxAck {
			ack, parts = a, parts[1:]
		}
	}
	return outcome{ack: ack, after: func(ctx context.Context, late bool) {
		rest := parts
		if late {
			rest = c.answerParts(resp)
		}
		c.say(ctx, to, rest)
	}, edit: resp}
}

// openForm opens the bot's form as a modal for user on trigger, within the
// trigger's life, with origin sealed for them in its metadata.
func (c *Chat) openForm(ctx context.Context, trigger, user string, f bot.Form, origin formOrigin) {
	origin.Saving = f.Texts.StillSaving
	view, err := modal(f, c.sealOrigin(user, f.Ref, origin))
	if err != nil {
		c.log.Error("form cannot be shown", "form", f.Ref, "err", err)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, triggerLife)
	defer cancel()
	err = c.call(ctx, methodViewsOpen, callOptions{}, func(ctx context.Context) error {
		_, err := c.api.OpenViewContext(ctx, trigger, view)
		return err
	})
	if err != nil {
		c.log.Warn("views.open failed", "form", f.Ref, "err", err)
	}
}

// sortedValues returns the values of m in the order of their keys.
func sortedValues(m map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}
