package bot

import (
	"context"
	"regexp"
	"strings"
	"unicode"
)

// Reply is a reply to a prompt as parseReply reads it.
type Reply struct {
	// Targets are the commitments the reply is about: the one it names
	// first, or else every one the member sits on.
	Targets []*Commitment
	// Level is the completion level it gives, if any.
	Level Completion
	// NotALevel is what stands where a level would but is none: one to
	// three words before a colon right after the commitment id ("PY0056
	// sustantival: …"), or a near miss of a level form at the start of the
	// text. "Also: …" without an id is a plain note. Empty when Level is
	// set.
	NotALevel string
	// Note is the text to keep as a note; empty when the reply gives a
	// level and nothing else.
	Note string
}

// replySeparators may stand between a commitment id, a level and a note.
const replySeparators = " \t\r\n\u00a0\u202f:,.;-–—"

// labelRE is one to three words followed by a colon (not a link's "://").
var labelRE = regexp.MustCompile(`^([\p{L}'’]+(?:[ \t\x{a0}\x{202f}]+[\p{L}'’]+){0,2})[ \t\x{a0}\x{202f}]*:(?:[^/]|$)`)

// parseReply reads a reply to a prompt: an optional commitment id among
// mine, then an optional completion level in locales (the member's, then
// the forum's; English is always read), then a note. "PY0056 sustancial:
// asistimos al taller" names PY0056 and Substantial, with the note
// "asistimos al taller".
func parseReply(mine []*Commitment, text string, locales []string) Reply {
	text = strings.TrimSpace(text)
	r := Reply{Targets: mine}
	rest, named := text, false
	end := strings.IndexFunc(text, unicode.IsSpace)
	if end < 0 {
		end = len(text)
	}
	for _, c := range mine {
		if strings.EqualFold(strings.TrimRight(text[:end], ":,.;"), c.ID) {
			r.Targets, rest, named = []*Commitment{c}, strings.TrimLeft(text[end:], replySeparators), true
			break
		}
	}
	x := lexiconFor(locales)
	if level, at := x.level(rest); level != NoCompletion {
		r.Level, r.Note = level, strings.TrimLeft(rest[at:], replySeparators)
		return r
	}
	label := ""
	if m := labelRE.FindStringSubmatch(rest); m != nil {
		label = m[1]
	}
	first := strings.FieldsFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	switch {
	case label != "" && (named || x.nearLevel(label)):
		r.NotALevel = label
	case len(first) > 0 && strings.HasPrefix(rest, first[0]) && x.nearLevel(first[0]):
		r.NotALevel = first[0]
	}
	r.Note = rest
	if r.Note == "" {
		r.Note = text
	}
	return r
}

// onReply stores a plain reply to a prompt as a note on the member's update
// for that round, with the level it gives, if any, and says in words what
// was recorded.
func (e *Engine) onReply(ctx context.Context, ev Event) Response {
	t := e.textsFor(ev.From)
	text := strings.TrimSpace(ev.Text)
	if text == "" {
		return Response{}
	}
	f, r, err := e.replyRound(ctx, ev)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.no_prompt")}
	}
	m, _ := f.Member(ev.From)
	t = e.Texts(f.LocaleOf(m.Who))
	if r.State == RoundVoided {
		return Response{Error: t.T("err.round_voided", "Period", t.Period(r.Period))}
	}
	rep := parseReply(f.CommitmentsOf(ev.From), text, []string{m.Locale, f.Locale})
	if len(rep.Targets) == 0 {
		return Response{Error: t.T("err.no_prompt")}
	}
	this, _, err := e.answersOf(ctx, f, r, m.Who, false)
	if err != nil {
		return Response{Error: e.storeError(t, err, "err.no_prompt")}
	}
	var noLevel []string
	for _, c := range rep.Targets {
		u := this[c.ID]
		u.ID, u.Version, u.Source = 0, 0, SourceThread
		if rep.Level != NoCompletion {
			u.Completion = rep.Level
		}
		if u.Completion == NoCompletion {
			noLevel = append(noLevel, c.ID)
		}
		if rep.Note != "" {
			u.Note = strings.TrimSpace(u.Note + "\n" + rep.Note)
		}
		ev := ev
		if ev.ID != "" && len(rep.Targets) > 1 {
			ev.ID += "/" + c.ID
		}
		if _, err := e.addUpdate(ctx, f, r, c, m, u, ev); err != nil {
			return Response{Error: e.storeError(t, err, "err.no_prompt")}
		}
	}
	return Response{
		React: true,
		Reply: &Message{Text: replyConfirmation(t, rep, noLevel, r)},
		FollowUp: e.refresh(func(ctx context.Context) *Edit {
			return e.promptEdit(ctx, f, r, m, ev.MessageRef)
		}),
	}
}

// replyConfirmation says what a stored reply recorded: the level, or that
// it is a note and how to give a level. noLevel lists the commitments that
// still have none this round.
func replyConfirmation(t Texts, rep Reply, noLevel []string, r Round) string {
	ids := make([]string, len(rep.Targets))
	for i, c := range rep.Targets {
		ids[i] = c.ID
	}
	id := strings.Join(ids, ", ")
	var parts []string
	switch {
	case rep.Level != NoCompletion:
		parts = append(parts, t.T("reply.recorded", "ID", id, "Level", t.Level(rep.Level)))
	case rep.NotALevel != "":
		parts = append(parts, t.T("reply.not_a_level", "Value", rep.NotALevel, "ID", id,
			"List", levelList(t), "Example", replyExample(t, ids[0])))
	default:
		parts = append(parts, t.T("reply.noted", "ID", id))
		if len(noLevel) > 0 {
			parts = append(parts, t.T("reply.no_level", "ID", strings.Join(noLevel, ", "), "Example", replyExample(t, noLevel[0])))
		}
	}
	if r.State == RoundClosed {
		parts = append(parts, t.T("reply.correction", "Period", t.Period(r.Period)))
	}
	return strings.Join(parts, " ")
}

// levelList names every completion level in t's locale, as replies may
// write them.
func levelList(t Texts) string {
	names := make([]string, len(Completions))
	for i, c := range Completions {
		names[i] = t.Level(c)
	}
	return strings.Join(names, ", ")
}

// replyExample is a reply that records a level: "C1 sustancial: …".
func replyExample(t Texts, id string) string {
	return id + " " + strings.ToLower(t.Level(Substantial)) + ": …"
}

// replyRound finds the round a reply belongs to: the prompt or reminder it
// answers, or else the member's latest prompt.
func (e *Engine) replyRound(ctx context.Context, ev Event) (*Forum, Round, error) {
	if !ev.MessageRef.IsZero() {
		if d, err := e.store.DeliveryByRef(ctx, ev.MessageRef); err == nil && d.To == ev.From {
			if f, ok := e.byID[d.ForumID]; ok {
				r, err := e.store.RoundByID(ctx, d.RoundID)
				return f, r, err
			}
		}
	}
	var (
		best  Round
		bestF *Forum
	)
	for _, f := range e.forums {
		if _, ok := f.Member(ev.From); !ok {
			continue
		}
		rounds, err := e.store.Rounds(ctx, f.ID)
		if err != nil {
			return nil, Round{}, err
		}
		for i := len(rounds) - 1; i >= 0; i-- {
			if _, err := e.store.DeliveryByKey(ctx, promptKey(f.ID, rounds[i], ev.From)); err == nil {
				if bestF == nil || rounds[i].OpenedAt.After(best.OpenedAt) {
					best, bestF = rounds[i], f
				}
				break
			}
		}
	}
	if bestF == nil {
		return nil, Round{}, Errorf(ENOTFOUND, "no prompt for %s", ev.From)
	}
	return bestF, best, nil
}
