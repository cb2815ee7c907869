//go:build unix

package sqldbtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// unprivilegedDir names, in a test run as another user, the folder the
// test works in.
const unprivilegedDir = "DUBAN_TEST_UNPRIVILEGED_DIR"

// Unprivileged returns a folder for a test about file permissions, which
// the superuser ignores. Run as any other user, it returns a new temporary
// folder and true. Run as root, it runs the test again in a process of its
// own as the user nobody, with a folder nobody may write, reports that run
// as the test's result, and returns false: the caller then returns.
func Unprivileged(t *testing.T) (string, bool) {
	t.Helper()
	if dir := os.Getenv(unprivilegedDir); dir != "" {
		return dir, true
	}
	if os.Getuid() != 0 {
		return t.TempDir(), true
	}
	dir, err := os.MkdirTemp("", "duban-unprivileged-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	// The test binary is copied where nobody may run it.
	bin := filepath.Join(dir, "test.bin")
	data, err := os.ReadFile(os.Args[0])
	if err == nil {
		err = os.WriteFile(bin, data, 0o755)
	}
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(work, 0o777); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^"+t.Name()+"$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), unprivilegedDir+"="+work, "TMPDIR="+work, "HOME="+work, "GOCOVERDIR="+work)
	cmd.Dir = work
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the test run as the user nobody failed: %v\n%s", err, out)
	}
	t.Logf("run as the user nobody:\n%s", out)
	return "", false
}

// nobody is the user and group ID of nobody on Linux.
const nobody = 65534
