package ogp

import (
	"regexp"
	"strings"
	"unicode"
)

// An action plan lists a commitment's milestones in a table under a
// heading ("Milestone Activity with a Verifiable Deliverable | Start Date |
// End Date", "Hitos", "Actividad y producto entregable", "Implementation
// Stages"); the export keeps the table as text, one row per line or
// flattened into one. findTable finds where its rows are.

// headingWord is a word that heads a milestone table, in the four languages.
var headingWord = regexp.MustCompile(`(?i)(?:^|\P{L})(milestones?|hitos?|jalons?|marcos|actividad(?:es)?|activit(?:y|ies)|activités?|atividades?|entregables?|deliverables?|livrables?|entregáveis|implementation stages|etapas|étapes|achievements)(?:\P{L}|$)`)

// dateLabel is the heading of a table's date column.
var dateLabel = regexp.MustCompile(`(?i)start(?:ing)? date|end(?:ing)? date|due date|deadline|completion date|date of completion|implementation by|fecha de inicio|fecha de t[ée]rmino|fecha de finalizaci[óo]n|fecha de fin|fecha l[íi]mite|date de d[ée]but|date de fin|[ée]ch[ée]ance|date limite|data de in[íi]cio|data de t[ée]rmino|data de conclus[ãa]o|prazo`)

// tableEnd is a heading that ends a milestone table.
var tableEnd = regexp.MustCompile(`(?i)contact information|información de contacto|informations de contact|informações de contato|name of responsible person|nombre de la persona responsable|nombre del responsable`)

// labelWindow bounds how far after the heading word its date labels are
// looked for, in bytes.
const labelWindow = 200

// milestoneTable is where the rows of a milestone table are in a text.
type milestoneTable struct {
	heading    string // the heading word as written, e.g. "Milestones"
	start, end int    // of the rows
}

// findTable finds the first milestone table in text: a heading word
// followed on its line by date-column labels, or a short line of its own
// that starts with one.
func findTable(text string) (milestoneTable, bool) {
	for _, m := range headingWord.FindAllStringSubmatchIndex(text, -1) {
		word := text[m[2]:m[3]]
		lineStart := strings.LastIndexByte(text[:m[2]], '\n') + 1
		lineEnd := len(text)
		if i := strings.IndexByte(text[m[3]:], '\n'); i >= 0 {
			lineEnd = m[3] + i
		}
		start, ok := afterLabels(text, m[3], lineEnd)
		if !ok && isHeadingLine(text[lineStart:lineEnd], m[2]-lineStart) {
			start, ok = lineEnd, true
		}
		if !ok {
			continue
		}
		end := len(text)
		if e := tableEnd.FindStringIndex(text[start:]); e != nil {
			end = start + e[0]
		}
		return milestoneTable{heading: word, start: start, end: end}, true
	}
	return milestoneTable{}, false
}

// afterLabels looks for date-column labels after a heading word ending at
// from, on its line and before any date. It returns where the rows start:
// the end of the line when the rest of it holds no date, else just after
// the last label (and the colon closing it).
func afterLabels(text string, from, lineEnd int) (int, bool) {
	window := text[from:min(lineEnd, from+labelWindow)]
	if d := dateRE.FindStringIndex(window); d != nil {
		window = window[:d[0]]
	}
	labels := dateLabel.FindAllStringIndex(window, -1)
	if len(labels) == 0 {
		return 0, false
	}
	end := from + labels[len(labels)-1][1]
	if colon := strings.IndexByte(text[end:min(lineEnd, end+25)], ':'); colon >= 0 && !dateRE.MatchString(text[end:end+colon]) {
		end += colon + 1
	}
	if !dateRE.MatchString(text[end:lineEnd]) {
		return lineEnd, true
	}
	return end, true
}

// isHeadingLine reports whether line is a heading of its own starting with
// the heading word at offset at: a few words, no digits, no sentence.
func isHeadingLine(line string, at int) bool {
	if strings.TrimLeft(line[:at], " \t(•-") != "" {
		return false
	}
	return len(strings.Fields(line)) <= 10 && !strings.ContainsFunc(line, unicode.IsDigit) && !strings.ContainsAny(line, ".;")
}
