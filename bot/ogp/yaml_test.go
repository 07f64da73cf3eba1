package ogp_test

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"forumbot/bot/config"
	"forumbot/bot/ogp"
	"github.com/goccy/go-yaml"
)

// roundTrip marshals f, reads it back and fails unless it is f again.
func roundTrip(t *testing.T, f config.File, proposals ...ogp.Proposal) []byte {
	t.Helper()
	out, err := ogp.Marshal(f, proposals...)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var back config.File
	if err := yaml.Unmarshal(out, &back); err != nil {
		t.Fatalf("Unmarshal: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, f) {
		for i, c := range f.Forums[0].Plan.Commitments {
			if i < len(back.Forums[0].Plan.Commitments) && !reflect.DeepEqual(back.Forums[0].Plan.Commitments[i], c) {
				t.Errorf("commitment %s:\ngot  %#v\nwant %#v", c.ID, back.Forums[0].Plan.Commitments[i], c)
			}
		}
		t.Fatalf("round trip changed the file:\ngot  %+v\nwant %+v", back, f)
	}
	return out
}

func TestMarshal_SampleRoundTrip(t *testing.T) {
	files, _ := importEachPlan(t)
	committees := 0
	for _, file := range files {
		out := roundTrip(t, file)
		if !bytes.HasPrefix(out, []byte("# forumbot configuration imported from OGP commitment data")) {
			t.Errorf("got no header comment:\n%s", out[:200])
		}
		for _, want := range []string{"digest_channel", "coordinators", "committee", "timezone", "locale"} {
			if !bytes.Contains(out[:bytes.Index(out, []byte("forums:"))], []byte(want)) {
				t.Errorf("header comment does not mention %s", want)
			}
		}
		if bytes.Contains(out, []byte("names no action plan")) {
			t.Errorf("plan %s: the header says the export names no action plan", file.Forums[0].Plan.ID)
		}
		committees += bytes.Count(out, []byte("committee: []"))
	}
	if committees != 40 {
		t.Errorf("got %d empty committees, want 40", committees)
	}
	// Dates are strings, not YAML timestamps.
	file, _ := importSample(t, ogp.Options{Plan: "AP_ARBA02"})
	if out := roundTrip(t, file); !bytes.Contains(out, []byte(`start: "2018-01-01"`)) {
		t.Errorf("dates not quoted:\n%s", out)
	}
}

func TestMarshal_EveryPlanOfTheSampleValidates(t *testing.T) {
	res, _ := readSample(t, ogp.Options{})
	for _, p := range res.Plans {
		r, err := readSample(t, ogp.Options{Plan: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		out := roundTrip(t, r.File, r.Proposals...)
		if _, err := config.Parse(out, p.ID+".yaml", config.Options{}); err != nil {
			t.Errorf("%s: config.Parse: %v", p.ID, err)
		}
	}
}

func TestMarshal_NoPlanIDIsNoted(t *testing.T) {
	text := "Commitment Unique Identifier,Country/Locality,Commitment Title\nC1,Paraguay,Datos abiertos\n"
	file, _, err := ogp.Import(strings.NewReader(text), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if out := roundTrip(t, file); !bytes.Contains(out, []byte(`The export names no action plan (no "Action Plan ID"): set the plan's`)) {
		t.Errorf("no note that the plan id is a placeholder:\n%s", out)
	}
}

func TestMarshal_QuotesTrickyStrings(t *testing.T) {
	// Single-line strings that YAML would read as something else unquoted.
	tricky := []string{
		"NA", "1", "0.5", "1e3", "0x1F", "yes", "No", "on", "off", "true", "null", "~", "", "2014-08-01", "12:30",
		"Title: with a colon", `Quote "double" and 'single'`, "- dash first", "#hash first", "a #not comment",
		"& anchor", "* alias", "! tag", "% directive", "@at", "`backtick", "|", ">", "[list]", "{map}", "a, b",
		"--- document", "... end", "\\backslash", "unicode: Bogotá – “quoted” • bullet", "…", "emoji 🇦🇷",
		" leading space", "trailing space ",
	}
	var commitments []config.CommitmentConfig
	for i, s := range tricky {
		commitments = append(commitments, config.CommitmentConfig{
			ID: fmt.Sprintf("C%d", i), Title: s, Description: s, LeadAgency: s,
			SupportingOrganisations: []string{s}, PolicyAreas: []string{s}, Start: s, URL: s,
			IRM: &config.IRMConfig{CompletionEndOfTerm: s}, Committee: []config.MemberConfig{},
		})
	}
	f := config.File{Forums: []config.ForumConfig{{
		ID: "f", Name: "yes", Coordinators: []string{"local:coordinator"},
		Plan: config.PlanConfig{ID: "NA", Title: "1", Commitments: commitments},
	}}}
	roundTrip(t, f)
}

func TestMarshal_ImportedCellsRoundTrip(t *testing.T) {
	// Cells as a spreadsheet may hold them: what Import makes of them must
	// read back unchanged.
	cellsOf := []string{
		"yes", "1", "null", "2014-08-01", "Title: with a colon", `Quote "double" and 'single'`,
		"- dash first", "#hash", "line one\nline two", "\n  leading newline and spaces\n  second",
		"trailing newline\n", "trailing spaces  \nnext", "tab\tinside", "line\n \t \nafter a blank line",
		"key: value\n- item\n  # not a comment", "a\n\n\n\nb", "\u00a0nbsp\u00a0\nline", "x\r\ny\rz",
		"|\n>", "\"quoted\nacross lines\"",
	}
	var rows []cells
	for i, v := range cellsOf {
		rows = append(rows, commitmentRow(fmt.Sprintf("C%d", i)).with(
			"Commitment Title", v, "Short Title", "Short: "+v, "Full Text", v, "Lead Institution", v, "Supporting Institution(s)", v, "URL", v))
	}
	file, _, err := ogp.Import(strings.NewReader(sheet(t, header, rows...)), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, file)
}

func TestMarshal_FallsBackToJSONStyle(t *testing.T) {
	// goccy/go-yaml writes "? x" unquoted and reads it back as a mapping
	// key; Marshal notices and quotes every string instead.
	text := "Commitment Unique Identifier,Country/Locality,Commitment Title\nC1,?,? Why: a question\n"
	res, err := ogp.Read(strings.NewReader(text), ogp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := roundTrip(t, res.File, res.Proposals...)
	if !bytes.Contains(out, []byte(`"title": "? Why: a question"`)) {
		t.Errorf("got\n%s\nwant every string quoted", out)
	}
	// JSON style takes no line comments: the proposals are in the header.
	if !bytes.Contains(out, []byte(`#   timezone: UTC (could not propose one for "?"; set it)`)) || bytes.Contains(out, []byte(`"UTC" #`)) {
		t.Errorf("got\n%s\nwant the proposals in the header", out)
	}
}
