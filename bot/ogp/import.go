package ogp

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
)

// Result is what Read makes of an export.
type Result struct {
	// File holds one forum following one action plan, made of the rows
	// the options keep, in file order.
	File config.File
	// Problems are what the importer could not use, or removed.
	Problems []Problem
	// Notes say, for the person to review, what the importer found in
	// each imported row: how many milestones, or why none.
	Notes []Problem
	// Plans lists every action plan among the rows Options.Locality keeps,
	// for choosing one with Options.Plan. It is filled in even when Read
	// returns an error.
	Plans []PlanSummary
	// Proposals says, for each forum of File, where its locale and time
	// zone come from; pass them to Marshal to note them in the YAML.
	Proposals []Proposal
}

// Read reads OGP's commitment data export and returns a configuration
// holding one forum that follows one action plan: the plan Options.Plan
// names, or the only one among the rows Options.Locality keeps. Action
// plans are never merged: when the rows hold several and Options.Plan is
// empty, Read returns an error and lists them in Result.Plans.
//
// Cells the importer cannot use are returned as problems and left out; the
// import goes on. The error is an EINVALID *bot.Error when the file lacks a
// required column, no row matches the options, the rows hold several
// action plans and none was chosen, or no matching row is usable; the
// problems found so far are returned with it.
func Read(r io.Reader, opts Options) (Result, error) {
	opts.Locality, opts.Plan = strings.TrimSpace(opts.Locality), strings.TrimSpace(opts.Plan)
	cr := csv.NewReader(r)
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	first, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return Result{}, bot.Errorf(bot.EINVALID, "the CSV is empty")
	}
	if err != nil {
		return Result{}, fmt.Errorf("reading the CSV header: %w", err)
	}
	h := parseHeader(first)
	if err := h.checkColumns(opts); err != nil {
		return Result{}, err
	}
	imp := newImporter(h, opts)
	// With lazy quotes and any number of fields per record, the reader
	// fails only when r does: stray quotes and short rows reach imp.add.
	for n := 2; ; n++ {
		rec, err := cr.Read()
		switch {
		case errors.Is(err, io.EOF):
			return imp.finish()
		case err != nil:
			return Result{Problems: imp.problems}, fmt.Errorf("reading the CSV at row %d: %w", n, err)
		}
		imp.add(row{n: n, fields: rec, h: h})
	}
}

// Import is Read for callers that want only the configuration and the
// problems.
func Import(r io.Reader, opts Options) (config.File, []Problem, error) {
	res, err := Read(r, opts)
	return res.File, res.Problems, err
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

// importer sorts the rows it is given by action plan, then builds the
// commitments of the plan chosen.
type importer struct {
	h           *header
	opts        Options
	localityKey string // opts.Locality as matchKey compares it

	problems []Problem
	notes    []Problem
	// Of every row, for the error that says what the file holds when no
	// row matches the locality.
	allLocalities distinct
	// Rows passing the locality filter, by action plan in the order first
	// seen.
	plans           []*planRows
	planOf          map[string]*planRows
	localityMatched int
}

func newImporter(h *header, opts Options) *importer {
	return &importer{
		h:           h,
		opts:        opts,
		localityKey: matchKey(opts.Locality),
		problems:    h.missingOptional(),
		planOf:      map[string]*planRows{},
	}
}

func (imp *importer) report(p ...Problem) { imp.problems = append(imp.problems, p...) }

// add files one row under its action plan if it matches the locality.
func (imp *importer) add(r row) {
	if r.blank() {
		return
	}
	if msg := r.shapeProblem(); msg != "" {
		imp.report(Problem{Row: r.n, Message: msg})
		return
	}
	locality := oneLine(r.value(colLocality))
	imp.allLocalities.add(locality)
	if imp.localityKey != "" && !strings.Contains(matchKey(locality), imp.localityKey) {
		return
	}
	imp.localityMatched++
	id := oneLine(r.value(colPlanID))
	p := imp.planOf[id]
	if p == nil {
		p = &planRows{id: id}
		imp.planOf[id] = p
		imp.plans = append(imp.plans, p)
	}
	p.add(r, locality)
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

// finish chooses the action plan to import and builds its forum. Problems
// come in row order.
func (imp *importer) finish() (Result, error) {
	res, err := imp.build()
	slices.SortStableFunc(imp.problems, func(a, b Problem) int { return a.Row - b.Row })
	res.Problems, res.Notes = imp.problems, imp.notes
	return res, err
}

func (imp *importer) build() (Result, error) {
	res := Result{Plans: imp.summaries()}
	p, err := imp.choose()
	if err != nil {
		return res, err
	}
	commitments := imp.commitments(p)
	if len(commitments) == 0 {
		return res, bot.Errorf(bot.EINVALID,
			"none of the %d matching rows could be imported (%d problems)", len(p.rows), len(imp.problems))
	}
	file, proposal := imp.file(p, commitments)
	res.File, res.Proposals = file, []Proposal{proposal}
	return res, nil
}

// commitments builds the commitments of p's rows, skipping rows whose id
// is unusable or repeated.
func (imp *importer) commitments(p *planRows) []config.CommitmentConfig {
	var out []config.CommitmentConfig
	rowOfID := map[string]int{} // lower-cased id → row that first had it
	for _, r := range p.rows {
		id, problems := r.id()
		imp.report(problems...)
		if id == "" {
			continue
		}
		if first, dup := rowOfID[strings.ToLower(id)]; dup {
			imp.report(Problem{Row: r.n, Column: colID, Value: id, Message: fmt.Sprintf("repeats the id of row %d; row skipped", first)})
			continue
		}
		rowOfID[strings.ToLower(id)] = r.n
		c, problems, note := r.commitment(id)
		imp.report(problems...)
		imp.notes = append(imp.notes, note)
		out = append(out, c)
	}
	return out
}
