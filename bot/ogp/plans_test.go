package ogp_test

import (
	"reflect"
	"strings"
	"testing"

	"forumbot/bot"
	"forumbot/bot/ogp"
)

// paraguay is an export of two action plans of one country, in the order
// an export may mix them.
func paraguay(t *testing.T) string {
	t.Helper()
	row := func(id, plan, number, start, end string) cells {
		return commitmentRow(id).with("Country/Locality", "Paraguay", "Action Plan ID", plan, "Action Plan Number", number,
			"Start Date", start, "End Date", end)
	}
	return sheet(t, header,
		row("PY0050", "AP_PRY04", "4", "9/1/2018", "6/30/2020"),
		row("PY0060", "AP_PRY05", "5", "1/1/2022", "12/31/2023"),
		row("PY0055", "AP_PRY04", "4", "1/1/2019", "8/31/2020"))
}

func TestRead_SeveralPlansAreListedNotMerged(t *testing.T) {
	wantPlans := []ogp.PlanSummary{
		{ID: "AP_PRY04", Locality: "Paraguay", Commitments: 2, Start: "2018-09-01", End: "2020-08-31"},
		{ID: "AP_PRY05", Locality: "Paraguay", Commitments: 1, Start: "2022-01-01", End: "2023-12-31"},
	}
	res, err := ogp.Read(strings.NewReader(paraguay(t)), ogp.Options{})
	want := `the rows hold 2 action plans, and a forum follows one: choose one by its "Action Plan ID" ("AP_PRY04", "AP_PRY05")`
	if bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(err.Error(), want) {
		t.Errorf("got error %v, want an %s error containing %s", err, bot.EINVALID, want)
	}
	if len(res.File.Forums) != 0 {
		t.Errorf("got %d forums, want none", len(res.File.Forums))
	}
	if !reflect.DeepEqual(res.Plans, wantPlans) {
		t.Errorf("plans:\ngot  %+v\nwant %+v", res.Plans, wantPlans)
	}

	// Choosing one imports that plan alone, and still lists both.
	res, err = ogp.Read(strings.NewReader(paraguay(t)), ogp.Options{Plan: "ap_pry04"})
	if err != nil {
		t.Fatal(err)
	}
	p := res.File.Forums[0].Plan
	if got := ids(p); !reflect.DeepEqual(got, []string{"PY0050", "PY0055"}) {
		t.Errorf("ids: got %q, want PY0050 and PY0055", got)
	}
	if p.ID != "AP_PRY04" || p.Title != "Paraguay action plan 4" || p.Start != "2018-09-01" || p.End != "2020-08-31" {
		t.Errorf("plan: got %s %q %s–%s, want AP_PRY04, its title and its own dates", p.ID, p.Title, p.Start, p.End)
	}
	if !reflect.DeepEqual(res.Plans, wantPlans) {
		t.Errorf("plans:\ngot  %+v\nwant %+v", res.Plans, wantPlans)
	}
}

func TestRead_SampleSeveralPlans(t *testing.T) {
	tests := []struct {
		name  string
		opts  ogp.Options
		plans []ogp.PlanSummary
	}{
		{"LocalityWithTwoPlans", ogp.Options{Locality: "scotland"}, []ogp.PlanSummary{
			{ID: "AP_GBSC01", Locality: "Scotland, United Kingdom", Commitments: 2},
			{ID: "AP_GBSC02", Locality: "Scotland, United Kingdom", Commitments: 1, Start: "2018-12-01", End: "2020-12-31"},
		}},
		{"LocalityMatchingTwoPlaces", ogp.Options{Locality: "Argentina"}, []ogp.PlanSummary{
			{ID: "AP_ARG03", Locality: "Argentina", Commitments: 1, Start: "2017-08-01", End: "2019-06-30"},
			{ID: "AP_ARBA02", Locality: "Buenos Aires, Argentina", Commitments: 1, Start: "2018-01-01", End: "2019-12-31"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readSample(t, tt.opts)
			if bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(err.Error(), "the rows hold 2 action plans") {
				t.Errorf("got error %v, want one saying the rows hold 2 action plans", err)
			}
			if !reflect.DeepEqual(res.Plans, tt.plans) {
				t.Errorf("plans:\ngot  %+v\nwant %+v", res.Plans, tt.plans)
			}
		})
	}

	res, _ := readSample(t, ogp.Options{})
	if len(res.Plans) != 37 {
		t.Fatalf("got %d plans, want the sample's 37", len(res.Plans))
	}
	first, kosovo := res.Plans[0], ogp.PlanSummary{ID: "AP_XKX01", Locality: "Kosovo", Commitments: 2, Start: "2024-01-01", End: "2025-12-31"}
	if first.ID != "AP_ALB01" || !containsPlan(res.Plans, kosovo) {
		t.Errorf("plans: got %+v first, want Albania first and %+v among them", first, kosovo)
	}
}

func containsPlan(plans []ogp.PlanSummary, p ogp.PlanSummary) bool {
	for _, q := range plans {
		if q == p {
			return true
		}
	}
	return false
}

func TestRead_RowsWithoutPlanID(t *testing.T) {
	// Rows naming no plan beside rows naming one: which plan they belong to
	// is unknown, so they are left out and reported.
	text := sheet(t, header, commitmentRow("A1"), commitmentRow("A2").with("Action Plan ID", "NA"), commitmentRow("A3"))
	plan, problems := mustImport(t, text, ogp.Options{})
	if got := ids(plan); !reflect.DeepEqual(got, []string{"A1", "A3"}) {
		t.Errorf("ids: got %q, want A1 and A3", got)
	}
	wantProblems(t, problems, `row 3, column "Action Plan ID": is empty where the other rows name "AP_MXJL02"; row skipped, as its plan is unknown`)

	// An export without plan ids imports as one plan for the coordinator
	// to name.
	text = "Commitment Unique Identifier,Country/Locality,Commitment Title\nC1,Paraguay,Uno\nC2,Paraguay,Dos\n"
	plan, _ = mustImport(t, text, ogp.Options{})
	if got := ids(plan); plan.ID != "OGP-IMPORT" || !reflect.DeepEqual(got, []string{"C1", "C2"}) {
		t.Errorf("got plan %s with %q, want OGP-IMPORT with C1 and C2", plan.ID, got)
	}
}

func TestPlanSummary_String(t *testing.T) {
	tests := []struct {
		p    ogp.PlanSummary
		want string
	}{
		{ogp.PlanSummary{ID: "AP_GBSC02", Locality: "Scotland, United Kingdom", Commitments: 1, Start: "2018-12-01", End: "2020-12-31"},
			"AP_GBSC02  Scotland, United Kingdom  1 commitment  2018-12-01 to 2020-12-31"},
		{ogp.PlanSummary{ID: "AP_GBSC01", Locality: "Scotland, United Kingdom", Commitments: 2}, "AP_GBSC01  Scotland, United Kingdom  2 commitments  no dates"},
		{ogp.PlanSummary{ID: "AP_CRI01", Locality: "Costa Rica", Commitments: 1, End: "2013-12-31"}, "AP_CRI01  Costa Rica  1 commitment  ? to 2013-12-31"},
		{ogp.PlanSummary{Commitments: 3}, `(no Action Plan ID)  (no locality)  3 commitments  no dates`},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}

func TestRead_EveryPlanOfTheSampleImportsAlone(t *testing.T) {
	res, _ := readSample(t, ogp.Options{})
	for _, p := range res.Plans {
		file, _ := importSample(t, ogp.Options{Plan: p.ID})
		if got := file.Forums[0].Plan.ID; got != p.ID {
			t.Errorf("got plan %s, want %s", got, p.ID)
		}
		if got := len(file.Forums[0].Plan.Commitments); got != p.Commitments {
			t.Errorf("%s: got %d commitments, want the %d listed", p.ID, got, p.Commitments)
		}
		if pl := file.Forums[0].Plan; pl.Start != p.Start || pl.End != p.End {
			t.Errorf("%s: got %s to %s, want %s to %s as listed", p.ID, pl.Start, pl.End, p.Start, p.End)
		}
	}
}
