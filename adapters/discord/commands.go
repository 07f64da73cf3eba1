package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// CommandName is the application command the adapter registers.
const CommandName = "forum"

// option is one typed option of a /forum subcommand. Options are turned
// back into the words of bot.ParseCommand in the order listed here.
type option struct {
	name, description string
	required          bool
	autocomplete      bool
	choices           []string
	minLen, maxLen    int
}

// subcommand is one /forum subcommand.
type subcommand struct {
	name, description string
	options           []option
}

// Option names shared by several subcommands.
const (
	optCommitment = "commitment"
	optForum      = "forum"
	optPeriod     = "period"
)

// subcommands mirror the grammar of bot.ParseCommand.
var subcommands = []subcommand{
	{"status", "The current picture of a commitment, privately", []option{
		{name: optCommitment, description: "Commitment id, e.g. C3", required: true, autocomplete: true, maxLen: 64},
		{name: optForum, description: "Forum id, when the commitment id is in several forums", maxLen: 64},
	}},
	{"digest", "Post an implementation digest (coordinators)", []option{
		{name: optCommitment, description: "A commitment id, or all (the default)", autocomplete: true, maxLen: 64},
		{name: optPeriod, description: "Month as YYYY-MM; the current round by default", minLen: 7, maxLen: 7},
		{name: optForum, description: "Forum id, when you coordinate several", maxLen: 64},
	}},
	{"update", "Open the update form of one of your commitments", []option{
		{name: optCommitment, description: "Commitment id; all of yours by default", autocomplete: true, maxLen: 64},
	}},
	{"round", "Open, close or remind a round (coordinators)", []option{
		{name: "action", description: "What to do with the round", required: true, choices: []string{bot.RoundActionOpen, bot.RoundActionClose, bot.RoundActionRemind}},
		{name: optPeriod, description: "Month as YYYY-MM; the current one by default", minLen: 7, maxLen: 7},
		{name: optForum, description: "Forum id, when you coordinate several", maxLen: 64},
	}},
	{"away", "Say you are away until a date; you will not be chased", []option{
		{name: "until", description: "Last day away: YYYY-MM-DD or e.g. 15 Dec", required: true, maxLen: 20},
	}},
	{"back", "Say you are back before the date you gave", nil},
	{"help", "What you can do with /forum", []option{
		{name: "command", description: "A command to explain", choices: commandNames()},
	}},
}

func commandNames() []string {
	out := make([]string, len(bot.CommandNames))
	for i, n := range bot.CommandNames {
		out[i] = string(n)
	}
	return out
}

// Commands returns the /forum application command as registered: usable
// in servers and, when registered globally, in the bot's direct messages.
func Commands() []*discordgo.ApplicationCommand {
	cmd := &discordgo.ApplicationCommand{
		Name:        CommandName,
		Type:        discordgo.ChatApplicationCommand,
		Description: "Open-government follow-up: status, digests, your updates",
		Contexts:    &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
	}
	for _, sc := range subcommands {
		sub := &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: sc.name, Description: sc.description,
		}
		for _, o := range sc.options {
			opt := &discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionString, Name: o.name, Description: o.description,
				Required: o.required, Autocomplete: o.autocomplete, MaxLength: o.maxLen,
			}
			if o.minLen > 0 {
				opt.MinLength = &o.minLen
			}
			for _, c := range o.choices {
				opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c, Value: c})
			}
			sub.Options = append(sub.Options, opt)
		}
		cmd.Options = append(cmd.Options, sub)
	}
	return []*discordgo.ApplicationCommand{cmd}
}

// RegisterCommands replaces the application's commands with /forum, by
// bulk overwrite: on the configured server when Config.GuildID is set (the
// change shows at once), globally otherwise. Listen calls it on connecting.
func (c *Chat) RegisterCommands(ctx context.Context) error {
	endpoint := discordgo.EndpointApplicationGlobalCommands(c.cfg.ApplicationID)
	if c.cfg.GuildID != "" {
		endpoint = discordgo.EndpointApplicationGuildCommands(c.cfg.ApplicationID, c.cfg.GuildID)
	}
	err := c.call(ctx, endpoint, func(opts ...discordgo.RequestOption) error {
		_, err := c.session.ApplicationCommandBulkOverwrite(c.cfg.ApplicationID, c.cfg.GuildID, Commands(), opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("discord: register /%s: %w", CommandName, err)
	}
	return nil
}

// commandText turns a /forum invocation back into the text of
// bot.ParseCommand, e.g. "status C3" or "digest all 2026-11".
func commandText(data discordgo.ApplicationCommandInteractionData) (string, error) {
	if data.Name != CommandName || len(data.Options) != 1 {
		return "", bot.Errorf(bot.EINVALID, "unknown command /%s", data.Name)
	}
	given := data.Options[0]
	for _, sc := range subcommands {
		if sc.name != given.Name {
			continue
		}
		words := []string{sc.name}
		for _, o := range sc.options {
			if v := optionValue(given.Options, o.name); v != "" {
				words = append(words, v)
			}
		}
		return strings.Join(words, " "), nil
	}
	return "", bot.Errorf(bot.EINVALID, "unknown subcommand /%s %s", data.Name, given.Name)
}

// optionValue returns the named option's value as one line of words.
func optionValue(opts []*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	for _, o := range opts {
		if o.Name == name {
			return strings.Join(strings.Fields(fmt.Sprint(o.Value)), " ")
		}
	}
	return ""
}

// focused returns the option being typed in an autocomplete interaction.
func focused(data discordgo.ApplicationCommandInteractionData) (name, typed string, ok bool) {
	for _, sub := range data.Options {
		for _, o := range sub.Options {
			if o.Focused {
				return o.Name, fmt.Sprint(o.Value), true
			}
		}
	}
	return "", "", false
}
