package discord

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// transport sends discordgo's requests for https://discord.com/api/v9/… to
// another API base (a proxy, or a fake Discord in tests) instead. discordgo
// builds every URL from its package variables; rewriting here leaves them
// alone.
type transport struct {
	from string   // discordgo's API base, e.g. https://discord.com/api/v9/
	to   *url.URL // the configured base
	next http.RoundTripper
}

// newTransport returns next, or a rewriting transport in front of it when
// apiURL is set.
func newTransport(apiURL string, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if apiURL == "" {
		return next
	}
	to, err := url.Parse(apiURL)
	if err != nil {
		// Config validation parsed it already.
		return next
	}
	return &transport{from: discordgo.EndpointAPI, to: to, next: next}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	full := req.URL.String()
	if !strings.HasPrefix(full, t.from) {
		return t.next.RoundTrip(req)
	}
	rest, err := url.Parse(strings.TrimPrefix(full, t.from))
	if err != nil {
		return nil, err
	}
	out := req.Clone(req.Context())
	out.URL = t.to.ResolveReference(rest)
	out.Host = ""
	return t.next.RoundTrip(out)
}
