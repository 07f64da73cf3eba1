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

// viewsAt computes each group's view of c at period p from the latest
// version of each member's updates, through p, in period order. The groups
// shown are government and civil society always, and other when the
// committee has such members.
func viewsAt(c *Commitment, p Period, us []*Update) []GroupView {
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
			if us[i].Group == g && us[i].Answered() {
				v.Period = us[i].Period
				break
			}
		}
		if v.Reported() {
			same := groupAnswers(us, g, v.Period)
			v.Completion, v.Answers, v.Stale = median(same), len(same), v.Period != p
		}
		if !v.Stale {
			v.Previous = median(groupAnswers(us, g, p.Prev()))
		}
		views = append(views, v)
	}
	return views
}

// groupAnswers returns the answers of group g in period p.
func groupAnswers(us []*Update, g Group, p Period) []*Update {
	var out []*Update
	for _, u := range us {
		if u.Group == g && u.Period == p && u.Answered() {
			out = append(out, u)
		}
	}
	return out
}

// median returns the median completion of us on the IRM's scale; with an
// even count, the lower of the two middle levels, the cautious reading.
// Answers off the scale (Withdrawn, No Evidence Available) are left out
// when any answer is on it; when none is, the most frequent of them is the
// view.
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
