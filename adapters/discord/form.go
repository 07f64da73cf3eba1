package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// A bot.Form on Discord. A modal in discordgo v0.29 holds text inputs only
// (at most five); select menus live in messages. So a form becomes:
//
//   - a panel: an ephemeral message with a menu per choice field (needs,
//     milestones: multi-select; any further single choice: select) and,
//     last, the form's first single choice (the completion level) whose
//     choice opens the modal;
//   - the modal: the text fields, pre-filled.
//
// Nothing is kept in memory between the steps: the menus' chosen values
// are the panel's own state (each choice updates the panel, setting the
// options' defaults), the modal's custom id carries the level chosen, and
// a modal submission carries the panel it was opened from. A choice field
// that does not fit in a panel (more than 25 options per menu, more than
// the rows left) becomes a text input taking one value per line.
//
// Its components are told apart by their custom ids (customid.go).

// Limits of menus and modals.
const (
	maxOptions       = 25
	maxOptionText    = 100
	maxPlaceholder   = 150
	maxModalTitle    = 45
	maxInputs        = 5
	maxInputLabel    = 45
	maxInputHint     = 100
	maxInputValue    = 4000
	noLevel          = "-"
	panelButtonsRows = 1
)

// texts returns a form's texts, with defaults for any it lacks.
func texts(f bot.Form) bot.FormTexts {
	t, d := f.Texts, bot.DefaultFormTexts()
	for _, p := range []struct {
		got *string
		def string
	}{
		{&t.Continue, d.Continue}, {&t.TryAgain, d.TryAgain}, {&t.ChooseLevel, d.ChooseLevel}, {&t.MenusFirst, d.MenusFirst},
		{&t.NotSaved, d.NotSaved}, {&t.YouWrote, d.YouWrote}, {&t.TooSlow, d.TooSlow}, {&t.StillSaving, d.StillSaving}, {&t.OnePerLine, d.OnePerLine},
	} {
		if *p.got == "" {
			*p.got = p.def
		}
	}
	return t
}

// menu is one select menu of a panel.
type menu struct {
	field   bot.FormField
	chunk   int
	options []bot.Option
}

// layout is where each field of a form goes on Discord.
type layout struct {
	form    bot.Form
	trigger *bot.FormField
	menus   []menu
	inputs  []bot.FormField
}

// plan lays form out, or says why Discord cannot show it.
func plan(form bot.Form) (layout, error) {
	l := layout{form: form}
	rowsLeft := maxRows - panelButtonsRows
	for i, f := range form.Fields {
		if f.Kind == bot.FieldSelect && len(f.Options) > 0 && len(f.Options) <= maxOptions {
			l.trigger = &form.Fields[i]
			rowsLeft--
			break
		}
	}
	for _, f := range form.Fields {
		switch {
		case l.trigger != nil && f.Name == l.trigger.Name:
		case f.Kind == bot.FieldText || f.Kind == bot.FieldLongText:
			l.inputs = append(l.inputs, f)
		case len(f.Options) == 0:
			// A choice with nothing to choose from.
		case (len(f.Options)+maxOptions-1)/maxOptions <= rowsLeft && (f.Kind == bot.FieldChecks || len(f.Options) <= maxOptions):
			for chunk := 0; chunk*maxOptions < len(f.Options); chunk++ {
				opts := f.Options[chunk*maxOptions : min(len(f.Options), (chunk+1)*maxOptions)]
				l.menus = append(l.menus, menu{field: f, chunk: chunk, options: opts})
				rowsLeft--
			}
		default:
			l.inputs = append(l.inputs, f)
		}
	}
	if len(l.inputs) > maxInputs {
		return l, bot.Errorf(bot.EINVALID, "the form %q has %d text fields; a Discord modal holds %d", form.Title, len(l.inputs), maxInputs)
	}
	return l, nil
}

// hasPanel reports whether the form needs a panel before its modal.
func (l layout) hasPanel() bool { return l.trigger != nil || len(l.menus) > 0 }

// panel renders the panel: the menus with their current choices, then the
// level menu, then (without a level menu) a Continue button.
func (l layout) panel(promptID string) (string, []discordgo.MessageComponent, error) {
	var comps []discordgo.MessageComponent
	for _, m := range l.menus {
		sel := discordgo.SelectMenu{
			MenuType:    discordgo.StringSelectMenu,
			CustomID:    idMenu + m.field.Name + ":" + strconv.Itoa(m.chunk),
			Placeholder: cut(plain(m.field.Label), maxPlaceholder),
			MinValues:   new(int),
			MaxValues:   1,
		}
		if m.field.Kind == bot.FieldChecks {
			sel.MaxValues = len(m.options)
		}
		if len(sel.CustomID) > maxCustomID {
			return "", nil, bot.Errorf(bot.EINVALID, "field name %q is too long for Discord", m.field.Name)
		}
		for _, o := range m.options {
			opt, err := selectOption(o)
			if err != nil {
				return "", nil, err
			}
			opt.Default = contains(m.field.Initial, o.Value)
			sel.Options = append(sel.Options, opt)
		}
		comps = append(comps, discordgo.ActionsRow{Components: []discordgo.MessageComponent{sel}})
	}
	var text []string
	text = append(text, "**"+markdown(l.form.Title)+"**")
	if l.trigger != nil {
		id, err := formID(idLevel+l.trigger.Name+":", promptID, l.form.Ref)
		if err != nil {
			return "", nil, err
		}
		hint := plain(l.trigger.Label)
		if len(l.trigger.Initial) > 0 {
			hint += " · " + plain(optionLabel(l.trigger.Options, l.trigger.Initial[0]))
		}
		one := 1
		sel := discordgo.SelectMenu{
			MenuType: discordgo.StringSelectMenu, CustomID: id,
			Placeholder: cut(hint, maxPlaceholder), MinValues: &one, MaxValues: 1,
		}
		for _, o := range l.trigger.Options {
			opt, err := selectOption(o)
			if err != nil {
				return "", nil, err
			}
			sel.Options = append(sel.Options, opt)
		}
		comps = append(comps, discordgo.ActionsRow{Components: []discordgo.MessageComponent{sel}})
		text = append(text, markdown(texts(l.form).ChooseLevel))
	} else {
		id, err := formID(idContinue, promptID, l.form.Ref)
		if err != nil {
			return "", nil, err
		}
		comps = append(comps, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: cut(texts(l.form).Continue, maxButtonLabel), Style: discordgo.PrimaryButton, CustomID: id},
		}})
	}
	if len(l.menus) > 0 {
		text = append(text, markdown(texts(l.form).MenusFirst))
	}
	return strings.Join(text, "\n"), comps, nil
}

func selectOption(o bot.Option) (discordgo.SelectMenuOption, error) {
	if len(o.Value) > maxOptionText {
		return discordgo.SelectMenuOption{}, bot.Errorf(bot.EINVALID, "option value %q is too long for Discord", o.Value)
	}
	label := o.Label
	if label == "" {
		label = o.Value
	}
	return discordgo.SelectMenuOption{Label: cut(plain(label), maxOptionText), Value: o.Value}, nil
}

func optionLabel(opts []bot.Option, value string) string {
	for _, o := range opts {
		if o.Value == value && o.Label != "" {
			return o.Label
		}
	}
	return value
}

// modal renders the modal of the text fields. level indexes the level
// menu's options ("-" for none); prefill, when it has a field, wins over
// the form's initial values (it is what the person wrote last time).
func (l layout) modal(level, promptID string, prefill map[string][]string) (*discordgo.InteractionResponseData, error) {
	id, err := formID(idModal+level+":", promptID, l.form.Ref)
	if err != nil {
		return nil, err
	}
	data := &discordgo.InteractionResponseData{CustomID: id, Title: cut(plain(l.form.Title), maxModalTitle)}
	for _, f := range l.inputs {
		in := discordgo.TextInput{
			CustomID: f.Name, Label: cut(plain(f.Label), maxInputLabel),
			Style: discordgo.TextInputParagraph, Required: f.Required,
			Placeholder: cut(plain(f.Hint), maxInputHint),
		}
		value := f.Initial
		if v, ok := prefill[f.Name]; ok {
			value = v
		}
		in.Value = strings.Join(value, "\n")
		if f.Kind == bot.FieldText {
			in.Style = discordgo.TextInputShort
		}
		if f.Kind == bot.FieldSelect || f.Kind == bot.FieldChecks {
			// A choice that did not fit in menus: one value per line.
			in.CustomID = idList + f.Name
			var values []string
			for _, o := range f.Options {
				values = append(values, o.Value)
			}
			in.Placeholder = cut(strings.Replace(texts(l.form).OnePerLine, "{values}", strings.Join(values, ", "), 1), maxInputHint)
		}
		in.MaxLength = maxInputValue
		if f.MaxLen > 0 && f.MaxLen < maxInputValue && runes(in.Value) <= f.MaxLen {
			in.MaxLength = f.MaxLen
		}
		data.Components = append(data.Components, discordgo.ActionsRow{Components: []discordgo.MessageComponent{in}})
	}
	return data, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
