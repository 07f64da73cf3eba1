package bot

// OpenFlag is what one member's latest answer on a commitment flags: its
// blocker and needs, each with the first period of the unbroken run of that
// member's answers that carried it. A later answer without a flag clears
// it; a note carries no flags and neither raises nor clears one. The store
// keeps these as the answers arrive.
type OpenFlag struct {
	CommitmentID string
	Member       Address
	Group        Group
	Organisation string
	Blockers     string
	// BlockersSince is the first period of the run; zero without a blocker.
	BlockersSince Period
	Needs         []Need
	NeedsSince    map[Need]Period
}

// Flagged reports whether the answer flags anything.
func (f OpenFlag) Flagged() bool { return f.Blockers != "" || len(f.Needs) > 0 }

// openFlagsOf reads one member's open flags from their updates of one
// commitment in period order, or reports false when nothing is flagged.
func openFlagsOf(history []*Update) (OpenFlag, bool) {
	var answers []*Update
	for _, u := range history {
		if u.Answered() {
			answers = append(answers, u)
		}
	}
	if len(answers) == 0 {
		return OpenFlag{}, false
	}
	u := answers[len(answers)-1]
	f := OpenFlag{CommitmentID: u.CommitmentID, Member: u.Member, Group: u.Group, Organisation: u.Organisation, Blockers: u.Blockers, Needs: u.Needs}
	if u.Blockers != "" {
		f.BlockersSince = runStart(answers, func(v *Update) bool { return v.Blockers == u.Blockers })
	}
	for _, n := range u.Needs {
		if f.NeedsSince == nil {
			f.NeedsSince = map[Need]Period{}
		}
		f.NeedsSince[n] = runStart(answers, func(v *Update) bool { return contains(v.Needs, n) })
	}
	return f, f.Flagged()
}

// runStart walks a member's answers back from the latest while has holds,
// and returns the period where the run began.
func runStart(answers []*Update, has func(*Update) bool) Period {
	var since Period
	for i := len(answers) - 1; i >= 0 && has(answers[i]); i-- {
		since = answers[i].Period
	}
	return since
}

// flagsOf lists c's open blockers and needs, in committee order, from the
// members' open flags; members no longer on the committee are left out.
func flagsOf(c *Commitment, open []OpenFlag) ([]Flag, []NeedFlag) {
	byMember := make(map[Address]*OpenFlag, len(open))
	for i := range open {
		byMember[open[i].Member] = &open[i]
	}
	var blockers []Flag
	needs := map[Need]*NeedFlag{}
	for _, m := range c.Committee {
		f := byMember[m.Who]
		if f == nil {
			continue
		}
		if f.Blockers != "" {
			blockers = append(blockers, Flag{Organisation: f.Organisation, Group: f.Group, Text: f.Blockers, Since: f.BlockersSince})
		}
		for _, n := range f.Needs {
			since := f.NeedsSince[n]
			nf := needs[n]
			if nf == nil {
				nf = &NeedFlag{Need: n, Since: since}
				needs[n] = nf
			}
			if !contains(nf.Organisations, f.Organisation) {
				nf.Organisations = append(nf.Organisations, f.Organisation)
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
