package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// Discord's message limits, in characters.
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000
	maxRows        = 5
	maxRowButtons  = 5
	maxButtonLabel = 80
	maxCustomID    = 100
	// markerRoom is kept free in every message for the delivery marker.
	markerRoom = 48
	// inlineUpTo is the longest one-line field value shown side by side.
	inlineUpTo = 40
)

// empty stands in for an empty field name or value, which Discord refuses.
const empty = "\u200b"

// part is one Discord message of a rendered bot.Message.
type part struct {
	embeds  []*discordgo.MessageEmbed
	buttons []discordgo.Button
}

// block is what must stay together: one section's embeds and buttons.
type block struct {
	embeds  []*discordgo.MessageEmbed
	buttons []discordgo.Button
}

// render turns msg into as many messages as Discord's limits require:
// a header embed, an embed per section (continued in further embeds when
// long), buttons under the message that holds their section, the footer
// on the last embed. Nothing is cut: a text too long for its place is
// split or moved where it fits.
func render(msg bot.Message) ([]part, error) {
	var blocks []block
	if msg.Header != "" || msg.Text != "" {
		blocks = append(blocks, block{embeds: embeds(msg.Header, msg.Text, nil)})
	}
	many := 0
	for _, s := range msg.Sections {
		if len(s.Buttons) > 0 {
			many++
		}
	}
	for _, s := range msg.Sections {
		b := block{embeds: embeds(s.Title, s.Text, s.Fields)}
		for _, btn := range s.Buttons {
			db, err := button(btn, s.Title, many > 1)
			if err != nil {
				return nil, err
			}
			b.buttons = append(b.buttons, db)
		}
		blocks = append(blocks, b)
	}
	var tail block
	for _, btn := range msg.Buttons {
		db, err := button(btn, "", false)
		if err != nil {
			return nil, err
		}
		tail.buttons = append(tail.buttons, db)
	}
	if len(tail.buttons) > 0 {
		blocks = append(blocks, tail)
	}
	for _, b := range blocks {
		if len(b.buttons) > maxRows*maxRowButtons {
			return nil, bot.Errorf(bot.EINVALID, "a section has %d buttons; Discord shows at most %d", len(b.buttons), maxRows*maxRowButtons)
		}
	}
	parts := pack(blocks)
	if footer := plain(msg.Footer); footer != "" {
		parts = addFooter(parts, footer)
	}
	if len(parts) == 0 {
		return nil, bot.Errorf(bot.EINVALID, "the message is empty")
	}
	return parts, nil
}

// pack fills messages with blocks in order, starting a new message when
// the next block would break a limit.
func pack(blocks []block) []part {
	var parts []part
	cur, size := part{}, 0
	flush := func() {
		if len(cur.embeds) > 0 || len(cur.buttons) > 0 {
			parts = append(parts, cur)
		}
		cur, size = part{}, 0
	}
	for _, b := range blocks {
		bsize := 0
		for _, e := range b.embeds {
			bsize += embedSize(e)
		}
		if len(cur.embeds)+len(b.embeds) > maxEmbeds || size+bsize > maxEmbedTotal-markerRoom || len(cur.buttons)+len(b.buttons) > maxRows*maxRowButtons {
			flush()
		}
		// A block too big for one message continues in the next ones; its
		// buttons go with its last embed.
		for _, e := range b.embeds {
			if len(cur.embeds)+1 > maxEmbeds || size+embedSize(e) > maxEmbedTotal-markerRoom {
				flush()
			}
			cur.embeds = append(cur.embeds, e)
			size += embedSize(e)
		}
		cur.buttons = append(cur.buttons, b.buttons...)
	}
	flush()
	return parts
}

// addFooter puts footer on the last embed if it fits, else in an embed of
// its own.
func addFooter(parts []part, footer string) []part {
	chunks := []string{footer}
	if runes(footer) > maxFooter-markerRoom {
		chunks = escaped.Split(footer, maxFooter-markerRoom)
	}
	for _, text := range chunks {
		n := len(parts)
		if n > 0 && len(parts[n-1].embeds) > 0 {
			last := parts[n-1].embeds[len(parts[n-1].embeds)-1]
			if last.Footer == nil && partSize(parts[n-1])+runes(text) <= maxEmbedTotal-markerRoom {
				last.Footer = &discordgo.MessageEmbedFooter{Text: text}
				continue
			}
		}
		e := &discordgo.MessageEmbed{Footer: &discordgo.MessageEmbedFooter{Text: text}}
		if n == 0 || len(parts[n-1].embeds) >= maxEmbeds || partSize(parts[n-1])+runes(text) > maxEmbedTotal-markerRoom {
			parts = append(parts, part{embeds: []*discordgo.MessageEmbed{e}})
			continue
		}
		parts[n-1].embeds = append(parts[n-1].embeds, e)
	}
	return parts
}

// embeds renders a title, a text and fields as one embed, or several when
// they exceed one embed's limits.
func embeds(title, text string, fields []bot.Field) []*discordgo.MessageEmbed {
	first := &discordgo.MessageEmbed{}
	desc := markdown(text)
	if t := markdown(title); runes(t) > maxTitle {
		// Too long for a title: show it whole, in bold, above the text.
		first.Title = markdown(cut(plainTitle(title), maxTitle/2))
		desc = strings.TrimSpace("**" + t + "**\n" + desc)
	} else {
		first.Title = t
	}
	var long []string
	var short []*discordgo.MessageEmbedField
	for _, f := range fields {
		name, value := markdown(f.Label), markdown(f.Value)
		if runes(name) > maxFieldName || runes(value) > maxFieldValue {
			long = append(long, "**"+name+"**\n"+value)
			continue
		}
		short = append(short, &discordgo.MessageEmbedField{
			Name: nonEmpty(name), Value: nonEmpty(value),
			Inline: !strings.Contains(value, "\n") && runes(value) <= inlineUpTo,
		})
	}
	if len(long) > 0 {
		desc = strings.TrimSpace(desc + "\n\n" + strings.Join(long, "\n\n"))
	}
	out := []*discordgo.MessageEmbed{first}
	cur := first
	for i, chunk := range escaped.Split(desc, maxDescription) {
		if i > 0 {
			cur = &discordgo.MessageEmbed{}
			out = append(out, cur)
		}
		cur.Description = chunk
	}
	if first.Title == "" && first.Description == "" && len(short) == 0 {
		// Nothing to show (a section of buttons only): no empty embed.
		return nil
	}
	for _, f := range short {
		if len(cur.Fields) >= maxFields || embedSize(cur)+runes(f.Name)+runes(f.Value) > maxEmbedTotal-markerRoom {
			cur = &discordgo.MessageEmbed{}
			out = append(out, cur)
		}
		cur.Fields = append(cur.Fields, f)
	}
	return out
}

// plainTitle is a title as typed, for the cut version shown as the title.
func plainTitle(s string) string { return strings.Join(strings.Fields(plain(s)), " ") }

func nonEmpty(s string) string {
	if strings.TrimSpace(s) == "" {
		return empty
	}
	return s
}

// button renders a bot button. When a message has several sections with
// buttons, each label names its section, since Discord shows all buttons
// under the message.
func button(b bot.Button, section string, name bool) (discordgo.Button, error) {
	id := idButton + b.Action + ":" + b.Value
	if len(id) > maxCustomID {
		return discordgo.Button{}, bot.Errorf(bot.EINVALID, "button %q carries %d characters; Discord allows %d", b.Label, len(id), maxCustomID-2)
	}
	label := plain(b.Label)
	if name && section != "" {
		key, _, _ := strings.Cut(plainTitle(section), " · ")
		label = label + " · " + key
	}
	style := discordgo.SecondaryButton
	if b.Style == bot.StylePrimary {
		style = discordgo.PrimaryButton
	}
	return discordgo.Button{Label: cut(label, maxButtonLabel), Style: style, CustomID: id}, nil
}

// rows lays buttons out five to a row.
func rows(buttons []discordgo.Button) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for len(buttons) > 0 {
		n := min(len(buttons), maxRowButtons)
		row := discordgo.ActionsRow{}
		for _, b := range buttons[:n] {
			row.Components = append(row.Components, b)
		}
		out = append(out, row)
		buttons = buttons[n:]
	}
	return out
}

// embedSize counts an embed's characters as Discord's 6,000 limit does.
func embedSize(e *discordgo.MessageEmbed) int {
	n := runes(e.Title) + runes(e.Description)
	for _, f := range e.Fields {
		n += runes(f.Name) + runes(f.Value)
	}
	if e.Footer != nil {
		n += runes(e.Footer.Text)
	}
	if e.Author != nil {
		n += runes(e.Author.Name)
	}
	return n
}

func partSize(p part) int {
	n := 0
	for _, e := range p.embeds {
		n += embedSize(e)
	}
	return n
}
