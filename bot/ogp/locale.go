package ogp

import (
	"fmt"
	"strings"

	"forumbot/bot"
	"forumbot/bot/config"
)

// Proposal is the locale and time zone the importer proposes for a forum,
// from its country or locality, with a note on each for the person to
// review: Marshal writes the notes as comments beside the keys.
type Proposal struct {
	// Forum is the id of the forum proposed for.
	Forum string
	// From is the "Country/Locality" proposed from, or "" when the rows
	// name none.
	From string
	// Locale and Timezone are set in the forum: forumbot's fallbacks (en,
	// UTC) when nothing could be proposed.
	Locale, Timezone string
	// LocaleNote and TimezoneNote say where each came from, e.g.
	// `proposed from "Paraguay"; review`, or what to do, e.g.
	// `could not propose one for "Atlantis"; set it`.
	LocaleNote, TimezoneNote string
}

// Notes words the proposal for a person reading the import's report.
func (p Proposal) Notes() []string {
	return []string{
		fmt.Sprintf("forum %s: timezone %s (%s)", p.Forum, p.Timezone, p.TimezoneNote),
		fmt.Sprintf("forum %s: locale %s (%s)", p.Forum, p.Locale, p.LocaleNote),
	}
}

// propose proposes a locale and time zone for a forum in place, a
// "Country/Locality" such as "Paraguay" or "São Paulo, Brazil".
func propose(forum, place string) Proposal {
	p := Proposal{Forum: forum, From: place, Locale: config.DefaultLocale, Timezone: "UTC"}
	if place == "" {
		p.LocaleNote = "could not propose one: the rows name no country or locality; set it"
		p.TimezoneNote = p.LocaleNote
		return p
	}
	from := fmt.Sprintf("proposed from %q", place)
	c, loc, countryName, ok := lookupPlace(place)
	if !ok {
		p.LocaleNote = fmt.Sprintf("could not propose one for %q; set it to one of %s", place, strings.Join(bot.Locales(), ", "))
		p.TimezoneNote = fmt.Sprintf("could not propose one for %q; set it", place)
		return p
	}
	p.Locale, p.LocaleNote = c.locale, from+"; review"
	if c.otherLanguage {
		p.LocaleNote = fmt.Sprintf("%s, whose first language is not one forumbot speaks: %s; review", from, strings.Join(bot.Locales(), ", "))
	}
	switch {
	case loc != nil:
		p.Timezone, p.TimezoneNote = loc.zone, from+"; review"
		if loc.locale != "" {
			p.Locale, p.LocaleNote = loc.locale, from+"; review"
		}
	case c.severalZones && matchKey(place) != countryName:
		p.TimezoneNote = fmt.Sprintf("could not propose one for %q: the country spans several time zones; set it", place)
	case c.severalZones:
		p.Timezone, p.TimezoneNote = c.zone, from+" (the capital's; the country spans several time zones); review"
	default:
		p.Timezone, p.TimezoneNote = c.zone, from+"; review"
	}
	return p
}

// lookupPlace finds the country of place ("Paraguay", "Jalisco, Mexico",
// "Korea, Republic of"), and the locality when the table knows it. It
// returns the country's key as well.
func lookupPlace(place string) (country, *locality, string, bool) {
	key := matchKey(place)
	if c, ok := countries[key]; ok {
		return c, nil, key, true
	}
	name, countryName := "", key
	if i := strings.LastIndex(key, ","); i >= 0 {
		name, countryName = strings.TrimSpace(key[:i]), strings.TrimSpace(key[i+1:])
	}
	if l, ok := localities[key]; ok && name == "" {
		// A locality named without its country: "Scotland", "Quebec".
		return countries[l.country], &l, l.country, true
	}
	c, ok := countries[countryName]
	if !ok {
		return country{}, nil, "", false
	}
	if l, found := localities[name]; found && l.country == countryName {
		return c, &l, countryName, true
	}
	return c, nil, countryName, true
}
