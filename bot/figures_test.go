package bot_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// The tests in this file each reproduce a figure a forum saw published
// wrong, or two views that disagreed, and hold it right.

var madrid, _ = time.LoadLocation("Europe/Madrid")

func text(m bot.Message) string { return bot.RenderText(m) }

func mustDigest(t *testing.T, h *harness, p bot.Period, only string) bot.DigestData {
	t.Helper()
	d, err := h.eng.DigestData(h.ctx, h.forums[0], p, nil, only)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestPercentRounding: 6/7 was printed 85 % and 4/6 66 %.
func TestPercentRounding(t *testing.T) {
	tests := []struct{ answered, expected, want int }{
		{6, 7, 86}, {4, 6, 67}, {1, 2, 50}, {1, 3, 33}, {2, 3, 67},
		{199, 200, 99}, {1, 300, 1}, {0, 5, 0}, {5, 5, 100}, {0, 0, 0}, {1, 1000, 1}, {999, 1000, 99},
	}
	for _, tt := range tests {
		if got := (bot.Rate{Answered: tt.answered, Expected: tt.expected}).Percent(); got != tt.want {
			t.Errorf("%d of %d: %d%%, want %d%%", tt.answered, tt.expected, got, tt.want)
		}
	}
}

// TestOneCommitmentDigestCountsItsOwnCommittee: the digest of one
// commitment printed "2 of 6 members (33 %)", counting the whole forum, and
// listed as missing organisations that had answered.
func TestOneCommitmentDigestCountsItsOwnCommittee(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	nov := bot.Period{Year: 2026, Month: time.November}
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:gov1", "C2", "Limited")
	h.answer("local:cs2", "C2", "Substantial")
	h.answer("local:cs2", "C3", "Substantial")
	one := mustDigest(t, h, nov, "C2")
	if want := (bot.Rate{Answered: 2, Expected: 3}); one.Response.Overall != want {
		t.Errorf("C2 alone: %+v, want %+v (its committee: gov1, gov2, cs2)", one.Response.Overall, want)
	}
	if got := one.Commitments[0].Missing; len(got) != 1 || got[0] != "Procurement" {
		t.Errorf("C2 alone, not answered: %v, want [Procurement]", got)
	}
	whole := mustDigest(t, h, nov, "")
	c2 := commitment(t, whole, "C2")
	if c2.Response != one.Response.Overall || strings.Join(c2.Missing, ",") != strings.Join(one.Commitments[0].Missing, ",") {
		t.Errorf("C2 in the whole digest %+v %v, alone %+v %v", c2.Response, c2.Missing, one.Response.Overall, one.Commitments[0].Missing)
	}
	if want := "Answers: 2 of 3 expected (67%)"; !strings.Contains(text(bot.RenderDigest(h.eng.Texts("en"), one)), want) {
		t.Errorf("one-commitment digest lacks %q", want)
	}
}

// TestOrganisationIsNeverBothInFullAndMissing: a member who answered one of
// their two commitments made their organisation "1/1" in the totals and
// "not answered" under the other commitment; the report's table did not
// excuse a member who was away.
func TestOrganisationIsNeverBothInFullAndMissing(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	nov := bot.Period{Year: 2026, Month: time.November}
	h.at(2026, time.October, 31, 12, 0)
	if resp, err := h.person("local:gov3").Command(h.ctx, "away 2026-11-30"); err != nil || resp.Error != "" {
		t.Fatalf("away: %v %q", err, resp.Error)
	}
	h.at(2026, time.November, 1, 9, 0)
	h.answer("local:cs2", "C3", "Substantial") // one of two
	h.answer("local:gov1", "C1", "Limited")
	h.answer("local:gov1", "C2", "Limited")
	h.answer("local:cs1", "C1", "Limited")
	h.answer("local:gov2", "C2", "Limited")
	h.at(2026, time.November, 8, 9, 0) // closes
	d := mustDigest(t, h, nov, "")
	org := map[string]bot.OrgRate{}
	for _, o := range d.Response.Orgs {
		org[o.Organisation] = o
	}
	if yn := org["Youth Network"]; yn.Answered != 1 || yn.Expected != 2 {
		t.Errorf("Youth Network: %+v, want 1 of 2 (answered C3, not C2)", yn)
	}
	if mo := org["Mayor's Office"]; mo.Expected != 0 || mo.Excused != 1 {
		t.Errorf("Mayor's Office, away all round: %+v, want excused, not expected", mo)
	}
	if want := (bot.Rate{Answered: 5, Expected: 6, Excused: 1}); d.Response.Overall != want {
		t.Errorf("overall %+v, want %+v", d.Response.Overall, want)
	}
	r, err := h.eng.Report(h.ctx, h.forums[0], nov, nov)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Response) != 1 || r.Response[0].Overall != d.Response.Overall {
		t.Errorf("report's response %+v, digest's %+v", r.Response, d.Response.Overall)
	}
	rendered := text(bot.RenderDigest(h.eng.Texts("en"), d))
	for _, want := range []string{"Answers: 5 of 6 expected (83%)", "Youth Network 1/2", "Not answered: Youth Network", "1 answer excused (member away)"} {
		if !strings.Contains(rendered, want) {
			t.Errorf("digest lacks %q:\n%s", want, rendered)
		}
	}
}

// TestChangeIsPerGroup: a government answer going Substantial → Complete
// showed "↓ Substantial → Limited", a blend with civil society's answers.
func TestChangeIsPerGroup(t *testing.T) {
	f := mustForums(t, testForum)[0]
	oct, nov := bot.Period{Year: 2026, Month: time.October}, bot.Period{Year: 2026, Month: time.November}
	us := []bot.Update{
		upd(oct, "C2", "local:gov1", bot.Substantial), upd(oct, "C2", "local:cs2", bot.Substantial),
		upd(nov, "C2", "local:gov1", bot.Complete), upd(nov, "C2", "local:cs2", bot.Limited), upd(nov, "C2", "local:gov2", bot.Limited),
	}
	d := bot.BuildDigest(bot.DigestInput{Forum: f, Period: nov, Round: roundFor(f, nov, 2, nil), Updates: us, Only: "C2"})
	c := d.Commitments[0]
	gov, cs := c.Views[0], c.Views[1]
	if gov.Completion != bot.Limited || gov.Previous != bot.Substantial {
		t.Errorf("government view %+v: lower median of Complete and Limited is Limited, was Substantial", gov)
	}
	if delta, ok := cs.Change(); !ok || delta != -1 {
		t.Errorf("civil society Substantial → Limited: change %d %v", delta, ok)
	}
	rendered := text(bot.RenderDigest(bot.MustCatalog().Texts("en"), d))
	for _, want := range []string{"Government: Limited (2 answers), ↓ from Substantial in October 2026", "Civil society: Limited (1 answer), ↓ from Substantial in October 2026"} {
		if !strings.Contains(rendered, want) {
			t.Errorf("digest lacks %q:\n%s", want, rendered)
		}
	}
	// One government member alone, Substantial → Complete: up, whatever
	// civil society says.
	us = []bot.Update{upd(oct, "C1", "local:gov1", bot.Substantial), upd(nov, "C1", "local:gov1", bot.Complete), upd(nov, "C1", "local:cs1", bot.Limited)}
	d = bot.BuildDigest(bot.DigestInput{Forum: f, Period: nov, Round: roundFor(f, nov, 2, nil), Updates: us, Only: "C1"})
	if delta, ok := d.Commitments[0].Views[0].Change(); !ok || delta != 1 {
		t.Errorf("government Substantial → Complete: change %d %v, want up", delta, ok)
	}
	if _, ok := d.Commitments[0].Views[1].Change(); ok {
		t.Errorf("civil society did not answer in October: no change to show")
	}
}

// TestQuietLineShowsEveryGroup: the one-line entry of a quiet commitment
// showed only the government view.
func TestQuietLineShowsEveryGroup(t *testing.T) {
	f := mustForums(t, testForum)[0]
	sep, nov := bot.Period{Year: 2026, Month: time.September}, bot.Period{Year: 2026, Month: time.November}
	us := []bot.Update{upd(sep, "C3", "local:gov3", bot.Substantial), upd(sep, "C3", "local:cs2", bot.Limited), upd(nov, "C1", "local:gov1", bot.Limited)}
	d := bot.BuildDigest(bot.DigestInput{Forum: f, Period: nov, Round: roundFor(f, nov, 3, nil), Updates: us})
	want := "C3 · Civic participation: Government: Substantial (last reported September 2026) · Civil society: Limited (last reported September 2026)"
	if rendered := text(bot.RenderDigest(bot.MustCatalog().Texts("en"), d)); !strings.Contains(rendered, want) {
		t.Errorf("digest lacks %q:\n%s", want, rendered)
	}
}

// planForum is the test forum with a plan from April 2026 to the end of
// December 2026.
var planForum = strings.Replace(testForum, "      id: P1\n", "      id: P1\n      start: 2026-04-01\n      end: 2026-12-31\n", 1)

// TestRoundsStayInsideThePlan: rounds kept opening years after the plan
// ended, and a month with no round got a digest of "0 of 7 (0 %)" with a
// list of missing organisations.
func TestRoundsStayInsideThePlan(t *testing.T) {
	h := newHarness(t, planForum, time.Time{})
	h.at(2026, time.March, 1, 9, 0)
	h.at(2026, time.December, 1, 9, 0)
	h.at(2027, time.January, 1, 9, 0)
	h.at(2027, time.February, 1, 9, 0)
	rounds := h.rounds("f1")
	if len(rounds) != 1 || rounds[0].Period != (bot.Period{Year: 2026, Month: time.December}) {
		t.Fatalf("rounds: %+v, want only December 2026 (March is before the plan, 2027 after it)", rounds)
	}
	h.at(2026+1, time.February, 2, 9, 0)
	dec := mustDigest(t, h, rounds[0].Period, "")
	if !dec.NextRound.IsZero() || !dec.PlanOver() {
		t.Errorf("December's digest: next round %v, plan over %v", dec.NextRound, dec.PlanOver())
	}
	footer := bot.RenderDigest(h.eng.Texts("en"), dec).Footer
	if want := "No more rounds: the action plan ended on 31 Dec 2026; the last round was December 2026.\nRecord: 1 entry so far, chain head "; !strings.HasPrefix(footer, want) {
		t.Errorf("footer %q, want %q", footer, want)
	}
	_, err := h.eng.DigestData(h.ctx, h.forums[0], bot.Period{Year: 2026, Month: time.November}, nil, "")
	if bot.ErrorCode(err) != bot.ENOTFOUND || !strings.Contains(bot.ErrorMessage(err), "no round was held in November 2026; rounds: 2026-12") {
		t.Errorf("digest of a month with no round: %v", err)
	}
	resp, err := h.person("local:coord").Command(h.ctx, "digest 2026-11")
	if err != nil || resp.Error != "No round was held in November 2026. Rounds: 2026-12." {
		t.Errorf("digest 2026-11 in chat: %v %q", err, resp.Error)
	}
	resp, err = h.person("local:coord").Command(h.ctx, "round open 2027-01")
	if err != nil || !strings.Contains(resp.Error, "No round for January 2027: the action plan runs 1 Apr 2026 to 31 Dec 2026.") {
		t.Errorf("round open after the plan: %v %q", err, resp.Error)
	}
	if got := len(h.rounds("f1")); got != 1 {
		t.Errorf("%d rounds after a refused open", got)
	}
}

// TestFinalRoundGrace lets one round open after the plan's end when the
// forum asks for it.
func TestFinalRoundGrace(t *testing.T) {
	yaml := strings.Replace(planForum, "reminders: [3d, 6d]}", "reminders: [3d, 6d], final_round_grace: 31d}", 1)
	h := newHarness(t, yaml, time.Time{})
	h.at(2027, time.January, 1, 9, 0)
	h.at(2027, time.February, 1, 9, 0)
	rounds := h.rounds("f1")
	if len(rounds) != 1 || rounds[0].Period != (bot.Period{Year: 2027, Month: time.January}) {
		t.Errorf("rounds %+v, want one final round in January 2027", rounds)
	}
}

// TestPromptsSayWhatIsOwed: a member who had answered one of two
// commitments was told "we have not received your answer"; a prompt listed
// as due a milestone done the month before; "Your last answer: no answer
// yet (September 2019)" contradicted itself.
func TestPromptsSayWhatIsOwed(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	h.at(2026, time.October, 1, 9, 0)
	h.answer("local:gov1", "C1", "Substantial", bot.FieldMilestones, "M1")
	if _, err := h.person("local:gov1").Reply(h.ctx, h.latest("local:gov1").Ref, "C2 the tender is out"); err != nil {
		t.Fatal(err)
	}
	h.at(2026, time.November, 1, 9, 0)
	prompt := text(h.latest("local:gov1").Message)
	if strings.Contains(prompt, "Budget published") {
		t.Errorf("November prompt lists M1 as due, though reported done in October:\n%s", prompt)
	}
	if strings.Contains(prompt, "no answer yet (October 2026)") {
		t.Errorf("November prompt contradicts itself:\n%s", prompt)
	}
	h.answer("local:gov1", "C1", "Complete")
	h.at(2026, time.November, 4, 9, 0)
	reminder := h.latest("local:gov1")
	if !strings.HasPrefix(reminder.Key, "reminder/") {
		t.Fatalf("gov1's latest message is %q, want a reminder", reminder.Key)
	}
	got := text(reminder.Message)
	for _, want := range []string{"we still need your answer on C2", "Thank you for your answer on C1"} {
		if !strings.Contains(got, want) {
			t.Errorf("reminder lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "not heard from you") {
		t.Errorf("reminder says nothing was received:\n%s", got)
	}
}

// TestNoteIsNotAnAnswer: a reply stored without a level was counted as an
// answer.
func TestNoteIsNotAnAnswer(t *testing.T) {
	h := newHarness(t, testForum, time.Time{})
	nov := bot.Period{Year: 2026, Month: time.November}
	h.at(2026, time.November, 1, 9, 0)
	if _, err := h.person("local:cs1").Reply(h.ctx, h.latest("local:cs1").Ref, "we met the finance team"); err != nil {
		t.Fatal(err)
	}
	d := mustDigest(t, h, nov, "C1")
	if d.Response.Overall.Answered != 0 {
		t.Errorf("a note counted as an answer: %+v", d.Response.Overall)
	}
	if c := d.Commitments[0]; len(c.Highlights) != 1 || c.Highlights[0].Text != "we met the finance team" {
		t.Errorf("the note is not shown: %+v", c.Highlights)
	}
	h.at(2026, time.November, 4, 9, 0)
	if got := h.counts("reminder/")["local:cs1"]; got != 1 {
		t.Errorf("cs1 left only a note: %d reminders, want 1", got)
	}
}

// TestReportColumnsSoFarAndStale: a report made on 1 Dec 2026 filled "End
// of term (December 2026)" for a plan still running, with a level eight
// months old and no stale mark.
func TestReportColumnsSoFarAndStale(t *testing.T) {
	f := mustForums(t, planForum)[0]
	apr, dec := bot.Period{Year: 2026, Month: time.April}, bot.Period{Year: 2026, Month: time.December}
	us := []bot.Update{upd(apr, "C3", "local:gov3", bot.Limited), upd(dec, "C1", "local:gov1", bot.Substantial)}
	for i := range us {
		us[i].RoundID = int64(us[i].Period.Month)
	}
	r := bot.BuildReport(bot.ReportInput{Forum: f, Updates: us, GeneratedAt: time.Date(2026, time.December, 1, 12, 0, 0, 0, madrid)})
	if !r.EndOfTermSoFar || r.EndOfTermAt != dec {
		t.Errorf("end of term %s so far %v, want December 2026 so far", r.EndOfTermAt, r.EndOfTermSoFar)
	}
	var c3 bot.CommitmentReport
	for _, c := range r.Commitments {
		if c.Commitment.ID == "C3" {
			c3 = c
		}
	}
	if v := c3.AtEndOfTerm[0]; v.Completion != bot.Limited || !v.Stale || v.Period != apr {
		t.Errorf("C3's government at the end of term: %+v, want Limited, stale since April 2026", v)
	}
	var md bytes.Buffer
	if err := bot.WriteReportMarkdown(&md, bot.MustCatalog().Texts("en"), r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"End of term (December 2026): so far, as of December 2026", "Government: Limited (last reported April 2026)", "How to read this report"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown report lacks %q", want)
		}
	}
	var js bytes.Buffer
	if err := bot.WriteReportJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var decoded struct {
		Commitments []struct {
			EndOfTerm struct {
				Final bool
				Views []struct{ Completion, Period string }
			} `json:"end_of_term"`
		}
	}
	if err := json.Unmarshal(js.Bytes(), &decoded); err != nil || decoded.Commitments[2].EndOfTerm.Final || decoded.Commitments[2].EndOfTerm.Views[0].Period != "2026-04" {
		t.Errorf("json end of term: %v %+v", err, decoded.Commitments[2].EndOfTerm)
	}
	after := bot.BuildReport(bot.ReportInput{Forum: f, Updates: us, GeneratedAt: time.Date(2027, time.January, 2, 12, 0, 0, 0, madrid)})
	if after.EndOfTermSoFar {
		t.Errorf("a report made after the plan's end still says so far")
	}
}
