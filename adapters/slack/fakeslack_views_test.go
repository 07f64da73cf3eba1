package slack_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	slackgo "github.com/slack-go/slack"

	"forumbot/adapters/chattest"
)

// triggerLife is how long Slack honours a trigger_id.
const triggerLife = 3 * time.Second

// newTrigger issues a trigger_id for an action by user.
func (f *fakeSlack) newTrigger(user string) string {
	id := f.nextID("trigger.")
	f.mu.Lock()
	f.triggers[id] = &fakeTrigger{user: user, issued: time.Now()}
	f.mu.Unlock()
	return id
}

// newResponseURL issues a response_url answering user.
func (f *fakeSlack) newResponseURL(user string) string {
	token := f.nextID("hook")
	f.mu.Lock()
	f.responseURLs[token] = &fakeResponseURL{user: user}
	f.mu.Unlock()
	return f.srv.URL + "/response/" + token
}

// openView is views.open: a trigger works once, within 3 s of the action.
func (f *fakeSlack) openView(w http.ResponseWriter, args apiArgs) {
	var view slackgo.ModalViewRequest
	if err := json.Unmarshal(args.json["view"], &view); err != nil {
		f.violate("views.open: unreadable view: %v", err)
		fail(w, "invalid_arguments")
		return
	}
	if problems := f.checkView(view); len(problems) > 0 {
		fail(w, "invalid_arguments")
		return
	}
	id := args.get("trigger_id")
	f.mu.Lock()
	defer f.mu.Unlock()
	tr, known := f.triggers[id]
	switch {
	case !known:
		fail(w, "invalid_trigger_id")
		return
	case tr.used:
		f.violations = append(f.violations, "views.open: trigger_id "+id+" used twice")
		fail(w, "exchanged_trigger_id")
		return
	case time.Since(tr.issued) > triggerLife:
		f.violations = append(f.violations, fmt.Sprintf("views.open: trigger_id %s used after %s", id, time.Since(tr.issued).Round(time.Millisecond)))
		fail(w, "expired_trigger_id")
		return
	}
	tr.used = true
	f.seq++
	v := &fakeView{
		id: fmt.Sprintf("V%07d", f.seq), hash: fmt.Sprintf("h%d", f.seq), user: tr.user, title: view.Title.Text,
		callbackID: view.CallbackID, metadata: view.PrivateMetadata, blocks: view.Blocks, trigger: id,
	}
	f.views[v.id] = v
	tr.view = v.id
	ok(w, map[string]any{"view": map[string]any{"id": v.id, "hash": v.hash, "type": "modal", "callback_id": v.callbackID}})
}

// viewFor returns the modal opened with trigger, if any.
func (f *fakeSlack) viewFor(trigger string) *fakeView {
	f.mu.Lock()
	defer f.mu.Unlock()
	if tr, ok := f.triggers[trigger]; ok && tr.view != "" {
		return f.views[tr.view]
	}
	return nil
}

// seenForm is a modal as the person sees it.
func seenForm(v *fakeView) *chattest.SeenForm {
	form := &chattest.SeenForm{Ref: v.callbackID, Title: v.title, Platform: v.id}
	for _, b := range v.blocks.BlockSet {
		in, ok := b.(*slackgo.InputBlock)
		if !ok {
			continue
		}
		field := chattest.SeenField{Name: in.BlockID, Label: in.Label.Text}
		switch e := in.Element.(type) {
		case *slackgo.PlainTextInputBlockElement:
			if e.InitialValue != "" {
				field.Initial = []string{e.InitialValue}
			}
		case *slackgo.SelectBlockElement:
			if e.InitialOption != nil {
				field.Initial = []string{e.InitialOption.Value}
			}
		case *slackgo.CheckboxGroupsBlockElement:
			for _, o := range e.InitialOptions {
				field.Initial = append(field.Initial, o.Value)
			}
		case *slackgo.MultiSelectBlockElement:
			for _, o := range e.InitialOptions {
				field.Initial = append(field.Initial, o.Value)
			}
		}
		form.Fields = append(form.Fields, field)
	}
	return form
}

// viewState fills the modal's inputs as a person would: Slack's client
// refuses to submit an empty required input or text over max_length, and
// offers only the listed options. It returns the view's state, or the
// errors the client shows.
func viewState(v *fakeView, values map[string][]string) (map[string]map[string]any, map[string]string) {
	state := map[string]map[string]any{}
	refused := map[string]string{}
	for _, b := range v.blocks.BlockSet {
		in, ok := b.(*slackgo.InputBlock)
		if !ok {
			continue
		}
		vals := values[in.BlockID]
		if !in.Optional && len(vals) == 0 {
			refused[in.BlockID] = "Please complete this required field."
			continue
		}
		var action map[string]any
		var actionID string
		switch e := in.Element.(type) {
		case *slackgo.PlainTextInputBlockElement:
			actionID = e.ActionID
			text := strings.Join(vals, "\n")
			if e.MaxLength > 0 && chars(text) > e.MaxLength {
				refused[in.BlockID] = fmt.Sprintf("Must be %d characters or fewer.", e.MaxLength)
			}
			action = map[string]any{"type": "plain_text_input", "value": text}
			if len(vals) == 0 {
				action["value"] = nil
			}
		case *slackgo.SelectBlockElement:
			actionID = e.ActionID
			action = map[string]any{"type": "static_select", "selected_option": nil}
			if len(vals) > 0 {
				opt := findOption(e.Options, vals[0])
				if opt == nil {
					refused[in.BlockID] = fmt.Sprintf("%q is not offered", vals[0])
				}
				action["selected_option"] = opt
			}
		case *slackgo.CheckboxGroupsBlockElement:
			actionID = e.ActionID
			action = map[string]any{"type": "checkboxes", "selected_options": pick(e.Options, vals, in.BlockID, refused)}
		case *slackgo.MultiSelectBlockElement:
			actionID = e.ActionID
			action = map[string]any{"type": "multi_static_select", "selected_options": pick(e.Options, vals, in.BlockID, refused)}
		}
		state[in.BlockID] = map[string]any{actionID: action}
	}
	return state, refused
}

func findOption(opts []*slackgo.OptionBlockObject, value string) *slackgo.OptionBlockObject {
	for _, o := range opts {
		if o.Value == value {
			return o
		}
	}
	return nil
}

func pick(opts []*slackgo.OptionBlockObject, vals []string, block string, refused map[string]string) []*slackgo.OptionBlockObject {
	out := []*slackgo.OptionBlockObject{}
	for _, v := range vals {
		o := findOption(opts, v)
		if o == nil {
			refused[block] = fmt.Sprintf("%q is not offered", v)
			continue
		}
		out = append(out, o)
	}
	return out
}

// inputIDs returns the block_ids of a view's inputs.
func inputIDs(v *fakeView) map[string]bool {
	ids := map[string]bool{}
	for _, b := range v.blocks.BlockSet {
		if in, ok := b.(*slackgo.InputBlock); ok {
			ids[in.BlockID] = true
		}
	}
	return ids
}
