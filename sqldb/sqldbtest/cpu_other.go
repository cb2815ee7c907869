//go:build !unix

package sqldbtest

import "time"

// CPU returns 0: the process's CPU time is read on Unix.
func CPU() time.Duration { return 0 }
