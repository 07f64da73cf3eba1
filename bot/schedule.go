package bot

import (
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads the five-field specs of the config (minute hour
// day-of-month month day-of-week) and descriptors such as @monthly.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// Cron is a cron spec evaluated on the wall clock of a forum's time zone.
//
// robfig/cron evaluates specs in absolute time, so a local time that a DST
// change skips (02:30 on the day clocks go forward) never matches and the
// whole month is lost. Cron instead matches the spec against wall-clock time
// and then places the match in the zone; a skipped time moves by the size of
// the gap, a repeated time fires once.
type Cron struct {
	spec cron.Schedule
	loc  *time.Location
}

// ParseCron parses a five-field cron spec evaluated in loc. Time zones come
// from the forum, so CRON_TZ= and TZ= prefixes are refused.
func ParseCron(spec string, loc *time.Location) (*Cron, error) {
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		return nil, Errorf(EINVALID, "%q: leave out the time zone prefix; the forum's timezone applies", spec)
	}
	s, err := cronParser.Parse(spec)
	if err != nil {
		return nil, Errorf(EINVALID, "%q is not a cron spec (%v); want five fields, e.g. \"0 9 1 * *\" for 09:00 on the 1st", spec, err)
	}
	return &Cron{spec: s, loc: loc}, nil
}

// Next returns the first scheduled time after t, or the zero time if the
// spec never fires again.
func (c *Cron) Next(t time.Time) time.Time {
	w := wall(t.In(c.loc))
	for {
		n := c.spec.Next(w)
		if n.IsZero() {
			return n
		}
		at := time.Date(n.Year(), n.Month(), n.Day(), n.Hour(), n.Minute(), 0, 0, c.loc)
		if at.After(t) {
			return at
		}
		w = n
	}
}

// wall returns t's wall-clock reading as a UTC time.
func wall(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// Latest returns the latest scheduled time at or before now, looking back no
// further than back, and false if there is none.
func (c *Cron) Latest(now time.Time, back time.Duration) (time.Time, bool) {
	var last time.Time
	for t := c.Next(now.Add(-back)); !t.IsZero() && !t.After(now); t = c.Next(t) {
		last = t
	}
	return last, !last.IsZero()
}

// CheckMonthly reports an error when the spec fires twice in one calendar
// month (forumbot runs one round per month) or never in the next two years.
func (c *Cron) CheckMonthly(from time.Time) error {
	seen := map[Period]bool{}
	t := from
	for range 24 {
		t = c.Next(t)
		if t.IsZero() {
			break
		}
		p := PeriodOf(t)
		if seen[p] {
			return Errorf(EINVALID, "fires more than once in %s; forumbot runs one round per month (e.g. \"0 9 1 * *\")", p)
		}
		seen[p] = true
	}
	if len(seen) == 0 {
		return Errorf(EINVALID, "never fires")
	}
	return nil
}

// after adds an offset of the schedule (a window, a reminder) to t. Whole
// days are calendar days on the forum's wall clock, so "7d" from 09:00
// ends at 09:00 even across a DST change; other offsets are exact.
func after(t time.Time, d time.Duration, loc *time.Location) time.Time {
	const day = 24 * time.Hour
	if d%day != 0 {
		return t.Add(d)
	}
	return t.In(loc).AddDate(0, 0, int(d/day))
}
