package discord_test

import (
	"encoding/json"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// The fake speaks Discord's JSON with its own small types, so that it reads
// exactly what the client sent (including fields discordgo v0.29 does not
// model, such as nonce) and writes back what Discord would.

// wireComponent is any message or modal component.
type wireComponent struct {
	Type        int             `json:"type"`
	CustomID    string          `json:"custom_id,omitempty"`
	Label       string          `json:"label,omitempty"`
	Style       int             `json:"style,omitempty"`
	Placeholder string          `json:"placeholder,omitempty"`
	MinValues   *int            `json:"min_values,omitempty"`
	MaxValues   int             `json:"max_values,omitempty"`
	Options     []wireOption    `json:"options,omitempty"`
	Components  []wireComponent `json:"components,omitempty"`
	Value       string          `json:"value,omitempty"`
	Required    bool            `json:"required,omitempty"`
	MaxLength   int             `json:"max_length,omitempty"`
	URL         string          `json:"url,omitempty"`
	Disabled    bool            `json:"disabled,omitempty"`
}

// Component types and styles the fake knows.
const (
	compRow       = 1
	compButton    = 2
	compSelect    = 3
	compTextInput = 4
)

type wireOption struct {
	Label       string `json:"label"`
	Value       string `json:"value"`
	Description string `json:"description,omitempty"`
	Default     bool   `json:"default,omitempty"`
}

type wireAllowedMentions struct {
	Parse       []string `json:"parse"`
	Users       []string `json:"users,omitempty"`
	Roles       []string `json:"roles,omitempty"`
	RepliedUser bool     `json:"replied_user,omitempty"`
}

// wireMessage is a message as Discord returns it.
type wireMessage struct {
	ID               string                      `json:"id"`
	ChannelID        string                      `json:"channel_id"`
	GuildID          string                      `json:"guild_id,omitempty"`
	Author           *discordgo.User             `json:"author"`
	Content          string                      `json:"content"`
	Embeds           []*discordgo.MessageEmbed   `json:"embeds"`
	Components       []wireComponent             `json:"components"`
	Timestamp        string                      `json:"timestamp"`
	EditedTimestamp  *string                     `json:"edited_timestamp"`
	Flags            int                         `json:"flags"`
	Type             int                         `json:"type"`
	MessageReference *discordgo.MessageReference `json:"message_reference,omitempty"`
	Nonce            string                      `json:"nonce,omitempty"`
}

// messageBody is what a client sends to create or edit a message, or in an
// interaction response. Raw fields tell "absent or null" (unchanged) from
// "[]" (cleared) on edits.
type messageBody struct {
	Content          *string                     `json:"content"`
	Embeds           json.RawMessage             `json:"embeds"`
	Components       json.RawMessage             `json:"components"`
	AllowedMentions  *wireAllowedMentions        `json:"allowed_mentions"`
	Flags            int                         `json:"flags"`
	Nonce            json.RawMessage             `json:"nonce"`
	EnforceNonce     bool                        `json:"enforce_nonce"`
	MessageReference *discordgo.MessageReference `json:"message_reference"`
	// Interaction responses only.
	CustomID string                                      `json:"custom_id"`
	Title    string                                      `json:"title"`
	Choices  []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
}

// given reports whether a raw field was sent with a value.
func given(raw json.RawMessage) bool {
	return len(raw) > 0 && strings.TrimSpace(string(raw)) != "null"
}

func (b messageBody) embeds() ([]*discordgo.MessageEmbed, error) {
	var out []*discordgo.MessageEmbed
	if !given(b.Embeds) {
		return nil, nil
	}
	return out, json.Unmarshal(b.Embeds, &out)
}

func (b messageBody) components() ([]wireComponent, error) {
	var out []wireComponent
	if !given(b.Components) {
		return nil, nil
	}
	return out, json.Unmarshal(b.Components, &out)
}

func (b messageBody) nonce() string {
	var s string
	if json.Unmarshal(b.Nonce, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(b.Nonce))
}

// interactionCallback is the body of POST /interactions/{id}/{token}/callback.
type interactionCallback struct {
	Type int         `json:"type"`
	Data messageBody `json:"data"`
}

// commandOption is an option of an application command, as registered.
type commandOption struct {
	Type         int               `json:"type"`
	Name         string            `json:"name"`
	Description  string            `json:"description"`
	Localized    map[string]string `json:"description_localizations"`
	Required     bool              `json:"required"`
	Autocomplete bool              `json:"autocomplete"`
	Options      []commandOption   `json:"options"`
	Choices      []struct {
		Name  string `json:"name"`
		Value any    `json:"value"`
	} `json:"choices"`
}

// command is an application command, as registered.
type command struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Localized   map[string]string `json:"description_localizations"`
	Type        int               `json:"type"`
	Contexts    []int             `json:"contexts"`
	Options     []commandOption   `json:"options"`
}

// subcommand returns the registered subcommand name of c.
func (c command) subcommand(name string) (commandOption, bool) {
	for _, o := range c.Options {
		if o.Name == name && o.Type == 1 {
			return o, true
		}
	}
	return commandOption{}, false
}

// each calls fn on every component of a message, rows included.
func each(comps []wireComponent, fn func(*wireComponent)) {
	for i := range comps {
		fn(&comps[i])
		each(comps[i].Components, fn)
	}
}
