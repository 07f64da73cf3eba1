package kit

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

// Bodies reads the bodies of signed requests (Slack's Events API,
// Discord's interactions endpoint) into memory. A body can be checked
// against its signature only once it has all arrived, so what may be read
// before a request is authenticated is bounded: how large a body may be,
// how long it may take to arrive and how many are read at once.
type Bodies struct {
	places chan struct{}
	within time.Duration
	// Reading, when set (by tests), is called once a request holds one of
	// the places and its body is about to be read.
	Reading func()
}

// NewBodies returns a reader of at most n bodies at once, each within
// the given time.
func NewBodies(n int, within time.Duration) *Bodies {
	return &Bodies{places: make(chan struct{}, n), within: within}
}

// RefuseUnread makes the answer to a request whose body is not read close
// the connection: otherwise the server would read up to 256 KiB of the
// body before answering, waiting on a client that may never send it.
func RefuseUnread(w http.ResponseWriter) { w.Header().Set("Connection", "close") }

// Read reads the body of r, a request whose cheap checks (method,
// timestamp, headers) have passed: at most limit bytes, while holding one
// of the places. It answers the request itself, and reports false, when
// it cannot: 503 with Retry-After when every place is taken, 413 for a
// body over the limit, 408 for one too slow to arrive.
func (b *Bodies) Read(w http.ResponseWriter, r *http.Request, limit int64, log *slog.Logger) ([]byte, bool) {
	if r.ContentLength > limit {
		RefuseUnread(w)
		http.Error(w, "body too large: at most "+strconv.FormatInt(limit, 10)+" bytes here", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	select {
	case b.places <- struct{}{}:
		defer func() { <-b.places }()
	default:
		log.Warn("request refused: too many bodies being read", "remote", r.RemoteAddr)
		RefuseUnread(w)
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many requests being read; retry", http.StatusServiceUnavailable)
		return nil, false
	}
	if b.Reading != nil {
		b.Reading()
	}
	// Once the time has passed, the read fails: the deadline is moved to
	// now, never later than one the server set. Not every ResponseWriter
	// can set a deadline (a test recorder); the server's timeouts apply
	// then.
	timer := time.AfterFunc(b.within, func() { http.NewResponseController(w).SetReadDeadline(time.Now()) })
	buf := bytes.NewBuffer(make([]byte, 0, max(0, min(r.ContentLength, limit))))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	timer.Stop()
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		http.Error(w, "body too large: at most "+strconv.FormatInt(limit, 10)+" bytes here", http.StatusRequestEntityTooLarge)
		return nil, false
	case err != nil:
		log.Warn("request refused: body not received", "err", err, "remote", r.RemoteAddr)
		http.Error(w, "body not received in time", http.StatusRequestTimeout)
		return nil, false
	}
	return buf.Bytes(), true
}
