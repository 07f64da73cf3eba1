package bot_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"forumbot/bot"
)

// pluralForms are the CLDR plural categories each locale's messages with
// plural forms must give (go-i18n applies the CLDR rules).
var pluralForms = map[string][]string{"en": {"one", "other"}, "es": {"many", "one", "other"}, "fr": {"many", "one", "other"}, "pt": {"many", "one", "other"}}

func catalogs(t *testing.T) map[string]map[string]any {
	t.Helper()
	files := bot.CatalogFiles()
	out := map[string]map[string]any{}
	for locale, data := range files {
		var m map[string]any
		if err := yaml.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", locale, err)
		}
		out[locale] = m
	}
	return out
}

var placeholderRE = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// placeholders returns the sorted placeholders of a message and its plural
// forms ("" for a plain message).
func placeholders(v any) (names []string, forms []string) {
	seen := map[string]bool{}
	add := func(s string) {
		for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
			seen[m[1]] = true
		}
	}
	switch x := v.(type) {
	case string:
		add(x)
	case map[string]any:
		for form, s := range x {
			forms = append(forms, form)
			add(fmt.Sprint(s))
		}
	}
	for n := range seen {
		if n != "Count" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	sort.Strings(forms)
	return names, forms
}

func TestEveryLocaleHasEveryKeyWithTheSamePlaceholders(t *testing.T) {
	checkCatalogs(t, catalogs(t), pluralForms)
}

// checkCatalogs checks that every catalog has the keys of the English one,
// with the same placeholders, and the plural forms its locale needs.
func checkCatalogs(t *testing.T, cats map[string]map[string]any, pluralForms map[string][]string) {
	t.Helper()
	en := cats["en"]
	for locale, cat := range cats {
		for key := range en {
			if _, ok := cat[key]; !ok {
				t.Errorf("%s: missing %q", locale, key)
			}
		}
		for key, v := range cat {
			ev, ok := en[key]
			if !ok {
				t.Errorf("%s: %q is not in the English catalog", locale, key)
				continue
			}
			want, enForms := placeholders(ev)
			got, forms := placeholders(v)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s %q: placeholders %v, English has %v", locale, key, got, want)
			}
			switch {
			case len(enForms) == 0 && len(forms) > 0:
				t.Errorf("%s %q: has plural forms, English has none", locale, key)
			case len(enForms) > 0 && strings.Join(forms, ",") != strings.Join(pluralForms[locale], ","):
				t.Errorf("%s %q: plural forms %v, want %v", locale, key, forms, pluralForms[locale])
			}
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				t.Errorf("%s %q: empty", locale, key)
			}
		}
	}
}

// TestEveryKeyUsedExistsAndEveryKeyIsUsed reads the bot's source for the
// message keys it asks for.
func TestEveryKeyUsedExistsAndEveryKeyIsUsed(t *testing.T) {
	en := catalogs(t)["en"]
	used := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	// The public site asks for its texts from its code and its templates.
	site, _ := filepath.Glob("../adapters/site/*.go")
	templates, _ := filepath.Glob("../adapters/site/templates/*.html")
	files = append(append(files, site...), templates...)
	keyRE := regexp.MustCompile(`\b(?:T|N|cmdErr)(?:\(| )"([a-z_.0-9]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") { // a prefix completed at run time
				used[m[1]] = true
			}
		}
	}
	for _, r := range regexp.MustCompile(`"(err\.[a-z_]+)"`).FindAllStringSubmatch(readAll(t, files), -1) {
		used[r[1]] = true
	}
	// Keys built at run time.
	tx := bot.MustCatalog().Texts("en")
	for _, c := range append(bot.Completions, bot.NoCompletion) {
		if s := tx.Level(c); strings.HasPrefix(s, "[") {
			t.Errorf("no message for level %q: %s", c, s)
		}
	}
	for key := range en {
		dynamic := false
		// email.* keys are the e-mail adapter's own words; its tests
		// check that it uses each (adapters/email).
		for _, prefix := range []string{"level.", "group.", "need.", "month.", "help.", "diog.", "source.", "format.", "read.", "syntax.", "email.", "site.value.", "question.reason.", "question.state."} {
			dynamic = dynamic || strings.HasPrefix(key, prefix)
		}
		if !used[key] && !dynamic {
			t.Errorf("catalog key %q is never used", key)
		}
	}
	for key := range used {
		if _, ok := en[key]; !ok {
			t.Errorf("the code asks for %q, which the English catalog lacks", key)
		}
	}
	var dynamicKeys []string
	for _, g := range bot.Groups {
		dynamicKeys = append(dynamicKeys, "group."+string(g))
	}
	for _, n := range bot.Needs {
		dynamicKeys = append(dynamicKeys, "need."+string(n))
	}
	for m := 1; m <= 12; m++ {
		dynamicKeys = append(dynamicKeys, fmt.Sprintf("month.long.%d", m), fmt.Sprintf("month.short.%d", m))
	}
	for _, c := range bot.CommandNames {
		dynamicKeys = append(dynamicKeys, "help."+string(c))
	}
	for _, s := range []bot.Source{bot.SourceForm, bot.SourceThread, bot.SourceCommand} {
		dynamicKeys = append(dynamicKeys, "source."+string(s))
	}
	for _, k := range dynamicKeys {
		if _, ok := en[k]; !ok {
			t.Errorf("the code builds key %q, which the English catalog lacks", k)
		}
	}
	for _, d := range bot.DIOGs {
		if s := tx.DIOG(d); strings.HasPrefix(s, "[") {
			t.Errorf("no message for %q", d)
		}
	}
}

func readAll(t *testing.T, files []string) string {
	var b strings.Builder
	for _, f := range files {
		if !strings.HasSuffix(f, "_test.go") {
			src, _ := os.ReadFile(f)
			b.Write(src)
		}
	}
	return b.String()
}

func TestLocaleFormats(t *testing.T) {
	cat := bot.MustCatalog()
	d := bot.Date{Year: 2026, Month: time.December, Day: 1}
	for _, tt := range []struct{ locale, date, period, percent string }{
		{"en", "1 Dec 2026", "December 2026", "78%"},
		{"es", "1 dic 2026", "diciembre de 2026", "78\u00a0%"},
		{"fr", "1 déc. 2026", "décembre 2026", "78\u202f%"},
		{"pt", "1 de dez. de 2026", "dezembro de 2026", "78%"},
		{"xx", "1 Dec 2026", "December 2026", "78%"}, // unknown locales fall back to English
	} {
		tx := cat.Texts(tt.locale)
		if got := tx.Date(d); got != tt.date {
			t.Errorf("%s date: %q, want %q", tt.locale, got, tt.date)
		}
		if got := tx.Period(d.Period()); got != tt.period {
			t.Errorf("%s period: %q, want %q", tt.locale, got, tt.period)
		}
		if got := tx.Percent(78); got != tt.percent {
			t.Errorf("%s percent: %q, want %q", tt.locale, got, tt.percent)
		}
	}
}
