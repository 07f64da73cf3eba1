package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPrintableIsWhenSanitizeKeepsEveryRune checks Sanitize's shortcut:
// printable must hold exactly when the full pass (invalid bytes replaced,
// dropped runes removed) would leave the text as it is, for every rune and
// for invalid and truncated encodings, alone and between other text.
func TestPrintableIsWhenSanitizeKeepsEveryRune(t *testing.T) {
	full := func(s string) string {
		return strings.Map(func(r rune) rune {
			if dropped(r) {
				return -1
			}
			return r
		}, strings.ToValidUTF8(s, "\uFFFD"))
	}
	check := func(s string) {
		t.Helper()
		if got, want := printable(s), full(s) == s; got != want {
			t.Fatalf("printable(%q) = %v, but the full pass changes it: %v", s, got, !want)
		}
	}
	dropping := 0
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		check(s)
		check("Nota: " + s + " señal")
		if !printable(s) {
			dropping++
		}
	}
	// The C0 and C1 controls but newline and tab, DEL and the bidi
	// controls, at least.
	if dropping < 32+32+1+12-2 {
		t.Fatalf("only %d runes are dropped", dropping)
	}
	for b := 0x80; b <= 0xff; b++ {
		check(string([]byte{byte(b)}))
		check("ok " + string([]byte{byte(b)}) + " ok")
	}
	for _, r := range []rune{'é', '€', '😀'} {
		enc := string(r)
		for n := 1; n < len(enc); n++ {
			check(enc[:n])
			check("a" + enc[:n] + "b")
		}
	}
	for _, s := range []string{"", "plain ASCII text\nwith a tab\tand newline", "línea\r\nnueva", "x\u202ey", "x\u200by"} {
		check(s)
	}
}
