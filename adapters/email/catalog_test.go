package email_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryEmailKeyIsUsed: the email.* keys of the catalogs are this
// package's own words (bot's catalog test leaves them to it); each must
// be used by its code, so that none is dead.
func TestEveryEmailKeyIsUsed(t *testing.T) {
	en, err := os.ReadFile(filepath.Join("..", "..", "bot", "locales", "en.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	keys := regexp.MustCompile(`(?m)^(email\.[a-z_.]+):`).FindAllStringSubmatch(string(en), -1)
	if len(keys) < 10 {
		t.Fatalf("found %d email.* keys in en.yaml", len(keys))
	}
	files, _ := filepath.Glob("*.go")
	var code strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code.Write(b)
	}
	for _, k := range keys {
		if !strings.Contains(code.String(), `"`+k[1]+`"`) {
			t.Errorf("%s is in the catalogs but not used by the e-mail adapter", k[1])
		}
	}
}
