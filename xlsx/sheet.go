// Package xlsx writes the workbooks the office prints and hands out, and
// reads one back: the task table (任务分解表) of a plan, the progress book
// (进展台账) of a period, and a unit's fill-in workbook (填报表) with the
// reader that checks an uploaded one row by row.
//
// Each sheet is laid out as offices print them: a title row, a header
// repeated on every printed page and frozen on screen, actions and areas as
// merged heading rows, wrapped text, A4 landscape fitted to the width, and
// page numbers in the footer. Sheets are written with excelize's streaming
// writer, so that a book of thousands of rows stays small in memory. The
// package takes plain input structs (the plan's tasks, or rows the caller
// maps its reports into) and knows nothing of the store or of HTTP.
package xlsx

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// column is one column of a sheet.
type column struct {
	title  string
	width  float64 // in Excel's units, about the width of a digit
	center bool
	input  bool // an unlocked cell the unit fills in (the fill-in workbook)
}

// The kinds of cell style a sheet uses.
type styleKind int

const (
	styleTitle styleKind = iota
	styleNote
	styleHeader
	styleSection
	styleArea
	styleText
	styleCentered
	styleInput
	styleInputCentered
	styleLight
	styleRowKey
)

// styleKey identifies a style: its kind and, for a light, its colours.
type styleKey struct {
	kind      styleKind
	fill, ink string
}

// book is a workbook being written, with the styles made so far.
type book struct {
	f      *excelize.File
	styles map[styleKey]int
	sheets int
}

func newBook() *book {
	return &book{f: excelize.NewFile(), styles: map[styleKey]int{}}
}

// The fonts: 宋体 for cells, 黑体 for the title and headings, as offices
// print tables.
const (
	fontCell  = "宋体"
	fontTitle = "黑体"
	cellSize  = 11
)

var thin = []excelize.Border{
	{Type: "left", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1},
	{Type: "right", Color: "000000", Style: 1},
	{Type: "bottom", Color: "000000", Style: 1},
}

// inputFill marks the cells a unit fills in.
const inputFill = "FFF7D6"

// style returns the id of a style, making it on first use.
func (b *book) style(k styleKey) (int, error) {
	if id, ok := b.styles[k]; ok {
		return id, nil
	}
	wrap := func(h string) *excelize.Alignment {
		return &excelize.Alignment{Horizontal: h, Vertical: "center", WrapText: true}
	}
	locked := true
	s := &excelize.Style{Font: &excelize.Font{Family: fontCell, Size: cellSize}, Border: thin, Alignment: wrap("left")}
	switch k.kind {
	case styleTitle:
		s.Font = &excelize.Font{Family: fontTitle, Size: 16, Bold: true}
		s.Border, s.Alignment = nil, wrap("center")
	case styleNote:
		s.Font = &excelize.Font{Family: fontCell, Size: 10, Color: "555555"}
		s.Border = nil
	case styleHeader:
		s.Font = &excelize.Font{Family: fontTitle, Size: cellSize, Bold: true}
		s.Alignment = wrap("center")
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}
	case styleSection:
		s.Font = &excelize.Font{Family: fontTitle, Size: cellSize, Bold: true}
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}
	case styleArea:
		s.Font = &excelize.Font{Family: fontCell, Size: cellSize, Bold: true}
	case styleCentered:
		s.Alignment = wrap("center")
	case styleInput, styleInputCentered:
		locked = false
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{inputFill}}
		if k.kind == styleInputCentered {
			s.Alignment = wrap("center")
		}
	case styleLight:
		s.Font = &excelize.Font{Family: fontCell, Size: cellSize, Bold: true, Color: strings.TrimPrefix(k.ink, "#")}
		s.Alignment = wrap("center")
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(k.fill, "#")}}
	case styleRowKey:
		s.Border, s.Alignment = nil, nil
	}
	s.Protection = &excelize.Protection{Locked: locked}
	id, err := b.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	b.styles[k] = id
	return id, nil
}

// sheetSpec is what startSheet sets up before any row is written: the
// streaming writer loses page settings made after it starts.
type sheetSpec struct {
	name    string
	title   string
	note    string // a line under the title (the fill-in's instructions); "" for none
	columns []column
	// hidden is the number of columns at the right kept hidden (the
	// fill-in's row keys).
	hidden int
	// prepare adds data validations and protection, before streaming.
	prepare func(f *excelize.File, sheet string) error
}

// headerRow is the row of the column titles: 2, or 3 under a note.
func (s *sheetSpec) headerRow() int {
	if s.note != "" {
		return 3
	}
	return 2
}

// lastColumn is the name of the last visible column.
func (s *sheetSpec) lastColumn() string {
	name, _ := excelize.ColumnNumberToName(len(s.columns) - s.hidden)
	return name
}

// sheet is a sheet being streamed.
type sheet struct {
	b    *book
	spec *sheetSpec
	sw   *excelize.StreamWriter
	row  int // the last row written
}

// startSheet adds a sheet and writes its title and header: page set-up,
// print titles and panes first, as the streaming writer requires.
func (b *book) startSheet(spec *sheetSpec) (*sheet, error) {
	f := b.f
	name := spec.name
	if b.sheets == 0 {
		if err := f.SetSheetName("Sheet1", name); err != nil {
			return nil, err
		}
	} else if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	b.sheets++
	size, landscape, one, zero, fit := 9, "landscape", 1, 0, true // 9 is A4
	if err := f.SetPageLayout(name, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &zero,
	}); err != nil {
		return nil, err
	}
	if err := f.SetSheetProps(name, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return nil, err
	}
	side, edge, hf := 0.4, 0.6, 0.3 // inches
	if err := f.SetPageMargins(name, &excelize.PageLayoutMarginsOptions{
		Left: &side, Right: &side, Top: &edge, Bottom: &edge, Header: &hf, Footer: &hf,
	}); err != nil {
		return nil, err
	}
	if err := f.SetHeaderFooter(name, &excelize.HeaderFooterOptions{OddFooter: pageFooter}); err != nil {
		return nil, err
	}
	hr := spec.headerRow()
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", Scope: name, RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(name, "'", "''"), hr, hr),
	}); err != nil {
		return nil, err
	}
	if spec.prepare != nil {
		if err := spec.prepare(f, name); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i, c := range spec.columns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, err
		}
	}
	if spec.hidden > 0 {
		n := len(spec.columns)
		if err := sw.SetColVisible(n-spec.hidden+1, n, false); err != nil {
			return nil, err
		}
	}
	top := fmt.Sprintf("A%d", hr+1)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: hr, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	s := &sheet{b: b, spec: spec, sw: sw}
	if err := s.banner(spec.title, styleTitle, 36); err != nil {
		return nil, err
	}
	if spec.note != "" {
		if err := s.banner(spec.note, styleNote, 0); err != nil {
			return nil, err
		}
	}
	header := make([]cell, len(spec.columns))
	for i, c := range spec.columns {
		header[i] = cell{value: c.title, kind: styleHeader}
	}
	if err := s.write(header, 1); err != nil {
		return nil, err
	}
	return s, nil
}

// pageFooter numbers the printed pages: 第 1 页，共 3 页.
const pageFooter = "&C第 &P 页，共 &N 页"

// cell is one cell to write: a value (string, number or nil) and its style.
type cell struct {
	value any
	kind  styleKind
	fill  string // a light's colours
	ink   string
}

// write writes one row of cells, as tall as its tallest wrapped text; the
// text of a cell to be merged down over span rows is shared among them.
func (s *sheet) write(cells []cell, span int) error {
	s.row++
	values := make([]any, len(cells))
	lines := 1.0
	for i, c := range cells {
		id, err := s.b.style(styleKey{kind: c.kind, fill: c.fill, ink: c.ink})
		if err != nil {
			return err
		}
		values[i] = excelize.Cell{StyleID: id, Value: c.value}
		if text, ok := c.value.(string); ok && i < len(s.spec.columns)-s.spec.hidden {
			lines = math.Max(lines, linesOf(text, s.spec.columns[i].width)/float64(span))
		}
	}
	ref, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(ref, values, excelize.RowOpts{Height: rowHeight(lines)})
}

// banner writes a row whose text spans every visible column.
func (s *sheet) banner(text string, kind styleKind, height float64) error {
	s.row++
	width := 0.0
	for _, c := range s.spec.columns[:len(s.spec.columns)-s.spec.hidden] {
		width += c.width
	}
	if height == 0 {
		height = rowHeight(linesOf(text, width))
	}
	id, err := s.b.style(styleKey{kind: kind})
	if err != nil {
		return err
	}
	n := len(s.spec.columns) - s.spec.hidden
	values := make([]any, n)
	for i := range values {
		values[i] = excelize.Cell{StyleID: id}
	}
	values[0] = excelize.Cell{StyleID: id, Value: text}
	ref, _ := excelize.CoordinatesToCellName(1, s.row)
	if err := s.sw.SetRow(ref, values, excelize.RowOpts{Height: height}); err != nil {
		return err
	}
	return s.sw.MergeCell(ref, fmt.Sprintf("%s%d", s.spec.lastColumn(), s.row))
}

// heading writes an action's or an area's heading row, merged across the
// visible columns.
func (s *sheet) heading(text string, kind styleKind) error {
	return s.banner(text, kind, 0)
}

// mergeDown merges the cells of the given columns from row first down to
// the last row written: a task's cells beside its targets' rows.
func (s *sheet) mergeDown(first int, cols []int) error {
	if s.row <= first {
		return nil
	}
	for _, c := range cols {
		top, _ := excelize.CoordinatesToCellName(c, first)
		bottom, _ := excelize.CoordinatesToCellName(c, s.row)
		if err := s.sw.MergeCell(top, bottom); err != nil {
			return err
		}
	}
	return nil
}

func (s *sheet) flush() error { return s.sw.Flush() }

// linesOf estimates how many lines text takes in a column of width: a
// Chinese character is about two of Excel's width units at 11 pt, a Latin
// one about 1.1, and a cell keeps about one unit of padding.
func linesOf(text string, width float64) float64 {
	room := math.Max(width-1, 2)
	total := 0.0
	for _, line := range strings.Split(text, "\n") {
		w := 0.0
		for _, r := range line {
			if r < 0x1100 {
				w += 1.1
			} else {
				w += 2
			}
		}
		total += math.Max(1, math.Ceil(w/room))
	}
	return total
}

// rowHeight is the height in points of a row of lines of 11 pt text.
func rowHeight(lines float64) float64 {
	return math.Min(math.Max(20, math.Ceil(lines)*14.5+6), excelize.MaxRowHeight)
}

// sheetName makes a valid, unique sheet name from a wanted one: at most 31
// characters, none of : \ / ? * [ ], not empty, not taken.
func sheetName(want string, taken map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < ' ' {
			return '_'
		}
		return r
	}, strings.TrimSpace(want))
	clean = strings.Trim(clean, "'")
	if clean == "" {
		clean = "Sheet"
	}
	name := truncate(clean, 31)
	for i := 2; taken[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf("(%d)", i)
		name = truncate(clean, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	taken[strings.ToLower(name)] = true
	return name
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// columnsOf returns the look of report columns.
func columnsOf(cols []reportColumn) []column {
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = c.column
	}
	return out
}
