package slack

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// httpLimits bound what the HTTP handler reads before a request is
// authenticated: a body can be checked against its signature only once it
// has all arrived, so the handler caps how large it may be, how long it
// may take and how many are read at once.
type httpLimits struct {
	// bodies is how many request bodies are read at once; beyond it a
	// request is answered 503 with Retry-After at once, its body unread.
	bodies int
	// bodyTime is how long a body may take to arrive.
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
// places for the bodies being read.
type httpHandler struct {
	c      *Chat
	limits httpLimits
	bodies chan struct{}
}

func newHTTPHandler(c *Chat, limits httpLimits) *httpHandler {
	return &httpHandler{c: c, limits: limits, bodies: make(chan struct{}, limits.bodies)}
}

// refuseUnread makes the answer to a request whose body is not read close
// the connection: otherwise the server would read up to 256 KiB of the
// body before answering, waiting on a client that may never send it.
func refuseUnread(w http.ResponseWriter) { w.Header().Set("Connection", "close") }

// readBody reads the body of r, a request whose timestamp was checked,
// into memory: at most limit bytes, within bodyTime, while holding one of
// the bodies' places. It answers the request itself, and reports false,
// when it cannot: 503 when every place is taken, 413 for a body over the
// limit, 408 for one too slow to arrive.
func (h *httpHandler) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if r.ContentLength > limit {
		refuseUnread(w)
		http.Error(w, "body too large: at most "+strconv.FormatInt(limit, 10)+" bytes here", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	select {
	case h.bodies <- struct{}{}:
		defer func() { <-h.bodies }()
	default:
		h.c.log.Warn("request refused: too many bodies being read", "remote", r.RemoteAddr)
		refuseUnread(w)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many requests being read; retry", http.StatusServiceUnavailable)
		return nil, false
	}
	if h.limits.reading != nil {
		h.limits.reading()
	}
	// Once bodyTime has passed, the read fails: the deadline is moved to
	// now, never later than one the server set. Not every ResponseWriter
	// can set a deadline (a test recorder); the server's timeouts apply
	// then.
	timer := time.AfterFunc(h.limits.bodyTime, func() { http.NewResponseController(w).SetReadDeadline(time.Now()) })
	buf := bytes.NewBuffer(make([]byte, 0, max(0, min(r.ContentLength, limit))))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	timer.Stop()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		http.Error(w, "body too large: at most "+strconv.FormatInt(limit, 10)+" bytes here", http.StatusRequestEntityTooLarge)
		return nil, false
	case err != nil:
		h.c.log.Warn("request refused: body not received", "err", err, "remote", r.RemoteAddr)
		http.Error(w, "body not received in time", http.StatusRequestTimeout)
		return nil, false
	}
	return buf.Bytes(), true
}
