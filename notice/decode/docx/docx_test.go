package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
	"github.com/dubanhq/duban/notice/decode/ooxml"
)

// Short names for the WordprocessingML builders, so that test cases read
// as the document they describe.
var (
	p, r, rb = decodetest.P, decodetest.R, decodetest.RB
	ps       = decodetest.PS
	wordNS   = decodetest.WordNS
)

// TestDocxParagraphs checks what a Word paragraph becomes: its text, the
// bold run that opens it, its heading level, and where line breaks split it.
func TestDocxParagraphs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"bold opening", p(rb("加快放大政策集成强效应。") + r("坚持把用足政策作为第一保障。")),
			[]string{"1|h0|加快放大政策集成强效应。|坚持把用足政策作为第一保障。"}},
		{"bold off by val 0", p(`<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>不加粗。</w:t></w:r>` + r("正文")),
			[]string{"1|h0||不加粗。正文"}},
		{"bold off by val false in a bold paragraph style", ps("BoldPara", `<w:r><w:rPr><w:b w:val="false"/></w:rPr><w:t>不加粗。</w:t></w:r>`+r("正文")),
			[]string{"1|h0||不加粗。正文"}},
		{"bold from the paragraph style", ps("BoldPara", r("整段加粗。")),
			[]string{"1|h0|整段加粗。|"}},
		{"complex-script bold only", p(`<w:r><w:rPr><w:bCs/></w:rPr><w:t>加粗。</w:t></w:r>` + r("正文")),
			[]string{"1|h0|加粗。|正文"}},
		{"bold from the character style", p(`<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>加粗。</w:t></w:r>` + r("正文")),
			[]string{"1|h0|加粗。|正文"}},
		{"plain character style in a bold paragraph style", ps("BoldPara", `<w:r><w:rPr><w:rStyle w:val="Plain"/></w:rPr><w:t>不加粗。</w:t></w:r>`+r("正文")),
			[]string{"1|h0||不加粗。正文"}},
		{"indent before the bold opening", p(r("　　") + rb("加快释放城市发展新空间。") + r("坚持。")),
			[]string{"1|h0|加快释放城市发展新空间。|坚持。"}},
		{"bold split over runs", p(rb("加快") + rb("释放。") + r("坚持。") + rb("中间加粗")),
			[]string{"1|h0|加快释放。|坚持。中间加粗"}},
		{"heading 1 by name, bold by style", ps("1", r("一、总体要求")), []string{"1|h1|一、总体要求|"}},
		{"heading 2 by name", ps("2", r("（一）稳定增长")), []string{"1|h2||（一）稳定增长"}},
		{"Chinese heading name", ps("3", r("标题三")), []string{"1|h3||标题三"}},
		{"outline level in the style", ps("Outline4", r("大纲四级")), []string{"1|h4||大纲四级"}},
		{"outline level from the base style", ps("Derived", r("派生")), []string{"1|h2||派生"}},
		{"outline level in the paragraph", `<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr>` + r("三级") + `</w:p>`, []string{"1|h3||三级"}},
		{"body-text outline level overrides the style", `<w:p><w:pPr><w:pStyle w:val="2"/><w:outlineLvl w:val="9"/></w:pPr>` + r("正文级别") + `</w:p>`, []string{"1|h0||正文级别"}},
		{"content control", `<w:sdt><w:sdtPr><w:alias w:val="标题"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent>` + p(r("控件里的段落")) + `</w:sdtContent></w:sdt>`,
			[]string{"1|h0||控件里的段落"}},
		{"revisions", p(r("保留") + `<w:del><w:r><w:delText>删除的</w:delText></w:r></w:del><w:ins><w:r><w:t>插入的</w:t></w:r></w:ins>` +
			`<w:moveFrom><w:r><w:t>移走的</w:t></w:r></w:moveFrom>`),
			[]string{"1|h0||保留插入的"}},
		{"field code skipped, result kept", p(r("第") + `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
			`<w:r><w:fldChar w:fldCharType="separate"/></w:r>` + r("3") + `<w:r><w:fldChar w:fldCharType="end"/></w:r>` + r("页")),
			[]string{"1|h0||第3页"}},
		{"tab", p(`<w:r><w:t>序号</w:t><w:tab/><w:t>任务</w:t></w:r>`), []string{"1|h0||序号 任务"}},
		{"hidden text", p(r("看得见") + `<w:r><w:rPr><w:vanish/></w:rPr><w:t>看不见</w:t></w:r>`), []string{"1|h0||看得见"}},
		{"footnote reference", p(r("正文") + `<w:r><w:footnoteReference w:id="1"/></w:r>`), []string{"1|h0||正文"}},
		{"text box read once", p(r("外面") + `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>` + p(r("文本框")) +
			`</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent>` + p(r("文本框")) +
			`</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>`),
			[]string{"1|h0||文本框", "1|h0||外面"}},
		{"line break in a body paragraph splits it", p(r("完成任务。") + `<w:r><w:br/></w:r>` + r("牵头单位：区财政局") + `<w:r><w:br/><w:t>责任单位：区税务局</w:t></w:r>`),
			[]string{"1|h0||完成任务。", "1|h0||牵头单位：区财政局", "1|h0||责任单位：区税务局"}},
		{"line break in a centred title joins", `<w:p><w:pPr><w:jc w:val="center"/></w:pPr>` + rb("济南市历下区人民政府办公室  ") + `<w:r><w:br/></w:r>` + rb("关于印发工作报告") + `<w:r><w:br/></w:r>` + rb("目标任务分解的通知") + `</w:p>`,
			[]string{"1|h0|济南市历下区人民政府办公室关于印发工作报告目标任务分解的通知|"}},
		{"line break in a title style before a key splits", ps("Title", r("关于印发通知")+`<w:r><w:br/></w:r>`+r("牵头单位：区政府办公室")),
			[]string{"1|h0||关于印发通知", "1|h0||牵头单位：区政府办公室"}},
		{"alignment after list numbering", `<w:p><w:pPr><w:numPr><w:ilvl w:val="4"/><w:numId w:val="1"/></w:numPr><w:jc w:val="center"/></w:pPr>` +
			r("居中的标题") + `<w:r><w:br/></w:r>` + r("第二行") + `</w:p>`,
			[]string{"1|h0||居中的标题第二行"}},
		{"page break inside a paragraph", p(r("坚持集") + `<w:r><w:br w:type="page"/></w:r>` + r("约节约用地")), []string{"1|h0||坚持集约节约用地"}},
		{"list numbers", ps("a", "") +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("经济发展") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>` + rb("稳定增长。") + r("任务") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("扩大内需") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("新增就业") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="3"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("重点项目") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="4"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("无编号") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("社会民生") + `</w:p>` +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr>` + r("教育") + `</w:p>` +
			ps("ListNumbered", r("样式编号")) +
			`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>` + r("重新起编") + `</w:p>`,
			[]string{"2|h0||一、经济发展", "3|h0|（一）稳定增长。|任务", "4|h0||（二）扩大内需", "5|h0||1. 新增就业", "6|h0||▲ 重点项目",
				"7|h0||无编号", "8|h0||二、社会民生", "9|h0||（一）教育", "10|h0||⑨样式编号", "11|h0||五、重新起编"}},
		{"paragraphs and table rows are numbered", p(r("表前")) +
			`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/></w:tblPr><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
			`<w:tr><w:tc>` + p(r("序号")) + `</w:tc><w:tc>` + p(r("工作任务")) + `</w:tc><w:tc>` + p(r("牵头单位")) + `</w:tc></w:tr>` +
			`<w:tr><w:tc><w:tcPr><w:gridSpan w:val="3"/></w:tcPr>` + p(r("一、经济发展")) + `</w:tc></w:tr>` +
			`<w:tr><w:tc>` + p(r("1")) + `</w:tc><w:tc>` + p(r("新增就业")) + p(r("3万人")) + `</w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>` + p(r("区人社局")) + `</w:tc></w:tr>` +
			`<w:tr><w:tc>` + p(r("2")) + `</w:tc><w:tc>` + p(r("技能培训")) + `</w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr>` + p(r("")) + `</w:tc></w:tr>` +
			`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tbl><w:tr><w:tc>` + p(r("甲")) + `</w:tc><w:tc>` + p(r("乙")) + `</w:tc></w:tr></w:tbl>` + p(r("丙")) + `</w:tc><w:tc>` + p(r("丁")) + `</w:tc></w:tr>` +
			`</w:tbl>` + p(r("表后")),
			[]string{"1|h0||表前",
				fmt.Sprintf("2|table|%q", [][]string{{"序号", "工作任务", "牵头单位"}, {"一、经济发展", "", ""}, {"1", "新增就业\n3万人", "区人社局"}, {"2", "技能培训", ""}, {"", "甲\n乙\n丙", "丁"}}),
				"7|h0||表后"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(decodetest.Docx(t, tt.body))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if gs := block.Strings(got); !reflect.DeepEqual(gs, tt.want) {
				t.Errorf("blocks:\n got %q\nwant %q", gs, tt.want)
			}
		})
	}
}

// TestDocxPackages checks documents packed differently from the usual.
func TestDocxPackages(t *testing.T) {
	strict := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>` + p(rb("严格格式。")+r("正文")) + `</w:body></w:document>`
	tests := []struct {
		name  string
		files [][2]string
		want  []string
	}{
		{"strict OOXML", [][2]string{{"word/document.xml", strict}}, []string{"1|h0|严格格式。|正文"}},
		{"main part named in the content types", [][2]string{
			{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document2.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>`},
			{"word/document2.xml", strict},
		}, []string{"1|h0|严格格式。|正文"}},
		{"no styles part", [][2]string{{"word/document.xml", `<w:document ` + wordNS + `><w:body>` + ps("1", r("无样式表")) + `</w:body></w:document>`}},
			[]string{"1|h0||无样式表"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(decodetest.Zip(t, tt.files...))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if gs := block.Strings(got); !reflect.DeepEqual(gs, tt.want) {
				t.Errorf("blocks:\n got %q\nwant %q", gs, tt.want)
			}
		})
	}
}

// TestDocxTable reads a task table written by LibreOffice: merged heading
// row, a unit cell merged over two rows, two paragraphs in one cell.
func TestDocxTable(t *testing.T) {
	data, err := os.ReadFile("../testdata/table.docx")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	var table *block.Block
	for i := range blocks {
		if blocks[i].Kind == block.Table {
			table = &blocks[i]
		}
	}
	if table == nil {
		t.Fatalf("no table in %q", block.Strings(blocks))
	}
	want := [][]string{
		{"序号", "工作任务", "牵头单位", "责任单位", "完成时限"},
		{"一、经济发展", "", "", "", ""},
		{"1", "新增城镇就业3万人", "区人力资源和社会保障局", "区财政局\n各街道办事处", "2024年12月底"},
		{"2", "开展职业技能培训5000人次", "", "区教育和体育局", "2024年11月底"},
	}
	if !reflect.DeepEqual(table.Rows, want) {
		t.Errorf("rows:\n got %q\nwant %q", table.Rows, want)
	}
	if table.Line != 4 {
		t.Errorf("table line = %d, want 4 (after three paragraphs)", table.Line)
	}
}

// deflated compresses data as a ZIP entry would hold it.
func deflated(t testing.TB, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

// TestDocxLimits checks that archives built to exhaust memory or time are
// refused with a message, and damaged ones too.
func TestDocxLimits(t *testing.T) {
	bomb := []byte(`<w:document ` + wordNS + `><w:body>` + strings.Repeat(" ", 8<<20) + `</w:body></w:document>`)

	manyEntries := func() []byte {
		files := [][2]string{{"word/document.xml", `<w:document ` + wordNS + `><w:body/></w:document>`}}
		for i := 0; i < ooxml.MaxEntries+1; i++ {
			files = append(files, [2]string{fmt.Sprintf("word/media/%d.txt", i), "x"})
		}
		return decodetest.Zip(t, files...)
	}
	lyingHeader := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		comp := deflated(t, bomb)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
			CRC32: crc32.ChecksumIEEE(bomb), CompressedSize64: uint64(len(comp)), UncompressedSize64: 2000})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp)
		zw.Close()
		return buf.Bytes()
	}
	deep := `<w:document ` + wordNS + `><w:body>` + strings.Repeat("<w:sdt><w:sdtContent>", 300) + strings.Repeat("</w:sdtContent></w:sdt>", 300) + `</w:body></w:document>`
	valid := decodetest.Docx(t, p(r("正文")))

	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"too many entries", manyEntries(), "压缩包内有 2002 个文件，上限 2000 个"},
		{"inflates too far", decodetest.Zip(t, [2]string{"word/document.xml", string(bomb)}), "压缩比"},
		{"header lies about the size", lyingHeader(), "Word 文件"},
		{"nested too deep", decodetest.Zip(t, [2]string{"word/document.xml", deep}), "XML 嵌套超过 256 层"},
		{"truncated archive", valid[:len(valid)-30], "已损坏"},
		{"broken XML", decodetest.Zip(t, [2]string{"word/document.xml", `<w:document ` + wordNS + `><w:body><w:p><w:r><w:t>未完`}), "已损坏"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.data)
			if err == nil {
				t.Fatalf("decode = %q, want an error", block.Strings(got))
			}
			var de *duban.Error
			if !errors.As(err, &de) || de.Code != duban.EINVALID || !strings.Contains(de.Message, tt.want) {
				t.Errorf("error = %v, want invalid with %q", err, tt.want)
			}
		})
	}
}

// TestFormatNumber checks the list label formats of Chinese documents.
func TestFormatNumber(t *testing.T) {
	tests := []struct {
		n      int
		format string
		want   string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"}, {105, "chineseCountingThousand", "一百零五"}, {110, "chineseCounting", "一百一十"},
		{2024, "chineseCounting", "二千零二十四"}, {3, "chineseLegalSimplified", "叁"}, {12, "ideographDigital", "一二"},
		{3, "ideographTraditional", "丙"}, {2, "decimalEnclosedCircle", "②"}, {3, "decimalEnclosedParen", "⑶"},
		{4, "upperLetter", "D"}, {28, "lowerLetter", "bb"}, {14, "upperRoman", "XIV"}, {7, "decimalZero", "07"},
		{5, "decimal", "5"}, {25, "decimalEnclosedCircle", "25"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.n, tt.format); got != tt.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", tt.n, tt.format, got, tt.want)
		}
	}
}
