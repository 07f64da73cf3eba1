package bot

import (
	"regexp"
	"strings"
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
	// CmdQuestions lists the questions from the public still waiting.
	CmdQuestions CommandName = "questions"
	// CmdMove moves a question to another commitment.
	CmdMove CommandName = "move"
)

// CommandNames lists the commands in the order help shows them.
var CommandNames = []CommandName{CmdStatus, CmdDigest, CmdUpdate, CmdRound, CmdAway, CmdBack, CmdQuestions, CmdMove, CmdHelp}

// Round actions of the round command.
const (
	RoundActionOpen   = "open"
	RoundActionClose  = "close"
	RoundActionRemind = "remind"
	// RoundActionVoid voids a round opened by mistake.
	RoundActionVoid = "void"
	// RoundActionFailed lists the messages the bot gave up on.
	RoundActionFailed = "failed"
	// RoundActionRetry puts the messages given up on back in the outbox.
	RoundActionRetry = "retry"
)

// RoundActions lists the round command's actions in the order help shows
// them.
var RoundActions = []string{RoundActionOpen, RoundActionClose, RoundActionRemind, RoundActionVoid, RoundActionFailed, RoundActionRetry}

// Syntax is a command as platforms that ask for its arguments one by one
// show it, as Discord's slash commands do: the arguments in the order
// ParseCommand reads them when they are typed after the command's word.
// Texts.Describe gives the descriptions in each language.
type Syntax struct {
	Name CommandName
	Args []Arg
}

// Arg is one argument of a command.
type Arg struct {
	// Name is the argument's name in English, as the platform shows it.
	Name     string
	Required bool
	// Commitment says the value is a commitment id, which a platform may
	// complete as it is typed.
	Commitment bool
	// Choices are the only values allowed, when there is a short list.
	Choices        []string
	MinLen, MaxLen int
}

// Argument names shared by several commands.
const (
	ArgCommitment = "commitment"
	ArgForum      = "forum"
	ArgPeriod     = "period"
	ArgQuestion   = "question"
)

// Syntaxes lists every command, in the order help shows them.
var Syntaxes = func() []Syntax {
	commitment := func(required bool) Arg {
		return Arg{Name: ArgCommitment, Required: required, Commitment: true, MaxLen: 64}
	}
	forum := Arg{Name: ArgForum, MaxLen: 64}
	period := Arg{Name: ArgPeriod, MinLen: 7, MaxLen: 7}
	commands := make([]string, len(CommandNames))
	for i, n := range CommandNames {
		commands[i] = string(n)
	}
	return []Syntax{
		{CmdStatus, []Arg{commitment(true), forum}},
		{CmdDigest, []Arg{commitment(false), period, forum}},
		{CmdUpdate, []Arg{commitment(false)}},
		{CmdRound, []Arg{{Name: "action", Required: true, Choices: RoundActions}, period, forum}},
		{CmdAway, []Arg{{Name: "until", Required: true, MaxLen: 20}}},
		{CmdBack, nil},
		{CmdQuestions, []Arg{commitment(false)}},
		{CmdMove, []Arg{{Name: ArgQuestion, Required: true, MaxLen: 24}, commitment(true)}},
		{CmdHelp, []Arg{{Name: "command", Choices: commands}}},
	}
}()

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
	// Action is open, close, remind, void, failed or retry for the round
	// command.
	Action string
	// Until is the last day away for the away command.
	Until Date
	// Topic is the command help was asked about.
	Topic string
	// Question is the question move moves, by id.
	Question int64
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
	idRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)
)

// ParseCommand parses the text after /forum. Command words, "until",
// "all", round actions and dates are read in locales, in order (the
// person's own, then their forum's), and always in English. today resolves
// dates written without a year ("away until 15 Dec"); it is the caller's
// local date.
func ParseCommand(text string, today Date, locales []string) (Command, error) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Command{Name: CmdHelp}, nil
	}
	x := lexiconFor(locales)
	name, n := x.command(fields)
	if n == 0 {
		return Command{}, cmdErr("cmd.err.unknown", "Command", fields[0])
	}
	c := Command{Name: name}
	args := fields[n:]
	switch c.Name {
	case CmdHelp:
		return c, parseHelp(&c, args, x)
	case CmdStatus:
		return c, parseStatus(&c, args)
	case CmdDigest:
		return c, parseDigest(&c, args, x)
	case CmdUpdate:
		return c, parseUpdate(&c, args)
	case CmdRound:
		return c, parseRound(&c, args, x)
	case CmdAway:
		return c, parseAway(&c, args, today, x)
	case CmdQuestions:
		return c, parseQuestions(&c, args)
	case CmdMove:
		return c, parseMove(&c, args)
	}
	if len(args) > 0 {
		return c, cmdErr("cmd.err.too_many", "Command", "back", "Usage", "back")
	}
	return c, nil
}

func parseHelp(c *Command, args []string, x lexicon) error {
	if len(args) == 0 {
		return nil
	}
	if name, n := x.command(args); n == len(args) {
		c.Topic = string(name)
		return nil
	}
	if len(args) > 1 {
		return cmdErr("cmd.err.too_many", "Command", "help", "Usage", "help [command]")
	}
	c.Topic = strings.ToLower(args[0])
	return nil
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

func parseDigest(c *Command, args []string, x lexicon) error {
	for _, a := range args {
		switch {
		case periodRE.MatchString(a):
			p, err := ParsePeriod(a)
			if err != nil || !c.Period.IsZero() {
				return cmdErr("cmd.err.bad_period", "Value", a)
			}
			c.Period = p
		case x.isAll(a):
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

func parseQuestions(c *Command, args []string) error {
	if len(args) > 1 {
		return cmdErr("cmd.err.too_many", "Command", "questions", "Usage", "questions [<commitment>]")
	}
	if len(args) == 1 {
		if !idRE.MatchString(args[0]) {
			return cmdErr("cmd.err.bad_id", "Value", args[0])
		}
		c.Target = args[0]
	}
	return nil
}

func parseMove(c *Command, args []string) error {
	switch {
	case len(args) < 2:
		return cmdErr("cmd.err.move_usage")
	case len(args) > 2:
		return cmdErr("cmd.err.too_many", "Command", "move", "Usage", "move <question> <commitment>")
	}
	id, err := ParseQuestionRef(args[0])
	if err != nil {
		return cmdErr("cmd.err.bad_question", "Value", args[0])
	}
	if !idRE.MatchString(args[1]) {
		return cmdErr("cmd.err.bad_id", "Value", args[1])
	}
	c.Question, c.Target = id, args[1]
	return nil
}

func parseRound(c *Command, args []string, x lexicon) error {
	if len(args) == 0 {
		return cmdErr("cmd.err.round_action", "Value", "")
	}
	action, ok := x.action(args[0])
	if !ok {
		return cmdErr("cmd.err.round_action", "Value", args[0])
	}
	c.Action = action
	listing := action == RoundActionFailed || action == RoundActionRetry
	for _, a := range args[1:] {
		switch {
		case periodRE.MatchString(a) && listing:
			return cmdErr("cmd.err.too_many", "Command", "round "+action, "Usage", "round failed|retry [<forum>]")
		case periodRE.MatchString(a):
			p, err := ParsePeriod(a)
			if err != nil || !c.Period.IsZero() {
				return cmdErr("cmd.err.bad_period", "Value", a)
			}
			c.Period = p
		case idRE.MatchString(a) && c.Forum == "":
			c.Forum = a
		default:
			return cmdErr("cmd.err.too_many", "Command", "round", "Usage", "round open|close|remind|void [<YYYY-MM>] [<forum>]")
		}
	}
	return nil
}

// parseAway reads "away [until] <date>", and "away back" as back.
func parseAway(c *Command, args []string, today Date, x lexicon) error {
	if len(args) > 0 && x.isUntil(args[0]) {
		args = args[1:]
	}
	if name, n := x.command(args); name == CmdBack && n == len(args) {
		c.Name = CmdBack
		return nil
	}
	if len(args) == 0 {
		return cmdErr("cmd.err.missing_date")
	}
	d, err := x.date(args, today)
	if err != nil {
		return err
	}
	if d.Before(today) {
		return cmdErr("cmd.err.past_date", "Value", d)
	}
	c.Until = d
	return nil
}

// CommandError renders a command error in t's locale, with dates in its
// words and an example of /forum away two weeks after today.
func (t Texts) CommandError(ce *CommandError, today Date) string {
	args := make([]any, 0, len(ce.Args)+4)
	for i, a := range ce.Args {
		switch v := a.(type) {
		case Date:
			a = t.Date(v)
		case string:
			if i%2 == 1 {
				// A value, often what the person typed: quoted safely.
				a = echoInput(v)
			}
		}
		args = append(args, a)
	}
	example := awayExample(today)
	return t.T(ce.Key, append(args, "Date", t.Date(example), "ISO", example.String())...)
}
