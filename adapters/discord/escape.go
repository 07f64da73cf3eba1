package discord

import (
	"strings"
	"unicode/utf8"

	"forumbot/adapters/internal/kit"
	"forumbot/bot"
)

// plain makes text inert where Discord shows it as typed (footers, button
// and menu labels, modal labels): mentions, mass mentions and masked links
// get a zero-width space, control characters go. Nothing is cut.
func plain(s string) string { return bot.Sanitize(s, 0, "") }

// markdown makes text inert where Discord renders markdown (content, embed
// titles, descriptions and fields): plain, then every markdown character
// escaped with a backslash, which Discord hides. Links are left whole so
// that evidence links stay clickable; a masked link cannot form because
// its brackets are escaped.
func markdown(s string) string {
	s = plain(s)
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); {
		if link := linkAt(s, i); link > 0 {
			b.WriteString(s[i : i+link])
			i += link
			lineStart = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if lineStart && r >= '0' && r <= '9' && orderedListAt(s[i:]) {
			// "1. item" would become a list item: escape its dot.
			j := strings.IndexByte(s[i:], '.')
			b.WriteString(s[i:i+j] + `\.`)
			i += j + 1
			lineStart = false
			continue
		}
		if strings.ContainsRune("\\*_~`|[]<>#", r) || (lineStart && (r == '-' || r == '+')) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		i += size
		switch {
		case r == '\n':
			lineStart = true
		case r != ' ' && r != '\t':
			lineStart = false
		}
	}
	return b.String()
}

// linkAt returns the length of an http(s) link starting at s[i], or 0.
// Discord ends a link at white space or '<'.
func linkAt(s string, i int) int {
	rest := s[i:]
	if !strings.HasPrefix(rest, "https://") && !strings.HasPrefix(rest, "http://") {
		return 0
	}
	if i > 0 {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); prev != ' ' && prev != '\n' && prev != '\t' && prev != '(' {
			return 0
		}
	}
	end := strings.IndexAny(rest, " \n\t<")
	if end < 0 {
		end = len(rest)
	}
	return end
}

// orderedListAt reports whether s starts like "12. ".
func orderedListAt(s string) bool {
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	return j > 0 && j+1 < len(s) && s[j] == '.' && s[j+1] == ' '
}

// runes counts characters as Discord's limits do.
func runes(s string) int { return utf8.RuneCountInString(s) }

// cut shortens plain text to max characters, ending with "…" when it cut.
// Only for labels and titles whose full text is shown elsewhere.
func cut(s string, max int) string {
	if runes(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:max-1]), " ") + "…"
}

// escaped is how Discord counts characters (runes) and what its escapes
// are (a backslash and the character after it), for splitting text too
// long for its place (kit.Text.Split).
var escaped = kit.Text{Prefix: prefix, Whole: outsideEscape}

// prefix returns the byte length of the first max characters of s, or of
// s when it is shorter.
func prefix(s string, max int) int {
	i := 0
	for range max {
		if i >= len(s) {
			return len(s)
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// outsideEscape returns at, or at-1 when s[:at] ends with a backslash that
// escapes the character after it.
func outsideEscape(s string, at int) int {
	n := 0
	for n < at && s[at-1-n] == '\\' {
		n++
	}
	if n%2 == 1 {
		return at - 1
	}
	return at
}
