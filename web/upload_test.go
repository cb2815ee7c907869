package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/web"
)

// uploadRequest is a multipart form carrying a notice in its "file" field,
// as the import form and a script send it.
func uploadRequest(t *testing.T, name string, data []byte, year string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	if year != "" {
		mw.WriteField("year", year)
	}
	mw.Close()
	r := httptest.NewRequest("POST", "/api/v1/plans", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	return r
}

// TestReadNoticeUpload reads a notice sent as a form's file and as the
// whole body, and refuses with a clear message an upload whose bytes cannot
// be read or are too many.
func TestReadNoticeUpload(t *testing.T) {
	in, err := web.ReadNoticeUpload(uploadRequest(t, `C:\文件\`+demo.SampleName, demo.Sample(), "2023"))
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != demo.SampleName || !bytes.Equal(in.Data, demo.Sample()) || in.Reading.Document.Year != 2023 {
		t.Errorf("a form's file: got %q, %d bytes, year %d", in.Name, len(in.Data), in.Reading.Document.Year)
	}

	for _, c := range []struct {
		name    string
		request func(t *testing.T) *http.Request
		code    string
		message string
	}{
		{"a form's file that cannot be read", unreadableFile, duban.EINVALID, "无法读取上传的文件"},
		{"a body that cannot be read", func(t *testing.T) *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/plans?name=a.md", iotest.ErrReader(os.ErrClosed))
			r.Header.Set("Content-Type", "text/markdown")
			return r
		}, duban.EINVALID, "无法读取上传的文件"},
		{"a body over the route's bound", func(t *testing.T) *http.Request {
			r := httptest.NewRequest("POST", "/api/v1/plans?name=a.md", strings.NewReader(strings.Repeat("通知", 100)))
			r.Header.Set("Content-Type", "text/markdown")
			r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, 10)
			return r
		}, duban.ETOOLARGE, "通知文件过大"},
	} {
		_, err := web.ReadNoticeUpload(c.request(t))
		if duban.ErrorCode(err) != c.code || !strings.Contains(duban.ErrorMessage(err), c.message) {
			t.Errorf("%s: got %v (%s), want %s saying %q", c.name, err, duban.ErrorCode(err), c.code, c.message)
		}
	}
}

// unreadableFile is a form whose file was kept on disk while the form was
// read (it is larger than what is kept in memory) and cannot be read back:
// a directory stands where the file was.
func unreadableFile(t *testing.T) *http.Request {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	r := uploadRequest(t, "big.md", bytes.Repeat([]byte("通知正文。\n"), 1<<20), "")
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		t.Fatal(err)
	}
	kept, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(kept) != 1 {
		t.Fatalf("the form's file kept on disk: got %q, %v", kept, err)
	}
	if err := os.Remove(kept[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(kept[0], 0o700); err != nil {
		t.Fatal(err)
	}
	return r
}
