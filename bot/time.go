package bot

import (
	"fmt"
	"time"
)

// Date is a calendar date without a time zone: a milestone's due date, the
// last day of an absence.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EINVALID, "%q is not a date (want YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Time returns midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// Period returns the reporting period d falls in.
func (d Date) Period() Period { return Period{d.Year, d.Month} }

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Period is a reporting month, written YYYY-MM.
type Period struct {
	Year  int
	Month time.Month
}

// ParsePeriod parses YYYY-MM strictly: four digits of a year from 0001,
// a hyphen, two digits of a month from 01 to 12, and nothing else.
func ParsePeriod(s string) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 1 {
		return Period{}, Errorf(EINVALID, "%q is not a period (want YYYY-MM, e.g. 2026-11)", s)
	}
	return Period{t.Year(), t.Month()}, nil
}

// PeriodOf returns the period t falls in, in t's location.
func PeriodOf(t time.Time) Period { return Period{t.Year(), t.Month()} }

// String formats p as YYYY-MM.
func (p Period) String() string {
	if p.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", p.Year, p.Month)
}

// IsZero reports whether p is unset.
func (p Period) IsZero() bool { return p == Period{} }

// Prev returns the period before p.
func (p Period) Prev() Period { return p.Add(-1) }

// Add returns the period n months after p.
func (p Period) Add(n int) Period {
	t := time.Date(p.Year, p.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	return PeriodOf(t)
}

// Compare returns -1, 0 or +1 as p is before, equal to or after q.
func (p Period) Compare(q Period) int {
	if p.Year != q.Year {
		return cmpInt(p.Year, q.Year)
	}
	return cmpInt(int(p.Month), int(q.Month))
}

// First returns the first day of p.
func (p Period) First() Date { return Date{p.Year, p.Month, 1} }

// Last returns the last day of p.
func (p Period) Last() Date {
	return DateOf(time.Date(p.Year, p.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

// MarshalText writes d as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty means unset.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	*d = v
	return err
}

// MarshalText writes p as YYYY-MM.
func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads YYYY-MM; empty means unset.
func (p *Period) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*p = Period{}
		return nil
	}
	v, err := ParsePeriod(string(b))
	*p = v
	return err
}
