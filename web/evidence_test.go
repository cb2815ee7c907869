package web_test

import (
	"archive/zip"
	"bytes"
	"mime"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// zipOf makes a zip archive of the named entries, in order; pad makes the
// first entry that large, so that the archive's first bytes say nothing of
// what follows.
func zipOf(t *testing.T, pad int, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i, name := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		body := []byte("<x/>")
		if i == 0 && pad > 0 {
			body = bytes.Repeat([]byte("a"), pad)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestSniffEvidence reads each kind of file from its content: the allowed
// ones by type, the others refused saying what they are, whatever their
// names claim.
func TestSniffEvidence(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 64)...)
	pe := append([]byte("MZ\x90\x00"), make([]byte, 200)...)
	copy(pe[0x3c:], []byte{0x80, 0, 0, 0})
	copy(pe[0x80:], []byte("PE\x00\x00"))
	for _, c := range []struct {
		name string
		data []byte
		want string // the type, or a word of the refusal
		ok   bool
	}{
		{"报告.pdf", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), "application/pdf", true},
		{"现场.png", png, "image/png", true},
		{"照片.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg", true},
		{"名单.docx", zipOf(t, 0, "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
		{"名单.docx", zipOf(t, 8000, "customXml/item1.xml", "[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
		{"台账.xlsx", zipOf(t, 8000, "docProps/app.xml", "xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
		{"公文.ofd", zipOf(t, 0, "OFD.xml", "Doc_0/Document.xml"), "application/ofd", true},
		{"旧文件.doc", append([]byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), make([]byte, 600)...), "application/", true},
		{"报告.pdf", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), "网页", false},
		{"图.png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "网页", false},
		{"说明.pdf", elf, "可执行程序", false},
		{"说明.docx", pe, "可执行程序", false},
		{"材料.zip", zipOf(t, 0, "a.txt", "b.txt"), "压缩包", false},
		{"说明.txt", []byte("只是一些文字。"), "text/plain", false},
	} {
		got, err := web.SniffEvidence(c.name, bytes.NewReader(c.data), int64(len(c.data)))
		switch {
		case c.ok && err != nil:
			t.Errorf("%s (%s): refused: %v", c.name, c.want, err)
		case c.ok && !strings.HasPrefix(got, c.want):
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		case !c.ok && err == nil:
			t.Errorf("%s (%s): taken as %q", c.name, c.want, got)
		case !c.ok && (duban.ErrorCode(err) != duban.EINVALID || !strings.Contains(duban.ErrorMessage(err), c.want) ||
			!strings.Contains(duban.ErrorMessage(err), c.name)):
			t.Errorf("%s: the refusal should name the file and say %q: %v", c.name, c.want, err)
		}
	}
}

// TestAttachment writes names into Content-Disposition so that the header
// reads back as the name, whatever it holds.
func TestAttachment(t *testing.T) {
	for _, name := range []string{"名单.pdf", `a"b.pdf`, "x\r\nSet-Cookie: y", "plain.pdf", "有 空格；分号.docx"} {
		v := web.Attachment(name)
		if strings.ContainsAny(v, "\r\n") {
			t.Errorf("%q: the header breaks: %q", name, v)
			continue
		}
		disp, params, err := mime.ParseMediaType(v)
		if err != nil || disp != "attachment" {
			t.Errorf("%q: got %q (%v), want an attachment", name, v, err)
			continue
		}
		if params["filename"] != name && !strings.ContainsAny(name, "\r\n") {
			t.Errorf("%q: reads back as %q from %q", name, params["filename"], v)
		}
	}
}
