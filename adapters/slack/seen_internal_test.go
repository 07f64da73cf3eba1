package slack

import (
	"testing"
	"time"
)

func TestSeenSet(t *testing.T) {
	t0 := time.Date(2031, 3, 1, 9, 0, 0, 0, time.UTC)
	s := newSeenSet(3, time.Minute)
	claim := func(key string, at time.Time, want bool) {
		t.Helper()
		if _, fresh := s.claim(key, at); fresh != want {
			t.Errorf("claim(%s) at %s: fresh=%v, want %v", key, at.Sub(t0), fresh, want)
		}
	}
	claim("a", t0, true)
	claim("a", t0.Add(time.Second), false)
	claim("b", t0, true)
	claim("c", t0, true)
	claim("d", t0, true) // over max: "a" goes
	claim("a", t0, true)
	s.forget("b")
	claim("b", t0, true)
	claim("e", t0.Add(2*time.Minute), true) // past ttl: everything older goes
	claim("c", t0.Add(2*time.Minute), true)
	if n := len(s.entries); n != 2 {
		t.Errorf("%d entries kept, want 2", n)
	}
	e, _ := s.claim("c", t0.Add(2*time.Minute))
	e.setAck("first")
	e.setAck("second")
	if <-e.acked; e.ack != "first" {
		t.Errorf("ack %v, want the first", e.ack)
	}
}
