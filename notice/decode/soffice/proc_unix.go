//go:build unix

package soffice

import (
	"os/exec"
	"syscall"
)

// inGroup runs the command in a process group of its own and kills the
// whole group when the command is cancelled: soffice is a script that
// starts soffice.bin, which must not outlive a timeout.
func inGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
