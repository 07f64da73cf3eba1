package bot

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// Chart geometry, in SVG user units (about pixels at 96 dpi): wide enough
// for two years of months on an A4 page.
const (
	chartW, chartH      = 640, 170
	chartLeft, chartTop = 118, 12
	chartRight          = 12
	chartBottom         = 34
)

// Series colours: distinguishable in colour and, by the dash, in greyscale.
var seriesStyle = map[Group]string{
	Government:   `stroke="#1f5fa8" stroke-width="2.5"`,
	CivilSociety: `stroke="#c2571a" stroke-width="2.5" stroke-dasharray="6 3"`,
	OtherGroup:   `stroke="#4d7a2a" stroke-width="2" stroke-dasharray="2 3"`,
}

// periodsBetween lists the months from..to inclusive.
func periodsBetween(from, to Period) []Period {
	var out []Period
	for p := from; p.Compare(to) <= 0 && len(out) < 240; p = p.Add(1) {
		out = append(out, p)
	}
	return out
}

// xOf places a period on the chart's x axis.
func xOf(ps []Period, p Period) float64 {
	plot := float64(chartW - chartLeft - chartRight)
	if len(ps) <= 1 {
		return chartLeft + plot/2
	}
	for i, q := range ps {
		if q == p {
			return chartLeft + plot*float64(i)/float64(len(ps)-1)
		}
	}
	return -1
}

// svgOpen starts an accessible chart: role img and a title.
func svgOpen(b *strings.Builder, title string) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" class="chart"><title>%s</title>`,
		chartW, chartH, html.EscapeString(title), html.EscapeString(title))
}

// xAxis labels about six evenly spaced periods.
func xAxis(b *strings.Builder, t Texts, ps []Period) {
	step := max(1, (len(ps)+5)/6)
	base := chartH - chartBottom
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="axis"/>`, chartLeft, base, chartW-chartRight, base)
	for i := 0; i < len(ps); i += step {
		x := xOf(ps, ps[i])
		fmt.Fprintf(b, `<text x="%.1f" y="%d" class="tick" text-anchor="middle">%s</text>`, x, base+16, html.EscapeString(ps[i].String()))
	}
}

// CompletionChart draws a commitment's completion over time: one line per
// stakeholder group on the IRM's scale (Not Started to Complete).
func CompletionChart(t Texts, from, to Period, tl []TimelinePoint) template.HTML {
	ps := periodsBetween(from, to)
	var b strings.Builder
	svgOpen(&b, t.T("report.chart.alt", "From", t.Period(from), "To", t.Period(to)))
	plotH := float64(chartH - chartTop - chartBottom)
	yOf := func(rank int) float64 { return chartTop + plotH - plotH*float64(rank)/3 }
	for rank := 0; rank <= 3; rank++ {
		y := yOf(rank)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>`, chartLeft, y, chartW-chartRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`, chartLeft-6, y+4, html.EscapeString(t.Level(Completions[rank])))
	}
	xAxis(&b, t, ps)
	for _, g := range []Group{Government, CivilSociety} {
		var pts []string
		for _, p := range tl {
			c := p.Government
			if g == CivilSociety {
				c = p.CivilSociety
			}
			rank, ok := c.Rank()
			x := xOf(ps, p.Period)
			if !ok || x < 0 {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, yOf(rank)))
		}
		if len(pts) == 0 {
			continue
		}
		fmt.Fprintf(&b, `<polyline fill="none" %s points="%s"><title>%s</title></polyline>`, seriesStyle[g], strings.Join(pts, " "), html.EscapeString(t.Group(g)))
		for _, pt := range pts {
			xy := strings.Split(pt, ",")
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3" fill="white" %s/>`, xy[0], xy[1], seriesStyle[g])
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// ResponseChart draws each round's response rate by stakeholder group.
func ResponseChart(t Texts, from, to Period, rs []PeriodResponse) template.HTML {
	ps := periodsBetween(from, to)
	var b strings.Builder
	svgOpen(&b, t.T("report.chart.response", "From", t.Period(from), "To", t.Period(to)))
	plotH := float64(chartH - chartTop - chartBottom)
	yOf := func(pct int) float64 { return chartTop + plotH - plotH*float64(pct)/100 }
	for _, pct := range []int{0, 50, 100} {
		y := yOf(pct)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>`, chartLeft, y, chartW-chartRight, y)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" class="tick" text-anchor="end">%s</text>`, chartLeft-6, y+4, html.EscapeString(t.Percent(pct)))
	}
	xAxis(&b, t, ps)
	for _, g := range responseGroups(rs) {
		var pts []string
		for _, pr := range rs {
			r := groupRate(pr, g)
			x := xOf(ps, pr.Period)
			if r.Expected == 0 || x < 0 {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, yOf(r.Percent())))
		}
		if len(pts) > 0 {
			fmt.Fprintf(&b, `<polyline fill="none" %s points="%s"><title>%s</title></polyline>`, seriesStyle[g], strings.Join(pts, " "), html.EscapeString(t.Group(g)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
