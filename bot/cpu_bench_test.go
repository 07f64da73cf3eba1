package bot_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer measures the process's CPU time (user and system, every
// thread) over a benchmark's loop: on a shared machine it moves less than
// wall time when other work competes for the cores.
// What runs inside exclude is left out, as b.StopTimer leaves it out of
// the wall time.
type cpuTimer struct{ start, excluded time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuTimer { return cpuTimer{start: cpuNow()} }

// exclude runs fn with the benchmark's timer stopped and its CPU time
// left out.
func (c *cpuTimer) exclude(b *testing.B, fn func()) {
	b.StopTimer()
	defer b.StartTimer()
	at := cpuNow()
	fn()
	c.excluded += cpuNow() - at
}

// report adds cpu-ms/op for b.N operations.
func (c cpuTimer) report(b *testing.B) {
	b.ReportMetric(float64((cpuNow()-c.start-c.excluded).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
