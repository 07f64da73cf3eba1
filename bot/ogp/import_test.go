package ogp_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

func TestImport_Sample(t *testing.T) {
	files, problems := importEachPlan(t)
	wantProblems(t, problems, sampleProblems...)
	if got := len(files); got != 37 {
		t.Errorf("got %d action plans, want 37", got)
	}
	n := 0
	for _, file := range files {
		forum := file.Forums[0]
		n += len(forum.Plan.Commitments)
		if forum.ID == "ogp-import" || !strings.HasSuffix(forum.Name, " Multistakeholder Forum") || !strings.HasPrefix(forum.Plan.ID, "AP_") {
			t.Errorf("forum %q %q, plan %q: want them named after the locality and the action plan", forum.ID, forum.Name, forum.Plan.ID)
		}
		for _, c := range forum.Plan.Commitments {
			if c.Committee == nil || len(c.Committee) != 0 {
				t.Errorf("%s: committee: got %#v, want an empty list", c.ID, c.Committee)
			}
			if c.Title == "" || strings.ContainsAny(c.Title, "\n\r\t") || strings.Contains(c.Title, "  ") {
				t.Errorf("%s: title %q is not one clean line", c.ID, c.Title)
			}
			if n := utf8.RuneCountInString(c.Description); n > 4000 {
				t.Errorf("%s: description has %d runes, want at most 4000", c.ID, n)
			}
			if c.URL != "" && !strings.HasPrefix(c.URL, "https://opengovpartnership.org/members/") {
				t.Errorf("%s: url %q", c.ID, c.URL)
			}
		}
	}
	if n != 40 {
		t.Errorf("got %d commitments, want 40", n)
	}
	file, _ := importSample(t, ogp.Options{Plan: "AP_PHSC01"})
	forum := file.Forums[0]
	want := config.ForumConfig{
		ID:               "south-cotabato-philippines",
		Name:             "South Cotabato, Philippines Multistakeholder Forum",
		Timezone:         "Asia/Manila",
		Locale:           "en",
		DigestChannel:    "local:forum-digest",
		Coordinators:     []string{"local:coordinator"},
		StatusVisibility: "forum",
		Schedule:         config.ScheduleConfig{Prompt: "0 9 1 * *", Window: "7d", Reminders: []string{"3d", "6d"}},
		Plan: config.PlanConfig{
			ID:          "AP_PHSC01",
			Title:       "South Cotabato, Philippines action plan 1",
			Start:       "2018-08-31",
			End:         "2020-08-31",
			Commitments: forum.Plan.Commitments,
		},
	}
	if !reflect.DeepEqual(forum, want) {
		t.Errorf("forum:\ngot  %+v\nwant %+v", forum, want)
	}
	if got, want := ids(forum.Plan), []string{"COT0005", "COT0001"}; !reflect.DeepEqual(got, want) {
		t.Errorf("commitments: got %q, want %q (file order)", got, want)
	}
}

func TestImport_SampleDatesAndIRM(t *testing.T) {
	file, _ := wholeSample(t)
	tests := []struct {
		id, start, end string
		irm            *config.IRMConfig
	}{
		{"BUE0009", "2018-01-01", "2019-12-31", &config.IRMConfig{CompletionEndOfTerm: "Substantial", DidItOpenGovernment: "Major"}},
		{"JAL0008", "2019-08-22", "2020-08-22", &config.IRMConfig{CompletionEndOfTerm: "Complete", DidItOpenGovernment: "Marginal"}},
		{"MAD0005", "", "", &config.IRMConfig{CompletionEndOfTerm: "Complete", DidItOpenGovernment: "Marginal"}},
		{"XK0011", "2024-01-01", "2025-08-31", nil},
		{"ID0041", "2014-05-28", "2014-12-31", &config.IRMConfig{CompletionProgressReport: "Substantial", CompletionEndOfTerm: "Substantial", DidItOpenGovernment: "Marginal"}},
		{"AM0022", "2014-08-01", "2015-08-31", &config.IRMConfig{CompletionProgressReport: "Substantial", CompletionEndOfTerm: "Complete", DidItOpenGovernment: "Marginal"}},
		{"BR0106", "2018-10-01", "2021-12-31", nil},
		{"BG0090", "2022-08-01", "2024-02-28", nil},
		{"CL0069", "2021-03-01", "2022-06-30", &config.IRMConfig{CompletionEndOfTerm: "Limited"}},
		{"CR0016", "", "2013-12-31", &config.IRMConfig{CompletionProgressReport: "Substantial"}},
		{"HR0009", "2012-09-01", "2013-02-28", &config.IRMConfig{CompletionProgressReport: "Complete"}},
		{"EE0025", "2014-01-12", "2015-12-31", &config.IRMConfig{CompletionProgressReport: "Substantial", CompletionEndOfTerm: "Complete", DidItOpenGovernment: "Major"}},
		{"GE0006", "", "2012-12-31", &config.IRMConfig{CompletionProgressReport: "Limited"}},
		{"IT0034", "2016-09-01", "", &config.IRMConfig{CompletionProgressReport: "Limited", CompletionEndOfTerm: "Limited", DidItOpenGovernment: "Did Not Change"}},
		{"LV0019", "2013-11-01", "2016-12-31", &config.IRMConfig{CompletionProgressReport: "Limited", CompletionEndOfTerm: "Limited", DidItOpenGovernment: "Did Not Change"}},
		{"LR0043", "2020-12-01", "2022-12-31", &config.IRMConfig{CompletionEndOfTerm: "Not Started"}},
		{"MN0020", "", "2015-12-31", &config.IRMConfig{CompletionProgressReport: "Not Started", CompletionEndOfTerm: "Not Started", DidItOpenGovernment: "Did Not Change"}},
		{"TBI0008", "2019-03-15", "2020-02-28", &config.IRMConfig{CompletionEndOfTerm: "Limited"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := find(t, file, tt.id)
			if c.Start != tt.start || c.End != tt.end {
				t.Errorf("start, end: got %q, %q, want %q, %q", c.Start, c.End, tt.start, tt.end)
			}
			if !reflect.DeepEqual(c.IRM, tt.irm) {
				t.Errorf("irm: got %+v, want %+v", c.IRM, tt.irm)
			}
		})
	}
}

func TestImport_SampleBUE0009(t *testing.T) {
	file, _ := importSample(t, ogp.Options{Plan: "AP_ARBA02"})
	c := find(t, file, "BUE0009")
	if got, want := c.Title, "Open data and participation in the Legislature."; got != want {
		t.Errorf("title: got %q, want %q", got, want)
	}
	if c.LeadAgency != "" {
		t.Errorf("lead agency: got %q, want none (NA)", c.LeadAgency)
	}
	wantValues := []string{"Access to Information", "Civic Participation", "Technology and Innovation"}
	if !reflect.DeepEqual(c.Values, wantValues) {
		t.Errorf("values: got %q, want %q", c.Values, wantValues)
	}
	wantAreas := []string{"Democratizing Decision-Making", "Regulatory Governance", "Justice", "Open Justice",
		"Judiciary", "Open Parliaments", "Capacity Building", "Open Data", "Public Participation", "Subnational",
		"Sustainable Development Goals", "Participation in Lawmaking", "Access to information"}
	if !reflect.DeepEqual(c.PolicyAreas, wantAreas) {
		t.Errorf("policy areas:\ngot  %q\nwant %q", c.PolicyAreas, wantAreas)
	}
	// A bulleted list wrapped by a PDF copy: items run on over wrapped
	// lines and words cut by hyphens are mended.
	wantOrgs := []string{
		"Government",
		"Presidency of the Cabinet of Ministers of the Government of the City of Buenos Aires",
		"Programme on parliamentary modernisation of the Chamber of Deputies of the Nation",
		"Open data links from the different areas of Government",
		"Criminal, Misdemeanour and Petty Offense Courts 10 and 13 (Juzgados 10 y 13 PCyF)",
		"Office of the Public Prosecutor of the City of Buenos Aire",
		"Office of the Public Defender of the City of Buenos Aires",
		"Office for the Protection of Minors and Incompetent Persons of the City of Buenos Aires",
		"Civil Society / Private Sector",
	}
	if len(c.SupportingOrganisations) != 16 || !reflect.DeepEqual(c.SupportingOrganisations[:9], wantOrgs) {
		t.Errorf("supporting organisations:\ngot  %q\nwant %q and 7 more", c.SupportingOrganisations, wantOrgs)
	}
	if got, want := c.URL, "https://opengovpartnership.org/members/buenos-aires-argentina/commitments/bue0009"; got != want {
		t.Errorf("url: got %q, want %q", got, want)
	}
	if !strings.HasPrefix(c.Description, "Link with the Sustainable Development Agenda 2030 (SDG)") ||
		!strings.HasSuffix(c.Description, "…") || utf8.RuneCountInString(c.Description) != 4000 {
		t.Errorf("description: got %d runes %q…%q, want the full text cut at 4000 runes with …",
			utf8.RuneCountInString(c.Description), c.Description[:40], c.Description[len(c.Description)-20:])
	}
}

func TestImport_SampleFields(t *testing.T) {
	file, _ := wholeSample(t)
	tests := []struct {
		id    string
		field string
		got   func(config.CommitmentConfig) any
		want  any
	}{
		{"JAL0008", "title: the Spanish Commitment Title", func(c config.CommitmentConfig) any { return c.Title }, "Plataforma Digital De Participación Ciudadana en la Construcción y Aprobación de Leyes"},
		{"JAL0008", "short title: the English Short Title", func(c config.CommitmentConfig) any { return c.ShortTitle }, "Citizen Feedback Portal on Draft Laws"},
		{"COT0001", "title: the full Commitment Title", func(c config.CommitmentConfig) any { return c.Title }, "Increasing Inclusivity in Public Access to Government Information"},
		{"COT0001", "short title: the Short Title", func(c config.CommitmentConfig) any { return c.ShortTitle }, "Access to Information"},
		{"TBI0008", "title on one line", func(c config.CommitmentConfig) any { return c.Title }, "IMPLEMENTATION OF MECHANISMS FOR IMPROVEMENT OF ACCESS TO SERVICES AND CIVIC ENGAGEMENT"},
		{"MAD0005", "short title differing only in case left out", func(c config.CommitmentConfig) any { return c.ShortTitle }, ""},
		{"JAL0008", "supporting organisations: See Action Plan is a placeholder", func(c config.CommitmentConfig) any { return c.SupportingOrganisations }, []string(nil)},
		{"JAL0008", "values: NR is not 1", func(c config.CommitmentConfig) any { return c.Values }, []string{"Access to Information", "Civic Participation"}},
		{"JAL0008", "description kept whole", func(c config.CommitmentConfig) any { return c.Description }, "See action plan for commitment text: https://www.opengovpartnership.org/documents/jalisco-mexico-action-plan-2019-2021/"},
		{"AM0022", "lead agency trimmed", func(c config.CommitmentConfig) any { return c.LeadAgency }, "Ministry of Justice"},
		{"TBI0008", "lead agency on one line", func(c config.CommitmentConfig) any { return c.LeadAgency }, `Municipal Services Development Agency NCLE, Tbilisi Municipal Legal Department, Tbilisi Municipality District Administration, Tbilisi Municipal Department for Environment Protection, Tbilisi Municipal Transport Department, Tbilisi Municipal Supervision Department, "Tbilisi Municipality Architecture Service" LEPL, ""Tbilservice Group" LTD`},
		{"DO0002", "repeated organisations dropped", func(c config.CommitmentConfig) any { return c.SupportingOrganisations }, []string{"Cámara de Diputados"}},
		{"BG0090", "organisations split on ;", func(c config.CommitmentConfig) any { return c.SupportingOrganisations }, []string{"Bulgarian Center for Not-for Profit Law", "Administration of the Council of Ministers"}},
		{"EC0014", "organisations split on inline bullets", func(c config.CommitmentConfig) any { return len(c.SupportingOrganisations) }, 8},
		{"BR0106", "organisations split on lines", func(c config.CommitmentConfig) any { return c.SupportingOrganisations[:2] }, []string{"House of Representatives", "Brazilian Senate"}},
		{"XK0011", "no values when all are NR", func(c config.CommitmentConfig) any { return c.Values }, []string(nil)},
		{"XK0011", "newlines kept in the description", func(c config.CommitmentConfig) any {
			return strings.Contains(c.Description, "achieved. E-procurement is a partially open Public Procurement system.\n\nWhat is the commitment?")
		}, true},
		{"SCO0006", "private-use bullet read as •", func(c config.CommitmentConfig) any {
			return strings.Contains(c.LeadAgency, "including: • Public Spending • Infrastructure")
		}, true},
		{"GH0040", "one policy area", func(c config.CommitmentConfig) any { return c.PolicyAreas }, []string{"Open Parliaments"}},
		{"COT0005", "all four values", func(c config.CommitmentConfig) any { return len(c.Values) }, 4},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.field, func(t *testing.T) {
			got := tt.got(find(t, file, tt.id))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestImport_SampleFilters(t *testing.T) {
	tests := []struct {
		name  string
		opts  ogp.Options
		ids   []string
		forum config.ForumConfig // only the fields compared below
	}{
		{"Locality", ogp.Options{Locality: "South Cotabato"}, []string{"COT0005", "COT0001"},
			config.ForumConfig{ID: "south-cotabato-philippines", Name: "South Cotabato, Philippines Multistakeholder Forum",
				Plan: config.PlanConfig{ID: "AP_PHSC01", Title: "South Cotabato, Philippines action plan 1", Start: "2018-08-31", End: "2020-08-31"}}},
		{"LocalityCaseAndAccents", ogp.Options{Locality: "  SOUTH cotabató "}, []string{"COT0005", "COT0001"},
			config.ForumConfig{ID: "south-cotabato-philippines", Name: "South Cotabato, Philippines Multistakeholder Forum",
				Plan: config.PlanConfig{ID: "AP_PHSC01", Title: "South Cotabato, Philippines action plan 1", Start: "2018-08-31", End: "2020-08-31"}}},
		{"Plan", ogp.Options{Plan: "AP_GBSC01"}, []string{"SCO0001", "SCO0005"},
			config.ForumConfig{ID: "scotland-united-kingdom", Name: "Scotland, United Kingdom Multistakeholder Forum",
				Plan: config.PlanConfig{ID: "AP_GBSC01", Title: "Scotland, United Kingdom action plan 1"}}},
		{"PlanCaseTakesTheFilesSpelling", ogp.Options{Plan: "ap_gbsc01"}, []string{"SCO0001", "SCO0005"},
			config.ForumConfig{ID: "scotland-united-kingdom", Name: "Scotland, United Kingdom Multistakeholder Forum",
				Plan: config.PlanConfig{ID: "AP_GBSC01", Title: "Scotland, United Kingdom action plan 1"}}},
		{"LocalityAndPlan", ogp.Options{Locality: "Scotland", Plan: "AP_GBSC02"}, []string{"SCO0006"},
			config.ForumConfig{ID: "scotland-united-kingdom", Name: "Scotland, United Kingdom Multistakeholder Forum",
				Plan: config.PlanConfig{ID: "AP_GBSC02", Title: "Scotland, United Kingdom action plan 2", Start: "2018-12-01", End: "2020-12-31"}}},
		{"LocalityMatchingSeveralWithPlan", ogp.Options{Locality: "Argentina", Plan: "AP_ARG03"}, []string{"AR0045"},
			config.ForumConfig{ID: "argentina", Name: "Argentina Multistakeholder Forum",
				Plan: config.PlanConfig{ID: "AP_ARG03", Title: "Argentina action plan 3", Start: "2017-08-01", End: "2019-06-30"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, problems := importSample(t, tt.opts)
			if problems = withoutContactRemovals(problems); len(problems) != 0 {
				t.Errorf("got problems %v, want none", problems)
			}
			f := file.Forums[0]
			if got := ids(f.Plan); !reflect.DeepEqual(got, tt.ids) {
				t.Errorf("ids: got %q, want %q", got, tt.ids)
			}
			if f.ID != tt.forum.ID || f.Name != tt.forum.Name {
				t.Errorf("forum: got %q %q, want %q %q", f.ID, f.Name, tt.forum.ID, tt.forum.Name)
			}
			got, want := f.Plan, tt.forum.Plan
			got.Commitments = nil
			if !reflect.DeepEqual(got, want) {
				t.Errorf("plan: got %+v, want %+v", got, want)
			}
		})
	}
}

func TestImport_SampleNoMatch(t *testing.T) {
	tests := []struct {
		name string
		opts ogp.Options
		want []string
	}{
		{"Locality", ogp.Options{Locality: "Atlantis"},
			[]string{`no row has a "Country/Locality" containing "Atlantis"`, `"Buenos Aires, Argentina", "Jalisco, Mexico", "Madrid, Spain", "Scotland, United Kingdom", "South Cotabato, Philippines"`, "and 26 more"}},
		{"Plan", ogp.Options{Plan: "AP_NOPE"},
			[]string{`no row has "Action Plan ID" "AP_NOPE"; action plans in the file: "AP_ARBA02", "AP_MXJL02"`, "and 27 more"}},
		{"PlanInLocality", ogp.Options{Locality: "Scotland", Plan: "AP_NOPE"},
			[]string{`action plans for "Scotland": "AP_GBSC01", "AP_GBSC02"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := importSampleErr(t, tt.opts)
			if got := bot.ErrorCode(err); got != bot.EINVALID {
				t.Fatalf("error %v: got code %q, want %q", err, got, bot.EINVALID)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error:\ngot  %s\nwant it to contain %s", err, want)
				}
			}
		})
	}
}
