package discord

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"forumbot/bot"
)

// CommandName is the application command the adapter registers.
const CommandName = "forum"

// Commands returns the /forum application command as registered: usable
// in servers and, when registered globally, in the bot's direct messages.
// Its subcommands and options are the bot's command syntax, described in
// English and in every language of the catalogs Discord has a locale for.
func Commands() []*discordgo.ApplicationCommand {
	en, others := commandTexts()
	describe := func(cmd bot.CommandName, arg string) (string, *map[discordgo.Locale]string) {
		local := map[discordgo.Locale]string{}
		for dl, t := range others {
			local[dl] = t.Describe(cmd, arg)
		}
		return en.Describe(cmd, arg), &local
	}
	desc, local := describe("", "")
	cmd := &discordgo.ApplicationCommand{
		Name: CommandName, Type: discordgo.ChatApplicationCommand, Description: desc, DescriptionLocalizations: local,
		Contexts: &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
	}
	for _, sc := range bot.Syntaxes {
		desc, local := describe(sc.Name, "")
		sub := &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: string(sc.Name), Description: desc, DescriptionLocalizations: *local,
		}
		for _, a := range sc.Args {
			desc, local := describe(sc.Name, a.Name)
			opt := &discordgo.ApplicationCommandOption{
				Type: discordgo.ApplicationCommandOptionString, Name: a.Name, Description: desc, DescriptionLocalizations: *local,
				Required: a.Required, Autocomplete: a.Commitment, MaxLength: a.MaxLen,
			}
			if a.MinLen > 0 {
				opt.MinLength = &a.MinLen
			}
			for _, c := range a.Choices {
				opt.Choices = append(opt.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c, Value: c})
			}
			sub.Options = append(sub.Options, opt)
		}
		cmd.Options = append(cmd.Options, sub)
	}
	return []*discordgo.ApplicationCommand{cmd}
}

// commandTexts returns the English texts, and the texts of each Discord
// locale whose language has a catalog other than English's ("es-ES" and
// "es-419" from es.yaml).
func commandTexts() (bot.Texts, map[discordgo.Locale]bot.Texts) {
	catalog := bot.MustCatalog()
	others := map[discordgo.Locale]bot.Texts{}
	for dl := range discordgo.Locales {
		lang, _, _ := strings.Cut(string(dl), "-")
		if lang != "en" && slices.Contains(bot.Locales(), lang) {
			others[dl] = catalog.Texts(lang)
		}
	}
	return catalog.Texts("en"), others
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
	for _, sc := range bot.Syntaxes {
		if string(sc.Name) != given.Name {
			continue
		}
		words := []string{given.Name}
		for _, a := range sc.Args {
			if v := optionValue(given.Options, a.Name); v != "" {
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
