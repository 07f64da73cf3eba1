package site

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"forumbot/bot"
)

// schemaJSON is the JSON Schema of every data file; docs/OPENDATA.md
// describes it.
//
//go:embed schema.json
var schemaJSON []byte

// SchemaJSON returns the JSON Schema the data files follow.
func SchemaJSON() []byte { return append([]byte(nil), schemaJSON...) }

// The data files: what each page shows, as JSON and as CSV, in codes
// rather than words (levels in the IRM's English wording, groups and needs
// as the configuration spells them, periods as YYYY-MM). Every file names
// the licence of what it holds.

type licenceJSON struct {
	ID  string `json:"id"`
	URL string `json:"url"`
}

type forumRef struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Locale  string      `json:"locale"`
	Licence licenceJSON `json:"licence"`
	Contact string      `json:"contact,omitempty"`
}

type planJSON struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

type rateJSON struct {
	Answered int `json:"answered"`
	Expected int `json:"expected"`
	Excused  int `json:"excused"`
	Percent  int `json:"percent"`
}

type groupRateJSON struct {
	Group string `json:"group"`
	rateJSON
}

type orgRateJSON struct {
	Organisation string `json:"organisation"`
	Group        string `json:"group"`
	rateJSON
}

type responseJSON struct {
	Period  string          `json:"period"`
	Overall rateJSON        `json:"overall"`
	Groups  []groupRateJSON `json:"groups"`
	Orgs    []orgRateJSON   `json:"organisations,omitempty"`
}

type viewJSON struct {
	Group      string  `json:"group"`
	Level      *string `json:"level"`
	Answers    int     `json:"answers"`
	Period     *string `json:"period"`
	Stale      bool    `json:"stale"`
	Previous   *string `json:"previous"`
	HasChanged bool    `json:"changed"`
}

type milestonesJSON struct {
	Total    int      `json:"total"`
	Done     int      `json:"done"`
	DueByNow int      `json:"due_by_now"`
	DueNow   []string `json:"due_now"`
	Overdue  []string `json:"overdue"`
}

type blockerJSON struct {
	Organisation string `json:"organisation"`
	Group        string `json:"group"`
	Since        string `json:"since"`
	Text         string `json:"text,omitempty"`
}

type needJSON struct {
	Need          string   `json:"need"`
	Organisations []string `json:"organisations"`
	Since         string   `json:"since"`
}

// cardJSON is a commitment as a digest of some period computes it.
type cardJSON struct {
	ID           string         `json:"id"`
	Title        string         `json:"title"`
	LeadAgency   string         `json:"lead_agency,omitempty"`
	Views        []viewJSON     `json:"views"`
	Disagreement bool           `json:"disagreement"`
	Stale        bool           `json:"stale"`
	LastReported *string        `json:"last_reported"`
	Milestones   milestonesJSON `json:"milestones"`
	Response     *rateJSON      `json:"response"`
	NotAnswered  []string       `json:"not_answered"`
	Blockers     []blockerJSON  `json:"blockers"`
	Needs        []needJSON     `json:"needs"`
	Evidence     []string       `json:"evidence,omitempty"`
}

type indexJSON struct {
	Kind   string           `json:"kind"`
	Forums []indexForumJSON `json:"forums"`
}

type indexForumJSON struct {
	forumRef
	Plan        planJSON      `json:"plan"`
	Commitments int           `json:"commitments"`
	AsOf        *string       `json:"as_of"`
	Response    *responseJSON `json:"response"`
}

type themesJSON struct {
	Kind        string      `json:"kind"`
	Values      []themeJSON `json:"values"`
	PolicyAreas []themeJSON `json:"policy_areas"`
	Forums      []forumRef  `json:"forums"`
}

type themeJSON struct {
	Name        string          `json:"name"`
	Commitments []themeItemJSON `json:"commitments"`
}

type themeItemJSON struct {
	Forum      string     `json:"forum"`
	Commitment string     `json:"commitment"`
	Title      string     `json:"title"`
	AsOf       *string    `json:"as_of"`
	Views      []viewJSON `json:"views"`
}

type forumJSON struct {
	Kind        string         `json:"kind"`
	Forum       forumRef       `json:"forum"`
	Plan        planJSON       `json:"plan"`
	AsOf        *string        `json:"as_of"`
	Response    *responseJSON  `json:"response"`
	Commitments []cardJSON     `json:"commitments"`
	Rounds      []responseJSON `json:"rounds"`
	Record      *recordJSON    `json:"record,omitempty"`
	// Questions counts the questions from the public by commitment, when
	// the forum takes them or any was asked.
	Questions []commitmentCountsJSON `json:"questions,omitempty"`
}

type recordJSON struct {
	Entries int64  `json:"entries"`
	Head    string `json:"head"`
}

type digestsJSON struct {
	Kind    string          `json:"kind"`
	Forum   forumRef        `json:"forum"`
	Digests []digestRefJSON `json:"digests"`
}

type digestRefJSON struct {
	Period   string       `json:"period"`
	ClosedAt string       `json:"closed_at"`
	Response responseJSON `json:"response"`
}

type digestJSON struct {
	Kind        string       `json:"kind"`
	Forum       forumRef     `json:"forum"`
	Period      string       `json:"period"`
	ClosedAt    string       `json:"closed_at"`
	Response    responseJSON `json:"response"`
	Commitments []cardJSON   `json:"commitments"`
}

type commitmentJSON struct {
	Kind       string         `json:"kind"`
	Forum      forumRef       `json:"forum"`
	Commitment commitmentInfo `json:"commitment"`
	AsOf       *string        `json:"as_of"`
	Latest     *cardJSON      `json:"latest"`
	IRM        *irmJSON       `json:"irm"`
	Timeline   []timelineJSON `json:"timeline"`
	Updates    []updateJSON   `json:"updates"`
	Questions  *questionsJSON `json:"questions,omitempty"`
}

type commitmentInfo struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Description string          `json:"description,omitempty"`
	LeadAgency  string          `json:"lead_agency,omitempty"`
	Supporting  []string        `json:"supporting_organisations"`
	Committee   []orgJSON       `json:"committee"`
	Values      []string        `json:"ogp_values"`
	PolicyAreas []string        `json:"policy_areas"`
	Start       string          `json:"start,omitempty"`
	End         string          `json:"end,omitempty"`
	URL         string          `json:"url,omitempty"`
	Milestones  []milestoneJSON `json:"milestones"`
}

type orgJSON struct {
	Organisation string `json:"organisation"`
	Group        string `json:"group"`
}

type milestoneJSON struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Start  string  `json:"start,omitempty"`
	Due    string  `json:"due,omitempty"`
	State  string  `json:"state"`
	DoneIn *string `json:"done_in"`
}

type irmJSON struct {
	ProgressReport         string     `json:"progress_report_period"`
	EndOfTerm              string     `json:"end_of_term_period"`
	ReportedProgressReport []viewJSON `json:"reported_progress_report"`
	ReportedEndOfTerm      []viewJSON `json:"reported_end_of_term"`
	IRMProgressReport      *string    `json:"irm_progress_report"`
	IRMEndOfTerm           *string    `json:"irm_end_of_term"`
	DidItOpenGovernment    string     `json:"did_it_open_government,omitempty"`
}

type timelineJSON struct {
	Period       string  `json:"period"`
	Government   *string `json:"government"`
	CivilSociety *string `json:"civil_society"`
}

type updateJSON struct {
	SubmittedAt    string   `json:"submitted_at"`
	Period         string   `json:"period"`
	Organisation   string   `json:"organisation"`
	Group          string   `json:"group"`
	Level          *string  `json:"level"`
	Version        int      `json:"version"`
	Correction     bool     `json:"correction"`
	Source         string   `json:"source"`
	MilestonesDone []string `json:"milestones_done"`
	Needs          []string `json:"needs"`
	HasBlocker     bool     `json:"has_blocker"`
	Progress       string   `json:"progress,omitempty"`
	Note           string   `json:"note,omitempty"`
	Blockers       string   `json:"blockers,omitempty"`
	NextSteps      string   `json:"next_steps,omitempty"`
	Evidence       []string `json:"evidence,omitempty"`
}

func strp(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func periodp(p bot.Period) *string {
	if p.IsZero() {
		return nil
	}
	return strp(p.String())
}

func dateStr(d bot.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func ref(pub *Forum) forumRef {
	f := pub.Forum
	return forumRef{ID: f.ID, Name: f.Name, Locale: f.Locale, Licence: licenceJSON{ID: pub.Licence, URL: pub.LicenceURL}, Contact: pub.Contact}
}

func planOf(p bot.Plan) planJSON {
	return planJSON{ID: p.ID, Title: p.Title, Start: dateStr(p.Start), End: dateStr(p.End)}
}

func rateOf(r bot.Rate) rateJSON {
	return rateJSON{Answered: r.Answered, Expected: r.Expected, Excused: r.Excused, Percent: r.Percent()}
}

func viewsOf(vs []bot.GroupView) []viewJSON {
	out := make([]viewJSON, len(vs))
	for i, v := range vs {
		// Changed as the digest and the page say it: not for a stale view,
		// nor between levels off the IRM's scale.
		delta, ok := v.Change()
		out[i] = viewJSON{Group: string(v.Group), Level: strp(string(v.Completion)), Answers: v.Answers, Period: periodp(v.Period),
			Stale: v.Stale, Previous: strp(string(v.Previous)), HasChanged: ok && delta != 0}
	}
	return out
}

func digestResponse(d *bot.DigestData) responseJSON {
	r := responseJSON{Period: d.Period.String(), Overall: rateOf(d.Response.Overall), Groups: []groupRateJSON{}}
	for _, g := range d.Response.Groups {
		r.Groups = append(r.Groups, groupRateJSON{Group: string(g.Group), rateJSON: rateOf(g.Rate)})
	}
	for _, o := range d.Response.Orgs {
		if o.Expected > 0 || o.Answered > 0 {
			r.Orgs = append(r.Orgs, orgRateJSON{Organisation: o.Organisation, Group: string(o.Group), rateJSON: rateOf(o.Rate)})
		}
	}
	return r
}

func periodResponse(pr bot.PeriodResponse) responseJSON {
	r := responseJSON{Period: pr.Period.String(), Overall: rateOf(pr.Overall), Groups: []groupRateJSON{}}
	for _, g := range pr.Groups {
		r.Groups = append(r.Groups, groupRateJSON{Group: string(g.Group), rateJSON: rateOf(g.Rate)})
	}
	return r
}

// cardOf is a commitment's part of a digest, publishing members' words
// and evidence only as pub allows.
func cardOf(pub *Forum, hasRound bool, c *bot.CommitmentDigest) cardJSON {
	cm := c.Commitment
	k := cardJSON{ID: cm.ID, Title: cm.Title, LeadAgency: cm.LeadAgency, Views: viewsOf(c.Views), Disagreement: c.Disagreement,
		Stale: c.Stale, LastReported: periodp(c.LastReported), NotAnswered: []string{}, Blockers: []blockerJSON{}, Needs: []needJSON{}}
	m := c.Milestones
	k.Milestones = milestonesJSON{Total: m.Total, Done: m.Done, DueByNow: m.DueByNow, DueNow: []string{}, Overdue: []string{}}
	for _, ms := range m.DueNow {
		k.Milestones.DueNow = append(k.Milestones.DueNow, ms.ID)
	}
	for _, ms := range m.Overdue {
		k.Milestones.Overdue = append(k.Milestones.Overdue, ms.ID)
	}
	if hasRound {
		r := rateOf(c.Response)
		k.Response = &r
		k.NotAnswered = append(k.NotAnswered, c.MissingOrganisations...)
	}
	for _, b := range c.Blockers {
		bj := blockerJSON{Organisation: b.Organisation, Group: string(b.Group), Since: b.Since.String()}
		if pub.Text {
			bj.Text = bot.Sanitize(b.Text, 0, "")
		}
		k.Blockers = append(k.Blockers, bj)
	}
	for _, n := range c.Needs {
		k.Needs = append(k.Needs, needJSON{Need: string(n.Need), Organisations: n.Organisations, Since: n.Since.String()})
	}
	if pub.Evidence {
		k.Evidence = safeLinks(c.Evidence)
	}
	return k
}

// data writes the JSON or CSV file r names.
func (s *Site) data(ctx context.Context, st *state, r route) ([]byte, error) {
	doc, table, err := s.dataOf(ctx, st, r)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if r.ext == "json" {
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(true)
		enc.SetIndent("", " ")
		if err := enc.Encode(doc); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	w := csv.NewWriter(&b)
	for i, row := range table {
		if i > 0 {
			for j := range row {
				row[j] = bot.CSVSafe(row[j])
			}
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// dataOf builds the document of a data file and its CSV table, header
// first. Every CSV row ends with the licence of the forum it is from.
func (s *Site) dataOf(ctx context.Context, st *state, r route) (any, [][]string, error) {
	switch r.kind {
	case pageIndex:
		return s.indexData(ctx, st)
	case pageThemes:
		return s.themesData(ctx, st)
	}
	sn := r.forum
	d, err := s.load(ctx, sn)
	if err != nil {
		return nil, nil, err
	}
	pub := sn.pub
	lic := pub.Licence
	switch r.kind {
	case pageForum:
		doc := forumJSON{Kind: "forum", Forum: ref(pub), Plan: planOf(pub.Forum.Plan), AsOf: periodp(sn.asOf), Commitments: []cardJSON{}, Rounds: []responseJSON{},
			Questions: forumQuestionsJSON(sn)}
		if d.latest != nil {
			resp := digestResponse(d.latest)
			doc.Response = &resp
			for i := range d.latest.Commitments {
				doc.Commitments = append(doc.Commitments, cardOf(pub, d.latest.HasRound, &d.latest.Commitments[i]))
			}
			for _, pr := range d.report.Response {
				if _, closed := sn.closedRound(pr.Period); closed {
					doc.Rounds = append(doc.Rounds, periodResponse(pr))
				}
			}
			if c := d.latest.Chain; c.Entries > 0 {
				doc.Record = &recordJSON{Entries: int64(c.Entries), Head: c.Hash}
			}
		}
		return doc, cardsTable(doc.AsOf, doc.Commitments, lic), nil
	case pageDigests:
		doc := digestsJSON{Kind: "digests", Forum: ref(pub), Digests: []digestRefJSON{}}
		table := [][]string{{"period", "closed_at", "answered", "expected", "excused", "percent", "licence"}}
		for _, pr := range d.report.Response {
			round, closed := sn.closedRound(pr.Period)
			if !closed {
				continue
			}
			dr := digestRefJSON{Period: pr.Period.String(), ClosedAt: round.ClosedAt.UTC().Format(time.RFC3339), Response: periodResponse(pr)}
			doc.Digests = append(doc.Digests, dr)
			o := dr.Response.Overall
			table = append(table, []string{dr.Period, dr.ClosedAt, itoa(o.Answered), itoa(o.Expected), itoa(o.Excused), itoa(o.Percent), lic})
		}
		return doc, table, nil
	case pageDigest:
		dd, err := s.digest(ctx, sn, r.period)
		if err != nil {
			return nil, nil, err
		}
		round, _ := sn.closedRound(r.period)
		doc := digestJSON{Kind: "digest", Forum: ref(pub), Period: r.period.String(), ClosedAt: round.ClosedAt.UTC().Format(time.RFC3339), Response: digestResponse(dd), Commitments: []cardJSON{}}
		for i := range dd.Commitments {
			doc.Commitments = append(doc.Commitments, cardOf(pub, dd.HasRound, &dd.Commitments[i]))
		}
		return doc, cardsTable(strp(doc.Period), doc.Commitments, lic), nil
	case pageCommitment:
		return s.commitmentData(sn, d, r.commit)
	}
	return nil, nil, nil
}

// cardsTable is one row per commitment of a digest.
func cardsTable(asOf *string, cards []cardJSON, lic string) [][]string {
	table := [][]string{{"period", "commitment", "title", "lead_agency", "government", "government_period", "civil_society", "civil_society_period",
		"disagreement", "stale", "last_reported", "milestones_done", "milestones_total", "milestones_due_by_now", "milestones_overdue",
		"answered", "expected", "excused", "open_blockers", "licence"}}
	for _, c := range cards {
		row := []string{deref(asOf), c.ID, c.Title, c.LeadAgency}
		for _, g := range []bot.Group{bot.Government, bot.CivilSociety} {
			level, period := "", ""
			for _, v := range c.Views {
				if v.Group == string(g) {
					level, period = deref(v.Level), deref(v.Period)
				}
			}
			row = append(row, level, period)
		}
		row = append(row, strconv.FormatBool(c.Disagreement), strconv.FormatBool(c.Stale), deref(c.LastReported),
			itoa(c.Milestones.Done), itoa(c.Milestones.Total), itoa(c.Milestones.DueByNow), itoa(len(c.Milestones.Overdue)))
		if c.Response != nil {
			row = append(row, itoa(c.Response.Answered), itoa(c.Response.Expected), itoa(c.Response.Excused))
		} else {
			row = append(row, "", "", "")
		}
		row = append(row, itoa(len(c.Blockers)), lic)
		table = append(table, row)
	}
	return table
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Site) indexData(ctx context.Context, st *state) (any, [][]string, error) {
	doc := indexJSON{Kind: "index", Forums: []indexForumJSON{}}
	table := [][]string{{"forum", "name", "locale", "plan", "commitments", "as_of", "answered", "expected", "percent", "licence", "contact"}}
	for _, sn := range st.order {
		d, err := s.load(ctx, sn)
		if err != nil {
			return nil, nil, err
		}
		f := sn.pub.Forum
		e := indexForumJSON{forumRef: ref(sn.pub), Plan: planOf(f.Plan), Commitments: len(f.Plan.Commitments), AsOf: periodp(sn.asOf)}
		row := []string{f.ID, f.Name, f.Locale, f.Plan.ID, itoa(e.Commitments), deref(e.AsOf), "", "", ""}
		if d.latest != nil {
			r := digestResponse(d.latest)
			r.Orgs = nil
			e.Response = &r
			row[6], row[7], row[8] = itoa(r.Overall.Answered), itoa(r.Overall.Expected), itoa(r.Overall.Percent)
		}
		doc.Forums = append(doc.Forums, e)
		table = append(table, append(row, sn.pub.Licence, sn.pub.Contact))
	}
	return doc, table, nil
}

func (s *Site) themesData(ctx context.Context, st *state) (any, [][]string, error) {
	values, areas, by, err := s.themes(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	doc := themesJSON{Kind: "themes", Values: []themeJSON{}, PolicyAreas: []themeJSON{}, Forums: []forumRef{}}
	for _, sn := range st.order {
		doc.Forums = append(doc.Forums, ref(sn.pub))
	}
	table := [][]string{{"theme", "name", "forum", "commitment", "title", "as_of", "government", "civil_society", "licence"}}
	group := func(kind, name string, es []themeEntry) themeJSON {
		g := themeJSON{Name: name, Commitments: []themeItemJSON{}}
		for _, e := range es {
			it := themeItemJSON{Forum: e.sn.pub.Forum.ID, Commitment: e.c.ID, Title: e.c.Title, AsOf: periodp(e.sn.asOf), Views: []viewJSON{}}
			if e.cd != nil {
				it.Views = viewsOf(e.cd.Views)
			}
			g.Commitments = append(g.Commitments, it)
			row := []string{kind, name, it.Forum, it.Commitment, it.Title, deref(it.AsOf), "", ""}
			for _, v := range it.Views {
				switch v.Group {
				case string(bot.Government):
					row[6] = deref(v.Level)
				case string(bot.CivilSociety):
					row[7] = deref(v.Level)
				}
			}
			table = append(table, append(row, e.sn.pub.Licence))
		}
		return g
	}
	for _, v := range values {
		doc.Values = append(doc.Values, group("ogp_value", v, by["value:"+v]))
	}
	for _, a := range areas {
		doc.PolicyAreas = append(doc.PolicyAreas, group("policy_area", a, by["area:"+a]))
	}
	return doc, table, nil
}

func (s *Site) commitmentData(sn *snapshot, d *forumData, c *bot.Commitment) (any, [][]string, error) {
	pub := sn.pub
	info := commitmentInfo{ID: c.ID, Title: c.Title, Description: c.Description, LeadAgency: c.LeadAgency,
		Supporting: append([]string{}, c.SupportingOrganisations...), Committee: []orgJSON{}, Values: []string{}, PolicyAreas: append([]string{}, c.PolicyAreas...),
		Start: dateStr(c.Start), End: dateStr(c.End), URL: c.URL, Milestones: []milestoneJSON{}}
	seen := map[string]bool{}
	for _, g := range bot.Groups {
		for _, m := range c.Committee {
			if m.Group == g && !seen[m.Organisation] {
				seen[m.Organisation] = true
				info.Committee = append(info.Committee, orgJSON{Organisation: m.Organisation, Group: string(g)})
			}
		}
	}
	for _, v := range c.Values {
		info.Values = append(info.Values, string(v))
	}
	doc := commitmentJSON{Kind: "commitment", Forum: ref(pub), AsOf: periodp(sn.asOf), Timeline: []timelineJSON{}, Updates: []updateJSON{},
		Questions: commitmentQuestionsJSON(sn, c)}
	var ms *bot.MilestoneSummary
	if d.latest != nil {
		cd, cr := commitmentOf(d, c.ID)
		ms = &cd.Milestones
		k := cardOf(pub, d.latest.HasRound, cd)
		doc.Latest = &k
		if a := c.IRM; a != (bot.IRMAssessment{}) {
			doc.IRM = &irmJSON{ProgressReport: d.report.ProgressReportAt.String(), EndOfTerm: d.report.EndOfTermAt.String(),
				ReportedProgressReport: viewsOf(cr.AtProgressReport), ReportedEndOfTerm: viewsOf(cr.AtEndOfTerm),
				IRMProgressReport: strp(string(a.CompletionProgressReport)), IRMEndOfTerm: strp(string(a.CompletionEndOfTerm)), DidItOpenGovernment: string(a.DidItOpenGovernment)}
		}
		for _, p := range cr.Timeline {
			doc.Timeline = append(doc.Timeline, timelineJSON{Period: p.Period.String(), Government: strp(string(p.Government)), CivilSociety: strp(string(p.CivilSociety))})
		}
		us := append([]bot.Update(nil), cr.History...)
		sort.SliceStable(us, func(i, j int) bool { return us[i].SubmittedAt.Before(us[j].SubmittedAt) })
		for _, u := range us {
			uj := updateJSON{SubmittedAt: u.SubmittedAt.UTC().Format(time.RFC3339), Period: u.Period.String(), Organisation: u.Organisation, Group: string(u.Group),
				Version: u.Version, Correction: u.Correction, Source: string(u.Source), MilestonesDone: append([]string{}, u.MilestonesDone...), Needs: []string{},
				HasBlocker: strings.TrimSpace(u.Blockers) != ""}
			if u.Answered() {
				uj.Level = strp(string(u.Completion))
			}
			for _, n := range u.Needs {
				uj.Needs = append(uj.Needs, string(n))
			}
			if pub.Text {
				uj.Progress, uj.Note = bot.Sanitize(u.Progress, 0, ""), bot.Sanitize(u.Note, 0, "")
				uj.Blockers, uj.NextSteps = bot.Sanitize(u.Blockers, 0, ""), bot.Sanitize(u.NextSteps, 0, "")
			}
			if pub.Evidence {
				uj.Evidence = safeLinks(u.Evidence)
			}
			doc.Updates = append(doc.Updates, uj)
		}
	}
	for _, m := range c.Milestones {
		mj := milestoneJSON{ID: m.ID, Title: m.Title, Start: dateStr(m.Start), Due: dateStr(m.Due), State: milestoneState(c, ms, m)}
		if ms != nil {
			if p, ok := ms.DoneIn[m.ID]; ok {
				mj.DoneIn = periodp(p)
			}
		}
		info.Milestones = append(info.Milestones, mj)
	}
	doc.Commitment = info
	table := [][]string{{"commitment", "submitted_at", "period", "organisation", "group", "level", "version", "correction", "source",
		"milestones_done", "needs", "has_blocker", "progress", "note", "blockers", "next_steps", "evidence", "licence"}}
	for _, u := range doc.Updates {
		table = append(table, []string{c.ID, u.SubmittedAt, u.Period, u.Organisation, u.Group, deref(u.Level), itoa(u.Version), strconv.FormatBool(u.Correction),
			u.Source, strings.Join(u.MilestonesDone, " "), strings.Join(u.Needs, " "), strconv.FormatBool(u.HasBlocker),
			u.Progress, u.Note, u.Blockers, u.NextSteps, strings.Join(u.Evidence, " "), pub.Licence})
	}
	return doc, table, nil
}
