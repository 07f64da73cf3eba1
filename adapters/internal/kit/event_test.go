package kit_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"forumbot/adapters/internal/kit"
)

// TestDecideInTime: a quick decision is returned as is and nothing is
// acknowledged early.
func TestDecideInTime(t *testing.T) {
	o := quiet()
	o.AckWithin = time.Hour
	got, late := kit.Decide(o, func() string { return "answer" }, func() { t.Error("acknowledged early") })
	if got != "answer" || late {
		t.Errorf("Decide = %q, %v; want the answer, in time", got, late)
	}
}

// TestDecideLate: a slow decision is acknowledged early, before it ends,
// and its result still returned.
func TestDecideLate(t *testing.T) {
	o := quiet()
	o.AckWithin = time.Millisecond
	acked := make(chan struct{})
	got, late := kit.Decide(o, func() string {
		<-acked // the decision waits until the early acknowledgement went out
		return "answer"
	}, func() { close(acked) })
	if got != "answer" || !late {
		t.Errorf("Decide = %q, %v; want the answer, late", got, late)
	}
}

// TestDecidePanics: a panic in the decision is logged with its stack and
// gives the zero value; nothing escapes.
func TestDecidePanics(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	o := kit.Options{Log: slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil)), AckWithin: time.Hour}.WithDefaults("test")
	got, late := kit.Decide(o, func() string { panic("boom") }, nil)
	if got != "" || late {
		t.Errorf("Decide = %q, %v; want the zero value, in time", got, late)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, want := range []string{"panic recovered", "boom", "event_test.go"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestGuard: a goroutine that defers Guard ends quietly when it panics.
func TestGuard(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(lockedWriter{&mu, &buf}, nil))
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer kit.Guard(log, "test")
		panic("the handler broke")
	}()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(buf.String(), "in=test") || !strings.Contains(buf.String(), "the handler broke") {
		t.Errorf("the log does not tell the panic:\n%s", buf.String())
	}
}

type lockedWriter struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
