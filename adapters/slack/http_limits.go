package slack

import (
	"net/http"
	"time"

	"forumbot/adapters/internal/kit"
)

// httpLimits bound what the HTTP handler reads before a request is
// authenticated (kit.Bodies): how many bodies are read at once (beyond it
// a request is answered 503 with Retry-After at once, its body unread)
// and how long a body may take to arrive.
type httpLimits struct {
	bodies   int
	bodyTime time.Duration
	// reading, when set (by tests), is called once a request holds one of
	// the bodies' places and its body is about to be read.
	reading func()
}

// defaultHTTPLimits: 32 bodies of at most 1 MiB are 32 MiB at most, and
// Slack sends a whole request in well under a second.
var defaultHTTPLimits = httpLimits{bodies: 32, bodyTime: 10 * time.Second}

// Body limits by Request URL, sized to what Slack sends there: a slash
// command is a short form; an event carries a message of at most 40,000
// characters, with its blocks; an interaction carries the message or the
// modal it came from, form-encoded. A URL that serves all three (the
// handler tells them apart by content) takes the largest.
const (
	maxCommandBody     = 128 << 10
	maxEventBody       = 512 << 10
	maxInteractionBody = 1 << 20
)

// bodyLimit is the largest body accepted on path.
func bodyLimit(path string) int64 {
	switch path {
	case "/slack/commands":
		return maxCommandBody
	case "/slack/events":
		return maxEventBody
	}
	return maxInteractionBody
}

// httpHandler is the handler HTTPHandler returns: the adapter and the
// reader of the bodies.
type httpHandler struct {
	c      *Chat
	bodies *kit.Bodies
}

func newHTTPHandler(c *Chat, limits httpLimits) *httpHandler {
	b := kit.NewBodies(limits.bodies, limits.bodyTime)
	b.Reading = limits.reading
	return &httpHandler{c: c, bodies: b}
}

// readBody reads the body of r, a request whose timestamp was checked,
// within the limits (kit.Bodies.Read). It answers the request itself, and
// reports false, when it cannot.
func (h *httpHandler) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	return h.bodies.Read(w, r, limit, h.c.log)
}
