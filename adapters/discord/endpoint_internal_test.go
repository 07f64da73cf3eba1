package discord

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"forumbot/bot"
)

// TestExchange: the goroutine handling an interaction hands over its
// first response and is held until the handler has written it, and hears
// how that went; a second response is refused.
func TestExchange(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write error
	}{{"Written", nil}, {"Lost", errors.New("Discord stopped waiting")}} {
		t.Run(tc.name, func(t *testing.T) {
			x := newExchange()
			returned := make(chan error, 1)
			go func() { returned <- x.reply("first") }()
			if got := <-x.first; got != "first" {
				t.Fatalf("handed over %v", got)
			}
			select {
			case err := <-returned:
				t.Fatalf("reply returned (%v) before the response was written", err)
			default:
			}
			x.written(tc.write)
			if err := <-returned; !errors.Is(err, tc.write) {
				t.Errorf("reply = %v, want %v", err, tc.write)
			}
			if err := x.reply("second"); bot.ErrorCode(err) != bot.ECONFLICT {
				t.Errorf("a second response: %v, want ECONFLICT", err)
			}
		})
	}
}

// TestReplays: an interaction id is claimed once within the window, and
// again once the window has passed or it was forgotten; at most max ids
// are kept.
func TestReplays(t *testing.T) {
	now := time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)
	r := newReplays(5*time.Minute, 3)
	if !r.claim("a", now) || r.claim("a", now.Add(time.Minute)) {
		t.Fatal("a: want claimed once within the window")
	}
	if !r.claim("a", now.Add(6*time.Minute)) {
		t.Error("a after the window: want claimed again")
	}
	r.forget("a")
	if !r.claim("a", now.Add(7*time.Minute)) {
		t.Error("a forgotten: want claimed again")
	}
	for i := range 3 {
		if !r.claim(fmt.Sprint("b", i), now.Add(8*time.Minute)) {
			t.Errorf("b%d: want claimed", i)
		}
	}
	if len(r.ids) > 3 {
		t.Errorf("%d ids kept, want at most 3", len(r.ids))
	}
	if r.claim("b2", now.Add(8*time.Minute)) {
		t.Error("b2 again: want refused")
	}
}
