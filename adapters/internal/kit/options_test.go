package kit_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"forumbot/adapters/internal/kit"
)

func TestWithDefaults(t *testing.T) {
	got := kit.Options{}.WithDefaults("test")
	if got.Log == nil || got.MaxRateLimitWait != 3*time.Second || got.Retries != 3 || got.RetryBackoff != 250*time.Millisecond ||
		got.AckWithin != 2*time.Second || got.EventTimeout != time.Minute {
		t.Errorf("defaults: %+v", got)
	}
	set := kit.Options{MaxRateLimitWait: -1, Retries: -1, RetryBackoff: time.Millisecond, AckWithin: time.Second, EventTimeout: time.Hour}.WithDefaults("test")
	if set.MaxRateLimitWait != -1 || set.Retries != 0 || set.RetryBackoff != time.Millisecond || set.AckWithin != time.Second || set.EventTimeout != time.Hour {
		t.Errorf("set values changed: %+v", set)
	}
}

func TestLogNamesThePlatform(t *testing.T) {
	var buf bytes.Buffer
	o := kit.Options{Log: slog.New(slog.NewTextHandler(&buf, nil))}.WithDefaults("slack")
	o.Log.Info("hello")
	if !strings.Contains(buf.String(), "platform=slack") {
		t.Errorf("log line %q does not name the platform", buf.String())
	}
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   kit.Options
		want string
	}{
		{"OK", kit.Options{AckWithin: 3 * time.Second}, ""},
		{"SlowAck", kit.Options{AckWithin: 5 * time.Second}, "AckWithin:"},
		{"NegativeBackoff", kit.Options{RetryBackoff: -time.Second}, "RetryBackoff:"},
		{"NegativeTimeout", kit.Options{EventTimeout: -time.Second}, "EventTimeout:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := strings.Join(tc.in.Problems(), "; ")
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Errorf("Problems() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestEventContext: the work on an event outlives its parent's
// cancellation, keeps its values and ends after EventTimeout.
func TestEventContext(t *testing.T) {
	type key struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	cancel()
	ctx, done := kit.Options{EventTimeout: time.Hour}.EventContext(parent)
	defer done()
	if ctx.Err() != nil {
		t.Errorf("the event's context ended with its parent: %v", ctx.Err())
	}
	if ctx.Value(key{}) != "v" {
		t.Errorf("the event's context lost its parent's values")
	}
	if deadline, ok := ctx.Deadline(); !ok || time.Until(deadline) > time.Hour {
		t.Errorf("deadline %v %v, want within EventTimeout", deadline, ok)
	}
}
