package bot

// The response figures a forum publishes are defined in this file, once.
// The digest (whole or for one commitment), the status reply and the
// report all take them from participation below; docs/FIGURES.md states
// the same definitions for readers, and the invariant tests in
// invariants_test.go hold every view to them.

// Answered reports whether u answers for its commitment: it carries a
// completion level. A reply without a level is kept as a note and shown as
// one, but it is not an answer.
func (u *Update) Answered() bool { return u.Completion != NoCompletion }

// Rate counts the answers owed in a round. The unit is one member for one
// commitment: a member on two committees owes two answers. Answered and
// Expected count the same pairs, so Answered never exceeds Expected;
// Excused counts the pairs of members away for the whole round, who are
// not expected.
type Rate struct {
	Answered int `json:"answered"`
	Expected int `json:"expected"`
	Excused  int `json:"excused"`
}

// Percent returns the share answered, to the nearest percent, except that
// it is 100 only when every expected answer came and 0 only when none did:
// 199 of 200 is 99 %, 1 of 300 is 1 %. It is 0 when nobody was expected.
func (r Rate) Percent() int {
	if r.Expected == 0 || r.Answered == 0 {
		return 0
	}
	if r.Answered >= r.Expected {
		return 100
	}
	p := (r.Answered*200 + r.Expected) / (2 * r.Expected)
	return min(max(p, 1), 99)
}

func (r *Rate) count(s AnswerState) {
	switch s {
	case StateAnswered:
		r.Answered++
		r.Expected++
	case StateMissing:
		r.Expected++
	case StateExcused:
		r.Excused++
	}
}

// AnswerState says where one member stands with one commitment in a round.
type AnswerState int

// Answer states, from the point of view of the response rate.
const (
	// StateNotAsked: not prompted in the round (say, added to the
	// committee after it opened) and no answer: not counted at all.
	StateNotAsked AnswerState = iota
	// StateExcused: away for the whole round, and no answer.
	StateExcused
	// StateMissing: expected, and no answer with a level.
	StateMissing
	// StateAnswered: an answer with a level, whether or not the member
	// was prompted or away.
	StateAnswered
)

// RoundRecord is what the response figures of a round are computed from:
// the round, who was prompted, and who was away as it closed.
type RoundRecord struct {
	Round Round
	// Prompted holds the members a prompt was queued for in the round.
	Prompted map[Address]bool
	// Away holds each member's away-until date as it stood when the round
	// closed, or as it stands now while the round is open.
	Away map[Address]Date
}

// LastDay is the last day of the round on the forum's calendar: the day it
// closed, or the day it is due to close while open.
func (r *RoundRecord) LastDay(f *Forum) Date {
	end := r.Round.ClosesAt
	if r.Round.State == RoundClosed && !r.Round.ClosedAt.IsZero() {
		end = r.Round.ClosedAt
	}
	return DateOf(end.In(f.Location))
}

// Excused reports whether who was away for the whole round: away until at
// least its last day.
func (r *RoundRecord) Excused(f *Forum, who Address) bool {
	until, ok := r.Away[who]
	return ok && !until.IsZero() && !until.Before(r.LastDay(f))
}

// State returns where member who stands with a commitment in the round,
// given whether their latest update for it this round is an answer.
func (r *RoundRecord) State(f *Forum, who Address, answered bool) AnswerState {
	switch {
	case answered:
		return StateAnswered
	case r.Excused(f, who):
		return StateExcused
	case r.Prompted[who]:
		return StateMissing
	}
	return StateNotAsked
}

// Participation is the response of a round: answers expected and given,
// overall, by stakeholder group and by organisation. The groups' and the
// organisations' rates each add up to Overall.
type Participation struct {
	Overall Rate        `json:"overall"`
	Groups  []GroupRate `json:"groups"`
	Orgs    []OrgRate   `json:"organisations"`
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

// answerKey names one member's update of one commitment in one period.
type answerKey struct {
	commitment string
	member     Address
}

// commitmentResponse is one commitment's part of a round's response.
type commitmentResponse struct {
	Rate Rate
	// Missing lists the members expected to answer who did not, as they
	// are in the commitment's committee.
	Missing []*Member
}

// participation counts the answers of round rec for the commitments cs.
// answers holds each member's latest update of each commitment in the
// round. It returns the response over cs and each commitment's own.
func participation(f *Forum, rec *RoundRecord, cs []*Commitment, answers map[answerKey]*Update) (Participation, map[string]commitmentResponse) {
	var p Participation
	groups := map[Group]*Rate{}
	orgs := map[string]*OrgRate{}
	var orgOrder []string
	byCommitment := make(map[string]commitmentResponse, len(cs))
	for _, c := range cs {
		var cr commitmentResponse
		for i := range c.Committee {
			m := &c.Committee[i]
			u := answers[answerKey{c.ID, m.Who}]
			state := rec.State(f, m.Who, u != nil && u.Answered())
			if state == StateNotAsked {
				continue
			}
			if groups[m.Group] == nil {
				groups[m.Group] = &Rate{}
			}
			if orgs[m.Organisation] == nil {
				orgs[m.Organisation] = &OrgRate{Organisation: m.Organisation, Group: m.Group}
				orgOrder = append(orgOrder, m.Organisation)
			}
			for _, r := range []*Rate{&p.Overall, groups[m.Group], &orgs[m.Organisation].Rate, &cr.Rate} {
				r.count(state)
			}
			if state == StateMissing {
				cr.Missing = append(cr.Missing, m)
			}
		}
		byCommitment[c.ID] = cr
	}
	for _, g := range Groups {
		if r := groups[g]; r != nil {
			p.Groups = append(p.Groups, GroupRate{Group: g, Rate: *r})
		}
	}
	for _, o := range orgOrder {
		p.Orgs = append(p.Orgs, *orgs[o])
	}
	return p, byCommitment
}
