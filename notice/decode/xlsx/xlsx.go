// Package xlsx reads Excel .xlsx workbooks, the task tables offices publish
// as attachments, into table blocks: one per visible sheet, in sheet order,
// read the way the Word reader reads a table. A merged cell's text stands in
// its first cell and the cells it covers are empty (so a heading row merged
// across the table reads as one text), line breaks inside a cell are kept,
// hidden sheets and rows are left out, and a header set over two rows
// (责任分工 over 牵头单位 and 责任单位) reads as one header row.
//
// The workbook is opened with excelize only after the package has been
// checked against limits a task table stays far below (see scan.go), since
// excelize holds every part in memory and trusts the sheet's coordinates.
package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/ooxml"
)

// Decode reads an .xlsx file into blocks.
func Decode(data []byte) ([]block.Block, error) {
	pkg, err := ooxml.Open(data, ooxml.Excel)
	if err != nil {
		return nil, err
	}
	return Read(pkg, data)
}

// Read reads the workbook in an opened package; data is the file the
// package was opened from.
func Read(pkg *ooxml.Package, data []byte) ([]block.Block, error) {
	pkg.Format = ooxml.Excel
	unzip := unzipLimit(len(data))
	counts, err := check(pkg, unzip)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    unzip,
		UnzipXMLSizeLimit: min(unzip, maxSheetXML),
		CultureInfo:       excelize.CultureNameZhCN,
	})
	if err != nil {
		return nil, damaged(pkg, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) > maxSheets {
		return nil, pkg.Format.TooLargeError(fmt.Sprintf("有 %d 个工作表，上限 %d 个", len(sheets), maxSheets))
	}
	var blocks []block.Block
	line, cells := 0, 0 // rows and cells of the sheets before
	for _, name := range sheets {
		if visible, err := f.GetSheetVisible(name); err != nil || !visible {
			continue
		}
		rows, err := sheetRows(f, name)
		if err != nil {
			return nil, damaged(pkg, err)
		}
		if len(rows) == 0 {
			continue
		}
		// Sheets may share a part, which the check counted once.
		for _, r := range rows {
			cells += len(r)
		}
		if line+len(rows) > maxRow || cells > maxSlots {
			return nil, pkg.Format.TooLargeError(fmt.Sprintf("各工作表合计超过 %d 行或 %d 个单元格", maxRow, maxSlots))
		}
		if counts.merges > 0 {
			// excelize reads the whole sheet into memory for its merged
			// ranges: only when there are some.
			merges, err := f.GetMergeCells(name, true)
			if err != nil {
				return nil, damaged(pkg, err)
			}
			rects, err := mergeRects(merges)
			if err != nil {
				return nil, damaged(pkg, err)
			}
			clearCovered(rows, rects)
			joinTwoRowHeader(rows, rects)
		}
		blocks = append(blocks, block.Block{Kind: block.Table, Rows: rows, Line: line + 1})
		line += len(rows)
	}
	return blocks, nil
}

func damaged(pkg *ooxml.Package, err error) error {
	var de *duban.Error
	if errors.As(err, &de) {
		return err
	}
	return &duban.Error{Code: duban.EINVALID, Message: pkg.Format.Damaged(), Err: err}
}

// sheetRows returns the rows of a sheet, row n at index n-1, up to its last
// row with text. A hidden row is empty.
func sheetRows(f *excelize.File, sheet string) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]string
	last := 0
	for it.Next() {
		cells, err := it.Columns()
		if err != nil {
			return nil, err
		}
		var row []string
		if !it.GetRowOpts().Hidden {
			for i, c := range cells {
				if c = cellText(c); c != "" {
					row = append(row, make([]string, i-len(row))...)
					row = append(row, c)
				}
			}
		}
		rows = append(rows, row)
		if len(row) > 0 {
			last = len(rows)
		}
	}
	if err := it.Error(); err != nil {
		return nil, err
	}
	return rows[:last], nil
}

// cellText returns a cell's lines (Alt+Enter breaks) trimmed, empty lines
// dropped, joined with "\n" as the Word reader joins a cell's paragraphs.
func cellText(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return strings.TrimSpace(s)
	}
	var lines []string
	for l := range strings.Lines(strings.ReplaceAll(s, "\r", "\n")) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// rect is a merged range, rows and columns from 1, both ends included.
type rect struct{ r1, c1, r2, c2 int }

func mergeRects(merges []excelize.MergeCell) ([]rect, error) {
	out := make([]rect, 0, len(merges))
	for _, m := range merges {
		if len(m) == 0 {
			continue
		}
		r, err := parseRange(m[0])
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// clearCovered empties the cells a merged range covers, keeping the text of
// its first cell, as Word's and HTML's merged cells read.
func clearCovered(rows [][]string, rects []rect) {
	for _, m := range rects {
		for r := m.r1; r <= m.r2 && r <= len(rows); r++ {
			row := rows[r-1]
			for c := m.c1; c <= m.c2 && c <= len(row); c++ {
				if r != m.r1 || c != m.c1 {
					row[c-1] = ""
				}
			}
		}
	}
}

// joinTwoRowHeader reads a header set over two rows as one row: where a
// row holds a cell merged down over the next row (序号, 任务内容) and a cell
// merged across columns whose cells in the next row all have text (责任分工
// over 牵头单位 | 责任单位), each column takes the lower text where there is
// one and the upper text otherwise. The lower row is left empty, so that
// the rows below keep their numbers.
func joinTwoRowHeader(rows [][]string, rects []rect) {
	down := map[int]bool{} // top rows of cells merged over exactly two rows
	for _, m := range rects {
		if m.r2 == m.r1+1 && m.c1 == m.c2 {
			down[m.r1] = true
		}
	}
	for _, m := range rects {
		r := m.r1
		if m.r2 != r || m.c2 == m.c1 || !down[r] || r >= len(rows) {
			continue
		}
		upper, lower := rows[r-1], rows[r]
		if len(lower) < m.c2 || !allText(lower[m.c1-1:m.c2]) {
			continue
		}
		joined := make([]string, max(len(upper), len(lower)))
		for i := range joined {
			switch {
			case i < len(lower) && lower[i] != "":
				joined[i] = lower[i]
			case i < len(upper):
				joined[i] = upper[i]
			}
		}
		rows[r-1], rows[r] = joined, nil
		delete(down, r)
	}
}

func allText(cells []string) bool {
	for _, c := range cells {
		if c == "" {
			return false
		}
	}
	return true
}
