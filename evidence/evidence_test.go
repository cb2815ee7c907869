package evidence_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/evidence"
)

func mustOpen(t *testing.T, max int64) (*evidence.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "evidence")
	s, err := evidence.Open(dir, max)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, dir
}

// files lists the files kept under dir, temporary ones included.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

func TestPutOpen(t *testing.T) {
	s, dir := mustOpen(t, 1024)
	content := []byte("%PDF-1.7 招聘会名单")
	sum := sha256.Sum256(content)
	want := hex.EncodeToString(sum[:])
	ref, err := s.Put(bytes.NewReader(content), `C:\用户\..\招聘会名单.pdf`, "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	if ref.SHA256 != want || ref.Size != int64(len(content)) || ref.Name != "招聘会名单.pdf" || ref.Type != "application/pdf" {
		t.Errorf("got %+v", ref)
	}
	// The same content under another name is kept once.
	again, err := s.Put(bytes.NewReader(content), "../../etc/passwd", "application/pdf")
	if err != nil || again.SHA256 != want || again.Name != "passwd" {
		t.Errorf("again: got %+v (%v)", again, err)
	}
	if got := files(t, dir); len(got) != 1 || got[0] != filepath.Join(want[:2], want) {
		t.Errorf("files kept: got %q", got)
	}
	f, err := s.Open(want)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if b, _ := io.ReadAll(f); !bytes.Equal(b, content) {
		t.Errorf("read back %q", b)
	}
}

func TestPutRefused(t *testing.T) {
	s, dir := mustOpen(t, 2<<20)
	_, err := s.Put(bytes.NewReader(make([]byte, 2<<20+1)), "大文件.pdf", "application/pdf")
	if duban.ErrorCode(err) != duban.ETOOLARGE || !strings.Contains(duban.ErrorMessage(err), "超过 2 MB") {
		t.Errorf("too large: got %v", err)
	}
	if _, err := s.Put(bytes.NewReader(make([]byte, 2<<20)), "刚好.pdf", "application/pdf"); err != nil {
		t.Errorf("exactly the cap: %v", err)
	}
	_, err = s.Put(strings.NewReader(""), "空.pdf", "application/pdf")
	if duban.ErrorCode(err) != duban.EINVALID {
		t.Errorf("empty: got %v", err)
	}
	if got := files(t, dir); len(got) != 1 {
		t.Errorf("refused files leave nothing behind: got %q", got)
	}
	_, err = s.Open("../../etc/passwd")
	if duban.ErrorCode(err) != duban.EINVALID {
		t.Errorf("a path for a hash: got %v", err)
	}
	_, err = s.Open(strings.Repeat("0", 64))
	if duban.ErrorCode(err) != duban.ENOTFOUND {
		t.Errorf("a hash never kept: got %v", err)
	}
}

func TestSizeLabel(t *testing.T) {
	for n, want := range map[int64]string{50 << 20: "50 MB", 20 << 20: "20 MB", 1536 << 10: "1.5 MB", 512 << 10: "512 KB", 100: "100 字节"} {
		if got := evidence.SizeLabel(n); got != want {
			t.Errorf("SizeLabel(%d): got %q, want %q", n, got, want)
		}
	}
}
