package discord

import (
	"context"
	"time"
)

// Update replaces a message as the edit of a response does, for tests of
// split messages.
var Update = (*Chat).update

// SetLull sets, before Listen, how long the edits wait for the events to
// pause, for how long at most, and the clock they wait by.
func SetLull(c *Chat, quiet, maxHold time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) {
	c.lull.Quiet, c.lull.MaxHold, c.lull.Now, c.lull.Sleep = quiet, maxHold, now, sleep
}
