package ogp

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// placeholders are what the export writes for "no value": not applicable,
// no data, not relevant, and the like. Compared lower-cased.
var placeholders = map[string]bool{
	"": true, "na": true, "n/a": true, "nd": true, "nr": true,
	"-": true, "–": true, "—": true, "see action plan": true,
}

// isPlaceholder reports whether a cell means "no value".
func isPlaceholder(s string) bool {
	return placeholders[strings.ToLower(strings.TrimSpace(s))]
}

// cleanText makes a cell safe to store: valid UTF-8, line breaks as "\n",
// tabs as spaces, no other control characters, and the private-use bullet
// that PDF copies leave behind (U+F0B7) as "•". Tabs go because goccy/go-yaml
// drops a tab inside a plain scalar when it reads the file back.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case r == '\r' || r == '\u2028' || r == '\u2029':
			return '\n'
		case r == '\uF0B7':
			return '•'
		case r == '\uFEFF' || unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// oneLine cleans s and collapses its white space, line breaks included, to
// single spaces.
func oneLine(s string) string {
	return strings.Join(strings.Fields(cleanText(s)), " ")
}

// paragraphs cleans s keeping its line breaks, and trims white space at the
// ends of s and of each line: a block scalar whose first line is indented,
// or which holds a line of spaces, does not survive a YAML round trip.
func paragraphs(s string) string {
	lines := strings.Split(cleanText(s), "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRightFunc(line, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// truncate cuts s to at most max runes, ending a cut with "…".
func truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimRightFunc(string([]rune(s)[:max-1]), unicode.IsSpace) + "…"
}

// bulletMarks start an item of a list the export flattened into one cell.
const bulletMarks = "•▪●◦*-–—"

// inlineBullets puts bullets that run on within a line on lines of their own.
var inlineBullets = strings.NewReplacer("•", "\n•", "▪", "\n▪", "●", "\n●")

// hyphenBreak matches a word cut by a line break, as in "Go-\n vernment".
var hyphenBreak = regexp.MustCompile(`(\p{Ll})-\n[ \t]*(\p{Ll})`)

// splitOrganisations turns the supporting-institutions cell into a list.
// Items are separated by line breaks and ";"; when the cell is a bulleted
// list, an item starts at each bullet and runs on over the lines that follow
// up to a blank one, as a PDF copy wraps it. Words cut by a line break are
// mended, and items that are placeholders, hold no letter (page numbers) or
// repeat an earlier one are dropped.
func splitOrganisations(cell string) []string {
	text := hyphenBreak.ReplaceAllString(cleanText(cell), "$1$2")
	lines := strings.Split(inlineBullets.Replace(text), "\n")
	bulleted := slices.ContainsFunc(lines, isBulletLine)
	var items []string
	runOn := false
	for _, line := range lines {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			runOn = false
		case bulleted && runOn && !isBulletLine(line):
			items[len(items)-1] += " " + line
		default:
			items = append(items, strings.TrimLeft(line, bulletMarks+" \t"))
			runOn = true
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, item := range items {
		for _, part := range strings.Split(item, ";") {
			part = oneLine(part)
			key := strings.ToLower(part)
			if isPlaceholder(part) || !strings.ContainsFunc(part, unicode.IsLetter) || seen[key] {
				continue
			}
			seen[key] = true
			out = append(out, part)
		}
	}
	return out
}

// isBulletLine reports whether a line is a bullet followed by text.
func isBulletLine(line string) bool {
	line = strings.TrimSpace(line)
	text := strings.TrimLeft(line, bulletMarks+" \t")
	return text != "" && text != line
}

// foldAccents drops diacritics: "Bogotá" → "Bogota".
func foldAccents(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// matchKey is how localities compare: lower case, accents folded, spaces
// collapsed.
func matchKey(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(foldAccents(s)), " "))
}

// maxSlug bounds a forum id.
const maxSlug = 64

// slug turns a name into an id of lower-case ASCII letters, digits and
// single hyphens: "Jalisco, Mexico" → "jalisco-mexico".
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(foldAccents(s)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := b.String()
	return strings.Trim(out[:min(len(out), maxSlug)], "-")
}

// validID is the shape of a commitment or plan id in the configuration.
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)

// sanitiseID makes s a valid id: accents folded, other characters not
// allowed become "-", leading punctuation dropped, cut at 64 characters.
// It returns "" when nothing usable is left.
func sanitiseID(s string) string {
	s = strings.TrimSpace(s)
	if validID.MatchString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range foldAccents(s) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r == '_' || r == '.' || r == '-':
			if b.Len() > 0 {
				b.WriteRune(r)
			}
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := b.String()
	id = strings.TrimRight(id[:min(len(id), 64)], "-")
	if !validID.MatchString(id) {
		return ""
	}
	return id
}
