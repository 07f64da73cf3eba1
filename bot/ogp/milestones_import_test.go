package ogp_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

// sampleMilestoneCounts are the milestones read from each row of the
// sample; rows not listed give none.
var sampleMilestoneCounts = map[string]int{
	"BUE0009": 8, "COT0005": 4, "KAD0004": 4, "XK0011": 4, "XK0013": 4, "COT0001": 6, "TBI0008": 6, "BR0106": 7,
	"BG0090": 6, "CL0069": 8, "CO0119": 4, "EC0014": 4, "DE0030": 5, "IL0041": 6, "KG0017": 7, "LR0043": 3,
}

func TestImport_SampleMilestones(t *testing.T) {
	file, _ := wholeSample(t)
	for _, c := range file.Forums[0].Plan.Commitments {
		if got, want := len(c.Milestones), sampleMilestoneCounts[c.ID]; got != want {
			t.Errorf("%s: got %d milestones, want %d", c.ID, got, want)
		}
	}
	m := func(id, title, start, due string) config.MilestoneConfig {
		return config.MilestoneConfig{ID: id, Title: title, Start: start, Due: due}
	}
	tests := []struct {
		commitment string
		want       config.MilestoneConfig
	}{
		{"BUE0009", m("M2", "Layout of the Portal on Open Data with the development of different datasets in open formats which include a form for “request for access to public information”", "2018-11-01", "2019-03-31")},
		{"BUE0009", m("M8", "Opening of the Citizen Services Office (OAC).", "2019-03-01", "2019-04-30")},
		{"COT0005", m("M2", "Establish and link the Official Facebook Account of the Sangguniang Panlalawigan of South Cotabato as an online platform for Open Legislation to the Official FB Page and Website of South Cotabato. This is where the general public can make comments and give feedback on both existing and proposed legislations to promote and establish people-powered legislations.", "2019-01-01", "")},
		{"COT0001", m("M6", "Conduct Multi-stakeholder fora on the proposed FOI Ordinance (c/o Hivos)", "2019-09-01", "2019-12-31")},
		{"KAD0004", m("M2", "Bill Passed into Law and assented by the Governor", "2019-05-01", "2019-12-31")},
		{"XK0011", m("M1", "Review of all current deficiencies in public procurement through workshops/working groups", "2024-01-01", "2024-06-01")},
		{"XK0011", m("M4", "Development of new rules, tools and guidelines regarding the implementation of an open e-procurement system, in the provision of machine-readable information based on the principles of open contracting.", "2025-09-01", "")},
		{"TBI0008", m("M1", "Description and documentation of work processes in Municipal Services of Transport, Environment Protection and Supervision.", "2019-03-15", "2019-04-30")},
		{"BR0106", m("M3", "Provision of initial texts from legislative proposals, articulated on LEXML format, electronically presented, according to the Act nº 95/2998.", "2019-07-01", "2020-07-31")},
		{"BG0090", m("M6", "Planning and conducting an information campaign to promote the page for submitting online petitions to the government and parliament", "2023-10-01", "2024-02-29")},
		{"CL0069", m("M1", "Informe de Diagnóstico de interoperabilidad", "2021-03-01", "2021-08-31")},
		{"CO0119", m("M2", "Generar la apropiación y la responsabilidad de los procesos internos que incorporen innovación pública dentro de la corporación.", "", "2024-06-20")},
		{"EC0014", m("M4", "Campaña de comunicación.", "2024-04-01", "2024-12-31")},
		{"DE0030", m("M5", "Exchange with civil society and business on interface design; incorporation of feedback", "2022-09-01", "2023-08-31")},
		{"IL0041", m("M6", "Launch of Justice Ministry-Knesset secondary legislation interface", "2024-12-31", "2025-12-31")},
		{"KG0017", m("M3", "Conduct training for NPO, and mass media representatives on public monitoring: - the expenditure of budget funds for elections; - financing of the election campaign of candidates.", "2019-03-01", "2019-09-30")},
		{"LR0043", m("M1", "Publish the full text of the (draft) bill as well as information on the progress, sponsors, and who has voted for each bill.", "2021-01-01", "2022-12-31")},
	}
	for _, tt := range tests {
		t.Run(tt.commitment+"/"+tt.want.ID, func(t *testing.T) {
			for _, got := range find(t, file, tt.commitment).Milestones {
				if got.ID == tt.want.ID {
					if !reflect.DeepEqual(got, tt.want) {
						t.Errorf("got  %+v\nwant %+v", got, tt.want)
					}
					return
				}
			}
			t.Errorf("no milestone %s", tt.want.ID)
		})
	}
}

func TestRead_SampleMilestoneNotes(t *testing.T) {
	var notes []string
	res, _ := readSample(t, ogp.Options{})
	for _, p := range res.Plans {
		r, err := readSample(t, ogp.Options{Plan: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(r.Notes), len(r.File.Forums[0].Plan.Commitments); got != want {
			t.Errorf("%s: got %d notes, want one per commitment (%d)", p.ID, got, want)
		}
		for _, n := range r.Notes {
			notes = append(notes, n.String())
		}
	}
	for _, want := range []string{
		`row 2, column "Full Text": 8 milestones of BUE0009 read from the table headed "Milestones"`,
		`row 8, column "Full Text": 4 milestones of KAD0004 read from the table headed "Activities"; 1 row left out: "oo Bill on Freedom of Information to be…" (starts mid-sentence)`,
		`row 18, column "Full Text": 6 milestones of BG0090 read from the table headed "Activities"; 1 row left out: "47 development of tools for civil parti…" (starts mid-sentence)`,
		`row 6, column "Full Text": the milestone table of SCO0006 (headed "Milestone") was not read: it gives dates such as "Spring 2019", a season or quarter rather than a month; add its milestones by hand`,
		`row 28, column "Full Text": the milestone table of GH0040 (headed "Milestone") was not read: its dates do not line up as one range or one date per row (a page break or a date in a title may split it); add its milestones by hand`,
		`row 40, column "Full Text": the milestone table of MD0070 (headed "Milestone") was not read: it gives no dates the importer reads (such as "March 2019" or "15/03/2019"); add its milestones by hand`,
		`row 30, column "Full Text": no milestone table found for HN0067; no milestones imported`,
		`row 3, column "Full Text": no milestone table found for JAL0008; no milestones imported`,
	} {
		if !slices.Contains(notes, want) {
			t.Errorf("no note %q", want)
		}
	}
}

func TestRead_Milestones(t *testing.T) {
	text := sheet(t, header,
		commitmentRow("A1").with("Full Text", "Marcos | Data de início | Data de término\n1. Publicar o catálogo de dados | março de 2021 | junho de 2021\n2. Lançar o portal | 15 de julho de 2021 | 31 de dezembro de 2021\nContato: joana@gov.br +55 61 3216 2010"),
		commitmentRow("A2").with("Full Text", "Jalons\nAdopter le décret sur les données ouvertes.\n1er mars 2021 – 30 juin 2021\n"),
		commitmentRow("A3").with("Full Text", "Hitos | Fecha de inicio | Fecha de término\nRedactar las reglas | 01/09/2025 | 30/06/2025\nAdoptar las reglas | 01/01/2025 | 31/12/2025"),
		commitmentRow("A4").with("Full Text", "Milestones: see the action plan."))
	res, err := ogp.Read(strings.NewReader(text), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := func(id, title, start, due string) config.MilestoneConfig {
		return config.MilestoneConfig{ID: id, Title: title, Start: start, Due: due}
	}
	want := [][]config.MilestoneConfig{
		{m("M1", "Publicar o catálogo de dados", "2021-03-01", "2021-06-30"), m("M2", "Lançar o portal", "2021-07-15", "2021-12-31")},
		{m("M1", "Adopter le décret sur les données ouvertes.", "2021-03-01", "2021-06-30")},
		{m("M1", "Redactar las reglas", "2025-09-01", ""), m("M2", "Adoptar las reglas", "2025-01-01", "2025-12-31")},
		nil,
	}
	for i, c := range res.File.Forums[0].Plan.Commitments {
		if !reflect.DeepEqual(c.Milestones, want[i]) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", c.ID, c.Milestones, want[i])
		}
	}
	wantProblems(t, res.Problems,
		`row 2, column "Full Text": 1 e-mail address and 1 phone number removed (personal contact details are kept out of the plan)`,
		`row 4, column "Full Text": milestone M1 "Redactar las reglas" is due 2025-06-30, before it starts 2025-09-01; due date left empty`)
	wantProblems(t, res.Notes,
		`row 2, column "Full Text": 2 milestones of A1 read from the table headed "Marcos"`,
		`row 3, column "Full Text": 1 milestone of A2 read from the table headed "Jalons"`,
		`row 4, column "Full Text": 2 milestones of A3 read from the table headed "Hitos"`,
		`row 5, column "Full Text": no milestone table found for A4; no milestones imported`)
	out := roundTrip(t, res.File, res.Proposals...)
	if _, err := config.Parse(out, "imported.yaml", config.Options{}); err != nil {
		t.Errorf("config.Parse: %v", err)
	}
}
