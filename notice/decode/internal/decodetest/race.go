//go:build race

package decodetest

// Race is set when the race detector is on; tests that build and read
// tens of megabytes skip then, as they run without it too.
const Race = true
