package decode

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
	"github.com/dubanhq/duban/notice/decode/soffice"
)

var update = flag.Bool("update", false, "rewrite the golden block dumps in testdata/golden")

func mustDecodeFile(t testing.TB, path string) []Block {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := File(filepath.Base(path), data)
	if err != nil {
		t.Fatalf("decode(%s): %v", path, err)
	}
	return bs
}

// dense returns s without white space and Markdown bold marks, for
// comparing text across formats that space it differently.
func dense(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u3000' {
			return -1
		}
		return r
	}, strings.ReplaceAll(s, "**", ""))
}

func denseAll(bs []Block) string {
	var b strings.Builder
	for _, x := range bs {
		b.WriteString(dense(x.Text))
		for _, row := range x.Rows {
			for _, c := range row {
				b.WriteString(dense(c))
			}
		}
	}
	return b.String()
}

// conversions are the sample notice in the formats other than Markdown.
var conversions = []string{"docx", "html", "gbk", "wrapped", "pdf"}

func conversionPath(t testing.TB, format string) string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("../testdata/corpus", "lixia-2022-"+format, "source.*"))
	if len(paths) != 1 {
		t.Fatalf("no source for lixia-2022-%s", format)
	}
	return paths[0]
}

// TestConversionsReadLikeMarkdown checks that the sample notice reads the
// same in every format: the same text, and where the format carries them,
// the same paragraphs, headings and bold openings.
func TestConversionsReadLikeMarkdown(t *testing.T) {
	md := mustDecodeFile(t, "../testdata/corpus/lixia-2022/source.md")
	decoded := map[string][]Block{}
	for _, f := range conversions {
		decoded[f] = mustDecodeFile(t, conversionPath(t, f))
	}
	for _, f := range conversions {
		if got, want := denseAll(decoded[f]), denseAll(md); got != want {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Errorf("%s: text differs from the Markdown's at byte %d: %q… vs %q…", f, i, got[i:min(len(got), i+60)], want[i:min(len(want), i+60)])
		}
	}
	// Word, the web page and the GBK Markdown carry paragraphs, headings
	// and bold alike: their blocks must be the same.
	docx := paraTexts(decoded["docx"])
	for _, f := range []string{"html", "gbk"} {
		if got := paraTexts(decoded[f]); !reflect.DeepEqual(got, docx) {
			t.Errorf("%s blocks differ from the docx's:\n got %q\nwant %q", f, got, docx)
		}
	}
	// The PDF and the wrapped text have their own title lines, but every
	// paragraph of the body must come out whole; the PDF keeps its bold.
	start := -1
	for i, b := range decoded["docx"] {
		if b.Heading > 0 {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatal("no heading in the docx")
	}
	for _, f := range []string{"pdf", "wrapped"} {
		paras := map[string]Block{}
		for _, b := range decoded[f] {
			paras[dense(b.Text)] = b
		}
		for _, want := range decoded["docx"][start:] {
			got, ok := paras[dense(want.Text)]
			if !ok {
				t.Errorf("%s: paragraph not found whole: %.60s…", f, want.Text)
				continue
			}
			wantBold := dense(want.Text[:want.Bold])
			if f == "wrapped" {
				wantBold = "" // plain text has no bold
			}
			if gotBold := dense(got.Text[:got.Bold]); gotBold != wantBold {
				t.Errorf("%s: bold opening %q, want %q in %.40s…", f, gotBold, wantBold, want.Text)
			}
		}
	}
}

// TestDecodeGolden compares the blocks of the sample in every format, and
// of the format fixtures, with golden files; -update rewrites them.
func TestDecodeGolden(t *testing.T) {
	paths := []string{"../testdata/corpus/lixia-2022/source.md", "testdata/table.docx"}
	for _, f := range append(conversions, "xlsx") {
		paths = append(paths, conversionPath(t, f))
	}
	for _, path := range paths {
		name := filepath.Base(filepath.Dir(path))
		if name == "testdata" {
			name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		}
		t.Run(name, func(t *testing.T) {
			got := []byte(strings.Join(block.Strings(mustDecodeFile(t, path)), "\n") + "\n")
			golden := filepath.Join("testdata/golden", name+".blocks")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (go test ./notice/decode -run TestDecodeGolden -update creates it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("blocks of %s differ from %s; review with -update and git diff", path, golden)
			}
		})
	}
}

func mustReadFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestDecodeRefuses checks the files that are no notice in a format we read:
// each gets an invalid-input error whose message says what to do.
func TestDecodeRefuses(t *testing.T) {
	ole := decodetest.OLE
	tests := []struct {
		name string
		file string
		data []byte
		want string
	}{
		{"damaged WPS file", "通知.wps", ole("Root Entry", "WordDocument"), "另存为 .docx"},
		{"password-protected docx", "通知.docx", ole("Root Entry", "EncryptionInfo", "EncryptedPackage"), "密码"},
		{"damaged legacy Excel", "分工.xls", ole("Root Entry", "Workbook"), "另存为 .xlsx"},
		{"legacy PowerPoint", "汇报.ppt", ole("Root Entry", "PowerPoint Document"), "PowerPoint"},
		{"unknown legacy Office", "附件.bin", ole("Root Entry"), "旧版 Office 文件"},
		{"pptx", "汇报.pptx", decodetest.Zip(t, [2]string{"ppt/presentation.xml", "<p/>"}), "PowerPoint"},
		{"odt", "通知.odt", mustReadFixture(t, "letter.odt"), "OpenDocument"},
		{"ofd", "通知.ofd", decodetest.Zip(t, [2]string{"OFD.xml", "<ofd:OFD/>"}), "OFD"},
		{"plain zip", "附件.zip", decodetest.Zip(t, [2]string{"通知.txt", "正文"}), "ZIP 压缩包"},
		{"broken zip", "附件.zip", []byte("PK\x03\x04 broken"), "损坏"},
		{"png", "扫描件.png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 100)...), "图片"},
		{"jpeg", "扫描件.jpg", append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, make([]byte, 100)...), "OCR"},
		{"heic", "照片.heic", append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 100)...), "图片"},
		{"gzip", "通知.txt.gz", []byte{0x1F, 0x8B, 8, 0, 0, 0, 0, 0}, "压缩包"},
		{"rar", "通知.rar", []byte("Rar!\x1a\x07\x00"), "压缩包"},
		{"rtf", "通知.rtf", []byte(`{\rtf1\ansi 通知}`), "RTF"},
		{"mht", "通知.doc", []byte("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n\r\n--x\r\n"), ".mht"},
		{"executable", "通知.exe", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 100)...), "不是文字"},
		{"binary", "data.bin", bytes.Repeat([]byte{0x00, 0x13, 0x88, 0xFE, 0x01, 0x7F}, 50), "不是文字"},
		{"undecodable text", "通知.txt", bytes.Repeat([]byte("\x80\x81\xfe\xff\xa0\x30 "), 30), "编码"},
		{"scanned PDF", "扫描件.pdf", mustReadFixture(t, "scanned.pdf"), "文字识别（OCR）"},
		{"encrypted PDF", "加密.pdf", mustReadFixture(t, "encrypted.pdf"), "密码"},
		{"damaged PDF", "损坏.pdf", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), "已损坏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := File(tt.file, tt.data)
			if err == nil {
				t.Fatalf("decode = %q, want an error", block.Strings(got))
			}
			var de *duban.Error
			if !errors.As(err, &de) || de.Code != duban.EINVALID {
				t.Fatalf("error = %v, want a duban.Error with code invalid", err)
			}
			if !strings.Contains(de.Message, tt.want) {
				t.Errorf("message = %q, want it to contain %q", de.Message, tt.want)
			}
		})
	}
}

// TestDecodeWithoutPdftotext checks the message that tells the
// administrator which package to install.
func TestDecodeWithoutPdftotext(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := File("通知.pdf", mustReadFixture(t, "scanned.pdf"))
	want := "读取 PDF 需要 pdftotext：请安装 poppler-utils（sudo apt-get install poppler-utils）"
	if duban.ErrorMessage(err) != want {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// needSoffice skips a test when LibreOffice is not installed, except in
// CI, which installs it so that the old formats are tested: there the test
// fails.
func needSoffice(t *testing.T) {
	t.Helper()
	if _, err := soffice.Binary(soffice.Docx); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI must test the LibreOffice path, and soffice is missing: %v", err)
		}
		t.Skip("LibreOffice (soffice) is not installed")
	}
}

// TestDecodeLegacy reads the old Office formats through LibreOffice, told
// by their content whatever the name says.
func TestDecodeLegacy(t *testing.T) {
	needSoffice(t)
	want := []string{"**关于印发2024年重点工作分工的通知**", "#一、经济发展", "**稳定增长。**全年地区生产总值增长6%左右。（牵头单位：区发展和改革局，责任单位：区统计局）"}
	for _, name := range []string{"通知.doc", "通知.wps", "附件.bin"} {
		bs, err := File(name, mustReadFixture(t, "legacy.doc"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := paraTexts(bs); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: blocks = %q, want %q", name, got, want)
		}
	}
	bs, err := File("分工.dat", mustReadFixture(t, "../../testdata/corpus/lixia-2022-xls/source.xls"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Kind != Table || bs[1].Kind != Table {
		t.Errorf("blocks of the .xls = %q, want two tables", block.Strings(bs))
	}
}

// TestDecodeWithoutSoffice checks the message that tells the administrator
// which package to install.
func TestDecodeWithoutSoffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := File("通知.doc", mustReadFixture(t, "legacy.doc"))
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, "sudo apt-get install libreoffice-writer-nogui") || !strings.Contains(msg, "另存为 .docx") {
		t.Errorf("error = %v, want a message naming libreoffice-writer-nogui", err)
	}
	_, err = File("分工.xls", mustReadFixture(t, "../../testdata/corpus/lixia-2022-xls/source.xls"))
	if msg := duban.ErrorMessage(err); !strings.Contains(msg, "sudo apt-get install libreoffice-calc-nogui") || !strings.Contains(msg, "另存为 .xlsx") {
		t.Errorf("error = %v, want a message naming libreoffice-calc-nogui", err)
	}
}

// TestDecodeByContent checks that the content decides the format, whatever
// the name says.
func TestDecodeByContent(t *testing.T) {
	page := []byte("\ufeff  <!DOCTYPE html><html><body><div class=\"content\"><p><b>加粗。</b>网页正文</p></div></body></html>")
	docx := decodetest.Docx(t, decodetest.P(decodetest.RB("加粗。")+decodetest.R("文档正文")))
	tests := []struct {
		name, file string
		data       []byte
		want       []string
	}{
		{"web page saved as .doc", "通知.doc", page, []string{"**加粗。**网页正文"}},
		{"web page without doctype", "通知.txt", []byte("<html><body><p>正文</p></body></html>"), []string{"正文"}},
		{"fragment opening with a div", "通知.txt", []byte("<div><p>正文一</p><p>正文二</p></div>"), []string{"正文一", "正文二"}},
		{"Word named .zip", "通知.zip", docx, []string{"**加粗。**文档正文"}},
		{"text named .docx", "通知.docx", []byte("**加粗。**文本正文\n"), []string{"**加粗。**文本正文"}},
		{"text named .pdf", "通知.pdf", []byte("一、总体要求\n正文\n"), []string{"一、总体要求", "正文"}},
		{"Markdown with an angle bracket", "通知.md", []byte("<附件>不是标签\n"), []string{"<附件>不是标签"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, err := File(tt.file, tt.data)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if got := paraTexts(bs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("blocks = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestCheckTextLayer checks how an empty or garbled text layer is told.
func TestCheckTextLayer(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // part of the message, "" for no error
	}{
		{"text", strings.Repeat("新增城镇就业3万人（牵头单位：区人社局）\n", 3) + "\f", ""},
		{"scanned pages", "\f\f\f  \f", "OCR"},
		{"a page number per page only", "1\f2\f3\f", "OCR"},
		{"glyphs without a Unicode map", strings.Repeat("\ue001\ue002\ue003\ue004 ", 40) + "\f", "字体缺少编码信息"},
	}
	for _, tt := range tests {
		err := checkTextLayer([]byte(tt.text))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: checkTextLayer = %v, want nil", tt.name, err)
		case tt.want != "" && !strings.Contains(duban.ErrorMessage(err), tt.want):
			t.Errorf("%s: checkTextLayer = %v, want a message with %q", tt.name, err, tt.want)
		}
	}
}

// FuzzDecode feeds the format decoders arbitrary bytes, seeded with every
// fixture: an error must carry a message, blocks must be well formed, and
// nothing may panic or hang. It runs without LibreOffice: a conversion
// takes seconds, and what LibreOffice writes is read by the docx and xlsx
// readers, which are fuzzed here and on their own.
func FuzzDecode(f *testing.F) {
	bin := f.TempDir()
	for _, tool := range []string{"pdftotext", "pdftohtml"} {
		if path, err := exec.LookPath(tool); err == nil {
			if err := os.Symlink(path, filepath.Join(bin, tool)); err != nil {
				f.Fatal(err)
			}
		}
	}
	f.Setenv("PATH", bin)
	for _, glob := range []string{"../testdata/corpus/lixia-2022*/source.*", "testdata/*.*"} {
		paths, _ := filepath.Glob(glob)
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(filepath.Base(path), data)
		}
	}
	for _, seed := range []string{
		govPage(articleBody),
		"<html><body><table><tr><td colspan=999999 rowspan=99999>格</td></tr></table></body></html>",
		"第一页正文写满一行\n\n— 1 —\n\f第二页\n\n2\n",
		"\xff\xfe\x41\x00\x0a\x00",
		"PK\x05\x06" + strings.Repeat("\x00", 18),
	} {
		f.Add("seed", []byte(seed))
	}
	f.Add("分解表.xlsx", decodetest.Xlsx(f, func(x *excelize.File) error { return decodetest.TaskTable(x, "Sheet1") }))
	f.Add("通知.doc", decodetest.OLE("Root Entry", "WordDocument"))
	f.Add("seed.docx", decodetest.Docx(f, decodetest.P(decodetest.RB("加粗。")+decodetest.R("正文"))+`<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="99999"/></w:tcPr>`+decodetest.P(decodetest.R("格"))+`</w:tc></w:tr></w:tbl>`))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		bs, err := File(name, data)
		if err != nil {
			if duban.ErrorMessage(err) == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		for _, b := range bs {
			if b.Bold < 0 || b.Bold > len(b.Text) || !utf8.ValidString(b.Text) || b.Line < 0 {
				t.Fatalf("malformed block %+v", b)
			}
			if b.Bold > 0 && b.Bold < len(b.Text) && !utf8.RuneStart(b.Text[b.Bold]) {
				t.Fatalf("bold ends inside a character: %+v", b)
			}
		}
	})
}

// BenchmarkDecode decodes the sample notice in each format.
func BenchmarkDecode(b *testing.B) {
	for _, f := range append([]string{"md"}, conversions...) {
		path := "../testdata/corpus/lixia-2022/source.md"
		if f != "md" {
			path = conversionPath(b, f)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := File(filepath.Base(path), data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
