package bot

import (
	"regexp"
	"strings"
	"time"
)

// CommandName names a command a person can give the bot.
type CommandName string

// Commands, as typed after /forum.
const (
	CmdStatus CommandName = "status"
	CmdDigest CommandName = "digest"
	CmdUpdate CommandName = "update"
	CmdRound  CommandName = "round"
	CmdAway   CommandName = "away"
	CmdBack   CommandName = "back"
	CmdHelp   CommandName = "help"
)

// CommandNames lists the commands in the order help shows them.
var CommandNames = []CommandName{CmdStatus, CmdDigest, CmdUpdate, CmdRound, CmdAway, CmdBack, CmdHelp}

// Round actions of the round command.
const (
	RoundActionOpen   = "open"
	RoundActionClose  = "close"
	RoundActionRemind = "remind"
)

// Command is a parsed command. The parser checks syntax only; whether the
// commitment or forum exists and whether the caller may run it is the
// engine's business.
type Command struct {
	Name CommandName
	// Target is a commitment id, or for digest and round possibly a forum id.
	Target string
	// All asks for every commitment (digest all).
	All bool
	// Period is the reporting month asked for; zero means the current one.
	Period Period
	// Forum narrows a command to one forum when the caller is in several.
	Forum string
	// Action is open, close or remind for the round command.
	Action string
	// Until is the last day away for the away command.
	Until Date
	// Topic is the command help was asked about.
	Topic string
}

// CommandError is a command that could not be parsed: Key names the catalog
// message that explains what is allowed, Args fill it.
type CommandError struct {
	Key  string
	Args []any
}

func (e *CommandError) Error() string { return "bad command: " + e.Key }

func cmdErr(key string, args ...any) *CommandError { return &CommandError{Key: key, Args: args} }

var (
	periodRE = regexp.MustCompile(`^\d{4}-\d{2}$`)
	dateRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	idRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)
)

// ParseCommand parses the text after /forum. today resolves dates written
// without a year ("away until 15 Dec"); it is the caller's local date.
func ParseCommand(text string, today Date) (Command, error) {
	words := strings.Fields(text)
	if len(words) == 0 {
		return Command{Name: CmdHelp}, nil
	}
	c := Command{Name: CommandName(strings.ToLower(words[0]))}
	args := words[1:]
	switch c.Name {
	case CmdHelp:
		if len(args) > 1 {
			return c, cmdErr("cmd.err.too_many", "Command", "help", "Usage", "help [command]")
		}
		if len(args) == 1 {
			c.Topic = strings.ToLower(args[0])
		}
		return c, nil
	case CmdStatus:
		return c, parseStatus(&c, args)
	case CmdDigest:
		return c, parseDigest(&c, args)
	case CmdUpdate:
		return c, parseUpdate(&c, args)
	case CmdRound:
		return c, parseRound(&c, args)
	case CmdAway:
		return c, parseAway(&c, args, today)
	case CmdBack:
		if len(args) > 0 {
			return c, cmdErr("cmd.err.too_many", "Command", "back", "Usage", "back")
		}
		return c, nil
	}
	return c, cmdErr("cmd.err.unknown", "Command", words[0])
}

func parseStatus(c *Command, args []string) error {
	switch {
	case len(args) == 0:
		return cmdErr("cmd.err.missing_commitment", "Usage", "status <commitment>")
	case len(args) > 2:
		return cmdErr("cmd.err.too_many", "Command", "status", "Usage", "status <commitment> [<forum>]")
	}
	for _, a := range args {
		if !idRE.MatchString(a) {
			return cmdErr("cmd.err.bad_id", "Value", a)
		}
	}
	c.Target = args[0]
	if len(args) == 2 {
		c.Forum = args[1]
	}
	return nil
}

func parseDigest(c *Command, args []string) error {
	for _, a := range args {
		switch {
		case periodRE.MatchString(a):
			p, err := ParsePeriod(a)
			if err != nil || !c.Period.IsZero() {
				return cmdErr("cmd.err.bad_period", "Value", a)
			}
			c.Period = p
		case strings.EqualFold(a, "all"):
			c.All = true
		case !idRE.MatchString(a):
			return cmdErr("cmd.err.bad_id", "Value", a)
		case c.Target == "":
			c.Target = a
		case c.Forum == "":
			c.Forum = a
		default:
			return cmdErr("cmd.err.too_many", "Command", "digest", "Usage", "digest [<commitment>|all] [<YYYY-MM>]")
		}
	}
	if c.All && c.Forum == "" && c.Target != "" {
		// "digest all cotabato": the word after all names a forum.
		c.Forum, c.Target = c.Target, ""
	}
	if c.All && c.Target != "" {
		return cmdErr("cmd.err.all_and_commitment")
	}
	return nil
}

func parseUpdate(c *Command, args []string) error {
	if len(args) > 1 {
		return cmdErr("cmd.err.too_many", "Command", "update", "Usage", "update [<commitment>]")
	}
	if len(args) == 1 {
		if !idRE.MatchString(args[0]) {
			return cmdErr("cmd.err.bad_id", "Value", args[0])
		}
		c.Target = args[0]
	}
	return nil
}

func parseRound(c *Command, args []string) error {
	if len(args) == 0 {
		return cmdErr("cmd.err.round_action", "Value", "")
	}
	c.Action = strings.ToLower(args[0])
	switch c.Action {
	case RoundActionOpen, RoundActionClose, RoundActionRemind:
	default:
		return cmdErr("cmd.err.round_action", "Value", args[0])
	}
	for _, a := range args[1:] {
		switch {
		case periodRE.MatchString(a):
			p, err := ParsePeriod(a)
			if err != nil || !c.Period.IsZero() {
				return cmdErr("cmd.err.bad_period", "Value", a)
			}
			c.Period = p
		case idRE.MatchString(a) && c.Forum == "":
			c.Forum = a
		default:
			return cmdErr("cmd.err.too_many", "Command", "round", "Usage", "round open|close|remind [<YYYY-MM>] [<forum>]")
		}
	}
	return nil
}

// monthNames maps the first three letters of month names in the bot's
// languages (accents dropped) to months, so "away 15 dic" and "away 3 août"
// work as well as "away 15 Dec". No prefix means two different months.
var monthNames = map[string]time.Month{
	"jan": 1, "ene": 1,
	"feb": 2, "fev": 2,
	"mar": 3,
	"apr": 4, "abr": 4, "avr": 4,
	"may": 5, "mai": 5,
	"jun": 6, "jui": 0, // juin (June) and juillet (July) share three letters
	"jul": 7,
	"aug": 8, "ago": 8, "aou": 8,
	"sep": 9, "set": 9,
	"oct": 10, "out": 10,
	"nov": 11,
	"dec": 12, "dic": 12, "dez": 12,
}

func parseAway(c *Command, args []string, today Date) error {
	if len(args) > 0 && strings.EqualFold(args[0], "until") {
		args = args[1:]
	}
	if len(args) == 1 && strings.EqualFold(args[0], "back") {
		c.Name = CmdBack
		return nil
	}
	d, ok := parseLooseDate(args, today)
	if !ok {
		return cmdErr("cmd.err.bad_date", "Value", strings.Join(args, " "))
	}
	if d.Before(today) {
		return cmdErr("cmd.err.past_date", "Value", d.String())
	}
	c.Until = d
	return nil
}

// parseLooseDate reads YYYY-MM-DD, "15 Dec" or "Dec 15"; a date without a
// year is the next such date from today.
func parseLooseDate(args []string, today Date) (Date, bool) {
	if len(args) == 1 && dateRE.MatchString(args[0]) {
		d, err := ParseDate(args[0])
		return d, err == nil
	}
	if len(args) != 2 {
		return Date{}, false
	}
	day, month := args[0], args[1]
	if _, ok := monthOf(day); ok {
		day, month = month, day
	}
	m, ok := monthOf(month)
	if !ok {
		return Date{}, false
	}
	n := 0
	for _, r := range strings.TrimSuffix(strings.TrimSuffix(day, "th"), ",") {
		if r < '0' || r > '9' {
			return Date{}, false
		}
		n = n*10 + int(r-'0')
		if n > 31 {
			return Date{}, false
		}
	}
	for year := today.Year; year <= today.Year+1; year++ {
		t := time.Date(year, m, n, 0, 0, 0, 0, time.UTC)
		if n == 0 || t.Month() != m {
			return Date{}, false
		}
		if d := DateOf(t); !d.Before(today) {
			return d, true
		}
	}
	return Date{}, false
}

func monthOf(s string) (time.Month, bool) {
	s = strings.NewReplacer("é", "e", "û", "u", "è", "e").Replace(strings.ToLower(strings.TrimRight(s, ",.")))
	switch {
	case len(s) < 3:
		return 0, false
	case strings.HasPrefix(s, "juin"):
		return time.June, true
	case strings.HasPrefix(s, "juil"):
		return time.July, true
	}
	m, ok := monthNames[s[:3]]
	return m, ok && m != 0
}
