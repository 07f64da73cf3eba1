package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// lexicon reads the words of several locales, in order: a person's own,
// their forum's, then English. The first decides how a date in figures is
// read.
type lexicon []words

// lexiconFor returns the lexicon of locales, in order, without repeats and
// with English last; unknown locales are left out.
func lexiconFor(locales []string) lexicon {
	var x lexicon
	seen := map[string]bool{}
	for _, l := range append(append([]string(nil), locales...), "en") {
		w, ok := langs.read[l]
		if !ok || seen[l] {
			continue
		}
		seen[l] = true
		x = append(x, w)
	}
	return x
}

// dayFirst reports whether a date in figures is read day first.
func (x lexicon) dayFirst() bool { return len(x) > 0 && x[0].dayFirst }

// maxCommandWords is the most words a command's form has ("mettre à jour").
const maxCommandWords = 3

// command reads a command word at the start of args. It returns the command
// and how many of args its form took, or 0 when args start with none.
func (x lexicon) command(args []string) (CommandName, int) {
	for n := min(maxCommandWords, len(args)); n > 0; n-- {
		typed := foldWords(strings.Join(args[:n], " "))
		for _, w := range x {
			for name, forms := range w.commands {
				if contains(forms, typed) {
					return name, n
				}
			}
		}
	}
	return "", 0
}

// action reads an action of the round command.
func (x lexicon) action(s string) (string, bool) {
	typed := foldWords(s)
	for _, w := range x {
		for a, forms := range w.actions {
			if contains(forms, typed) {
				return a, true
			}
		}
	}
	return "", false
}

// isUntil reports whether s is a word for "until".
func (x lexicon) isUntil(s string) bool { return x.any(func(w words) []string { return w.until }, s) }

// isAll reports whether s is a word for "all".
func (x lexicon) isAll(s string) bool { return x.any(func(w words) []string { return w.all }, s) }

// isFiller reports whether s is a small word dropped from dates.
func (x lexicon) isFiller(s string) bool {
	return x.any(func(w words) []string { return w.fillers }, s)
}

func (x lexicon) any(list func(words) []string, s string) bool {
	typed := foldWords(s)
	for _, w := range x {
		if contains(list(w), typed) {
			return true
		}
	}
	return false
}

// level reads a completion level at the start of s, the longest form that
// is followed by something other than a letter or digit. end is where the
// level ends in s; 0 when s starts with no level.
func (x lexicon) level(s string) (level Completion, end int) {
	folded, at := foldPrefix(s, 64)
	best := 0
	for _, w := range x {
		for l, forms := range w.levels {
			for _, form := range forms {
				if len(form) > best && strings.HasPrefix(folded, form) && wordEnds(folded, len(form)) {
					level, best = l, len(form)
				}
			}
		}
	}
	if best == 0 {
		return NoCompletion, 0
	}
	return level, at[best]
}

// nearLevel reports whether s is a near miss of a level form
// ("sustantival", "limitad", "no iniciada"): a few letters off, and not one.
func (x lexicon) nearLevel(s string) bool {
	typed := foldWords(s)
	for _, w := range x {
		for _, forms := range w.levels {
			for _, form := range forms {
				if d := editDistance(typed, form); d > 0 && d <= (len(form)-1)/4 {
					return true
				}
			}
		}
	}
	return false
}

// wordEnds reports whether s has no letter or digit at byte i.
func wordEnds(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i == len(s) || !(unicode.IsLetter(r) || unicode.IsDigit(r))
}

// fold lowercases s, drops accents and reads a typographic apostrophe as
// ', so that "Décembre", "DECEMBRE" and "décembre" compare equal.
func fold(s string) string {
	var b []byte
	for _, r := range s {
		b = appendFolded(b, r)
	}
	return string(b)
}

// foldWords is fold that also takes "-", "_" and runs of spaces as one
// space and trims the ends: "Not-Started " reads "not started".
func foldWords(s string) string {
	f, _ := foldPrefix(s, len(s))
	return strings.TrimSpace(f)
}

// foldPrefix folds up to max runes of s as foldWords does, and says where
// in s each byte of the result came from: at[i] is the offset in s of the
// rune that gave byte i, and at[len(folded)] where the folded part ends.
func foldPrefix(s string, max int) (folded string, at []int) {
	var b []byte
	n := 0
	for i, r := range s {
		if n == max {
			return string(b), append(at, i)
		}
		n++
		if unicode.IsSpace(r) || r == '-' || r == '_' {
			if len(b) > 0 && b[len(b)-1] == ' ' {
				continue
			}
			r = ' '
		}
		before := len(b)
		b = appendFolded(b, r)
		for range len(b) - before {
			at = append(at, i)
		}
	}
	return string(b), append(at, len(s))
}

func appendFolded(b []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		return append(b, byte(unicode.ToLower(r)))
	case r == '’' || r == 'ʼ' || r == '‘':
		return append(b, '\'')
	case r == 'œ' || r == 'Œ':
		return append(b, 'o', 'e')
	}
	for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
		if !unicode.Is(unicode.Mn, d) {
			b = utf8.AppendRune(b, d)
		}
	}
	return b
}
