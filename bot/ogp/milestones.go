package ogp

import (
	"cmp"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"forumbot/bot/config"
)

// The milestones of a commitment are read from the table of its full text,
// conservatively: a table whose dates or rows cannot be told apart
// reliably gives no milestones and a note saying why, and a row whose title
// does not read as one is left out and named.

// milestoneRead is what reading a full text's milestone table gave.
type milestoneRead struct {
	milestones []config.MilestoneConfig
	table      string   // the table's heading word; "" when none was found
	unread     string   // why a table gave no milestones
	skipped    []string // rows left out, by the start of their text
	reversed   []string // milestones whose due date was dropped, and why
}

// maxMilestoneTitle bounds a milestone title, in runes: longer text means
// the row was not told apart from the prose around it. Some rows are a
// paragraph long (South Cotabato's run to 700 characters).
const maxMilestoneTitle = 1000

// vaguePeriod is a date the importer does not read: a season or a quarter.
var vaguePeriod = regexp.MustCompile(`(?i)(?:^|\P{L})(?:spring|summer|autumn|fall|winter|primavera|verano|otoño|invierno|printemps|été|automne|hiver|verão|outono|inverno|q[1-4]|quarter|trimestre|semestre|semester|half)\s+(?:of\s+|de\s+|del\s+)?(?:19|20)\d\d\b`)

// readMilestones reads the milestones of the first table in text.
func readMilestones(text string) milestoneRead {
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\uF0B7", "•").Replace(strings.ToValidUTF8(text, "\uFFFD"))
	table, ok := findTable(text)
	if !ok {
		return milestoneRead{}
	}
	out := milestoneRead{table: table.heading}
	rows := text[table.start:table.end]
	spans := findSpans(rows)
	dayFirst, err := slashOrder(spans)
	switch {
	case len(spans) == 0:
		out.unread = "it gives no dates the importer reads (such as \"March 2019\" or \"15/03/2019\")"
	case vaguePeriod.MatchString(rows):
		out.unread = fmt.Sprintf("it gives dates such as %q, a season or quarter rather than a month", strings.TrimLeftFunc(vaguePeriod.FindString(rows), notLetter))
	case !sameShape(spans):
		out.unread = "its dates do not line up as one range or one date per row (a page break or a date in a title may split it)"
	case err != nil:
		out.unread = err.Error()
	}
	if out.unread != "" {
		return out
	}
	prev := 0
	for _, s := range spans {
		row := rows[prev:s.start]
		prev = s.end
		title, why := milestoneTitle(row)
		if why != "" {
			out.skipped = append(out.skipped, fmt.Sprintf("%q (%s)", truncate(cmp.Or(title, oneLine(row)), 40), why))
			continue
		}
		out.add(title, s, dayFirst)
	}
	if len(out.skipped) > len(out.milestones) {
		out.milestones, out.reversed = nil, nil
		out.unread = fmt.Sprintf("%d of its %d rows do not read as milestones", len(out.skipped), len(spans))
	}
	return out
}

// add appends the milestone of one row, dropping a due date before its
// start.
func (r *milestoneRead) add(title string, s dateSpan, dayFirst bool) {
	id := fmt.Sprintf("M%d", len(r.milestones)+1)
	start, due, err := s.milestoneDates(dayFirst)
	if err != nil {
		r.skipped = append(r.skipped, fmt.Sprintf("%q (a date that does not exist)", truncate(title, 40)))
		return
	}
	m := config.MilestoneConfig{ID: id, Title: title, Start: start.String(), Due: due.String()}
	if !start.IsZero() && !due.IsZero() && due.Before(start) {
		r.reversed = append(r.reversed, fmt.Sprintf("milestone %s %q is due %s, before it starts %s; due date left empty", id, truncate(title, 40), due, start))
		m.Due = ""
	}
	r.milestones = append(r.milestones, m)
}

// note says for the report what reading gave, for the commitment with
// the given id.
func (r milestoneRead) note(id string) string {
	switch {
	case r.table == "":
		return fmt.Sprintf("no milestone table found for %s; no milestones imported", id)
	case r.unread != "":
		return fmt.Sprintf("the milestone table of %s (headed %q) was not read: %s; add its milestones by hand", id, r.table, r.unread)
	}
	msg := fmt.Sprintf("%s of %s read from the table headed %q", plural(len(r.milestones), "milestone", "milestones"), id, r.table)
	if len(r.skipped) > 0 {
		msg += fmt.Sprintf("; %s left out: %s", plural(len(r.skipped), "row", "rows"), strings.Join(r.skipped, ", "))
	}
	return msg
}

// sameShape reports whether every span is a range, or every one a single
// date: a table gives each row the same columns.
func sameShape(spans []dateSpan) bool {
	for _, s := range spans {
		if s.isRange() != spans[0].isRange() {
			return false
		}
	}
	return true
}

// notLetter reports whether r is not a letter.
func notLetter(r rune) bool { return !unicode.IsLetter(r) }

// Row numbering: "4.1", "1.1.", "2." or, at the start of a line, "3",
// each followed by a capital; and labels such as "Hito 1:".
var (
	dottedNumber  = regexp.MustCompile(`(?:^|[ \t\n])(\d{1,2}(?:\.\d{1,2}){1,2}\.?|\d{1,2}\.)[ \t]+\p{Lu}`)
	lineNumber    = regexp.MustCompile(`(?m)^[ \t]*(\d{1,2})[ \t]+\p{Lu}`)
	rowLabel      = regexp.MustCompile(`(?i)(?:^|[ \t\n])((?:hito|milestone|activity|actividad|activité|atividade|marco|jalon|step|etapa|étape)\s+\d{1,2}(?:\.\d{1,2})*\s*[:.\-–])`)
	leadingLabel  = regexp.MustCompile(`^(?:(?i:hito|milestone|activity|actividad|activité|atividade|marco|jalon|step|etapa|étape)\s+\d{1,2}(?:\.\d{1,2})*\s*[:.\-–]\s*|\d{1,2}(?:\.\d{1,2})*[.)]?\s+(\p{Lu}))`)
	trailingState = regexp.MustCompile(`\s+(?:New|Ongoing|Nuevo|Nueva|En curso|Continuo|Nouveau|En cours|Novo|Em curso)$`)
)

// milestoneTitle finds the title in the text of one row: the text after
// the row's number or label when it has one (what comes before belongs to
// the row above), up to the first cell separator or line break.
func milestoneTitle(text string) (title, why string) {
	from := 0
	for _, re := range []*regexp.Regexp{dottedNumber, lineNumber, rowLabel} {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			from = max(from, m[2])
		}
	}
	title = strings.TrimLeft(text[from:], " \t\n|")
	if i := strings.IndexAny(title, "|\t"); i >= 0 {
		title = title[:i]
	} else if i := strings.IndexByte(title, '\n'); i >= 0 {
		title = title[:i]
	}
	title = strings.TrimSpace(title)
	if m := leadingLabel.FindStringSubmatchIndex(title); m != nil {
		if m[2] >= 0 {
			title = title[m[2]:]
		} else {
			title = title[m[1]:]
		}
	}
	title = oneLine(trailingState.ReplaceAllString(title, ""))
	title = strings.TrimRight(title, " ,;:|-–—")
	return title, junk(title)
}

// junk says why a title is not one, or returns "".
func junk(title string) string {
	letters := 0
	for _, r := range title {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	first, _ := utf8.DecodeRuneInString(strings.TrimLeftFunc(title, notLetter))
	switch {
	case letters < 6 || len(strings.Fields(title)) < 2:
		return "too short for a title"
	case unicode.IsLower(first):
		return "starts mid-sentence"
	case utf8.RuneCountInString(title) > maxMilestoneTitle:
		return "too long for a title"
	case dateLabel.MatchString(title):
		return "holds the table's headings"
	}
	return ""
}
