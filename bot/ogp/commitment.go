package ogp

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"forumbot/bot"
	"forumbot/bot/config"
)

// maxDescription bounds a commitment's description, in runes: some of the
// export's full texts run to many pages.
const maxDescription = 4000

// id returns the row's commitment id, made valid if need be, or "" when
// nothing usable is left and the row must be skipped.
func (r row) id() (string, []Problem) {
	raw := oneLine(r.value(colID))
	id := sanitiseID(raw)
	switch {
	case raw == "":
		return "", []Problem{{Row: r.n, Column: colID, Message: "is empty; row skipped"}}
	case id == "":
		return "", []Problem{{Row: r.n, Column: colID, Value: raw, Message: "is not a usable commitment id; row skipped"}}
	case id != raw:
		return id, []Problem{{Row: r.n, Column: colID, Value: raw, Message: fmt.Sprintf("is not a valid commitment id; imported as %q", id)}}
	}
	return id, nil
}

// commitment builds the commitment with the given id from one row,
// reports what in the row could not be used, and notes what milestones it
// found.
func (r row) commitment(id string) (c config.CommitmentConfig, problems []Problem, note Problem) {
	c.ID = id
	problems = append(problems, r.titles(&c)...)
	texts, note := r.texts(&c)
	problems = append(problems, texts...)
	c.URL = oneLine(r.value(colURL))
	for _, v := range valueColumns {
		if r.raw(v.column) == "1" {
			c.Values = append(c.Values, string(v.value))
		}
	}
	for _, i := range r.h.policyAreas {
		if i < len(r.fields) && strings.TrimSpace(r.fields[i]) == "1" {
			c.PolicyAreas = append(c.PolicyAreas, r.h.names[i])
		}
	}
	problems = append(problems, r.dates(&c)...)
	c.IRM = r.irm()
	c.Committee = []config.MemberConfig{}
	return c, problems, note
}

// texts fills in the description, milestones, lead agency and supporting
// organisations of c, without contact details, and notes what milestones
// the full text gave.
func (r row) texts(c *config.CommitmentConfig) (problems []Problem, note Problem) {
	fullText, problems := r.withoutContacts(colFullText, contactMarker)
	c.Description = truncate(paragraphs(fullText), maxDescription)
	milestones := readMilestones(fullText)
	c.Milestones = milestones.milestones
	for _, msg := range milestones.reversed {
		problems = append(problems, Problem{Row: r.n, Column: colFullText, Message: msg})
	}
	lead, removed := r.withoutContacts(colLead, "")
	problems = append(problems, removed...)
	c.LeadAgency = oneLine(lead)
	supporting, removed := r.withoutContacts(colSupporting, "")
	problems = append(problems, removed...)
	c.SupportingOrganisations = splitOrganisations(supporting)
	return problems, Problem{Row: r.n, Column: colFullText, Message: milestones.note(c.ID)}
}

// titles fills in the title of c from "Commitment Title", the full title
// OGP publishes, and keeps "Short Title" as a short label when it says
// something else. Only when the full title is missing does the short one
// stand in for it, and only when both are does the id.
func (r row) titles(c *config.CommitmentConfig) []Problem {
	full, problems := r.withoutContacts(colTitle, "")
	short, removed := r.withoutContacts(colShortTitle, "")
	problems = append(problems, removed...)
	full, short = oneLine(full), oneLine(short)
	switch {
	case full == "" && short == "":
		c.Title = c.ID
		return append(problems, Problem{Row: r.n, Column: colTitle, Message: "is empty; the commitment id is used as its title"})
	case full == "":
		c.Title = short
		return problems
	}
	c.Title = full
	switch {
	case strings.EqualFold(short, full):
	case utf8.RuneCountInString(short) > config.MaxShortTitle:
		problems = append(problems, Problem{Row: r.n, Column: colShortTitle, Value: short,
			Message: fmt.Sprintf("is longer than %d characters, too long for a short label; left out (the title is kept)", config.MaxShortTitle)})
	default:
		c.ShortTitle = short
	}
	return problems
}

// withoutContacts returns the named cell without the e-mail addresses and
// phone numbers it holds, each run of them replaced by marker, and reports
// what kind of contact details it removed (not the details themselves).
func (r row) withoutContacts(column, marker string) (string, []Problem) {
	text, n := removeContacts(r.value(column), marker)
	if !n.any() {
		return text, nil
	}
	return text, []Problem{{Row: r.n, Column: column,
		Message: n.String() + " removed (personal contact details are kept out of the plan)"}}
}

// dates fills in the start and end of c, dropping an end before the start.
func (r row) dates(c *config.CommitmentConfig) []Problem {
	var problems []Problem
	parse := func(column string, b bound) bot.Date {
		d, err := parseDate(r.raw(column), b)
		if err != nil {
			problems = append(problems, Problem{Row: r.n, Column: column, Value: oneLine(r.raw(column)), Message: err.Error()})
		}
		return d
	}
	start, end := parse(colStart, startOfPeriod), parse(colEnd, endOfPeriod)
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		problems = append(problems, Problem{Row: r.n, Column: colEnd, Value: oneLine(r.raw(colEnd)),
			Message: fmt.Sprintf("is before the start date %s; end date left empty", start)})
		end = bot.Date{}
	}
	c.Start, c.End = start.String(), end.String()
	return problems
}

// irm returns the IRM's assessment in its canonical wording, or nil when the
// row has none. Cells that are not IRM levels ("ND", "No early results to
// report yet") are placeholders, not mistakes, and are left out silently.
func (r row) irm() *config.IRMConfig {
	completion := func(column string) string {
		c, err := bot.ParseCompletion(r.value(column))
		if err != nil {
			return ""
		}
		return string(c)
	}
	a := config.IRMConfig{
		CompletionProgressReport: completion(colCompletionProgress),
		CompletionEndOfTerm:      completion(colCompletionEnd),
	}
	if d, err := bot.ParseDIOG(r.value(colDIOG)); err == nil {
		a.DidItOpenGovernment = string(d)
	}
	if a == (config.IRMConfig{}) {
		return nil
	}
	return &a
}
