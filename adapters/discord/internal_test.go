package discord

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// Tests of the pure parts, inside the package; the adapter as a whole is
// tested through discordgo and the fake Discord in package discord_test.

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain words", "plain words"},
		{"**bold** _it_ ~~s~~ `c` ||sp||", `\*\*bold\*\* \_it\_ \~\~s\~\~ \` + "`" + `c\` + "`" + ` \|\|sp\|\|`},
		{"# head\n- item\n+ item\n> quote\n12. twelve", "\\# head\n\\- item\n\\+ item\n\\> quote\n12\\. twelve"},
		{"a - b, 3. c", "a - b, 3. c"},
		{"[x](https://evil.example)", "\\[x\\]\u200b(https://evil.example)"},
		{"see https://ok.example/a_b*c and more_", "see https://ok.example/a_b*c and more\\_"},
		{"@everyone @here", "@\u200beveryone @\u200bhere"},
		{"<@123> <@&456> <#789>", "\\<\u200b@123\\> \\<\u200b@&456\\> \\<\u200b\\#789\\>"},
		{`back\slash`, `back\\slash`},
	} {
		if got := markdown(tc.in); got != tc.want {
			t.Errorf("markdown(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestSplit: text is cut as every adapter cuts it (kit.Text.Split), with
// Discord's characters (runes) and escapes (a backslash and the next
// character).
func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"aaaa bbbb cccc", 9, []string{"aaaa bbbb", "cccc"}},
		{"ééé ààà", 5, []string{"ééé", "ààà"}},
		{`abc\*def`, 4, []string{"abc", `\*de`, "f"}},
		{`ab\\\*cd`, 4, []string{`ab\\`, `\*cd`}},
	} {
		if got := escaped.Split(tc.in, tc.max); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("Split(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

var inertOnly = regexp.MustCompile(`(^|[^\\])(@everyone|@here|<@!?\d+>|<@&\d+>|\[[^\]]*\]\(https?://)`)

func FuzzMarkdownSplit(f *testing.F) {
	for _, s := range []string{"@everyone", "<@1>", "[a](https://b)", `\\\*`, "# h\n- i", strings.Repeat("x\\", 300)} {
		f.Add(s, 50)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		// Every input is brought into the domain rather than skipped:
		// a limit of 4 to 5,000 runes, valid UTF-8.
		if max < 0 {
			max = -(max + 1)
		}
		max = 4 + max%4997
		s = strings.ToValidUTF8(s, "\uFFFD")
		md := markdown(s)
		if m := inertOnly.FindString(md); m != "" {
			t.Fatalf("markdown(%q) has a live mention %q: %q", s, m, md)
		}
		chunks := escaped.Split(md, max)
		for _, c := range chunks {
			if runes(c) > max {
				t.Fatalf("chunk of %d > %d", runes(c), max)
			}
			trailing := len(c) - len(strings.TrimRight(c, `\`))
			if trailing%2 == 1 {
				t.Fatalf("chunk %q ends inside an escape", c)
			}
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squash(strings.Join(chunks, "")) != squash(md) {
			t.Fatalf("split lost text:\n%q\n%q", chunks, md)
		}
	})
}

func TestPlan(t *testing.T) {
	opts := func(n int) []bot.Option {
		var out []bot.Option
		for i := range n {
			out = append(out, bot.Option{Value: fmt.Sprintf("M%d", i), Label: fmt.Sprintf("Milestone %d", i)})
		}
		return out
	}
	text := func(name string) bot.FormField {
		return bot.FormField{Name: name, Label: name, Kind: bot.FieldLongText}
	}
	level := bot.FormField{Name: "completion", Kind: bot.FieldSelect, Options: opts(6)}
	for _, tc := range []struct {
		name   string
		fields []bot.FormField
		want   string // trigger, menus (name/chunk), inputs
		err    bool
	}{
		{"UpdateForm", []bot.FormField{level, text("progress"), text("blockers"), text("next_steps"), text("evidence"),
			{Name: "needs", Kind: bot.FieldChecks, Options: opts(2)}, {Name: "milestones", Kind: bot.FieldChecks, Options: opts(4)}},
			"completion | needs/0 milestones/0 | progress blockers next_steps evidence", false},
		{"TextOnly", []bot.FormField{text("a"), text("b")}, " |  | a b", false},
		{"MenusNoLevel", []bot.FormField{{Name: "needs", Kind: bot.FieldChecks, Options: opts(2)}, text("a")}, " | needs/0 | a", false},
		{"ManyMilestones", []bot.FormField{level, {Name: "needs", Kind: bot.FieldChecks, Options: opts(2)}, {Name: "milestones", Kind: bot.FieldChecks, Options: opts(40)}, text("a")},
			"completion | needs/0 milestones/0 milestones/1 | a", false},
		{"TooManyMilestones", []bot.FormField{level, {Name: "needs", Kind: bot.FieldChecks, Options: opts(2)}, {Name: "milestones", Kind: bot.FieldChecks, Options: opts(60)}, text("a")},
			"completion | needs/0 | milestones a", false},
		{"SixTexts", []bot.FormField{text("a"), text("b"), text("c"), text("d"), text("e"), text("f")}, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := plan(bot.Form{Ref: "u:1:C1", Title: "T", Fields: tc.fields})
			if (err != nil) != tc.err {
				t.Fatalf("plan: %v", err)
			}
			if tc.err {
				return
			}
			var trigger string
			if l.trigger != nil {
				trigger = l.trigger.Name
			}
			var menus, inputs []string
			for _, m := range l.menus {
				menus = append(menus, fmt.Sprintf("%s/%d", m.field.Name, m.chunk))
			}
			for _, in := range l.inputs {
				inputs = append(inputs, in.Name)
			}
			if got := trigger + " | " + strings.Join(menus, " ") + " | " + strings.Join(inputs, " "); got != tc.want {
				t.Errorf("layout %q, want %q", got, tc.want)
			}
			if l.hasPanel() {
				_, comps, err := l.panel("1300000000000000001")
				if err != nil || len(comps) > maxRows-1 {
					t.Errorf("panel: %d rows, %v", len(comps), err)
				}
			}
		})
	}
}

func TestCommandText(t *testing.T) {
	opt := func(name string, v any) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}
	}
	sub := func(name string, opts ...*discordgo.ApplicationCommandInteractionDataOption) discordgo.ApplicationCommandInteractionData {
		return discordgo.ApplicationCommandInteractionData{Name: "forum", Options: []*discordgo.ApplicationCommandInteractionDataOption{
			{Name: name, Type: discordgo.ApplicationCommandOptionSubCommand, Options: opts},
		}}
	}
	for _, tc := range []struct {
		data discordgo.ApplicationCommandInteractionData
		want string
	}{
		{sub("status", opt("commitment", "C3")), "status C3"},
		{sub("status", opt("forum", "cotabato"), opt("commitment", "C3")), "status C3 cotabato"},
		{sub("digest", opt("period", "2026-11"), opt("commitment", "all")), "digest all 2026-11"},
		{sub("digest"), "digest"},
		{sub("round", opt("action", "open"), opt("period", "2026-11")), "round open 2026-11"},
		{sub("away", opt("until", " 15   Dec ")), "away 15 Dec"},
		{sub("back"), "back"},
		{sub("help", opt("command", "status")), "help status"},
		{sub("update", opt("commitment", "C1")), "update C1"},
	} {
		got, err := commandText(tc.data)
		if err != nil || got != tc.want {
			t.Errorf("commandText(%s) = %q, %v; want %q", tc.data.Options[0].Name, got, err, tc.want)
		}
	}
	if _, err := commandText(discordgo.ApplicationCommandInteractionData{Name: "other"}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("another command: %v", err)
	}
}

func TestMarker(t *testing.T) {
	self := "1"
	msg := func(footer string) *discordgo.Message {
		return &discordgo.Message{Author: &discordgo.User{ID: self}, Embeds: []*discordgo.MessageEmbed{{Footer: &discordgo.MessageEmbedFooter{Text: footer}}}}
	}
	key := "prompt/f1/2031-03/discord:123"
	for k, n := range map[int]int{0: 1, 1: 3} {
		embeds := withMarker([]*discordgo.MessageEmbed{{Footer: &discordgo.MessageEmbedFooter{Text: "Reply here."}}}, marker(key, k, n))
		h, gotK, gotN, ok := markerOf(&discordgo.Message{Author: &discordgo.User{ID: self}, Embeds: embeds}, self)
		if !ok || h != keyHash(key) || gotK != k || gotN != n || !strings.HasPrefix(embeds[0].Footer.Text, "Reply here.\n") {
			t.Errorf("marker %d/%d: %q → %s %d %d %v", k, n, embeds[0].Footer.Text, h, gotK, gotN, ok)
		}
	}
	if _, _, _, ok := markerOf(msg("ref 0123456789ab"), "2"); ok {
		t.Error("a marker on someone else's message counts")
	}
	if _, _, _, ok := markerOf(msg("see ref 0123456789ab in the text"), self); ok {
		t.Error("a marker inside the footer's text counts")
	}
	if n := nonce(key, 0); len(n) != 25 || n == nonce(key, 1) || nonce("", 0) != "" {
		t.Errorf("nonce %q", n)
	}
}

// TestFormWordsInThePersonsLanguage: the panel, the Try again button and
// the list hint use the words the form brings, and English when it brings
// none.
func TestFormWordsInThePersonsLanguage(t *testing.T) {
	levels := []bot.Option{{Value: "Limited", Label: "Limitado"}, {Value: "Complete", Label: "Completo"}}
	form := bot.Form{Ref: "u:1:C1", Title: "Avance: C1", Fields: []bot.FormField{
		{Name: bot.FieldCompletion, Label: "Cumplimiento", Kind: bot.FieldSelect, Options: levels},
		{Name: bot.FieldNeeds, Label: "Necesidades", Kind: bot.FieldChecks, Options: []bot.Option{{Value: "resources", Label: "recursos"}}},
		{Name: bot.FieldProgress, Label: "Avances", Kind: bot.FieldLongText},
	}, Texts: bot.FormTexts{ChooseLevel: "Elija el Cumplimiento abajo.", MenusFirst: "Primero los menús.", TryAgain: "Intentar de nuevo"}}
	l, err := plan(form)
	if err != nil {
		t.Fatal(err)
	}
	content, _, err := l.panel("p1")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(content, "Elija el Cumplimiento abajo.") || !strings.Contains(content, "Primero los menús.") {
		t.Errorf("panel text: %q", content)
	}
	retry := withRetry(nil, "fr:-:p1:u:1:C1", texts(form).TryAgain)
	if b := retry[0].(discordgo.ActionsRow).Components[0].(discordgo.Button); b.Label != "Intentar de nuevo" {
		t.Errorf("retry button: %q", b.Label)
	}
	if got := texts(bot.Form{}); got != bot.DefaultFormTexts() {
		t.Errorf("defaults: %+v", got)
	}
	if got := texts(form); got.Continue != bot.DefaultFormTexts().Continue || got.TryAgain != "Intentar de nuevo" {
		t.Errorf("missing words fall back one by one: %+v", got)
	}
}
