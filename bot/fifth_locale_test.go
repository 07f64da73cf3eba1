package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/goccy/go-yaml"

	"forumbot/bot"
)

// TestAFifthLanguageIsOneCatalogFile adds Esperanto the way a translator
// would, as one more catalog beside the four, and changes no Go code: the
// catalog here is English with every text marked ⟦…⟧ and every word the
// bot reads spelt backwards, so whatever the bot writes or reads in the
// new language can only have come from the new file.
func TestAFifthLanguageIsOneCatalogFile(t *testing.T) {
	files := fstest.MapFS{}
	for locale, data := range bot.CatalogFiles() {
		files["locales/"+locale+".yaml"] = &fstest.MapFile{Data: data}
	}
	files["locales/eo.yaml"] = &fstest.MapFile{Data: pseudoCatalog(t, bot.CatalogFiles()["en"])}
	bot.UseCatalogs(t, files)

	if got := bot.Locales(); !slices.Contains(got, "eo") || got[0] != "en" {
		t.Fatalf("Locales() = %v, want English first and eo among them", got)
	}
	checkCatalogs(t, catalogs(t), map[string][]string{"eo": {"one", "other"}, "en": pluralForms["en"], "es": pluralForms["es"], "fr": pluralForms["fr"], "pt": pluralForms["pt"]})

	h := newHarness(t, strings.Replace(spanishForum, "locale: es", "locale: eo", 1), time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	if prompt := bot.RenderText(h.latest("local:ana").Message); !strings.Contains(prompt, "⟦") {
		t.Errorf("Ana's prompt is not in the forum's new language:\n%s", prompt)
	}
	if got := reply(t, h, "local:ana", "C1 laitnatsbus: we went to the workshop"); !strings.Contains(got, "⟦Substantial⟧") {
		t.Errorf("told %q, want the level named in the new language, ⟦Substantial⟧", got)
	}
	if u := latestUpdate(t, h, "local:ana", "C1"); u.Completion != bot.Substantial {
		t.Errorf("a level in the new language stored as %q, want Substantial", u.Completion)
	}
	for _, tt := range []struct{ text, told string }{
		{"sutats C2", "C2 · Contrataciones abiertas"},
		{"yawa litnu 15 rebmeceD", "15 ⟦Dec⟧ 2026"},
		{"pleh", "⟦forumbot commands⟧"},
	} {
		resp := command(t, h, "local:ana", tt.text)
		if resp.Error != "" || resp.Reply == nil || !strings.Contains(bot.RenderText(*resp.Reply), tt.told) {
			t.Errorf("/forum %s: reply %v, error %q; want it to say %q", tt.text, resp.Reply, resp.Error, tt.told)
		}
	}
	resp := command(t, h, "local:coord", "tsegid")
	if resp.Error != "" {
		t.Fatalf("digest in the new language: %s", resp.Error)
	}
	h.at(2026, time.November, 1, 9, 10)
	var digest string
	for _, s := range h.chat.All() {
		if s.Channel && s.To == "local:digest" {
			digest = bot.RenderText(s.Message)
		}
	}
	if !strings.Contains(digest, "⟦") || strings.Contains(digest, "[digest.") || !strings.Contains(digest, "⟦Substantial⟧") {
		t.Errorf("digest not in the new language, or a message missing:\n%s", digest)
	}
}

// pseudoCatalog turns the English catalog into a new language: every
// message marked ⟦…⟧ around its text, placeholders kept, and every form
// the bot reads written backwards.
func pseudoCatalog(t *testing.T, en []byte) []byte {
	t.Helper()
	var msgs map[string]any
	if err := yaml.Unmarshal(en, &msgs); err != nil {
		t.Fatal(err)
	}
	mark := func(s string) string { return "⟦" + s + "⟧" }
	out := map[string]any{}
	for key, v := range msgs {
		switch v := v.(type) {
		case string:
			switch {
			case key == "read.dates":
				out[key] = v
			case strings.HasPrefix(key, "read."):
				var forms []string
				for _, f := range strings.Split(v, "|") {
					forms = append(forms, backwards(strings.TrimSpace(f)))
				}
				out[key] = strings.Join(forms, " | ")
			default:
				out[key] = mark(v)
			}
		case map[string]any:
			forms := map[string]any{}
			for form, s := range v {
				forms[form] = mark(fmt.Sprint(s))
			}
			out[key] = forms
		}
	}
	data, err := yaml.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func backwards(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}
