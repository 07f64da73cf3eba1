package bot

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// languages is what the catalogs give the bot: the locales it speaks, each
// one's catalog and the words it reads in each. Everything a language
// needs is in its one catalog file, so adding a language is adding a file
// to bot/locales.
type languages struct {
	// locales lists the catalogs' locales, English (the fallback) first,
	// then by code.
	locales []string
	// files holds each locale's catalog as written.
	files map[string][]byte
	// said holds each locale's words as the catalog writes them; read,
	// the same folded by foldWords, as a lexicon compares them.
	said, read map[string]words
}

// langs are the languages of the embedded catalogs.
var langs = mustLanguages(localeFiles)

func mustLanguages(fsys fs.FS) *languages {
	l, err := loadLanguages(fsys)
	if err != nil {
		panic(err)
	}
	return l
}

// loadLanguages reads the catalogs locales/*.yaml of fsys. A catalog that
// lacks a word the bot reads is an error naming the file and key.
func loadLanguages(fsys fs.FS) (*languages, error) {
	names, err := fs.Glob(fsys, "locales/*.yaml")
	if err != nil {
		return nil, err
	}
	l := &languages{files: map[string][]byte{}, said: map[string]words{}, read: map[string]words{}}
	for _, name := range names {
		locale := strings.TrimSuffix(path.Base(name), ".yaml")
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		w, err := catalogWords(data)
		if err != nil {
			return nil, fmt.Errorf("locale catalog %s: %w", name, err)
		}
		l.locales = append(l.locales, locale)
		l.files[locale], l.said[locale], l.read[locale] = data, w, w.folded()
	}
	if l.files["en"] == nil {
		return nil, fmt.Errorf("locale catalogs: no locales/en.yaml, the fallback every catalog is checked against")
	}
	slices.SortFunc(l.locales, func(a, b string) int {
		switch {
		case a == "en":
			return -1
		case b == "en":
			return 1
		}
		return strings.Compare(a, b)
	})
	return l, nil
}

// catalogWords reads the read.* keys of a catalog: each lists the forms
// people write, separated by "|".
func catalogWords(data []byte) (words, error) {
	var messages map[string]any
	if err := yaml.Unmarshal(data, &messages); err != nil {
		return words{}, err
	}
	missing := []string{}
	forms := func(key string) []string {
		s, _ := messages[key].(string)
		var out []string
		for _, f := range strings.Split(s, "|") {
			if f = strings.Join(strings.Fields(f), " "); f != "" {
				out = append(out, f)
			}
		}
		if len(out) == 0 {
			missing = append(missing, key)
		}
		return out
	}
	w := words{levels: map[Completion][]string{}, commands: map[CommandName][]string{}, actions: map[string][]string{}}
	for _, c := range Completions {
		w.levels[c] = forms("read.level." + levelSlug(c))
	}
	for _, n := range CommandNames {
		w.commands[n] = forms("read.command." + string(n))
	}
	for _, a := range RoundActions {
		w.actions[a] = forms("read.round." + a)
	}
	w.until, w.all, w.fillers = forms("read.until"), forms("read.all"), forms("read.fillers")
	for i := range w.months {
		w.months[i] = forms("read.month." + strconv.Itoa(i+1))
	}
	switch order, _ := messages["read.dates"].(string); order {
	case "day-first":
		w.dayFirst = true
	case "either":
	default:
		return words{}, fmt.Errorf("read.dates is %q; want day-first or either", order)
	}
	if len(missing) > 0 {
		return words{}, fmt.Errorf("no forms for %s (each lists the forms people write, separated by |)", strings.Join(missing, ", "))
	}
	return w, nil
}

// folded returns w with every form folded by foldWords.
func (w words) folded() words {
	each := func(forms []string) []string {
		out := make([]string, len(forms))
		for i, f := range forms {
			out[i] = foldWords(f)
		}
		return out
	}
	f := words{levels: map[Completion][]string{}, commands: map[CommandName][]string{}, actions: map[string][]string{},
		until: each(w.until), all: each(w.all), fillers: each(w.fillers), dayFirst: w.dayFirst}
	for k, v := range w.levels {
		f.levels[k] = each(v)
	}
	for k, v := range w.commands {
		f.commands[k] = each(v)
	}
	for k, v := range w.actions {
		f.actions[k] = each(v)
	}
	for i, v := range w.months {
		f.months[i] = each(v)
	}
	return f
}

// Locales returns the locales the bot speaks, one per catalog in
// bot/locales, English (the fallback) first.
func Locales() []string { return slices.Clone(langs.locales) }

// catalogFiles returns the catalogs by locale, for tests that compare
// them.
func catalogFiles() map[string][]byte {
	out := map[string][]byte{}
	for l, data := range langs.files {
		out[l] = slices.Clone(data)
	}
	return out
}

// commandWords returns the words for each command in a locale other than
// English, in the order help lists the commands, for help to show; nil for
// English or an unknown locale.
func commandWords(locale string) []string {
	w, ok := langs.said[locale]
	if !ok || locale == "en" {
		return nil
	}
	var out []string
	for _, name := range CommandNames {
		out = append(out, w.commands[name][0])
	}
	return out
}
