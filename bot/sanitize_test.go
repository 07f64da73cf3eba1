package bot_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"forumbot/bot"
)

// live lists sequences that would ping people or make a link on Slack or
// Discord if they reached the platform intact.
var live = []string{"@everyone", "@here", "@channel", "<!", "<@", "<#", "<http", "](", "```", "\u202e"}

func TestSanitize(t *testing.T) {
	const more = "…(more in the report)"
	tests := []struct {
		name, in, want string
		max            int
	}{
		{"Plain", "Budget approved.", "Budget approved.", 0},
		{"Trim", "  spaced \n", "spaced", 0},
		{"Everyone", "ping @everyone now", "ping @\u200beveryone now", 0},
		{"SlackSpecial", "<!channel> <!here|here>", "<\u200b!channel> <\u200b!here|here>", 0},
		{"UserAndRole", "<@U024BE7LH> <@&123> <#C0FORUM>", "<\u200b@U024BE7LH> <\u200b@&123> <\u200b#C0FORUM>", 0},
		{"SlackLink", "<https://evil.example|your bank>", "<\u200bhttps://evil.example|your bank>", 0},
		{"MaskedLink", "[click](https://evil.example)", "[click]\u200b(https://evil.example)", 0},
		{"CodeFence", "```x```", "`\u200b`\u200b`x`\u200b`\u200b`", 0},
		{"FiveBackticks", "`````", "`\u200b`\u200b`\u200b`\u200b`", 0},
		{"FourBackticks", "a````b", "a`\u200b`\u200b`\u200b`b", 0},
		{"InlineCode", "`x` and ``y``", "`x` and ``y``", 0},
		{"Controls", "a\x00b\x1bc\rd\u202eevil", "abcdevil", 0},
		{"BidiEmbeddingsAndMarks", "\u202ahttps://bank.example\u202c \u202bx\u202c \u200fy\u200e \u061cz", "https://bank.example x y z", 0},
		{"Cut", "one two three four five six seven eight nine ten", "one two three…(more in the report)", 35},
		{"CutInsideWord", strings.Repeat("x", 50), strings.Repeat("x", 19) + more, 40},
		{"InvalidUTF8", "ok \xff fine", "ok \uFFFD fine", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := bot.Sanitize(tt.in, tt.max, more); got != tt.want {
				t.Errorf("Sanitize(%q, %d):\n got %q\nwant %q", tt.in, tt.max, got, tt.want)
			}
		})
	}
	if got := bot.OneLine("a\nb\t c", 0, ""); got != "a b c" {
		t.Errorf("OneLine: %q", got)
	}
}

// FuzzSanitize: whatever a person types, the result is valid UTF-8, holds no
// live mention or link syntax, respects the bound with a visible cut, and
// keeps short clean text unchanged.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"<!channel>", "@everyone", "[a](http://x)", "<@U1>", "plain text", "<<!!here", "@@everyone", "<\u200b!x",
		// Found by fuzzing: a run of backticks longer than three.
		"`````", "````", "``````x```"} {
		f.Add(s, 40)
	}
	const more = "…(more)"
	f.Fuzz(func(t *testing.T, in string, max int) {
		max = max % 500
		got := bot.Sanitize(in, max, more)
		if !utf8.ValidString(got) {
			t.Fatalf("Sanitize(%q) = %q: invalid UTF-8", in, got)
		}
		for _, l := range live {
			if strings.Contains(got, l) {
				t.Fatalf("Sanitize(%q) = %q still contains %q", in, got, l)
			}
		}
		if max > 0 && utf8.RuneCountInString(got) > max+utf8.RuneCountInString(more) {
			t.Fatalf("Sanitize(%q, %d) = %d runes", in, max, utf8.RuneCountInString(got))
		}
		if max > 0 && !strings.HasSuffix(got, more) && utf8.RuneCountInString(got) > max {
			t.Fatalf("Sanitize(%q, %d) = %q: over the bound without the visible marker", in, max, got)
		}
		plain := utf8.ValidString(in) && strings.IndexFunc(in, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' }) < 0
		if max > 0 && plain && utf8.RuneCountInString(strings.TrimSpace(in)) > max && !strings.HasSuffix(got, more) {
			t.Fatalf("Sanitize(%q, %d) = %q: cut without the visible marker", in, max, got)
		}
	})
}
