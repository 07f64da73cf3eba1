package ogp

import (
	"reflect"
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Jalisco, Mexico", "jalisco-mexico"},
		{"South Cotabato, Philippines", "south-cotabato-philippines"},
		{"Bogotá, Colombia", "bogota-colombia"},
		{"São Paulo", "sao-paulo"},
		{"  --Kaduna State-- ", "kaduna-state"},
		{"Nuevo León (Monterrey)", "nuevo-leon-monterrey"},
		{"Кыргызстан", ""},
		{"", ""},
		{strings.Repeat("ab ", 40), strings.TrimSuffix(strings.Repeat("ab-", 22), "-")[:64]},
	}
	for _, tt := range tests {
		if got := slug(tt.in); got != tt.want {
			t.Errorf("slug(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSanitiseID(t *testing.T) {
	tests := []struct{ in, want string }{
		{"BUE0009", "BUE0009"},
		{" SCO0006 ", "SCO0006"},
		{"ID-0041_a.b", "ID-0041_a.b"},
		{"COT 0001", "COT-0001"},
		{"COT  0001 / a", "COT-0001-a"},
		{"#12", "12"},
		{"_x", "x"},
		{"Çé1", "Ce1"},
		{"!!!", ""},
		{"", ""},
		{"语言", ""},
		{strings.Repeat("A", 70), strings.Repeat("A", 64)},
	}
	for _, tt := range tests {
		got := sanitiseID(tt.in)
		if got != tt.want {
			t.Errorf("sanitiseID(%q): got %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && !validID.MatchString(got) {
			t.Errorf("sanitiseID(%q) = %q is not a valid id", tt.in, got)
		}
	}
}

func TestSplitOrganisations(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"Placeholder", "NA", nil},
		{"SeeActionPlan", "See Action Plan", nil},
		{"One", "  Ministry of Justice  \n", []string{"Ministry of Justice"}},
		{"Lines", "House of Representatives \n Brazilian Senate\n\n Municipal Chamber", []string{"House of Representatives", "Brazilian Senate", "Municipal Chamber"}},
		{"Semicolons", "A; B;; C", []string{"A", "B", "C"}},
		{"InlineBullets", "• Unidad A • Unidad B •Unidad C", []string{"Unidad A", "Unidad B", "Unidad C"}},
		{"PrivateUseBullets", "\uF0B7 Scottish Open\n\uF0B7 Young Scot", []string{"Scottish Open", "Young Scot"}},
		{"BulletsRunOnOverWrappedLines", "• Government\n- Presidency of the Go-\n vernment of the City\n- Office of the City of Buenos\n Aires\n\nAfter a blank line",
			[]string{"Government", "Presidency of the Government of the City", "Office of the City of Buenos Aires", "After a blank line"}},
		{"HyphenatedNamesKept", "e-Government Agency\nCo-operation Assembly - Tallinn", []string{"e-Government Agency", "Co-operation Assembly - Tallinn"}},
		{"PageNumbersAndRepeatsDropped", "Scottish Parliament\n41\nscottish parliament\n- \nN/A", []string{"Scottish Parliament"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := splitOrganisations(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb\rc", "a\nb\nc"},
		{"tab\tspace", "tab space"},
		{"bell\a, nul\x00, nel\u0085 gone", "bell, nul, nel gone"},
		{"\uFEFFbom", "bom"},
		{"line\u2028sep", "line\nsep"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"\uF0B7 bullet", "• bullet"},
	}
	for _, tt := range tests {
		if got := cleanText(tt.in); got != tt.want {
			t.Errorf("cleanText(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsPlaceholder(t *testing.T) {
	for _, s := range []string{"", " ", "NA", "na", "N/A", "ND", "NR", " nr ", "-", "—", "See action plan"} {
		if !isPlaceholder(s) {
			t.Errorf("isPlaceholder(%q): got false, want true", s)
		}
	}
	for _, s := range []string{"0", "1", "None of the above", "NAB", "Namibia"} {
		if isPlaceholder(s) {
			t.Errorf("isPlaceholder(%q): got true, want false", s)
		}
	}
}
