package bot

import (
	"sort"
	"time"
)

// digestInput is everything a digest is computed from.
type digestInput struct {
	Forum  *Forum
	Period Period
	// Round is the record of the round held in Period. Without one there
	// are no response figures: the engine refuses a digest of a period
	// with no round, and the status reply before the first round shows
	// the views only.
	Round *RoundRecord
	// Updates holds the latest version of each member's update per period,
	// commitment and member, for every period up to and including Period:
	// the digest summarises them. A digest read from the store gives Record
	// instead.
	Updates []Update
	// Record, when set, is the summary of the record through Period that
	// the store keeps as answers arrive; Updates is then not read.
	Record *Record
	// NextRound is when the next round opens; zero when no round will
	// (the plan is over) or it is unknown.
	NextRound time.Time
	// LastRound is the period of the forum's latest round, told when no
	// next round will open.
	LastRound Period
	// Only limits the digest to one commitment; empty means all.
	Only string
	// Undelivered counts the round's prompts the bot gave up on: members
	// who were expected but never got the question.
	Undelivered int
	// ByFallback counts the round's prompts that reached their member at
	// their fallback address (Member.Fallback) because their own platform
	// refused them.
	ByFallback int
}

// Record is what a forum's figures at a period are computed from, short of
// the whole history: the period's latest versions, the level counts, the
// open flags and the milestones done through the period.
type Record struct {
	// Current holds the latest version of each member's update of each
	// commitment in the period, answers and notes alike, in period order
	// and then the order stored.
	Current []Update
	// Counts holds the level counts of every period through the period
	// that the views need: the period, the one before, and each group's
	// latest period with answers.
	Counts []LevelCount
	// Flags holds each member's open flags per commitment.
	Flags []OpenFlag
	// Done holds, by commitment, the milestones reported done and the
	// first period each was.
	Done map[string]map[string]Period
}

// Summarise reads the Record of period p from every latest version through
// p, in period order: the definition the store's summary must equal.
func Summarise(latest []Update, p Period) Record {
	us := make([]*Update, 0, len(latest))
	for i := range latest {
		if latest[i].Period.Compare(p) <= 0 {
			us = append(us, &latest[i])
		}
	}
	return summarise(us, p)
}

// summarise is Summarise on pointers.
func summarise(us []*Update, p Period) Record {
	var r Record
	byPair := map[answerKey][]*Update{}
	var pairs []answerKey
	for _, u := range us {
		if u.Period == p {
			r.Current = append(r.Current, *u)
		}
		k := answerKey{u.CommitmentID, u.Member}
		if byPair[k] == nil {
			pairs = append(pairs, k)
		}
		byPair[k] = append(byPair[k], u)
	}
	r.Counts = countLevels(us)
	for _, k := range pairs {
		if f, ok := openFlagsOf(byPair[k]); ok {
			r.Flags = append(r.Flags, f)
		}
	}
	r.Done = doneMilestones(us)
	return r
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
	// Undelivered counts the round's prompts the bot gave up on.
	Undelivered int
	// ByFallback counts the round's prompts delivered at a member's
	// fallback address.
	ByFallback int
	// Chain is the forum's record chain as it stood when the digest was
	// made: publishing its head makes any later edit of the record outside
	// the bot evident (forumbot verify). Zero when not read.
	Chain ChainHead
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
	// MissingOrganisations lists the organisations of those members
	// whatever the forum's choice: what may be published.
	MissingOrganisations []string
	// Questions tallies the questions from the public on the commitment,
	// and OpenQuestions lists those approved and unanswered, as of when
	// the digest was made.
	Questions     QuestionTally
	OpenQuestions []OpenQuestion
}

// Quiet reports whether the commitment has nothing to say this period: no
// answers, no notes and nothing open. Digests give quiet commitments one
// line.
func (c *CommitmentDigest) Quiet() bool {
	return c.Stale && len(c.Highlights) == 0 && len(c.Blockers) == 0 && len(c.Needs) == 0 &&
		len(c.Milestones.DueNow) == 0 && len(c.Milestones.Overdue) == 0 && len(c.OpenQuestions) == 0
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

// buildDigest computes a digest from stored updates.
func buildDigest(in digestInput) DigestData {
	f := in.Forum
	d := DigestData{Forum: f, Period: in.Period, HasRound: in.Round != nil, NextRound: in.NextRound, LastRound: in.LastRound,
		Undelivered: in.Undelivered, ByFallback: in.ByFallback}
	var cs []*Commitment
	for i := range f.Plan.Commitments {
		if c := &f.Plan.Commitments[i]; in.Only == "" || c.ID == in.Only {
			cs = append(cs, c)
		}
	}
	rec := in.Record
	if rec == nil {
		var us []*Update
		for i := range in.Updates {
			if u := &in.Updates[i]; u.Period.Compare(in.Period) <= 0 && (in.Only == "" || u.CommitmentID == in.Only) {
				us = append(us, u)
			}
		}
		byPeriod := func(i, j int) bool { return us[i].Period.Compare(us[j].Period) < 0 }
		if !sort.SliceIsSorted(us, byPeriod) { // the store returns them sorted
			sort.SliceStable(us, byPeriod)
		}
		summary := summarise(us, in.Period)
		rec = &summary
	}
	current := make(map[answerKey]*Update, len(rec.Current))
	byCommitment := groupRecord(rec)
	of := func(id string) *commitmentRecord {
		if byCommitment[id] == nil {
			byCommitment[id] = &commitmentRecord{}
		}
		return byCommitment[id]
	}
	for i := range rec.Current {
		u := &rec.Current[i]
		current[answerKey{u.CommitmentID, u.Member}] = u
	}
	responses := map[string]commitmentResponse{}
	if in.Round != nil {
		d.Response, responses = participation(f, in.Round, cs, current)
	}
	d.Commitments = make([]CommitmentDigest, 0, len(cs))
	for _, c := range cs {
		cd := digestCommitment(c, in.Period, of(c.ID), rec.Done[c.ID])
		cr := responses[c.ID]
		cd.Response = cr.Rate
		for _, m := range cr.Missing {
			if !contains(cd.MissingOrganisations, m.Organisation) {
				cd.MissingOrganisations = append(cd.MissingOrganisations, m.Organisation)
			}
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

// commitmentRecord is one commitment's part of a Record.
type commitmentRecord struct {
	current []*Update
	counts  []LevelCount
	flags   []OpenFlag
}

// groupRecord splits a record by commitment, each part in the record's
// order. It counts first, so that each part is allocated once at its size:
// a big forum's record has tens of thousands of answers.
func groupRecord(rec *Record) map[string]*commitmentRecord {
	type sizes struct{ current, counts, flags int }
	n := map[string]*sizes{}
	size := func(id string) *sizes {
		s := n[id]
		if s == nil {
			s = &sizes{}
			n[id] = s
		}
		return s
	}
	for i := range rec.Current {
		size(rec.Current[i].CommitmentID).current++
	}
	for i := range rec.Counts {
		size(rec.Counts[i].CommitmentID).counts++
	}
	for i := range rec.Flags {
		size(rec.Flags[i].CommitmentID).flags++
	}
	out := make(map[string]*commitmentRecord, len(n))
	for id, s := range n {
		out[id] = &commitmentRecord{current: make([]*Update, 0, s.current), counts: make([]LevelCount, 0, s.counts), flags: make([]OpenFlag, 0, s.flags)}
	}
	for i := range rec.Current {
		r := out[rec.Current[i].CommitmentID]
		r.current = append(r.current, &rec.Current[i])
	}
	for _, lc := range rec.Counts {
		r := out[lc.CommitmentID]
		r.counts = append(r.counts, lc)
	}
	for _, fl := range rec.Flags {
		r := out[fl.CommitmentID]
		r.flags = append(r.flags, fl)
	}
	return out
}

// digestCommitment computes one commitment's views, milestones, notes and
// flags at period p from its record and the milestones reported done.
func digestCommitment(c *Commitment, p Period, rec *commitmentRecord, done map[string]Period) CommitmentDigest {
	cd := CommitmentDigest{Commitment: c}
	cd.Views, cd.LastReported = viewsFrom(c, p, rec.counts)
	cd.Stale = cd.LastReported != p
	cd.Disagreement = disagree(cd.Views)
	cd.Milestones = summariseMilestones(c, p, done)
	cd.Blockers, cd.Needs = flagsOf(c, rec.flags)
	texts := 0
	for _, u := range rec.current {
		if u.Progress != "" {
			texts++
		}
		if u.Note != "" {
			texts++
		}
	}
	if texts > 0 {
		cd.Highlights = make([]Highlight, 0, texts)
	}
	for _, u := range rec.current {
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
	first, last := p.First(), p.Last()
	for _, m := range c.Milestones {
		at, isDone := doneIn[m.ID]
		isDone = isDone && at.Compare(p) <= 0
		if isDone {
			s.DoneIn[m.ID] = at
		}
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
