package ogp

import "testing"

func TestParseDate(t *testing.T) {
	tests := []struct {
		cell       string
		start, end string // "" for absent
		bad        bool
	}{
		// M/D/YYYY, the export's usual format, also for ambiguous dates.
		{cell: "1/1/2018", start: "2018-01-01", end: "2018-01-01"},
		{cell: "12/31/2019", start: "2019-12-31", end: "2019-12-31"},
		{cell: "08/01/2022", start: "2022-08-01", end: "2022-08-01"},
		{cell: "1/12/2014", start: "2014-01-12", end: "2014-01-12"},
		{cell: " 2/28/2024 ", start: "2024-02-28", end: "2024-02-28"},
		{cell: "2/29/2016", start: "2016-02-29", end: "2016-02-29"},
		// M/D/YY: this century.
		{cell: "10/1/18", start: "2018-10-01", end: "2018-10-01"},
		{cell: "1/1/00", start: "2000-01-01", end: "2000-01-01"},
		// D/M/YYYY when the first number cannot be a month.
		{cell: "28/5/2014", start: "2014-05-28", end: "2014-05-28"},
		{cell: "31/12/2015", start: "2015-12-31", end: "2015-12-31"},
		{cell: "29/2/2016", start: "2016-02-29", end: "2016-02-29"},
		// Month and year: the whole month.
		{cell: "August 2014", start: "2014-08-01", end: "2014-08-31"},
		{cell: "December 2015", start: "2015-12-01", end: "2015-12-31"},
		{cell: "February 2016", start: "2016-02-01", end: "2016-02-29"},
		{cell: "february 2013", start: "2013-02-01", end: "2013-02-28"},
		{cell: "Sept. 2014", start: "2014-09-01", end: "2014-09-30"},
		{cell: "Jun 2016", start: "2016-06-01", end: "2016-06-30"},
		{cell: "July, 2014", start: "2014-07-01", end: "2014-07-31"},
		// A year: the whole year.
		{cell: "2013", start: "2013-01-01", end: "2013-12-31"},
		// ISO dates, in case a later export uses them.
		{cell: "2018-01-31", start: "2018-01-31", end: "2018-01-31"},
		// Spreadsheet serial numbers (Excel's 1900 date system), with or
		// without the time of day.
		{cell: "43525", start: "2019-03-01", end: "2019-03-01"},
		{cell: "44196", start: "2020-12-31", end: "2020-12-31"},
		{cell: " 43831.5 ", start: "2020-01-01", end: "2020-01-01"},
		{cell: "36526", start: "2000-01-01", end: "2000-01-01"},
		{cell: "73415", start: "2100-12-31", end: "2100-12-31"},
		// Placeholders: no date, no problem.
		{cell: ""},
		{cell: "NA"},
		{cell: "nd"},
		{cell: "NR"},
		{cell: "N/A"},
		{cell: "  "},
		// Mistakes.
		{cell: "Agust 2014", bad: true},
		{cell: "13/13/2014", bad: true},
		{cell: "2/30/2019", bad: true},
		{cell: "2/29/2019", bad: true},
		{cell: "0/1/2018", bad: true},
		{cell: "1/0/2018", bad: true},
		{cell: "1/1/218", bad: true},
		{cell: "1/1/1899", bad: true},
		{cell: "1/1/2101", bad: true},
		{cell: "001/1/2018", bad: true},
		{cell: "+1/1/2018", bad: true},
		{cell: "1//2018", bad: true},
		{cell: "1/1/2018/1", bad: true},
		{cell: "1-1-2018", bad: true},
		{cell: "2018-13-01", bad: true},
		{cell: "0000-01-01", bad: true},
		// Serial numbers outside 2000–2100 are more likely typing mistakes.
		{cell: "12345", bad: true},
		{cell: "36525", bad: true},
		{cell: "73416", bad: true},
		{cell: "43525.", bad: true},
		{cell: "43525.x", bad: true},
		{cell: "435250", bad: true},
		{cell: "-43525", bad: true},
		{cell: "1899", bad: true},
		{cell: "August", bad: true},
		{cell: "August 14", bad: true},
		{cell: "August 2014 1", bad: true},
		{cell: "Q3 2014", bad: true},
		{cell: "١/١/٢٠١٨", bad: true}, // non-ASCII digits
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			for _, c := range []struct {
				b    bound
				want string
			}{{startOfPeriod, tt.start}, {endOfPeriod, tt.end}} {
				d, err := parseDate(tt.cell, c.b)
				if tt.bad {
					if err == nil {
						t.Errorf("bound %d: got %s, want an error", c.b, d)
					}
					continue
				}
				if err != nil || d.String() != c.want {
					t.Errorf("bound %d: got %q, %v, want %q", c.b, d, err, c.want)
				}
			}
		})
	}
}
