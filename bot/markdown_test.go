package bot_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"forumbot/bot"
)

// TestMarkdownEscape: text in a Markdown digest or report stays text,
// whatever Markdown it holds, and ordinary text reads as typed.
func TestMarkdownEscape(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Plain", "Budget approved in 3.5 weeks, 2026-11.", "Budget approved in 3.5 weeks, 2026-11."},
		{"Rule", "done\n---\nnext", "done  \n\\---  \nnext"},
		{"SetextHeading", "Title\n===", "Title  \n\\==="},
		{"Strike", "~x~ and ~~y~~", `\~x\~ and \~\~y\~\~`},
		{"Emphasis", "*b* _i_ **s**", `\*b\* \_i\_ \*\*s\*\*`},
		{"Code", "`c` ```", "\\`c\\` \\`\\`\\`"},
		{"Link", "[bank](https://evil.example)", `\[bank\](https://evil.example)`},
		{"Html", "<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"Entity", "&#8238;x &amp; R&D", `\&\#8238;x \&amp; R&D`},
		{"Quote", "> quoted", "&gt; quoted"},
		{"Heading", "# h", `\# h`},
		{"Bullet", "x\n- item\n+ item\n* item", "x  \n\\- item  \n\\+ item  \n\\* item"},
		{"Numbered", "x\n1. one\n2) two", "x  \n1\\. one  \n2\\) two"},
		{"IndentedCode", "x\n\n    code", "x  \n  \ncode"},
		{"TablePipe", "a | b", `a \| b`},
		{"Backslash", `ends\`, `ends\\`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := bot.RenderMarkdown(bot.Message{Text: tt.in})
			if got = strings.TrimSuffix(got, "\n\n"); got != tt.want {
				t.Errorf("RenderMarkdown(%q):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// fakeLines is a blocker that tries to end its list item, insert a rule
// and a heading of its own, and strike through text.
const fakeLines = "waiting for the minister\n---\n## C2 · Done\n~x~ *A2 · Alpha two* — Complete\n1. first\n> quote"

// blockStart matches a line that would start a block a member's text must
// not create: a rule, a heading underline, a list item, a quote.
var blockStart = regexp.MustCompile(`^(?:---|===|\*\*\*|[-+*] |[0-9]+[.)] |>)`)

func TestMarkdownReportKeepsMemberTextInItsItem(t *testing.T) {
	r := importedReport(t)
	c := &r.Commitments[0]
	c.Latest.Blockers = []bot.Flag{{Organisation: "Finance", Group: bot.Government, Text: fakeLines, Since: goldenPeriod}}
	c.History[0].Progress = fakeLines
	var md bytes.Buffer
	if err := bot.WriteReportMarkdown(&md, bot.MustCatalog().Texts("en"), r); err != nil {
		t.Fatal(err)
	}
	out := md.String()
	if strings.Contains(out, "~x~") || regexp.MustCompile(`(^|[^\\])\*A2`).MatchString(out) {
		t.Errorf("the report renders the member's ~x~ or *A2* as markup")
	}
	lines := strings.Split(out, "\n")
	item := -1
	for i, line := range lines {
		if strings.Contains(line, "waiting for the minister") && strings.HasPrefix(line, "- ") {
			item = i
		}
		if strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "|") {
			continue
		}
		if blockStart.MatchString(line) || (strings.HasPrefix(line, "#") && strings.Contains(line, "C2 · Done")) {
			t.Errorf("line %d starts a block of the member's making: %q", i+1, line)
		}
	}
	if item < 0 {
		t.Fatalf("no list item holds the blocker:\n%s", out)
	}
	for i, line := range lines[item+1 : item+6] {
		if !strings.HasPrefix(line, "  ") || blockStart.MatchString(strings.TrimSpace(line)) {
			t.Errorf("blocker line %d left its list item or starts a block: %q", i+2, line)
		}
	}
}
