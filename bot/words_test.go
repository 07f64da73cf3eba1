package bot_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

func date(y int, m time.Month, d int) bot.Date { return bot.Date{Year: y, Month: m, Day: d} }

// TestParseCommandInEveryLocale reads commands, their words and dates as
// members write them in each locale, with and without accents.
func TestParseCommandInEveryLocale(t *testing.T) {
	today := date(2026, time.November, 26)
	nov := bot.Period{Year: 2026, Month: time.November}
	away := func(d bot.Date) bot.Command { return bot.Command{Name: bot.CmdAway, Until: d} }
	round := func(action string) bot.Command { return bot.Command{Name: bot.CmdRound, Action: action} }
	dec15 := away(date(2026, time.December, 15))
	tests := []struct {
		locale string
		text   string
		want   bot.Command
		err    string // catalog key of the expected error
	}{
		// Spanish.
		{"es", "estado C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"es", "ESTADO C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"es", "resumen todos 2026-11", bot.Command{Name: bot.CmdDigest, All: true, Period: nov}, ""},
		{"es", "resumen todas cotabato", bot.Command{Name: bot.CmdDigest, All: true, Forum: "cotabato"}, ""},
		{"es", "actualizar C1", bot.Command{Name: bot.CmdUpdate, Target: "C1"}, ""},
		{"es", "ronda abrir", round("open"), ""},
		{"es", "ronda cerrar 2026-11", bot.Command{Name: bot.CmdRound, Action: "close", Period: nov}, ""},
		{"es", "ronda recordar", round("remind"), ""},
		{"es", "ronda anular 2026-11", bot.Command{Name: bot.CmdRound, Action: "void", Period: nov}, ""},
		{"es", "ronda fallidos", round("failed"), ""},
		{"es", "ronda reintentar", round("retry"), ""},
		{"es", "ronda empezar", bot.Command{}, "cmd.err.round_action"},
		{"es", "ausente hasta el 15 de diciembre", dec15, ""},
		{"es", "ausente 15 de diciembre", dec15, ""},
		{"es", "away 15 de diciembre", dec15, ""},
		{"es", "ausente 15 dic", dec15, ""},
		{"es", "ausente 15 dic 2026", dec15, ""},
		{"es", "ausente 15/12/2026", dec15, ""},
		{"es", "ausente 15-12-26", dec15, ""},
		{"es", "ausente 5/12", away(date(2026, time.December, 5)), ""},
		{"es", "ausente 1º de enero", away(date(2027, time.January, 1)), ""},
		{"es", "ausente 15 de setiembre", away(date(2027, time.September, 15)), ""},
		{"es", "ausente 15/12/2019", bot.Command{}, "cmd.err.past_date"},
		{"es", "ausente 12/15/2026", bot.Command{}, "cmd.err.bad_date"},
		{"es", "ausente 31/02", bot.Command{}, "cmd.err.no_such_day"},
		{"es", "ausente mañana", bot.Command{}, "cmd.err.bad_date"},
		{"es", "ausente", bot.Command{}, "cmd.err.missing_date"},
		{"es", "ausente volví", bot.Command{Name: bot.CmdBack}, ""},
		{"es", "volví", bot.Command{Name: bot.CmdBack}, ""},
		{"es", "volvi", bot.Command{Name: bot.CmdBack}, ""},
		{"es", "de vuelta", bot.Command{Name: bot.CmdBack}, ""},
		{"es", "ayuda", bot.Command{Name: bot.CmdHelp}, ""},
		{"es", "ayuda ausente", bot.Command{Name: bot.CmdHelp, Topic: "away"}, ""},
		{"es", "status C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""}, // English always works
		{"es", "away until 15 Dec", dec15, ""},
		// French.
		{"fr", "statut C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"fr", "état C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"fr", "synthèse tous", bot.Command{Name: bot.CmdDigest, All: true}, ""},
		{"fr", "SYNTHESE toutes 2026-11", bot.Command{Name: bot.CmdDigest, All: true, Period: nov}, ""},
		{"fr", "mettre à jour C1", bot.Command{Name: bot.CmdUpdate, Target: "C1"}, ""},
		{"fr", "mettre a jour", bot.Command{Name: bot.CmdUpdate}, ""},
		{"fr", "maj C1", bot.Command{Name: bot.CmdUpdate, Target: "C1"}, ""},
		{"fr", "actualiser", bot.Command{Name: bot.CmdUpdate}, ""},
		{"fr", "tour ouvrir", round("open"), ""},
		{"fr", "collecte clore", round("close"), ""},
		{"fr", "tour fermer", round("close"), ""},
		{"fr", "tour relancer", round("remind"), ""},
		{"fr", "collecte annuler 2026-11", bot.Command{Name: bot.CmdRound, Action: "void", Period: nov}, ""},
		{"fr", "tour echecs", round("failed"), ""},
		{"fr", "tour réessayer", round("retry"), ""},
		{"fr", "absent jusqu'au 15 décembre", dec15, ""},
		{"fr", "absent jusqu’au 15 décembre", dec15, ""},
		{"fr", "absente jusqu'au 15 decembre", dec15, ""},
		{"fr", "away 15 décembre", dec15, ""},
		{"fr", "absent 1er décembre", away(date(2026, time.December, 1)), ""},
		{"fr", "absent 15 déc. 2026", dec15, ""},
		{"fr", "absent le 3 févr.", away(date(2027, time.February, 3)), ""},
		{"fr", "absent 14/07", away(date(2027, time.July, 14)), ""},
		{"fr", "absent 15 jui", bot.Command{}, "cmd.err.bad_date"}, // juin or juillet
		{"fr", "absent 15/12/2019", bot.Command{}, "cmd.err.past_date"},
		{"fr", "de retour", bot.Command{Name: bot.CmdBack}, ""},
		{"fr", "aide synthèse", bot.Command{Name: bot.CmdHelp, Topic: "digest"}, ""},
		// Portuguese.
		{"pt", "estado C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"pt", "situação C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"pt", "situacao C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"pt", "resumo todas", bot.Command{Name: bot.CmdDigest, All: true}, ""},
		{"pt", "atualizar C1", bot.Command{Name: bot.CmdUpdate, Target: "C1"}, ""},
		{"pt", "rodada abrir", round("open"), ""},
		{"pt", "rodada encerrar", round("close"), ""},
		{"pt", "rodada lembrar", round("remind"), ""},
		{"pt", "rodada anular 2026-11", bot.Command{Name: bot.CmdRound, Action: "void", Period: nov}, ""},
		{"pt", "rodada falhas", round("failed"), ""},
		{"pt", "rodada reenviar", round("retry"), ""},
		{"pt", "ausente até 15 de dezembro", dec15, ""},
		{"pt", "ausente ate o dia 15 de dezembro", dec15, ""},
		{"pt", "ausente 15 de dez. de 2026", dec15, ""},
		{"pt", "away 15 de dezembro", dec15, ""},
		{"pt", "ausente 15/12/2019", bot.Command{}, "cmd.err.past_date"},
		{"pt", "ausente 30 de fevereiro", bot.Command{}, "cmd.err.no_such_day"},
		{"pt", "voltei", bot.Command{Name: bot.CmdBack}, ""},
		{"pt", "de volta", bot.Command{Name: bot.CmdBack}, ""},
		{"pt", "ajuda", bot.Command{Name: bot.CmdHelp}, ""},
		// English: a date in figures is read only when it can be one date.
		{"en", "away December 15", dec15, ""},
		{"en", "away December 15, 2026", dec15, ""},
		{"en", "away the 15th of December", dec15, ""},
		{"en", "away 15 Dec", dec15, ""},
		{"en", "away 15/12/2026", dec15, ""},
		{"en", "away 12/15/2026", dec15, ""},
		{"en", "away 12/12", away(date(2026, time.December, 12)), ""},
		{"en", "away 5/12/2026", bot.Command{}, "cmd.err.ambiguous_date"},
		{"en", "away 13/13/2026", bot.Command{}, "cmd.err.bad_date"},
		{"en", "away 15/12/2019", bot.Command{}, "cmd.err.past_date"},
		{"en", "away 2026-12-15", dec15, ""},
		{"en", "away 29 Feb", bot.Command{}, "cmd.err.no_such_day"},
		{"en", "away December 2026", bot.Command{}, "cmd.err.bad_date"},
		{"en", "away 15 Dec 26", bot.Command{}, "cmd.err.bad_date"},
		// Words are read in the member's and the forum's locales only.
		{"en", "estado C3", bot.Command{}, "cmd.err.unknown"},
		{"fr", "resumen", bot.Command{}, "cmd.err.unknown"},
		{"pt", "ronda abrir", bot.Command{}, "cmd.err.unknown"},
		{"es", "tour ouvrir", bot.Command{}, "cmd.err.unknown"},
		{"es,fr", "tour ouvrir", round("open"), ""},
		// The first locale decides how figures read.
		{"en,es", "away 5/12", bot.Command{}, "cmd.err.ambiguous_date"},
		{"es,en", "away 5/12", away(date(2026, time.December, 5)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.locale+"/"+tt.text, func(t *testing.T) {
			locales := strings.Split(tt.locale, ",")
			got, err := bot.ParseCommand(tt.text, today, locales)
			var ce *bot.CommandError
			switch {
			case tt.err != "" && !errors.As(err, &ce):
				t.Fatalf("ParseCommand(%q, %v): got %+v, %v; want error %s", tt.text, locales, got, err, tt.err)
			case tt.err != "" && ce.Key != tt.err:
				t.Fatalf("ParseCommand(%q, %v): got error %s, want %s", tt.text, locales, ce.Key, tt.err)
			case tt.err == "" && err != nil:
				t.Fatalf("ParseCommand(%q, %v): %v", tt.text, locales, err)
			case tt.err == "" && got != tt.want:
				t.Errorf("ParseCommand(%q, %v):\n got %+v\nwant %+v", tt.text, locales, got, tt.want)
			}
		})
	}
}

// TestDateErrorsSayWhatWasWrong renders the date errors as a member sees
// them: the ambiguous date's two readings, a past date, in words.
func TestDateErrorsSayWhatWasWrong(t *testing.T) {
	today := date(2026, time.November, 26)
	cat := bot.MustCatalog()
	tests := []struct {
		locale, text string
		want         []string
	}{
		{"en", "away 5/12/2026", []string{`"5/12/2026" could be 5 Dec 2026 or 12 May 2026`, "away 10 Dec 2026", "away 2026-12-10"}},
		{"es", "ausente 15/12/2019", []string{"15 dic 2019 ya pasó"}},
		{"fr", "absent 31/02", []string{"« 31/02 » n'est pas un jour du calendrier", "away 10 déc. 2026"}},
		{"pt", "ausente amanhã", []string{"“amanhã” não é uma data", "away 10 de dez. de 2026", "away 2026-12-10"}},
		{"es", "ausente hasta", []string{"¿Hasta cuándo?", "away 10 dic 2026"}},
	}
	for _, tt := range tests {
		_, err := bot.ParseCommand(tt.text, today, []string{tt.locale})
		var ce *bot.CommandError
		if !errors.As(err, &ce) {
			t.Errorf("ParseCommand(%q): got %v, want a command error", tt.text, err)
			continue
		}
		got := strings.ReplaceAll(cat.Texts(tt.locale).CommandError(ce, today), "\u202f", " ")
		for _, want := range tt.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s %q: got %q, want it to say %q", tt.locale, tt.text, got, want)
			}
		}
	}
}

// TestAwayExampleReadsBack renders the date the bot's examples show in
// each locale, and every day of every month in words, and reads them back.
func TestAwayExampleReadsBack(t *testing.T) {
	cat := bot.MustCatalog()
	start := date(2026, time.January, 1)
	for _, locale := range bot.Locales() {
		tx := cat.Texts(locale)
		for i := range 366 {
			today := bot.DateOf(start.Time(time.UTC).AddDate(0, 0, i))
			want := bot.AwayExample(today)
			if !today.Before(want) {
				t.Fatalf("AwayExample(%s) = %s, not in the future", today, want)
			}
			for _, text := range []string{
				tx.Date(want),
				fmt.Sprintf("%d %s", want.Day, tx.T(fmt.Sprintf("month.long.%d", want.Month))),
			} {
				got, err := bot.ParseCommand("away "+text, today, []string{locale})
				if err != nil || got.Until != want {
					t.Fatalf("%s, today %s: away %q read as %+v, %v; want %s", locale, today, text, got, err, want)
				}
			}
		}
	}
}

func TestCommandWords(t *testing.T) {
	for _, tt := range []struct{ locale, want string }{
		{"en", ""},
		{"es", "estado resumen actualizar ronda ausente volví preguntas mover ayuda"},
		{"fr", "statut synthèse mettre à jour tour absent de retour questions déplacer aide"},
		{"pt", "estado resumo atualizar rodada ausente voltei perguntas mover ajuda"},
	} {
		words := bot.CommandWords(tt.locale)
		if got := strings.Join(words, " "); got != tt.want {
			t.Errorf("CommandWords(%s): got %q, want %q", tt.locale, got, tt.want)
		}
		// Every word help shows is read back as its command.
		for i, w := range words {
			c, err := bot.ParseCommand("help "+w, date(2026, time.November, 26), []string{tt.locale})
			if err != nil || c.Topic != string(bot.CommandNames[i]) {
				t.Errorf("%s: help %q read as %+v, %v; want topic %s", tt.locale, w, c, err, bot.CommandNames[i])
			}
		}
	}
}
