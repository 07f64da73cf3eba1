package kit_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"forumbot/adapters/internal/kit"
)

// runes counts characters as runes and knows no escapes.
var runes = kit.Text{
	Prefix: func(s string, n int) int {
		for i := range s {
			if n == 0 {
				return i
			}
			n--
		}
		return len(s)
	},
	Whole: func(_ string, at int) int { return at },
}

// entities also keeps &amp; whole, as Slack's mrkdwn needs.
var entities = kit.Text{
	Prefix: runes.Prefix,
	Whole: func(s string, at int) int {
		if i := strings.LastIndexByte(s[:at], '&'); i >= 0 && strings.HasPrefix(s[i:], "&amp;") && i+len("&amp;") > at {
			return i
		}
		return at
	},
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		name string
		text kit.Text
		in   string
		max  int
		want []string
	}{
		{"Fits", runes, "a b c", 10, []string{"a b c"}},
		{"Empty", runes, "", 10, nil},
		{"PerfectFitAtASpace", runes, "aaaa bbbb cccc", 9, []string{"aaaa bbbb", "cccc"}},
		{"PerfectFitAtALineBreak", runes, "line one\nline two", 8, []string{"line one", "line two"}},
		{"OnLines", runes, "line one\nline two\nline three", 18, []string{"line one\nline two", "line three"}},
		{"OnWords", runes, "alpha beta gamma delta", 12, []string{"alpha beta", "gamma delta"}},
		{"LineBreakTooEarlyThenWord", runes, "a\nbcdefg hijk", 10, []string{"a\nbcdefg", "hijk"}},
		{"NoBoundary", runes, "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"NotInsideAnEscape", entities, "abc&amp;def", 6, []string{"abc", "&amp;d", "ef"}},
		{"BlankDropped", runes, "abc\n\n\n\ndef", 4, []string{"abc", "def"}},
		{"IndentKept", runes, "first line\n  second", 12, []string{"first line", "  second"}},
		{"WiderThanMax", runes, "abc", 0, []string{"a", "b", "c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.text.Split(tc.in, tc.max)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("Split(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			for _, chunk := range got {
				if n := utf8.RuneCountInString(chunk); n > max(tc.max, 1) {
					t.Errorf("chunk %q is %d long, over %d", chunk, n, tc.max)
				}
			}
		})
	}
}

// TestSplitKeepsTheText: whatever the cuts, the chunks hold the text but
// for the white space at the cuts.
func TestSplitKeepsTheText(t *testing.T) {
	in := strings.Repeat("Highlight of a commitment &amp; its milestones.\n", 40) + strings.Repeat("x", 95)
	squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for _, max := range []int{7, 30, 100, 999} {
		got := entities.Split(in, max)
		if squash(strings.Join(got, "")) != squash(in) {
			t.Errorf("max %d: the chunks lost text", max)
		}
		for _, c := range got {
			if strings.Count(c, "&") != strings.Count(c, "&amp;") {
				t.Errorf("max %d: chunk %q cuts an escape", max, c)
			}
		}
	}
}
