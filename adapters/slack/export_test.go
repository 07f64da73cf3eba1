package slack

import (
	"context"
	"net/http"
	"time"
)

// SetOnDone registers f to be told, with its event_id or trigger_id, when
// an inbound request is fully handled: acknowledged and followed up. Fakes
// wait on it instead of sleeping.
func SetOnDone(c *Chat, f func(key string)) {
	c.mu.Lock()
	c.onDone = f
	c.mu.Unlock()
}

// HTTPHandlerWithLimits is HTTPHandler reading at most bodies request
// bodies at once, each within bodyTime; reading, when not nil, is told
// each time a body starts being read.
func HTTPHandlerWithLimits(c *Chat, bodies int, bodyTime time.Duration, reading func()) http.Handler {
	return newHTTPHandler(c, httpLimits{bodies: bodies, bodyTime: bodyTime, reading: reading})
}

// SetLull sets, before Listen, how long the edits wait for the requests
// to pause, for how long at most, and the clock they wait by (nil for the
// real one).
func SetLull(c *Chat, quiet, maxHold time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) {
	c.lull.Quiet, c.lull.MaxHold, c.lull.Now, c.lull.Sleep = quiet, maxHold, now, sleep
}
