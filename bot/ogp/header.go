package ogp

import (
	"fmt"
	"strings"

	"forumbot/bot"
)

// Column names of the OGP export that the importer reads.
const (
	colID                 = "Commitment Unique Identifier"
	colLocality           = "Country/Locality"
	colPlanNumber         = "Action Plan Number"
	colPlanID             = "Action Plan ID"
	colTitle              = "Commitment Title"
	colShortTitle         = "Short Title"
	colFullText           = "Full Text"
	colStart              = "Start Date"
	colEnd                = "End Date"
	colLead               = "Lead Institution"
	colSupporting         = "Supporting Institution(s)"
	colURL                = "URL"
	colCompletionProgress = "Completion (Progress Report)"
	colCompletionEnd      = "Completion (End Of Term)"
	colDIOG               = "Did It Open Government (Overall)"

	// The policy-area flags are the columns from the first through the last
	// of these, in whatever order the export puts them.
	colFirstPolicyArea = "Anti-Corruption and Integrity"
	colLastPolicyArea  = "Money in Politics"
)

// valueColumns maps the export's OGP value flags to the values they set.
var valueColumns = []struct {
	column string
	value  bot.OGPValue
}{
	{"OGP Value Access To Information", bot.AccessToInformation},
	{"OGP Value Civic Participation", bot.CivicParticipation},
	{"OGP Value Public Accountability", bot.PublicAccountability},
	{"OGP Value Technology", bot.TechnologyInnovation},
}

// requiredColumns are the columns without which no commitment can be built.
var requiredColumns = []string{colID, colTitle}

// optionalColumns are the other columns read, with what is lost without them.
var optionalColumns = []struct{ column, lost string }{
	{colLocality, "forum name left generic"},
	{colPlanID, "plan id left generic"},
	{colPlanNumber, "plan title left without a number"},
	{colShortTitle, "short titles left empty"},
	{colFullText, "descriptions left empty"},
	{colStart, "start dates left empty"},
	{colEnd, "end dates left empty"},
	{colLead, "lead agencies left empty"},
	{colSupporting, "supporting organisations left empty"},
	{colURL, "links left empty"},
	{colCompletionProgress, "progress-report completion left empty"},
	{colCompletionEnd, "end-of-term completion left empty"},
	{colDIOG, "Did it Open Government left empty"},
	{colFirstPolicyArea, "policy areas left empty"},
	{colLastPolicyArea, "policy areas left empty"},
}

// header is the export's header row: where each named column is.
type header struct {
	names []string
	index map[string]int // normalised name → first column with it
	// width is one past the last named column: a shorter record lacks cells.
	width       int
	policyAreas []int
}

// parseHeader reads the header record. oneLine drops the UTF-8 byte order
// mark that spreadsheet programs put before the first name.
func parseHeader(rec []string) *header {
	h := &header{index: map[string]int{}}
	for i, name := range rec {
		name = oneLine(name)
		h.names = append(h.names, name)
		if name == "" {
			continue
		}
		h.width = i + 1
		if _, dup := h.index[headerKey(name)]; !dup {
			h.index[headerKey(name)] = i
		}
	}
	first, last := h.col(colFirstPolicyArea), h.col(colLastPolicyArea)
	if first >= 0 && last >= first {
		for i := first; i <= last; i++ {
			if h.names[i] != "" {
				h.policyAreas = append(h.policyAreas, i)
			}
		}
	}
	return h
}

// headerKey compares header names without case.
func headerKey(name string) string { return strings.ToLower(name) }

// col returns the index of the named column, or -1.
func (h *header) col(name string) int {
	if i, ok := h.index[headerKey(name)]; ok {
		return i
	}
	return -1
}

// missingRequired returns an error naming the required columns absent.
func (h *header) missingRequired() error {
	var missing []string
	for _, c := range requiredColumns {
		if h.col(c) < 0 {
			missing = append(missing, fmt.Sprintf("%q", c))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return bot.Errorf(bot.EINVALID, "the CSV has no %s column (is it OGP's commitment data export?)", strings.Join(missing, " or "))
}

// missingOptional reports, as problems on the header row, the columns the
// importer would read but cannot find.
func (h *header) missingOptional() []Problem {
	var out []Problem
	for _, c := range optionalColumns {
		if h.col(c.column) < 0 {
			out = append(out, Problem{Row: 1, Column: c.column, Message: "column not found; " + c.lost})
		}
	}
	if first, last := h.col(colFirstPolicyArea), h.col(colLastPolicyArea); first > last && last >= 0 {
		out = append(out, Problem{Row: 1, Column: colLastPolicyArea, Message: "comes before \"" + colFirstPolicyArea + "\"; policy areas left empty"})
	}
	return out
}

// row is one record of the export.
type row struct {
	n      int // as a spreadsheet numbers it
	fields []string
	h      *header
}

// raw returns the named cell trimmed, or "" when the column or cell is absent.
func (r row) raw(name string) string {
	i := r.h.col(name)
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

// value is raw with placeholders (NA, ND, NR, …) read as absent.
func (r row) value(name string) string {
	v := r.raw(name)
	if isPlaceholder(v) {
		return ""
	}
	return v
}

// blank reports whether every cell of r is empty, as in a spreadsheet's
// trailing rows.
func (r row) blank() bool {
	for _, f := range r.fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}
