package bot_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/local"
	"forumbot/bot"
)

// genForumYAML writes a random forum: one to five commitments, committees
// that mix groups and organisations (several members per organisation,
// people on several committees), milestones, and a plan that spans the
// simulated months.
func genForumYAML(rng *rand.Rand, start bot.Period, months int) string {
	zones := []string{"Europe/Madrid", "America/Asuncion", "Asia/Manila", "UTC"}
	var b strings.Builder
	b.WriteString("site: {form_secret: \"test-form-secret-0123456789abcdefghijklmnop\"}\n")
	fmt.Fprintf(&b, "forums:\n  - id: g\n    name: Generated Forum\n    timezone: %s\n    locale: %s\n", zones[rng.IntN(len(zones))], bot.Locales()[rng.IntN(len(bot.Locales()))])
	fmt.Fprintf(&b, "    digest_channel: local:digest\n    coordinators: [local:coord]\n    show_names: %v\n", rng.IntN(4) == 0)
	b.WriteString("    site: {public: true, licence: CC-BY-4.0, questions: {enabled: true, deadline: 10d}}\n")
	b.WriteString("    schedule: {prompt: \"0 9 1 * *\", window: 7d, reminders: [3d]}\n")
	end := start.Add(months - 1).Last()
	fmt.Fprintf(&b, "    plan:\n      id: GEN\n      start: %s\n      end: %s\n      commitments:\n", start.First(), end)
	type person struct{ who, group, org string }
	orgs := map[string][]string{
		"government":    {"Finance", "Planning", "Mayor's Office"},
		"civil_society": {"Watchdog", "Youth Network", "University"},
		"other":         {"Chamber of Commerce"},
	}
	people := make([]person, 3+rng.IntN(8))
	for i := range people {
		g := []string{"government", "civil_society"}[rng.IntN(2)]
		if rng.IntN(10) == 0 {
			g = "other"
		}
		people[i] = person{fmt.Sprintf("local:p%d", i), g, orgs[g][rng.IntN(len(orgs[g]))]}
	}
	ncommit := 1 + rng.IntN(5)
	for c := range ncommit {
		fmt.Fprintf(&b, "        - id: C%d\n          title: Commitment %d\n", c+1, c+1)
		if n := rng.IntN(4); n > 0 {
			b.WriteString("          milestones:\n")
			for m := range n {
				due := start.Add(rng.IntN(months+1)).First().Time(time.UTC).AddDate(0, 0, 10+rng.IntN(15))
				fmt.Fprintf(&b, "            - {id: M%d, title: Milestone %d, due: %s}\n", m+1, m+1, due.Format(time.DateOnly))
			}
		}
		b.WriteString("          committee:\n")
		picked := map[int]bool{c % len(people): true}
		for range rng.IntN(len(people)) {
			picked[rng.IntN(len(people))] = true
		}
		for i, p := range people {
			if picked[i] {
				fmt.Fprintf(&b, "            - {who: %q, name: Person %d, group: %s, org: %q}\n", p.who, i, p.group, p.org)
			}
		}
	}
	return b.String()
}

// absence is an away or back command that the bot accepted.
type absence struct {
	who   bot.Address
	until bot.Date
	at    time.Time
}

// simulation drives a generated forum through the real engine, store and
// local chat, month by month, with people answering, editing, leaving
// notes, answering late, going away and coming back, and coordinators
// reopening rounds.
type simulation struct {
	t       testing.TB
	h       *harness
	rng     *rand.Rand
	forum   *bot.Forum
	start   bot.Period
	months  int
	absents []absence
	// now is the simulated clock; it only moves forward, so that the
	// record's times are in the order things happened.
	now time.Time
}

func newSimulation(t testing.TB, seed uint64) *simulation {
	rng := rand.New(rand.NewPCG(seed, 0xf16))
	start := bot.Period{Year: 2026, Month: time.Month(1 + rng.IntN(12))}
	months := 2 + rng.IntN(5)
	yaml := genForumYAML(rng, start, months)
	h := newHarness(t, yaml, time.Time{})
	return &simulation{t: t, h: h, rng: rng, forum: h.forums[0], start: start, months: months}
}

// at moves the clock to day d of period p at hh:00 on the forum's clock,
// ticks and drains.
func (s *simulation) at(p bot.Period, d, hh int) {
	s.h.atTime(s.forward(time.Date(p.Year, p.Month, d, hh, 0, 0, 0, s.forum.Location)))
}

// forward moves the clock to t, or leaves it where it is if t is earlier.
func (s *simulation) forward(t time.Time) time.Time {
	if t.After(s.now) {
		s.now = t
	}
	s.h.clock.Set(s.now)
	return s.now
}

// step moves the clock on by up to an hour and a half, but not past limit.
func (s *simulation) step(limit time.Time) {
	next := s.now.Add(time.Duration(1+s.rng.IntN(90)) * time.Minute)
	if next.After(limit) {
		next = limit
	}
	s.forward(next)
}

func (s *simulation) run() {
	for i := range s.months {
		p := s.start.Add(i)
		s.maybeAway(p, 0)
		s.at(p, 1, 9)
		s.ask()
		s.answerRound(p, 2, 3, false)
		s.maybeAway(p, 3)
		s.at(p, 4, 9)
		s.moderate()
		s.answerRound(p, 5, 7, false)
		s.answerQuestions()
		s.at(p, 8, 9) // closes
		s.answerRound(p, 9, 10, true)
		if s.rng.IntN(4) == 0 {
			s.reopen(p)
		}
		s.at(p, 20, 9)
	}
}

// ask has the public ask up to two questions on random commitments.
func (s *simulation) ask() {
	for range s.rng.IntN(3) {
		c := s.forum.Plan.Commitments[s.rng.IntN(len(s.forum.Plan.Commitments))]
		if _, errs, err := s.h.eng.Ask(s.h.ctx, bot.Asking{ForumID: s.forum.ID, Commitment: c.ID, Text: "What about " + c.ID + "?"}); err != nil || errs != nil {
			s.t.Fatalf("ask: %v %v", errs, err)
		}
	}
}

// waiting returns the questions still waiting, pending or open.
func (s *simulation) waiting() []bot.Question {
	qs, err := s.h.store.Questions(s.h.ctx, bot.QuestionFilter{ForumID: s.forum.ID, Waiting: true})
	if err != nil {
		s.t.Fatal(err)
	}
	return qs
}

// message returns who's message whose key starts with prefix.
func (s *simulation) message(who bot.Address, prefix string) (local.Sent, bool) {
	for _, m := range s.h.chat.Messages(who) {
		if strings.HasPrefix(m.Key, prefix) {
			return m, true
		}
	}
	return local.Sent{}, false
}

// moderate has the coordinator approve most pending questions and reject
// some, from the moderation messages, and leave a few waiting.
func (s *simulation) moderate() {
	coord := s.h.person("local:coord")
	for _, q := range s.waiting() {
		if q.State() != bot.QuestionPending || s.rng.IntN(5) == 0 {
			continue
		}
		msg, ok := s.message("local:coord", bot.QuestionKey(q.ID, "moderate"))
		if !ok {
			s.t.Fatalf("the coordinator was not asked to moderate %s", q.Ref())
		}
		if s.rng.IntN(4) != 0 {
			if resp, err := coord.Push(s.h.ctx, msg, bot.ApproveValue(q.ID)); err != nil || resp.Error != "" {
				s.t.Fatalf("approve %s: %v %s", q.Ref(), err, resp.Error)
			}
			continue
		}
		resp, err := coord.Open(s.h.ctx, msg, fmt.Sprintf("qr:%d", q.ID))
		if err != nil || resp.Form == nil {
			s.t.Fatalf("reject %s: %v %+v", q.Ref(), err, resp)
		}
		reason := bot.RejectReasons[s.rng.IntN(len(bot.RejectReasons))]
		if resp, err := coord.Submit(s.h.ctx, msg.Ref, *resp.Form, map[string][]string{"reason": {string(reason)}}); err != nil || resp.Error != "" || resp.FieldErrors != nil {
			s.t.Fatalf("reject %s: %v %+v", q.Ref(), err, resp)
		}
	}
}

// answerQuestions has a committee member answer some open questions,
// some only after their deadline.
func (s *simulation) answerQuestions() {
	for _, q := range s.waiting() {
		if q.State() != bot.QuestionOpen || s.rng.IntN(3) == 0 {
			continue
		}
		c, _ := s.forum.Plan.Commitment(q.Commitment())
		who := c.Committee[s.rng.IntN(len(c.Committee))].Who
		msg, ok := s.message(who, bot.QuestionKey(q.ID, "ask/"))
		if !ok {
			continue // the request is on its way; answered another day
		}
		p := s.h.person(string(who))
		resp, err := p.Open(s.h.ctx, msg, fmt.Sprintf("qa:%d", q.ID))
		if err != nil || resp.Form == nil {
			s.t.Fatalf("respond to %s: %v %+v", q.Ref(), err, resp)
		}
		if resp, err := p.Submit(s.h.ctx, msg.Ref, *resp.Form, map[string][]string{"answer": {"Answered."}}); err != nil || resp.Error != "" || resp.FieldErrors != nil {
			s.t.Fatalf("answer %s: %v %+v", q.Ref(), err, resp)
		}
	}
}

// maybeAway has a few members go away (for the whole round or part of
// it) or come back, by command, before day `day` of p.
func (s *simulation) maybeAway(p bot.Period, day int) {
	for _, m := range s.forum.Members() {
		if s.rng.IntN(6) != 0 {
			continue
		}
		at := s.forward(time.Date(p.Year, p.Month, 1, 20, 0, 0, 0, s.forum.Location).AddDate(0, 0, day-1))
		cmd, until := "back", bot.Date{}
		if s.rng.IntN(3) > 0 {
			until = bot.DateOf(at.AddDate(0, 0, 1+s.rng.IntN(12)))
			cmd = "away " + until.String()
		}
		resp, err := s.h.person(string(m.Who)).Command(s.h.ctx, cmd)
		if err != nil {
			s.t.Fatal(err)
		}
		if resp.Error == "" {
			s.absents = append(s.absents, absence{m.Who, until, at})
		}
	}
}

// answerRound has members answer between days from and to of p: forms with
// a level (sometimes edited), thread notes, or nothing. late answers go to
// the prompt of p after its round closed: corrections.
func (s *simulation) answerRound(p bot.Period, from, to int, late bool) {
	s.forward(time.Date(p.Year, p.Month, from, 10, 0, 0, 0, s.forum.Location))
	limit := time.Date(p.Year, p.Month, to, 23, 0, 0, 0, s.forum.Location)
	for _, m := range s.forum.Members() {
		prompt, ok := s.promptOf(m.Who, p)
		if !ok {
			continue
		}
		for _, c := range s.forum.CommitmentsOf(m.Who) {
			if s.rng.IntN(3) == 0 || (late && s.rng.IntN(3) > 0) {
				continue
			}
			s.step(limit)
			person := s.h.person(string(m.Who))
			if s.rng.IntN(4) == 0 {
				note := fmt.Sprintf("%s note %d", c.ID, s.rng.IntN(100))
				if s.rng.IntN(2) == 0 {
					note = c.ID + " " + []string{"limited", "substantial", "complete"}[s.rng.IntN(3)] + ": " + note
				}
				if _, err := person.Reply(s.h.ctx, prompt.Ref, note); err != nil {
					s.t.Fatal(err)
				}
				continue
			}
			for range 1 + s.rng.IntN(2) { // sometimes an edit
				values := map[string][]string{
					bot.FieldCompletion: {string(bot.Completions[s.rng.IntN(len(bot.Completions))])},
					bot.FieldProgress:   {"progress " + c.ID},
				}
				if s.rng.IntN(3) == 0 {
					values[bot.FieldBlockers] = []string{"a blocker"}
				}
				for _, ms := range c.Milestones {
					if s.rng.IntN(3) == 0 {
						values[bot.FieldMilestones] = append(values[bot.FieldMilestones], ms.ID)
					}
				}
				resp, err := person.Answer(s.h.ctx, prompt, c.ID, values)
				if err != nil || resp.Error != "" || resp.FieldErrors != nil {
					s.t.Fatalf("%s answering %s: %v %q %v", m.Who, c.ID, err, resp.Error, resp.FieldErrors)
				}
			}
		}
	}
}

// reopen has the coordinator reopen the round of p after it closed; some
// answer while it is open again.
func (s *simulation) reopen(p bot.Period) {
	s.forward(time.Date(p.Year, p.Month, 11, 9, 0, 0, 0, s.forum.Location))
	resp, err := s.h.person("local:coord").Command(s.h.ctx, "round open "+p.String())
	if err != nil || resp.Error != "" {
		s.t.Fatalf("reopen %s: %v %q", p, err, resp.Error)
	}
	s.answerRound(p, 12, 14, false)
}

// promptOf returns the prompt who was sent for period p.
func (s *simulation) promptOf(who bot.Address, p bot.Period) (local.Sent, bool) {
	key := fmt.Sprintf("prompt/%s/%s/%s", s.forum.ID, p, who)
	for _, m := range s.h.chat.Messages(who) {
		if m.Key == key {
			return m, true
		}
	}
	return local.Sent{}, false
}

// awayAsOf is the oracle's reading of the absences: who's away-until date
// as they stood at t.
func (s *simulation) awayAsOf(who bot.Address, t time.Time) bot.Date {
	var until bot.Date
	for _, a := range s.absents {
		if a.who == who && !a.at.After(t) {
			until = a.until
		}
	}
	return until
}
