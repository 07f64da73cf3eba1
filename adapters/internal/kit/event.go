package kit

import (
	"log/slog"
	"runtime/debug"
	"time"
)

// Decide runs decide on a goroutine of its own and waits for its result.
// When decide is not done within o.AckWithin, early runs first (it
// acknowledges the event, so that the platform does not give up on it) and
// Decide then waits for decide all the same. It reports whether early ran.
// A panic in decide is recovered and logged (Guard), and gives the zero T.
func Decide[T any](o Options, decide func() T, early func()) (result T, late bool) {
	done := make(chan T, 1)
	go func() {
		var v T
		defer func() { done <- v }()
		defer Guard(o.Log, "decide")
		v = decide()
	}()
	timer := time.NewTimer(o.AckWithin)
	defer timer.Stop()
	select {
	case v := <-done:
		return v, false
	case <-timer.C:
	}
	if early != nil {
		early()
	}
	return <-done, true
}

// Guard is the adapters' last resort against a panic: deferred at the top
// of every goroutine an adapter starts for an event, it recovers a panic
// and logs it with its stack, so that nothing escapes into the client
// library's goroutines or ends the process. The engine recovers from
// panics in its own event handling and answers the person; a panic that
// reaches Guard is the adapter's own, or another Handler's.
func Guard(log *slog.Logger, where string) {
	if p := recover(); p != nil {
		log.Error("panic recovered", "in", where, "panic", p, "stack", string(debug.Stack()))
	}
}
