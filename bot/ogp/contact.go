package ogp

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// OGP's action-plan templates ask for the e-mail address and phone number
// of the person responsible for each commitment, and the export copies them
// into "Full Text" and the institution cells. removeContacts keeps them out
// of the plan; the importer reports what kind it removed, never the value.

// contactMarker stands in a description for the contact details removed.
const contactMarker = "[contact details removed]"

// emailRE matches e-mail addresses, also when written with "(at)" or
// "[at]", or with "©" where a scan misread "@".
var emailRE = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+(?:@|©|\s?[(\[](?i:at|arroba)[)\]]\s?)[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+`)

// phoneRule is one way a phone number is written, with the number of
// digits it must hold to be taken for one.
type phoneRule struct {
	re                   *regexp.Regexp
	minDigits, maxDigits int
}

// phoneRules match phone numbers without catching dates, amounts or ids:
// international numbers, numbers with a bracketed area code, national
// numbers of ten or more digits starting with 0 (a scan may have put an
// apostrophe in them), and any number right after a word such as "Phone".
// The last rule's number is its first group.
var phoneRules = []phoneRule{
	{regexp.MustCompile(`\+\s?\d[\d ().\-–/']{6,}\d`), 8, 15},
	{regexp.MustCompile(`\(\d{1,4}\)\s?\d{3,5}[ .\-]?\d{3,5}(?:/\d{2,5})?`), 7, 15},
	{regexp.MustCompile(`\b0\d{2,4}[ '’\-]?\d{3,4}[ '’\-]?\d{3,5}\b`), 10, 13},
	{regexp.MustCompile(`(?i)\b(?:phone|telephone|tel|tél|téléphone|telefone|teléfono|telefono|mobile|móvil|movil|cell|celular|fax|whatsapp)\b\.?\s*(?:number|no\.?|n°|nº)?\s*:?\s*(\+?\(?\d[\d ().\-–/']{5,}\d)`), 7, 15},
}

// numericDateRE finds what a phone rule might take for a number but is a
// date: 12/31/2019, 15.03.2019, 2019-03-15.
var numericDateRE = regexp.MustCompile(`\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4}|\d{4}-\d{1,2}-\d{1,2}`)

// contactLabelRE matches a label ending a text, such as "Tel." or "E-mail
// and phone", that introduced contact details.
var contactLabelRE = regexp.MustCompile(`(?i)(?:^|[\s,;(])(?:e-?mail|correo(?: electrónico)?|courriel|phone|telephone|tel|tél|téléphone|telefone|teléfono|telefono|mobile|móvil|celular|fax|contact|contacto)(?:\s+(?:and|y|et|e|/)\s+(?:e-?mail|phone|teléfono|téléphone|telefone))?\.?\s*:?$`)

// contactGap is what may separate contact details that are removed as one:
// "a@b.org, +1 555 0100 / c@d.org".
var contactGap = regexp.MustCompile(`^[\s,;/()\-–—:|]*$`)

// contactCount counts the contact details removed from a cell.
type contactCount struct{ emails, phones int }

func (n contactCount) any() bool { return n.emails+n.phones > 0 }

// String says what was removed, e.g. "2 e-mail addresses and 1 phone number".
func (n contactCount) String() string {
	var parts []string
	if n.emails > 0 {
		parts = append(parts, plural(n.emails, "e-mail address", "e-mail addresses"))
	}
	if n.phones > 0 {
		parts = append(parts, plural(n.phones, "phone number", "phone numbers"))
	}
	return strings.Join(parts, " and ")
}

// plural words a count: "1 phone number", "2 phone numbers".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// removeContacts returns s without its e-mail addresses and phone numbers,
// each run of them replaced by marker (or by nothing when marker is ""),
// and how many of each it removed. The punctuation that introduced a run
// ("Phone:", "Name (", "Name - ") goes with it, and so does a label such as
// "Tel." when there is no marker.
func removeContacts(s, marker string) (string, contactCount) {
	runs, n := contactRuns(s)
	if len(runs) == 0 {
		return s, n
	}
	var out string
	pos := 0
	for _, run := range runs {
		left, opened := trimOpening(out + s[pos:run[0]])
		if label := contactLabelRE.FindStringIndex(left); marker == "" && label != nil {
			// Without a marker, the label would introduce nothing.
			left, _ = trimOpening(strings.TrimRight(left[:label[0]], " \t,;"))
		}
		right := s[run[1]:]
		skip := len(right) - len(trimClosing(right, opened))
		right = right[skip:]
		pos = run[1] + skip
		spaceAfter := right != "" && !strings.ContainsRune("\n,.;:)]", firstRune(right))
		switch {
		case marker == "" && (left == "" || strings.HasSuffix(left, "\n") || !spaceAfter):
			out = left
		case marker == "":
			out = left + " "
		case left == "" || strings.HasSuffix(left, "\n"):
			out = left + marker
		default:
			out = left + " " + marker
		}
		if marker != "" && spaceAfter {
			out += " "
		}
	}
	return out + s[pos:], n
}

// contactRuns returns the byte ranges of s holding contact details, runs
// of them separated only by punctuation merged, and how many it found.
func contactRuns(s string) ([][2]int, contactCount) {
	var n contactCount
	var found [][2]int
	for _, m := range emailRE.FindAllStringIndex(s, -1) {
		found = append(found, [2]int{m[0], m[1]})
		n.emails++
	}
	for _, rule := range phoneRules {
		for _, m := range rule.re.FindAllStringSubmatchIndex(s, -1) {
			span := [2]int{m[0], m[1]}
			if len(m) > 2 {
				span = [2]int{m[2], m[3]}
			}
			number := s[span[0]:span[1]]
			digits := countDigits(number)
			if digits < rule.minDigits || digits > rule.maxDigits || numericDateRE.MatchString(number) || overlaps(found, span) {
				continue
			}
			found = append(found, span)
			n.phones++
		}
	}
	slices.SortFunc(found, func(a, b [2]int) int { return a[0] - b[0] })
	var runs [][2]int
	for _, f := range found {
		if last := len(runs) - 1; last >= 0 && contactGap.MatchString(s[runs[last][1]:f[0]]) {
			runs[last][1] = max(runs[last][1], f[1])
			continue
		}
		runs = append(runs, f)
	}
	return runs, n
}

// countDigits counts the ASCII digits of s.
func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// overlaps reports whether span overlaps any of spans.
func overlaps(spans [][2]int, span [2]int) bool {
	for _, s := range spans {
		if span[0] < s[1] && s[0] < span[1] {
			return true
		}
	}
	return false
}

// trimOpening trims from the end of s the blanks and the one mark that
// introduced a contact detail (":", "(", "-", …), and reports whether that
// mark was an opening bracket.
func trimOpening(s string) (string, bool) {
	s = strings.TrimRight(s, " \t")
	r, size := utf8.DecodeLastRuneInString(s)
	if size == 0 || !strings.ContainsRune(":([-–—/", r) {
		return s, false
	}
	return strings.TrimRight(s[:len(s)-size], " \t"), r == '(' || r == '['
}

// trimClosing trims from the start of s the blanks after a contact detail
// and, when an opening bracket came before it, the closing one.
func trimClosing(s string, opened bool) string {
	s = strings.TrimLeft(s, " \t")
	if opened && (strings.HasPrefix(s, ")") || strings.HasPrefix(s, "]")) {
		s = strings.TrimLeft(s[1:], " \t")
	}
	return s
}

// firstRune returns the first rune of s, or utf8.RuneError when s is empty.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
