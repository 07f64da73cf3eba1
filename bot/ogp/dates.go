package ogp

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"forumbot/bot"
)

// bound says which end of a vague date ("August 2014", "2013") to take.
type bound int

const (
	// startOfPeriod reads "August 2014" as 2014-08-01: for start dates.
	startOfPeriod bound = iota
	// endOfPeriod reads "August 2014" as 2014-08-31: for end dates.
	endOfPeriod
)

// errNotDate is the message of every date the importer cannot read.
var errNotDate = errors.New(`is not a date (formats understood: M/D/YYYY, M/D/YY, D/M/YYYY when the day is over 12, "August 2014", "2014", YYYY-MM-DD, spreadsheet serial numbers such as 43525, NA/ND/NR)`)

// Years outside this range are typing mistakes, not action plans.
const minYear, maxYear = 1900, 2100

// parseDate reads a date cell of the export in any of the formats it uses,
// spreadsheet serial numbers included. Placeholders give the zero Date and
// no error.
func parseDate(cell string, b bound) (bot.Date, error) {
	s := strings.TrimSpace(cell)
	switch {
	case isPlaceholder(s):
		return bot.Date{}, nil
	case strings.Contains(s, "/"):
		return parseSlashed(s)
	case isDigits(s) && len(s) == 4:
		y, _ := strconv.Atoi(s)
		return vague(y, time.January, time.December, b)
	case isSerial(s):
		return parseSerial(s)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if t.Year() < minYear || t.Year() > maxYear {
			return bot.Date{}, errNotDate
		}
		return bot.DateOf(t), nil
	}
	return parseMonthYear(s, b)
}

// parseSlashed reads M/D/YYYY, M/D/YY and, when the first number cannot be
// a month, D/M/YYYY. Two-digit years are in this century.
func parseSlashed(s string) (bot.Date, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[0]) > 2 || len(parts[1]) > 2 || (len(parts[2]) != 2 && len(parts[2]) != 4) {
		return bot.Date{}, errNotDate
	}
	var n [3]int
	for i, p := range parts {
		if !isDigits(p) {
			return bot.Date{}, errNotDate
		}
		n[i], _ = strconv.Atoi(p)
	}
	month, day, year := n[0], n[1], n[2]
	if len(parts[2]) == 2 {
		year += 2000
	}
	if month > 12 && day <= 12 {
		month, day = day, month
	}
	return checkedDate(year, month, day)
}

// Spreadsheet programs count days from 1899-12-30 in the 1900 date system
// (Excel's default; its phantom 1900-02-29 falls before any serial read
// here). Serials are read from 2000-01-01 to 2100-12-31 only: a five-digit
// number outside those years is more likely a typing mistake than a date.
var serialEpoch = time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)

const minSerial, maxSerial = 36526, 73415

// isSerial reports whether s is written as a spreadsheet serial date: five
// digits, optionally followed by the time of day as a decimal fraction.
func isSerial(s string) bool {
	days, frac, hasFrac := strings.Cut(s, ".")
	return len(days) == 5 && isDigits(days) && (!hasFrac || isDigits(frac))
}

// parseSerial reads a spreadsheet serial date such as 43525 (2019-03-01),
// dropping the time of day.
func parseSerial(s string) (bot.Date, error) {
	days, _, _ := strings.Cut(s, ".")
	n, _ := strconv.Atoi(days)
	if n < minSerial || n > maxSerial {
		return bot.Date{}, errNotDate
	}
	return bot.DateOf(serialEpoch.AddDate(0, 0, n)), nil
}

// checkedDate builds a date, refusing days a month does not have.
func checkedDate(year, month, day int) (bot.Date, error) {
	if year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 {
		return bot.Date{}, errNotDate
	}
	d := bot.Date{Year: year, Month: time.Month(month), Day: day}
	if day > d.Period().Last().Day {
		return bot.Date{}, errNotDate
	}
	return d, nil
}

// parseMonthYear reads "August 2014", "Aug 2014" and "August, 2014".
func parseMonthYear(s string, b bound) (bot.Date, error) {
	fields := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(fields) != 2 || len(fields[1]) != 4 || !isDigits(fields[1]) {
		return bot.Date{}, errNotDate
	}
	m, ok := monthNamed(fields[0])
	if !ok {
		return bot.Date{}, errNotDate
	}
	y, _ := strconv.Atoi(fields[1])
	return vague(y, m, m, b)
}

// vague returns the first day of from or the last day of to in year y, as b
// asks.
func vague(y int, from, to time.Month, b bound) (bot.Date, error) {
	if y < minYear || y > maxYear {
		return bot.Date{}, errNotDate
	}
	if b == endOfPeriod {
		return bot.Period{Year: y, Month: to}.Last(), nil
	}
	return bot.Period{Year: y, Month: from}.First(), nil
}

// monthNamed finds an English month by full name or three-letter (or
// "Sept") abbreviation, case ignored.
func monthNamed(name string) (time.Month, bool) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for m := time.January; m <= time.December; m++ {
		full := strings.ToLower(m.String())
		if name == full || name == full[:3] || (m == time.September && name == "sept") {
			return m, true
		}
	}
	return 0, false
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
