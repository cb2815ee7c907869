//go:build !unix

package sqldbtest

import "testing"

// Unprivileged skips a test about file permissions: they are tested on
// Unix.
func Unprivileged(t *testing.T) (string, bool) {
	t.Skip("file permissions are tested on Unix")
	return "", false
}
