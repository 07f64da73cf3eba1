package bot

import (
	"sort"
	"time"
)

// reportInput is what an implementation report is computed from.
type reportInput struct {
	Forum *Forum
	// From and To bound the report, inclusive; zero means the plan's start
	// and end (or the latest period with data).
	From, To Period
	// Updates holds every stored version of the forum's updates: the
	// report's evidence is the full history.
	Updates []Update
	// Rounds are the records of the forum's rounds: who was prompted and
	// who was away as each closed.
	Rounds []RoundRecord
	// GeneratedAt stamps the report and decides which of its columns are
	// still "so far".
	GeneratedAt time.Time
}

// Report is an implementation report of a forum's action plan over a span
// of periods, in the IRM's vocabulary.
type Report struct {
	Forum       *Forum
	From, To    Period
	GeneratedAt time.Time
	// ProgressReportAt and EndOfTermAt are the plan's midpoint and its end,
	// the periods at which the forum's views are set beside the IRM's
	// assessments.
	ProgressReportAt, EndOfTermAt Period
	// ProgressReportSoFar and EndOfTermSoFar are true when that moment had
	// not passed when the report was made, or lies after To: the column
	// then shows the views so far, as of To, never a final value.
	ProgressReportSoFar, EndOfTermSoFar bool
	Commitments                         []CommitmentReport
	// Response is the response rate of each round, by stakeholder group.
	Response []PeriodResponse
}

// PeriodResponse is one round's response rate.
type PeriodResponse struct {
	Period  Period      `json:"period"`
	Overall Rate        `json:"overall"`
	Groups  []GroupRate `json:"groups"`
}

// CommitmentReport is one commitment over the report's span.
type CommitmentReport struct {
	Commitment *Commitment
	// Timeline holds, per period with answers, the views of each group.
	Timeline []TimelinePoint
	// AtProgressReport and AtEndOfTerm are the groups' views as of those
	// periods (as of To when later), each with the month it comes from.
	AtProgressReport, AtEndOfTerm []GroupView
	// Latest is the digest view at the report's last period.
	Latest     CommitmentDigest
	Milestones []MilestoneState
	// History is every stored version of every update, oldest first.
	History []Update
}

// TimelinePoint is a commitment's completion in one period, by group: the
// median of the group's answers that period, NoCompletion when it gave
// none.
type TimelinePoint struct {
	Period       Period     `json:"period"`
	Government   Completion `json:"government"`
	CivilSociety Completion `json:"civil_society"`
}

// MilestoneState is a milestone and when it was first reported done.
type MilestoneState struct {
	Milestone Milestone
	// DoneIn is the first period an update marked it done; zero if never.
	DoneIn Period
}

// buildReport computes an implementation report.
func buildReport(in reportInput) Report {
	f := in.Forum
	from, to := reportSpan(in)
	r := Report{Forum: f, From: from, To: to, GeneratedAt: in.GeneratedAt}
	r.ProgressReportAt, r.EndOfTermAt = irmPeriods(f.Plan, from, to)
	today := DateOf(in.GeneratedAt.In(f.Location))
	r.ProgressReportSoFar = r.ProgressReportAt.Compare(to) > 0 || !r.ProgressReportAt.Last().Before(today)
	end := f.Plan.End
	if end.IsZero() {
		end = r.EndOfTermAt.Last()
	}
	r.EndOfTermSoFar = r.EndOfTermAt.Compare(to) > 0 || !end.Before(today)
	latest := latestVersions(in.Updates, to)
	var toRound *RoundRecord
	for i := range in.Rounds {
		if in.Rounds[i].Round.Period == to {
			toRound = &in.Rounds[i]
		}
	}
	digest := buildDigest(digestInput{Forum: f, Period: to, Round: toRound, Updates: latest})
	byCommitment := map[string][]Update{}
	for _, u := range in.Updates {
		if u.Period.Compare(from) >= 0 && u.Period.Compare(to) <= 0 {
			byCommitment[u.CommitmentID] = append(byCommitment[u.CommitmentID], u)
		}
	}
	for i := range f.Plan.Commitments {
		c := &f.Plan.Commitments[i]
		r.Commitments = append(r.Commitments, commitmentReport(c, r, latest, byCommitment[c.ID], digest.Commitments[i]))
	}
	r.Response = responseByRound(f, in.Rounds, latest, from, to)
	return r
}

// reportSpan defaults the span to the plan's dates (falling back to the
// periods that have data) and stops it at the current period when the
// plan is still running.
func reportSpan(in reportInput) (from, to Period) {
	var first, last Period
	for _, u := range in.Updates {
		if first.IsZero() || u.Period.Compare(first) < 0 {
			first = u.Period
		}
		if last.IsZero() || u.Period.Compare(last) > 0 {
			last = u.Period
		}
	}
	plan := in.Forum.Plan
	from = firstSet(in.From, plan.Start.Period(), first)
	to = firstSet(in.To, plan.End.Period(), last)
	if in.To.IsZero() && !in.GeneratedAt.IsZero() {
		if now := PeriodOf(in.GeneratedAt.In(in.Forum.Location)); now.Compare(from) >= 0 && now.Compare(to) < 0 {
			to = now
		}
	}
	return from, to
}

func firstSet(ps ...Period) Period {
	for _, p := range ps {
		if !p.IsZero() {
			return p
		}
	}
	return Period{}
}

// irmPeriods returns the plan's midpoint and its end; without plan dates,
// the report's span stands in.
func irmPeriods(p Plan, from, to Period) (Period, Period) {
	start, end := from, to
	if !p.Start.IsZero() {
		start = p.Start.Period()
	}
	if !p.End.IsZero() {
		end = p.End.Period()
	}
	months := (end.Year-start.Year)*12 + int(end.Month) - int(start.Month)
	return start.Add(months / 2), end
}

// latestVersions keeps the latest version of each member's update per
// round and commitment, up to period to, in period order.
func latestVersions(us []Update, to Period) []Update {
	type key struct {
		round      int64
		commitment string
		member     Address
	}
	best := map[key]Update{}
	for _, u := range us {
		if u.Period.Compare(to) > 0 {
			continue
		}
		k := key{u.RoundID, u.CommitmentID, u.Member}
		if b, ok := best[k]; !ok || u.Version > b.Version {
			best[k] = u
		}
	}
	out := make([]Update, 0, len(best))
	for _, u := range best {
		out = append(out, u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Period != out[j].Period {
			return out[i].Period.Compare(out[j].Period) < 0
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func commitmentReport(c *Commitment, r Report, latest, history []Update, at CommitmentDigest) CommitmentReport {
	var mine []*Update
	for i := range latest {
		if latest[i].CommitmentID == c.ID {
			mine = append(mine, &latest[i])
		}
	}
	cr := CommitmentReport{Commitment: c, History: history, Latest: at}
	var order []Period
	for _, u := range mine {
		if u.Period.Compare(r.From) >= 0 && u.Answered() && (len(order) == 0 || order[len(order)-1] != u.Period) {
			order = append(order, u.Period)
		}
	}
	counts := countLevels(mine)
	for _, p := range order {
		cr.Timeline = append(cr.Timeline, TimelinePoint{
			Period: p, Government: levelsAt(counts, Government, p).Median(), CivilSociety: levelsAt(counts, CivilSociety, p).Median(),
		})
	}
	cr.AtProgressReport, _ = viewsFrom(c, minPeriod(r.ProgressReportAt, r.To), counts)
	cr.AtEndOfTerm, _ = viewsFrom(c, minPeriod(r.EndOfTermAt, r.To), counts)
	for _, m := range c.Milestones {
		cr.Milestones = append(cr.Milestones, MilestoneState{Milestone: m, DoneIn: at.Milestones.DoneIn[m.ID]})
	}
	return cr
}

func minPeriod(a, b Period) Period {
	if a.Compare(b) < 0 {
		return a
	}
	return b
}

// responseByRound computes each round's response by group, with the same
// definition as the digest's.
func responseByRound(f *Forum, rounds []RoundRecord, latest []Update, from, to Period) []PeriodResponse {
	answers := map[int64]map[answerKey]*Update{}
	for i := range latest {
		u := &latest[i]
		if answers[u.RoundID] == nil {
			answers[u.RoundID] = map[answerKey]*Update{}
		}
		answers[u.RoundID][answerKey{u.CommitmentID, u.Member}] = u
	}
	cs := make([]*Commitment, len(f.Plan.Commitments))
	for i := range f.Plan.Commitments {
		cs[i] = &f.Plan.Commitments[i]
	}
	var out []PeriodResponse
	for i := range rounds {
		rec := &rounds[i]
		p := rec.Round.Period
		if p.Compare(from) < 0 || p.Compare(to) > 0 {
			continue
		}
		part, _ := participation(f, rec, cs, answers[rec.Round.ID])
		out = append(out, PeriodResponse{Period: p, Overall: part.Overall, Groups: part.Groups})
	}
	return out
}
