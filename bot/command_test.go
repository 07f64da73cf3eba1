package bot_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"forumbot/bot"
)

func TestParseCommand(t *testing.T) {
	today := bot.Date{Year: 2026, Month: time.November, Day: 26}
	nov := bot.Period{Year: 2026, Month: time.November}
	tests := []struct {
		name string
		text string
		want bot.Command
		err  string // catalog key of the expected error
	}{
		{"Empty", "", bot.Command{Name: bot.CmdHelp}, ""},
		{"Help", "help", bot.Command{Name: bot.CmdHelp}, ""},
		{"HelpTopic", "help Digest", bot.Command{Name: bot.CmdHelp, Topic: "digest"}, ""},
		{"Status", "status C3", bot.Command{Name: bot.CmdStatus, Target: "C3"}, ""},
		{"StatusUpperCaseVerb", "STATUS COT0001", bot.Command{Name: bot.CmdStatus, Target: "COT0001"}, ""},
		{"StatusForum", "status C3 cotabato", bot.Command{Name: bot.CmdStatus, Target: "C3", Forum: "cotabato"}, ""},
		{"StatusMissing", "status", bot.Command{}, "cmd.err.missing_commitment"},
		{"StatusInjection", "status <!channel>", bot.Command{}, "cmd.err.bad_id"},
		{"Digest", "digest", bot.Command{Name: bot.CmdDigest}, ""},
		{"DigestAll", "digest all", bot.Command{Name: bot.CmdDigest, All: true}, ""},
		{"DigestAllPeriod", "digest all 2026-11", bot.Command{Name: bot.CmdDigest, All: true, Period: nov}, ""},
		{"DigestCommitmentPeriod", "digest C3 2026-11", bot.Command{Name: bot.CmdDigest, Target: "C3", Period: nov}, ""},
		{"DigestPeriodFirst", "digest 2026-11 C3", bot.Command{Name: bot.CmdDigest, Target: "C3", Period: nov}, ""},
		{"DigestAllForum", "digest all cotabato", bot.Command{Name: bot.CmdDigest, All: true, Forum: "cotabato"}, ""},
		{"DigestBadMonth", "digest 2026-13", bot.Command{}, "cmd.err.bad_period"},
		{"DigestTwoPeriods", "digest 2026-10 2026-11", bot.Command{}, "cmd.err.bad_period"},
		{"DigestTooMany", "digest a b c", bot.Command{}, "cmd.err.too_many"},
		{"Update", "update", bot.Command{Name: bot.CmdUpdate}, ""},
		{"UpdateOne", "update C1", bot.Command{Name: bot.CmdUpdate, Target: "C1"}, ""},
		{"RoundOpen", "round open", bot.Command{Name: bot.CmdRound, Action: "open"}, ""},
		{"RoundReopenPeriod", "round open 2026-11", bot.Command{Name: bot.CmdRound, Action: "open", Period: nov}, ""},
		{"RoundRemindForum", "round remind cotabato", bot.Command{Name: bot.CmdRound, Action: "remind", Forum: "cotabato"}, ""},
		{"RoundYearZero", "round open 0000-01", bot.Command{}, "cmd.err.bad_period"},
		{"RoundFarFuture", "round open 9999-12", bot.Command{Name: bot.CmdRound, Action: "open", Period: bot.Period{Year: 9999, Month: time.December}}, ""},
		{"RoundVoid", "round void 2026-11", bot.Command{Name: bot.CmdRound, Action: "void", Period: nov}, ""},
		{"RoundFailed", "round failed", bot.Command{Name: bot.CmdRound, Action: "failed"}, ""},
		{"RoundRetryForum", "round retry cotabato", bot.Command{Name: bot.CmdRound, Action: "retry", Forum: "cotabato"}, ""},
		{"RoundFailedPeriod", "round failed 2026-11", bot.Command{}, "cmd.err.too_many"},
		{"RoundNoAction", "round", bot.Command{}, "cmd.err.round_action"},
		{"RoundBadAction", "round start", bot.Command{}, "cmd.err.round_action"},
		{"AwayISO", "away 2026-12-15", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2026, Month: 12, Day: 15}}, ""},
		{"AwayUntilDayMonth", "away until 15 Dec", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2026, Month: 12, Day: 15}}, ""},
		{"AwayMonthDayNextYear", "away Jan 5", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2027, Month: 1, Day: 5}}, ""},
		{"AwaySpanish", "away 15 dic", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2026, Month: 12, Day: 15}}, ""},
		{"AwayFrench", "away 3 févr.", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2027, Month: 2, Day: 3}}, ""},
		{"AwayFrenchJuly", "away 14 juillet", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2027, Month: 7, Day: 14}}, ""},
		{"AwayFrenchJune", "away 1 juin", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2027, Month: 6, Day: 1}}, ""},
		{"AwayPortuguese", "away 2 dez", bot.Command{Name: bot.CmdAway, Until: bot.Date{Year: 2026, Month: 12, Day: 2}}, ""},
		{"AwayToday", "away 2026-11-26", bot.Command{Name: bot.CmdAway, Until: today}, ""},
		{"AwayPast", "away 2026-11-01", bot.Command{}, "cmd.err.past_date"},
		{"AwayNonsense", "away soon", bot.Command{}, "cmd.err.bad_date"},
		{"AwayBadDay", "away 31 Feb", bot.Command{}, "cmd.err.no_such_day"},
		{"AwayNoDate", "away until", bot.Command{}, "cmd.err.missing_date"},
		{"AwayBack", "away back", bot.Command{Name: bot.CmdBack}, ""},
		{"Back", "back", bot.Command{Name: bot.CmdBack}, ""},
		{"BackExtra", "back now", bot.Command{}, "cmd.err.too_many"},
		{"Unknown", "launch rockets", bot.Command{}, "cmd.err.unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bot.ParseCommand(tt.text, today, nil)
			var ce *bot.CommandError
			switch {
			case tt.err != "" && !errors.As(err, &ce):
				t.Fatalf("ParseCommand(%q): got %+v, %v; want error %s", tt.text, got, err, tt.err)
			case tt.err != "" && ce.Key != tt.err:
				t.Fatalf("ParseCommand(%q): got error %s, want %s", tt.text, ce.Key, tt.err)
			case tt.err == "" && err != nil:
				t.Fatalf("ParseCommand(%q): %v", tt.text, err)
			case tt.err == "" && got != tt.want:
				t.Errorf("ParseCommand(%q):\n got %+v\nwant %+v", tt.text, got, tt.want)
			}
		})
	}
}

// fuzzLocales are the reading orders the fuzz target tries every text in.
var fuzzLocales = [][]string{nil, {"es"}, {"fr"}, {"pt"}, {"en", "es"}, {"pt", "fr"}}

// FuzzParseCommand checks, in every locale, that any text gives either a
// command or an error whose message exists in the catalog with all its
// placeholders filled, and never panics.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		"status C3", "digest all 2026-11", "away until 15 Dec", "round open 2026-02 f1", "help away", "away 29 Feb", "digest C1 all",
		"ausente hasta el 15 de diciembre", "absent jusqu’au 1er décembre", "ausente até o dia 15 de dez. de 2026",
		"mettre à jour C1", "de retour", "ronda cerrar 2026-11", "away 5/12/2026", "away 15/12/2019", "ausente 31/02",
	} {
		f.Add(s)
	}
	cat := bot.MustCatalog()
	today := bot.Date{Year: 2026, Month: time.November, Day: 26}
	f.Fuzz(func(t *testing.T, text string) {
		for _, locales := range fuzzLocales {
			c, err := bot.ParseCommand(text, today, locales)
			if err != nil {
				var ce *bot.CommandError
				if !errors.As(err, &ce) {
					t.Fatalf("ParseCommand(%q, %v): error %v is not a CommandError", text, locales, err)
				}
				tx := cat.Texts(append(locales, "en")[0])
				if msg := tx.CommandError(ce, today); msg == "" || msg[0] == '[' || strings.Contains(msg, "<no value>") {
					t.Fatalf("ParseCommand(%q, %v): error %q renders as %q", text, locales, ce.Key, msg)
				}
				continue
			}
			if !contains(bot.CommandNames, c.Name) {
				t.Fatalf("ParseCommand(%q, %v): unknown command %q accepted", text, locales, c.Name)
			}
			if c.Name == bot.CmdAway && c.Until.Before(today) {
				t.Fatalf("ParseCommand(%q, %v): away until %s, in the past", text, locales, c.Until)
			}
		}
	})
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestSyntaxesParse checks that every command has a syntax and that the
// text a platform builds from a syntax's arguments, in their order (all of
// them, or only the required ones), is read back by ParseCommand with each
// value where it belongs.
func TestSyntaxesParse(t *testing.T) {
	today := bot.Date{Year: 2026, Month: time.November, Day: 26}
	seen := map[bot.CommandName]bool{}
	for _, s := range bot.Syntaxes {
		seen[s.Name] = true
	}
	for _, n := range bot.CommandNames {
		if !seen[n] {
			t.Errorf("command %s has no syntax", n)
		}
	}
	sample := map[string]string{bot.ArgCommitment: "C3", bot.ArgPeriod: "2026-10", bot.ArgForum: "cotabato", "until": "2026-12-15", bot.ArgQuestion: "Q-12"}
	for _, s := range bot.Syntaxes {
		for _, all := range []bool{true, false} {
			choices := []string{""}
			for _, a := range s.Args {
				if len(a.Choices) > 0 {
					choices = a.Choices
				}
			}
			for _, choice := range choices {
				words := []string{string(s.Name)}
				for _, a := range s.Args {
					if !all && !a.Required {
						continue
					}
					v := sample[a.Name]
					if len(a.Choices) > 0 {
						v = choice
					}
					if v == "" {
						t.Fatalf("%s: no sample value for argument %s", s.Name, a.Name)
					}
					words = append(words, v)
				}
				text := strings.Join(words, " ")
				c, err := bot.ParseCommand(text, today, nil)
				if listing := choice == bot.RoundActionFailed || choice == bot.RoundActionRetry; listing && all {
					// The given-up messages are listed for the whole forum:
					// a period is refused, with the usage that says so.
					var ce *bot.CommandError
					if !errors.As(err, &ce) || ce.Key != "cmd.err.too_many" {
						t.Errorf("%q: %v, want the usage of round %s without a period", text, err, choice)
					}
					continue
				}
				if err != nil {
					t.Errorf("%q: %v", text, err)
					continue
				}
				if c.Name != s.Name {
					t.Errorf("%q parsed as %s", text, c.Name)
				}
				for _, w := range words[1:] {
					if !parsedHolds(c, w) {
						t.Errorf("%q: %q lost, got %+v", text, w, c)
					}
				}
			}
		}
	}
}

// parsedHolds reports whether c keeps the value v somewhere.
func parsedHolds(c bot.Command, v string) bool {
	switch v {
	case c.Target, c.Forum, c.Action, c.Topic, c.Period.String(), c.Until.String():
		return true
	}
	if c.Question != 0 {
		return v == fmt.Sprintf("Q-%d", c.Question)
	}
	return false
}
