package discord_test

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits, as the fake enforces them.
const (
	limContent     = 2000
	limEmbeds      = 10
	limTitle       = 256
	limDescription = 4096
	limFields      = 25
	limFieldName   = 256
	limFieldValue  = 1024
	limFooter      = 2048
	limEmbedTotal  = 6000
	limRows        = 5
	limRowButtons  = 5
	limCustomID    = 100
	limButtonLabel = 80
	limOptions     = 25
	limOptionText  = 100
	limPlaceholder = 150
	limModalTitle  = 45
	limInputLabel  = 45
	limInputValue  = 4000
	limNonce       = 25
	limCmdName     = 32
	limCmdDesc     = 100
	limCmdOptions  = 25
)

// commandName is what Discord accepts as a command or option name.
var commandName = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)

// liveMention matches text that would mention or link for real: mass
// mentions, user, role and channel mentions, masked links. A backslash
// before it or a zero-width space inside it makes it inert.
var liveMention = regexp.MustCompile(`(^|[^\\])(@everyone|@here|<@!?\d+>|<@&\d+>|<#\d+>|\[[^\]]*\]\(https?://)`)

func n(s string) int { return utf8.RuneCountInString(s) }

// checkMessage records what breaks Discord's rules in a message the bot
// sends, and reports whether Discord would accept it; f.mu held.
func (f *fakeDiscord) checkMessage(what, content string, embeds []*discordgo.MessageEmbed, comps []wireComponent, allowed *wireAllowedMentions) bool {
	before := len(f.violations)
	if allowed == nil || len(allowed.Parse) > 0 || len(allowed.Users) > 0 || len(allowed.Roles) > 0 || allowed.RepliedUser {
		f.violate("%s: allowed_mentions %+v, want none", what, allowed)
	}
	if n(content) > limContent {
		f.violate("%s: content of %d characters", what, n(content))
	}
	if content == "" && len(embeds) == 0 && len(comps) == 0 {
		f.violate("%s: an empty message", what)
	}
	f.checkText(what+" content", content)
	f.checkEmbeds(what, embeds)
	f.checkComponents(what, comps)
	return len(f.violations) == before
}

// checkText flags live mentions and masked links.
func (f *fakeDiscord) checkText(what, text string) {
	if m := liveMention.FindString(text); m != "" {
		f.violate("%s: live mention or link %q", what, m)
	}
}

func (f *fakeDiscord) checkEmbeds(what string, embeds []*discordgo.MessageEmbed) {
	if len(embeds) > limEmbeds {
		f.violate("%s: %d embeds", what, len(embeds))
	}
	total := 0
	for i, e := range embeds {
		size := n(e.Title) + n(e.Description)
		if n(e.Title) > limTitle {
			f.violate("%s: embed %d title of %d characters", what, i, n(e.Title))
		}
		if n(e.Description) > limDescription {
			f.violate("%s: embed %d description of %d characters", what, i, n(e.Description))
		}
		if len(e.Fields) > limFields {
			f.violate("%s: embed %d has %d fields", what, i, len(e.Fields))
		}
		f.checkText(what+" title", e.Title)
		f.checkText(what+" description", e.Description)
		for _, fl := range e.Fields {
			size += n(fl.Name) + n(fl.Value)
			if fl.Name == "" || fl.Value == "" || n(fl.Name) > limFieldName || n(fl.Value) > limFieldValue {
				f.violate("%s: embed %d field of %d+%d characters", what, i, n(fl.Name), n(fl.Value))
			}
			f.checkText(what+" field", fl.Name+" "+fl.Value)
		}
		if e.Footer != nil {
			size += n(e.Footer.Text)
			if n(e.Footer.Text) > limFooter {
				f.violate("%s: embed %d footer of %d characters", what, i, n(e.Footer.Text))
			}
			f.checkText(what+" footer", e.Footer.Text)
		}
		if e.Title == "" && e.Description == "" && len(e.Fields) == 0 && e.Footer == nil {
			f.violate("%s: embed %d is empty", what, i)
		}
		total += size
	}
	if total > limEmbedTotal {
		f.violate("%s: embeds of %d characters in all", what, total)
	}
}

func (f *fakeDiscord) checkComponents(what string, comps []wireComponent) {
	if len(comps) > limRows {
		f.violate("%s: %d component rows", what, len(comps))
	}
	ids := map[string]bool{}
	for _, row := range comps {
		if row.Type != compRow || len(row.Components) == 0 {
			f.violate("%s: a top-level component of type %d with %d children", what, row.Type, len(row.Components))
			continue
		}
		selects := 0
		for _, c := range row.Components {
			if ids[c.CustomID] {
				f.violate("%s: custom_id %q used twice", what, c.CustomID)
			}
			ids[c.CustomID] = true
			if len(c.CustomID) > limCustomID || c.CustomID == "" {
				f.violate("%s: custom_id of %d characters", what, len(c.CustomID))
			}
			switch c.Type {
			case compButton:
				if n(c.Label) > limButtonLabel || c.Label == "" {
					f.violate("%s: button label %q", what, c.Label)
				}
			case compSelect:
				selects++
				f.checkSelect(what, c)
			default:
				f.violate("%s: component type %d in a message", what, c.Type)
			}
		}
		if len(row.Components) > limRowButtons || (selects > 0 && len(row.Components) > 1) {
			f.violate("%s: a row of %d components (%d menus)", what, len(row.Components), selects)
		}
	}
}

func (f *fakeDiscord) checkSelect(what string, c wireComponent) {
	if len(c.Options) == 0 || len(c.Options) > limOptions || n(c.Placeholder) > limPlaceholder {
		f.violate("%s: menu %q with %d options, placeholder of %d", what, c.CustomID, len(c.Options), n(c.Placeholder))
	}
	defaults := 0
	for _, o := range c.Options {
		if o.Label == "" || n(o.Label) > limOptionText || o.Value == "" || n(o.Value) > limOptionText {
			f.violate("%s: menu %q option %q=%q", what, c.CustomID, o.Label, o.Value)
		}
		if o.Default {
			defaults++
		}
	}
	maxV := c.MaxValues
	if maxV == 0 {
		maxV = 1
	}
	if maxV > len(c.Options) || defaults > maxV || (c.MinValues != nil && *c.MinValues > maxV) {
		f.violate("%s: menu %q min %v max %d defaults %d of %d", what, c.CustomID, c.MinValues, c.MaxValues, defaults, len(c.Options))
	}
}

// checkModal checks a modal response; f.mu held.
func (f *fakeDiscord) checkModal(body messageBody) bool {
	before := len(f.violations)
	comps, err := body.components()
	if err != nil {
		f.violate("modal: malformed components: %v", err)
		return false
	}
	if body.Title == "" || n(body.Title) > limModalTitle || body.CustomID == "" || len(body.CustomID) > limCustomID {
		f.violate("modal: title %q, custom_id %q", body.Title, body.CustomID)
	}
	if len(comps) == 0 || len(comps) > 5 {
		f.violate("modal: %d rows", len(comps))
	}
	for _, row := range comps {
		if row.Type != compRow || len(row.Components) != 1 || row.Components[0].Type != compTextInput {
			f.violate("modal: a row that is not one text input: %+v", row)
			continue
		}
		in := row.Components[0]
		if in.Label == "" || n(in.Label) > limInputLabel || n(in.Value) > limInputValue || in.MaxLength > limInputValue ||
			(in.MaxLength > 0 && n(in.Value) > in.MaxLength) || n(in.Placeholder) > limOptionText || (in.Style != 1 && in.Style != 2) {
			f.violate("modal: text input %q label %q value of %d max %d", in.CustomID, in.Label, n(in.Value), in.MaxLength)
		}
	}
	return len(f.violations) == before
}

func (f *fakeDiscord) checkNonce(what, nonce string) bool {
	if len(nonce) > limNonce {
		f.violate("%s: nonce %q longer than %d", what, nonce, limNonce)
		return false
	}
	return true
}

// unescape shows markdown as a person reads it: escapes hidden.
var unescape = regexp.MustCompile(`\\([[:punct:]])`)

// seenText flattens a message as the person sees it: content, then each
// embed's title, description, fields and footer.
func seenText(m wireMessage) string {
	var b strings.Builder
	md := func(s string) string { return unescape.ReplaceAllString(s, "$1") }
	if m.Content != "" {
		b.WriteString(md(m.Content) + "\n")
	}
	for _, e := range m.Embeds {
		for _, s := range []string{md(e.Title), md(e.Description)} {
			if s != "" {
				b.WriteString(s + "\n")
			}
		}
		for _, fl := range e.Fields {
			b.WriteString(md(fl.Name) + ": " + md(fl.Value) + "\n")
		}
		if e.Footer != nil {
			b.WriteString(e.Footer.Text + "\n")
		}
	}
	return b.String()
}

// checkCommands records what breaks Discord's rules in a bulk command
// overwrite (names, descriptions and their localisations, option counts,
// required options first) and reports whether Discord would accept it;
// f.mu held.
func (f *fakeDiscord) checkCommands(cmds []command) bool {
	before := len(f.violations)
	for _, c := range cmds {
		f.checkCommand("command "+c.Name, c.Name, c.Description, c.Localized, c.Options)
	}
	return len(f.violations) == before
}

func (f *fakeDiscord) checkCommand(what, name, desc string, localized map[string]string, opts []commandOption) {
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		f.violate("%s: name %q is not 1-%d lower-case letters, digits, - or _", what, name, limCmdName)
	}
	if d := n(desc); d < 1 || d > limCmdDesc {
		f.violate("%s: description of %d characters, want 1-%d", what, d, limCmdDesc)
	}
	for loc, d := range localized {
		if !discordLocale(loc) {
			f.violate("%s: description localised for %q, not a Discord locale", what, loc)
		}
		if c := n(d); c < 1 || c > limCmdDesc {
			f.violate("%s: %s description of %d characters, want 1-%d", what, loc, c, limCmdDesc)
		}
	}
	if len(opts) > limCmdOptions {
		f.violate("%s: %d options, want at most %d", what, len(opts), limCmdOptions)
	}
	optional := false
	for _, o := range opts {
		if o.Required && optional {
			f.violate("%s: required option %s after an optional one", what, o.Name)
		}
		optional = optional || !o.Required
		if len(o.Choices) > limOptions {
			f.violate("%s: option %s has %d choices, want at most %d", what, o.Name, len(o.Choices), limOptions)
		}
		f.checkCommand(fmt.Sprintf("%s %s", what, o.Name), o.Name, o.Description, o.Localized, o.Options)
	}
}

// discordLocale reports whether loc is one of the locales Discord
// accepts in localisation maps.
func discordLocale(loc string) bool {
	for l := range discordgo.Locales {
		if string(l) == loc {
			return true
		}
	}
	return false
}
