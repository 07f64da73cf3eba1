package main

import (
	"log/slog"
	"net/http"
	"time"
)

// HTTPTimeouts bound how long the bot's HTTP listener waits on a client, so
// that slow or stalled clients cannot hold connections and memory: Slack
// sends a whole request at once and reads the answer within 3 s.
type HTTPTimeouts struct {
	// ReadHeader bounds reading a request's line and headers; 5 s by
	// default.
	ReadHeader time.Duration
	// Read bounds reading a whole request, body included; 10 s by default.
	Read time.Duration
	// Write bounds the time from the end of a request's headers to the end
	// of its answer; 20 s by default (Slack's handler answers within 3 s
	// of having the body).
	Write time.Duration
	// Idle bounds how long a kept-alive connection waits for its next
	// request; 60 s by default.
	Idle time.Duration
}

// maxHeaderBytes caps a request's headers: Slack's are well under 8 KiB.
const maxHeaderBytes = 64 << 10

func (t HTTPTimeouts) withDefaults() HTTPTimeouts {
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&t.ReadHeader, 5 * time.Second}, {&t.Read, 10 * time.Second}, {&t.Write, 20 * time.Second}, {&t.Idle, 60 * time.Second}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	return t
}

// newServer returns the HTTP server of the listener, serving h within
// m.HTTPTimeouts.
func (m *Main) newServer(h http.Handler) *http.Server {
	t := m.HTTPTimeouts.withDefaults()
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
}
