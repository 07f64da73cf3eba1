package slack

import (
	"strings"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// Slack's limits on modals (Block Kit reference).
const (
	maxModalTitle    = 24   // title, submit and close labels
	maxModalBlocks   = 100  // blocks in a modal
	maxLabel         = 2000 // an input's label and hint
	maxOptionText    = 75   // an option's label
	maxOptionValue   = 150  // an option's value
	maxSelectOptions = 100  // options in a static select
	maxCheckboxes    = 10   // options in a checkbox group
	maxInputLength   = 3000 // a plain-text input's max_length
	maxMetadata      = 3000 // private_metadata
)

// modal renders a form as a Slack modal carrying metadata (sealOrigin) as
// its private_metadata. The form's Ref is the view's callback_id, each
// field is an input block whose block_id and action_id are the field's
// name, so a submission maps back to the bot's names.
func modal(f bot.Form, metadata string) (slack.ModalViewRequest, error) {
	if len(f.Ref) > 255 {
		return slack.ModalViewRequest{}, bot.Errorf(bot.EINVALID, "form reference longer than Slack's 255 characters")
	}
	view := slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plainText(clip(strings.TrimSpace(f.Title), maxModalTitle)),
		CallbackID:      f.Ref,
		PrivateMetadata: metadata,
	}
	if s := strings.TrimSpace(f.Submit); s != "" {
		view.Submit = plainText(clip(s, maxModalTitle))
	}
	if len(f.Fields) > maxModalBlocks {
		return slack.ModalViewRequest{}, bot.Errorf(bot.EINVALID, "form with %d fields, more than a Slack modal holds", len(f.Fields))
	}
	for _, ff := range f.Fields {
		view.Blocks.BlockSet = append(view.Blocks.BlockSet, input(ff))
	}
	return view, nil
}

// input renders one form field as an input block.
func input(ff bot.FormField) *slack.InputBlock {
	var hint *slack.TextBlockObject
	if h := strings.TrimSpace(ff.Hint); h != "" {
		hint = plainText(clip(h, maxLabel))
	}
	var elem slack.BlockElement
	switch ff.Kind {
	case bot.FieldSelect:
		opts := options(ff.Options, maxSelectOptions)
		sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, ff.Name, opts...)
		if init := chosen(opts, ff.Initial); len(init) > 0 {
			sel.InitialOption = init[0]
		}
		elem = sel
	case bot.FieldChecks:
		if len(ff.Options) <= maxCheckboxes {
			opts := options(ff.Options, maxCheckboxes)
			box := slack.NewCheckboxGroupsBlockElement(ff.Name, opts...)
			box.InitialOptions = chosen(opts, ff.Initial)
			elem = box
		} else {
			opts := options(ff.Options, maxSelectOptions)
			multi := slack.NewOptionsMultiSelectBlockElement(slack.MultiOptTypeStatic, nil, ff.Name, opts...)
			multi.InitialOptions = chosen(opts, ff.Initial)
			elem = multi
		}
	default:
		text := slack.NewPlainTextInputBlockElement(nil, ff.Name)
		text.Multiline = ff.Kind == bot.FieldLongText
		text.MaxLength = maxInputLength
		if ff.MaxLen > 0 && ff.MaxLen < maxInputLength {
			text.MaxLength = ff.MaxLen
		}
		if len(ff.Initial) > 0 {
			text.InitialValue = strings.Join(ff.Initial, "\n")
			if textLen(text.InitialValue) > text.MaxLength {
				// Slack refuses an initial value over max_length; let the
				// person see all of it and trim it themselves.
				text.MaxLength = min(textLen(text.InitialValue), maxInputLength)
				text.InitialValue = text.InitialValue[:prefixWithin(text.InitialValue, text.MaxLength)]
			}
		}
		elem = text
	}
	block := slack.NewInputBlock(ff.Name, plainText(clip(strings.TrimSpace(ff.Label), maxLabel)), hint, elem)
	block.Optional = !ff.Required
	return block
}

func options(opts []bot.Option, limit int) []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for _, o := range opts[:min(len(opts), limit)] {
		if len(o.Value) > maxOptionValue {
			continue
		}
		out = append(out, slack.NewOptionBlockObject(o.Value, plainText(clip(o.Label, maxOptionText)), nil))
	}
	return out
}

// chosen returns the options whose values are in values, in option order.
func chosen(opts []*slack.OptionBlockObject, values []string) []*slack.OptionBlockObject {
	var out []*slack.OptionBlockObject
	for _, o := range opts {
		for _, v := range values {
			if o.Value == v {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// formValues reads a submitted modal's state into values keyed by the bot's
// field names. Empty inputs are left out.
func formValues(state *slack.ViewState) map[string][]string {
	values := map[string][]string{}
	if state == nil {
		return values
	}
	for block, actions := range state.Values {
		for _, a := range actions {
			var vs []string
			switch {
			case a.SelectedOption.Value != "":
				vs = []string{a.SelectedOption.Value}
			case len(a.SelectedOptions) > 0:
				for _, o := range a.SelectedOptions {
					vs = append(vs, o.Value)
				}
			case a.Value != "":
				vs = []string{a.Value}
			}
			if len(vs) > 0 {
				values[block] = append(values[block], vs...)
			}
		}
	}
	return values
}

// fieldErrors keys a response's errors by block_id for response_action
// errors. Errors about fields the modal lacks, and an error about the whole
// submission, are shown on the first field: Slack shows nothing for an
// unknown block_id, and the person must never be left without an answer.
func fieldErrors(view slack.View, errs map[string]string, whole string) map[string]string {
	inputs := map[string]bool{}
	first := ""
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			inputs[in.BlockID] = true
			if first == "" {
				first = in.BlockID
			}
		}
	}
	out := map[string]string{}
	var stray []string
	for name, msg := range errs {
		if inputs[name] {
			out[name] = clip(msg, maxLabel)
		} else {
			stray = append(stray, msg)
		}
	}
	if whole != "" {
		stray = append([]string{whole}, stray...)
	}
	if len(stray) > 0 && first != "" {
		msg := strings.Join(stray, " ")
		if prev, ok := out[first]; ok {
			msg += " " + prev
		}
		out[first] = clip(msg, maxLabel)
	}
	return out
}
