package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

var _ chattest.Fake = (*fakeSlack)(nil)

// actTimeout bounds one action of a person in the fake.
const actTimeout = 15 * time.Second

// Chat returns the adapter under test.
func (f *fakeSlack) Chat() bot.Chat { return f.chat }

// Member returns one of the people who can receive direct messages.
func (f *fakeSlack) Member(i int) bot.Address { return bot.Address(fmt.Sprintf("slack:U0MEMBER%d", i)) }

// Channel returns the forum's channel.
func (f *fakeSlack) Channel() bot.Address { return "slack:" + forumChannel }

// Drop closes the Socket Mode websocket; in HTTP mode there is nothing to
// drop.
func (f *fakeSlack) Drop() { f.sock.drop() }

// Held returns the bot's messages in a conversation, each top-level message
// followed by the bot's replies in its thread.
func (f *fakeSlack) Held(to bot.Address) []chattest.Held {
	f.mu.Lock()
	defer f.mu.Unlock()
	var ch *fakeChannel
	if id := userOf(string(to)); strings.HasPrefix(id, "U") {
		if dm, ok := f.dms[id]; ok {
			ch = f.channels[dm]
		}
	} else {
		ch = f.channels[id]
	}
	if ch == nil {
		return nil
	}
	var out []chattest.Held
	for _, m := range ch.msgs {
		if !m.bot || m.deleted || (m.thread != "" && m.thread != m.ts) {
			continue
		}
		out = append(out, held(ch, m))
		for _, r := range ch.msgs {
			if r.bot && !r.deleted && r.thread == m.ts && r.ts != m.ts {
				out = append(out, held(ch, r))
			}
		}
	}
	return out
}

// held flattens a message; must be called with f.mu held.
func held(ch *fakeChannel, m *fakeMsg) chattest.Held {
	h := chattest.Held{Ref: bot.MessageRef{Platform: "slack", Channel: ch.id, ID: m.ts}, Text: flatten(m.blocks.BlockSet, m.text), Edits: m.edits, Reactions: len(m.reactions)}
	for _, r := range ch.msgs {
		if r.thread == m.ts && !r.bot {
			h.Reactions += len(r.reactions)
		}
	}
	for _, b := range m.blocks.BlockSet {
		if a, ok := b.(*slackgo.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slackgo.ButtonBlockElement); ok && strings.HasPrefix(btn.ActionID, bot.ActionOpenForm) {
					h.FormRefs = append(h.FormRefs, btn.Value)
				}
			}
		}
	}
	return h
}

// shownSince returns what user was shown alone since mark.
func (f *fakeSlack) shownSince(user string, mark int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.shown[user][mark:]...)
}

func (f *fakeSlack) shownMark(user string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.shown[user])
}

// OpenForm presses the button offering formRef on msg.
func (f *fakeSlack) OpenForm(ctx context.Context, who bot.Address, msg chattest.Held, formRef string, _ bot.Completion) (chattest.Seen, error) {
	ctx, cancel := context.WithTimeout(ctx, actTimeout)
	defer cancel()
	user := userOf(string(who))
	f.mu.Lock()
	ch := f.channels[msg.Ref.Channel]
	var m *fakeMsg
	if ch != nil {
		m = ch.find(msg.Ref.ID)
	}
	f.mu.Unlock()
	if m == nil {
		return chattest.Seen{}, fmt.Errorf("no message %v", msg.Ref)
	}
	var action map[string]any
	for _, b := range m.blocks.BlockSet {
		if a, ok := b.(*slackgo.ActionBlock); ok {
			for _, e := range a.Elements.ElementSet {
				if btn, ok := e.(*slackgo.ButtonBlockElement); ok && btn.Value == formRef {
					action = map[string]any{"type": "button", "action_id": btn.ActionID, "block_id": a.BlockID,
						"value": btn.Value, "text": btn.Text, "action_ts": f.nextID("1700000000.")}
				}
			}
		}
	}
	if action == nil {
		return chattest.Seen{}, fmt.Errorf("message %v offers no button for %s", msg.Ref, formRef)
	}
	trigger := f.newTrigger(user)
	payload := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": fakeTeam}, "api_app_id": fakeApp,
		"user": map[string]any{"id": user, "username": user, "team_id": fakeTeam}, "trigger_id": trigger,
		"response_url": f.newResponseURL(user), "container": map[string]any{"type": "message", "message_ts": m.ts, "channel_id": ch.id, "is_ephemeral": false},
		"channel": map[string]any{"id": ch.id}, "message": map[string]any{"type": "message", "ts": m.ts, "user": fakeBotUser, "blocks": m.blocks},
		"actions": []any{action},
	}
	mark := f.shownMark(user)
	if _, err := f.send(ctx, "interactive", payload); err != nil {
		return chattest.Seen{}, err
	}
	if err := f.awaitDone(ctx, trigger); err != nil {
		return chattest.Seen{}, err
	}
	seen := chattest.Seen{Text: strings.Join(f.shownSince(user, mark), "\n")}
	if v := f.viewFor(trigger); v != nil {
		seen.Form = seenForm(v)
	}
	return seen, nil
}

// Press implements chattest.Fake: OpenForm presses any button by its
// value.
func (f *fakeSlack) Press(ctx context.Context, who bot.Address, msg chattest.Held, value string) (chattest.Seen, error) {
	return f.OpenForm(ctx, who, msg, value, "")
}

// Submit fills in and submits an open modal.
func (f *fakeSlack) Submit(ctx context.Context, who bot.Address, form chattest.SeenForm, values map[string][]string) (chattest.Seen, error) {
	ctx, cancel := context.WithTimeout(ctx, actTimeout)
	defer cancel()
	user := userOf(string(who))
	v, trigger, payload, refused, err := f.submission(who, form, values)
	if err != nil || len(refused) > 0 {
		// Slack's client refuses before anything reaches the app.
		return chattest.Seen{FieldErrors: refused}, err
	}
	mark := f.shownMark(user)
	ack, err := f.send(ctx, "interactive", payload)
	if err != nil {
		return chattest.Seen{}, err
	}
	var answer struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if len(ack) > 0 && string(ack) != "null" {
		if err := json.Unmarshal(ack, &answer); err != nil {
			f.violate("view_submission: unreadable acknowledgement %s", ack)
		}
	}
	seen := chattest.Seen{}
	switch answer.ResponseAction {
	case "":
		f.mu.Lock()
		v.closed = true
		f.mu.Unlock()
	case "errors":
		ids := inputIDs(v)
		for block := range answer.Errors {
			if !ids[block] {
				f.violate("view_submission: error for block %q, not an input of the modal: Slack shows a generic error", block)
			}
		}
		seen.FieldErrors = answer.Errors
	default:
		f.violate("view_submission: response_action %q", answer.ResponseAction)
	}
	if err := f.awaitDone(ctx, trigger); err != nil {
		return chattest.Seen{}, err
	}
	seen.Text = strings.Join(f.shownSince(user, mark), "\n")
	return seen, nil
}

// submission builds the view_submission of an open modal filled with
// values, or the errors Slack's client shows without submitting.
func (f *fakeSlack) submission(who bot.Address, form chattest.SeenForm, values map[string][]string) (*fakeView, string, map[string]any, map[string]string, error) {
	user := userOf(string(who))
	f.mu.Lock()
	v := f.views[fmt.Sprint(form.Platform)]
	f.mu.Unlock()
	if v == nil || v.closed || v.user != user {
		return nil, "", nil, nil, fmt.Errorf("%s has no open modal %v", who, form.Platform)
	}
	state, refused := viewState(v, values)
	if len(refused) > 0 {
		return v, "", nil, refused, nil
	}
	trigger := f.newTrigger(user)
	payload := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": fakeTeam}, "api_app_id": fakeApp, "trigger_id": trigger,
		"user": map[string]any{"id": user, "username": user, "team_id": fakeTeam},
		"view": map[string]any{"id": v.id, "hash": v.hash, "type": "modal", "callback_id": v.callbackID,
			"private_metadata": v.metadata, "blocks": v.blocks, "state": map[string]any{"values": state}},
	}
	return v, trigger, payload, nil, nil
}

// Reply posts text in msg's thread in the person's direct message.
func (f *fakeSlack) Reply(ctx context.Context, who bot.Address, msg chattest.Held, text string) (chattest.Seen, error) {
	return f.say(ctx, userOf(string(who)), msg.Ref.Channel, msg.Ref.ID, text)
}

// say posts a person's message (in thread, when set) and sends the
// message.im event for it.
func (f *fakeSlack) say(ctx context.Context, user, channel, thread, text string) (chattest.Seen, error) {
	ctx, cancel := context.WithTimeout(ctx, actTimeout)
	defer cancel()
	f.mu.Lock()
	ch := f.channels[channel]
	if ch == nil || ch.user != user {
		f.mu.Unlock()
		return chattest.Seen{}, fmt.Errorf("%s is not %s's direct message", channel, user)
	}
	m := &fakeMsg{ts: f.nextTS(), thread: thread, user: user, text: slackEscape.Replace(text)}
	ch.msgs = append(ch.msgs, m)
	f.mu.Unlock()
	eventID := f.nextID("Ev")
	ev := map[string]any{"type": "message", "channel": channel, "user": user, "text": m.text, "ts": m.ts,
		"channel_type": "im", "event_ts": m.ts, "client_msg_id": f.nextID("client-")}
	if thread != "" {
		ev["thread_ts"] = thread
	}
	mark := f.shownMark(user)
	if _, err := f.send(ctx, "events_api", eventCallback(eventID, ev)); err != nil {
		return chattest.Seen{}, err
	}
	if err := f.awaitDone(ctx, eventID); err != nil {
		return chattest.Seen{}, err
	}
	return chattest.Seen{Text: strings.Join(f.shownSince(user, mark), "\n")}, nil
}

// Command runs the slash command with text from the person's direct
// message with the bot.
func (f *fakeSlack) Command(ctx context.Context, who bot.Address, text string) (chattest.Seen, error) {
	ctx, cancel := context.WithTimeout(ctx, actTimeout)
	defer cancel()
	user := userOf(string(who))
	f.mu.Lock()
	channel := f.dm(user).id
	f.mu.Unlock()
	trigger := f.newTrigger(user)
	payload := map[string]string{
		"token": "verification-token", "team_id": fakeTeam, "team_domain": "fake", "channel_id": channel,
		"channel_name": "directmessage", "user_id": user, "user_name": user, "command": "/forum", "text": text,
		"api_app_id": fakeApp, "is_enterprise_install": "false", "response_url": f.newResponseURL(user), "trigger_id": trigger,
	}
	mark := f.shownMark(user)
	ack, err := f.send(ctx, "slash_commands", payload)
	if err != nil {
		return chattest.Seen{}, err
	}
	var lines []string
	if len(ack) > 0 && string(ack) != "null" {
		var msg struct {
			Text         string         `json:"text"`
			Blocks       slackgo.Blocks `json:"blocks"`
			ResponseType string         `json:"response_type"`
		}
		if err := json.Unmarshal(ack, &msg); err != nil {
			f.violate("slash command: unreadable acknowledgement %s", ack)
		}
		f.checkMessage("slash command acknowledgement", msg.Text, msg.Blocks.BlockSet)
		if msg.ResponseType == "in_channel" {
			f.violate("slash command: answer posted in_channel")
		}
		lines = append(lines, flatten(msg.Blocks.BlockSet, msg.Text))
	}
	if err := f.awaitDone(ctx, trigger); err != nil {
		return chattest.Seen{}, err
	}
	seen := chattest.Seen{Text: strings.Join(append(lines, f.shownSince(user, mark)...), "\n")}
	if v := f.viewFor(trigger); v != nil {
		seen.Form = seenForm(v)
	}
	return seen, nil
}
