package ogp

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"forumbot/bot"
)

// Dates as action plans write them in their milestone tables, in English,
// Spanish, French and Portuguese: "March 2019", "Sept. 2018", "junio de
// 2024", "20 de junio de 2024", "1er mars 2021", "September 01, 2018",
// "15.03.2019", "10/01/2018", "2019-03-15", "08.2022".

// monthNames maps month names and abbreviations, lower case, to months.
// "out" and "set" (Portuguese and Spanish abbreviations) are English words
// too: they count only with their dot. "março" needs its cedilla: "marco"
// is Spanish for framework ("el marco de 2019").
var monthNames = map[string]time.Month{
	"january": 1, "jan": 1, "enero": 1, "ene": 1, "janvier": 1, "janv": 1, "janeiro": 1,
	"february": 2, "feb": 2, "febrero": 2, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fevereiro": 2, "fev": 2,
	"march": 3, "mar": 3, "marzo": 3, "mars": 3, "março": 3,
	"april": 4, "apr": 4, "abril": 4, "abr": 4, "avril": 4, "avr": 4,
	"may": 5, "mayo": 5, "mai": 5, "maio": 5,
	"june": 6, "jun": 6, "junio": 6, "juin": 6, "junho": 6,
	"july": 7, "jul": 7, "julio": 7, "juillet": 7, "juil": 7, "julho": 7,
	"august": 8, "aug": 8, "agosto": 8, "ago": 8, "août": 8, "aout": 8,
	"september": 9, "sep": 9, "sept": 9, "septiembre": 9, "setiembre": 9, "set.": 9, "septembre": 9, "setembro": 9,
	"october": 10, "oct": 10, "octubre": 10, "octobre": 10, "outubro": 10, "out.": 10,
	"november": 11, "nov": 11, "noviembre": 11, "novembre": 11, "novembro": 11,
	"december": 12, "dec": 12, "diciembre": 12, "dic": 12, "décembre": 12, "decembre": 12, "déc": 12, "dezembro": 12, "dez": 12,
}

// dateRE matches one date; its named groups say which form it has.
var dateRE = func() *regexp.Regexp {
	names := make([]string, 0, len(monthNames))
	for name := range monthNames {
		names = append(names, regexp.QuoteMeta(name))
	}
	// Longest first, so that "marzo" is not read as "mar".
	slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
	month := `(?:` + strings.Join(names, "|") + `)\.?`
	day := `[0-3]?\d(?:er|st|nd|rd|th|º|°)?`
	year := `(?:19|20)\d\d`
	return regexp.MustCompile(`(?i)\b(?:` +
		`(?P<d1>` + day + `)\.?\s+(?:de\s+)?(?P<m1>` + month + `)\s*,?\s+(?:de\s+|del\s+)?(?P<y1>` + year + `)` +
		`|(?P<m2>` + month + `)\s+(?P<d2>` + day + `),?\s+(?P<y2>` + year + `)` +
		`|(?P<m3>` + month + `)\s*(?:,|/|\s(?:de|del)\s)?\s*(?P<y3>` + year + `)` +
		`|(?P<y4>` + year + `)-(?P<m4>\d\d)-(?P<d4>\d\d)` +
		`|(?P<d5>\d{1,2})\.(?P<m5>\d{1,2})\.(?P<y5>` + year + `)` +
		`|(?P<a6>\d{1,2})/\s?(?P<b6>\d{1,2})/\s?(?P<y6>` + year + `)` +
		`|(?P<m7>0[1-9]|1[0-2])[./](?P<y7>` + year + `)` +
		`)\b`)
}()

// textDate is a date found in running text.
type textDate struct {
	start, end int // byte offsets in the text
	year       int
	month      int // 0 for a slashed date, whose order its table decides
	day        int // 0 when only the month is given
	// first and second are a slashed date's numbers: day and month, or
	// month and day.
	first, second int
	// endOf marks "end of December 2024": the month's last day, even when
	// it starts a milestone.
	endOf bool
}

// findDates returns the dates in text, in order.
func findDates(text string) []textDate {
	var out []textDate
	group := func(m []int, name string) string {
		i := dateRE.SubexpIndex(name)
		if i < 0 || m[2*i] < 0 {
			return ""
		}
		return text[m[2*i]:m[2*i+1]]
	}
	for _, m := range dateRE.FindAllStringSubmatchIndex(text, -1) {
		d := textDate{start: m[0], end: m[1]}
		for _, form := range []struct{ d, m, y string }{{"d1", "m1", "y1"}, {"d2", "m2", "y2"}, {"", "m3", "y3"}, {"d4", "m4", "y4"}, {"d5", "m5", "y5"}, {"", "m7", "y7"}} {
			if y := group(m, form.y); y != "" {
				d.year, _ = strconv.Atoi(y)
				d.month = monthNumber(group(m, form.m))
				d.day = leadingNumber(group(m, form.d))
			}
		}
		if y := group(m, "y6"); y != "" {
			d.year, _ = strconv.Atoi(y)
			d.first, d.second = leadingNumber(group(m, "a6")), leadingNumber(group(m, "b6"))
		}
		out = append(out, d)
	}
	return out
}

// monthNumber reads a month written as a name or a number, or returns 0.
func monthNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	s = strings.ToLower(s)
	if m, ok := monthNames[s]; ok {
		return int(m)
	}
	return int(monthNames[strings.TrimSuffix(s, ".")])
}

// leadingNumber reads the number that starts s ("1er" → 1), or 0.
func leadingNumber(s string) int {
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// slashed reports whether d was written with slashes, its order undecided.
func (d textDate) slashed() bool { return d.month == 0 }

// date returns d as a date, reading a slashed date day first when
// dayFirst is set, and a month without a day as its first or last day as b
// says.
func (d textDate) date(dayFirst bool, b bound) (bot.Date, error) {
	switch {
	case d.slashed() && dayFirst:
		return checkedDate(d.year, d.second, d.first)
	case d.slashed():
		return checkedDate(d.year, d.first, d.second)
	case d.day > 0:
		return checkedDate(d.year, d.month, d.day)
	case d.month < 1 || d.month > 12:
		return bot.Date{}, errNotDate
	case d.endOf:
		b = endOfPeriod
	}
	return vague(d.year, time.Month(d.month), time.Month(d.month), b)
}
