package ogp_test

import (
	"strings"
	"testing"

	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

// sampleContactRemovals are the problems importing the whole sample
// reports about contact details.
var sampleContactRemovals = []string{
	`row 6, column "Full Text": 8 e-mail addresses and 1 phone number removed (personal contact details are kept out of the plan)`,
	`row 7, column "Full Text": 5 phone numbers removed (personal contact details are kept out of the plan)`,
	`row 7, column "Supporting Institution(s)": 5 phone numbers removed (personal contact details are kept out of the plan)`,
	`row 8, column "Full Text": 3 e-mail addresses and 3 phone numbers removed (personal contact details are kept out of the plan)`,
	`row 8, column "Supporting Institution(s)": 3 e-mail addresses and 3 phone numbers removed (personal contact details are kept out of the plan)`,
	`row 11, column "Supporting Institution(s)": 2 e-mail addresses removed (personal contact details are kept out of the plan)`,
	`row 17, column "Full Text": 2 e-mail addresses and 1 phone number removed (personal contact details are kept out of the plan)`,
	`row 30, column "Full Text": 1 e-mail address removed (personal contact details are kept out of the plan)`,
	`row 36, column "Full Text": 2 e-mail addresses and 1 phone number removed (personal contact details are kept out of the plan)`,
}

// withoutContactRemovals drops the problems reporting removed contact
// details, which TestImport_SampleContactDetails checks.
func withoutContactRemovals(problems []ogp.Problem) []ogp.Problem {
	var out []ogp.Problem
	for _, p := range problems {
		if !strings.HasSuffix(p.Message, "(personal contact details are kept out of the plan)") {
			out = append(out, p)
		}
	}
	return out
}

// sampleContacts are the contact details in the sample's cells, as
// written there.
var sampleContacts = []string{
	"Doreen.grove@gov.scot", "07767343230", "Eleanor.ryan@gov.scot", "John.nicholson@gov.scot", "aileen.wright@gov.scot",
	"Tim.ellis@gov.scot", "scott.bell@gov.scot", "aiden.grisewood@gov.scot", "Rachel.vankempen@gov.scot",
	"+639209622158", "+6383-2283448", "+6383-2282338", "+639173059060", "+639173059063",
	"ummaliikirina@gmail.com", "yusufnal©yahoo.com", "rnhkakaki@yahoo.com", "0803702'1491", "08035610827", "08023738199",
	"Catriona.Macaulay@gov.scot", "Alasdair.Mckinlay@gov.scot",
	"antonio.silvaneto@camara.leg.br", "cooperacao.dg@camara.leg.br", "3216-2010", "moliva@congreso.gob.hn",
	"a.bekmatov@mail.ru", "bekmatov@shailoo.gov.kg", "66-48-62",
}

func TestImport_SampleContactDetails(t *testing.T) {
	file, problems := wholeSample(t)
	for _, c := range file.Forums[0].Plan.Commitments {
		fields := append([]string{c.Title, c.ShortTitle, c.Description, c.LeadAgency}, c.SupportingOrganisations...)
		for _, f := range fields {
			for _, contact := range sampleContacts {
				if strings.Contains(f, contact) {
					t.Errorf("%s: %q is still in %q", c.ID, contact, f)
				}
			}
			if strings.ContainsAny(f, "@©") {
				t.Errorf("%s: an e-mail address may be left in %q", c.ID, f)
			}
		}
	}
	for _, p := range problems {
		for _, contact := range sampleContacts {
			if strings.Contains(p.String(), contact) {
				t.Errorf("problem %q quotes %q", p, contact)
			}
		}
	}
	br := find(t, file, "BR0106")
	if want := "E-mail [contact details removed]\n Telephone [contact details removed]\n Other involved actors"; !strings.Contains(br.Description, want) {
		t.Errorf("BR0106: description does not contain %q", want)
	}
	kad := find(t, file, "KAD0004")
	if got, want := kad.SupportingOrganisations[0], "Honourable Attorney General and Commissioner for Justice (Co-Chair TWG)/ Nigeria Union of Journalist (Co-Chair TWO) Musa Kakaki"; got != want {
		t.Errorf("KAD0004: first organisation:\ngot  %q\nwant %q", got, want)
	}
}

func TestImport_ContactDetails(t *testing.T) {
	row := commitmentRow("A1").with(
		"Full Text", "Lead: Ministry of Justice\nContact: ana.perez@mj.gob.py, +595 21 441 000\nMilestones follow.",
		"Lead Institution", "Ministry of Justice (ana.perez@mj.gob.py)",
		"Supporting Institution(s)", "Civil Society Network - Tel. 0981 123 456\nOpen Data Lab")
	plan, problems := mustImport(t, sheet(t, header, row), ogp.Options{})
	wantProblems(t, problems,
		`row 2, column "Full Text": 1 e-mail address and 1 phone number removed (personal contact details are kept out of the plan)`,
		`row 2, column "Lead Institution": 1 e-mail address removed (personal contact details are kept out of the plan)`,
		`row 2, column "Supporting Institution(s)": 1 phone number removed (personal contact details are kept out of the plan)`)
	want := config.CommitmentConfig{
		ID: "A1", Title: "Title of A1",
		Description:             "Lead: Ministry of Justice\nContact [contact details removed]\nMilestones follow.",
		LeadAgency:              "Ministry of Justice",
		SupportingOrganisations: []string{"Civil Society Network", "Open Data Lab"},
	}
	c := plan.Commitments[0]
	if c.Description != want.Description || c.LeadAgency != want.LeadAgency || strings.Join(c.SupportingOrganisations, "|") != strings.Join(want.SupportingOrganisations, "|") {
		t.Errorf("got description %q, lead %q, organisations %q\nwant %q, %q, %q",
			c.Description, c.LeadAgency, c.SupportingOrganisations, want.Description, want.LeadAgency, want.SupportingOrganisations)
	}
}
