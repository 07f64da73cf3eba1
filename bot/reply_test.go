package bot_test

import (
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"forumbot/bot"
)

var replyMine = []*bot.Commitment{{ID: "C1"}, {ID: "C2"}, {ID: "PY0056"}}

// TestParseReply reads replies as members write them in each locale:
// levels with and without accents, in any case, several words long, and
// near misses that are kept as notes.
func TestParseReply(t *testing.T) {
	const nnbsp = "\u202f"
	tests := []struct {
		locale, text string
		target       string // "" for every commitment
		level        bot.Completion
		notALevel    string
		note         string
	}{
		{"es", "PY0056 sustancial: asistimos al taller", "PY0056", bot.Substantial, "", "asistimos al taller"},
		{"es", "py0056 Sustancial : asistimos", "PY0056", bot.Substantial, "", "asistimos"},
		{"es", "C1 substancial: x", "C1", bot.Substantial, "", "x"},
		{"es", "C1 limitado - x", "C1", bot.Limited, "", "x"},
		{"es", "C1: NO INICIADO", "C1", bot.NotStarted, "", ""},
		{"es", "C1 no iniciado: x", "C1", bot.NotStarted, "", "x"},
		{"es", "C1 completado. x", "C1", bot.Complete, "", "x"},
		{"es", "C1 retirado: x", "C1", bot.Withdrawn, "", "x"},
		{"es", "C1 sin evidencia disponible: x", "C1", bot.NoEvidence, "", "x"},
		{"es", "C1 sin evidencia: x", "C1", bot.NoEvidence, "", "x"},
		{"es", "sustancial: en todos", "", bot.Substantial, "", "en todos"},
		{"pt", "C1 limitado: x", "C1", bot.Limited, "", "x"},
		{"pt", "C1 substancial: x", "C1", bot.Substantial, "", "x"},
		{"pt", "C1 não iniciado: x", "C1", bot.NotStarted, "", "x"},
		{"pt", "C1 nao iniciado: x", "C1", bot.NotStarted, "", "x"},
		{"pt", "C1 concluído: x", "C1", bot.Complete, "", "x"},
		{"pt", "C1 Concluido", "C1", bot.Complete, "", ""},
		{"pt", "C1 sem evidência: x", "C1", bot.NoEvidence, "", "x"},
		{"pt", "C1 sem evidencia disponivel: x", "C1", bot.NoEvidence, "", "x"},
		{"fr", "C1 substantiel" + nnbsp + ": x", "C1", bot.Substantial, "", "x"},
		{"fr", "C1 limité : x", "C1", bot.Limited, "", "x"},
		{"fr", "C1 LIMITE: x", "C1", bot.Limited, "", "x"},
		{"fr", "C1 non commencé : x", "C1", bot.NotStarted, "", "x"},
		{"fr", "C1 pas commence", "C1", bot.NotStarted, "", ""},
		{"fr", "C1 complet : x", "C1", bot.Complete, "", "x"},
		{"fr", "C1 achevé : x", "C1", bot.Complete, "", "x"},
		{"fr", "C1 retiré : x", "C1", bot.Withdrawn, "", "x"},
		{"fr", "C1 pas de preuve : x", "C1", bot.NoEvidence, "", "x"},
		{"fr", "C1 aucune preuve disponible", "C1", bot.NoEvidence, "", ""},
		{"en", "C1 Substantial: x", "C1", bot.Substantial, "", "x"},
		{"en", "c1 not-started: x", "C1", bot.NotStarted, "", "x"},
		{"en", "C1 No evidence available — x", "C1", bot.NoEvidence, "", "x"},
		{"en", "C1 no evidence: x", "C1", bot.NoEvidence, "", "x"},
		{"en", "completed\nx", "", bot.Complete, "", "x"},
		{"es", "C1 Substantial: x", "C1", bot.Substantial, "", "x"}, // English always works
		// Not a level: kept whole as a note.
		{"es", "PY0056 sustantival: asistimos al taller", "PY0056", "", "sustantival", "sustantival: asistimos al taller"},
		{"es", "sustantival: asistimos", "", "", "sustantival", "sustantival: asistimos"},
		{"es", "C1 limitad asistimos", "C1", "", "limitad", "limitad asistimos"},
		{"es", "C1 no iniciada: x", "C1", "", "no iniciada", "no iniciada: x"},
		{"en", "C1 progress: went well", "C1", "", "progress", "progress: went well"},
		{"en", "C1 sustancial: x", "C1", "", "sustancial", "sustancial: x"}, // Spanish is not read for an English member
		{"fr", "C1 sustancial: x", "C1", "", "sustancial", "sustancial: x"},
		{"en", "C1 Limitedly so", "C1", "", "", "Limitedly so"},
		// Plain notes.
		{"en", "Also: the portal is live", "", "", "", "Also: the portal is live"},
		{"en", "C1 complex issues this month", "C1", "", "", "complex issues this month"},
		{"en", "https://example.org/report", "", "", "", "https://example.org/report"},
		{"en", "C1 see https://example.org", "C1", "", "", "see https://example.org"},
		{"es", "C1", "C1", "", "", "C1"},
		{"es", "C3 sustancial: not mine", "", "", "", "C3 sustancial: not mine"},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.text, func(t *testing.T) {
			got := bot.ParseReply(replyMine, tt.text, []string{tt.locale})
			want := replyMine
			for _, c := range replyMine {
				if c.ID == tt.target {
					want = []*bot.Commitment{c}
				}
			}
			if len(got.Targets) != len(want) || got.Targets[0] != want[0] {
				t.Errorf("targets: got %d from %s, want %d from %s", len(got.Targets), got.Targets[0].ID, len(want), want[0].ID)
			}
			if got.Level != tt.level || got.NotALevel != tt.notALevel || got.Note != tt.note {
				t.Errorf("got level %q, not a level %q, note %q; want %q, %q, %q", got.Level, got.NotALevel, got.Note, tt.level, tt.notALevel, tt.note)
			}
		})
	}
}

// TestLevelNamesReadBack reads back every level as each locale's catalog
// names it, in its case, in lower case and without accents: the words the
// bot shows are words it reads.
func TestLevelNamesReadBack(t *testing.T) {
	cat := bot.MustCatalog()
	for _, locale := range bot.Locales() {
		tx := cat.Texts(locale)
		for _, c := range bot.Completions {
			name := tx.Level(c)
			plain, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), name)
			if err != nil {
				t.Fatal(err)
			}
			for _, written := range []string{name, strings.ToLower(name), strings.ToUpper(name), plain} {
				if got := bot.ParseReply(replyMine, "C1 "+written+": x", []string{locale}); got.Level != c || got.Note != "x" {
					t.Errorf("%s: %q read as %q with note %q, want %q", locale, written, got.Level, got.Note, c)
				}
			}
		}
	}
}

// FuzzParseReply checks that any reply keeps a note or a level and never
// panics, in every locale.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{"PY0056 sustancial: asistimos", "C1 limité : x", "C1 não iniciado", "sustantival: x", "é\u0301", "C1 \xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, locales := range fuzzLocales {
			r := bot.ParseReply(replyMine, text, locales)
			if len(r.Targets) == 0 {
				t.Fatalf("ParseReply(%q, %v): no targets", text, locales)
			}
			if strings.TrimSpace(text) != "" && r.Level == "" && r.Note == "" {
				t.Fatalf("ParseReply(%q, %v): neither a level nor a note", text, locales)
			}
			if r.Level != "" && r.NotALevel != "" {
				t.Fatalf("ParseReply(%q, %v): level %q and not a level %q", text, locales, r.Level, r.NotALevel)
			}
		}
	})
}
