package bot

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
)

// Form field names of the update form.
const (
	FieldCompletion = "completion"
	FieldProgress   = "progress"
	FieldBlockers   = "blockers"
	FieldNextSteps  = "next_steps"
	FieldEvidence   = "evidence"
	FieldNeeds      = "needs"
	FieldMilestones = "milestones"
)

// Limits on form input, in characters. Slack's plain-text inputs take up to
// 3,000 and Discord's up to 4,000; these keep answers readable in a digest.
const (
	MaxProgress  = 2000
	MaxBlockers  = 1000
	MaxNextSteps = 1000
	MaxEvidence  = 2000
	MaxLinks     = 10
)

// FormRef identifies the update form of one commitment in one round.
type FormRef struct {
	RoundID      int64
	CommitmentID string
}

// String encodes r for a button value or a form's private metadata.
func (r FormRef) String() string { return fmt.Sprintf("u:%d:%s", r.RoundID, r.CommitmentID) }

// ParseFormRef decodes FormRef.String.
func ParseFormRef(s string) (FormRef, error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || parts[0] != "u" || parts[2] == "" {
		return FormRef{}, Errorf(EINVALID, "%q is not a form reference", s)
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return FormRef{}, Errorf(EINVALID, "%q is not a form reference", s)
	}
	return FormRef{RoundID: id, CommitmentID: parts[2]}, nil
}

// promptInput is what one member's prompt shows.
type promptInput struct {
	Forum  *Forum
	Round  Round
	Member Member
	// Answers holds the member's latest update this round, by commitment:
	// an answer, or a note without a level.
	Answers map[string]Update
	// Last holds the member's latest answer with a level before this
	// round, by commitment.
	Last map[string]Update
	// Done holds, by commitment, the milestones reported done by this
	// round and the period each first was: they are no longer due.
	Done map[string]map[string]Period
	// Reminder makes the message a reminder.
	Reminder bool
	// ByEmail says the message goes by e-mail, where nobody can reply in
	// a thread or type a command: its footer says what to do instead.
	ByEmail bool
}

// renderPrompt builds the monthly prompt (or a reminder) for one member: a
// section per commitment they sit on, with what is due, what they have
// answered this round, and a button that opens the form. A reminder says
// which commitments still need an answer.
func renderPrompt(t Texts, in promptInput) Message {
	f, r := in.Forum, in.Round
	closes := t.Time(r.ClosesAt.In(f.Location))
	msg := Message{
		Header: t.T("prompt.header", "Forum", f.Name, "Period", t.Period(r.Period)),
		Text:   t.T("prompt.intro", "Name", in.Member.Name, "Period", t.Period(r.Period), "Closes", closes),
		Footer: t.T("prompt.footer", "Date", t.Date(awayExample(DateOf(r.ClosesAt.In(f.Location))))),
	}
	if in.ByEmail {
		msg.Footer = t.T("prompt.footer.email")
	}
	if in.Reminder {
		msg.Header = t.T("reminder.header", "Forum", f.Name, "Period", t.Period(r.Period))
		msg.Text = reminderText(t, in, closes)
	}
	if r.State == RoundClosed {
		msg.Text = t.T("prompt.closed", "Period", t.Period(r.Period))
	}
	for _, c := range f.CommitmentsOf(in.Member.Who) {
		msg.Sections = append(msg.Sections, promptSection(t, f, r, c, in))
	}
	return msg
}

// reminderText names the commitments still owed and thanks for the others.
func reminderText(t Texts, in promptInput, closes string) string {
	var owedIDs, doneIDs []string
	for _, c := range in.Forum.CommitmentsOf(in.Member.Who) {
		if u, ok := in.Answers[c.ID]; ok && u.Answered() {
			doneIDs = append(doneIDs, c.ID)
		} else {
			owedIDs = append(owedIDs, c.ID)
		}
	}
	text := t.T("reminder.intro", "Name", in.Member.Name, "List", strings.Join(owedIDs, ", "), "Closes", closes)
	if len(doneIDs) > 0 {
		text += " " + t.T("reminder.thanks", "List", strings.Join(doneIDs, ", "))
	}
	return text
}

func promptSection(t Texts, f *Forum, r Round, c *Commitment, in promptInput) Section {
	s := Section{Title: c.ID + " · " + OneLine(c.Title, maxEchoShort, "…")}
	var due []string
	for _, m := range c.Milestones {
		if _, done := in.Done[c.ID][m.ID]; done || m.Due.IsZero() {
			continue
		}
		if !r.Period.Last().Before(m.Due) && m.Due.Period().Compare(r.Period.Add(-2)) >= 0 {
			due = append(due, t.T("prompt.milestone", "Title", OneLine(m.Title, maxEchoShort, "…"), "Date", t.Date(m.Due)))
		}
	}
	if len(due) > 0 {
		s.Fields = append(s.Fields, Field{Label: t.T("prompt.due"), Value: strings.Join(due, "\n")})
	}
	button := Button{Label: t.T("prompt.button.report"), Action: ActionOpenForm, Value: FormRef{r.ID, c.ID}.String(), Style: StylePrimary}
	u, answered := in.Answers[c.ID]
	if answered {
		s.Fields = append(s.Fields, Field{Label: t.T("prompt.recorded"), Value: answerText(t, f, u)})
	}
	if answered && u.Answered() {
		button.Label, button.Style = t.T("prompt.button.edit"), StyleDefault
	} else if last, ok := in.Last[c.ID]; ok {
		s.Fields = append(s.Fields, Field{Label: t.T("prompt.last"), Value: t.T("prompt.last.value", "Level", t.Level(last.Completion), "Period", t.Period(last.Period))})
	}
	s.Buttons = []Button{button}
	return s
}

// answerText summarises a stored update for the person who gave it.
func answerText(t Texts, f *Forum, u Update) string {
	parts := []string{t.Level(u.Completion)}
	if !u.Answered() {
		parts[0] = t.T("prompt.no_level")
	}
	if u.Progress != "" {
		parts = append(parts, OneLine(u.Progress, 150, "…"))
	}
	if u.Note != "" {
		parts = append(parts, t.T("prompt.note", "Text", OneLine(u.Note, 150, "…")))
	}
	for _, n := range u.Needs {
		parts = append(parts, t.T("prompt.needs", "Need", t.Need(n)))
	}
	parts = append(parts, t.T("prompt.recorded_at", "When", t.Time(u.SubmittedAt.In(f.Location))))
	if u.Correction {
		parts = append(parts, t.T("prompt.correction"))
	}
	return strings.Join(parts, " · ")
}

// FormTexts returns the words around a form in the locale.
func (t Texts) FormTexts() FormTexts {
	return FormTexts{
		Continue: t.T("form.step.continue"), TryAgain: t.T("form.step.try_again"),
		ChooseLevel: t.T("form.step.choose_level", "Field", t.T("form.completion")), MenusFirst: t.T("form.step.menus_first"),
		NotSaved: t.T("form.step.not_saved", "TryAgain", t.T("form.step.try_again")), YouWrote: t.T("form.step.you_wrote"),
		TooSlow: t.T("form.step.too_slow"), StillSaving: t.T("form.step.still_saving"), OnePerLine: t.T("form.step.one_per_line"),
	}
}

// DefaultFormTexts are the words around a form in English, for adapters
// given a form that carries none.
var DefaultFormTexts = sync.OnceValue(func() FormTexts { return MustCatalog().Texts("en").FormTexts() })

// renderForm builds the update form of one commitment, pre-filled from the
// member's answer this round or, failing that, their last one.
func renderForm(t Texts, ref FormRef, c *Commitment, prefill *Update, fresh bool) Form {
	form := Form{
		Ref:    ref.String(),
		Title:  t.T("form.title", "ID", c.ID),
		Submit: t.T("form.submit"),
		Texts:  t.FormTexts(),
	}
	levels := make([]Option, len(Completions))
	for i, l := range Completions {
		levels[i] = Option{Value: string(l), Label: t.Level(l)}
	}
	needs := make([]Option, len(Needs))
	for i, n := range Needs {
		needs[i] = Option{Value: string(n), Label: t.Need(n)}
	}
	var ms []Option
	for _, m := range c.Milestones {
		label := OneLine(m.ID+" · "+m.Title, 75, "…")
		ms = append(ms, Option{Value: m.ID, Label: label})
	}
	var p Update
	if prefill != nil {
		p = *prefill
	}
	form.Fields = []FormField{
		{Name: FieldCompletion, Label: t.T("form.completion"), Kind: FieldSelect, Required: true, Options: levels, Initial: nonEmpty(string(p.Completion))},
		{Name: FieldProgress, Label: t.T("form.progress"), Hint: t.T("form.progress.hint"), Kind: FieldLongText, Required: true, MaxLen: MaxProgress, Initial: nonEmpty(keepIf(fresh, p.Progress))},
		{Name: FieldBlockers, Label: t.T("form.blockers"), Hint: t.T("form.blockers.hint"), Kind: FieldLongText, MaxLen: MaxBlockers, Initial: nonEmpty(p.Blockers)},
		{Name: FieldNextSteps, Label: t.T("form.next_steps"), Kind: FieldLongText, MaxLen: MaxNextSteps, Initial: nonEmpty(keepIf(fresh, p.NextSteps))},
		{Name: FieldEvidence, Label: t.T("form.evidence"), Hint: t.T("form.evidence.hint"), Kind: FieldLongText, MaxLen: MaxEvidence, Initial: nonEmpty(strings.Join(p.Evidence, "\n"))},
		{Name: FieldNeeds, Label: t.T("form.needs"), Kind: FieldChecks, Options: needs, Initial: needStrings(p.Needs)},
	}
	if len(ms) > 0 {
		form.Fields = append(form.Fields, FormField{Name: FieldMilestones, Label: t.T("form.milestones"), Kind: FieldChecks, Options: ms, Initial: p.MilestonesDone})
	}
	return form
}

func keepIf(keep bool, s string) string {
	if keep {
		return s
	}
	return ""
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func needStrings(ns []Need) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = string(n)
	}
	return out
}

// parseForm checks a submitted update form field by field. It returns the
// update's content, or the errors to show beside each field.
func parseForm(t Texts, c *Commitment, values map[string][]string) (Update, map[string]string) {
	errs := map[string]string{}
	one := func(name string) string {
		v := values[name]
		if len(v) == 0 {
			return ""
		}
		return strings.TrimSpace(v[0])
	}
	var u Update
	if level := one(FieldCompletion); level == "" {
		errs[FieldCompletion] = t.T("form.err.required")
	} else if l, err := ParseCompletion(level); err != nil {
		errs[FieldCompletion] = t.T("form.err.level")
	} else {
		u.Completion = l
	}
	u.Progress = checkText(t, errs, FieldProgress, one(FieldProgress), MaxProgress, true)
	u.Blockers = checkText(t, errs, FieldBlockers, one(FieldBlockers), MaxBlockers, false)
	u.NextSteps = checkText(t, errs, FieldNextSteps, one(FieldNextSteps), MaxNextSteps, false)
	evidence := checkText(t, errs, FieldEvidence, one(FieldEvidence), MaxEvidence, false)
	u.Evidence = parseLinks(t, errs, evidence)
	for _, v := range values[FieldNeeds] {
		n := Need(v)
		if !contains(Needs, n) {
			errs[FieldNeeds] = t.T("form.err.option", "Value", echoInput(v))
			continue
		}
		if !contains(u.Needs, n) {
			u.Needs = append(u.Needs, n)
		}
	}
	for _, v := range values[FieldMilestones] {
		found := false
		for _, m := range c.Milestones {
			found = found || m.ID == v
		}
		if !found {
			errs[FieldMilestones] = t.T("form.err.option", "Value", echoInput(v))
			continue
		}
		if !contains(u.MilestonesDone, v) {
			u.MilestonesDone = append(u.MilestonesDone, v)
		}
	}
	if len(errs) > 0 {
		return Update{}, errs
	}
	return u, nil
}

func checkText(t Texts, errs map[string]string, name, v string, max int, required bool) string {
	switch n := len([]rune(v)); {
	case required && v == "":
		errs[name] = t.T("form.err.required")
	case n > max:
		errs[name] = t.T("form.err.too_long", "Max", max, "Got", n)
	}
	return v
}

// parseLinks reads one http(s) link per line (or separated by spaces).
func parseLinks(t Texts, errs map[string]string, text string) []string {
	var links []string
	for _, w := range strings.Fields(text) {
		u, err := url.Parse(w)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(w, "<>|\"") {
			errs[FieldEvidence] = t.T("form.err.url", "Value", echoInput(w))
			return nil
		}
		if !contains(links, w) {
			links = append(links, w)
		}
	}
	if len(links) > MaxLinks {
		errs[FieldEvidence] = t.T("form.err.too_many_links", "Max", MaxLinks)
		return nil
	}
	return links
}
