package ogp

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
)

// Import reads OGP's commitment data export and returns a configuration
// holding one forum that follows one action plan made of the rows opts
// keeps, in file order. Rows spanning several action plans still import,
// into one plan.
//
// Cells the importer cannot use are returned as problems and left out; the
// import goes on. The error is an EINVALID *bot.Error when the file lacks a
// required column, no row matches opts, or no matching row is usable; the
// problems found so far are returned with it.
func Import(r io.Reader, opts Options) (config.File, []Problem, error) {
	opts.Locality, opts.Plan = strings.TrimSpace(opts.Locality), strings.TrimSpace(opts.Plan)
	cr := csv.NewReader(r)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	first, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return config.File{}, nil, bot.Errorf(bot.EINVALID, "the CSV is empty")
	}
	if err != nil {
		return config.File{}, nil, fmt.Errorf("reading the CSV header: %w", err)
	}
	h := parseHeader(first)
	if err := h.checkColumns(opts); err != nil {
		return config.File{}, nil, err
	}
	imp := newImporter(h, opts)
	// With lazy quotes and any number of fields per record, the reader
	// fails only when r does: stray quotes and short rows reach imp.add.
	for n := 2; ; n++ {
		rec, err := cr.Read()
		switch {
		case errors.Is(err, io.EOF):
			return imp.file()
		case err != nil:
			return config.File{}, imp.problems, fmt.Errorf("reading the CSV at row %d: %w", n, err)
		}
		imp.add(row{n: n, fields: rec, h: h})
	}
}

// checkColumns returns an error naming a column the import cannot do
// without: a required one, or one that opts filters on.
func (h *header) checkColumns(opts Options) error {
	if err := h.missingRequired(); err != nil {
		return err
	}
	if opts.Locality != "" && h.col(colLocality) < 0 {
		return bot.Errorf(bot.EINVALID, "cannot filter by locality: the CSV has no %q column", colLocality)
	}
	if opts.Plan != "" && h.col(colPlanID) < 0 {
		return bot.Errorf(bot.EINVALID, "cannot filter by action plan: the CSV has no %q column", colPlanID)
	}
	return nil
}

// importer gathers the commitments of the rows it is given.
type importer struct {
	h           *header
	opts        Options
	localityKey string // opts.Locality as matchKey compares it

	problems    []Problem
	commitments []config.CommitmentConfig
	rowOfID     map[string]int // lower-cased id → row that first had it

	// Of every row, and of the rows matching the locality, for the error
	// that says what the file holds when nothing matches.
	allLocalities, allPlans distinct
	// Of the rows imported, to name the forum and the plan.
	localities, plans, planNumbers distinct
	// Rows passing the locality filter, and passing both filters.
	localityMatched, matched int
}

func newImporter(h *header, opts Options) *importer {
	return &importer{
		h:           h,
		opts:        opts,
		localityKey: matchKey(opts.Locality),
		problems:    h.missingOptional(),
		rowOfID:     map[string]int{},
	}
}

func (imp *importer) report(p ...Problem) { imp.problems = append(imp.problems, p...) }

// add imports one row if it matches the options and is usable.
func (imp *importer) add(r row) {
	if r.blank() {
		return
	}
	if msg := r.shapeProblem(); msg != "" {
		imp.report(Problem{Row: r.n, Message: msg})
		return
	}
	if !imp.matches(r) {
		return
	}
	imp.matched++
	id, problems := r.id()
	imp.report(problems...)
	if id == "" {
		return
	}
	if first, dup := imp.rowOfID[strings.ToLower(id)]; dup {
		imp.report(Problem{Row: r.n, Column: colID, Value: id, Message: fmt.Sprintf("repeats the id of row %d; row skipped", first)})
		return
	}
	imp.rowOfID[strings.ToLower(id)] = r.n
	c, problems := r.commitment(id)
	imp.report(problems...)
	imp.commitments = append(imp.commitments, c)
	imp.localities.add(oneLine(r.value(colLocality)))
	imp.plans.add(oneLine(r.value(colPlanID)))
	imp.planNumbers.add(oneLine(r.value(colPlanNumber)))
}

// shapeProblem says what is wrong with a record whose cells do not line up
// with the header, or returns "". Missing trailing cells and extra empty
// ones are harmless; anything else means the columns are shifted.
func (r row) shapeProblem() string {
	if len(r.fields) < r.h.width {
		return fmt.Sprintf("has %d cells where the header names %d columns; row skipped", len(r.fields), r.h.width)
	}
	for _, extra := range r.fields[min(len(r.fields), len(r.h.names)):] {
		if strings.TrimSpace(extra) != "" {
			return fmt.Sprintf("has %d cells where the header has %d; row skipped", len(r.fields), len(r.h.names))
		}
	}
	return ""
}

// matches reports whether r passes the options' filters, noting what the
// file holds on the way.
func (imp *importer) matches(r row) bool {
	locality := oneLine(r.value(colLocality))
	imp.allLocalities.add(locality)
	if imp.localityKey != "" && !strings.Contains(matchKey(locality), imp.localityKey) {
		return false
	}
	imp.localityMatched++
	plan := oneLine(r.value(colPlanID))
	imp.allPlans.add(plan)
	return imp.opts.Plan == "" || strings.EqualFold(plan, imp.opts.Plan)
}

// noMatch explains an import that kept no row, listing what the file holds.
func (imp *importer) noMatch() error {
	switch {
	case imp.localityKey != "" && imp.localityMatched == 0:
		return bot.Errorf(bot.EINVALID, "no row has a %q containing %q; localities in the file: %s",
			colLocality, imp.opts.Locality, listSome(imp.allLocalities.list))
	case imp.opts.Plan != "":
		where := "in the file"
		if imp.localityKey != "" {
			where = fmt.Sprintf("for %q", imp.opts.Locality)
		}
		return bot.Errorf(bot.EINVALID, "no row has %q %q; action plans %s: %s",
			colPlanID, imp.opts.Plan, where, listSome(imp.allPlans.list))
	}
	return bot.Errorf(bot.EINVALID, "the CSV has no commitment rows")
}
