package bot_test

import (
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

// spanishForum speaks Spanish; Bia reads Portuguese, Chloé French and Dan
// English. Ana sits on two committees.
const spanishForum = `
forums:
  - id: lat
    name: Foro
    timezone: Europe/Madrid
    locale: es
    digest_channel: local:digest
    coordinators: [local:coord]
    schedule: {prompt: "0 9 1 * *", window: 7d, reminders: [3d]}
    plan:
      id: P1
      commitments:
        - id: C1
          title: Presupuesto abierto
          committee:
            - {who: local:ana, name: Ana, group: government, org: Hacienda}
            - {who: local:bia, name: Bia, group: civil_society, org: Rede, locale: pt}
            - {who: local:chloe, name: Chloé, group: civil_society, org: Réseau, locale: fr}
            - {who: local:dan, name: Dan, group: other, org: Uni, locale: en}
        - id: C2
          title: Contrataciones abiertas
          committee:
            - {who: local:ana, name: Ana, group: government, org: Hacienda}
`

func TestCommandsInTheMemberLanguage(t *testing.T) {
	h := newHarness(t, spanishForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	tests := []struct {
		who, text string
		told      string // part of the reply, or of the error when refused
		refused   bool
	}{
		{"local:ana", "ausente hasta el 15 de diciembre", "estará ausente hasta el 15 dic 2026", false},
		{"local:chloe", "absent jusqu’au 1er décembre", "jusqu'au 1 déc. 2026", false},
		{"local:bia", "ausente até 15 de dezembro", "ausência registrada até 15 de dez. de 2026", false},
		{"local:bia", "ausente 15/12/2019", "15 de dez. de 2019 já passou", true},
		{"local:dan", "away 5/12", `"5/12" could be 5 Dec 2026 or 12 May 2027`, true},
		{"local:dan", "ausente 5 dic", "you are away until 5 Dec 2026", false},
		{"local:ana", "ausente", "¿Hasta cuándo? Indique el último día en que estará ausente, por ejemplo /forum away 15 nov 2026.", true},
		{"local:ana", "volví", "Le damos de nuevo la bienvenida", false},
		{"local:ana", "estado C2", "C2 · Contrataciones abiertas", false},
		{"local:coord", "ronda cerrar", "La ronda de noviembre de 2026 está cerrada", false},
	}
	for _, tt := range tests {
		resp := command(t, h, tt.who, tt.text)
		got := resp.Error
		if !tt.refused && resp.Reply != nil {
			got = bot.RenderText(*resp.Reply)
		}
		if got = strings.ReplaceAll(got, "\u202f", " "); !strings.Contains(got, tt.told) || (resp.Error != "") != tt.refused {
			t.Errorf("%s /forum %s: got reply %v, error %q; want it to say %q (refused: %v)", tt.who, tt.text, resp.Reply, resp.Error, tt.told, tt.refused)
		}
	}
}

func TestHelpShowsTheMemberWordsAndAFutureExample(t *testing.T) {
	h := newHarness(t, spanishForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	text := bot.RenderText(*command(t, h, "local:ana", "ayuda").Reply)
	for _, want := range []string{
		"/forum away <fecha>: estará ausente hasta ese día, por ejemplo /forum away 15 nov 2026;",
		"También puede escribir los comandos en español: estado, resumen, actualizar, ronda, ausente, volví, preguntas, mover, ayuda.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q:\n%s", want, text)
		}
	}
	if text := bot.RenderText(*command(t, h, "local:dan", "help").Reply); strings.Contains(text, "in your language") {
		t.Errorf("English help lists words in another language:\n%s", text)
	}
}

// reply sends text as who's reply to their prompt and returns what they
// are told; the reply must be stored and acknowledged.
func reply(t *testing.T, h *harness, who, text string) string {
	t.Helper()
	resp, err := h.person(who).Reply(h.ctx, h.latest(who).Ref, text)
	if err != nil || resp.Error != "" || !resp.React || resp.Reply == nil {
		t.Fatalf("%s replying %q: %v %+v", who, text, err, resp)
	}
	return strings.ReplaceAll(resp.Reply.Text, "\u202f", " ")
}

// latestUpdate returns who's latest stored update on a commitment.
func latestUpdate(t *testing.T, h *harness, who, commitment string) bot.Update {
	t.Helper()
	us, err := h.store.Updates(h.ctx, bot.UpdateFilter{ForumID: "lat", Member: bot.Address(who), CommitmentID: commitment})
	if err != nil || len(us) == 0 {
		t.Fatalf("%s on %s: no update stored (%v)", who, commitment, err)
	}
	return us[len(us)-1]
}

func TestThreadReplyLevelInTheMemberLanguage(t *testing.T) {
	tests := []struct {
		who, text string
		level     bot.Completion
		told      string
	}{
		{"local:ana", "C1 sustancial: asistimos al taller", bot.Substantial, "Registrado C1: Sustancial."},
		{"local:bia", "C1 limitado: fomos à oficina", bot.Limited, "Registrado C1: Limitado."},
		{"local:bia", "C1 substancial: fomos à oficina", bot.Substantial, "Registrado C1: Substancial."},
		{"local:chloe", "C1 substantiel : nous avons participé", bot.Substantial, "Enregistré C1 : Substantiel."},
		{"local:chloe", "C1 limité : nous avons participé", bot.Limited, "Enregistré C1 : Limité."},
		{"local:dan", "C1 sustancial: the forum's Spanish is read too", bot.Substantial, "Recorded C1: Substantial."},
	}
	for _, tt := range tests {
		t.Run(tt.who+"/"+tt.text, func(t *testing.T) {
			h := newHarness(t, spanishForum, time.Time{})
			h.at(2026, time.November, 1, 9, 0)
			if got := reply(t, h, tt.who, tt.text); got != tt.told {
				t.Errorf("told %q, want %q", got, tt.told)
			}
			_, note, _ := strings.Cut(tt.text, ": ")
			if u := latestUpdate(t, h, tt.who, "C1"); u.Completion != tt.level || u.Note != note || u.Source != bot.SourceThread {
				t.Errorf("stored %q with note %q from %s, want %q with note %q from a thread reply", u.Completion, u.Note, u.Source, tt.level, note)
			}
		})
	}
}

func TestUnreadableLevelIsKeptAsANote(t *testing.T) {
	h := newHarness(t, spanishForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	told := reply(t, h, "local:bia", "C1 sustantival: fomos à oficina")
	want := "“sustantival” não é um nível de cumprimento, então nenhum nível foi registrado; seu texto foi guardado como observação em C1. " +
		"Níveis: Não iniciado, Limitado, Substancial, Completo, Retirado, Sem evidência disponível. Por exemplo: “C1 substancial: …”."
	if told != want {
		t.Errorf("told\n%q\nwant\n%q", told, want)
	}
	if u := latestUpdate(t, h, "local:bia", "C1"); u.Completion != bot.NoCompletion || u.Note != "sustantival: fomos à oficina" {
		t.Errorf("stored %q with note %q, want no level and the whole text as a note", u.Completion, u.Note)
	}
	// The example the reply gives records a level.
	_, example, _ := strings.Cut(told, "Por exemplo: “")
	example, _, _ = strings.Cut(example, "”")
	if told := reply(t, h, "local:bia", example); told != "Registrado C1: Substancial." {
		t.Errorf("the example %q: told %q", example, told)
	}
	if u := latestUpdate(t, h, "local:bia", "C1"); u.Completion != bot.Substantial {
		t.Errorf("the example %q stored %q, want Substantial", example, u.Completion)
	}
}

func TestPlainNoteSaysWhetherALevelIsRecorded(t *testing.T) {
	h := newHarness(t, spanishForum, time.Time{})
	h.at(2026, time.November, 1, 9, 0)
	steps := []struct {
		text, told string
	}{
		{"asistimos al taller", "Nota guardada en C1, C2. Todavía no hay un nivel de cumplimiento registrado para C1, C2: use el botón o escriba “C1 sustancial: …”."},
		{"C1 sustancial: avanzamos", "Registrado C1: Sustancial."},
		{"otra nota", "Nota guardada en C1, C2. Todavía no hay un nivel de cumplimiento registrado para C2: use el botón o escriba “C2 sustancial: …”."},
		{"Además: el portal ya funciona", "Nota guardada en C1, C2. Todavía no hay un nivel de cumplimiento registrado para C2: use el botón o escriba “C2 sustancial: …”."},
		{"C2 Limitado", "Registrado C2: Limitado."},
		{"una más", "Nota guardada en C1, C2."},
	}
	for _, s := range steps {
		if got := reply(t, h, "local:ana", s.text); got != s.told {
			t.Errorf("%q: told\n%q\nwant\n%q", s.text, got, s.told)
		}
	}
	if u := latestUpdate(t, h, "local:ana", "C1"); u.Completion != bot.Substantial || u.Note != "asistimos al taller\navanzamos\notra nota\nAdemás: el portal ya funciona\nuna más" {
		t.Errorf("C1 stored %q with note %q", u.Completion, u.Note)
	}
	if u := latestUpdate(t, h, "local:ana", "C2"); u.Completion != bot.Limited {
		t.Errorf("C2 stored %q, want Limited", u.Completion)
	}
	h.at(2026, time.November, 8, 9, 0) // the round closes
	if got, want := reply(t, h, "local:ana", "C1 tarde"), "Nota guardada en C1. La ronda de noviembre de 2026 está cerrada; su nota se registró como corrección."; got != want {
		t.Errorf("after close: told %q, want %q", got, want)
	}
	if u := latestUpdate(t, h, "local:ana", "C1"); !u.Correction {
		t.Errorf("after close: stored %+v, want a correction", u)
	}
}

// TestPromptFooterExampleIsAheadAndReadable renders each member's prompt in
// their locale and reads its /forum away example back.
func TestPromptFooterExampleIsAheadAndReadable(t *testing.T) {
	h := newHarness(t, spanishForum, time.Time{})
	cat := bot.MustCatalog()
	for _, month := range []time.Month{time.November, time.March} {
		year := map[time.Month]int{time.November: 2026, time.March: 2027}[month]
		h.at(year, month, 1, 9, 0)
		today := date(year, month, 1)
		want := date(year, month, 22) // two weeks after the round closes, on the 8th
		for who, locale := range map[string]string{"local:ana": "es", "local:bia": "pt", "local:chloe": "fr", "local:dan": "en"} {
			footer := h.latest(who).Message.Footer
			_, example, _ := strings.Cut(footer, "/forum away ")
			example, _, _ = strings.Cut(example, " (")
			if wantText := cat.Texts(locale).Date(want); example != wantText {
				t.Errorf("%s %s: footer %q shows %q, want %q", who, month, footer, example, wantText)
			}
			got, err := bot.ParseCommand("away "+example, today, []string{locale})
			if err != nil || got.Until != want {
				t.Errorf("%s %s: away %q read as %+v, %v; want %s", who, month, example, got, err, want)
			}
		}
	}
}
