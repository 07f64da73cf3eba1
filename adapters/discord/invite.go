package discord

import (
	"net/url"
	"strconv"
)

// Bot permissions the adapter needs in a server, and why. Everything else
// the bot does happens in direct messages and interactions, which need no
// server permission.
const (
	// PermViewChannel lets the bot see the digest channel.
	PermViewChannel int64 = 1 << 10
	// PermSendMessages lets it post digests there.
	PermSendMessages int64 = 1 << 11
	// PermEmbedLinks makes its embeds show: digests are embeds.
	PermEmbedLinks int64 = 1 << 14
	// PermReadMessageHistory lets Delivered look for a digest it may have
	// posted before a crash, so that a resend does not duplicate it.
	PermReadMessageHistory int64 = 1 << 16

	// Permissions is the sum the invite URL asks for (84992).
	Permissions = PermViewChannel | PermSendMessages | PermEmbedLinks | PermReadMessageHistory
)

// Scopes are the OAuth2 scopes of the invite: the bot user, and the
// application commands (/forum).
const Scopes = "bot applications.commands"

// InviteURL returns the OAuth2 URL a server administrator opens to add the
// bot with exactly Permissions and Scopes.
func InviteURL(applicationID string) string {
	q := url.Values{}
	q.Set("client_id", applicationID)
	q.Set("permissions", strconv.FormatInt(Permissions, 10))
	q.Set("scope", Scopes)
	return "https://discord.com/oauth2/authorize?" + q.Encode()
}
