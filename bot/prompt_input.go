package bot

import "context"

// promptInput loads what member m's prompt of round r shows.
func (e *Engine) promptInput(ctx context.Context, f *Forum, r Round, m Member) (promptInput, error) {
	this, last, err := e.answersOf(ctx, f, r, m.Who)
	if err != nil {
		return promptInput{}, err
	}
	done, err := e.milestonesDone(ctx, f, r.Period, f.CommitmentsOf(m.Who))
	if err != nil {
		return promptInput{}, err
	}
	return promptInput{Forum: f, Round: r, Member: m, Answers: this, Last: last, Done: done}, nil
}

// answersOf returns a member's latest update per commitment in round r (an
// answer or a note), and their latest answer with a level per commitment
// from earlier periods. It reads the member's own rows only.
func (e *Engine) answersOf(ctx context.Context, f *Forum, r Round, who Address) (this, last map[string]Update, err error) {
	us, err := e.store.Updates(ctx, UpdateFilter{Member: who, RoundID: r.ID})
	if err != nil {
		return nil, nil, err
	}
	this, last = map[string]Update{}, map[string]Update{}
	for _, u := range us {
		if prev, ok := this[u.CommitmentID]; !ok || prev.Version < u.Version {
			this[u.CommitmentID] = u
		}
	}
	var ids []string
	for _, c := range f.CommitmentsOf(who) {
		ids = append(ids, c.ID)
	}
	if len(ids) == 0 {
		return this, last, nil
	}
	before, err := e.store.Standing(ctx, AnswerFilter{ForumID: f.ID, Commitments: ids, Member: who}, r.Period.Prev())
	if err != nil {
		return nil, nil, err
	}
	for _, u := range before {
		last[u.CommitmentID] = u
	}
	return this, last, nil
}

// milestonesDone returns, for each of cs, the milestones reported done by
// period p and the period each first was.
func (e *Engine) milestonesDone(ctx context.Context, f *Forum, p Period, cs []*Commitment) (map[string]map[string]Period, error) {
	return e.store.MilestonesDone(ctx, f.ID, milestoneKeys(cs), p)
}

// milestoneKeys names the milestones of cs.
func milestoneKeys(cs []*Commitment) []MilestoneKey {
	var keys []MilestoneKey
	for _, c := range cs {
		for _, m := range c.Milestones {
			keys = append(keys, MilestoneKey{c.ID, m.ID})
		}
	}
	return keys
}
