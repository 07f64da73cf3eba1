package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// isPanel reports whether m is a panel the adapter made: a message with
// one of its form menus or buttons.
func isPanel(m *discordgo.Message) bool {
	found := false
	eachComponent(m, func(id string) {
		switch kindOf(id) {
		case idLevel, idMenu, idContinue, idRetry:
			found = true
		}
	})
	return found
}

func eachComponent(m *discordgo.Message, fn func(customID string)) {
	if m == nil {
		return
	}
	for _, c := range m.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, inner := range row.Components {
			switch x := inner.(type) {
			case *discordgo.SelectMenu:
				fn(x.CustomID)
			case *discordgo.Button:
				fn(x.CustomID)
			}
		}
	}
}

// panelValues reads what the panel's menus hold: the chosen options of
// each menu, and the option at index level of the level menu.
func panelValues(m *discordgo.Message, level string) map[string][]string {
	values := map[string][]string{}
	if m == nil {
		return values
	}
	idx, err := strconv.Atoi(level)
	if err != nil {
		idx = -1
	}
	for _, c := range m.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, inner := range row.Components {
			sel, ok := inner.(*discordgo.SelectMenu)
			if !ok {
				continue
			}
			switch {
			case kindOf(sel.CustomID) == idMenu:
				name, _, _ := strings.Cut(strings.TrimPrefix(sel.CustomID, idMenu), ":")
				for _, o := range sel.Options {
					if o.Default {
						values[name] = append(values[name], o.Value)
					}
				}
			case kindOf(sel.CustomID) == idLevel && idx >= 0 && idx < len(sel.Options):
				name, _, _ := strings.Cut(strings.TrimPrefix(sel.CustomID, idLevel), ":")
				values[name] = []string{sel.Options[idx].Value}
			}
		}
	}
	return values
}

// modalValues reads the text inputs of a submitted modal. A choice typed
// one value per line comes back as its values.
func modalValues(data discordgo.ModalSubmitInteractionData) (values, typed map[string][]string) {
	values, typed = map[string][]string{}, map[string][]string{}
	for _, c := range data.Components {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, inner := range row.Components {
			in, ok := inner.(*discordgo.TextInput)
			if !ok {
				continue
			}
			if name, ok := strings.CutPrefix(in.CustomID, idList); ok {
				typed[name] = []string{in.Value}
				for _, v := range strings.FieldsFunc(in.Value, func(r rune) bool { return r == '\n' || r == ',' }) {
					if v = strings.TrimSpace(v); v != "" {
						values[name] = append(values[name], v)
					}
				}
				continue
			}
			values[in.CustomID] = []string{in.Value}
			typed[in.CustomID] = []string{in.Value}
		}
	}
	return values, typed
}

// withChoice returns the panel's components with the menu customID set to
// values: the panel keeps the person's choices as its state.
func withChoice(comps []discordgo.MessageComponent, customID string, values []string) []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, 0, len(comps))
	for _, c := range comps {
		row, ok := c.(*discordgo.ActionsRow)
		if !ok {
			out = append(out, c)
			continue
		}
		next := discordgo.ActionsRow{}
		for _, inner := range row.Components {
			if sel, ok := inner.(*discordgo.SelectMenu); ok && sel.CustomID == customID {
				copied := *sel
				copied.Options = append([]discordgo.SelectMenuOption(nil), sel.Options...)
				for i := range copied.Options {
					copied.Options[i].Default = contains(values, copied.Options[i].Value)
				}
				inner = copied
			}
			next.Components = append(next.Components, inner)
		}
		out = append(out, next)
	}
	return out
}

// withRetry returns the panel's components with a Try again button (whose
// label is given) in the last row, replacing any there was.
func withRetry(comps []discordgo.MessageComponent, retryID, label string) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, c := range comps {
		if row, ok := c.(*discordgo.ActionsRow); ok && rowHasPrefix(row, idRetry) {
			continue
		}
		out = append(out, c)
	}
	return append(out, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: cut(label, maxButtonLabel), Style: discordgo.PrimaryButton, CustomID: retryID},
	}})
}

func rowHasPrefix(row *discordgo.ActionsRow, prefix string) bool {
	for _, inner := range row.Components {
		if b, ok := inner.(*discordgo.Button); ok && strings.HasPrefix(b.CustomID, prefix) {
			return true
		}
	}
	return false
}
