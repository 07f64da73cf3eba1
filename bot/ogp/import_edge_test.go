package ogp_test

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/bot/config"
	"forumbot/bot/ogp"
)

// header names every column the importer reads, in the sample's order, with
// one unrelated column on each side of the policy areas.
var header = []string{
	"Commitment Unique Identifier", "Country/Locality", "Action Plan Number", "Commitment Title", "Short Title",
	"Full Text", "Start Date", "End Date", "Lead Institution", "Supporting Institution(s)",
	"Anti-Corruption and Integrity", "Open Data", "Money in Politics", "Specificity",
	"OGP Value Access To Information", "OGP Value Civic Participation", "OGP Value Public Accountability", "OGP Value Technology",
	"Completion (Progress Report)", "Completion (End Of Term)", "Did It Open Government (Overall)", "URL", "Action Plan ID",
}

// cells is one row, by column name; columns left out are empty.
type cells map[string]string

// sheet writes a CSV of the header and rows.
func sheet(t *testing.T, header []string, rows ...cells) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	records := [][]string{header}
	for _, r := range rows {
		rec := make([]string, len(header))
		for i, name := range header {
			rec[i] = r[name]
		}
		records = append(records, rec)
	}
	if err := w.WriteAll(records); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// commitmentRow is a valid row with the given id.
func commitmentRow(id string) cells {
	return cells{
		"Commitment Unique Identifier": id, "Country/Locality": "Jalisco, Mexico", "Action Plan Number": "2",
		"Commitment Title": "Title of " + id, "Start Date": "1/1/2020", "End Date": "12/31/2021", "Action Plan ID": "AP_MXJL02",
	}
}

// with returns r with the given cells replaced.
func (r cells) with(kv ...string) cells {
	out := cells{}
	for k, v := range r {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// mustImport imports text and fails on an error.
func mustImport(t *testing.T, text string, opts ogp.Options) (config.PlanConfig, []ogp.Problem) {
	t.Helper()
	file, problems, err := ogp.Import(strings.NewReader(text), opts)
	if err != nil {
		t.Fatalf("Import: %v (problems %v)", err, problems)
	}
	return file.Forums[0].Plan, problems
}

// wantProblems compares problems by their String form.
func wantProblems(t *testing.T, got []ogp.Problem, want ...string) {
	t.Helper()
	var gotText []string
	for _, p := range got {
		gotText = append(gotText, p.String())
	}
	if !reflect.DeepEqual(gotText, want) {
		t.Errorf("problems:\ngot  %q\nwant %q", gotText, want)
	}
}

func TestImport_BadDate(t *testing.T) {
	text := sheet(t, header,
		commitmentRow("A1").with("Full Text", "line one\nline two\n\nline four"),
		commitmentRow("A2").with("Start Date", "Agust 2014"),
		commitmentRow("A3").with("End Date", "31/31/2020"))
	plan, problems := mustImport(t, text, ogp.Options{})
	wantProblems(t, problems,
		`row 3, column "Start Date": "Agust 2014" is not a date (formats understood: M/D/YYYY, M/D/YY, D/M/YYYY when the day is over 12, "August 2014", "2014", YYYY-MM-DD, spreadsheet serial numbers such as 43525, NA/ND/NR)`,
		`row 4, column "End Date": "31/31/2020" is not a date (formats understood: M/D/YYYY, M/D/YY, D/M/YYYY when the day is over 12, "August 2014", "2014", YYYY-MM-DD, spreadsheet serial numbers such as 43525, NA/ND/NR)`)
	if got := ids(plan); !reflect.DeepEqual(got, []string{"A1", "A2", "A3"}) {
		t.Fatalf("ids: got %q, want all three rows", got)
	}
	if c := plan.Commitments[1]; c.Start != "" || c.End != "2021-12-31" {
		t.Errorf("A2: got start %q end %q, want no start and end 2021-12-31", c.Start, c.End)
	}
	if c := plan.Commitments[2]; c.Start != "2020-01-01" || c.End != "" {
		t.Errorf("A3: got start %q end %q, want start 2020-01-01 and no end", c.Start, c.End)
	}
	if got := problems[0]; got.Row != 3 || got.Column != "Start Date" || got.Value != "Agust 2014" {
		t.Errorf("problem: got %+v", got)
	}
}

func TestImport_SerialDates(t *testing.T) {
	// A spreadsheet program saving the export may write dates as serial
	// numbers: 43525 is 2019-03-01 in Excel's 1900 date system.
	text := sheet(t, header, commitmentRow("A1").with("Start Date", "43525", "End Date", "44196.0"))
	plan, problems := mustImport(t, text, ogp.Options{})
	wantProblems(t, problems)
	if c := plan.Commitments[0]; c.Start != "2019-03-01" || c.End != "2020-12-31" {
		t.Errorf("got start %q end %q, want 2019-03-01 and 2020-12-31", c.Start, c.End)
	}
}

func TestImport_EndBeforeStart(t *testing.T) {
	text := sheet(t, header, commitmentRow("A1").with("Start Date", "August 2015", "End Date", "2014"))
	plan, problems := mustImport(t, text, ogp.Options{})
	wantProblems(t, problems, `row 2, column "End Date": "2014" is before the start date 2015-08-01; end date left empty`)
	if c := plan.Commitments[0]; c.Start != "2015-08-01" || c.End != "" {
		t.Errorf("got start %q end %q, want 2015-08-01 and none", c.Start, c.End)
	}
	if plan.Start != "2015-08-01" || plan.End != "" {
		t.Errorf("plan: got start %q end %q, want 2015-08-01 and none", plan.Start, plan.End)
	}
}

func TestImport_PlanSpan(t *testing.T) {
	text := sheet(t, header,
		commitmentRow("A1").with("Start Date", "NA", "End Date", "2013"),
		commitmentRow("A2").with("Start Date", "3/1/2016", "End Date", "ND"))
	plan, _ := mustImport(t, text, ogp.Options{})
	// The only end comes before the only start: the plan claims no end.
	if plan.Start != "2016-03-01" || plan.End != "" {
		t.Errorf("plan: got start %q end %q, want 2016-03-01 and none", plan.Start, plan.End)
	}
}

func TestImport_RowShape(t *testing.T) {
	good := strings.Repeat(",", len(header)-1)
	text := strings.Join([]string{
		strings.Join(header, ","),
		"A1" + good,
		"A2,Jalisco,2",                   // short: row skipped
		"A3" + good + ",,,",              // trailing empty cells: harmless
		"A4" + good + ",,surplus",        // shifted cells: row skipped
		strings.Repeat(",", len(header)), // blank: silently skipped
		"\"A5\"" + good,
	}, "\n")
	plan, problems := mustImport(t, text, ogp.Options{})
	wantProblems(t, problems,
		`row 2, column "Commitment Title": is empty; the commitment id is used as its title`,
		`row 3: has 3 cells where the header names 23 columns; row skipped`,
		`row 4, column "Commitment Title": is empty; the commitment id is used as its title`,
		`row 5: has 25 cells where the header has 23; row skipped`,
		`row 7, column "Commitment Title": is empty; the commitment id is used as its title`)
	if got, want := ids(plan), []string{"A1", "A3", "A5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids: got %q, want %q", got, want)
	}
	// Untitled rows take their id as title.
	if got := plan.Commitments[0].Title; got != "A1" {
		t.Errorf("title: got %q, want the id", got)
	}
}

func TestImport_RowNumbersCountRecordsNotLines(t *testing.T) {
	text := sheet(t, header,
		commitmentRow("A1").with("Full Text", "one\ntwo\nthree", "Supporting Institution(s)", "x\ny"),
		commitmentRow("A1"))
	_, problems := mustImport(t, text, ogp.Options{})
	wantProblems(t, problems, `row 3, column "Commitment Unique Identifier": "A1" repeats the id of row 2; row skipped`)
}

func TestImport_HeaderQuirks(t *testing.T) {
	bom := "\uFEFF" + sheet(t, header, commitmentRow("A1"))
	plan, problems := mustImport(t, bom, ogp.Options{})
	if len(problems) != 0 || len(plan.Commitments) != 1 {
		t.Errorf("with a BOM: got %d commitments, problems %v; want 1 and none", len(plan.Commitments), problems)
	}

	// Columns found by name whatever their order, case or spacing.
	reordered := []string{"  action plan id", "URL", "Short Title", "commitment  title", "COMMITMENT UNIQUE IDENTIFIER"}
	text := strings.Join(reordered, ",") + "\nAP_X,https://example.org/c1,Short,Long,C1\n"
	plan, problems = mustImport(t, text, ogp.Options{})
	c := plan.Commitments[0]
	if c.ID != "C1" || c.Title != "Long" || c.ShortTitle != "Short" || c.URL != "https://example.org/c1" || plan.ID != "AP_X" {
		t.Errorf("reordered header: got %+v in plan %q", c, plan.ID)
	}
	if len(problems) == 0 || problems[0].Row != 1 || !strings.Contains(problems[0].String(), "column not found") {
		t.Errorf("missing optional columns: got problems %v, want them reported on row 1", problems)
	}
}

func TestImport_Errors(t *testing.T) {
	tests := []struct {
		name, text string
		opts       ogp.Options
		want       string
	}{
		{"Empty", "", ogp.Options{}, "the CSV is empty"},
		{"HeaderOnly", strings.Join(header, ",") + "\n", ogp.Options{}, "the CSV has no commitment rows"},
		{"NoTitleColumn", "Commitment Unique Identifier,Short Title\nA1,x\n", ogp.Options{}, `the CSV has no "Commitment Title" column`},
		{"NoColumns", "a,b\n1,2\n", ogp.Options{}, `no "Commitment Unique Identifier" or "Commitment Title" column`},
		{"FilterWithoutColumn", "Commitment Unique Identifier,Commitment Title\nA1,x\n", ogp.Options{Locality: "x"}, `cannot filter by locality: the CSV has no "Country/Locality" column`},
		{"PlanFilterWithoutColumn", "Commitment Unique Identifier,Commitment Title\nA1,x\n", ogp.Options{Plan: "x"}, `cannot filter by action plan: the CSV has no "Action Plan ID" column`},
		{"NothingUsable", "Commitment Unique Identifier,Commitment Title\n!!!,x\nNA,y\n", ogp.Options{}, "none of the 2 matching rows could be imported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ogp.Import(strings.NewReader(tt.text), tt.opts)
			if !strings.Contains(err.Error(), tt.want) || bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("got %v, want an %s error containing %q", err, bot.EINVALID, tt.want)
			}
		})
	}
}

func TestImport_IDs(t *testing.T) {
	text := sheet(t, header,
		commitmentRow(" BUE0009 "),
		commitmentRow("bue0009"),
		commitmentRow("COT 0001/a"),
		commitmentRow("-·-"),
		commitmentRow("N/A"),
		commitmentRow("Ñandú.7"))
	plan, problems := mustImport(t, text, ogp.Options{})
	wantProblems(t, problems,
		`row 3, column "Commitment Unique Identifier": "bue0009" repeats the id of row 2; row skipped`,
		`row 4, column "Commitment Unique Identifier": "COT 0001/a" is not a valid commitment id; imported as "COT-0001-a"`,
		`row 5, column "Commitment Unique Identifier": "-·-" is not a usable commitment id; row skipped`,
		`row 6, column "Commitment Unique Identifier": is empty; row skipped`,
		`row 7, column "Commitment Unique Identifier": "Ñandú.7" is not a valid commitment id; imported as "Nandu.7"`)
	if got, want := ids(plan), []string{"BUE0009", "COT-0001-a", "Nandu.7"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ids: got %q, want %q", got, want)
	}
}

func TestImport_Cells(t *testing.T) {
	row := commitmentRow("A1").with(
		"Commitment Title", "  Plataforma  Digital\r\nde Participación ",
		"Short Title", "N/A",
		"Full Text", "\r\n  First line\r\nsecond line\tindented  \r\n",
		"Lead Institution", "nd",
		"Supporting Institution(s)", "Ministry A; Ministry B\nMinistry A\n41\nMinistry C",
		"Anti-Corruption and Integrity", "1", "Open Data", "0", "Money in Politics", " 1 ", "Specificity", "1",
		"OGP Value Access To Information", "1", "OGP Value Civic Participation", "ND",
		"OGP Value Public Accountability", "0", "OGP Value Technology", "1",
		"Completion (Progress Report)", "complete", "Completion (End Of Term)", "no evidence available",
		"Did It Open Government (Overall)", "did not change",
	)
	plan, problems := mustImport(t, sheet(t, header, row), ogp.Options{})
	if len(problems) != 0 {
		t.Errorf("got problems %v, want none", problems)
	}
	want := config.CommitmentConfig{
		ID:                      "A1",
		Title:                   "Plataforma Digital de Participación",
		Description:             "First line\nsecond line indented",
		SupportingOrganisations: []string{"Ministry A", "Ministry B", "Ministry C"},
		Values:                  []string{"Access to Information", "Technology and Innovation"},
		PolicyAreas:             []string{"Anti-Corruption and Integrity", "Money in Politics"},
		Start:                   "2020-01-01",
		End:                     "2021-12-31",
		IRM:                     &config.IRMConfig{CompletionProgressReport: "Complete", CompletionEndOfTerm: "No Evidence Available", DidItOpenGovernment: "Did Not Change"},
		Committee:               []config.MemberConfig{},
	}
	if got := plan.Commitments[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("commitment:\ngot  %#v\nwant %#v", got, want)
	}
}

func TestImport_IRMPlaceholdersOmitted(t *testing.T) {
	row := commitmentRow("A1").with(
		"Completion (Progress Report)", "NR", "Completion (End Of Term)", "Partial",
		"Did It Open Government (Overall)", "No early results to report yet")
	plan, problems := mustImport(t, sheet(t, header, row), ogp.Options{})
	if irm := plan.Commitments[0].IRM; irm != nil || len(problems) != 0 {
		t.Errorf("got irm %+v, problems %v; want neither", irm, problems)
	}
}

func TestImport_DescriptionCap(t *testing.T) {
	row := commitmentRow("A1").with("Full Text", strings.Repeat("é", 5000))
	plan, _ := mustImport(t, sheet(t, header, row), ogp.Options{})
	if got, want := plan.Commitments[0].Description, strings.Repeat("é", 3999)+"…"; got != want {
		t.Errorf("description: got %d bytes, want 3999 é and …", len(got))
	}
}

func TestProblem_String(t *testing.T) {
	tests := []struct {
		p    ogp.Problem
		want string
	}{
		{ogp.Problem{Row: 17, Column: "Start Date", Value: "Agust 2014", Message: "is not a date"}, `row 17, column "Start Date": "Agust 2014" is not a date`},
		{ogp.Problem{Row: 3, Message: "has 3 cells"}, `row 3: has 3 cells`},
		{ogp.Problem{Row: 4, Column: "Commitment Title", Message: "is empty"}, `row 4, column "Commitment Title": is empty`},
		{ogp.Problem{Row: 5, Column: "C", Value: strings.Repeat("x", 100), Message: "m"}, `row 5, column "C": "` + strings.Repeat("x", 59) + `…" m`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}
