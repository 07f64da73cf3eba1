package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

var (
	oct = bot.Period{Year: 2026, Month: time.October}
	nov = bot.Period{Year: 2026, Month: time.November}
	sep = bot.Period{Year: 2026, Month: time.September}
)

// upd builds a stored update of the test forum.
func upd(p bot.Period, c, who string, level bot.Completion, opts ...func(*bot.Update)) bot.Update {
	groups := map[string]bot.Group{"local:gov1": bot.Government, "local:gov2": bot.Government, "local:gov3": bot.Government, "local:cs1": bot.CivilSociety, "local:cs2": bot.CivilSociety}
	orgs := map[string]string{"local:gov1": "Finance", "local:gov2": "Procurement", "local:gov3": "Mayor's Office", "local:cs1": "Watchdog", "local:cs2": "Youth Network"}
	u := bot.Update{ForumID: "f1", Period: p, CommitmentID: c, Member: bot.Address(who), Group: groups[who], Organisation: orgs[who], Completion: level, Version: 1}
	for _, o := range opts {
		o(&u)
	}
	return u
}

func digestOf(t *testing.T, p bot.Period, away map[bot.Address]bot.Date, us ...bot.Update) bot.DigestData {
	t.Helper()
	f := mustForums(t, testForum)[0]
	return bot.BuildDigest(bot.DigestInput{Forum: f, Period: p, Updates: us, Round: roundFor(f, p, 1, away)})
}

func commitment(t *testing.T, d bot.DigestData, id string) bot.CommitmentDigest {
	t.Helper()
	for _, c := range d.Commitments {
		if c.Commitment.ID == id {
			return c
		}
	}
	t.Fatalf("digest has no %s", id)
	return bot.CommitmentDigest{}
}

func TestDigestDisagreement(t *testing.T) {
	tests := []struct {
		gov, cs bot.Completion
		want    bool
	}{
		{bot.Complete, bot.Limited, true},
		{bot.Substantial, bot.NotStarted, true},
		{bot.NotStarted, bot.Complete, true},
		{bot.Substantial, bot.Limited, false},
		{bot.Complete, bot.Complete, false},
		{bot.Withdrawn, bot.NotStarted, false},
		{bot.Complete, bot.NoEvidence, false},
	}
	for _, tt := range tests {
		d := digestOf(t, nov, nil, upd(nov, "C1", "local:gov1", tt.gov), upd(nov, "C1", "local:cs1", tt.cs))
		if got := commitment(t, d, "C1").Disagreement; got != tt.want {
			t.Errorf("government %s, civil society %s: disagreement %v, want %v", tt.gov, tt.cs, got, tt.want)
		}
	}
}

func TestDigestMedianPerGroup(t *testing.T) {
	d := digestOf(t, nov, nil,
		upd(nov, "C2", "local:gov1", bot.Complete), upd(nov, "C2", "local:gov2", bot.Limited),
		upd(nov, "C2", "local:cs2", bot.Substantial))
	c := commitment(t, d, "C2")
	if c.Views[0].Completion != bot.Limited || c.Views[0].Answers != 2 {
		t.Errorf("government view of Complete and Limited: %+v, want the lower median Limited from 2 answers", c.Views[0])
	}
	if c.Views[1].Completion != bot.Substantial {
		t.Errorf("civil society view: %+v", c.Views[1])
	}
}

func TestDigestStaleShowsLastReported(t *testing.T) {
	d := digestOf(t, nov, nil, upd(sep, "C3", "local:gov3", bot.Limited), upd(nov, "C1", "local:gov1", bot.Limited))
	c := commitment(t, d, "C3")
	if !c.Stale || c.LastReported != sep || !c.Views[0].Stale || c.Views[0].Period != sep || c.Views[0].Completion != bot.Limited {
		t.Errorf("C3 silent since September: %+v", c)
	}
	text := bot.RenderText(bot.RenderDigest(bot.MustCatalog().Texts("en"), d))
	if !strings.Contains(text, "C3 · Civic participation: Government: Limited (last reported September 2026) · Civil society: not reported yet") {
		t.Errorf("rendered digest does not mark C3 stale:\n%s", text)
	}
}

func TestDigestBlockersCarriedUntilCleared(t *testing.T) {
	blocked := func(u *bot.Update) { u.Blockers = "No budget"; u.Needs = []bot.Need{bot.NeedResources} }
	carried := digestOf(t, nov, nil,
		upd(sep, "C1", "local:gov1", bot.Limited, blocked),
		upd(oct, "C1", "local:gov1", bot.Limited, blocked))
	c := commitment(t, carried, "C1")
	if len(c.Blockers) != 1 || c.Blockers[0].Since != sep || len(c.Needs) != 1 || c.Needs[0].Since != sep {
		t.Fatalf("blocker reported in September and October, silent in November: %+v %+v", c.Blockers, c.Needs)
	}
	cleared := digestOf(t, nov, nil,
		upd(sep, "C1", "local:gov1", bot.Limited, blocked),
		upd(nov, "C1", "local:gov1", bot.Substantial))
	if c := commitment(t, cleared, "C1"); len(c.Blockers) != 0 || len(c.Needs) != 0 {
		t.Errorf("November's update without blockers should clear them: %+v %+v", c.Blockers, c.Needs)
	}
}

func TestDigestAwayMembersExcused(t *testing.T) {
	away := map[bot.Address]bot.Date{"local:cs1": {Year: 2026, Month: 12, Day: 31}, "local:gov3": {Year: 2026, Month: 11, Day: 2}}
	d := digestOf(t, nov, away, upd(nov, "C1", "local:gov1", bot.Limited))
	want := bot.Rate{Answered: 1, Expected: 6, Excused: 1}
	if d.Response.Overall != want {
		t.Errorf("overall: %+v, want %+v (7 answers owed; cs1's one excused, away all month; gov3 back before the close)", d.Response.Overall, want)
	}
	if c := commitment(t, d, "C1"); len(c.Missing) != 0 {
		t.Errorf("C1 missing %v: cs1 is excused", c.Missing)
	}
	for _, g := range d.Response.Groups {
		if g.Group == bot.CivilSociety && (g.Excused != 1 || g.Expected != 2) {
			t.Errorf("civil society: %+v", g.Rate)
		}
	}
}

func TestDigestPeriodWithNoAnswers(t *testing.T) {
	d := digestOf(t, nov, nil, upd(oct, "C1", "local:gov1", bot.Substantial))
	if d.Response.Overall.Answered != 0 || d.Response.Overall.Expected != 7 {
		t.Errorf("response: %+v", d.Response.Overall)
	}
	for _, c := range d.Commitments {
		if !c.Stale {
			t.Errorf("%s not stale", c.Commitment.ID)
		}
	}
	text := bot.RenderText(bot.RenderDigest(bot.MustCatalog().Texts("en"), d))
	for _, want := range []string{"Nobody answered this period", "Answers: 0 of 7 expected (0%)", "Quiet this period (2 commitments)", "C2 · Open contracting: Government: not reported yet · Civil society: not reported yet", "C1 · Open budget"} {
		if !strings.Contains(text, want) {
			t.Errorf("digest lacks %q:\n%s", want, text)
		}
	}
}

func TestDigestWithdrawnCommitment(t *testing.T) {
	d := digestOf(t, nov, nil, upd(nov, "C3", "local:gov3", bot.Withdrawn), upd(nov, "C3", "local:cs2", bot.Withdrawn))
	c := commitment(t, d, "C3")
	if c.Views[0].Completion != bot.Withdrawn || c.Views[1].Completion != bot.Withdrawn || c.Disagreement {
		t.Errorf("withdrawn: %+v", c)
	}
	if _, ok := c.Views[0].Change(); ok {
		t.Errorf("change computed for a withdrawn commitment")
	}
}

func TestDigestMilestonesAndChange(t *testing.T) {
	done := func(u *bot.Update) { u.MilestonesDone = []string{"M2"} }
	d := digestOf(t, nov, nil, upd(oct, "C1", "local:gov1", bot.Limited, done), upd(nov, "C1", "local:gov1", bot.Substantial))
	c := commitment(t, d, "C1")
	m := c.Milestones
	if m.Total != 2 || m.Done != 1 || m.DueByNow != 2 || len(m.DueNow) != 1 || m.DueNow[0].ID != "M1" || len(m.Overdue) != 0 {
		t.Errorf("milestones: %+v", m)
	}
	if delta, ok := c.Views[0].Change(); !ok || delta != 1 {
		t.Errorf("change Limited → Substantial: %d %v", delta, ok)
	}
	if bar := bot.ProgressBar(m.Done, m.Total); bar != "▰▰▰▰▰▱▱▱▱▱" {
		t.Errorf("bar: %q", bar)
	}
}
