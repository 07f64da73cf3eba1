package config

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"forumbot/bot"
)

func (v *validator) forum(path string, fc *ForumConfig) *bot.Forum {
	v.id(path+".id", fc.ID, "forum")
	if fc.Name == "" {
		v.errorf(path+".name", "missing (want the forum's name as members should read it)")
	}
	f := &bot.Forum{ID: fc.ID, Name: fc.Name, ShowNames: fc.ShowNames, Location: time.UTC}
	if fc.Timezone == "" {
		v.errorf(path+".timezone", "missing (want an IANA time zone such as Asia/Manila or America/Mexico_City)")
	} else if loc, err := time.LoadLocation(fc.Timezone); err != nil {
		v.errorf(path+".timezone", "%q is not a known time zone (want an IANA name such as Asia/Manila or Europe/Madrid)", fc.Timezone)
	} else {
		f.Location = loc
	}
	if fc.Locale == "" {
		fc.Locale = DefaultLocale
	}
	f.Locale = v.locale(path+".locale", fc.Locale)
	if fc.DigestChannel == "" {
		v.errorf(path+".digest_channel", "missing (want the channel digests go to, e.g. slack:C0FORUM or discord:123456789012345678)")
	} else {
		f.DigestChannel = v.address(path+".digest_channel", fc.DigestChannel)
	}
	if len(fc.Coordinators) == 0 {
		v.errorf(path+".coordinators", "empty (want at least one person who may open rounds and post digests)")
	}
	f.Coordinators = v.addresses(path+".coordinators", fc.Coordinators)
	f.Officials = v.addresses(path+".officials", fc.Officials)
	switch bot.Visibility(fc.StatusVisibility) {
	case "":
		fc.StatusVisibility = string(bot.VisibilityForum)
		f.StatusVisibility = bot.VisibilityForum
	case bot.VisibilityForum, bot.VisibilityWorkspace:
		f.StatusVisibility = bot.Visibility(fc.StatusVisibility)
	default:
		v.errorf(path+".status_visibility", "%q is not allowed (want forum or workspace)", fc.StatusVisibility)
	}
	f.Schedule = v.schedule(path+".schedule", fc.Schedule, f.Location)
	f.Plan = v.plan(path+".plan", &fc.Plan)
	if fc.Site != nil && fc.Site.Questions != nil {
		f.Questions = v.questions(path+".site.questions", fc.Site.Questions, fc.Site.Public)
	}
	v.committees(path+".plan", f)
	return f
}

func (v *validator) schedule(path string, sc ScheduleConfig, loc *time.Location) bot.Schedule {
	s := bot.Schedule{Prompt: sc.Prompt}
	if sc.Prompt == "" {
		v.errorf(path+".prompt", "missing (want a cron spec such as \"0 9 1 * *\": 09:00 on the 1st of each month)")
	} else if c, err := bot.ParseCron(sc.Prompt, loc); err != nil {
		v.errorf(path+".prompt", "%s", bot.ErrorMessage(err))
	} else if err := c.CheckMonthly(time.Date(2026, 1, 1, 0, 0, 0, 0, loc)); err != nil {
		v.errorf(path+".prompt", "%q %s", sc.Prompt, bot.ErrorMessage(err))
	}
	s.Window = v.duration(path+".window", sc.Window)
	if s.Window > 28*24*time.Hour {
		v.errorf(path+".window", "%q is longer than 28d (a round must close before the next month's opens)", sc.Window)
	}
	var prev time.Duration
	for i, r := range sc.Reminders {
		p := fmt.Sprintf("%s.reminders[%d]", path, i)
		d := v.duration(p, r)
		switch {
		case d == 0:
		case s.Window > 0 && d >= s.Window:
			v.errorf(p, "%q is not before the round closes (window %s)", r, sc.Window)
		case d <= prev:
			v.errorf(p, "%q is not after the reminder before it (want ascending offsets)", r)
		}
		prev = max(prev, d)
		s.Reminders = append(s.Reminders, d)
	}
	if sc.FinalRoundGrace != "" {
		s.FinalRoundGrace = v.duration(path+".final_round_grace", sc.FinalRoundGrace)
		if s.FinalRoundGrace > 92*24*time.Hour {
			v.errorf(path+".final_round_grace", "%q is longer than 92d (want at most a quarter after the plan's end, e.g. 31d)", sc.FinalRoundGrace)
		}
	}
	return s
}

func (v *validator) plan(path string, pc *PlanConfig) bot.Plan {
	v.id(path+".id", pc.ID, "action plan")
	p := bot.Plan{ID: pc.ID, Title: pc.Title, Start: v.date(path+".start", pc.Start), End: v.date(path+".end", pc.End)}
	if !p.Start.IsZero() && !p.End.IsZero() && p.End.Before(p.Start) {
		v.errorf(path+".end", "%s is before the plan's start %s", p.End, p.Start)
	}
	if len(pc.Commitments) == 0 {
		v.errorf(path+".commitments", "empty (want at least one commitment)")
	}
	ids := map[string]int{}
	for i := range pc.Commitments {
		cp := fmt.Sprintf("%s.commitments[%d]", path, i)
		cc := &pc.Commitments[i]
		if j, dup := ids[cc.ID]; dup && cc.ID != "" {
			v.errorf(cp+".id", "%q is already the id of commitments[%d]", cc.ID, j)
		}
		ids[cc.ID] = i
		p.Commitments = append(p.Commitments, v.commitment(cp, cc))
	}
	return p
}

func (v *validator) commitment(path string, cc *CommitmentConfig) bot.Commitment {
	v.id(path+".id", cc.ID, "commitment")
	if cc.Title == "" {
		v.errorf(path+".title", "missing (want the commitment's title)")
	}
	v.shortTitle(path+".short_title", cc.ShortTitle)
	c := bot.Commitment{
		ID: cc.ID, Title: cc.Title, ShortTitle: cc.ShortTitle, Description: cc.Description, LeadAgency: cc.LeadAgency,
		SupportingOrganisations: cc.SupportingOrganisations, PolicyAreas: cc.PolicyAreas, URL: cc.URL,
		Start: v.date(path+".start", cc.Start), End: v.date(path+".end", cc.End),
	}
	if !c.Start.IsZero() && !c.End.IsZero() && c.End.Before(c.Start) {
		v.errorf(path+".end", "%s is before the commitment's start %s", c.End, c.Start)
	}
	if cc.URL != "" {
		v.url(path+".url", cc.URL)
	}
	for i, s := range cc.Values {
		val, err := bot.ParseOGPValue(s)
		if err != nil {
			v.errorf(fmt.Sprintf("%s.values[%d]", path, i), "%s", bot.ErrorMessage(err))
		}
		c.Values = append(c.Values, val)
	}
	if cc.IRM != nil {
		c.IRM = v.irm(path+".irm", cc.IRM)
	}
	ms := map[string]int{}
	for i, mc := range cc.Milestones {
		mp := fmt.Sprintf("%s.milestones[%d]", path, i)
		v.id(mp+".id", mc.ID, "milestone")
		if j, dup := ms[mc.ID]; dup && mc.ID != "" {
			v.errorf(mp+".id", "%q is already the id of milestones[%d]", mc.ID, j)
		}
		ms[mc.ID] = i
		if mc.Title == "" {
			v.errorf(mp+".title", "missing (want what the milestone delivers)")
		}
		if mc.Weight < 0 {
			v.errorf(mp+".weight", "%g is negative (want 0 or more)", mc.Weight)
		}
		m := bot.Milestone{ID: mc.ID, Title: mc.Title, Weight: mc.Weight, Start: v.date(mp+".start", mc.Start), Due: v.date(mp+".due", mc.Due)}
		if !m.Start.IsZero() && !m.Due.IsZero() && m.Due.Before(m.Start) {
			v.errorf(mp+".due", "%s is before the milestone's start %s", m.Due, m.Start)
		}
		c.Milestones = append(c.Milestones, m)
	}
	whos := map[string]int{}
	for i := range cc.Committee {
		mp := fmt.Sprintf("%s.committee[%d]", path, i)
		mc := &cc.Committee[i]
		if j, dup := whos[mc.Who]; dup && mc.Who != "" {
			v.errorf(mp+".who", "%q is already committee[%d] of this commitment", mc.Who, j)
		}
		whos[mc.Who] = i
		c.Committee = append(c.Committee, v.member(mp, mc))
	}
	if len(cc.Committee) == 0 {
		v.warnf(path+".committee", "no members: nobody will be asked about %s", cc.ID)
	}
	return c
}

// MaxShortTitle is the longest short title allowed, in characters.
const MaxShortTitle = 100

// shortTitle checks a commitment's optional short label.
func (v *validator) shortTitle(path, s string) {
	switch n := utf8.RuneCountInString(s); {
	case strings.ContainsAny(s, "\r\n"):
		v.errorf(path, "is on several lines (want a one-line label)")
	case n > MaxShortTitle:
		v.errorf(path, "is %d characters long (want at most %d: a short label beside the full title)", n, MaxShortTitle)
	}
}

func (v *validator) irm(path string, ic *IRMConfig) bot.IRMAssessment {
	var a bot.IRMAssessment
	level := func(p, s string) bot.Completion {
		if s == "" {
			return bot.NoCompletion
		}
		c, err := bot.ParseCompletion(s)
		if err != nil {
			v.errorf(p, "%s", bot.ErrorMessage(err))
		}
		return c
	}
	a.CompletionProgressReport = level(path+".completion_progress_report", ic.CompletionProgressReport)
	a.CompletionEndOfTerm = level(path+".completion_end_of_term", ic.CompletionEndOfTerm)
	if ic.DidItOpenGovernment != "" {
		d, err := bot.ParseDIOG(ic.DidItOpenGovernment)
		if err != nil {
			v.errorf(path+".did_it_open_government", "%s", bot.ErrorMessage(err))
		}
		a.DidItOpenGovernment = d
	}
	return a
}

func (v *validator) member(path string, mc *MemberConfig) bot.Member {
	m := bot.Member{Name: mc.Name, Organisation: mc.Org}
	if mc.Who == "" {
		v.errorf(path+".who", "missing (want the person's chat identity, e.g. slack:U024BE7LH, discord:80351110224678912 or email:ana@example.org)")
	} else {
		m.Who = v.address(path+".who", mc.Who)
	}
	if mc.Name == "" {
		v.errorf(path+".name", "missing (want the person's name)")
	}
	if mc.Group == "" {
		v.errorf(path+".group", "missing (want government, civil_society or other)")
	} else if g, err := bot.ParseGroup(mc.Group); err != nil {
		v.errorf(path+".group", "%s", bot.ErrorMessage(err))
	} else {
		m.Group = g
	}
	if mc.Org == "" {
		v.errorf(path+".org", "missing (want the person's organisation; digests count answers by organisation)")
	}
	role, err := bot.ParseRole(mc.Role)
	if err != nil {
		v.errorf(path+".role", "%s", bot.ErrorMessage(err))
	}
	m.Role = role
	m.Locale = v.locale(path+".locale", mc.Locale)
	m.AwayUntil = v.date(path+".away_until", mc.AwayUntil)
	if mc.Fallback != "" {
		m.Fallback = v.address(path+".fallback", mc.Fallback)
		switch {
		case m.Fallback == "":
		case m.Fallback.Platform() != bot.EmailPlatform:
			v.errorf(path+".fallback", "%q is not an e-mail address (want email:name@example.org, used when the person's chat refuses a prompt)", mc.Fallback)
			m.Fallback = ""
		case m.Who.Platform() == bot.EmailPlatform:
			v.errorf(path+".fallback", "%s is already reached by e-mail (a fallback is for a person on Slack or Discord)", m.Who)
			m.Fallback = ""
		}
	}
	return m
}

// committees checks that a person on several committees is described the
// same way on each.
func (v *validator) committees(path string, f *bot.Forum) {
	type seen struct {
		m    bot.Member
		path string
	}
	first := map[bot.Address]seen{}
	for i, c := range f.Plan.Commitments {
		for j, m := range c.Committee {
			if m.Who == "" {
				continue
			}
			mp := fmt.Sprintf("%s.commitments[%d].committee[%d]", path, i, j)
			s, ok := first[m.Who]
			if !ok {
				first[m.Who] = seen{m, mp}
				continue
			}
			for _, diff := range []struct{ key, a, b string }{
				{"name", s.m.Name, m.Name}, {"group", string(s.m.Group), string(m.Group)}, {"org", s.m.Organisation, m.Organisation},
				{"locale", s.m.Locale, m.Locale}, {"away_until", s.m.AwayUntil.String(), m.AwayUntil.String()},
				{"fallback", string(s.m.Fallback), string(m.Fallback)},
			} {
				if diff.a != diff.b {
					v.errorf(mp+"."+diff.key, "%s is %q here but %q in %s (a person is described the same way on every committee)", m.Who, diff.b, diff.a, s.path)
				}
			}
		}
	}
}

// crossForum warns about commitment ids shared by forums: commands then
// need the forum id to tell them apart.
func (v *validator) crossForum(forums []*bot.Forum) {
	owner := map[string]string{}
	for i, f := range forums {
		for j, c := range f.Plan.Commitments {
			if other, ok := owner[c.ID]; ok && other != f.ID {
				v.warnf(fmt.Sprintf("forums[%d].plan.commitments[%d].id", i, j), "%q is also a commitment of forum %s; commands will need the forum id", c.ID, other)
			}
			owner[c.ID] = f.ID
		}
	}
}

// Platforms returns the chat platforms the forums use, from every address
// in the configuration.
func (c *Config) Platforms() map[string]bool {
	out := map[string]bool{}
	for _, f := range c.Forums {
		out[f.DigestChannel.Platform()] = true
		for _, a := range append(append([]bot.Address{}, f.Coordinators...), f.Officials...) {
			out[a.Platform()] = true
		}
		for _, m := range f.Members() {
			out[m.Who.Platform()] = true
			out[m.Fallback.Platform()] = true
		}
	}
	delete(out, "")
	return out
}
