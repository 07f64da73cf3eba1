package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	// isoDateRE is year first: 2026-12-15 (also with / or .).
	isoDateRE = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	// figuresRE is a day and a month in figures, in either order, with an
	// optional year: 15/12, 15/12/2026, 15.12.26.
	figuresRE = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?$`)
	// dayRE is a day of the month, perhaps an ordinal: 15, 15th, 1er, 1º.
	dayRE  = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th|er|re|e|eme|o|a|º|ª|°|\.º|\.ª)?$`)
	yearRE = regexp.MustCompile(`^\d{4}$`)
)

// awayExample is the date the bot's examples of /forum away show: two
// weeks after from, so that it is always ahead of the reader.
func awayExample(from Date) Date {
	return DateOf(from.Time(time.UTC).AddDate(0, 0, 14))
}

// date reads a date from the words after /forum away: YYYY-MM-DD; a day
// and a month in words in either order, with an optional year ("15 de
// diciembre", "1er décembre", "December 15, 2026", "15 Dec"); or a day, a
// month and an optional year in figures (15/12/2026), read day first when
// the lexicon's first locale writes dates so. A date without a year is the
// next such day from today. It does not refuse a date in the past.
func (x lexicon) date(args []string, today Date) (Date, error) {
	value := strings.Join(args, " ")
	var tokens []string
	for _, a := range args {
		if a = strings.TrimRight(fold(a), ",;"); a != "" && !x.isFiller(a) {
			tokens = append(tokens, a)
		}
	}
	if len(tokens) == 1 {
		if m := isoDateRE.FindStringSubmatch(tokens[0]); m != nil {
			return dateOn(value, atoi(m[1]), atoi(m[2]), atoi(m[3]))
		}
		if m := figuresRE.FindStringSubmatch(tokens[0]); m != nil {
			return x.figures(value, atoi(m[1]), atoi(m[2]), m[3], today)
		}
	}
	if len(tokens) < 2 || len(tokens) > 3 {
		return Date{}, cmdErr("cmd.err.bad_date", "Value", value)
	}
	var month time.Month
	day, year := 0, 0
	for i, tok := range tokens {
		if m, ok := monthNamed(tok); ok && month == 0 {
			month = m
		} else if d := dayRE.FindStringSubmatch(tok); d != nil && day == 0 {
			day = atoi(d[1])
		} else if yearRE.MatchString(tok) && i == len(tokens)-1 && year == 0 {
			year = atoi(tok)
		} else {
			return Date{}, cmdErr("cmd.err.bad_date", "Value", value)
		}
	}
	if month == 0 || day == 0 {
		return Date{}, cmdErr("cmd.err.bad_date", "Value", value)
	}
	if year != 0 {
		return dateOn(value, year, int(month), day)
	}
	return nextDate(value, int(month), day, today)
}

// figures reads a day and a month in figures, a and b in the order
// written, with an optional year.
func (x lexicon) figures(value string, a, b int, year string, today Date) (Date, error) {
	day, month := a, b
	if !x.dayFirst() && a != b && a <= 12 && b <= 12 {
		first, err1 := x.figuresOn(value, a, b, year, today)
		second, err2 := x.figuresOn(value, b, a, year, today)
		if err1 == nil && err2 == nil {
			return Date{}, cmdErr("cmd.err.ambiguous_date", "Value", value, "DayFirst", first, "MonthFirst", second)
		}
	}
	if !x.dayFirst() && b > 12 && a <= 12 {
		day, month = b, a
	}
	return x.figuresOn(value, day, month, year, today)
}

func (x lexicon) figuresOn(value string, day, month int, year string, today Date) (Date, error) {
	switch {
	case year == "":
		return nextDate(value, month, day, today)
	case len(year) == 2:
		return dateOn(value, 2000+atoi(year), month, day)
	}
	return dateOn(value, atoi(year), month, day)
}

// dateOn checks that day exists in month of year.
func dateOn(value string, year, month, day int) (Date, error) {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return Date{}, cmdErr("cmd.err.bad_date", "Value", value)
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day {
		return Date{}, cmdErr("cmd.err.no_such_day", "Value", value)
	}
	return DateOf(t), nil
}

// nextDate is the first day and month on or after today, this year or
// next.
func nextDate(value string, month, day int, today Date) (Date, error) {
	var err error
	for year := today.Year; year <= today.Year+1; year++ {
		var d Date
		if d, err = dateOn(value, year, month, day); err == nil && !d.Before(today) {
			return d, nil
		}
	}
	if err == nil {
		err = cmdErr("cmd.err.no_such_day", "Value", value)
	}
	return Date{}, err
}

// monthNamed reads a month's name, or three letters or more that begin it,
// in any supported locale; s is folded. "jui" begins both juin and juillet,
// so it names no month.
func monthNamed(s string) (time.Month, bool) {
	s = strings.TrimRight(s, ".")
	if utf8.RuneCountInString(s) < 3 {
		return 0, false
	}
	var found time.Month
	for _, w := range langs.read {
		for i, names := range w.months {
			for _, n := range names {
				if !strings.HasPrefix(n, s) {
					continue
				}
				if found != 0 && found != time.Month(i+1) {
					return 0, false
				}
				found = time.Month(i + 1)
			}
		}
	}
	return found, found != 0
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
