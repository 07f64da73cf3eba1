package slack_test

import (
	"fmt"
	"strings"
	"unicode/utf16"

	slackgo "github.com/slack-go/slack"
)

// Slack's limits, as its Block Kit reference states them.
const (
	limitBlocks       = 50
	limitModalBlocks  = 100
	limitText         = 3000
	limitField        = 2000
	limitFields       = 10
	limitHeader       = 150
	limitButtonText   = 75
	limitButtonValue  = 2000
	limitActions      = 25
	limitContext      = 10
	limitID           = 255
	limitModalTitle   = 24
	limitLabel        = 2000
	limitOptions      = 100
	limitCheckboxes   = 10
	limitOptionText   = 75
	limitOptionValue  = 150
	limitInput        = 3000
	limitMetadata     = 3000
	limitNotification = 4000
)

// chars counts as Slack does, in UTF-16 code units.
func chars(s string) int { return len(utf16.Encode([]rune(s))) }

// checkMessage checks a message's blocks and notification text, records
// every problem as a violation and returns the problems for which Slack
// would refuse the message. Live mentions are recorded but not refused:
// Slack would post the message, and ping.
func (f *fakeSlack) checkMessage(where, text string, blocks []slackgo.Block) []string {
	var problems, mrkdwn []string
	if len(blocks) > limitBlocks {
		problems = append(problems, fmt.Sprintf("%d blocks (Slack allows %d)", len(blocks), limitBlocks))
	}
	if len(blocks) > 0 && strings.TrimSpace(text) == "" {
		problems = append(problems, "no notification text with the blocks")
	}
	if chars(text) > limitNotification {
		problems = append(problems, fmt.Sprintf("notification text of %d characters", chars(text)))
	}
	p, m := checkBlocks(blocks)
	problems, mrkdwn = append(problems, p...), append(m, text)
	for _, s := range mrkdwn {
		for _, live := range liveSyntax(s) {
			f.violate("%s: %s would notify or link: %q", where, live, clipForLog(s))
		}
	}
	for _, p := range problems {
		f.violate("%s: %s", where, p)
	}
	return problems
}

// checkBlocks checks message or modal blocks and returns the problems and
// the mrkdwn texts in them.
func checkBlocks(blocks []slackgo.Block) (problems, mrkdwn []string) {
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	ids := map[string]bool{}
	text := func(what string, t *slackgo.TextBlockObject, limit int, plainOnly bool) {
		switch {
		case t == nil || strings.TrimSpace(t.Text) == "":
			bad("%s: empty text", what)
		case t.Type != slackgo.PlainTextType && (plainOnly || t.Type != slackgo.MarkdownType):
			bad("%s: text of type %q", what, t.Type)
		case chars(t.Text) > limit:
			bad("%s: %d characters (Slack allows %d)", what, chars(t.Text), limit)
		}
		if t != nil && t.Type == slackgo.MarkdownType {
			mrkdwn = append(mrkdwn, t.Text)
		}
	}
	for i, b := range blocks {
		what := fmt.Sprintf("block %d (%s)", i, b.BlockType())
		if id := b.ID(); id != "" {
			if ids[id] || len(id) > limitID {
				bad("%s: block_id %q repeated or too long", what, id)
			}
			ids[id] = true
		}
		switch b := b.(type) {
		case *slackgo.HeaderBlock:
			text(what, b.Text, limitHeader, true)
		case *slackgo.SectionBlock:
			if b.Text == nil && len(b.Fields) == 0 {
				bad("%s: neither text nor fields", what)
			}
			if b.Text != nil {
				text(what, b.Text, limitText, false)
			}
			if len(b.Fields) > limitFields {
				bad("%s: %d fields (Slack allows %d)", what, len(b.Fields), limitFields)
			}
			for j, fl := range b.Fields {
				text(fmt.Sprintf("%s field %d", what, j), fl, limitField, false)
			}
		case *slackgo.ContextBlock:
			if n := len(b.ContextElements.Elements); n == 0 || n > limitContext {
				bad("%s: %d elements", what, n)
			}
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slackgo.TextBlockObject); ok {
					text(what, t, limitText, false)
				}
			}
		case *slackgo.ActionBlock:
			problems = append(problems, checkActions(what, b)...)
		case *slackgo.InputBlock:
			text(what+" label", b.Label, limitLabel, true)
			if b.Hint != nil {
				text(what+" hint", b.Hint, limitLabel, true)
			}
			problems = append(problems, checkInput(what, b)...)
		default:
			bad("%s: a block type the adapter should not send", what)
		}
	}
	return problems, mrkdwn
}

func checkActions(what string, b *slackgo.ActionBlock) []string {
	var problems []string
	if b.Elements == nil || len(b.Elements.ElementSet) == 0 || len(b.Elements.ElementSet) > limitActions {
		return []string{what + ": no elements or more than 25"}
	}
	actionIDs := map[string]bool{}
	for _, e := range b.Elements.ElementSet {
		btn, ok := e.(*slackgo.ButtonBlockElement)
		switch {
		case !ok:
			problems = append(problems, what+": an element that is not a button")
		case btn.Text == nil || btn.Text.Type != slackgo.PlainTextType || btn.Text.Text == "" || chars(btn.Text.Text) > limitButtonText:
			problems = append(problems, fmt.Sprintf("%s: button label %+v", what, btn.Text))
		case len(btn.Value) > limitButtonValue || btn.ActionID == "" || len(btn.ActionID) > limitID || actionIDs[btn.ActionID]:
			problems = append(problems, fmt.Sprintf("%s: button %q value or action_id out of bounds or repeated", what, btn.ActionID))
		default:
			actionIDs[btn.ActionID] = true
		}
	}
	return problems
}

func checkInput(what string, b *slackgo.InputBlock) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	checkOptions := func(opts []*slackgo.OptionBlockObject, limit int) {
		if len(opts) == 0 || len(opts) > limit {
			bad("%s: %d options (Slack allows 1 to %d)", what, len(opts), limit)
		}
		for _, o := range opts {
			if o.Text == nil || chars(o.Text.Text) > limitOptionText || o.Text.Text == "" || len(o.Value) > limitOptionValue {
				bad("%s: option %q out of bounds", what, o.Value)
			}
		}
	}
	switch e := b.Element.(type) {
	case *slackgo.PlainTextInputBlockElement:
		if e.MaxLength > limitInput || (e.MaxLength > 0 && chars(e.InitialValue) > e.MaxLength) {
			bad("%s: max_length %d, initial value of %d", what, e.MaxLength, chars(e.InitialValue))
		}
	case *slackgo.SelectBlockElement:
		checkOptions(e.Options, limitOptions)
	case *slackgo.MultiSelectBlockElement:
		checkOptions(e.Options, limitOptions)
	case *slackgo.CheckboxGroupsBlockElement:
		checkOptions(e.Options, limitCheckboxes)
	default:
		bad("%s: an input element the adapter should not send", what)
	}
	return problems
}

// checkView checks a modal; it returns the problems, recorded as
// violations, for which Slack would refuse it.
func (f *fakeSlack) checkView(v slackgo.ModalViewRequest) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	for name, t := range map[string]*slackgo.TextBlockObject{"title": v.Title, "submit": v.Submit, "close": v.Close} {
		if t == nil && name != "title" {
			continue
		}
		if t == nil || t.Type != slackgo.PlainTextType || t.Text == "" || chars(t.Text) > limitModalTitle {
			bad("modal %s %+v (plain text, 1 to %d characters)", name, t, limitModalTitle)
		}
	}
	if v.Submit == nil {
		bad("a modal with inputs needs a submit label")
	}
	if n := len(v.Blocks.BlockSet); n == 0 || n > limitModalBlocks {
		bad("modal with %d blocks", n)
	}
	if len(v.PrivateMetadata) > limitMetadata || len(v.CallbackID) > limitID {
		bad("modal private_metadata or callback_id too long")
	}
	p, _ := checkBlocks(v.Blocks.BlockSet)
	problems = append(problems, p...)
	for _, p := range problems {
		f.violate("views.open: %s", p)
	}
	return problems
}

// liveSyntax returns the mentions and links Slack would act on in mrkdwn
// text, and any & that is not one of the three escapes.
func liveSyntax(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<':
			rest := s[i+1:]
			for _, p := range []string{"!", "@", "#", "http", "mailto:"} {
				if strings.HasPrefix(rest, p) {
					end := strings.IndexByte(rest, '>')
					if end < 0 {
						end = min(len(rest), 20)
					}
					out = append(out, "<"+rest[:end]+">")
					break
				}
			}
		case '&':
			rest := s[i:]
			if !strings.HasPrefix(rest, "&amp;") && !strings.HasPrefix(rest, "&lt;") && !strings.HasPrefix(rest, "&gt;") {
				out = append(out, "unescaped &")
			}
		}
	}
	return out
}

func clipForLog(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}

// shownText decodes the escapes of mrkdwn: the text a person reads.
var shownText = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")

// flatten returns all the text of blocks as a person reads it (header,
// sections, fields, context), or the notification text when there are no
// blocks.
func flatten(blocks []slackgo.Block, fallback string) string {
	var lines []string
	for _, b := range blocks {
		switch b := b.(type) {
		case *slackgo.HeaderBlock:
			lines = append(lines, b.Text.Text)
		case *slackgo.SectionBlock:
			if b.Text != nil {
				lines = append(lines, shownText.Replace(b.Text.Text))
			}
			for _, fl := range b.Fields {
				lines = append(lines, shownText.Replace(fl.Text))
			}
		case *slackgo.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				if t, ok := e.(*slackgo.TextBlockObject); ok {
					lines = append(lines, shownText.Replace(t.Text))
				}
			}
		}
	}
	if len(lines) == 0 {
		return shownText.Replace(fallback)
	}
	return strings.Join(lines, "\n")
}
