package ogp

import (
	"fmt"
	"strings"
	"testing"
)

// written formats the dates found in text, a slashed one as a/b/yyyy.
func written(text string) string {
	var out []string
	for _, d := range findDates(text) {
		if d.slashed() {
			out = append(out, fmt.Sprintf("%d/%d/%d", d.first, d.second, d.year))
		} else {
			out = append(out, fmt.Sprintf("%04d-%02d-%02d", d.year, d.month, d.day))
		}
	}
	return strings.Join(out, " ")
}

func TestFindDates(t *testing.T) {
	tests := []struct{ text, want string }{
		// Month and year, in the four languages, abbreviated or not.
		{"October 2018 December 2019", "2018-10-00 2019-12-00"},
		{"Sept. 2018 May 2019 Dec. 2018 Jan 2020", "2018-09-00 2019-05-00 2018-12-00 2020-01-00"},
		{"Marzo 2021 Agosto 2021 setiembre 2021 dic. 2021", "2021-03-00 2021-08-00 2021-09-00 2021-12-00"},
		{"junio de 2024", "2024-06-00"},
		{"janv. 2022 févr. 2022 août 2022 décembre 2022", "2022-01-00 2022-02-00 2022-08-00 2022-12-00"},
		{"março de 2021, outubro 2021, set. 2021, out. 2021, dez 2021", "2021-03-00 2021-10-00 2021-09-00 2021-10-00 2021-12-00"},
		{"Implemented until July/2020, August, 2014", "2020-07-00 2014-08-00"},
		// Day, month and year.
		{"31 August 2018 – 31 August 2020", "2018-08-31 2020-08-31"},
		{"20 de junio de 2024", "2024-06-20"},
		{"1er mars 2021 au 30 juin 2021", "2021-03-01 2021-06-30"},
		{"15 de julho de 2021", "2021-07-15"},
		{"September 01, 2018 - August 31, 2020", "2018-09-01 2020-08-31"},
		{"January 1, 2019", "2019-01-01"},
		// Numbers.
		{"15.03.2019 - 30.04.2019", "2019-03-15 2019-04-30"},
		{"2019-03-15", "2019-03-15"},
		{"08.2022 09.2022 47 development", "2022-08-00 2022-09-00"},
		{"10/01/2018 \n 02/28/2019", "10/1/2018 2/28/2019"},
		{"01/ 01/2024 | 31/12/2024", "1/1/2024 31/12/2024"},
		// Not dates.
		{"Ley 27.275; Act nº 95/2998; SDG 16; BGN 60,000", ""},
		{"31.07.18 and 2017-2022 and 4.1 Systematisation", ""},
		{"we set 2019 as the baseline; it went out 2019", ""},
		{"en el marco de 2019", ""},
		{"Spring 2019, Q3 2014, Budget 2020-21", ""},
		{"the mayor 2019", ""},
	}
	for _, tt := range tests {
		if got := written(tt.text); got != tt.want {
			t.Errorf("findDates(%q):\ngot  %q\nwant %q", tt.text, got, tt.want)
		}
	}
}

func TestFindSpans(t *testing.T) {
	tests := []struct {
		text string
		want string // start..due of each span, dates read month first
	}{
		{"March 2019 – June 2019", "2019-03-01..2019-06-30"},
		{"October 2018 December 2019 4.2 Layout November 2018 March 2019", "2018-10-01..2019-12-31 2018-11-01..2019-03-31"},
		{"a | 01/01/2024 | 06/01/2024 \n\n2. b | 06/01/2024 | 12/31/2024", "2024-01-01..2024-06-01 2024-06-01..2024-12-31"},
		{"Begins January 2021 and ongoing until December 2022 National", "2021-01-01..2022-12-31"},
		{"September 2019-2019", "2019-09-01..2019-12-31"},
		{"January 2019 – NA\nNext", "2019-01-01.."},
		{"from March 2021 to ongoing", "2021-03-01.."},
		{"End of December 2024 - December 2025", "2024-12-31..2025-12-31"},
		{"by the end of Nov. 2021 June 2023", "2021-11-30..2023-06-30"},
		{"enero 2023 - junio 2023", "2023-01-01..2023-06-30"},
		{"1er mars 2021 au 30 juin 2021", "2021-03-01..2021-06-30"},
		{"março de 2021 até junho de 2021", "2021-03-01..2021-06-30"},
		{"15.03.2019 - 30.04.2019", "2019-03-15..2019-04-30"},
		{"x | junio de 2024\n\ny | 20 de junio de 2024", "..2024-06-30 ..2024-06-20"},
		{"2018-09-01 - 2019-03-15", "2018-09-01..2019-03-15"},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range findSpans(tt.text) {
			start, due, err := s.milestoneDates(false)
			if err != nil {
				got = append(got, err.Error())
				continue
			}
			got = append(got, start.String()+".."+due.String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("findSpans(%q):\ngot  %q\nwant %q", tt.text, strings.Join(got, " "), tt.want)
		}
	}
}

func TestSlashOrder(t *testing.T) {
	tests := []struct {
		text     string
		dayFirst bool
		err      string
	}{
		{"01/01/2024 | 01/06/2024 31/12/2024", true, ""},
		{"10/01/2018 02/28/2019", false, ""},
		{"March 2019 June 2019", false, ""},
		{"01/01/2024 - 01/01/2025", false, ""},
		// Only one reading has every range in order.
		{"10/01/2024 - 01/03/2024", true, ""},
		{"01/10/2024 - 03/01/2024", false, ""},
		{"01/02/2024 - 01/06/2024", false, "dates such as 01/02/2024 read as well day first as month first"},
		{"31/12/2024 12/31/2024", false, "its dates are written both day first and month first"},
	}
	for _, tt := range tests {
		dayFirst, err := slashOrder(findSpans(tt.text))
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if dayFirst != tt.dayFirst || gotErr != tt.err {
			t.Errorf("slashOrder(%q): got %v, %q; want %v, %q", tt.text, dayFirst, gotErr, tt.dayFirst, tt.err)
		}
	}
}
