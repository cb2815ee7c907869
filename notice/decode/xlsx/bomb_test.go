package xlsx

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/internal/decodetest"
)

// withPart adds a part to a one-sheet package.
func withPart(t testing.TB, sheetXML string, parts ...[2]string) []byte {
	return decodetest.Zip(t, append(sheetParts(sheetXML), parts...)...)
}

// bigSheet is a sheet of rows×cols cells of text, every cell different,
// with tail (merged ranges) after its data.
func bigSheet(rows, cols int, tail string) string {
	var b strings.Builder
	b.WriteString(sheetNS + "<sheetData>")
	for r := 1; r <= rows; r++ {
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for c := 1; c <= cols; c++ {
			name, _ := excelize.CoordinatesToCellName(c, r)
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>第%d行第%d列</t></is></c>`, name, r, c)
		}
		b.WriteString("</row>")
	}
	b.WriteString("</sheetData>" + tail + "</worksheet>")
	return b.String()
}

// TestBombs checks that workbooks built to exhaust the reader, or excelize,
// are refused before excelize opens them, with a message saying what was
// too large, allocating a bounded amount.
func TestBombs(t *testing.T) {
	var strs strings.Builder
	strs.WriteString(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for i := range maxStrings + 1 {
		fmt.Fprintf(&strs, "<si><t>%x</t></si>", i)
	}
	strs.WriteString("</sst>")
	var merges strings.Builder
	merges.WriteString(sheetNS + "<sheetData/><mergeCells>")
	for i := range maxMerges + 1 {
		fmt.Fprintf(&merges, `<mergeCell ref="A%d:B%d"/>`, i+1, i+1)
	}
	merges.WriteString("</mergeCells></worksheet>")
	var slots strings.Builder
	slots.WriteString(sheetNS + "<sheetData>")
	for r := 1; r <= 1000; r++ {
		fmt.Fprintf(&slots, `<row r="%d"><c r="IV%d" t="inlineStr"><is><t>远</t></is></c></row>`, r, r)
	}
	slots.WriteString("</sheetData></worksheet>")
	var many strings.Builder
	many.WriteString(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`)
	for i := range 60 {
		fmt.Fprintf(&many, `<sheet name="S%d" sheetId="%d" r:id="rId1"/>`, i, i+1)
	}
	many.WriteString(`</sheets></workbook>`)
	shared := sheetParts(bigSheet(1000, 2, ""))
	for i, p := range shared {
		if p[0] == "xl/workbook.xml" {
			shared[i][1] = many.String()
		}
	}
	zeros := make([][2]string, 20)
	for i := range zeros {
		zeros[i] = [2]string{fmt.Sprintf("xl/media/image%d.bin", i), string(make([]byte, 1<<20))}
	}
	tests := []struct {
		name  string
		build func() []byte
		want  string
		heavy bool // tens of megabytes to build
	}{
		{"a sheet of 60 MB", func() []byte { return withPart(t, "", [2]string{"xl/worksheets/sheet2.xml", bigSheet(47000, 20, "")}) }, "上限 16 MB", true},
		{"a cell at the last row", func() []byte {
			return sheetPackage(t, sheetNS+`<sheetData><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`)
		}, "工作表有 20000 行以上", false},
		{"a cell at the last column", func() []byte {
			return sheetPackage(t, sheetNS+`<sheetData><row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`)
		}, "工作表超过 256 列", false},
		{"far cells in many rows", func() []byte { return sheetPackage(t, slots.String()) }, fmt.Sprintf("单元格超过 %d 个", maxSlots), false},
		{"merged cells", func() []byte { return sheetPackage(t, merges.String()) }, "合并单元格超过 2000 处", false},
		{"a merge to the last row", func() []byte {
			return sheetPackage(t, sheetNS+`<sheetData/><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>`)
		}, "合并单元格超出", false},
		{"shared strings", func() []byte {
			return withPart(t, sheetNS+"<sheetData/></worksheet>", [2]string{"xl/sharedStrings.xml", strs.String()})
		}, fmt.Sprintf("共享字符串超过 %d 个", maxStrings), false},
		{"sixty sheets of one part", func() []byte { return decodetest.Zip(t, shared...) }, "各工作表合计超过", false},
		{"parts of zeros", func() []byte { return withPart(t, sheetNS+"<sheetData/></worksheet>", zeros...) }, "合计 20 MB，上限 4.0 MB", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.heavy && decodetest.Race {
				t.Skip("tens of megabytes: run without the race detector")
			}
			data := tt.build()
			var err error
			allocated := decodetest.Allocated(func() { _, err = Decode(data) })
			var de *duban.Error
			if !errors.As(err, &de) || de.Code != duban.EINVALID || !strings.Contains(de.Message, tt.want) {
				t.Fatalf("error = %v, want invalid with %q", err, tt.want)
			}
			if !strings.Contains(de.Message, "另存为新的 .xlsx") {
				t.Errorf("message %q does not say what to do", de.Message)
			}
			if bound := uint64(16 * maxSheetXML); allocated > bound {
				t.Errorf("refusing it allocated %d MB, want at most %d MB", allocated>>20, bound>>20)
			}
			t.Logf("%d KB file refused, %d MB allocated", len(data)>>10, allocated>>20)
		})
	}
}

// TestUnzipLimit checks that what a workbook may inflate to grows with its
// size, within bounds.
func TestUnzipLimit(t *testing.T) {
	for _, tt := range []struct {
		size int
		want int64
	}{{10 << 10, minUnzip}, {100 << 10, 100 << 10 * unzipFactor}, {1 << 20, maxUnzip}} {
		if got := unzipLimit(tt.size); got != tt.want {
			t.Errorf("unzipLimit(%d) = %d, want %d", tt.size, got, tt.want)
		}
	}
}

// TestLargeTable reads a table at the limit of cells, allocating a bounded
// amount, and checks that twice the rows allocate about twice the bytes.
func TestLargeTable(t *testing.T) {
	if decodetest.Race {
		t.Skip("tens of megabytes: run without the race detector")
	}
	data := sheetPackage(t, bigSheet(maxSlots/6, 6, `<mergeCells><mergeCell ref="A1:B1"/></mergeCells>`))
	var got []block.Block
	var err error
	allocated := decodetest.Allocated(func() { got, err = Decode(data) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Rows) != maxSlots/6 {
		t.Fatalf("read %d blocks, want one of %d rows", len(got), maxSlots/6)
	}
	// excelize allocates some 4 KB a cell (most of it garbage at once).
	if bound := uint64(maxSlots) * 6 << 10; allocated > bound {
		t.Errorf("reading %d cells allocated %d MB, want at most %d MB", maxSlots, allocated>>20, bound>>20)
	}
	t.Logf("%d cells read, %d MB allocated", maxSlots, allocated>>20)
	decodetest.Linear(t, "reading a workbook", func(n int) {
		if _, err := Decode(sheetPackage(t, bigSheet(n, 6, ""))); err != nil {
			t.Fatal(err)
		}
	}, 2000)
}

// BenchmarkBomb reads a workbook whose sheet inflates to 60 MB.
func BenchmarkBomb(b *testing.B) {
	data := withPart(b, "", [2]string{"xl/worksheets/sheet2.xml", bigSheet(47000, 20, "")})
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err == nil {
			b.Fatal("the bomb was read")
		}
	}
}

// BenchmarkLargeTable reads a table of 5,000 rows of 6 cells.
func BenchmarkLargeTable(b *testing.B) {
	data := sheetPackage(b, bigSheet(5000, 6, ""))
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
