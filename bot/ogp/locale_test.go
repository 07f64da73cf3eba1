package ogp

import (
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones proposed must load on any machine, as in forumbot

	"forumbot/bot"
)

func TestPropose(t *testing.T) {
	const review = "; review"
	tests := []struct {
		place, locale, zone  string
		localeNote, zoneNote string // "" for `proposed from "<place>"; review`
	}{
		// Every country and locality of the sample.
		{"Buenos Aires, Argentina", "es", "America/Argentina/Buenos_Aires", "", ""},
		{"Jalisco, Mexico", "es", "America/Mexico_City", "", ""},
		{"Madrid, Spain", "es", "Europe/Madrid", "", ""},
		{"Scotland, United Kingdom", "en", "Europe/London", "", ""},
		{"South Cotabato, Philippines", "en", "Asia/Manila", "", ""},
		{"Kaduna State, Nigeria", "en", "Africa/Lagos", "", ""},
		{"Kosovo", "en", "Europe/Belgrade", "other", ""},
		{"Tbilisi, Georgia", "en", "Asia/Tbilisi", "other", ""},
		{"Albania", "en", "Europe/Tirane", "other", ""},
		{"Argentina", "es", "America/Argentina/Buenos_Aires", "", ""},
		{"Armenia", "en", "Asia/Yerevan", "other", ""},
		{"Brazil", "pt", "America/Sao_Paulo", "", "capital"},
		{"Bulgaria", "en", "Europe/Sofia", "other", ""},
		{"Chile", "es", "America/Santiago", "", "capital"},
		{"Colombia", "es", "America/Bogota", "", ""},
		{"Costa Rica", "es", "America/Costa_Rica", "", ""},
		{"Croatia", "en", "Europe/Zagreb", "other", ""},
		{"Dominican Republic", "es", "America/Santo_Domingo", "", ""},
		{"Ecuador", "es", "America/Guayaquil", "", "capital"},
		{"Estonia", "en", "Europe/Tallinn", "other", ""},
		{"Georgia", "en", "Asia/Tbilisi", "other", ""},
		{"Germany", "en", "Europe/Berlin", "other", ""},
		{"Ghana", "en", "Africa/Accra", "", ""},
		{"Greece", "en", "Europe/Athens", "other", ""},
		{"Honduras", "es", "America/Tegucigalpa", "", ""},
		{"Indonesia", "en", "Asia/Jakarta", "other", "capital"},
		{"Ireland", "en", "Europe/Dublin", "", ""},
		{"Israel", "en", "Asia/Jerusalem", "other", ""},
		{"Italy", "en", "Europe/Rome", "other", ""},
		{"Kenya", "en", "Africa/Nairobi", "", ""},
		{"Kyrgyz Republic", "en", "Asia/Bishkek", "other", ""},
		{"Latvia", "en", "Europe/Riga", "other", ""},
		{"Liberia", "en", "Africa/Monrovia", "", ""},
		{"Lithuania", "en", "Europe/Vilnius", "other", ""},
		{"Moldova", "en", "Europe/Chisinau", "other", ""},
		{"Mongolia", "en", "Asia/Ulaanbaatar", "other", "capital"},
		// The examples, and spellings an export may use.
		{"Paraguay", "es", "America/Asuncion", "", ""},
		{"São Paulo, Brazil", "pt", "America/Sao_Paulo", "", ""},
		{"Sao Paulo, Brazil", "pt", "America/Sao_Paulo", "", ""},
		{"Québec, Canada", "fr", "America/Toronto", "", ""},
		{"Quebec", "fr", "America/Toronto", "", ""},
		{"Paris, France", "fr", "Europe/Paris", "", ""},
		{"Senegal", "fr", "Africa/Dakar", "", ""},
		{"Cabo Verde", "pt", "Atlantic/Cape_Verde", "", ""},
		{"Korea, Republic of", "en", "Asia/Seoul", "other", ""},
		{"Austin, United States", "en", "America/Chicago", "", ""},
		{"  PARAGUAY ", "es", "America/Asuncion", "", ""},
		// A locality in a country of several time zones that the table
		// does not know: the language, not the zone.
		{"Curitiba, Brazil", "pt", "UTC", "", `could not propose one for "Curitiba, Brazil": the country spans several time zones; set it`},
		// Places the table does not know.
		{"Atlantis", "en", "UTC", `could not propose one for "Atlantis"; set it to one of en, es, fr, pt`, `could not propose one for "Atlantis"; set it`},
		{"Springfield, Freedonia", "en", "UTC", `could not propose one for "Springfield, Freedonia"; set it to one of en, es, fr, pt`, `could not propose one for "Springfield, Freedonia"; set it`},
		{"", "en", "UTC", "could not propose one: the rows name no country or locality; set it", "could not propose one: the rows name no country or locality; set it"},
	}
	for _, tt := range tests {
		t.Run(tt.place, func(t *testing.T) {
			p := propose("f", oneLine(tt.place))
			from := `proposed from "` + oneLine(tt.place) + `"`
			wantLocaleNote, wantZoneNote := tt.localeNote, tt.zoneNote
			switch wantLocaleNote {
			case "":
				wantLocaleNote = from + review
			case "other":
				wantLocaleNote = from + ", whose first language is not one forumbot speaks: en, es, fr, pt" + review
			}
			switch wantZoneNote {
			case "":
				wantZoneNote = from + review
			case "capital":
				wantZoneNote = from + " (the capital's; the country spans several time zones)" + review
			}
			if p.Locale != tt.locale || p.Timezone != tt.zone {
				t.Errorf("got %s, %s; want %s, %s", p.Locale, p.Timezone, tt.locale, tt.zone)
			}
			if p.LocaleNote != wantLocaleNote || p.TimezoneNote != wantZoneNote {
				t.Errorf("notes:\ngot  %q\n     %q\nwant %q\n     %q", p.LocaleNote, p.TimezoneNote, wantLocaleNote, wantZoneNote)
			}
		})
	}
}

func TestPlaces_AreUsable(t *testing.T) {
	check := func(name, locale, zone string) {
		t.Helper()
		if locale != "" && !slices.Contains(bot.Locales(), locale) {
			t.Errorf("%s: locale %q is not one of %v", name, locale, bot.Locales())
		}
		if _, err := time.LoadLocation(zone); err != nil || zone == "" {
			t.Errorf("%s: time zone %q: %v", name, zone, err)
		}
		if matchKey(name) != name {
			t.Errorf("%q is not written as matchKey writes it (%q): it cannot be found", name, matchKey(name))
		}
	}
	for name, c := range countries {
		check(name, c.locale, c.zone)
	}
	for name, l := range localities {
		check(name, l.locale, l.zone)
		if _, ok := countries[l.country]; !ok || strings.Contains(name, ",") {
			t.Errorf("%s: country %q is not in the table, or the name holds a comma", name, l.country)
		}
	}
}
