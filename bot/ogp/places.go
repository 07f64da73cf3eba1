package ogp

// country is what the importer proposes for a forum in a country: the
// forum's locale (en where the country's language is none of forumbot's)
// and the time zone of its capital.
type country struct {
	locale string
	zone   string
	// otherLanguage marks countries whose first language forumbot does not
	// speak: the locale is proposed for want of it.
	otherLanguage bool
	// severalZones marks countries spanning several time zones: zone is
	// the capital's, proposed for national forums and known localities only.
	severalZones bool
}

// Shorthands for the table below.
const (
	other   = true // otherLanguage
	several = true // severalZones
)

// countries holds OGP's member countries by name as matchKey writes it,
// with the other names exports use.
var countries = map[string]country{
	"afghanistan":              {"en", "Asia/Kabul", other, false},
	"albania":                  {"en", "Europe/Tirane", other, false},
	"argentina":                {"es", "America/Argentina/Buenos_Aires", false, false},
	"armenia":                  {"en", "Asia/Yerevan", other, false},
	"australia":                {"en", "Australia/Sydney", false, several},
	"azerbaijan":               {"en", "Asia/Baku", other, false},
	"benin":                    {"fr", "Africa/Porto-Novo", false, false},
	"bosnia and herzegovina":   {"en", "Europe/Sarajevo", other, false},
	"brazil":                   {"pt", "America/Sao_Paulo", false, several},
	"bulgaria":                 {"en", "Europe/Sofia", other, false},
	"burkina faso":             {"fr", "Africa/Ouagadougou", false, false},
	"cabo verde":               {"pt", "Atlantic/Cape_Verde", false, false},
	"cape verde":               {"pt", "Atlantic/Cape_Verde", false, false},
	"canada":                   {"en", "America/Toronto", false, several},
	"chile":                    {"es", "America/Santiago", false, several},
	"colombia":                 {"es", "America/Bogota", false, false},
	"costa rica":               {"es", "America/Costa_Rica", false, false},
	"cote d'ivoire":            {"fr", "Africa/Abidjan", false, false},
	"ivory coast":              {"fr", "Africa/Abidjan", false, false},
	"croatia":                  {"en", "Europe/Zagreb", other, false},
	"czech republic":           {"en", "Europe/Prague", other, false},
	"czechia":                  {"en", "Europe/Prague", other, false},
	"denmark":                  {"en", "Europe/Copenhagen", other, false},
	"dominican republic":       {"es", "America/Santo_Domingo", false, false},
	"ecuador":                  {"es", "America/Guayaquil", false, several},
	"el salvador":              {"es", "America/El_Salvador", false, false},
	"estonia":                  {"en", "Europe/Tallinn", other, false},
	"finland":                  {"en", "Europe/Helsinki", other, false},
	"france":                   {"fr", "Europe/Paris", false, several},
	"georgia":                  {"en", "Asia/Tbilisi", other, false},
	"germany":                  {"en", "Europe/Berlin", other, false},
	"ghana":                    {"en", "Africa/Accra", false, false},
	"greece":                   {"en", "Europe/Athens", other, false},
	"guatemala":                {"es", "America/Guatemala", false, false},
	"honduras":                 {"es", "America/Tegucigalpa", false, false},
	"hungary":                  {"en", "Europe/Budapest", other, false},
	"indonesia":                {"en", "Asia/Jakarta", other, several},
	"ireland":                  {"en", "Europe/Dublin", false, false},
	"israel":                   {"en", "Asia/Jerusalem", other, false},
	"italy":                    {"en", "Europe/Rome", other, false},
	"jamaica":                  {"en", "America/Jamaica", false, false},
	"jordan":                   {"en", "Asia/Amman", other, false},
	"kenya":                    {"en", "Africa/Nairobi", false, false},
	"korea":                    {"en", "Asia/Seoul", other, false},
	"republic of korea":        {"en", "Asia/Seoul", other, false},
	"korea, republic of":       {"en", "Asia/Seoul", other, false},
	"south korea":              {"en", "Asia/Seoul", other, false},
	"kosovo":                   {"en", "Europe/Belgrade", other, false},
	"kyrgyz republic":          {"en", "Asia/Bishkek", other, false},
	"kyrgyzstan":               {"en", "Asia/Bishkek", other, false},
	"latvia":                   {"en", "Europe/Riga", other, false},
	"liberia":                  {"en", "Africa/Monrovia", false, false},
	"lithuania":                {"en", "Europe/Vilnius", other, false},
	"luxembourg":               {"fr", "Europe/Luxembourg", other, false},
	"malawi":                   {"en", "Africa/Blantyre", false, false},
	"malaysia":                 {"en", "Asia/Kuala_Lumpur", other, false},
	"malta":                    {"en", "Europe/Malta", false, false},
	"mexico":                   {"es", "America/Mexico_City", false, several},
	"moldova":                  {"en", "Europe/Chisinau", other, false},
	"republic of moldova":      {"en", "Europe/Chisinau", other, false},
	"mongolia":                 {"en", "Asia/Ulaanbaatar", other, several},
	"montenegro":               {"en", "Europe/Podgorica", other, false},
	"morocco":                  {"fr", "Africa/Casablanca", other, false},
	"netherlands":              {"en", "Europe/Amsterdam", other, false},
	"the netherlands":          {"en", "Europe/Amsterdam", other, false},
	"new zealand":              {"en", "Pacific/Auckland", false, several},
	"nigeria":                  {"en", "Africa/Lagos", false, false},
	"north macedonia":          {"en", "Europe/Skopje", other, false},
	"macedonia":                {"en", "Europe/Skopje", other, false},
	"norway":                   {"en", "Europe/Oslo", other, false},
	"pakistan":                 {"en", "Asia/Karachi", false, false},
	"panama":                   {"es", "America/Panama", false, false},
	"papua new guinea":         {"en", "Pacific/Port_Moresby", false, several},
	"paraguay":                 {"es", "America/Asuncion", false, false},
	"peru":                     {"es", "America/Lima", false, false},
	"philippines":              {"en", "Asia/Manila", false, false},
	"portugal":                 {"pt", "Europe/Lisbon", false, several},
	"romania":                  {"en", "Europe/Bucharest", other, false},
	"senegal":                  {"fr", "Africa/Dakar", false, false},
	"serbia":                   {"en", "Europe/Belgrade", other, false},
	"seychelles":               {"en", "Indian/Mahe", false, false},
	"sierra leone":             {"en", "Africa/Freetown", false, false},
	"slovak republic":          {"en", "Europe/Bratislava", other, false},
	"slovakia":                 {"en", "Europe/Bratislava", other, false},
	"south africa":             {"en", "Africa/Johannesburg", false, false},
	"spain":                    {"es", "Europe/Madrid", false, several},
	"sri lanka":                {"en", "Asia/Colombo", false, false},
	"sweden":                   {"en", "Europe/Stockholm", other, false},
	"tanzania":                 {"en", "Africa/Dar_es_Salaam", false, false},
	"togo":                     {"fr", "Africa/Lome", false, false},
	"trinidad and tobago":      {"en", "America/Port_of_Spain", false, false},
	"tunisia":                  {"fr", "Africa/Tunis", other, false},
	"turkey":                   {"en", "Europe/Istanbul", other, false},
	"turkiye":                  {"en", "Europe/Istanbul", other, false},
	"ukraine":                  {"en", "Europe/Kyiv", other, false},
	"united kingdom":           {"en", "Europe/London", false, false},
	"united states":            {"en", "America/New_York", false, several},
	"united states of america": {"en", "America/New_York", false, several},
	"uruguay":                  {"es", "America/Montevideo", false, false},
}

// locality is a local member whose time zone the importer knows although
// its country spans several, or whose language differs from its country's.
type locality struct {
	country string // key in countries
	zone    string
	locale  string // "" for the country's
}

// localities holds them by name as matchKey writes it.
var localities = map[string]locality{
	"jalisco":          {"mexico", "America/Mexico_City", ""},
	"mexico city":      {"mexico", "America/Mexico_City", ""},
	"ciudad de mexico": {"mexico", "America/Mexico_City", ""},
	"nuevo leon":       {"mexico", "America/Monterrey", ""},
	"monterrey":        {"mexico", "America/Monterrey", ""},
	"chihuahua":        {"mexico", "America/Chihuahua", ""},
	"madrid":           {"spain", "Europe/Madrid", ""},
	"basque country":   {"spain", "Europe/Madrid", ""},
	"euskadi":          {"spain", "Europe/Madrid", ""},
	"catalonia":        {"spain", "Europe/Madrid", ""},
	"catalunya":        {"spain", "Europe/Madrid", ""},
	"barcelona":        {"spain", "Europe/Madrid", ""},
	"asturias":         {"spain", "Europe/Madrid", ""},
	"navarra":          {"spain", "Europe/Madrid", ""},
	"valencia":         {"spain", "Europe/Madrid", ""},
	"canary islands":   {"spain", "Atlantic/Canary", ""},
	"canarias":         {"spain", "Atlantic/Canary", ""},
	"sao paulo":        {"brazil", "America/Sao_Paulo", ""},
	"rio de janeiro":   {"brazil", "America/Sao_Paulo", ""},
	"minas gerais":     {"brazil", "America/Sao_Paulo", ""},
	"brasilia":         {"brazil", "America/Sao_Paulo", ""},
	"contagem":         {"brazil", "America/Sao_Paulo", ""},
	"osasco":           {"brazil", "America/Sao_Paulo", ""},
	"austin":           {"united states", "America/Chicago", ""},
	"ontario":          {"canada", "America/Toronto", ""},
	"toronto":          {"canada", "America/Toronto", ""},
	"ottawa":           {"canada", "America/Toronto", ""},
	"quebec":           {"canada", "America/Toronto", "fr"},
	"montreal":         {"canada", "America/Toronto", "fr"},
	"paris":            {"france", "Europe/Paris", ""},
	"bojonegoro":       {"indonesia", "Asia/Jakarta", ""},
	"semarang":         {"indonesia", "Asia/Jakarta", ""},
	"jakarta":          {"indonesia", "Asia/Jakarta", ""},
	"banggai":          {"indonesia", "Asia/Makassar", ""},
	"santiago":         {"chile", "America/Santiago", ""},
	"penalolen":        {"chile", "America/Santiago", ""},
	"quito":            {"ecuador", "America/Guayaquil", ""},
	"lisbon":           {"portugal", "Europe/Lisbon", ""},
	"lisboa":           {"portugal", "Europe/Lisbon", ""},
	"new south wales":  {"australia", "Australia/Sydney", ""},
	"sydney":           {"australia", "Australia/Sydney", ""},
	"victoria":         {"australia", "Australia/Melbourne", ""},
	"melbourne":        {"australia", "Australia/Melbourne", ""},
	"ulaanbaatar":      {"mongolia", "Asia/Ulaanbaatar", ""},
}
