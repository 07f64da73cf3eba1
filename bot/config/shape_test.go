package config_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"forumbot/bot/config"
)

// TestDeepNestingRefusedBeforeParsing: a small file nested 100,000 levels
// deep (it made validate and serve run out of memory) is refused with a
// clear error before the YAML parser sees it, whatever the nesting is
// made of.
func TestDeepNestingRefusedBeforeParsing(t *testing.T) {
	const n = 100000
	for _, tt := range []struct{ name, yaml string }{
		{"FlowSequences", "forums: " + strings.Repeat("[", n) + strings.Repeat("]", n)},
		{"FlowMappings", "forums: " + strings.Repeat("{a: ", n) + "x" + strings.Repeat("}", n)},
		{"CompactEntries", "forums:\n" + strings.Repeat("- ", n) + "x\n"},
		{"Mixed", "forums:\n  - plan:\n      commitments: " + strings.Repeat("[{a: ", n/2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := config.Parse([]byte(tt.yaml), "deep.yaml", config.Options{})
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "deep.yaml:") || !strings.Contains(err.Error(), "nested more than 64 levels deep, which no configuration needs") {
				t.Errorf("got %v, want an error naming the file, the line and the limit", err)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 32<<20 {
				t.Errorf("refusing %d bytes took %d MiB: the file was parsed", len(tt.yaml), grew>>20)
			}
		})
	}
}

// TestNestingLimit: 64 levels pass the check (and fail only as a config),
// 65 do not; text that merely looks nested is not counted.
func TestNestingLimit(t *testing.T) {
	nested := func(levels int) string { // forums: is the first level
		return "forums: " + strings.Repeat("[", levels-1) + strings.Repeat("]", levels-1) + "\n"
	}
	var steps strings.Builder
	steps.WriteString("forums:\n  - name: |\n")
	for i := range 200 {
		steps.WriteString(strings.Repeat(" ", 6+i) + "step\n")
	}
	for _, tt := range []struct {
		name, yaml string
		refused    bool
	}{
		{"SixtyFour", nested(64), false},
		{"SixtyFive", nested(65), true},
		{"BlockScalar", steps.String(), false},
		{"Quoted", `forums: [{name: "` + strings.Repeat("[{", 100) + `", id: '` + strings.Repeat("[", 100) + `'}]`, false},
		{"PlainText", "forums:\n  - name: a " + strings.Repeat("[", 100) + "\n", false},
		{"Comment", "# " + strings.Repeat("[", 100) + "\nforums: []\n", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse([]byte(tt.yaml), "n.yaml", config.Options{})
			refused := err != nil && strings.Contains(err.Error(), "levels deep")
			if refused != tt.refused {
				t.Errorf("refused for nesting: %v, want %v (%v)", refused, tt.refused, err)
			}
		})
	}
}

// TestLargeFileRefused: a file over MaxFileSize is refused by size, and
// Load reads no more of it than that.
func TestLargeFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, []byte("forums: []\n#"+strings.Repeat("x", config.MaxFileSize)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(path, config.Options{})
	if err == nil || !strings.Contains(err.Error(), "more than a configuration may have (8 MiB)") {
		t.Errorf("got %v, want the size named with the limit", err)
	}
}
