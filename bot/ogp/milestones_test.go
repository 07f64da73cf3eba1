package ogp

import (
	"reflect"
	"strings"
	"testing"

	"forumbot/bot/config"
)

// ms builds the milestones wanted, from id, title, start, due quadruples.
func ms(fields ...string) []config.MilestoneConfig {
	var out []config.MilestoneConfig
	for i := 0; i+3 < len(fields); i += 4 {
		out = append(out, config.MilestoneConfig{ID: fields[i], Title: fields[i+1], Start: fields[i+2], Due: fields[i+3]})
	}
	return out
}

func TestReadMilestones(t *testing.T) {
	tests := []struct {
		name, text string
		table      string // the heading word found
		want       []config.MilestoneConfig
		unread     string // a part of the reason none were read
		skipped    int
		reversed   int
	}{
		// Tables flattened to one line, as PDF copies leave them.
		{name: "FlattenedNumberedWithStatusColumn", table: "Milestones",
			text: "Relevance. Milestones Ongoing or new commitment Start date End date 1. Open data portal 1.1 Publish the list of datasets to open. New October 2018 December 2019 1.2 Launch the portal with a request form. Ongoing November 2018 March 2019 Contact information Name of responsible person Ana, updated 1 May 2019",
			want: ms("M1", "Publish the list of datasets to open.", "2018-10-01", "2019-12-31", "M2", "Launch the portal with a request form.", "2018-11-01", "2019-03-31")},
		{name: "FlattenedSpanishWithColonLabels", table: "Actividad",
			text: "Información adicional Actividad y producto entregable Fecha de inicio: Fecha de término: Informe de diagnóstico de interoperabilidad Marzo 2021 Agosto 2021 Diseño final de la plataforma Abril 2022 Diciembre 2022",
			want: ms("M1", "Informe de diagnóstico de interoperabilidad", "2021-03-01", "2021-08-31", "M2", "Diseño final de la plataforma", "2022-04-01", "2022-12-31")},
		{name: "FlattenedBeginsAndOngoingUntil", table: "Milestone",
			text: "Milestone Activity With a Verifiable Deliverable Deadline: Responsible agency 1. Track bills 1.1 Publish the full text of each bill. Begins January 2021 and ongoing until December 2022 National Legislature 1.2 Publish quarterly reports online, Begins January 2021 and ongoing until June 2022 National Legislature",
			want: ms("M1", "Publish the full text of each bill.", "2021-01-01", "2022-12-31", "M2", "Publish quarterly reports online", "2021-01-01", "2022-06-30")},
		{name: "FlattenedOneRowCutByAPageBreak", table: "Activities", skipped: 1,
			text: "Specific Activities/Milestones Start Date End date oo Bill reviewed by the team. Sept. 2018 May 2019 2 Undertake an advocacy visit to the Assembly. Sept. 2018 Dec. 2018 \n3 Bill passed into law May 2019 Dec. 2019",
			want: ms("M1", "Undertake an advocacy visit to the Assembly.", "2018-09-01", "2018-12-31", "M2", "Bill passed into law", "2019-05-01", "2019-12-31")},
		{name: "FlattenedMonthNumbers", table: "Activities",
			text: "Activities for the measure: Starting date Date of completion of activity: Creation of a work group 08.2022 09.2022 Adoption of uniform rules 10.2023 02.2024",
			want: ms("M1", "Creation of a work group", "2022-08-01", "2022-09-30", "M2", "Adoption of uniform rules", "2023-10-01", "2024-02-29")},
		// One row per line, or per group of lines.
		{name: "LinesWithActorsAndAnOpenEnd", table: "Milestone",
			text: "31 August 2018 – 31 August 2020\nMilestone Activity with a Verifiable Deliverable\nDraft and pass the ordinance.\nVice Governor\nSangguniang Office\nNovember 2018 – December 2018\nLink the official page to the website.\nVice Governor\nJanuary 2019 – NA\nImplementing Actors\n",
			want: ms("M1", "Draft and pass the ordinance.", "2018-11-01", "2018-12-31", "M2", "Link the official page to the website.", "2019-01-01", "")},
		{name: "LinesWithDottedDates", table: "Implementation Stages",
			text: "Implementation Stages\nDescription of the work processes.\n15.03.2019 - 30.04.2019\nTraining of City Hall employees\n01.09.2019 - 30.10.2019\nIndicator\nThe portal is developed.",
			want: ms("M1", "Description of the work processes.", "2019-03-15", "2019-04-30", "M2", "Training of City Hall employees", "2019-09-01", "2019-10-30")},
		{name: "LinesLabelledHitos", table: "Actividad",
			text: "Actividad y producto entregable \n\nHito 1: Definir una línea de base. enero 2023 - junio 2023 \n\nHito 2: Cocrear un nuevo catálogo. julio 2023 - diciembre 2023",
			want: ms("M1", "Definir una línea de base.", "2023-01-01", "2023-06-30", "M2", "Cocrear un nuevo catálogo.", "2023-07-01", "2023-12-31")},
		{name: "LinesMonthDayYear", table: "Activities",
			text: "Activities\nDevelop a digital platform for consultations.\nSeptember 01, 2018 - August 31, 2020\nTrain the staff of Congress.\nJanuary 1, 2019 - August 31, 2019",
			want: ms("M1", "Develop a digital platform for consultations.", "2018-09-01", "2020-08-31", "M2", "Train the staff of Congress.", "2019-01-01", "2019-08-31")},
		{name: "NumberedRowsWithDatesOnLinesOfTheirOwn", table: "milestones",
			text: "Verifiable and measurable milestones Start date: End date: Responsible:\n 1. Unified thesaurus of legislative terms \n 10/01/2018 \n 02/28/2019 House of Representatives*\n Brazilian Senate*\n 2. Harmonized identifiers of bills \n \n 10/01/2018 \n \n 07/31/2020 House of Representatives*",
			want: ms("M1", "Unified thesaurus of legislative terms", "2018-10-01", "2019-02-28", "M2", "Harmonized identifiers of bills", "2018-10-01", "2020-07-31")},
		// Cells separated by pipes or tabs.
		{name: "PipesDayFirst", table: "Achievements",
			text: "No. Achievements Indicators Activity bearer Starting date End date \n\n1. Review the deficiencies | Problems identified | Ministry of Finance | 01/01/2024 | 01/06/2024 \n\n2. New law in force | Law approved | Ministry of Finance | 01/06/2024 | 31/12/2024",
			want: ms("M1", "Review the deficiencies", "2024-01-01", "2024-06-01", "M2", "New law in force", "2024-06-01", "2024-12-31")},
		{name: "PipesSingleSpanishDates", table: "Hitos",
			text: "Planificación del compromiso (Hitos | Resultados esperados | Fecha de finalización prevista)\n\nGarantizar el acceso a la información. | 7 actividades | junio de 2024\n\nGenerar la apropiación de los procesos. | 5 actividades | 20 de junio de 2024",
			want: ms("M1", "Garantizar el acceso a la información.", "", "2024-06-30", "M2", "Generar la apropiación de los procesos.", "", "2024-06-20")},
		{name: "PipesEndOfMonth", table: "Milestone",
			text: "Milestone with deliverable | Start date - End date\n\nLaunch of the interface | October 2024 - December 2025\n\nLaunch of the second interface | End of December 2024 - December 2025",
			want: ms("M1", "Launch of the interface", "2024-10-01", "2025-12-31", "M2", "Launch of the second interface", "2024-12-31", "2025-12-31")},
		{name: "TabsNumberedWithAGroupRow", table: "Milestone",
			text: "Milestone Activity with a verifiable deliverable\tBudget\tStart Date\tEnd Date\nActivity 1: Transparency of financing.\n1.1. Develop amendments to the law.\tDonor funds \n\tOctober 2018\tDecember 2018\n1.2. Develop a methodology:\n- for public control;\n- for reporting.\tDonor funds \n\tJanuary 2019\tMay 2019\nExpected result 1\t1.1. Amendments adopted.",
			want: ms("M1", "Develop amendments to the law.", "2018-10-01", "2018-12-31", "M2", "Develop a methodology: - for public control; - for reporting.", "2019-01-01", "2019-05-31")},
		{name: "AmbiguousSlashedDatesSettledByTheirOrder", table: "Milestones",
			text: "Milestones | Start date | End date\nPublish the first report | 10/01/2024 | 01/03/2024\nPublish the second report | 10/03/2024 | 01/06/2024",
			want: ms("M1", "Publish the first report", "2024-01-10", "2024-03-01", "M2", "Publish the second report", "2024-03-10", "2024-06-01")},
		// French and Portuguese.
		{name: "FrenchLines", table: "Jalons",
			text: "Jalons\nAdopter le décret sur les données ouvertes.\n1er mars 2021 – 30 juin 2021\nPublier le portail national.\njuillet 2021 au décembre 2021\n",
			want: ms("M1", "Adopter le décret sur les données ouvertes.", "2021-03-01", "2021-06-30", "M2", "Publier le portail national.", "2021-07-01", "2021-12-31")},
		{name: "FrenchLabels", table: "Activité",
			text: "Activité et livrable | Date de début | Date de fin\nCréer le comité de suivi | janv. 2022 | févr. 2022\nPublier le rapport annuel | sept. 2022 | déc. 2022",
			want: ms("M1", "Créer le comité de suivi", "2022-01-01", "2022-02-28", "M2", "Publier le rapport annuel", "2022-09-01", "2022-12-31")},
		{name: "Portuguese", table: "Marcos",
			text: "Marcos | Data de início | Data de término\n1. Publicar o catálogo de dados | março de 2021 | junho de 2021\n2. Lançar o portal da transparência | 15 de julho de 2021 | 31 de dezembro de 2021",
			want: ms("M1", "Publicar o catálogo de dados", "2021-03-01", "2021-06-30", "M2", "Lançar o portal da transparência", "2021-07-15", "2021-12-31")},
		{name: "DueBeforeStart", table: "Achievements", reversed: 1,
			text: "Achievements | Starting date | End date\n1. Draft the rules | 01/09/2025 | 30/06/2025\n2. Adopt the rules | 01/01/2025 | 31/12/2025",
			want: ms("M1", "Draft the rules", "2025-09-01", "", "M2", "Adopt the rules", "2025-01-01", "2025-12-31")},
		// Tables left alone, with the reason.
		{name: "Seasons", table: "Milestone", unread: `"Spring 2019", a season or quarter`,
			text: "Milestone Activity with a verifiable deliverable Start Date End Date: Set up the advisory group Spring 2019 2020 Publish the report December 2018 Summer 2019"},
		{name: "PageFooterSplitsTheRows", table: "Milestone", unread: "do not line up",
			text: "Milestone Activity with a verifiable deliverable Start Date: End Date: Adopt a plan by the end of Nov. 2021 June 2023 Open Government Partnership - NAP-4 18 December 2022 to ensure values. Nov. 2021 June 2023"},
		{name: "NoDates", table: "Milestone", unread: "gives no dates the importer reads",
			text: "Milestone Activity with a verifiable deliverable\tResponsible authority\tDeadline\nPublish the citizens' budget\tMinistry of Finance\tAnnual"},
		{name: "BothDayAndMonthFirst", table: "Milestones", unread: "both day first and month first",
			text: "Milestones | Start date | End date\nOne thing to do | 31/01/2024 | 01/31/2025\nAnother to do | 01/02/2024 | 01/06/2024"},
		{name: "AmbiguousSlashedDates", table: "Milestones", unread: "read as well day first as month first",
			text: "Milestones | Start date | End date\nOne thing to do | 01/02/2024 | 01/06/2024"},
		{name: "MostRowsUnreadable", table: "Activities", unread: "2 of its 3 rows do not read as milestones", skipped: 2,
			text: "Activities Start date End date the first one March 2019 June 2019 and then March 2019 June 2019 Publish the report March 2019 June 2019"},
		{name: "NoHeading", text: "The plan runs 31 August 2018 – 31 August 2020.\nDevelop a platform.\nSeptember 01, 2018 - August 31, 2020"},
		{name: "MilestonesInProse", text: "The following milestones will be reached: 1. Track bills by March 2019. 2. Publish them by June 2019."},
		{name: "Empty", text: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readMilestones(tt.text)
			if got.table != tt.table {
				t.Errorf("table: got %q, want %q", got.table, tt.table)
			}
			if !reflect.DeepEqual(got.milestones, tt.want) {
				t.Errorf("milestones:\ngot  %+v\nwant %+v", got.milestones, tt.want)
			}
			if (tt.unread == "") != (got.unread == "") || !strings.Contains(got.unread, tt.unread) {
				t.Errorf("unread: got %q, want it to contain %q", got.unread, tt.unread)
			}
			if len(got.skipped) != tt.skipped || len(got.reversed) != tt.reversed {
				t.Errorf("got %d rows skipped %q and %d due dates dropped %q; want %d and %d",
					len(got.skipped), got.skipped, len(got.reversed), got.reversed, tt.skipped, tt.reversed)
			}
		})
	}
}

func TestMilestoneTitle(t *testing.T) {
	tests := []struct{ row, title, why string }{
		{" 4. Open data 4.1 Systematisation of new assets. New ", "Systematisation of new assets.", ""},
		{"Responsible:\n 1. Unified thesaurus \n ", "Unified thesaurus", ""},
		{" House*\n Senate*\n 2. Harmonized identifiers \n ", "Harmonized identifiers", ""},
		{"\n\nHito 3: Sistema de monitoreo. ", "Sistema de monitoreo.", ""},
		{"\nEstablish the system.\nMahintana Foundation\n", "Establish the system.", ""},
		{"\n\nReview the deficiencies | Problems identified | Ministry | ", "Review the deficiencies", ""},
		{" 2 Undertake an advocacy visit ", "Undertake an advocacy visit", ""},
		{" 47 development of tools ", "47 development of tools", "starts mid-sentence"},
		{" oo Bill reviewed by the team. ", "oo Bill reviewed by the team.", "starts mid-sentence"},
		{" Dates ", "Dates", "too short for a title"},
		{" National Legislature ", "National Legislature", ""},
		{" " + strings.Repeat("Word ", 201), strings.TrimSpace(strings.Repeat("Word ", 201)), "too long for a title"},
		{" Start date End date of the step ", "Start date End date of the step", "holds the table's headings"},
	}
	for _, tt := range tests {
		title, why := milestoneTitle(tt.row)
		if title != tt.title || why != tt.why {
			t.Errorf("milestoneTitle(%q):\ngot  %q, %q\nwant %q, %q", tt.row, title, why, tt.title, tt.why)
		}
	}
}
