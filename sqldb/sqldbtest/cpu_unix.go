//go:build unix

package sqldbtest

import (
	"syscall"
	"time"
)

// CPU returns the CPU time the process has used so far, user and system.
func CPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
