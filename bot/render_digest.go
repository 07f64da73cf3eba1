package bot

import (
	"fmt"
	"strings"
)

// Limits on echoed text, in runes. Longer text is cut with a visible
// "…(more in the report)"; the full text stays in the store and the export.
const (
	maxEchoNote  = 600
	maxEchoShort = 200
)

// RenderDigest turns a computed digest into a platform-neutral message in the
// locale of t.
func RenderDigest(t Texts, d DigestData) Message {
	f := d.Forum
	msg := Message{
		Header: t.T("digest.header", "Forum", f.Name, "Period", t.Period(d.Period)),
		Text:   participationText(t, d.Response),
	}
	if d.Undelivered > 0 {
		msg.Text += "\n" + t.N("digest.undelivered", d.Undelivered)
	}
	if d.ByFallback > 0 {
		msg.Text += "\n" + t.N("digest.by_fallback", d.ByFallback)
	}
	var quiet []string
	for i := range d.Commitments {
		c := &d.Commitments[i]
		if c.Quiet() && len(d.Commitments) > 1 {
			quiet = append(quiet, quietLine(t, c))
			continue
		}
		msg.Sections = append(msg.Sections, commitmentSection(t, d, c))
	}
	if len(quiet) > 0 {
		msg.Sections = append(msg.Sections, Section{Title: t.N("digest.quiet.title", len(quiet)), Text: strings.Join(quiet, "\n")})
	}
	msg.Footer = NextRoundText(t, &d)
	if d.Chain.Entries > 0 {
		msg.Footer = strings.TrimSpace(msg.Footer + "\n" + t.N("digest.record", int(d.Chain.Entries), "Hash", d.Chain.Hash))
	}
	return msg
}

// NextRoundText says when the next round opens or, once the plan is over,
// when the last one was.
func NextRoundText(t Texts, d *DigestData) string {
	f := d.Forum
	switch {
	case !d.NextRound.IsZero():
		return t.T("digest.next_round", "When", t.Time(d.NextRound.In(f.Location)), "Zone", f.Location.String())
	case d.PlanOver():
		return t.T("digest.plan_over", "End", t.Date(f.Plan.End), "Period", t.Period(d.LastRound))
	}
	return ""
}

func participationText(t Texts, p Participation) string {
	var lines []string
	o := p.Overall
	if o.Answered == 0 {
		lines = append(lines, t.T("digest.no_answers"))
	}
	lines = append(lines, t.T("digest.response", "Answered", o.Answered, "Expected", o.Expected, "Percent", t.Percent(o.Percent())))
	var groups []string
	for _, g := range p.Groups {
		groups = append(groups, fmt.Sprintf("%s %d/%d", t.Group(g.Group), g.Answered, g.Expected))
	}
	lines = append(lines, strings.Join(groups, " · "))
	if o.Excused > 0 {
		lines = append(lines, t.N("digest.excused", o.Excused))
	}
	lines = append(lines, orgLines(t, p.Orgs)...)
	return strings.Join(lines, "\n")
}

// maxOrgList is how many organisations a digest lists one by one; a larger
// forum gets a count of those that answered in full and the list of those
// that did not.
const maxOrgList = 6

func orgLines(t Texts, orgs []OrgRate) []string {
	var all, short []string
	full, expected := 0, 0
	for _, r := range orgs {
		if r.Expected == 0 {
			continue
		}
		expected++
		s := fmt.Sprintf("%s %d/%d", r.Organisation, r.Answered, r.Expected)
		all = append(all, s)
		if r.Answered == r.Expected {
			full++
		} else {
			short = append(short, s)
		}
	}
	switch {
	case expected == 0:
		return nil
	case expected <= maxOrgList:
		return []string{t.T("digest.by_org", "List", strings.Join(all, " · "))}
	case len(short) == 0:
		return []string{t.T("digest.orgs_full", "Full", full, "Total", expected)}
	}
	return []string{t.T("digest.orgs_full", "Full", full, "Total", expected), t.T("digest.orgs_short", "List", strings.Join(short, " · "))}
}

// quietLine is a quiet commitment's one line: every group's view, each
// with its month.
func quietLine(t Texts, c *CommitmentDigest) string {
	views := make([]string, len(c.Views))
	for i, v := range c.Views {
		views[i] = t.Group(v.Group) + ": " + viewText(t, v)
	}
	return fmt.Sprintf("%s · %s: %s", c.Commitment.ID, OneLine(c.Commitment.Title, 80, "…"), strings.Join(views, " · "))
}

func commitmentSection(t Texts, d DigestData, c *CommitmentDigest) Section {
	s := Section{Title: c.Commitment.ID + " · " + OneLine(c.Commitment.Title, maxEchoShort, "…")}
	for _, v := range c.Views {
		s.Fields = append(s.Fields, Field{Label: t.Group(v.Group), Value: ViewChangeText(t, v, d.Period)})
	}
	var b lineBuilder
	b.Grow(flagTextSize(c) + 512)
	if c.Disagreement {
		b.line("⚠ " + t.T("digest.disagreement"))
	}
	if c.Stale {
		if c.LastReported.IsZero() {
			b.line(t.T("digest.stale_never"))
		} else {
			b.line(t.T("digest.stale", "Period", t.Period(c.LastReported)))
		}
	}
	if d.HasRound {
		b.line(commitmentResponseText(t, c))
	}
	for _, l := range milestoneLines(t, c.Milestones) {
		b.line(l)
	}
	writeFlagLines(&b, t, c)
	for _, l := range questionLines(t, d.Forum.Location, c) {
		b.line(l)
	}
	s.Text = b.String()
	return s
}

// lineBuilder joins lines with line breaks as they are written, as
// strings.Join(lines, "\n") would, without a string for each line: a big
// forum's digest has tens of thousands of them.
type lineBuilder struct {
	strings.Builder
	lines int
}

// next starts a line, to be written with the Builder's methods.
func (b *lineBuilder) next() {
	if b.lines > 0 {
		b.WriteByte('\n')
	}
	b.lines++
}

// line writes a whole line.
func (b *lineBuilder) line(s string) {
	b.next()
	b.WriteString(s)
}

// flagTextSize estimates the bytes of a commitment's highlights and
// blockers, to size its section once.
func flagTextSize(c *CommitmentDigest) int {
	n := 0
	for _, h := range c.Highlights {
		n += len(h.Organisation) + len(h.Text) + 32
	}
	for _, f := range c.Blockers {
		n += len(f.Organisation) + len(f.Text) + 64
	}
	return n
}

// commitmentResponseText is a commitment's answers this round and who has
// not answered.
func commitmentResponseText(t Texts, c *CommitmentDigest) string {
	r := c.Response
	line := t.T("digest.commitment.response", "Answered", r.Answered, "Expected", r.Expected, "Percent", t.Percent(r.Percent()))
	if r.Excused > 0 {
		line += " · " + t.N("digest.excused", r.Excused)
	}
	if len(c.Missing) > 0 {
		line += " · " + t.T("digest.missing", "List", strings.Join(c.Missing, ", "))
	}
	return line
}

// viewText shows a group's view: its level and how many answers it rests
// on, or, when stale, the month it was last reported.
func viewText(t Texts, v GroupView) string {
	if !v.Reported() {
		return t.T("digest.view.never")
	}
	if v.Stale {
		return t.T("digest.view.stale", "Level", t.Level(v.Completion), "Period", t.Period(v.Period))
	}
	return t.N("digest.view", v.Answers, "Level", t.Level(v.Completion))
}

// ViewChangeText is viewText followed by the change since the group's view
// of the period before p, when there is one to compare.
func ViewChangeText(t Texts, v GroupView, p Period) string {
	text := viewText(t, v)
	delta, ok := v.Change()
	switch {
	case !ok:
		return text
	case delta == 0:
		return t.T("digest.view.same", "View", text, "Period", t.Period(p.Prev()))
	}
	arrow := map[int]string{1: "↑", -1: "↓"}[delta]
	return t.T("digest.view.changed", "View", text, "Arrow", arrow, "From", t.Level(v.Previous), "Period", t.Period(p.Prev()))
}

// progressBar draws done of total as ten cells, e.g. "▰▰▰▱▱▱▱▱▱▱".
func progressBar(done, total int) string {
	if total <= 0 {
		return ""
	}
	full := done * 10 / total
	return strings.Repeat("▰", full) + strings.Repeat("▱", 10-full)
}

func milestoneLines(t Texts, m MilestoneSummary) []string {
	if m.Total == 0 {
		return nil
	}
	lines := []string{t.T("digest.milestones", "Bar", progressBar(m.Done, m.Total), "Done", m.Done, "Total", m.Total, "Due", m.DueByNow)}
	for _, ms := range m.DueNow {
		lines = append(lines, "• "+t.T("digest.milestone.due", "Title", OneLine(ms.Title, maxEchoShort, "…"), "Date", t.Date(ms.Due)))
	}
	for _, ms := range m.Overdue {
		lines = append(lines, "• "+t.T("digest.milestone.overdue", "Title", OneLine(ms.Title, maxEchoShort, "…"), "Date", t.Date(ms.Due)))
	}
	return lines
}

// writeFlagLines writes a commitment's highlights, blockers, needs and
// evidence, a line each.
func writeFlagLines(b *lineBuilder, t Texts, c *CommitmentDigest) {
	more := t.T("echo.more")
	var groups groupNames
	if len(c.Highlights) > 0 {
		b.line(t.T("digest.highlights"))
		for _, h := range c.Highlights {
			b.next()
			b.WriteString("• ")
			b.WriteString(h.Organisation)
			b.WriteString(" (")
			b.WriteString(groups.of(t, h.Group))
			b.WriteString("): ")
			b.WriteString(Sanitize(h.Text, maxEchoNote, more))
		}
	}
	if len(c.Blockers) > 0 {
		b.line(t.T("digest.blockers"))
		for _, f := range c.Blockers {
			b.line("• " + t.T("digest.blocker", "Org", f.Organisation, "Group", groups.of(t, f.Group), "Since", t.Period(f.Since), "Text", Sanitize(f.Text, maxEchoNote, more)))
		}
	}
	for _, n := range c.Needs {
		b.line(t.T("digest.need", "Need", t.Need(n.Need), "Orgs", strings.Join(n.Organisations, ", "), "Since", t.Period(n.Since)))
	}
	if len(c.Evidence) > 0 {
		b.line(t.T("digest.evidence", "List", strings.Join(c.Evidence, " ")))
	}
}

// groupNames remembers the groups' names in one locale, each looked up
// once for all the lines that show it.
type groupNames []struct {
	group Group
	name  string
}

func (g *groupNames) of(t Texts, group Group) string {
	for _, n := range *g {
		if n.group == group {
			return n.name
		}
	}
	name := t.Group(group)
	*g = append(*g, struct {
		group Group
		name  string
	}{group, name})
	return name
}
