package bot

// words is what the bot reads in one language: completion levels in thread
// replies, and command words and dates after /forum. Forms are written as
// people spell them; reading ignores case and accents and takes "-", "_"
// and runs of spaces as one space, so "no iniciado", "No Iniciado" and
// "NO-INICIADO" are the same form, and "concluído" is also "concluido".
type words struct {
	// levels lists, for each completion level, the forms people write for
	// it: OGP's translation of the IRM's wording first, then common
	// variants. Every form is read at the start of a reply.
	levels map[Completion][]string
	// commands lists the words for each command, typed after /forum; a
	// form may be several words ("mettre à jour").
	commands map[CommandName][]string
	// actions lists the words for each action of the round command.
	actions map[string][]string
	// until and all are the words for "away until 15 Dec" and "digest all".
	until, all []string
	// months lists each month's full names. A month may be abbreviated to
	// any three letters or more that begin one of them ("dic", "déc.",
	// "sept"), as long as no other month begins so.
	months [12][]string
	// fillers are the small words dropped from dates: "15 de diciembre",
	// "the 15th of December".
	fillers []string
	// dayFirst reads a date in figures day first (15/12/2026). When false,
	// as in English, 15/12/2026 and 12/15/2026 are both read, and 5/12/2026
	// is refused as ambiguous.
	dayFirst bool
}

// wordTables holds the words of each supported locale. A person's own
// locale is read first, then their forum's, then English, which always
// works. Month names are read in every locale, since no form of one
// language's months names another month in another.
var wordTables = map[string]words{
	"en": {
		levels: map[Completion][]string{
			NotStarted:  {"Not Started", "not yet started", "notstarted"},
			Limited:     {"Limited"},
			Substantial: {"Substantial"},
			Complete:    {"Complete", "completed"},
			Withdrawn:   {"Withdrawn"},
			NoEvidence:  {"No Evidence Available", "no evidence"},
		},
		commands: map[CommandName][]string{
			CmdStatus: {"status"}, CmdDigest: {"digest"}, CmdUpdate: {"update"}, CmdRound: {"round"},
			CmdAway: {"away"}, CmdBack: {"back"}, CmdHelp: {"help"},
		},
		actions: map[string][]string{RoundActionOpen: {"open"}, RoundActionClose: {"close"}, RoundActionRemind: {"remind"},
			RoundActionVoid: {"void"}, RoundActionFailed: {"failed"}, RoundActionRetry: {"retry"}},
		until: []string{"until", "till"},
		all:   []string{"all"},
		months: [12][]string{{"January"}, {"February"}, {"March"}, {"April"}, {"May"}, {"June"},
			{"July"}, {"August"}, {"September"}, {"October"}, {"November"}, {"December"}},
		fillers: []string{"the", "of", "on"},
	},
	"es": {
		levels: map[Completion][]string{
			NotStarted:  {"No iniciado", "sin iniciar", "no empezado"},
			Limited:     {"Limitado"},
			Substantial: {"Sustancial", "substancial"},
			Complete:    {"Completo", "completado", "cumplido"},
			Withdrawn:   {"Retirado"},
			NoEvidence:  {"Sin evidencia disponible", "sin evidencia", "sin evidencias"},
		},
		commands: map[CommandName][]string{
			CmdStatus: {"estado"}, CmdDigest: {"resumen"}, CmdUpdate: {"actualizar"}, CmdRound: {"ronda"},
			CmdAway: {"ausente"}, CmdBack: {"volví", "de vuelta", "regresé"}, CmdHelp: {"ayuda"},
		},
		actions: map[string][]string{RoundActionOpen: {"abrir"}, RoundActionClose: {"cerrar"}, RoundActionRemind: {"recordar"},
			RoundActionVoid: {"anular"}, RoundActionFailed: {"fallidos", "fallidas"}, RoundActionRetry: {"reintentar"}},
		until: []string{"hasta"},
		all:   []string{"todos", "todas", "todo"},
		months: [12][]string{{"enero"}, {"febrero"}, {"marzo"}, {"abril"}, {"mayo"}, {"junio"},
			{"julio"}, {"agosto"}, {"septiembre", "setiembre"}, {"octubre"}, {"noviembre"}, {"diciembre"}},
		fillers:  []string{"de", "del", "el"},
		dayFirst: true,
	},
	"fr": {
		levels: map[Completion][]string{
			NotStarted:  {"Non commencé", "pas commencé", "non démarré", "pas démarré"},
			Limited:     {"Limité", "limitée"},
			Substantial: {"Substantiel", "substantielle"},
			Complete:    {"Complet", "complète", "achevé", "terminé"},
			Withdrawn:   {"Retiré", "retirée"},
			NoEvidence:  {"Aucune preuve disponible", "aucune preuve", "pas de preuve", "pas de preuves", "sans preuve"},
		},
		commands: map[CommandName][]string{
			CmdStatus: {"statut", "état"}, CmdDigest: {"synthèse"}, CmdUpdate: {"mettre à jour", "mise à jour", "maj", "actualiser"},
			CmdRound: {"tour", "collecte"}, CmdAway: {"absent", "absente"}, CmdBack: {"de retour", "retour"}, CmdHelp: {"aide"},
		},
		actions: map[string][]string{RoundActionOpen: {"ouvrir"}, RoundActionClose: {"fermer", "clore"}, RoundActionRemind: {"relancer", "rappeler"},
			RoundActionVoid: {"annuler"}, RoundActionFailed: {"échecs", "échoués"}, RoundActionRetry: {"réessayer", "renvoyer"}},
		until: []string{"jusqu'au", "jusqu'à"},
		all:   []string{"tous", "toutes", "tout"},
		months: [12][]string{{"janvier"}, {"février"}, {"mars"}, {"avril"}, {"mai"}, {"juin"},
			{"juillet"}, {"août"}, {"septembre"}, {"octobre"}, {"novembre"}, {"décembre"}},
		fillers:  []string{"le"},
		dayFirst: true,
	},
	"pt": {
		levels: map[Completion][]string{
			NotStarted:  {"Não iniciado", "não começado"},
			Limited:     {"Limitado"},
			Substantial: {"Substancial"},
			Complete:    {"Completo", "concluído", "completado"},
			Withdrawn:   {"Retirado"},
			NoEvidence:  {"Sem evidência disponível", "sem evidência", "sem evidências"},
		},
		commands: map[CommandName][]string{
			CmdStatus: {"estado", "situação"}, CmdDigest: {"resumo"}, CmdUpdate: {"atualizar"}, CmdRound: {"rodada"},
			CmdAway: {"ausente"}, CmdBack: {"voltei", "de volta"}, CmdHelp: {"ajuda"},
		},
		actions: map[string][]string{RoundActionOpen: {"abrir"}, RoundActionClose: {"fechar", "encerrar"}, RoundActionRemind: {"lembrar"},
			RoundActionVoid: {"anular"}, RoundActionFailed: {"falhas", "falhadas"}, RoundActionRetry: {"reenviar"}},
		until: []string{"até"},
		all:   []string{"todos", "todas", "tudo"},
		months: [12][]string{{"janeiro"}, {"fevereiro"}, {"março"}, {"abril"}, {"maio"}, {"junho"},
			{"julho"}, {"agosto"}, {"setembro"}, {"outubro"}, {"novembro"}, {"dezembro"}},
		fillers:  []string{"de", "do", "o", "dia"},
		dayFirst: true,
	},
}

// CommandWords returns the words for each command in a locale other than
// English, in the order help lists the commands, for help to show; nil for
// English or an unknown locale.
func CommandWords(locale string) []string {
	w, ok := wordTables[locale]
	if !ok || locale == "en" {
		return nil
	}
	var out []string
	for _, name := range CommandNames {
		out = append(out, w.commands[name][0])
	}
	return out
}
