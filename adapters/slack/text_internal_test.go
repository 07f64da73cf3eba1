package slack

import (
	"strings"
	"testing"
)

// TestSplit: text is cut as every adapter cuts it (kit.Text.Split), with
// Slack's characters (UTF-16 code units) and escapes (&amp;, &lt;, &gt;).
func TestSplit(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"OnWords", "alpha beta gamma delta", 12, []string{"alpha beta", "gamma delta"}},
		{"NotInsideAnEscape", "abc&amp;def", 6, []string{"abc", "&amp;d", "ef"}},
		{"EscapeEndsAtTheCut", "ab&lt;def", 6, []string{"ab&lt;", "def"}},
		{"Astral", "😀😀😀", 4, []string{"😀😀", "😀"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := mrkdwn.Split(c.in, c.max)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("Split(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
			for _, chunk := range got {
				if textLen(chunk) > c.max {
					t.Errorf("chunk %q is %d long", chunk, textLen(chunk))
				}
			}
		})
	}
}

func TestClip(t *testing.T) {
	for in, want := range map[string]string{
		"short":              "short",
		"a much longer text": "a much lo…",
		"R&amp;D budgets":    "R&amp;D b…",
		"abcdefg&lt;":        "abcdefg…",
	} {
		if got := clip(in, 10); got != want {
			t.Errorf("clip(%q, 10) = %q, want %q", in, got, want)
		}
	}
}

func TestFromMrkdwn(t *testing.T) {
	for in, want := range map[string]string{
		"a &lt;b&gt; &amp; c":                           "a <b> & c",
		"see <https://x.example/a?b=1&amp;c=2>":         "see https://x.example/a?b=1&c=2",
		"see <https://x.example|the report>":            "see the report (https://x.example)",
		"ping <@U024BE7LH> in <#C0FORUM|forum> <!here>": "ping @U024BE7LH in #forum @here",
		"<!subteam^S012|@team> please":                  "@subteam please",
	} {
		if got := fromMrkdwn(in); got != want {
			t.Errorf("fromMrkdwn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestActionOf(t *testing.T) {
	for in, want := range map[string]string{"open_form": "open_form", "open_form#2": "open_form"} {
		if got := actionOf(in); got != want {
			t.Errorf("actionOf(%q) = %q", in, got)
		}
	}
}
