package bot

import (
	"strings"
	"sync"
	"time"
)

// Forum is a multistakeholder forum: the people who oversee one action plan
// and the schedule on which its committees report.
type Forum struct {
	ID               string
	Name             string
	Location         *time.Location
	Locale           string
	DigestChannel    Address
	Coordinators     []Address
	Officials        []Address
	StatusVisibility Visibility
	// ShowNames lists members who have not answered by name in digests; by
	// default they are counted by organisation only.
	ShowNames bool
	Schedule  Schedule
	Plan      Plan
	// Questions says whether and how the forum takes questions from the
	// public on its commitments.
	Questions QuestionPolicy

	roster roster
}

// Visibility says who may query a commitment's status.
type Visibility string

// Status visibilities.
const (
	// VisibilityForum lets coordinators, officials and committee members of
	// the forum query status.
	VisibilityForum Visibility = "forum"
	// VisibilityWorkspace lets anyone who can reach the bot query status.
	VisibilityWorkspace Visibility = "workspace"
)

// Schedule says when a forum's monthly rounds open, how long they stay open
// and when the silent are reminded.
type Schedule struct {
	// Prompt is the cron spec (five fields, forum time zone) of the moment a
	// round opens; it must fire at most once per calendar month.
	Prompt string
	// Window is how long a round stays open after its scheduled time.
	Window time.Duration
	// Reminders are offsets from the scheduled time, ascending, each shorter
	// than Window.
	Reminders []time.Duration
	// FinalRoundGrace lets a round open this long after the plan's end
	// date (calendar days), for a final round; zero by default.
	FinalRoundGrace time.Duration
}

// InPlan reports whether a round scheduled at `at` falls inside the plan:
// on or after its start, and before the day after its end plus the
// schedule's final-round grace. A plan without dates bounds nothing.
func (f *Forum) InPlan(at time.Time) bool {
	p := f.Plan
	if !p.Start.IsZero() && at.Before(p.Start.Time(f.Location)) {
		return false
	}
	return p.End.IsZero() || at.Before(f.lastRoundBefore())
}

// PeriodInPlan reports whether a round for period p may be held: a period
// that overlaps the plan, or the final-round grace after it.
func (f *Forum) PeriodInPlan(p Period) bool {
	plan := f.Plan
	if !plan.Start.IsZero() && p.Compare(plan.Start.Period()) < 0 {
		return false
	}
	return plan.End.IsZero() || p.Compare(PeriodOf(f.lastRoundBefore().Add(-time.Nanosecond))) <= 0
}

// lastRoundBefore is the moment from which no round may open: the day after
// the plan's end, plus the grace.
func (f *Forum) lastRoundBefore() time.Time {
	return after(f.Plan.End.Time(f.Location).AddDate(0, 0, 1), f.Schedule.FinalRoundGrace, f.Location)
}

// Plan is an action plan: the commitments a forum follows up.
type Plan struct {
	ID          string
	Title       string
	Start, End  Date
	Commitments []Commitment
}

// Commitment is one commitment of an action plan and the committee that
// follows it up.
type Commitment struct {
	ID    string
	Title string
	// ShortTitle is an optional one-line label for the commitment, such as
	// OGP's "Short Title" ("Access to Information" for "Increasing
	// Inclusivity in Public Access to Government Information"); Title stays
	// the commitment's full title.
	ShortTitle              string
	Description             string
	LeadAgency              string
	SupportingOrganisations []string
	Values                  []OGPValue
	PolicyAreas             []string
	Start, End              Date
	Milestones              []Milestone
	Committee               []Member
	// IRM holds the Independent Reporting Mechanism's assessment, filled in
	// by the coordinator for end-of-term reports.
	IRM IRMAssessment
	URL string
}

// IRMAssessment is what the IRM (or the coordinator, ahead of it) concluded
// about a commitment.
type IRMAssessment struct {
	CompletionProgressReport Completion `json:"completion_progress_report"`
	CompletionEndOfTerm      Completion `json:"completion_end_of_term"`
	DidItOpenGovernment      DIOG       `json:"did_it_open_government"`
}

// Milestone is a dated step of a commitment.
type Milestone struct {
	ID     string
	Title  string
	Start  Date
	Due    Date
	Weight float64
}

// Member is a person on a committee.
type Member struct {
	Who          Address
	Name         string
	Group        Group
	Organisation string
	Role         Role
	Locale       string
	// AwayUntil excuses the member from rounds until this date, inclusive.
	AwayUntil Date
	// Fallback, when set, is where the member's prompts and reminders go
	// when Who's platform refuses them for good (an account deactivated,
	// direct messages closed): an e-mail address.
	Fallback Address
}

// Group is a member's stakeholder group.
type Group string

// Stakeholder groups.
const (
	Government    Group = "government"
	CivilSociety  Group = "civil_society"
	OtherGroup    Group = "other"
	groupsAllowed       = "government, civil_society, other"
)

// Groups lists the stakeholder groups in the order digests show them.
var Groups = []Group{Government, CivilSociety, OtherGroup}

// ParseGroup returns the group named s.
func ParseGroup(s string) (Group, error) {
	for _, g := range Groups {
		if string(g) == s {
			return g, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not a stakeholder group (want %s)", s, groupsAllowed)
}

// Role is a member's role on a committee.
type Role string

// Committee roles.
const (
	Chair      Role = "chair"
	RoleMember Role = "member"
)

// ParseRole returns the role named s; empty means member.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case "", RoleMember:
		return RoleMember, nil
	case Chair:
		return Chair, nil
	}
	return "", Errorf(EINVALID, "%q is not a role (want chair, member)", s)
}

// Completion is the IRM's completion level of a commitment.
type Completion string

// Completion levels, in the IRM's wording.
const (
	NotStarted   Completion = "Not Started"
	Limited      Completion = "Limited"
	Substantial  Completion = "Substantial"
	Complete     Completion = "Complete"
	Withdrawn    Completion = "Withdrawn"
	NoEvidence   Completion = "No Evidence Available"
	NoCompletion Completion = ""
)

// Completions lists every completion level in the order a form offers them.
var Completions = []Completion{NotStarted, Limited, Substantial, Complete, Withdrawn, NoEvidence}

// Rank places a level on the IRM's ordinal scale (Not Started 0 … Complete 3)
// and reports false for levels off that scale.
func (c Completion) Rank() (int, bool) {
	switch c {
	case NotStarted:
		return 0, true
	case Limited:
		return 1, true
	case Substantial:
		return 2, true
	case Complete:
		return 3, true
	}
	return 0, false
}

// High reports whether c is "high completion" in the IRM's sense.
func (c Completion) High() bool { return c == Substantial || c == Complete }

// ParseCompletion accepts a level in the IRM's wording, case and spacing
// ignored, or its short form (not_started, no_evidence).
func ParseCompletion(s string) (Completion, error) {
	key := normalizeWord(s)
	for _, c := range Completions {
		if key == normalizeWord(string(c)) {
			return c, nil
		}
	}
	if key == "noevidence" {
		return NoEvidence, nil
	}
	return "", Errorf(EINVALID, "%q is not a completion level (want Not Started, Limited, Substantial, Complete, Withdrawn, No Evidence Available)", s)
}

// DIOG is the IRM's "Did it Open Government?" assessment.
type DIOG string

// Did it Open Government levels, in the IRM's wording.
const (
	Worsened     DIOG = "Worsened"
	DidNotChange DIOG = "Did Not Change"
	Marginal     DIOG = "Marginal"
	Major        DIOG = "Major"
	Outstanding  DIOG = "Outstanding"
)

// diogs lists the Did it Open Government levels from worst to best.
var diogs = []DIOG{Worsened, DidNotChange, Marginal, Major, Outstanding}

// ParseDIOG accepts a Did it Open Government level, case and spacing ignored.
func ParseDIOG(s string) (DIOG, error) {
	for _, d := range diogs {
		if normalizeWord(s) == normalizeWord(string(d)) {
			return d, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not a Did it Open Government level (want Worsened, Did Not Change, Marginal, Major, Outstanding)", s)
}

// OGPValue is one of the four OGP values a commitment can be relevant to.
type OGPValue string

// OGP values.
const (
	AccessToInformation  OGPValue = "Access to Information"
	CivicParticipation   OGPValue = "Civic Participation"
	PublicAccountability OGPValue = "Public Accountability"
	TechnologyInnovation OGPValue = "Technology and Innovation"
)

// OGPValues lists the OGP values.
var OGPValues = []OGPValue{AccessToInformation, CivicParticipation, PublicAccountability, TechnologyInnovation}

// ParseOGPValue accepts an OGP value, case and spacing ignored.
func ParseOGPValue(s string) (OGPValue, error) {
	for _, v := range OGPValues {
		if normalizeWord(s) == normalizeWord(string(v)) {
			return v, nil
		}
	}
	return "", Errorf(EINVALID, "%q is not an OGP value (want Access to Information, Civic Participation, Public Accountability, Technology and Innovation)", s)
}

// Need is support an update says the commitment needs.
type Need string

// Needs a member can flag.
const (
	NeedResources        Need = "resources"
	NeedPoliticalSupport Need = "political_support"
)

// Needs lists the needs a member can flag.
var Needs = []Need{NeedResources, NeedPoliticalSupport}

// Source says how an update reached the bot.
type Source string

// Update sources.
const (
	SourceForm    Source = "form"
	SourceThread  Source = "thread"
	SourceCommand Source = "command"
)

// normalizeWord lowercases s and drops spaces, underscores and hyphens so that
// "Not Started", "not_started" and "NOT-STARTED" compare equal.
func normalizeWord(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != ' ' && r != '_' && r != '-' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Commitment returns the commitment with the given id, compared without case.
func (p *Plan) Commitment(id string) (*Commitment, bool) {
	for i := range p.Commitments {
		if strings.EqualFold(p.Commitments[i].ID, id) {
			return &p.Commitments[i], true
		}
	}
	return nil, false
}

// roster indexes a forum's committees by member, built once on first use:
// a round asks who sits where for every prompt it sends.
type roster struct {
	once        sync.Once
	members     []Member
	byWho       map[Address]Member
	commitments map[Address][]*Commitment
}

// people returns the forum's roster. The forum's plan must not change
// after its first use.
func (f *Forum) people() *roster {
	r := &f.roster
	r.once.Do(func() {
		r.byWho = map[Address]Member{}
		r.commitments = map[Address][]*Commitment{}
		for i := range f.Plan.Commitments {
			c := &f.Plan.Commitments[i]
			for _, m := range c.Committee {
				if _, seen := r.byWho[m.Who]; !seen {
					r.byWho[m.Who] = m
					r.members = append(r.members, m)
				}
				if mine := r.commitments[m.Who]; len(mine) == 0 || mine[len(mine)-1] != c {
					r.commitments[m.Who] = append(mine, c)
				}
			}
		}
	})
	return r
}

// Members returns every distinct member of the forum's committees, in the
// order they first appear. The slice is shared: do not modify it.
func (f *Forum) Members() []Member { return f.people().members }

// Member returns the member with the given address.
func (f *Forum) Member(who Address) (Member, bool) {
	m, ok := f.people().byWho[who]
	return m, ok
}

// CommitmentsOf returns the commitments on whose committees who sits. The
// slice is shared: do not modify it.
func (f *Forum) CommitmentsOf(who Address) []*Commitment { return f.people().commitments[who] }

// IsCoordinator reports whether who coordinates the forum.
func (f *Forum) IsCoordinator(who Address) bool { return contains(f.Coordinators, who) }

// IsOfficial reports whether who is one of the forum's officials.
func (f *Forum) IsOfficial(who Address) bool { return contains(f.Officials, who) }

// LocaleOf returns the locale in which to address who.
func (f *Forum) LocaleOf(who Address) string {
	if m, ok := f.Member(who); ok && m.Locale != "" {
		return m.Locale
	}
	return f.Locale
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
