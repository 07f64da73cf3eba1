package ogp

import (
	"fmt"
	"regexp"
	"strconv"

	"forumbot/bot"
)

// A milestone row gives a start and a due date ("March 2019 – June 2019",
// "01/01/2024 | 01/06/2024", "Begins January 2021 and ongoing until
// December 2022"), a range whose end is a year or missing ("September
// 2019-2019", "January 2019 – NA"), or a due date alone ("20 de junio de
// 2024").

// dateSpan is the date or dates of one milestone row.
type dateSpan struct {
	start, end int // byte offsets in the text, qualifiers included
	from       textDate
	to         *textDate // the range's end, when written as a date
	toYear     int       // the range's end, when written as a year
	open       bool      // the range's end is given as NA or "ongoing"
}

// isRange reports whether s gives a start and an end, read or not.
func (s dateSpan) isRange() bool { return s.to != nil || s.toYear != 0 || s.open }

// rangeSep is what may separate a range's two dates; nothing but blanks
// also does, as in tables flattened to one line.
var rangeSep = regexp.MustCompile(`(?i)^[\s|]*(?:-|–|—|to|till|until|through|and ongoing until|hasta|al|a|au|à|jusqu'au|jusqu’au|até|ao)?[\s|]*$`)

// rangeEnd matches a range's end written as a year or as no date.
var rangeEnd = regexp.MustCompile(`(?i)^\s*(?:-|–|—|to|until|a|al|hasta|au|à|até)\s*(?:((?:19|20)\d\d)|NA|N/A|ND|TBD|ongoing|en curso|en cours|em curso)\b`)

// startQualifier and endQualifier come before a range's first date: the
// first says it is a start, the second that it is the month's end.
var (
	startQualifier = regexp.MustCompile(`(?i)(?:^|\s)(?:begins?|beginning|starting|starts|from|since|desde|a partir de|à partir de|dès|início em|inicio)\s+$`)
	endQualifier   = regexp.MustCompile(`(?i)(?:^|\s)(?:by the end of|the end of|end of|fin de|finales de|fines de|fim de|final de)\s+$`)
)

// findSpans groups the dates of text into the spans of milestone rows.
func findSpans(text string) []dateSpan {
	dates := findDates(text)
	var spans []dateSpan
	prevEnd := 0
	for i := 0; i < len(dates); i++ {
		s := dateSpan{start: dates[i].start, end: dates[i].end, from: dates[i]}
		before := text[prevEnd:s.start]
		if m := endQualifier.FindStringIndex(before); m != nil {
			s.start, s.from.endOf = prevEnd+m[0], true
		} else if m := startQualifier.FindStringIndex(before); m != nil {
			s.start = prevEnd + m[0]
		}
		switch after := text[s.end:]; {
		case i+1 < len(dates) && rangeSep.MatchString(text[s.end:dates[i+1].start]):
			i++
			s.to, s.end = &dates[i], dates[i].end
		case rangeEnd.MatchString(after) && !startsDate(dates[i+1:], s.end, rangeEnd.FindStringIndex(after)[1]):
			m := rangeEnd.FindStringSubmatchIndex(after)
			if m[2] >= 0 {
				s.toYear, _ = strconv.Atoi(after[m[2]:m[3]])
			} else {
				s.open = true
			}
			s.end += m[1]
		}
		spans = append(spans, s)
		prevEnd = s.end
	}
	return spans
}

// startsDate reports whether the next of dates starts before offset
// from+n: the year after a dash is then part of a date, not a range's end.
func startsDate(dates []textDate, from, n int) bool {
	return len(dates) > 0 && dates[0].start < from+n
}

// milestoneDates returns the start and due date of a span, reading slashed
// dates day first when dayFirst is set. A single date is a due date.
func (s dateSpan) milestoneDates(dayFirst bool) (start, due bot.Date, err error) {
	if !s.isRange() {
		due, err = s.from.date(dayFirst, endOfPeriod)
		return bot.Date{}, due, err
	}
	if start, err = s.from.date(dayFirst, startOfPeriod); err != nil {
		return bot.Date{}, bot.Date{}, err
	}
	switch {
	case s.to != nil:
		due, err = s.to.date(dayFirst, endOfPeriod)
	case s.toYear != 0:
		due, err = vague(s.toYear, 1, 12, endOfPeriod)
	}
	return start, due, err
}

// slashOrder decides whether the slashed dates of spans are written day
// first (31/12/2024) or month first (12/31/2024): as their numbers over 12
// show, else as the one reading in which every date exists and every range
// ends after it starts. It returns an error when no reading or both do.
func slashOrder(spans []dateSpan) (dayFirst bool, err error) {
	var dayFirstSeen, monthFirstSeen bool
	var example *textDate
	same := true
	for _, s := range spans {
		for _, d := range []*textDate{&s.from, s.to} {
			if d == nil || !d.slashed() {
				continue
			}
			if example == nil {
				example = d
			}
			dayFirstSeen = dayFirstSeen || d.first > 12
			monthFirstSeen = monthFirstSeen || d.second > 12
			same = same && d.first == d.second
		}
	}
	switch {
	case example == nil || same:
		return false, nil
	case dayFirstSeen && monthFirstSeen:
		return false, fmt.Errorf("its dates are written both day first and month first")
	case dayFirstSeen || monthFirstSeen:
		return dayFirstSeen, nil
	}
	dmy, mdy := readsWell(spans, true), readsWell(spans, false)
	if dmy != mdy {
		return dmy, nil
	}
	return false, fmt.Errorf("dates such as %02d/%02d/%d read as well day first as month first", example.first, example.second, example.year)
}

// readsWell reports whether every span gives existing dates in order when
// slashed dates are read as dayFirst says.
func readsWell(spans []dateSpan, dayFirst bool) bool {
	for _, s := range spans {
		start, due, err := s.milestoneDates(dayFirst)
		if err != nil || (!start.IsZero() && !due.IsZero() && due.Before(start)) {
			return false
		}
	}
	return true
}
