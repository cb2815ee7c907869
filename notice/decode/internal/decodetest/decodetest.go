// Package decodetest serves the tests of the notice decoders: it builds the
// files they read (ZIP packages, Word documents with a set of test styles
// and list numberings, the WordprocessingML of paragraphs and runs, Excel
// workbooks, and files built to exhaust a reader), and measures the bytes a
// piece of work allocates.
package decodetest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// WordNS declares the namespaces a test document uses.
const WordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml"`

// Zip writes files (name → content) into a ZIP archive, in order.
func Zip(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := newZipWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// newZipWriter returns a ZIP writer that compresses at flate's best speed:
// the tests build archives of tens of megabytes.
func newZipWriter(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	return zw
}

// Docx builds a .docx whose body is body, with the test styles and
// numbering and a footer part that must never be read.
func Docx(t testing.TB, body string) []byte {
	t.Helper()
	return Zip(t,
		[2]string{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		[2]string{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + WordNS + `><w:body>` + body + `</w:body></w:document>`},
		[2]string{"word/styles.xml", Styles},
		[2]string{"word/numbering.xml", Numbering},
		[2]string{"word/footer1.xml", `<w:ftr ` + WordNS + `><w:p><w:r><w:t>— 1 —</w:t></w:r></w:p></w:ftr>`},
	)
}

// Styles are styles as Chinese Word writes them: heading styles with
// ids "1", "2" named "heading 1", "heading 2".
const Styles = `<?xml version="1.0" encoding="UTF-8"?><w:styles ` + WordNS + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="3"><w:name w:val="标题 3"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="Outline4"><w:name w:val="我的标题"/><w:pPr><w:outlineLvl w:val="3"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Derived"><w:name w:val="派生标题"/><w:basedOn w:val="2"/></w:style>
<w:style w:type="paragraph" w:styleId="BoldPara"><w:name w:val="加粗段落"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="ListNumbered"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Plain"><w:name w:val="Plain"/><w:rPr><w:b w:val="0"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr></w:tblStylePr></w:style>
</w:styles>`

// Numbering defines the lists of the test documents: numId 1 counts 一、
// （一） 1. ▲ and none by level, 2 circles from ⑨, 3 restarts 1 at 五.
const Numbering = `<?xml version="1.0" encoding="UTF-8"?><w:numbering ` + WordNS + `>
<w:abstractNum w:abstractNumId="10">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
 <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="▲"/></w:lvl>
 <w:lvl w:ilvl="4"><w:start w:val="1"/><w:numFmt w:val="none"/><w:lvlText w:val=""/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="20">
 <w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%1"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>`

// P is a paragraph of runs.
func P(runs string) string { return "<w:p>" + runs + "</w:p>" }

// R is a run of text.
func R(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

// RB is a run of bold text.
func RB(text string) string { return `<w:r><w:rPr><w:b/></w:rPr><w:t>` + text + `</w:t></w:r>` }

// PS is a paragraph of runs in a paragraph style.
func PS(style, runs string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>` + runs + `</w:p>`
}

// Xlsx builds a workbook with excelize: build fills it (its first sheet is
// Sheet1) and the workbook is returned as the bytes of an .xlsx file.
func Xlsx(t testing.TB, build func(f *excelize.File) error) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := build(f); err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// DocxBomb builds a .docx whose word/document.xml inflates to about size
// bytes of paragraphs of short bold runs, their text drawn at random from
// sixteen hanzi so that it compresses about as far as real documents do
// (60 MB to 8 MB), not as a block of one repeated byte would. It is written
// straight into the archive, so building it holds no more than the result.
func DocxBomb(t testing.TB, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf) // compressed as Word would, to 8 MB for 60 MB
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	hanzi := []rune("经济发展社会民生城市建设产业升级")
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document ` + WordNS + `><w:body>`)
	for n := b.Len(); n < size; {
		b.WriteString("<w:p>")
		for range 20 {
			b.WriteString(`<w:r><w:rPr><w:b/></w:rPr><w:t>`)
			for range 8 {
				b.WriteRune(hanzi[rng.IntN(len(hanzi))])
			}
			b.WriteString(`</w:t></w:r>`)
		}
		b.WriteString("</w:p>")
		n += b.Len()
		if _, err := io.WriteString(w, b.String()); err != nil {
			t.Fatal(err)
		}
		b.Reset()
	}
	io.WriteString(w, `</w:body></w:document>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Allocated returns the bytes f allocates, counted by the runtime: unlike
// elapsed time, it does not depend on the machine's load.
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Linear runs f at size n and 2n and fails when the bytes it allocated grew
// by more than three times: linear work allocates about twice, quadratic
// four times.
func Linear(t testing.TB, what string, f func(n int), n int) {
	t.Helper()
	small := Allocated(func() { f(n) })
	large := Allocated(func() { f(2 * n) })
	if ratio := float64(large) / float64(small); ratio > 3 {
		t.Errorf("%s allocated %d bytes for n and %d for 2n (×%.1f), want about ×2", what, small, large, ratio)
	}
}

// TaskTable fills a sheet as offices lay out a task table: a title merged
// across, a header over two rows, an action and a focus area as rows merged
// across, tasks with line breaks in their cells, and a hidden row.
func TaskTable(f *excelize.File, sheet string) error {
	cells := map[string]any{
		"A1": "重点任务分解表",
		"A2": "序号", "B2": "任务内容", "C2": "牵头领导", "D2": "责任分工", "F2": "完成时限",
		"D3": "牵头单位", "E3": "责任单位",
		"A4": "一、经济发展",
		"A5": "加快项目建设。",
		"A6": 1, "B6": "新增城镇就业3万人；\n开展职业技能培训", "C6": "张三", "D6": "区人社局", "E6": "区财政局\r\n  各街道办事处  ", "F6": "2024年12月底",
		"A7": 2, "B7": "隐藏的行",
		"A8": 3, "B8": "　推进重点项目\n\n", "D8": "区发改局",
	}
	for cell, v := range cells {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			return err
		}
	}
	for _, m := range [][2]string{{"A1", "F1"}, {"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "E2"}, {"F2", "F3"}, {"A4", "F4"}, {"A5", "F5"}} {
		if err := f.MergeCell(sheet, m[0], m[1]); err != nil {
			return err
		}
	}
	return f.SetRowVisible(sheet, 7, false)
}

// OLE is a file in the old Office container (an OLE2 compound file) as far
// as the decoders look at it: the signature, a header, and the UTF-16 names
// of the streams given.
func OLE(streams ...string) []byte {
	b := []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	b = append(b, make([]byte, 504)...)
	for _, s := range streams {
		for i := 0; i < len(s); i++ {
			b = append(b, s[i], 0)
		}
		b = append(b, 0, 0)
	}
	return b
}
