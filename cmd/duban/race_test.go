//go:build race

package main

// startWait is how long, in seconds, Start waits for a command to say it
// serves: the demonstration walks its sample's year first, some thirty
// times slower under the race detector.
const startWait = 3 * 60
