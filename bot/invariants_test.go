package bot_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"forumbot/bot"
)

var invariantForums = flag.Int("invariants", 0, "how many generated forums TestInvariants runs (default 200, 50 under -race); e.g. -invariants 5000")

// TestInvariants runs generated forums through the real engine, store and
// local chat, then holds every view to the same figures: for every period,
// each commitment's figures recomputed here from the export's rows equal
// the digest's, whole and for that commitment alone; the groups and the
// organisations add up to the totals; no organisation answered in full
// and is missing; the views equal the medians recomputed from the export;
// the report in its four formats, the status reply and the digest's JSON
// say the same.
func TestInvariants(t *testing.T) {
	n := *invariantForums
	if n == 0 {
		n = 200
		if raceDetector {
			n = 50
		}
	}
	for seed := range n {
		t.Run(strconv.Itoa(seed), func(t *testing.T) {
			t.Parallel()
			s := newSimulation(t, uint64(seed))
			s.run()
			checkInvariants(t, s)
		})
	}
}

// exportRow is one row of the CSV export, as the oracle reads it.
type exportRow struct {
	period, commitment, member, group, org, completion string
	version                                            int
}

// key names a member's update of a commitment in a period.
type key struct{ period, commitment, member string }

func readExport(t *testing.T, s *simulation) map[key]exportRow {
	t.Helper()
	us, err := s.h.store.Updates(s.h.ctx, bot.UpdateFilter{ForumID: s.forum.ID})
	if err != nil {
		t.Fatal(err)
	}
	var csvOut, jsonOut bytes.Buffer
	if err := bot.WriteUpdatesCSV(&csvOut, us); err != nil {
		t.Fatal(err)
	}
	if err := bot.WriteUpdatesJSON(&jsonOut, us); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&csvOut).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON []bot.ExportedUpdate
	if err := json.Unmarshal(jsonOut.Bytes(), &fromJSON); err != nil || len(fromJSON) != len(rows)-1 {
		t.Fatalf("JSON export: %d rows, CSV %d: %v", len(fromJSON), len(rows)-1, err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	latest := map[key]exportRow{}
	for i, r := range rows[1:] {
		v, _ := strconv.Atoi(r[col["version"]])
		row := exportRow{r[col["period"]], r[col["commitment"]], r[col["member"]], r[col["group"]], r[col["organisation"]], r[col["completion"]], v}
		if j := fromJSON[i]; j.Completion != row.completion || j.Member != row.member || j.Version != v {
			t.Errorf("export row %d: CSV %+v, JSON %+v", i, row, j)
		}
		k := key{row.period, row.commitment, row.member}
		if prev, ok := latest[k]; !ok || prev.version < v {
			latest[k] = row
		}
	}
	return latest
}

func checkInvariants(t *testing.T, s *simulation) {
	f, h := s.forum, s.h
	latest := readExport(t, s)
	rounds := h.rounds(f.ID)
	if len(rounds) == 0 {
		t.Fatal("no rounds")
	}
	digests := map[bot.Period]bot.DigestData{}
	for _, r := range rounds {
		d := mustDigest(t, h, r.Period, "")
		digests[r.Period] = d
		checkRound(t, s, r, d, latest)
		checkReducedReads(t, s, r.Period, d)
	}
	checkReport(t, s, rounds, digests)
	checkStatus(t, s, rounds, digests)
	checkQuestions(t, s, digests)
}

// checkQuestions holds the question counts of every digest and of the
// report, in its data and its words, to the tally of the stored
// questions: the one computation, as of now.
func checkQuestions(t *testing.T, s *simulation, digests map[bot.Period]bot.DigestData) {
	h := s.h
	qs, err := h.store.Questions(h.ctx, bot.QuestionFilter{ForumID: s.forum.ID})
	if err != nil {
		t.Fatal(err)
	}
	want := bot.TallyQuestions(qs, h.clock.Now())
	same := func(a, b bot.QuestionTally) bool { return fmt.Sprint(a) == fmt.Sprint(b) }
	for p, d := range digests {
		for _, c := range d.Commitments {
			if !same(c.Questions, want[c.Commitment.ID]) {
				t.Errorf("digest %s, %s: questions %+v, stored %+v", p, c.Commitment.ID, c.Questions, want[c.Commitment.ID])
			}
		}
	}
	r, err := h.eng.Report(h.ctx, s.forum, bot.Period{}, bot.Period{})
	if err != nil {
		t.Fatal(err)
	}
	var md bytes.Buffer
	tx := h.eng.Texts(s.forum.Locale)
	if err := bot.WriteReportMarkdown(&md, tx, r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Commitments {
		got := c.Latest.Questions
		if !same(got, want[c.Commitment.ID]) {
			t.Errorf("report, %s: questions %+v, stored %+v", c.Commitment.ID, got, want[c.Commitment.ID])
		}
		if got.Received > 0 && !strings.Contains(md.String(), bot.QuestionTallyText(tx, got)) {
			t.Errorf("the report's text lacks %s's tally %q", c.Commitment.ID, bot.QuestionTallyText(tx, got))
		}
	}
}

// checkRound recomputes the response of round r from the export and the
// simulation's own record of prompts and absences, and compares.
func checkRound(t *testing.T, s *simulation, r bot.Round, d bot.DigestData, latest map[key]exportRow) {
	f := s.forum
	asOf := r.ClosedAt
	if r.State == bot.RoundOpen {
		asOf = s.now
	}
	end := r.ClosesAt
	if r.State == bot.RoundClosed {
		end = r.ClosedAt
	}
	lastDay := bot.DateOf(end.In(f.Location))
	var total bot.Rate
	orgs := map[string]*bot.Rate{}
	for i, c := range f.Plan.Commitments {
		var want bot.Rate
		var missing []string
		for _, m := range c.Committee {
			row, ok := latest[key{r.Period.String(), c.ID, string(m.Who)}]
			answered := ok && row.completion != ""
			until := s.awayAsOf(m.Who, asOf)
			if until.IsZero() {
				until = m.AwayUntil
			}
			excused := !answered && !until.IsZero() && !until.Before(lastDay)
			_, prompted := s.promptOf(m.Who, r.Period)
			if orgs[m.Organisation] == nil {
				orgs[m.Organisation] = &bot.Rate{}
			}
			for _, rate := range []*bot.Rate{&want, orgs[m.Organisation]} {
				switch {
				case answered:
					rate.Answered++
					rate.Expected++
				case excused:
					rate.Excused++
				case prompted:
					rate.Expected++
					if rate == &want {
						missing = append(missing, missingName(f, m))
					}
				}
			}
		}
		total.Answered, total.Expected, total.Excused = total.Answered+want.Answered, total.Expected+want.Expected, total.Excused+want.Excused
		got := d.Commitments[i]
		if got.Response != want {
			t.Errorf("%s %s: digest %+v, recomputed from the export %+v", r.Period, c.ID, got.Response, want)
		}
		if g, w := strings.Join(got.Missing, "|"), strings.Join(dedupe(missing), "|"); g != w {
			t.Errorf("%s %s not answered: digest %q, recomputed %q", r.Period, c.ID, g, w)
		}
		one := mustDigest(t, s.h, r.Period, c.ID)
		if one.Response.Overall != want || one.Commitments[0].Response != want {
			t.Errorf("%s %s alone: %+v, want %+v", r.Period, c.ID, one.Response.Overall, want)
		}
		checkViews(t, s, r.Period, c, got, latest)
	}
	if d.Response.Overall != total {
		t.Errorf("%s overall: digest %+v, recomputed %+v", r.Period, d.Response.Overall, total)
	}
	var groups, orgSum bot.Rate
	for _, g := range d.Response.Groups {
		groups.Answered, groups.Expected, groups.Excused = groups.Answered+g.Answered, groups.Expected+g.Expected, groups.Excused+g.Excused
	}
	for _, o := range d.Response.Orgs {
		orgSum.Answered, orgSum.Expected, orgSum.Excused = orgSum.Answered+o.Answered, orgSum.Expected+o.Expected, orgSum.Excused+o.Excused
		if want := orgs[o.Organisation]; want == nil || *want != o.Rate {
			t.Errorf("%s %s: digest %+v, recomputed %+v", r.Period, o.Organisation, o.Rate, want)
		}
		inFull := o.Expected > 0 && o.Answered == o.Expected
		for _, c := range d.Commitments {
			if inFull && !f.ShowNames && slices.Contains(c.Missing, o.Organisation) {
				t.Errorf("%s: %s answered in full and is missing under %s", r.Period, o.Organisation, c.Commitment.ID)
			}
		}
	}
	if groups != total || orgSum != total {
		t.Errorf("%s: groups add up to %+v, organisations to %+v, total %+v", r.Period, groups, orgSum, total)
	}
}

// checkReducedReads compares the digest the engine built from its few
// indexed reads with the one built from every latest version of the
// forum's history: views, staleness, milestones, flags and notes must be
// the same.
func checkReducedReads(t *testing.T, s *simulation, p bot.Period, d bot.DigestData) {
	all, err := s.h.store.LatestUpdates(s.h.ctx, s.forum.ID, p)
	if err != nil {
		t.Fatal(err)
	}
	full := bot.BuildDigest(bot.DigestInput{Forum: s.forum, Period: p, Updates: all})
	for i := range full.Commitments {
		got, want := d.Commitments[i], full.Commitments[i]
		got.Response, got.Missing, got.MissingOrganisations = bot.Rate{}, nil, nil
		// The questions are not read from the updates: checkQuestions.
		got.Questions, got.OpenQuestions = bot.QuestionTally{}, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s: from the engine's reads\n%+v\nfrom the whole history\n%+v", p, want.Commitment.ID, got, want)
		}
	}
}

func missingName(f *bot.Forum, m bot.Member) string {
	if f.ShowNames {
		return m.Name
	}
	return m.Organisation
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// checkViews recomputes each group's view of c at p from the export: the
// lower median of the group's latest answers in the latest period, up to
// p, in which it answered.
func checkViews(t *testing.T, s *simulation, p bot.Period, c bot.Commitment, got bot.CommitmentDigest, latest map[key]exportRow) {
	for _, v := range got.Views {
		var when string
		var levels []string
		for k, row := range latest {
			if k.commitment != c.ID || row.group != string(v.Group) || row.completion == "" || k.period > p.String() {
				continue
			}
			switch {
			case k.period > when:
				when, levels = k.period, []string{row.completion}
			case k.period == when:
				levels = append(levels, row.completion)
			}
		}
		want := lowerMedian(levels)
		if string(v.Completion) != want || v.Period.String() != when || v.Answers != len(levels) || v.Stale != (when != "" && when != p.String()) {
			t.Errorf("%s %s %s view: %s from %s (%d answers, stale %v); recomputed %q from %q (%v)",
				p, c.ID, v.Group, v.Completion, v.Period, v.Answers, v.Stale, want, when, levels)
		}
		if rank, ok := v.Completion.Rank(); ok {
			lo, hi := 4, -1
			for _, l := range levels {
				if r, ok := bot.Completion(l).Rank(); ok {
					lo, hi = min(lo, r), max(hi, r)
				}
			}
			if rank < lo || rank > hi {
				t.Errorf("%s %s %s view %s outside its answers %v", p, c.ID, v.Group, v.Completion, levels)
			}
		}
	}
}

// lowerMedian is the oracle's median: the lower middle of the levels on
// the IRM's scale, or the most frequent off-scale level (the first in the
// IRM's order on a tie) when none is on it.
func lowerMedian(levels []string) string {
	var ranks []int
	off := map[string]int{}
	for _, l := range levels {
		if r, ok := bot.Completion(l).Rank(); ok {
			ranks = append(ranks, r)
		} else {
			off[l]++
		}
	}
	if len(ranks) > 0 {
		sort.Ints(ranks)
		return string(bot.Completions[ranks[(len(ranks)-1)/2]])
	}
	best, n := "", 0
	for _, c := range bot.Completions {
		if off[string(c)] > n {
			best, n = string(c), off[string(c)]
		}
	}
	return best
}

// checkReport holds the report, in its four formats, to the digests.
func checkReport(t *testing.T, s *simulation, rounds []bot.Round, digests map[bot.Period]bot.DigestData) {
	f, h := s.forum, s.h
	r, err := h.eng.Report(h.ctx, f, bot.Period{}, bot.Period{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range r.Response {
		d := digests[pr.Period]
		if pr.Overall != d.Response.Overall || fmt.Sprint(pr.Groups) != fmt.Sprint(d.Response.Groups) {
			t.Errorf("report %s: %+v %+v; digest %+v %+v", pr.Period, pr.Overall, pr.Groups, d.Response.Overall, d.Response.Groups)
		}
	}
	tx := h.eng.Texts(f.Locale)
	var md, page, js, cs bytes.Buffer
	for _, err := range []error{bot.WriteReportMarkdown(&md, tx, r), bot.WriteReportHTML(&page, tx, r), bot.WriteReportJSON(&js, r), bot.WriteReportCSV(&cs, r)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, pr := range r.Response {
		cell := fmt.Sprintf("%d/%d (%s)", pr.Overall.Answered, pr.Overall.Expected, tx.Percent(pr.Overall.Percent()))
		if pr.Overall.Expected == 0 {
			cell = "–"
		}
		if !strings.Contains(md.String(), cell) || !strings.Contains(page.String(), cell) {
			t.Errorf("report %s: markdown or HTML lacks %q", pr.Period, cell)
		}
	}
	var decoded struct {
		To       string
		Response []struct {
			Period  string
			Overall bot.Rate
		}
		Commitments []struct {
			ID     string
			Latest struct {
				Views []struct {
					Group, Completion, Period string
				}
				Response bot.Rate
			}
		}
	}
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil {
		t.Fatal(err)
	}
	for i, pr := range decoded.Response {
		if pr.Overall != r.Response[i].Overall {
			t.Errorf("JSON report %s: %+v, want %+v", pr.Period, pr.Overall, r.Response[i].Overall)
		}
	}
	at, ok := digests[r.To]
	if !ok {
		return
	}
	rows, err := csv.NewReader(&cs).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for i, c := range at.Commitments {
		jc := decoded.Commitments[i]
		if jc.Latest.Response != c.Response {
			t.Errorf("JSON report %s latest %+v, digest %+v", c.Commitment.ID, jc.Latest.Response, c.Response)
		}
		row := rows[i+1]
		if row[col["answered"]] != strconv.Itoa(c.Response.Answered) || row[col["expected"]] != strconv.Itoa(c.Response.Expected) {
			t.Errorf("CSV report %s: %s of %s, digest %+v", c.Commitment.ID, row[col["answered"]], row[col["expected"]], c.Response)
		}
		for j, v := range c.Views {
			if jv := jc.Latest.Views[j]; jv.Completion != string(v.Completion) || jv.Period != v.Period.String() {
				t.Errorf("JSON report %s %s: %+v, digest %+v", c.Commitment.ID, v.Group, jv, v)
			}
			if name := map[bot.Group]string{bot.Government: "government_latest", bot.CivilSociety: "civil_society_latest"}[v.Group]; name != "" &&
				(row[col[name]] != string(v.Completion) || row[col[name+"_period"]] != v.Period.String()) {
				t.Errorf("CSV report %s %s: %s (%s), digest %+v", c.Commitment.ID, v.Group, row[col[name]], row[col[name+"_period"]], v)
			}
		}
	}
}

// checkStatus asks for every commitment's status in chat and finds the
// digest's figures in it.
func checkStatus(t *testing.T, s *simulation, rounds []bot.Round, digests map[bot.Period]bot.DigestData) {
	f, h := s.forum, s.h
	d := digests[rounds[len(rounds)-1].Period]
	tx := h.eng.Texts(f.Locale)
	for _, c := range d.Commitments {
		resp, err := h.person("local:coord").Command(h.ctx, "status "+c.Commitment.ID)
		if err != nil || resp.Reply == nil {
			t.Fatalf("status %s: %v %+v", c.Commitment.ID, err, resp)
		}
		got := text(*resp.Reply)
		r := c.Response
		want := tx.T("digest.commitment.response", "Answered", r.Answered, "Expected", r.Expected, "Percent", tx.Percent(r.Percent()))
		if !strings.Contains(got, want) {
			t.Errorf("status %s lacks %q:\n%s", c.Commitment.ID, want, got)
		}
		whole := text(bot.RenderDigest(tx, d))
		for _, v := range c.Views {
			line := tx.Group(v.Group) + ": "
			if i := strings.Index(whole, c.Commitment.ID+" · "); i >= 0 && strings.Contains(got, line) {
				view := got[strings.Index(got, line)+len(line):]
				view = view[:strings.IndexByte(view+"\n", '\n')]
				if !strings.Contains(whole, view) {
					t.Errorf("status %s shows %s%s, which the digest does not", c.Commitment.ID, line, view)
				}
			} else {
				t.Errorf("status %s lacks the %s view", c.Commitment.ID, v.Group)
			}
		}
	}
}
