package sqlite_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTimer measures the process's CPU time over a benchmark's loop: on a
// shared machine it moves less than wall time when other work competes
// for the cores.
type cpuTimer struct{ start time.Duration }

func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuTimer { return cpuTimer{cpuNow()} }

// report adds cpu-µs/op for b.N operations.
func (c cpuTimer) report(b *testing.B) {
	b.ReportMetric(float64((cpuNow()-c.start).Microseconds())/float64(b.N), "cpu-µs/op")
}
