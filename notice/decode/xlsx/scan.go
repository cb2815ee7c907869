package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/ooxml"
)

// A task table of a few hundred rows is a few hundred kilobytes of XML. The
// limits below leave tens of times that room, and keep what excelize may
// build from a hostile file (it holds every part in memory, and fills a
// sheet's rows and cells up to the highest coordinates it names) to tens of
// megabytes.
const (
	maxSheetXML  = 16 << 20 // one worksheet, inflated
	maxStringXML = 8 << 20  // the shared strings
	maxOtherPart = 4 << 20  // workbook, styles, theme, images…
	maxUnzip     = 32 << 20 // all parts together
	minUnzip     = 4 << 20  // what a small file may inflate to whatever its size
	unzipFactor  = 100      // how many times its size a larger file may inflate to

	maxRow      = 20000  // the highest row number of a sheet, and the rows of all
	maxSheets   = 64     // sheets in the workbook
	maxCol      = 256    // the highest column (IV)
	maxSlots    = 60_000 // cells up to each row's last, over all sheets
	maxMerges   = 2000   // merged ranges of a sheet
	maxStrings  = 60_000 // shared strings
	maxElements = 2_000_000
)

// unzipLimit is what a file of n bytes may inflate to: in proportion to its
// size, within the absolute bounds.
func unzipLimit(n int) int64 {
	return min(maxUnzip, max(minUnzip, int64(n)*unzipFactor))
}

// partLimit is the inflated size allowed for a part of that (lower-case)
// name.
func partLimit(name string) int64 {
	switch {
	case strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml"):
		return maxSheetXML
	case name == "xl/sharedstrings.xml":
		return maxStringXML
	}
	return maxOtherPart
}

// check refuses a package that is larger than a task table can be, by the
// parts' declared sizes and by what the worksheets and shared strings hold:
// their rows, columns, cells, merged ranges and strings. It returns what it
// counted.
func check(pkg *ooxml.Package, unzip int64) (*scan, error) {
	if err := pkg.CheckSizes(partLimit, unzip); err != nil {
		return nil, err
	}
	pkg.Limits = ooxml.Limits{Bytes: unzip, Elements: maxElements}
	s := &scan{pkg: pkg}
	for _, f := range pkg.Files {
		name := strings.ToLower(f.Name)
		var err error
		switch {
		case partLimit(name) == maxSheetXML:
			err = s.sheet(f)
		case name == "xl/sharedstrings.xml":
			err = s.sharedStrings(f)
		}
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// scan counts what the parts of a workbook hold.
type scan struct {
	pkg     *ooxml.Package
	slots   int
	strings int
	merges  int // merged ranges, over all sheets
}

func (s *scan) tooLarge(what string) error {
	return s.pkg.Format.TooLargeError(what)
}

// each decodes a part and calls fn for each element it opens.
func (s *scan) each(f *zip.File, fn func(xml.StartElement) error, end func(xml.EndElement)) error {
	rc, err := s.pkg.OpenPart(f, partLimit(strings.ToLower(f.Name)))
	if err != nil {
		return err
	}
	defer rc.Close()
	d := s.pkg.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return s.pkg.Error(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			if end != nil {
				end(t)
			}
		}
	}
}

// sheet checks a worksheet's coordinates and merged ranges.
func (s *scan) sheet(f *zip.File) error {
	row, col, last := 0, 0, 0
	var merges []rect
	bad := func(err error) error {
		return &duban.Error{Code: duban.EINVALID, Message: s.pkg.Format.Damaged(), Err: fmt.Errorf("%s: %w", f.Name, err)}
	}
	err := s.each(f, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "row":
			row++
			if v := ooxml.Attr(se, "r"); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n < 1 {
					return bad(fmt.Errorf("row number %q", v))
				}
				row = n
			}
			if row > maxRow {
				return s.tooLarge(fmt.Sprintf("工作表有 %d 行以上", maxRow))
			}
			col, last = 0, 0
		case "c":
			col++
			if v := ooxml.Attr(se, "r"); v != "" {
				c, _, err := excelize.CellNameToCoordinates(v)
				if err != nil {
					return bad(err)
				}
				col = c
			}
			if col > maxCol {
				return s.tooLarge(fmt.Sprintf("工作表超过 %d 列", maxCol))
			}
			last = max(last, col)
		case "mergeCell":
			if len(merges) == maxMerges {
				return s.tooLarge(fmt.Sprintf("合并单元格超过 %d 处", maxMerges))
			}
			m, err := parseRange(ooxml.Attr(se, "ref"))
			if err != nil {
				return bad(err)
			}
			if m.r2 > maxRow || m.c2 > maxCol {
				return s.tooLarge(fmt.Sprintf("合并单元格超出 %d 行 %d 列", maxRow, maxCol))
			}
			merges = append(merges, m)
		}
		return nil
	}, func(ee xml.EndElement) {
		if ee.Name.Local == "row" {
			s.slots += last
		}
	})
	if err != nil {
		return err
	}
	if s.slots > maxSlots {
		return s.tooLarge(fmt.Sprintf("单元格超过 %d 个", maxSlots))
	}
	if overlapping(merges) {
		return bad(fmt.Errorf("overlapping merged ranges"))
	}
	s.merges += len(merges)
	return nil
}

// sharedStrings counts the shared strings.
func (s *scan) sharedStrings(f *zip.File) error {
	return s.each(f, func(se xml.StartElement) error {
		if se.Name.Local == "si" {
			s.strings++
			if s.strings > maxStrings {
				return s.tooLarge(fmt.Sprintf("共享字符串超过 %d 个", maxStrings))
			}
		}
		return nil
	}, nil)
}

// parseRange reads a range reference such as A1:F1 (or a single cell).
func parseRange(ref string) (rect, error) {
	from, to, ok := strings.Cut(ref, ":")
	if !ok {
		to = from
	}
	c1, r1, err := excelize.CellNameToCoordinates(from)
	if err != nil {
		return rect{}, err
	}
	c2, r2, err := excelize.CellNameToCoordinates(to)
	if err != nil {
		return rect{}, err
	}
	return rect{min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)}, nil
}

// overlapping reports whether two merged ranges share a cell, which Excel
// never writes. Marking each range's cells costs no more than the sheet's
// bounded area, since marking stops at the first cell marked twice.
func overlapping(merges []rect) bool {
	if len(merges) < 2 {
		return false
	}
	rows, cols := 0, 0
	for _, m := range merges {
		rows, cols = max(rows, m.r2), max(cols, m.c2)
	}
	seen := make([]uint64, (rows*cols+63)/64)
	for _, m := range merges {
		for r := m.r1; r <= m.r2; r++ {
			for c := m.c1; c <= m.c2; c++ {
				i := (r-1)*cols + c - 1
				if seen[i/64]&(1<<(i%64)) != 0 {
					return true
				}
				seen[i/64] |= 1 << (i % 64)
			}
		}
	}
	return false
}
