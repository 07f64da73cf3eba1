package bot

import (
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
)

// TestFieldParserAgreesWithTextTemplate renders every message of every
// catalog with the fast parser and with text/template, with values of
// several types and with one value missing: the texts must be the same.
func TestFieldParserAgreesWithTextTemplate(t *testing.T) {
	files := CatalogFiles()
	var text template.TextParser
	fast := 0
	for locale, body := range files {
		var msgs map[string]any
		if err := yaml.Unmarshal(body, &msgs); err != nil {
			t.Fatal(err)
		}
		var sources []string
		for _, v := range msgs {
			switch v := v.(type) {
			case string:
				sources = append(sources, v)
			case map[string]any:
				for _, form := range v {
					sources = append(sources, form.(string))
				}
			}
		}
		for _, src := range sources {
			a, err := fields.Parse(src, "", "")
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := a.(*fieldTemplate); ok {
				fast++
			}
			b, err := text.Parse(src, "", "")
			if err != nil {
				t.Fatal(err)
			}
			for _, data := range []map[string]any{
				{"Name": "Ana", "Count": 3, "Period": Period{2026, 11}, "Level": Substantial, "Date": "15 Dec 2026", "ID": "C1", "List": "a, b"},
				{"Count": 1},
			} {
				for _, name := range placeholderRE.FindAllStringSubmatch(src, -1) {
					if _, ok := data[name[1]]; !ok && len(data) > 1 {
						data[name[1]] = "value of " + name[1]
					}
				}
				got, err1 := a.Execute(data)
				want, err2 := b.Execute(data)
				if got != want || err1 != nil || err2 != nil {
					t.Errorf("%s %q:\n fast %q (%v)\n text %q (%v)", locale, src, got, err1, want, err2)
				}
			}
		}
	}
	if fast == 0 {
		t.Error("no message took the fast path")
	}
}
