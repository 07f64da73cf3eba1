package ogp_test

import (
	"strings"
	"testing"

	"forumbot/bot/ogp"
)

func TestImport_Titles(t *testing.T) {
	long := strings.Repeat("x", 101)
	tests := []struct {
		name              string
		title, short      string
		wantTitle, wantST string
		problems          []string
	}{
		{"BothKept", "Increasing Inclusivity in Public Access to Government Information", "Access to Information",
			"Increasing Inclusivity in Public Access to Government Information", "Access to Information", nil},
		{"SpanishTitleEnglishShort", "Construyendo más y mejor información legislativa en Ecuador", "Building Catalog of Legislative Information",
			"Construyendo más y mejor información legislativa en Ecuador", "Building Catalog of Legislative Information", nil},
		{"TitleOnOneLine", "IMPLEMENTATION OF MECHANISMS\r\nFOR  IMPROVEMENT ", "Access to Services",
			"IMPLEMENTATION OF MECHANISMS FOR IMPROVEMENT", "Access to Services", nil},
		{"ShortTitleRepeatingTheTitle", "Financial transparency", "Financial Transparency", "Financial transparency", "", nil},
		{"NoShortTitle", "Open Parliament Engagement", "NA", "Open Parliament Engagement", "", nil},
		{"TitleNAFallsBackToShort", "NA", "Open Legislation", "Open Legislation", "", nil},
		{"TitleEmptyFallsBackToShort", "", "Open Legislation", "Open Legislation", "", nil},
		{"NeitherTakesTheID", "ND", "", "A1", "",
			[]string{`row 2, column "Commitment Title": is empty; the commitment id is used as its title`}},
		{"ShortTitleTooLong", "Deliver the draft laws", long, "Deliver the draft laws", "",
			[]string{`row 2, column "Short Title": "` + strings.Repeat("x", 59) + `…" is longer than 100 characters, too long for a short label; left out (the title is kept)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := sheet(t, header, commitmentRow("A1").with("Commitment Title", tt.title, "Short Title", tt.short))
			plan, problems := mustImport(t, text, ogp.Options{})
			c := plan.Commitments[0]
			if c.Title != tt.wantTitle || c.ShortTitle != tt.wantST {
				t.Errorf("got title %q, short title %q; want %q, %q", c.Title, c.ShortTitle, tt.wantTitle, tt.wantST)
			}
			wantProblems(t, problems, tt.problems...)
		})
	}
}
