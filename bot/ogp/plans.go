package ogp

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
)

// A forum follows one action plan, and its rounds, digests and reports are
// about that plan: the importer never merges plans. When the rows hold
// several and none was chosen, it lists them instead of guessing.

// planRows are the rows of one action plan, in file order.
type planRows struct {
	id         string // as the file writes it; "" for rows naming no plan
	rows       []row
	localities distinct
	numbers    distinct // "Action Plan Number": 1, 2, …
}

func (p *planRows) add(r row, locality string) {
	p.rows = append(p.rows, r)
	p.localities.add(locality)
	p.numbers.add(oneLine(r.value(colPlanNumber)))
}

// PlanSummary describes one action plan found in the export, for a person
// choosing which to import.
type PlanSummary struct {
	// ID is the plan's "Action Plan ID", or "" for rows that name none.
	ID string
	// Locality is the plan's "Country/Locality".
	Locality string
	// Commitments counts the plan's rows.
	Commitments int
	// Start and End span the dates of its commitments (YYYY-MM-DD), or
	// are "" when they give none.
	Start, End string
}

// String formats p on one line, e.g.
//
//	AP_GBSC02  Scotland, United Kingdom  1 commitment  2018-12-01 to 2020-12-31
func (p PlanSummary) String() string {
	id := p.ID
	if id == "" {
		id = "(no " + colPlanID + ")"
	}
	dates := "no dates"
	if p.Start != "" || p.End != "" {
		dates = fmt.Sprintf("%s to %s", cmp.Or(p.Start, "?"), cmp.Or(p.End, "?"))
	}
	return fmt.Sprintf("%s  %s  %s  %s", id, cmp.Or(p.Locality, "(no locality)"),
		plural(p.Commitments, "commitment", "commitments"), dates)
}

// summaries describes the plans found, by locality, then start, then id.
func (imp *importer) summaries() []PlanSummary {
	var out []PlanSummary
	for _, p := range imp.plans {
		s := PlanSummary{ID: p.id, Locality: strings.Join(p.localities.list, "; "), Commitments: len(p.rows)}
		for _, r := range p.rows {
			var c config.CommitmentConfig
			r.dates(&c)
			s.Start, s.End = earlier(s.Start, c.Start), later(s.End, c.End)
		}
		if s.Start != "" && s.End != "" && s.End < s.Start {
			s.End = ""
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b PlanSummary) int {
		return cmp.Or(strings.Compare(matchKey(a.Locality), matchKey(b.Locality)),
			strings.Compare(a.Start, b.Start), strings.Compare(a.ID, b.ID))
	})
	return out
}

// earlier and later compare YYYY-MM-DD dates, which sort as strings; ""
// is no date.
func earlier(a, b string) string {
	if a == "" || (b != "" && b < a) {
		return b
	}
	return a
}

func later(a, b string) string { return max(a, b) }

// choose returns the action plan to import: the one opts.Plan names, or
// the only one found.
func (imp *importer) choose() (*planRows, error) {
	if imp.localityMatched == 0 {
		return nil, imp.noMatch()
	}
	if imp.opts.Plan != "" {
		for _, p := range imp.plans {
			if p.id != "" && strings.EqualFold(p.id, imp.opts.Plan) {
				return p, nil
			}
		}
		return nil, imp.noMatch()
	}
	var named []*planRows
	for _, p := range imp.plans {
		if p.id != "" {
			named = append(named, p)
		}
	}
	switch {
	case len(named) == 0:
		return imp.plans[0], nil
	case len(named) > 1:
		var ids []string
		for _, s := range imp.summaries() {
			if s.ID != "" {
				ids = append(ids, s.ID)
			}
		}
		return nil, bot.Errorf(bot.EINVALID, "the rows hold %d action plans, and a forum follows one: choose one by its %q (%s)",
			len(named), colPlanID, listSome(ids))
	}
	if unnamed := imp.planOf[""]; unnamed != nil {
		for _, r := range unnamed.rows {
			imp.report(Problem{Row: r.n, Column: colPlanID,
				Message: fmt.Sprintf("is empty where the other rows name %q; row skipped, as its plan is unknown", named[0].id)})
		}
	}
	return named[0], nil
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
		var ids []string
		for _, p := range imp.plans {
			if p.id != "" {
				ids = append(ids, p.id)
			}
		}
		return bot.Errorf(bot.EINVALID, "no row has %q %q; action plans %s: %s", colPlanID, imp.opts.Plan, where, listSome(ids))
	}
	return bot.Errorf(bot.EINVALID, "the CSV has no commitment rows")
}
