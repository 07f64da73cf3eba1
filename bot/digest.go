package bot

import (
	"sort"
	"time"
)

// DigestInput is everything a digest is computed from.
type DigestInput struct {
	Forum  *Forum
	Period Period
	// Round is the record of the round held in Period. Without one there
	// are no response figures: the engine refuses a digest of a period
	// with no round, and the status reply before the first round shows
	// the views only.
	Round *RoundRecord
	// Updates holds the latest version of each member's update per period,
	// commitment and member, for every period up to and including Period.
	Updates []Update
	// NextRound is when the next round opens; zero when no round will
	// (the plan is over) or it is unknown.
	NextRound time.Time
	// LastRound is the period of the forum's latest round, told when no
	// next round will open.
	LastRound Period
	// Only limits the digest to one commitment; empty means all.
	Only string
	// Done holds, by commitment, the milestones reported done through
	// Period and the first period each was; nil means to read them from
	// Updates, which must then hold every period's latest versions.
	Done map[string]map[string]Period
}

// DigestData is a computed digest, before rendering: the figures of
// figures.go and the views of views.go for one forum and period.
type DigestData struct {
	Forum  *Forum
	Period Period
	// HasRound is false when no round was held in Period: Response is
	// then empty and nobody is listed as missing.
	HasRound bool
	// Response counts the answers owed to the commitments in the digest:
	// all of them, or the one asked for.
	Response    Participation
	Commitments []CommitmentDigest
	NextRound   time.Time
	LastRound   Period
}

// PlanOver reports whether no further round will open: the digest then
// says when the last one was instead of when the next one opens.
func (d *DigestData) PlanOver() bool {
	return d.NextRound.IsZero() && !d.Forum.Plan.End.IsZero() && !d.LastRound.IsZero()
}

// CommitmentDigest is one commitment's part of a digest.
type CommitmentDigest struct {
	Commitment *Commitment
	// Response counts this commitment's answers in the round.
	Response Rate
	// Views holds the government and civil-society views, then "other" if
	// that group has members.
	Views        []GroupView
	Disagreement bool
	// Stale means no answer with a level came this period; LastReported
	// is the latest period one did (zero if never).
	Stale        bool
	LastReported Period
	Milestones   MilestoneSummary
	Highlights   []Highlight
	Blockers     []Flag
	Needs        []NeedFlag
	Evidence     []string
	// Missing names who was expected and has not answered: organisations,
	// or names when the forum opts in.
	Missing []string
}

// Quiet reports whether the commitment has nothing to say this period: no
// answers, no notes and nothing open. Digests give quiet commitments one
// line.
func (c *CommitmentDigest) Quiet() bool {
	return c.Stale && len(c.Highlights) == 0 && len(c.Blockers) == 0 && len(c.Needs) == 0 &&
		len(c.Milestones.DueNow) == 0 && len(c.Milestones.Overdue) == 0
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
	d := DigestData{Forum: f, Period: in.Period, HasRound: in.Round != nil, NextRound: in.NextRound, LastRound: in.LastRound}
	var cs []*Commitment
	for i := range f.Plan.Commitments {
		if c := &f.Plan.Commitments[i]; in.Only == "" || c.ID == in.Only {
			cs = append(cs, c)
		}
	}
	// Work on pointers: a forum's history is tens of thousands of updates.
	byCommitment := make(map[string][]*Update, len(cs))
	current := map[answerKey]*Update{}
	for i := range in.Updates {
		u := &in.Updates[i]
		if u.Period.Compare(in.Period) > 0 || (in.Only != "" && u.CommitmentID != in.Only) {
			continue
		}
		byCommitment[u.CommitmentID] = append(byCommitment[u.CommitmentID], u)
		if u.Period == in.Period {
			current[answerKey{u.CommitmentID, u.Member}] = u
		}
	}
	responses := map[string]commitmentResponse{}
	if in.Round != nil {
		d.Response, responses = participation(f, in.Round, cs, current)
	}
	done := in.Done
	if done == nil {
		var all []*Update
		for _, c := range cs {
			all = append(all, byCommitment[c.ID]...)
		}
		done = doneMilestones(all)
	}
	for _, c := range cs {
		cd := digestCommitment(c, in.Period, byCommitment[c.ID], done[c.ID])
		cr := responses[c.ID]
		cd.Response = cr.Rate
		for _, m := range cr.Missing {
			name := m.Organisation
			if f.ShowNames {
				name = m.Name
			}
			if !contains(cd.Missing, name) {
				cd.Missing = append(cd.Missing, name)
			}
		}
		d.Commitments = append(d.Commitments, cd)
	}
	return d
}

// digestCommitment computes one commitment's views, milestones, notes and
// flags at period p from its latest update versions through p and the
// milestones reported done.
func digestCommitment(c *Commitment, p Period, us []*Update, done map[string]Period) CommitmentDigest {
	byPeriod := func(i, j int) bool { return us[i].Period.Compare(us[j].Period) < 0 }
	if !sort.SliceIsSorted(us, byPeriod) { // the store returns them sorted
		sort.SliceStable(us, byPeriod)
	}
	cd := CommitmentDigest{Commitment: c, Stale: true}
	byMember := make(map[Address][]*Update, len(c.Committee))
	for _, u := range us {
		byMember[u.Member] = append(byMember[u.Member], u)
		if !u.Answered() {
			continue
		}
		if cd.LastReported.Compare(u.Period) < 0 {
			cd.LastReported = u.Period
		}
		if u.Period == p {
			cd.Stale = false
		}
	}
	cd.Views = viewsAt(c, p, us)
	cd.Disagreement = disagree(cd.Views)
	cd.Milestones = summariseMilestones(c, p, done)
	cd.Blockers, cd.Needs = openFlags(c, byMember)
	for _, u := range us {
		if u.Period != p {
			continue
		}
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
	return cd
}

// doneMilestones returns, per commitment, the first period in which each
// milestone was reported done, from the latest update versions given. A
// milestone unticked in an edit is done only if another answer reports it.
func doneMilestones(us []*Update) map[string]map[string]Period {
	out := map[string]map[string]Period{}
	for _, u := range us {
		for _, id := range u.MilestonesDone {
			m := out[u.CommitmentID]
			if m == nil {
				m = map[string]Period{}
				out[u.CommitmentID] = m
			}
			if first, seen := m[id]; !seen || u.Period.Compare(first) < 0 {
				m[id] = u.Period
			}
		}
	}
	return out
}

// summariseMilestones states c's milestones at period p, given when each
// was first reported done. A milestone done is never due nor overdue.
func summariseMilestones(c *Commitment, p Period, doneIn map[string]Period) MilestoneSummary {
	s := MilestoneSummary{Total: len(c.Milestones), DoneIn: map[string]Period{}}
	for id, at := range doneIn {
		if at.Compare(p) <= 0 {
			s.DoneIn[id] = at
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
		case isDone:
		case m.Due.Period() == p:
			s.DueNow = append(s.DueNow, m)
		case m.Due.Before(first):
			s.Overdue = append(s.Overdue, m)
		}
	}
	return s
}

// openFlags returns the blockers and needs in each member's latest answer;
// a later answer without them clears them. Since is the first period of the
// unbroken run of answers that carried the same flag. byMember holds each
// member's updates in period order.
func openFlags(c *Commitment, byMember map[Address][]*Update) ([]Flag, []NeedFlag) {
	var blockers []Flag
	needs := map[Need]*NeedFlag{}
	for _, m := range c.Committee {
		var mine []*Update
		for _, u := range byMember[m.Who] {
			if u.Answered() { // a note carries no flags: it neither raises nor clears one
				mine = append(mine, u)
			}
		}
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
