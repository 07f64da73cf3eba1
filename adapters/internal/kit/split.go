package kit

import (
	"strings"
	"unicode/utf8"
)

// Text is how a platform measures and escapes the text it shows, for
// Split.
type Text struct {
	// Prefix returns the byte length of the longest prefix of s that is at
	// most n characters long, counting characters as the platform's limits
	// do.
	Prefix func(s string, n int) int
	// Whole returns where to cut s at or before at so that no escape is cut
	// in two (Slack's &amp;, Discord's \*); at when none is.
	Whole func(s string, at int) int
}

// Split cuts s, text already escaped for the platform, into chunks of at
// most max characters, each cut at the best place within reach: at a line
// break (the one just beyond the chunk, else the last in its second half);
// else at a space, likewise; else anywhere but inside an escape. The white
// space at a cut is dropped, and so are blank chunks; no other text is.
func (t Text) Split(s string, max int) []string {
	var out []string
	for {
		end := t.Prefix(s, max)
		if end == 0 {
			// A character wider than max: it goes whole, alone.
			_, end = utf8.DecodeRuneInString(s)
		}
		if end >= len(s) {
			break
		}
		at := t.cut(s, end)
		if chunk := strings.TrimRight(s[:at], " \n"); strings.TrimSpace(chunk) != "" {
			out = append(out, chunk)
		}
		s = strings.TrimLeft(s[at:], "\n")
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, s)
	}
	return out
}

// cut returns where to cut s, whose first end bytes are as many characters
// as a chunk may hold.
func (t Text) cut(s string, end int) int {
	for _, boundary := range []byte{'\n', ' '} {
		if s[end] == boundary {
			return end + 1
		}
		if i := strings.LastIndexByte(s[:end], boundary); i > 0 && i >= end/2 {
			return i + 1
		}
	}
	if at := t.Whole(s, end); at > 0 {
		return at
	}
	return end
}
