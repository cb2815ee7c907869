//go:build !race

package main

// startWait is how long, in seconds, Start waits for a command to say it
// serves.
const startWait = 30
