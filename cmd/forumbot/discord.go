package main

import (
	"fmt"
	"io"

	"forumbot/adapters/discord"
	"forumbot/bot/config"
)

func runDiscord(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "invite-url" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
			fmt.Fprintln(stdout, "Usage: forumbot discord invite-url --config FILE")
			return errHelp
		}
		return badInput("usage: forumbot discord invite-url --config FILE")
	}
	fs := newFlags("discord invite-url", "discord invite-url --config FILE", stdout)
	path := fs.String("config", "", "config file with a discord: section")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := loadConfig(*path, secretsUnused, stderr)
	if err != nil {
		return err
	}
	if cfg.File.Discord == nil {
		return badInput("%s has no discord: section (application_id is needed)", *path)
	}
	fmt.Fprintln(stdout, discord.InviteURL(cfg.File.Discord.ApplicationID))
	fmt.Fprintf(stdout, "Open it as a server administrator to add the bot with the permissions %d (View Channel, Send Messages, Embed Links, Read Message History) and the bot and applications.commands scopes.\n", discord.Permissions)
	if d := cfg.File.Discord; d.Interactions == config.DiscordEndpoint {
		fmt.Fprintf(stdout, "Interactions come to the Interactions Endpoint URL: start serve behind your HTTPS address, then in the developer portal set General Information → Interactions Endpoint URL to https://<your host>%s and save (Discord sends a signed PING there first; serve must be running). Until then Discord sends interactions over the gateway, where only the instance holding it answers them.\n", d.InteractionsPath)
	}
	return nil
}
