package bot

import (
	"sort"
	"time"
)

// ReportInput is what an implementation report is computed from.
type ReportInput struct {
	Forum *Forum
	// From and To bound the report, inclusive; zero means the plan's start
	// and end (or the latest period with data).
	From, To Period
	// Updates holds every stored version of the forum's updates: the
	// report's evidence is the full history.
	Updates []Update
	// Rounds are the forum's rounds with the members each prompted.
	Rounds []RoundPrompts
	// GeneratedAt stamps the report.
	GeneratedAt time.Time
}

// RoundPrompts is a round and who was asked to answer in it.
type RoundPrompts struct {
	Round    Round
	Prompted []Address
}

// Report is an implementation report of a forum's action plan over a span
// of periods, in the IRM's vocabulary.
type Report struct {
	Forum       *Forum
	From, To    Period
	GeneratedAt time.Time
	// ProgressReportAt and EndOfTermAt are the periods at which the forum's
	// own view of completion is read for comparison with the IRM: the
	// plan's midpoint and its end (capped at To).
	ProgressReportAt, EndOfTermAt Period
	Commitments                   []CommitmentReport
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
	// AtProgressReport and AtEndOfTerm are the forum's reported completion
	// (median of all latest answers) at those periods; NoCompletion when
	// nothing was reported by then.
	AtProgressReport, AtEndOfTerm Completion
	// Latest is the digest view at the report's last period.
	Latest     CommitmentDigest
	Milestones []MilestoneState
	// History is every stored version of every update, oldest first.
	History []Update
}

// TimelinePoint is a commitment's completion in one period, by group.
type TimelinePoint struct {
	Period       Period     `json:"period"`
	Government   Completion `json:"government"`
	CivilSociety Completion `json:"civil_society"`
	Overall      Completion `json:"overall"`
}

// MilestoneState is a milestone and when it was first reported done.
type MilestoneState struct {
	Milestone Milestone
	// DoneIn is the first period an update marked it done; zero if never.
	DoneIn Period
}

// BuildReport computes an implementation report.
func BuildReport(in ReportInput) Report {
	f := in.Forum
	from, to := reportSpan(in)
	r := Report{Forum: f, From: from, To: to, GeneratedAt: in.GeneratedAt}
	r.ProgressReportAt, r.EndOfTermAt = irmPeriods(f.Plan, from, to)
	latest := latestVersions(in.Updates, to)
	byCommitment := map[string][]Update{}
	for _, u := range in.Updates {
		if u.Period.Compare(from) >= 0 && u.Period.Compare(to) <= 0 {
			byCommitment[u.CommitmentID] = append(byCommitment[u.CommitmentID], u)
		}
	}
	for i := range f.Plan.Commitments {
		c := &f.Plan.Commitments[i]
		r.Commitments = append(r.Commitments, commitmentReport(f, c, r, latest, byCommitment[c.ID]))
	}
	r.Response = responseByRound(f, in.Rounds, latest, from, to)
	return r
}

// reportSpan defaults the span to the plan's dates (falling back to the
// periods that have data) and stops it at the current period when the
// plan is still running.
func reportSpan(in ReportInput) (from, to Period) {
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

// irmPeriods returns the midpoint and the end of the plan, capped to the
// report's span.
func irmPeriods(p Plan, from, to Period) (Period, Period) {
	start, end := from, to
	if !p.Start.IsZero() {
		start = p.Start.Period()
	}
	if !p.End.IsZero() {
		end = p.End.Period()
	}
	months := (end.Year-start.Year)*12 + int(end.Month) - int(start.Month)
	mid := start.Add(months / 2)
	if mid.Compare(to) > 0 {
		mid = to
	}
	if end.Compare(to) > 0 {
		end = to
	}
	return mid, end
}

// latestVersions keeps the latest version of each member's update per
// round and commitment, up to period to.
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

func commitmentReport(f *Forum, c *Commitment, r Report, latest, history []Update) CommitmentReport {
	var mine []Update
	for _, u := range latest {
		if u.CommitmentID == c.ID {
			mine = append(mine, u)
		}
	}
	cr := CommitmentReport{Commitment: c, History: history}
	periods := map[Period][]Update{}
	var order []Period
	for _, u := range mine {
		if u.Period.Compare(r.From) < 0 {
			continue
		}
		if _, ok := periods[u.Period]; !ok {
			order = append(order, u.Period)
		}
		periods[u.Period] = append(periods[u.Period], u)
	}
	for _, p := range order {
		us := periods[p]
		cr.Timeline = append(cr.Timeline, TimelinePoint{
			Period: p, Government: median(ofGroup(us, Government)), CivilSociety: median(ofGroup(us, CivilSociety)), Overall: median(pointers(us)),
		})
	}
	cr.AtProgressReport = completionAt(cr.Timeline, r.ProgressReportAt)
	cr.AtEndOfTerm = completionAt(cr.Timeline, r.EndOfTermAt)
	d := BuildDigest(DigestInput{Forum: f, Period: r.To, Updates: mine, Only: c.ID})
	cr.Latest = d.Commitments[0]
	for _, m := range c.Milestones {
		cr.Milestones = append(cr.Milestones, MilestoneState{Milestone: m, DoneIn: cr.Latest.Milestones.DoneIn[m.ID]})
	}
	return cr
}

func ofGroup(us []Update, g Group) []*Update {
	var out []*Update
	for i := range us {
		if us[i].Group == g {
			out = append(out, &us[i])
		}
	}
	return out
}

func pointers(us []Update) []*Update {
	out := make([]*Update, len(us))
	for i := range us {
		out[i] = &us[i]
	}
	return out
}

// completionAt returns the overall completion of the latest point at or
// before p.
func completionAt(tl []TimelinePoint, p Period) Completion {
	c := NoCompletion
	for _, pt := range tl {
		if pt.Period.Compare(p) <= 0 && pt.Overall != NoCompletion {
			c = pt.Overall
		}
	}
	return c
}

// responseByRound computes each round's response rate by group: members
// prompted in the round are expected; those who stored any update answered.
func responseByRound(f *Forum, rounds []RoundPrompts, latest []Update, from, to Period) []PeriodResponse {
	answered := map[int64]map[Address]bool{}
	for _, u := range latest {
		if answered[u.RoundID] == nil {
			answered[u.RoundID] = map[Address]bool{}
		}
		answered[u.RoundID][u.Member] = true
	}
	var out []PeriodResponse
	for _, rp := range rounds {
		p := rp.Round.Period
		if p.Compare(from) < 0 || p.Compare(to) > 0 {
			continue
		}
		pr := PeriodResponse{Period: p}
		groups := map[Group]*Rate{}
		for _, who := range rp.Prompted {
			m, ok := f.Member(who)
			if !ok {
				continue
			}
			if groups[m.Group] == nil {
				groups[m.Group] = &Rate{}
			}
			for _, rate := range []*Rate{&pr.Overall, groups[m.Group]} {
				rate.Expected++
				if answered[rp.Round.ID][who] {
					rate.Answered++
				}
			}
		}
		for _, g := range Groups {
			if r := groups[g]; r != nil {
				pr.Groups = append(pr.Groups, GroupRate{Group: g, Rate: *r})
			}
		}
		out = append(out, pr)
	}
	return out
}
