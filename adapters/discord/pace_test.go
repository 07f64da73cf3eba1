package discord_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"forumbot/adapters/discord"
	"forumbot/bot"
)

// TestPaceKeepsUnderTheGlobalLimit: direct messages to 40 people never
// written to (80 requests: each DM opened, then the message), sent four
// at a time as serve's sender does, through a fake that enforces
// Discord's global limit of 50 requests a second. At the adapter's
// default pace none is refused; with the pace raised to 1,000 a second
// some are (so the fake's limit is real and the pace is what keeps under
// it), and the adapter waits them out. Either way each person holds the
// message once.
func TestPaceKeepsUnderTheGlobalLimit(t *testing.T) {
	for _, tc := range []struct {
		name      string
		perSecond float64
		refused   bool
	}{
		{"Default", 0, false},
		{"AboveTheLimit", 1000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			t.Cleanup(f.Close)
			people := make([]string, 40)
			for i := range people {
				people[i] = f.addUser(fmt.Sprintf("paced%d", i))
			}
			f.mu.Lock()
			f.pace = newFakePace()
			f.mu.Unlock()
			chat := newChat(t, f, discord.Config{RequestsPerSecond: tc.perSecond})

			ctx := context.Background()
			next := make(chan string)
			errs := make(chan error, len(people))
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					for id := range next {
						out := bot.Outgoing{To: bot.Address("discord:" + id), Key: "pace/" + id, Message: note("paced " + id)}
						if _, err := chat.Send(ctx, out); err != nil {
							errs <- fmt.Errorf("send to %s: %w", id, err)
						}
					}
				})
			}
			for _, id := range people {
				next <- id
			}
			close(next)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}

			if global := f.pace.refusals()["global"]; (global > 0) != tc.refused {
				t.Errorf("%d requests refused for the global limit; want refusals: %v", global, tc.refused)
			}
			for _, id := range people {
				if n := len(f.Held(bot.Address("discord:" + id))); n != 1 {
					t.Errorf("%s holds %d messages, want 1", id, n)
				}
			}
		})
	}
}
