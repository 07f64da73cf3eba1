package bot

import "sort"

// GroupView is one stakeholder group's view of a commitment's completion at
// a period. Government and civil society are always shown apart: there is
// no blended level, so neither can hide the other.
type GroupView struct {
	Group Group
	// Completion is the median of the group's answers in Period;
	// NoCompletion when the group has never answered.
	Completion Completion
	// Answers counts the answers the median was taken over.
	Answers int
	// Period is the period the view comes from: the view's own period, or
	// when the group did not answer then, the latest period it did.
	Period Period
	// Stale is true when Period is earlier than the period asked for.
	Stale bool
	// Previous is the group's view in the period just before the one asked
	// for, when the group answered then; NoCompletion otherwise.
	Previous Completion
}

// Reported reports whether the group has ever answered.
func (v GroupView) Reported() bool { return !v.Period.IsZero() }

// Change compares the view with the group's own view of the period before:
// +1 up, -1 down, 0 the same. ok is false unless the group answered in both
// periods with levels on the IRM's scale.
func (v GroupView) Change() (delta int, ok bool) {
	if v.Stale || !v.Reported() {
		return 0, false
	}
	a, ok1 := v.Completion.Rank()
	b, ok2 := v.Previous.Rank()
	if !ok1 || !ok2 {
		return 0, false
	}
	return cmpInt(a, b), true
}

// LevelCount is how many of the latest versions of one stakeholder group's
// answers give one completion level, for one commitment in one period: a
// group's view is the median of these counts. The store keeps them as the
// answers arrive.
type LevelCount struct {
	CommitmentID string
	Group        Group
	Period       Period
	Completion   Completion
	N            int
}

// Levels is a multiset of completion levels.
type Levels map[Completion]int

// countLevels counts the answers among the latest versions us, by
// commitment, group and period.
func countLevels(us []*Update) []LevelCount {
	type key struct {
		c string
		g Group
		p Period
		l Completion
	}
	n := map[key]int{}
	var order []key
	for _, u := range us {
		if !u.Answered() {
			continue
		}
		k := key{u.CommitmentID, u.Group, u.Period, u.Completion}
		if n[k] == 0 {
			order = append(order, k)
		}
		n[k]++
	}
	out := make([]LevelCount, len(order))
	for i, k := range order {
		out[i] = LevelCount{CommitmentID: k.c, Group: k.g, Period: k.p, Completion: k.l, N: n[k]}
	}
	return out
}

// viewsFrom computes each group's view of c at period p from the level
// counts of c's answers through p. The groups shown are government and
// civil society always, and other when the committee has such members.
// It also returns the latest period any group answered, zero if never.
func viewsFrom(c *Commitment, p Period, counts []LevelCount) ([]GroupView, Period) {
	present := map[Group]bool{Government: true, CivilSociety: true}
	for _, m := range c.Committee {
		present[m.Group] = true
	}
	latest := map[Group]Period{}
	var last Period
	for _, lc := range counts {
		if lc.Period.Compare(p) > 0 {
			continue
		}
		if latest[lc.Group].Compare(lc.Period) < 0 {
			latest[lc.Group] = lc.Period
		}
		if last.Compare(lc.Period) < 0 {
			last = lc.Period
		}
	}
	var views []GroupView
	for _, g := range Groups {
		if !present[g] {
			continue
		}
		v := GroupView{Group: g, Period: latest[g]}
		if v.Reported() {
			levels := levelsAt(counts, g, v.Period)
			v.Completion, v.Answers, v.Stale = levels.Median(), levels.Len(), v.Period != p
		}
		if !v.Stale {
			v.Previous = levelsAt(counts, g, p.Prev()).Median()
		}
		views = append(views, v)
	}
	return views, last
}

// levelsAt gathers the levels group g gave in period p.
func levelsAt(counts []LevelCount, g Group, p Period) Levels {
	out := Levels{}
	for _, lc := range counts {
		if lc.Group == g && lc.Period == p {
			out[lc.Completion] += lc.N
		}
	}
	return out
}

// Len counts the levels.
func (ls Levels) Len() int {
	n := 0
	for _, k := range ls {
		n += k
	}
	return n
}

// Median returns the median level on the IRM's scale; with an even count,
// the lower of the two middle levels, the cautious reading. Levels off the
// scale (Withdrawn, No Evidence Available) are left out when any level is
// on it; when none is, the most frequent of them is the median, the first
// in the IRM's order on a tie. It is NoCompletion for no levels.
func (ls Levels) Median() Completion {
	var ranks []int
	for l, k := range ls {
		if r, ok := l.Rank(); ok {
			for range k {
				ranks = append(ranks, r)
			}
		}
	}
	if len(ranks) > 0 {
		sort.Ints(ranks)
		return Completions[ranks[(len(ranks)-1)/2]]
	}
	best := NoCompletion
	for _, c := range Completions {
		if ls[c] > ls[best] {
			best = c
		}
	}
	return best
}

// disagree reports whether the government and civil-society views, as
// shown, are two levels or more apart on the IRM's scale.
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
