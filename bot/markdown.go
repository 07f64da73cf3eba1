package bot

import (
	"regexp"
	"strings"
)

// markdownEscape makes text inert in a Markdown document (CommonMark with
// GitHub's tables and strikethrough): every character that marks up text
// inline is escaped with a backslash, < and > become entities, and each
// line loses its indentation and has what would start a block at its
// beginning escaped (a list item, a numbered item, a rule or a heading
// underline), so that text a person typed can neither format itself nor
// end the list or table it sits in. Line breaks are kept.
func markdownEscape(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = markdownLine(line)
	}
	return strings.Join(lines, "\n")
}

// markdownInline are the characters that mark up text inside a line.
const markdownInline = "\\`*_~[]#|"

// orderedMarker matches what starts a numbered list item: "12. " or "3)"
// at the end of a line; its first group is the number.
var orderedMarker = regexp.MustCompile(`^([0-9]{1,9})[.)](?:[ \t]|$)`)

// entityAt matches a character reference such as &amp; or &#8238;.
var entityAt = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

func markdownLine(line string) string {
	line = strings.TrimLeft(line, " \t")
	var b strings.Builder
	b.Grow(len(line) + len(line)/8)
	if m := orderedMarker.FindStringSubmatch(line); m != nil {
		n := len(m[1])
		b.WriteString(line[:n] + `\` + line[n:n+1])
		line = line[n+1:]
	} else if line != "" && strings.ContainsRune("-+=", rune(line[0])) {
		b.WriteByte('\\')
	}
	for i, r := range line {
		switch {
		case strings.ContainsRune(markdownInline, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&' && entityAt.MatchString(line[i:]):
			b.WriteString(`\&`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdLines keeps the line breaks of escaped text as hard breaks.
func mdLines(s string) string { return strings.ReplaceAll(s, "\n", "  \n") }

// mdItem is a list item holding text: escaped, its lines kept inside the
// item as hard breaks, blank lines dropped.
func mdItem(text string) string {
	var lines []string
	for _, line := range strings.Split(markdownEscape(text), "\n") {
		if strings.TrimSpace(line) != "" {
			lines = append(lines, line)
		}
	}
	return "- " + strings.Join(lines, "  \n  ") + "\n"
}
