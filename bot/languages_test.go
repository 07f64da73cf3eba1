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
		"También puede escribir los comandos en español: estado, resumen, actualizar, ronda, ausente, volví, ayuda.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("help lacks %q:\n%s", want, text)
		}
	}
	if text := bot.RenderText(*command(t, h, "local:dan", "help").Reply); strings.Contains(text, "in your language") {
		t.Errorf("English help lists words in another language:\n%s", text)
	}
}
