package slack

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// softHyphen is invisible; put before a > that starts a line, it keeps
// Slack from reading the line as a quote.
const softHyphen = "\u00ad"

// lookalikes stand in for the characters Slack's mrkdwn formats with,
// which it offers no way to escape: each is a character of the same shape
// that Slack leaves alone, so *bold*, ~struck~ and `code` read as typed
// and never render as markup.
var lookalikes = map[rune]string{
	'*': "\u2217", // asterisk operator
	'~': "\u223c", // tilde operator
	'`': "\u02cb", // modifier letter grave accent
	'＊': "\ufe61", // small asterisk, for the full-width one Slack also reads
	'＿': "\u2e0f", // paragraphos, for the full-width low line
	'｀': "\u02cb",
}

// inLink percent-encodes, inside a link, the characters that would format
// the text around it, keeping the link whole and working.
var inLink = map[rune]string{'*': "%2A", '~': "%7E", '`': "%60"}

// esc makes text inert in Slack's mrkdwn, as strictly as the Discord
// adapter escapes Markdown: &, < and > become entities, so text can never
// become a mention (<!channel>, <@U…>, <#C…>) or a link (<https://…|…>);
// the formatting characters become look-alikes (an underscore only where
// it could start or end italics, so snake_case and "- _ ." stay as
// typed); a > or ＞ starting a line gets a soft hyphen before it, so it
// quotes nothing. http(s) links stay whole and clickable, with their
// formatting characters percent-encoded. Line breaks are kept.
func esc(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart, prev := true, rune(-1)
	for i := 0; i < len(s); {
		if n := linkAt(s, i); n > 0 {
			escLink(&b, s[i:i+n])
			prev, _ = utf8.DecodeLastRuneInString(s[i : i+n])
			i += n
			lineStart = false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		next := rune(-1)
		if i+size < len(s) {
			next, _ = utf8.DecodeRuneInString(s[i+size:])
		}
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>' && lineStart:
			b.WriteString(softHyphen + "&gt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '＞' && lineStart:
			b.WriteString(softHyphen + "＞")
		case r == '_' && couldFormat(prev, next):
			b.WriteString("\u02cd") // modifier letter low macron
		case lookalikes[r] != "":
			b.WriteString(lookalikes[r])
		default:
			b.WriteRune(r)
		}
		switch {
		case r == '\n':
			lineStart = true
		case r != ' ' && r != '\t':
			lineStart = false
		}
		prev = r
		i += size
	}
	return b.String()
}

// escLink writes an http(s) link escaped for mrkdwn and still whole.
func escLink(b *strings.Builder, link string) {
	prev := rune(-1)
	for i, r := range link {
		next := rune(-1)
		if rest := link[i+utf8.RuneLen(r):]; rest != "" {
			next, _ = utf8.DecodeRuneInString(rest)
		}
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case inLink[r] != "":
			b.WriteString(inLink[r])
		case r == '_' && couldFormat(prev, next):
			b.WriteString("%5F")
		default:
			b.WriteRune(r)
		}
		prev = r
	}
}

// couldFormat reports whether a formatting character between prev and
// next (-1 for the text's edges) could open or close formatting: Slack
// formats only at the edge of a word, so one inside a word, or standing
// alone between spaces, is text.
func couldFormat(prev, next rune) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	space := func(r rune) bool { return r == -1 || unicode.IsSpace(r) }
	return !(word(prev) && word(next)) && !(space(prev) && space(next))
}

// linkAt returns the length of the http(s) link starting at s[i], or 0. A
// link starts after a space, a line break or an opening parenthesis and
// runs to the next white space, < or >.
func linkAt(s string, i int) int {
	rest := s[i:]
	if !strings.HasPrefix(rest, "https://") && !strings.HasPrefix(rest, "http://") {
		return 0
	}
	if i > 0 {
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); !unicode.IsSpace(prev) && prev != '(' {
			return 0
		}
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '<' || r == '>' })
	if end < 0 {
		end = len(rest)
	}
	return end
}
