package discord_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"forumbot/adapters/chattest"
	"forumbot/adapters/discord"
	"forumbot/bot"
)

// Submit implements chattest.Fake: set the panel's menus to values, reopen
// the modal if it is closed (Try again, or the level menu), fill it in and
// submit it.
func (f *fakeDiscord) Submit(ctx context.Context, who bot.Address, form chattest.SeenForm, values map[string][]string) (chattest.Seen, error) {
	ff, ok := form.Platform.(*fakeForm)
	if !ok {
		return chattest.Seen{}, errors.New("not a form of the fake Discord")
	}
	changed, err := f.setMenus(ctx, ff, values)
	if err != nil {
		return chattest.Seen{}, err
	}
	level := ff.level
	if v := values[bot.FieldCompletion]; len(v) > 0 {
		level = v[0]
	}
	if ff.modal == nil || changed || level != ff.level {
		if err := f.reopen(ctx, ff, level, changed); err != nil {
			return chattest.Seen{}, err
		}
	}
	res, err := f.await(ctx, f.submitModal(ff, values))
	if err != nil {
		return chattest.Seen{}, err
	}
	// The prompt is edited after the person is answered.
	f.chat.(*discord.Chat).WaitIdle()
	seen := f.seen(res.msg, ff)
	ff.modal = nil
	if res.kind == 4 && res.msg.ID != "" && ff.panel == "" {
		// The answer to a modal opened without a panel is a new message;
		// its Try again button is where the person goes on.
		ff.panel = res.msg.ID
	}
	return seen, nil
}

// submitModal fills in the open modal with values (other inputs keep what
// they show) and submits it.
func (f *fakeDiscord) submitModal(ff *fakeForm, values map[string][]string) *pendingInteraction {
	p, payload := f.modalSubmission(ff, values)
	f.deliver(p, payload)
	return p
}

// modalSubmission is the interaction submitModal delivers.
func (f *fakeDiscord) modalSubmission(ff *fakeForm, values map[string][]string) (*pendingInteraction, map[string]any) {
	var rows []map[string]any
	fields, _ := ff.modal.components()
	each(fields, func(c *wireComponent) {
		if c.Type != compTextInput {
			return
		}
		value := c.Value
		if v, ok := values[strings.TrimPrefix(c.CustomID, "list:")]; ok {
			value = strings.Join(v, "\n")
		}
		rows = append(rows, map[string]any{"type": compRow, "components": []map[string]any{{"type": compTextInput, "custom_id": c.CustomID, "value": value}}})
	})
	var on *fakeMessage
	if ff.panel != "" {
		on, _ = f.lookup(ff.panel)
	}
	return f.prepare(ff.user, ff.channel, 5, map[string]any{"custom_id": ff.modal.CustomID, "components": rows}, on, false)
}

// setMenus chooses values in the panel's menus where they differ.
func (f *fakeDiscord) setMenus(ctx context.Context, ff *fakeForm, values map[string][]string) (bool, error) {
	if ff.panel == "" {
		return false, nil
	}
	panel, err := f.lookup(ff.panel)
	if err != nil {
		return false, err
	}
	changed := false
	var menus []wireComponent
	each(f.wireOf(panel).Components, func(c *wireComponent) {
		if _, trigger, ok := fieldName(c.CustomID); ok && !trigger {
			menus = append(menus, *c)
		}
	})
	for _, m := range menus {
		name, _, _ := fieldName(m.CustomID)
		want, have := []string{}, []string{}
		for _, o := range m.Options {
			if contains(values[name], o.Value) {
				want = append(want, o.Value)
			}
			if o.Default {
				have = append(have, o.Value)
			}
		}
		if strings.Join(want, ",") == strings.Join(have, ",") {
			continue
		}
		res, err := f.click(ctx, ff.user, panel, m, want)
		if err != nil {
			return changed, err
		}
		if res.kind != 7 {
			return changed, fmt.Errorf("choosing in %s: answer of type %d, want the panel updated", m.CustomID, res.kind)
		}
		changed = true
	}
	return changed, nil
}

// reopen gets the modal back: Try again if offered and nothing changed,
// else the level menu, else Continue.
func (f *fakeDiscord) reopen(ctx context.Context, ff *fakeForm, level string, changed bool) error {
	panel, err := f.lookup(ff.panel)
	if err != nil {
		return fmt.Errorf("the modal is closed and there is no panel to reopen it: %w", err)
	}
	var res result
	retry, hasRetry := f.find(panel, func(c *wireComponent) bool { return strings.HasPrefix(c.CustomID, "fr:") })
	menu, hasMenu := f.find(panel, func(c *wireComponent) bool { _, trigger, _ := fieldName(c.CustomID); return trigger })
	cont, hasCont := f.find(panel, func(c *wireComponent) bool { return strings.HasPrefix(c.CustomID, "fc:") })
	switch {
	case hasRetry && !changed && level == ff.level:
		res, err = f.click(ctx, ff.user, panel, retry, nil)
	case hasMenu:
		res, err = f.click(ctx, ff.user, panel, menu, []string{level})
	case hasCont:
		res, err = f.click(ctx, ff.user, panel, cont, nil)
	default:
		return errors.New("the panel offers no way to reopen the form")
	}
	if err != nil {
		return err
	}
	if res.kind != 9 {
		return fmt.Errorf("reopening the form: answer of type %d: %s", res.kind, seenText(res.msg))
	}
	ff.modal, ff.level = &res.modal, level
	return nil
}
