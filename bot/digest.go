package bot

import (
	"sort"
	"time"
)

// DigestInput is everything a digest is computed from.
type DigestInput struct {
	Forum  *Forum
	Period Period
	// Round is the forum's round for Period, nil if none was held.
	Round *Round
	// Updates holds the latest version of each member's update per period,
	// commitment and member, for every period up to and including Period.
	Updates []Update
	// Away is each member's effective away-until date.
	Away map[Address]Date
	// NextRound is when the next round opens; zero if unknown.
	NextRound time.Time
	// Only limits the digest to one commitment; empty means all.
	Only string
}

// DigestData is a computed digest, before rendering: the derived views of
// DESIGN.md §3 for one forum and period.
type DigestData struct {
	Forum       *Forum
	Period      Period
	Response    Participation
	Commitments []CommitmentDigest
	NextRound   time.Time
}

// Participation is the response rate of a round, overall and by group and
// organisation. Away members are excused, not missing.
type Participation struct {
	Overall Rate        `json:"overall"`
	Groups  []GroupRate `json:"groups"`
	Orgs    []OrgRate   `json:"organisations"`
}

// Rate counts answers against the members expected to answer.
type Rate struct {
	Answered int `json:"answered"`
	Expected int `json:"expected"`
	Excused  int `json:"excused"`
}

// Percent returns the share answered, rounded down; 0 when nobody was
// expected.
func (r Rate) Percent() int {
	if r.Expected == 0 {
		return 0
	}
	return r.Answered * 100 / r.Expected
}

// GroupRate is the rate of one stakeholder group.
type GroupRate struct {
	Group Group `json:"group"`
	Rate
}

// OrgRate is the rate of one organisation.
type OrgRate struct {
	Organisation string `json:"organisation"`
	Group        Group  `json:"group"`
	Rate
}

// CommitmentDigest is one commitment's part of a digest.
type CommitmentDigest struct {
	Commitment *Commitment
	// Views holds the government and civil-society views, then "other" if
	// that group has members.
	Views        []GroupView
	Disagreement bool
	// Overall is the median of every answer this period; Previous the same
	// for the period before. Both may be NoCompletion.
	Overall, Previous Completion
	// Stale means nobody answered this period; LastReported is the latest
	// period anyone did (zero if never).
	Stale        bool
	LastReported Period
	Milestones   MilestoneSummary
	Highlights   []Highlight
	Blockers     []Flag
	Needs        []NeedFlag
	Evidence     []string
	// Missing names who has not answered: organisations, or names when the
	// forum opts in.
	Missing []string
}

// Quiet reports whether the commitment has nothing to say this period: no
// answers and nothing open. Digests give quiet commitments one line.
func (c *CommitmentDigest) Quiet() bool {
	return c.Stale && len(c.Blockers) == 0 && len(c.Needs) == 0 &&
		len(c.Milestones.DueNow) == 0 && len(c.Milestones.Overdue) == 0
}

// Change compares Overall with Previous: +1 up, -1 down, 0 same; ok is false
// when either is missing or off the IRM's scale.
func (c *CommitmentDigest) Change() (delta int, ok bool) {
	a, ok1 := c.Overall.Rank()
	b, ok2 := c.Previous.Rank()
	if !ok1 || !ok2 {
		return 0, false
	}
	return cmpInt(a, b), true
}

// GroupView is one stakeholder group's view of a commitment's completion.
type GroupView struct {
	Group      Group
	Completion Completion
	Answers    int
	// Period is the period the view comes from; Stale when it is earlier than
	// the digest's.
	Period Period
	Stale  bool
}

// MilestoneSummary is the state of a commitment's milestones at a period.
type MilestoneSummary struct {
	Total    int
	Done     int
	DueByNow int
	DueNow   []Milestone
	Overdue  []Milestone
	// DoneIn is the first period each milestone was reported done.
	DoneIn map[string]Period
}

// Highlight is a progress note from this period.
type Highlight struct {
	Organisation string `json:"organisation"`
	Group        Group  `json:"group"`
	Text         string `json:"text"`
}

// Flag is an open blocker: reported and not cleared by a later update.
type Flag struct {
	Organisation string `json:"organisation"`
	Group        Group  `json:"group"`
	Text         string `json:"text"`
	Since        Period `json:"since"`
}

// NeedFlag is an open need and who flagged it.
type NeedFlag struct {
	Need          Need     `json:"need"`
	Organisations []string `json:"organisations"`
	Since         Period   `json:"since"`
}

// BuildDigest computes a digest from stored updates.
func BuildDigest(in DigestInput) DigestData {
	f := in.Forum
	d := DigestData{Forum: f, Period: in.Period, NextRound: in.NextRound}
	// Work on pointers: a forum's history is tens of thousands of updates.
	byCommitment := make(map[string][]*Update, len(f.Plan.Commitments))
	answered := map[Address]bool{}
	for i := range in.Updates {
		u := &in.Updates[i]
		if u.Period.Compare(in.Period) > 0 || (in.Only != "" && u.CommitmentID != in.Only) {
			continue
		}
		byCommitment[u.CommitmentID] = append(byCommitment[u.CommitmentID], u)
		if u.Period == in.Period {
			answered[u.Member] = true
		}
	}
	excused := excusedMembers(f, in)
	d.Response = participation(f, answered, excused)
	for i := range f.Plan.Commitments {
		c := &f.Plan.Commitments[i]
		if in.Only != "" && c.ID != in.Only {
			continue
		}
		d.Commitments = append(d.Commitments, digestCommitment(f, c, in.Period, byCommitment[c.ID], excused))
	}
	return d
}

// excusedMembers returns the members away for the whole of the round: away
// until at least the day it closes (or the period's last day).
func excusedMembers(f *Forum, in DigestInput) map[Address]bool {
	last := in.Period.Last()
	if in.Round != nil {
		last = DateOf(in.Round.ClosesAt.In(f.Location))
	}
	out := map[Address]bool{}
	for who, until := range in.Away {
		if !until.Before(last) {
			out[who] = true
		}
	}
	return out
}

func participation(f *Forum, answered, excused map[Address]bool) Participation {
	var p Participation
	groups := map[Group]*Rate{}
	orgs := map[string]*OrgRate{}
	var orgOrder []string
	for _, m := range f.Members() {
		if groups[m.Group] == nil {
			groups[m.Group] = &Rate{}
		}
		if orgs[m.Organisation] == nil {
			orgs[m.Organisation] = &OrgRate{Organisation: m.Organisation, Group: m.Group}
			orgOrder = append(orgOrder, m.Organisation)
		}
		for _, r := range []*Rate{&p.Overall, groups[m.Group], &orgs[m.Organisation].Rate} {
			switch {
			case excused[m.Who] && !answered[m.Who]:
				r.Excused++
			case answered[m.Who]:
				r.Answered++
				r.Expected++
			default:
				r.Expected++
			}
		}
	}
	for _, g := range Groups {
		if r := groups[g]; r != nil {
			p.Groups = append(p.Groups, GroupRate{Group: g, Rate: *r})
		}
	}
	for _, o := range orgOrder {
		p.Orgs = append(p.Orgs, *orgs[o])
	}
	return p
}

func digestCommitment(f *Forum, c *Commitment, p Period, us []*Update, excused map[Address]bool) CommitmentDigest {
	byPeriod := func(i, j int) bool { return us[i].Period.Compare(us[j].Period) < 0 }
	if !sort.SliceIsSorted(us, byPeriod) { // the store returns them sorted
		sort.SliceStable(us, byPeriod)
	}
	cd := CommitmentDigest{Commitment: c}
	var current, previous []*Update
	byMember := make(map[Address][]*Update, len(c.Committee))
	for _, u := range us {
		switch u.Period {
		case p:
			current = append(current, u)
		case p.Prev():
			previous = append(previous, u)
		}
		byMember[u.Member] = append(byMember[u.Member], u)
		if cd.LastReported.Compare(u.Period) < 0 {
			cd.LastReported = u.Period
		}
	}
	cd.Stale = len(current) == 0
	cd.Overall = median(current)
	cd.Previous = median(previous)
	cd.Views = groupViews(c, p, us)
	cd.Disagreement = disagree(cd.Views)
	cd.Milestones = milestones(c, p, us)
	cd.Blockers, cd.Needs = openFlags(c, byMember)
	for _, u := range current {
		for _, text := range []string{u.Progress, u.Note} {
			if text != "" {
				cd.Highlights = append(cd.Highlights, Highlight{Organisation: u.Organisation, Group: u.Group, Text: text})
			}
		}
		for _, link := range u.Evidence {
			if !contains(cd.Evidence, link) {
				cd.Evidence = append(cd.Evidence, link)
			}
		}
	}
	answered := map[Address]bool{}
	for _, u := range current {
		answered[u.Member] = true
	}
	for _, m := range c.Committee {
		if answered[m.Who] || excused[m.Who] {
			continue
		}
		name := m.Organisation
		if f.ShowNames {
			name = m.Name
		}
		if !contains(cd.Missing, name) {
			cd.Missing = append(cd.Missing, name)
		}
	}
	return cd
}

// groupViews computes each group's view: the median of its answers this
// period, or, when it gave none, of its answers in the latest period it did.
func groupViews(c *Commitment, p Period, us []*Update) []GroupView {
	present := map[Group]bool{Government: true, CivilSociety: true}
	for _, m := range c.Committee {
		present[m.Group] = true
	}
	var views []GroupView
	for _, g := range Groups {
		if !present[g] {
			continue
		}
		v := GroupView{Group: g}
		for i := len(us) - 1; i >= 0; i-- {
			if us[i].Group == g && us[i].Completion != NoCompletion {
				v.Period = us[i].Period
				break
			}
		}
		if !v.Period.IsZero() {
			var same []*Update
			for _, u := range us {
				if u.Group == g && u.Period == v.Period && u.Completion != NoCompletion {
					same = append(same, u)
				}
			}
			v.Completion, v.Answers, v.Stale = median(same), len(same), v.Period != p
		}
		views = append(views, v)
	}
	return views
}

// median returns the median completion of us on the IRM's scale, the lower
// of the two middle ones for an even count. When no answer is on the scale,
// it returns the most frequent off-scale answer (Withdrawn, No Evidence).
func median(us []*Update) Completion {
	var ranks []int
	off := map[Completion]int{}
	for _, u := range us {
		if r, ok := u.Completion.Rank(); ok {
			ranks = append(ranks, r)
		} else if u.Completion != NoCompletion {
			off[u.Completion]++
		}
	}
	if len(ranks) > 0 {
		sort.Ints(ranks)
		return Completions[ranks[(len(ranks)-1)/2]]
	}
	best := NoCompletion
	for _, c := range Completions {
		if off[c] > off[best] {
			best = c
		}
	}
	return best
}

func disagree(views []GroupView) bool {
	var gov, cs *GroupView
	for i := range views {
		switch views[i].Group {
		case Government:
			gov = &views[i]
		case CivilSociety:
			cs = &views[i]
		}
	}
	if gov == nil || cs == nil {
		return false
	}
	a, ok1 := gov.Completion.Rank()
	b, ok2 := cs.Completion.Rank()
	return ok1 && ok2 && (a-b >= 2 || b-a >= 2)
}

// milestones summarises a commitment's milestones at period p from its
// updates in period order.
func milestones(c *Commitment, p Period, us []*Update) MilestoneSummary {
	s := MilestoneSummary{Total: len(c.Milestones), DoneIn: map[string]Period{}}
	for _, u := range us {
		for _, id := range u.MilestonesDone {
			if _, seen := s.DoneIn[id]; !seen {
				s.DoneIn[id] = u.Period
			}
		}
	}
	first, last := p.First(), p.Last()
	for _, m := range c.Milestones {
		_, isDone := s.DoneIn[m.ID]
		if isDone {
			s.Done++
		}
		if m.Due.IsZero() {
			continue
		}
		if !last.Before(m.Due) {
			s.DueByNow++
		}
		switch {
		case m.Due.Period() == p && !isDone:
			s.DueNow = append(s.DueNow, m)
		case m.Due.Before(first) && !isDone:
			s.Overdue = append(s.Overdue, m)
		}
	}
	return s
}

// openFlags returns the blockers and needs in each member's latest update;
// a later update without them clears them. Since is the first period of the
// unbroken run of updates that carried the same flag. byMember holds each
// member's updates in period order.
func openFlags(c *Commitment, byMember map[Address][]*Update) ([]Flag, []NeedFlag) {
	var blockers []Flag
	needs := map[Need]*NeedFlag{}
	for _, m := range c.Committee {
		mine := byMember[m.Who]
		if len(mine) == 0 {
			continue
		}
		u := mine[len(mine)-1]
		if u.Blockers != "" {
			since := flagSince(mine, func(v *Update) bool { return v.Blockers == u.Blockers })
			blockers = append(blockers, Flag{Organisation: u.Organisation, Group: u.Group, Text: u.Blockers, Since: since})
		}
		for _, n := range u.Needs {
			since := flagSince(mine, func(v *Update) bool { return contains(v.Needs, n) })
			nf := needs[n]
			if nf == nil {
				nf = &NeedFlag{Need: n, Since: since}
				needs[n] = nf
			}
			if !contains(nf.Organisations, u.Organisation) {
				nf.Organisations = append(nf.Organisations, u.Organisation)
			}
			if since.Compare(nf.Since) < 0 {
				nf.Since = since
			}
		}
	}
	var out []NeedFlag
	for _, n := range Needs {
		if nf := needs[n]; nf != nil {
			out = append(out, *nf)
		}
	}
	return blockers, out
}

// flagSince walks one member's updates back from the latest while has
// holds, and returns the period where the run began.
func flagSince(mine []*Update, has func(*Update) bool) Period {
	var since Period
	for i := len(mine) - 1; i >= 0 && has(mine[i]); i-- {
		since = mine[i].Period
	}
	return since
}
