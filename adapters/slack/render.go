package slack

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// Slack's limits on a message's blocks, in characters (Block Kit reference).
const (
	maxBlocks      = 50   // blocks in one message
	maxText        = 3000 // a section's or a context element's text
	maxField       = 2000 // one field of a section
	maxFields      = 10   // fields in one section
	maxHeader      = 150  // a header block's plain text
	maxButtonText  = 75   // a button's label
	maxButtonValue = 2000 // a button's value
	maxButtons     = 25   // elements in one actions block
	maxFallback    = 3000 // the notification text we send with the blocks
	// maxMessageText is a conservative budget for all the text of one
	// message: Slack refuses very long block sets (msg_blocks_too_long) well
	// before 50 full sections.
	maxMessageText = 12000
)

// markdownText is a mrkdwn text object. Verbatim keeps Slack from turning
// channel names, mentions and URLs in the text into links on its own.
func markdownText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, true)
}

// plainText is a plain_text object: Slack shows it as is and parses no
// mentions or links in it.
func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

// part is one Slack message of a rendered bot.Message: a long message is
// split into a parent and thread replies.
type part struct {
	blocks []slack.Block
	// size is the text in the blocks, in Slack characters.
	size int
	// fallback is the plain notification text sent with the blocks.
	fallback string
}

// group is blocks that belong together (a section's title, fields, text and
// buttons) and are kept in one message when they fit.
type group struct {
	blocks []slack.Block
	sizes  []int
}

func (g *group) add(b slack.Block, size int) {
	g.blocks = append(g.blocks, b)
	g.sizes = append(g.sizes, size)
}

// render turns a platform-neutral message into Slack messages within
// Slack's limits: one part when it fits, otherwise several, split between
// sections and, for a section too long for one message, between its
// blocks. No text is dropped: a text too long for one block is split on
// line boundaries into several.
func render(msg bot.Message) ([]part, error) {
	var groups []group
	var head group
	if h := strings.TrimSpace(msg.Header); h != "" {
		if textLen(h) <= maxHeader && !strings.Contains(h, "\n") {
			head.add(slack.NewHeaderBlock(plainText(h)), textLen(h))
		} else {
			textBlocks(&head, bold(esc(h)))
		}
	}
	textBlocks(&head, esc(msg.Text))
	groups = append(groups, head)
	for i, s := range msg.Sections {
		g, err := sectionGroup(i, s)
		if err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	if len(msg.Buttons) > 0 {
		var g group
		if err := actionBlocks(&g, "m", msg.Buttons); err != nil {
			return nil, err
		}
		groups = append(groups, g)
	}
	if f := strings.TrimSpace(msg.Footer); f != "" {
		var g group
		for _, chunk := range mrkdwn.Split(esc(f), maxText) {
			g.add(slack.NewContextBlock("", markdownText(chunk)), textLen(chunk))
		}
		groups = append(groups, g)
	}
	parts := pack(groups)
	if len(parts) == 0 {
		return nil, bot.Errorf(bot.EINVALID, "the message is empty")
	}
	label := fallbackLabel(msg)
	for i := range parts {
		parts[i].fallback = clip(label, maxFallback)
		if len(parts) > 1 {
			marker := fmt.Sprintf("(%d/%d)", i+1, len(parts))
			parts[i].blocks = append(parts[i].blocks, slack.NewContextBlock("", markdownText(marker)))
			parts[i].fallback = clip(label, maxFallback-len(marker)-1) + " " + marker
		}
	}
	return parts, nil
}

// fallbackLabel is the notification text: the header and the first
// paragraph, escaped like everything else.
func fallbackLabel(msg bot.Message) string {
	var lines []string
	for _, s := range []string{msg.Header, msg.Text} {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	if len(lines) == 0 && len(msg.Sections) > 0 {
		lines = append(lines, msg.Sections[0].Title)
	}
	return esc(strings.Join(lines, "\n"))
}

// bold makes a mrkdwn text bold when that keeps it within one block.
func bold(s string) string {
	if s == "" || textLen(s)+2 > maxText || strings.Contains(s, "\n") {
		return s
	}
	return "*" + s + "*"
}

// textBlocks adds s (escaped mrkdwn) as one or more section blocks.
func textBlocks(g *group, s string) {
	for _, chunk := range mrkdwn.Split(s, maxText) {
		g.add(slack.NewSectionBlock(markdownText(chunk), nil, nil), textLen(chunk))
	}
}

// sectionGroup renders one section: its title with its fields side by side,
// a field too long to sit beside others as text of its own, its text, and
// its buttons.
func sectionGroup(i int, s bot.Section) (group, error) {
	var g group
	title := bold(esc(strings.TrimSpace(s.Title)))
	var fields []*slack.TextBlockObject
	var long []string
	for _, f := range s.Fields {
		text := "*" + esc(f.Label) + "*\n" + esc(f.Value)
		if strings.TrimSpace(f.Label) == "" {
			text = esc(f.Value)
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		if textLen(text) <= maxField {
			fields = append(fields, markdownText(text))
		} else {
			long = append(long, text)
		}
	}
	if textLen(title) > maxText {
		textBlocks(&g, title)
		title = ""
	}
	for len(fields) > 0 || title != "" {
		n := min(len(fields), maxFields)
		var text *slack.TextBlockObject
		if title != "" {
			text = markdownText(title)
		}
		size := textLen(title)
		for _, f := range fields[:n] {
			size += textLen(f.Text)
		}
		g.add(slack.NewSectionBlock(text, fields[:n:n], nil), size)
		fields, title = fields[n:], ""
	}
	for _, text := range long {
		textBlocks(&g, text)
	}
	textBlocks(&g, esc(s.Text))
	if err := actionBlocks(&g, fmt.Sprintf("s%d", i), s.Buttons); err != nil {
		return group{}, err
	}
	return g, nil
}

// actionBlocks adds buttons as actions blocks of at most 25 buttons. A
// button's action_id is the bot's Action (with "#n" added when the same
// action appears twice in one block) and its value the bot's Value, so both
// come back unchanged in the block_actions payload.
func actionBlocks(g *group, id string, buttons []bot.Button) error {
	for start, n := 0, 0; start < len(buttons); start, n = start+maxButtons, n+1 {
		end := min(start+maxButtons, len(buttons))
		used := map[string]int{}
		var elems []slack.BlockElement
		size := 0
		for _, b := range buttons[start:end] {
			if len(b.Value) > maxButtonValue {
				return bot.Errorf(bot.EINVALID, "button %q: value longer than Slack's %d characters", b.Action, maxButtonValue)
			}
			actionID := b.Action
			if k := used[b.Action]; k > 0 {
				actionID = fmt.Sprintf("%s#%d", b.Action, k)
			}
			used[b.Action]++
			label := clip(strings.TrimSpace(b.Label), maxButtonText)
			btn := slack.NewButtonBlockElement(actionID, b.Value, plainText(label))
			if b.Style == bot.StylePrimary {
				btn = btn.WithStyle(slack.StylePrimary)
			}
			elems = append(elems, btn)
			size += textLen(label)
		}
		g.add(slack.NewActionBlock(fmt.Sprintf("%s.a%d", id, n), elems...), size)
	}
	return nil
}

// actionOf recovers the bot's Action from a button's action_id.
func actionOf(actionID string) string {
	action, _, _ := strings.Cut(actionID, "#")
	return action
}

// pack fills messages with groups, keeping a group in one message when it
// fits in one, and leaves room for the part marker.
func pack(groups []group) []part {
	const blockBudget = maxBlocks - 1
	var parts []part
	var cur part
	fits := func(p part, blocks, size int) bool {
		return len(p.blocks)+blocks <= blockBudget && p.size+size <= maxMessageText
	}
	flush := func() {
		if len(cur.blocks) > 0 {
			parts = append(parts, cur)
			cur = part{}
		}
	}
	for _, g := range groups {
		if len(g.blocks) == 0 {
			continue
		}
		size := 0
		for _, s := range g.sizes {
			size += s
		}
		if !fits(cur, len(g.blocks), size) && fits(part{}, len(g.blocks), size) {
			flush()
		}
		for i, b := range g.blocks {
			if !fits(cur, 1, g.sizes[i]) {
				flush()
			}
			cur.blocks = append(cur.blocks, b)
			cur.size += g.sizes[i]
		}
	}
	flush()
	return parts
}
