package site

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"forumbot/bot"
)

// Geometry of the milestone timeline, in SVG user units: as wide as the
// report's charts, a row per milestone.
const (
	msW, msLeft, msRight = 640, 56, 14
	msTop, msRow, msAxis = 26, 24, 28
)

// milestoneChart draws a commitment's milestones on the plan's calendar:
// a bar from each one's start (when given) to its due date, a mark at the
// due date whose shape says its state (done ●, due this month ▲, overdue
// ◆, not yet due ○), and a dashed line at the end of the period the
// states are as of. The table beside it says the same in words.
func milestoneChart(t bot.Texts, f *bot.Forum, c *bot.Commitment, m *bot.MilestoneSummary, asOf bot.Period) template.HTML {
	if len(c.Milestones) == 0 {
		return ""
	}
	from, to := chartSpan(f.Plan, c, asOf)
	span := to.Sub(from).Hours()
	if span <= 0 {
		span = 24
	}
	xOf := func(d bot.Date) float64 {
		at := d.Time(time.UTC).Sub(from).Hours()
		return msLeft + float64(msW-msLeft-msRight)*min(max(at/span, 0), 1)
	}
	h := msTop + msRow*len(c.Milestones) + msAxis
	var b strings.Builder
	title := t.T("site.milestone.chart", "ID", c.ID, "From", t.Period(bot.PeriodOf(from)), "To", t.Period(bot.PeriodOf(to)))
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" class="chart milestones"><title>%s</title>`,
		msW, h, html.EscapeString(title), html.EscapeString(title))
	base := h - msAxis
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, msLeft, base, msW-msRight, base)
	for _, tick := range yearTicks(from, to) {
		x := xOf(bot.DateOf(tick))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="grid"/>`, x, msTop-6, x, base)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x, base+16, html.EscapeString(t.Period(bot.PeriodOf(tick))))
	}
	if !asOf.IsZero() {
		x := xOf(asOf.Last())
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="asof"/>`, x, msTop-14, x, base)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="tick" text-anchor="%s">%s</text>`, x, msTop-16, anchorAt(x), html.EscapeString(t.T("site.milestone.asof", "Period", t.Period(asOf))))
	}
	for i, ms := range c.Milestones {
		y := float64(msTop + msRow*i + msRow/2)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`, msLeft-8, y+4, html.EscapeString(ms.ID))
		if ms.Due.IsZero() {
			continue
		}
		due := xOf(ms.Due)
		if !ms.Start.IsZero() {
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="span"/>`, xOf(ms.Start), y, due, y)
		}
		state := milestoneState(c, m, ms)
		fmt.Fprintf(&b, `<g class="ms ms-%s"><title>%s</title>%s</g>`, state, html.EscapeString(ms.ID+" "+ms.Title+": "+t.Date(ms.Due)), marker(state, due, y))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// marker is the shape of a milestone's state at (x, y).
func marker(state string, x, y float64) string {
	switch state {
	case "done":
		return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="6"/>`, x, y)
	case "due":
		return fmt.Sprintf(`<path d="M%.1f %.1fl7 12h-14z"/>`, x, y-7)
	case "overdue":
		return fmt.Sprintf(`<path d="M%.1f %.1fl7 7l-7 7l-7-7z"/>`, x, y-7)
	}
	return fmt.Sprintf(`<circle cx="%.1f" cy="%.1f" r="5.5"/>`, x, y)
}

// anchorAt keeps a label near the chart's right edge inside it.
func anchorAt(x float64) string {
	if x > msW-100 {
		return "end"
	}
	return "middle"
}

// chartSpan is the calendar the chart covers: the plan's dates, widened
// to the commitment's, its milestones' and the period shown.
func chartSpan(p bot.Plan, c *bot.Commitment, asOf bot.Period) (from, to time.Time) {
	var first, last bot.Date
	widen := func(d bot.Date) {
		if d.IsZero() {
			return
		}
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if last.IsZero() || last.Before(d) {
			last = d
		}
	}
	for _, d := range []bot.Date{p.Start, p.End, c.Start, c.End} {
		widen(d)
	}
	for _, m := range c.Milestones {
		widen(m.Start)
		widen(m.Due)
	}
	if !asOf.IsZero() {
		widen(asOf.First())
		widen(asOf.Last())
	}
	from = first.Period().First().Time(time.UTC)
	to = last.Period().Last().Time(time.UTC).AddDate(0, 0, 1)
	return from, to
}

// yearTicks marks January and July of each year in [from, to], or every
// January when the span is long.
func yearTicks(from, to time.Time) []time.Time {
	step := 6
	if to.Sub(from) > 4*365*24*time.Hour {
		step = 12
	}
	var out []time.Time
	for at := time.Date(from.Year(), time.January, 1, 0, 0, 0, 0, time.UTC); !at.After(to); at = at.AddDate(0, step, 0) {
		if !at.Before(from) {
			out = append(out, at)
		}
	}
	return out
}
