// Package ogp imports the Open Government Partnership's commitment data
// export (the CSV of OGP's commitment database) into a forumbot
// configuration: one forum following one action plan, with a commitment per
// row and empty committees for the coordinator to fill in.
//
// It keeps what OGP published: the full commitment title beside the short
// one, dates in the export's formats, and the dated milestones of each
// commitment's table in "Full Text". It keeps out personal contact details,
// proposes the forum's locale and time zone from its country or locality
// for review, and never merges action plans: when the rows hold several, it
// lists them for the caller to choose one.
//
// Columns are found by header name, so exports that add or reorder columns
// still import. What the importer cannot use, or removes, is reported as a
// Problem by row and column; what it found, as a note; the rest of the file
// still imports.
package ogp

import (
	"fmt"
	"strings"
)

// Options selects which rows of the export to import.
type Options struct {
	// Locality keeps the rows whose "Country/Locality" contains it, case and
	// accents ignored; "" keeps every locality.
	Locality string
	// Plan keeps the rows whose "Action Plan ID" equals it, case ignored.
	// "" takes the one action plan among the rows; when they hold several,
	// the import stops and lists them rather than merge them.
	Plan string
}

// Problem is something in the CSV the importer could not use. Row is the
// record's row as a spreadsheet shows it (the header is row 1, the first
// commitment row 2), whatever line breaks quoted cells contain.
type Problem struct {
	Row    int
	Column string // the header name, or "" for the whole row
	Value  string // the cell's text, or "" when the cell is missing or empty
	// Message says what is wrong and what the importer did about it; it
	// reads as a sentence after the quoted Value.
	Message string
}

// maxShownValue bounds how much of a cell String quotes.
const maxShownValue = 60

// String formats p for a person, e.g.
//
//	row 17, column "Start Date": "Agust 2014" is not a date (formats understood: ...)
func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "row %d", p.Row)
	if p.Column != "" {
		fmt.Fprintf(&b, ", column %q", p.Column)
	}
	b.WriteString(": ")
	if p.Value != "" {
		fmt.Fprintf(&b, "%q ", truncate(p.Value, maxShownValue))
	}
	b.WriteString(p.Message)
	return b.String()
}
