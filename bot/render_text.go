package bot

import (
	"strings"
)

// RenderText renders a message as plain text for a terminal or a log: the
// header underlined, fields as "label: value", buttons in brackets.
func RenderText(m Message) string {
	var b strings.Builder
	if m.Header != "" {
		b.WriteString(m.Header + "\n" + strings.Repeat("=", min(len([]rune(m.Header)), 78)) + "\n")
	}
	if m.Text != "" {
		b.WriteString(m.Text + "\n")
	}
	for _, s := range m.Sections {
		b.WriteString("\n")
		if s.Title != "" {
			b.WriteString(s.Title + "\n")
		}
		for _, f := range s.Fields {
			b.WriteString("  " + f.Label + ": " + strings.ReplaceAll(f.Value, "\n", "\n    ") + "\n")
		}
		if s.Text != "" {
			b.WriteString("  " + strings.ReplaceAll(s.Text, "\n", "\n  ") + "\n")
		}
		writeButtons(&b, "  ", s.Buttons)
	}
	writeButtons(&b, "", m.Buttons)
	if m.Footer != "" {
		b.WriteString("\n" + m.Footer + "\n")
	}
	return b.String()
}

func writeButtons(b *strings.Builder, indent string, buttons []Button) {
	if len(buttons) == 0 {
		return
	}
	labels := make([]string, len(buttons))
	for i, btn := range buttons {
		labels[i] = "[" + btn.Label + "]"
	}
	b.WriteString(indent + strings.Join(labels, " ") + "\n")
}

// RenderMarkdown renders a message as Markdown (for a file or a wiki page),
// with all message text escaped.
func RenderMarkdown(m Message) string {
	var b strings.Builder
	esc := markdownEscape
	if m.Header != "" {
		b.WriteString("# " + esc(m.Header) + "\n\n")
	}
	if m.Text != "" {
		b.WriteString(mdLines(esc(m.Text)) + "\n\n")
	}
	for _, s := range m.Sections {
		if s.Title != "" {
			b.WriteString("## " + esc(s.Title) + "\n\n")
		}
		for _, f := range s.Fields {
			b.WriteString("- **" + esc(f.Label) + ":** " + esc(strings.ReplaceAll(f.Value, "\n", "; ")) + "\n")
		}
		if len(s.Fields) > 0 {
			b.WriteString("\n")
		}
		if s.Text != "" {
			b.WriteString(mdLines(esc(s.Text)) + "\n\n")
		}
	}
	if m.Footer != "" {
		b.WriteString("_" + esc(m.Footer) + "_\n")
	}
	return b.String()
}
