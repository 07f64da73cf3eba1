package discord_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"forumbot/adapters/chattest"
	"forumbot/bot"
)

// registered returns /forum as the bot last registered it, preferring the
// guild's registration. The adapter registers it once connected, so a
// command typed right after the connection waits for the registration.
func (f *fakeDiscord) registered() (command, error) {
	select {
	case <-f.registeredCh:
	case <-time.After(5 * time.Second):
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, scope := range []string{f.guild, "global"} {
		for _, c := range f.commands[scope] {
			if c.Name == "forum" {
				return c, nil
			}
		}
	}
	return command{}, errors.New("/forum is not registered")
}

// registrations returns the bulk overwrites so far (by scope) and the
// commands each scope holds.
func (f *fakeDiscord) registrations() ([]string, map[string][]command) {
	f.mu.Lock()
	defer f.mu.Unlock()
	cmds := map[string][]command{}
	for k, v := range f.commands {
		cmds[k] = v
	}
	return append([]string(nil), f.overwrites...), cmds
}

// commandData types text into /forum's options the way a person fills
// them in: the subcommand, then each word in the next option, the last
// option taking the rest.
func (f *fakeDiscord) commandData(text string, focus string) (map[string]any, error) {
	cmd, err := f.registered()
	if err != nil {
		return nil, err
	}
	words := strings.Fields(text)
	if len(words) == 0 {
		words = []string{"help"}
	}
	sub, ok := cmd.subcommand(words[0])
	if !ok {
		return nil, fmt.Errorf("/forum has no subcommand %q", words[0])
	}
	args := words[1:]
	var opts []map[string]any
	for i, o := range sub.Options {
		if len(args) == 0 {
			break
		}
		value := args[0]
		args = args[1:]
		if i == len(sub.Options)-1 && len(args) > 0 {
			value += " " + strings.Join(args, " ")
			args = nil
		}
		if len(o.Choices) > 0 && !hasChoice(o, value) {
			return nil, fmt.Errorf("option %s offers no choice %q", o.Name, value)
		}
		opt := map[string]any{"name": o.Name, "type": o.Type, "value": value}
		if o.Name == focus {
			opt["focused"] = true
		}
		opts = append(opts, opt)
	}
	if len(args) > 0 {
		return nil, fmt.Errorf("/forum %s takes no more options for %q", sub.Name, args)
	}
	return map[string]any{
		"id": "1180000000000000099", "name": cmd.Name, "type": 1,
		"options": []map[string]any{{"name": sub.Name, "type": 1, "options": opts}},
	}, nil
}

func hasChoice(o commandOption, value string) bool {
	for _, c := range o.Choices {
		if fmt.Sprint(c.Value) == value {
			return true
		}
	}
	return false
}

// Command implements chattest.Fake: /forum in the person's DM with the bot.
func (f *fakeDiscord) Command(ctx context.Context, who bot.Address, text string) (chattest.Seen, error) {
	return f.command(ctx, who.ID(), text, false)
}

// command runs /forum in the DM, or in the server's channel when guild.
func (f *fakeDiscord) command(ctx context.Context, user, text string, guild bool) (chattest.Seen, error) {
	data, err := f.commandData(text, "")
	if err != nil {
		return chattest.Seen{}, err
	}
	channel := f.digestChannel
	if !guild {
		f.mu.Lock()
		channel = f.dm(user).id
		f.mu.Unlock()
	}
	res, err := f.await(ctx, f.interact(user, channel, 2, data, nil, guild))
	if err != nil {
		return chattest.Seen{}, err
	}
	if res.kind == 9 {
		return f.seenForm(&fakeForm{user: user, channel: channel, modal: &res.modal}), nil
	}
	return f.seen(res.msg, nil), nil
}

// autocomplete types text into /forum's options, the option focus being
// typed, and returns the suggestions.
func (f *fakeDiscord) autocomplete(ctx context.Context, user, text, focus string) ([]*discordgo.ApplicationCommandOptionChoice, error) {
	data, err := f.commandData(text, focus)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	channel := f.dm(user).id
	f.mu.Unlock()
	res, err := f.await(ctx, f.interact(user, channel, 4, data, nil, false))
	if err != nil {
		return nil, err
	}
	if res.kind != 8 {
		return nil, fmt.Errorf("autocomplete answered with type %d", res.kind)
	}
	return res.choices, nil
}
