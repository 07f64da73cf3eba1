package config

import (
	"encoding/hex"
	"regexp"
	"strings"
)

// Where Discord sends interactions (discord.interactions).
const (
	DiscordGateway  = "gateway"
	DiscordEndpoint = "endpoint"
)

// DefaultInteractionsPath is where the Interactions Endpoint URL is
// served on the HTTP listener unless discord.interactions_path says
// otherwise.
const DefaultInteractionsPath = "/discord/interactions"

// interactionsPathRE is a path the HTTP listener can serve as written:
// segments of letters, digits and - . _ ~.
var interactionsPathRE = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)

// listenerRoutes are the routes of the HTTP listener that no configured
// path may take: its own, Slack's and the e-mail form's. The site may not
// take Discord's interactions endpoint either (siteReserved).
var listenerRoutes = []string{"/healthz", "/readyz", "/metrics", "/slack", "/email"}

// routeTaken returns the route of routes that path is or is under, or "".
func routeTaken(path string, routes []string) string {
	for _, r := range routes {
		if path == r || strings.HasPrefix(path, r+"/") {
			return r
		}
	}
	return ""
}

// discordInteractions checks discord.interactions, public_key and
// interactions_path, and fills in their defaults.
func (v *validator) discordInteractions(d *DiscordConfig) {
	switch d.Interactions {
	case "":
		d.Interactions = DiscordGateway
	case DiscordGateway, DiscordEndpoint:
	default:
		v.errorf("discord.interactions", "%q is not a mode (want gateway, the default, or endpoint for the Interactions Endpoint URL on the HTTP listener)", d.Interactions)
		return
	}
	if d.Interactions == DiscordGateway {
		if d.PublicKey != "" {
			v.warnf("discord.public_key", "is used only with interactions: endpoint; it is ignored over the gateway")
		}
		if d.InteractionsPath != "" {
			v.warnf("discord.interactions_path", "is used only with interactions: endpoint; it is ignored over the gateway")
		}
		return
	}
	if d.InteractionsPath == "" {
		d.InteractionsPath = DefaultInteractionsPath
	} else if !interactionsPathRE.MatchString(d.InteractionsPath) {
		v.errorf("discord.interactions_path", "%q is not a path (want e.g. %s: segments of letters, digits and - . _ ~, each after a /)", d.InteractionsPath, DefaultInteractionsPath)
	} else {
		if r := routeTaken(d.InteractionsPath, listenerRoutes); r != "" {
			v.errorf("discord.interactions_path", "%q is taken by the listener's %s (want another path, e.g. %s)", d.InteractionsPath, r, DefaultInteractionsPath)
		}
	}
	key := strings.TrimSpace(d.PublicKey)
	switch b, err := hex.DecodeString(key); {
	case key == "":
		v.errorf("discord.public_key", "missing (want the application's public key, General Information → Public Key in the developer portal: 64 hexadecimal digits; interactions: endpoint needs it)")
	case envRef.FindString(key) == key:
		// An unset ${NAME}, reported as such.
	case err != nil:
		v.errorf("discord.public_key", "%s is not hexadecimal (want the 64 hexadecimal digits of General Information → Public Key in the developer portal)", v.shown("discord.public_key", key))
	case len(b) != 32:
		v.errorf("discord.public_key", "has %d hexadecimal digits, want 64 (General Information → Public Key in the developer portal)", len(key))
	default:
		d.PublicKey = key
	}
}
