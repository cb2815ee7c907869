//go:build !unix

package soffice

import "os/exec"

// inGroup leaves the command as it is where process groups do not exist:
// cancelling it kills soffice alone.
func inGroup(*exec.Cmd) {}
