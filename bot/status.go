package bot

import (
	"fmt"
	"sort"
	"strings"
)

// statusInput is what a commitment's status is computed from.
type statusInput struct {
	Commitment *Commitment
	// Digest is the digest of the current period narrowed to Commitment:
	// the status shows the same figures as the digest.
	Digest DigestData
	// Recent holds the commitment's latest stored updates; the three
	// stored last are shown, newest first.
	Recent []Update
}

// renderStatus builds the reply to "status <commitment>": title, lead agency,
// committee by organisation, both views of completion with this round's
// answers, milestones, the last three updates, open flags and the next
// round.
func renderStatus(t Texts, in statusInput) Message {
	d, c := &in.Digest, in.Commitment
	f := d.Forum
	var cd *CommitmentDigest
	for i := range d.Commitments {
		if d.Commitments[i].Commitment.ID == c.ID {
			cd = &d.Commitments[i]
		}
	}
	if cd == nil {
		cd = &CommitmentDigest{Commitment: c}
	}
	msg := Message{Header: c.ID + " · " + OneLine(c.Title, maxEchoShort, "…")}
	var intro []string
	if c.LeadAgency != "" {
		intro = append(intro, t.T("status.lead", "Agency", c.LeadAgency))
	}
	intro = append(intro, t.T("status.committee", "List", committeeText(t, c)))
	msg.Text = strings.Join(intro, "\n")

	now := Section{Title: t.T("status.now", "Period", t.Period(d.Period))}
	for _, v := range cd.Views {
		now.Fields = append(now.Fields, Field{Label: t.Group(v.Group), Value: ViewChangeText(t, v, d.Period)})
	}
	var lines []string
	if cd.Disagreement {
		lines = append(lines, "⚠ "+t.T("digest.disagreement"))
	}
	if d.HasRound {
		lines = append(lines, commitmentResponseText(t, cd))
	}
	now.Text = strings.Join(lines, "\n")
	msg.Sections = append(msg.Sections, now)
	if ms := milestoneStates(t, c, d.Period, cd.Milestones); ms != "" {
		msg.Sections = append(msg.Sections, Section{Title: t.T("status.milestones"), Text: ms})
	}
	msg.Sections = append(msg.Sections, Section{Title: t.T("status.recent"), Text: recentText(t, f, in.Recent)})
	if flags := flagLinesOpen(t, cd); flags != "" {
		msg.Sections = append(msg.Sections, Section{Title: t.T("status.flags"), Text: flags})
	}
	msg.Footer = NextRoundText(t, d)
	return msg
}

func committeeText(t Texts, c *Commitment) string {
	type org struct {
		name  string
		group Group
		chair bool
		n     int
	}
	var orgs []*org
	byName := map[string]*org{}
	for _, m := range c.Committee {
		o := byName[m.Organisation]
		if o == nil {
			o = &org{name: m.Organisation, group: m.Group}
			byName[m.Organisation] = o
			orgs = append(orgs, o)
		}
		o.n++
		o.chair = o.chair || m.Role == Chair
	}
	if len(orgs) == 0 {
		return t.T("status.no_committee")
	}
	var parts []string
	for _, o := range orgs {
		s := fmt.Sprintf("%s (%s", o.name, t.Group(o.group))
		if o.chair {
			s += ", " + t.T("status.chair")
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, "; ")
}

func milestoneStates(t Texts, c *Commitment, p Period, s MilestoneSummary) string {
	var lines []string
	for _, m := range c.Milestones {
		title := OneLine(m.Title, maxEchoShort, "…")
		_, done := s.DoneIn[m.ID]
		switch {
		case done:
			lines = append(lines, "✓ "+t.T("status.milestone.done", "ID", m.ID, "Title", title, "Date", t.Date(m.Due)))
		case !m.Due.IsZero() && m.Due.Before(p.First()):
			lines = append(lines, "✗ "+t.T("status.milestone.overdue", "ID", m.ID, "Title", title, "Date", t.Date(m.Due)))
		default:
			lines = append(lines, "○ "+t.T("status.milestone.open", "ID", m.ID, "Title", title, "Date", t.Date(m.Due)))
		}
	}
	if s.Total > 0 {
		lines = append(lines, t.T("digest.milestones", "Bar", progressBar(s.Done, s.Total), "Done", s.Done, "Total", s.Total, "Due", s.DueByNow))
	}
	return strings.Join(lines, "\n")
}

func recentText(t Texts, f *Forum, recent []Update) string {
	sort.SliceStable(recent, func(i, j int) bool { return recent[i].ID > recent[j].ID })
	if len(recent) > 3 {
		recent = recent[:3]
	}
	if len(recent) == 0 {
		return t.T("status.no_updates")
	}
	more := t.T("echo.more")
	var lines []string
	for _, u := range recent {
		text := u.Progress
		if u.Note != "" {
			text = strings.TrimSpace(text + " " + u.Note)
		}
		level := t.Level(u.Completion)
		if !u.Answered() {
			level = t.T("update.note_only")
		}
		line := fmt.Sprintf("%s · %s (%s): %s", t.Date(DateOf(u.SubmittedAt.In(f.Location))), u.Organisation, t.Group(u.Group), level)
		if text != "" {
			line += " · " + Sanitize(text, maxEchoShort*2, more)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func flagLinesOpen(t Texts, cd *CommitmentDigest) string {
	open := *cd
	open.Highlights, open.Evidence = nil, nil
	var b lineBuilder
	writeFlagLines(&b, t, &open)
	return b.String()
}
