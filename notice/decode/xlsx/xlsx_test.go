package xlsx

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// TestTable checks what a task table becomes: merged cells read as Word's,
// wrapped cells keep their lines, the two header rows read as one, hidden
// rows and sheets are left out, and every visible sheet is a table.
func TestTable(t *testing.T) {
	data := decodetest.Xlsx(t, func(f *excelize.File) error {
		if err := f.SetSheetName("Sheet1", "分解表"); err != nil {
			return err
		}
		if err := decodetest.TaskTable(f, "分解表"); err != nil {
			return err
		}
		for _, s := range []string{"空表", "说明", "下拉选项"} {
			if _, err := f.NewSheet(s); err != nil {
				return err
			}
		}
		if err := f.SetCellValue("说明", "A2", "以上任务请于每月5日前报送进展情况。"); err != nil {
			return err
		}
		if err := f.SetCellValue("下拉选项", "A1", "区财政局"); err != nil {
			return err
		}
		return f.SetSheetVisible("下拉选项", false)
	})
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []block.Block{
		{Kind: block.Table, Line: 1, Rows: [][]string{
			{"重点任务分解表"},
			{"序号", "任务内容", "牵头领导", "牵头单位", "责任单位", "完成时限"},
			nil,
			{"一、经济发展"},
			{"加快项目建设。"},
			{"1", "新增城镇就业3万人；\n开展职业技能培训", "张三", "区人社局", "区财政局\n各街道办事处", "2024年12月底"},
			nil,
			{"3", "推进重点项目", "", "区发改局"},
		}},
		{Kind: block.Table, Line: 9, Rows: [][]string{nil, {"以上任务请于每月5日前报送进展情况。"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks:\n got %q\nwant %q", block.Strings(got), block.Strings(want))
	}
}

// TestSample reads the sample notice's workbook: the covering letter sheet,
// then the attachment's sheet whose header stands over two rows; the
// hidden list of units is not read.
func TestSample(t *testing.T) {
	data, err := os.ReadFile("../../testdata/corpus/lixia-2022-xlsx/source.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d blocks, want 2 (the hidden sheet left out)", len(got))
	}
	letter, table := got[0], got[1]
	if letter.Line != 1 || table.Line != len(letter.Rows)+1 {
		t.Errorf("lines %d, %d; want 1, %d", letter.Line, table.Line, len(letter.Rows)+1)
	}
	if want := "济南市历下区人民政府办公室\n关于印发 2022 年《济南市历下区政府工作报告》\n目标任务分解的通知"; letter.Rows[1][0] != want {
		t.Errorf("title cell = %q, want %q", letter.Rows[1][0], want)
	}
	header := -1
	for i, r := range table.Rows {
		if len(r) > 0 && r[0] == "序号" {
			header = i
			break
		}
	}
	if header < 0 {
		t.Fatal("no header row")
	}
	if got, want := table.Rows[header], []string{"序号", "任务内容", "牵头领导", "牵头单位", "责任单位", "完成时限"}; !reflect.DeepEqual(got, want) {
		t.Errorf("header = %q, want %q", got, want)
	}
	if table.Rows[header+1] != nil {
		t.Errorf("row under the header = %q, want it empty", table.Rows[header+1])
	}
}

// sheetPackage is a minimal workbook of one sheet whose XML is given.
func sheetPackage(t testing.TB, xml string) []byte {
	return decodetest.Zip(t, sheetParts(xml)...)
}

// sheetParts are the parts of a minimal workbook of one sheet; with "" for
// its XML, the sheet is left out.
func sheetParts(xml string) [][2]string {
	parts := [][2]string{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	if xml != "" {
		parts = append(parts, [2]string{"xl/worksheets/sheet1.xml", xml})
	}
	return parts
}

const sheetNS = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`

// TestMergedFilledIn checks a merged range that its generator filled in
// throughout: only the first cell's text counts, as Excel shows it.
func TestMergedFilledIn(t *testing.T) {
	got, err := Decode(sheetPackage(t, sheetNS+`<sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>一、经济发展</t></is></c>`+
		`<c r="C2" t="inlineStr"><is><t>一、经济发展</t></is></c><c r="D2" t="inlineStr"><is><t>不显示</t></is></c></row></sheetData>`+
		`<mergeCells count="1"><mergeCell ref="B2:D2"/></mergeCells></worksheet>`))
	if err != nil {
		t.Fatal(err)
	}
	want := []block.Block{{Kind: block.Table, Line: 1, Rows: [][]string{nil, {"", "一、经济发展", "", ""}}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("blocks = %q, want %q", block.Strings(got), block.Strings(want))
	}
}

// TestDamaged checks that a workbook that cannot be read gets a message.
func TestDamaged(t *testing.T) {
	valid := decodetest.Xlsx(t, func(f *excelize.File) error { return f.SetCellValue("Sheet1", "A1", "正文") })
	sheet := func(xml string) []byte { return sheetPackage(t, xml) }
	const ns = sheetNS
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"truncated", valid[:len(valid)-40], "Excel 文件已损坏"},
		{"broken sheet XML", sheet(ns + `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>未完`), "Excel 文件已损坏"},
		{"bad cell reference", sheet(ns + `<sheetData><row r="1"><c r="1A"/></row></sheetData></worksheet>`), "Excel 文件已损坏"},
		{"overlapping merges", sheet(ns + `<sheetData/><mergeCells><mergeCell ref="A1:C3"/><mergeCell ref="B2:D4"/></mergeCells></worksheet>`), "Excel 文件已损坏"},
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
