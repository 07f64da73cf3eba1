package slack

import (
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"forumbot/bot"
)

// TestEsc: whatever a person types, Slack's mrkdwn shows it as typed: no
// mention, link, bold, italics, strikethrough, code or quote of their
// making; ordinary text and links are unchanged.
func TestEsc(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"Plain", "Budget approved: 3 of 4 (75%), snake_case, - _ .", "Budget approved: 3 of 4 (75%), snake_case, - _ ."},
		{"Entities", "R&D <!channel> <@U1> a > b", "R&amp;D &lt;!channel&gt; &lt;@U1&gt; a &gt; b"},
		{"FakeBoldLine", "waiting\n*A2 · Alpha two* — Complete", "waiting\n∗A2 · Alpha two∗ — Complete"},
		{"Italics", "_x_ (_y_) a_ b", "ˍxˍ (ˍyˍ) aˍ b"},
		{"Strike", "~x~", "∼x∼"},
		{"Code", "`c` ```pre```", "ˋcˋ ˋˋˋpreˋˋˋ"},
		{"FullWidth", "＊b＊ ＿i＿ ｀c｀", "﹡b﹡ ⸏i⸏ ˋcˋ"},
		{"Quote", "> quoted\n  > again\nnot > this", "\u00ad&gt; quoted\n  \u00ad&gt; again\nnot &gt; this"},
		{"FullWidthQuote", "＞ quoted", "\u00ad＞ quoted"},
		{"Link", "see https://data.example/open_data?a=1&b=*x*", "see https://data.example/open_data?a=1&amp;b=%2Ax%2A"},
		{"LinkEdgeUnderscore", "https://x.example/_a_", "https://x.example/%5Fa%5F"},
		{"NotALink", "xhttps://x.example/*b*", "xhttps://x.example/∗b∗"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := esc(tt.in); got != tt.want {
				t.Errorf("esc(%q):\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestRenderedMemberTextHasNoMarkup renders a digest-like message whose
// member text tries to fake a bold title line: the only formatting in the
// rendered blocks is the adapter's own.
func TestRenderedMemberTextHasNoMarkup(t *testing.T) {
	const blocker = "Blockers: waiting\n*A2 · Alpha two* — Complete\n~x~ _y_ `z`"
	parts, err := render(bot.Message{Header: "Digest", Sections: []bot.Section{
		{Title: "A1 · Alpha one", Fields: []bot.Field{{Label: "Government", Value: "Limited"}}, Text: blocker},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range parts {
		for _, b := range p.blocks {
			if s, ok := b.(*slack.SectionBlock); ok {
				if s.Text != nil {
					texts = append(texts, s.Text.Text)
				}
				for _, f := range s.Fields {
					texts = append(texts, f.Text)
				}
			}
		}
	}
	all := strings.Join(texts, "\n")
	if got, want := strings.Count(all, "*"), 4; got != want {
		t.Errorf("%d asterisks in the mrkdwn, want %d (the title's and the label's):\n%s", got, want, all)
	}
	for _, markup := range []string{"~", "_", "`"} {
		if strings.Contains(all, markup) {
			t.Errorf("the mrkdwn holds %q of the member's making:\n%s", markup, all)
		}
	}
	if !strings.Contains(all, "∗A2 · Alpha two∗ — Complete") {
		t.Errorf("the member's line is not shown as typed:\n%s", all)
	}
}
