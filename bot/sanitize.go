package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// zwsp is a zero-width space: inserted after the opening character of a
// mention or a link, it leaves the text readable and inert.
const zwsp = "\u200b"

// inert maps sequences that ping people or make links on Slack or Discord to
// the same text with a zero-width space inside, so they no longer parse.
var inert = strings.NewReplacer(
	"@everyone", "@"+zwsp+"everyone",
	"@here", "@"+zwsp+"here",
	"@channel", "@"+zwsp+"channel",
	"<!", "<"+zwsp+"!",
	"<@", "<"+zwsp+"@",
	"<#", "<"+zwsp+"#",
	"</", "<"+zwsp+"/",
	"<http", "<"+zwsp+"http",
	"<mailto", "<"+zwsp+"mailto",
	"](", "]"+zwsp+"(",
)

// Sanitize makes text a person typed safe to echo in a digest, status or
// report: control characters go, mass mentions, user, role and channel
// mentions and masked links are made inert, and text longer than max runes
// is cut at a word boundary and ends with more (e.g. "…(more in the
// report)"), so a cut is always visible. max <= 0 means no limit.
//
// Adapters still escape for their platform on top of this.
func Sanitize(text string, max int, more string) string {
	if !printable(text) {
		text = strings.Map(func(r rune) rune {
			if dropped(r) {
				return -1
			}
			return r
		}, strings.ToValidUTF8(text, "\uFFFD"))
	}
	if strings.ContainsAny(text, "@<]") { // what inert's sequences start with
		text = inert.Replace(text)
	}
	text = strings.TrimSpace(breakFences(text))
	if max <= 0 || utf8.RuneCountInString(text) <= max {
		return text
	}
	keep := max - utf8.RuneCountInString(more)
	if keep < 1 {
		keep = 1
	}
	cut := string([]rune(text)[:keep])
	if i := strings.LastIndexAny(cut, " \n\t"); i > len(cut)/2 {
		cut = cut[:i]
	}
	// A cut must not leave half of a neutralised sequence behind.
	cut = strings.TrimSuffix(strings.TrimRight(cut, " \n\t"), zwsp)
	return cut + more
}

// dropped reports whether Sanitize removes r: control characters other
// than newline and tab, and bidi controls (overrides, embeddings,
// isolates, marks), which can make one link or name look like another.
func dropped(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
}

// printable reports whether text is valid UTF-8 with no rune Sanitize
// drops, so that it need not be copied. Most text is, and a digest
// sanitizes thousands of notes: plain ASCII is checked a byte at a time.
func printable(text string) bool {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r == utf8.RuneError && size == 1) || dropped(r) {
			return false
		}
		i += size
	}
	return true
}

// breakFences puts a zero-width space between the backticks of every run
// of three or more, so that no run, however long, opens a code block.
func breakFences(s string) string {
	if !strings.Contains(s, "```") {
		return s
	}
	var b strings.Builder
	for s != "" {
		start := strings.IndexByte(s, '`')
		if start < 0 {
			b.WriteString(s)
			break
		}
		end := start
		for end < len(s) && s[end] == '`' {
			end++
		}
		b.WriteString(s[:start])
		if run := end - start; run >= 3 {
			b.WriteString(strings.Repeat("`"+zwsp, run-1) + "`")
		} else {
			b.WriteString(s[start:end])
		}
		s = s[end:]
	}
	return b.String()
}

// maxEchoInput is how much of what a person typed a refusal quotes.
const maxEchoInput = 60

// echoInput is what a person typed as a refusal quotes it: on one line, at
// most maxEchoInput characters, with no control or bidirectional control
// character (which could hide or reorder the refusal's own words) and
// mentions and links inert.
func echoInput(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Bidi_Control, r) || unicode.IsControl(r) && !unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	return OneLine(s, maxEchoInput, "…")
}

// OneLine is Sanitize for text shown on a single line: line breaks become
// spaces.
func OneLine(text string, max int, more string) string {
	return Sanitize(strings.Join(strings.Fields(text), " "), max, more)
}
