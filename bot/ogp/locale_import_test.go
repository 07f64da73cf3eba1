package ogp_test

import (
	"bytes"
	"strings"
	"testing"

	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

func TestRead_ProposesLocaleAndTimezone(t *testing.T) {
	tests := []struct {
		name, locality, locale, zone string
		lines                        []string // in the YAML
	}{
		{"Country", "Paraguay", "es", "America/Asuncion", []string{
			`    timezone: America/Asuncion # proposed from "Paraguay"; review`,
			`    locale: es # proposed from "Paraguay"; review`,
			"# Proposed for forum paraguay:\n#   timezone: America/Asuncion (proposed from \"Paraguay\"; review)\n#   locale: es (proposed from \"Paraguay\"; review)\n",
		}},
		{"Locality", "São Paulo, Brazil", "pt", "America/Sao_Paulo", []string{
			`    timezone: America/Sao_Paulo # proposed from "São Paulo, Brazil"; review`,
			`    locale: pt # proposed from "São Paulo, Brazil"; review`,
		}},
		{"FrenchSpeakingLocality", "Québec, Canada", "fr", "America/Toronto", []string{
			`    locale: fr # proposed from "Québec, Canada"; review`,
		}},
		{"Unknown", "Atlantis", "en", "UTC", []string{
			`    timezone: UTC # could not propose one for "Atlantis"; set it`,
			`    locale: en # could not propose one for "Atlantis"; set it to one of en, es, fr, pt`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := sheet(t, header, commitmentRow("A1").with("Country/Locality", tt.locality))
			res, err := ogp.Read(strings.NewReader(text), ogp.Options{})
			if err != nil {
				t.Fatal(err)
			}
			forum := res.File.Forums[0]
			if forum.Locale != tt.locale || forum.Timezone != tt.zone {
				t.Errorf("got locale %s, time zone %s; want %s, %s", forum.Locale, forum.Timezone, tt.locale, tt.zone)
			}
			if len(res.Proposals) != 1 || res.Proposals[0].Forum != forum.ID || res.Proposals[0].From != tt.locality {
				t.Fatalf("proposals: got %+v, want one for forum %s from %q", res.Proposals, forum.ID, tt.locality)
			}
			out := roundTrip(t, res.File, res.Proposals...)
			for _, line := range tt.lines {
				if !bytes.Contains(out, []byte(line)) {
					t.Errorf("the YAML lacks %q:\n%s", line, out)
				}
			}
			if _, err := config.Parse(out, "imported.yaml", config.Options{}); err != nil {
				t.Errorf("config.Parse: %v", err)
			}
		})
	}
}

func TestRead_SampleProposals(t *testing.T) {
	res, _ := readSample(t, ogp.Options{})
	for _, p := range res.Plans {
		r, err := readSample(t, ogp.Options{Plan: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		forum := r.File.Forums[0]
		if forum.Timezone == "UTC" || !strings.HasPrefix(r.Proposals[0].TimezoneNote, `proposed from "`+p.Locality+`"`) {
			t.Errorf("%s (%s): got time zone %s (%s), want one proposed from the locality", p.ID, p.Locality, forum.Timezone, r.Proposals[0].TimezoneNote)
		}
	}
}

func TestProposal_Notes(t *testing.T) {
	p := ogp.Proposal{Forum: "paraguay", From: "Paraguay", Locale: "es", Timezone: "America/Asuncion",
		LocaleNote: `proposed from "Paraguay"; review`, TimezoneNote: `proposed from "Paraguay"; review`}
	want := []string{
		`forum paraguay: timezone America/Asuncion (proposed from "Paraguay"; review)`,
		`forum paraguay: locale es (proposed from "Paraguay"; review)`,
	}
	if got := p.Notes(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
