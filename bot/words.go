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
