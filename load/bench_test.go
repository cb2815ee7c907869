package load

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// TestServerLog keeps of the server's log its end and its first errors and
// warnings, however the writes split its lines.
func TestServerLog(t *testing.T) {
	var l serverLog
	var all strings.Builder
	for i := range 30 {
		level := []string{"INFO", "INFO", "WARN", "ERROR"}[i%4]
		all.WriteString(fmt.Sprintf("time=… level=%s msg=request n=%d\n", level, i))
	}
	for chunk := range slices.Chunk([]byte(all.String()), 7) {
		l.Write(chunk)
	}
	errs := l.Errors()
	if len(errs) != logErrors || errs[0] != "time=… level=WARN msg=request n=2" || errs[1] != "time=… level=ERROR msg=request n=3" {
		t.Errorf("errors: got %d %q, want the first %d warnings and errors", len(errs), errs, logErrors)
	}
	if !strings.HasSuffix(l.String(), "n=29\n") {
		t.Errorf("the log's end: got %q", l.String())
	}
	big := strings.Repeat("x", logTailBytes) + "end"
	l.Write([]byte(big))
	if got := l.String(); len(got) != logTailBytes || !strings.HasSuffix(got, "end") {
		t.Errorf("after a long write: kept %d bytes ending %q, want the last %d", len(got), got[len(got)-3:], logTailBytes)
	}
}

// TestKeepPace gives the bench one processor for a paced step only, and
// puts back what it had after.
func TestKeepPace(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	restore := keepPace(Step{Kind: ReadPage})
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("back to back: %d processors, want 3", got)
	}
	restore()
	restore = keepPace(Step{Kind: ReadsDuringRush, Rate: ReadRate})
	if got := runtime.GOMAXPROCS(0); got != PacedProcs {
		t.Errorf("paced: %d processors, want %d", got, PacedProcs)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Errorf("after a paced step: %d processors, want 3 back", got)
	}
}
