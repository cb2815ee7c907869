package xlsx

import (
	"os"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// FuzzXLSX feeds the workbook reader arbitrary bytes, seeded with the
// sample workbook, a task table and sheets written by hand: an error must
// carry a message, a table must stay within the limits, and nothing may
// panic or hang.
func FuzzXLSX(f *testing.F) {
	sample, err := os.ReadFile("../../testdata/corpus/lixia-2022-xlsx/source.xlsx")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	f.Add(decodetest.Xlsx(f, func(x *excelize.File) error { return decodetest.TaskTable(x, "Sheet1") }))
	for _, xml := range []string{
		sheetNS + `<sheetData><row r="2"><c r="B2" t="inlineStr"><is><t>一、经济发展</t></is></c></row></sheetData><mergeCells><mergeCell ref="B2:D2"/></mergeCells></worksheet>`,
		sheetNS + `<sheetData><row><c t="inlineStr"><is><t>序号</t></is></c><c t="s"><v>0</v></c><c><v>44742</v></c><c><f>1+1</f></c></row></sheetData></worksheet>`,
		sheetNS + `<sheetData><row r="20000"><c r="IV20000" t="inlineStr"><is><t>远</t></is></c></row></sheetData><mergeCells><mergeCell ref="A1:IV1"/><mergeCell ref="A2:A3"/></mergeCells></worksheet>`,
	} {
		f.Add(sheetPackage(f, xml))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, err := Decode(data)
		if err != nil {
			if duban.ErrorMessage(err) == "" {
				t.Fatalf("error without a message: %v", err)
			}
			return
		}
		cells := 0
		for _, b := range bs {
			if b.Kind != block.Table || b.Line < 1 || len(b.Rows) > maxRow {
				t.Fatalf("malformed block %+v", b)
			}
			for _, row := range b.Rows {
				cells += len(row)
				for _, c := range row {
					if !utf8.ValidString(c) {
						t.Fatalf("cell %q is not UTF-8", c)
					}
				}
			}
		}
		if cells > maxSlots {
			t.Fatalf("%d cells read, over the limit of %d", cells, maxSlots)
		}
	})
}
