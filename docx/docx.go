// Package docx writes Word documents (.docx) in the layout of Chinese
// official documents, GB/T 9704-2012: A4 with its margins and text block,
// 22 lines of 28 characters in 三号仿宋, the title in 二号小标宋, headings
// 一、 in 黑体 and （一） in 楷体, the issuing office and date at the end, and
// page numbers "— 1 —" on the outer side of odd and even pages. It writes
// WordprocessingML by hand from a small model (Document and its blocks); it
// reads nothing (notice/decode/docx reads notices).
package docx

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// Document is an official document: an optional letterhead (the issuing
// office's mark, in red) and document number, the title, an optional
// addressee, the body, and the issuing office and date at the end.
type Document struct {
	// Office is the issuing office's mark (发文机关标志) at the top, in
	// red; empty for a document without letterhead.
	Office string
	// Number is the document number (发文字号), 历下督字〔2026〕5号; the red
	// separator line is drawn under it (or under Office when it is empty).
	Number string
	Title  string
	// To is the addressee (主送机关), 各街道办事处，区政府各部门：; optional.
	To   string
	Body []Block
	// Signature is the issuing office written at the end (发文机关署名);
	// Date is the date under it, written 2026年12月6日. Either may be empty.
	Signature string
	Date      time.Time
}

// Block is one part of a document's body: a Paragraph, a Heading or a
// Table.
type Block interface {
	write(w *writer)
	check() error
}

// Paragraph is a paragraph of body text (三号仿宋, the first line indented
// by two characters). A line break inside Text breaks the line without
// starting a new paragraph.
type Paragraph struct {
	Text string
}

// Heading is a numbered heading: level 1 is numbered 一、二、… in 黑体 and
// level 2 （一）（二）… in 楷体, counting afresh under each level-1 heading.
// Text is the heading without its number.
type Heading struct {
	Level int
	Text  string
}

// Table is a table of text: a header row repeated at the top of every page
// the table runs over, then the rows, each with one cell per column.
type Table struct {
	Columns []Column
	Rows    [][]string
}

// Column is a table's column: its title in the header row, its share of the
// text block's width (relative to the other columns' Width; 0 counts as 1)
// and whether its cells are centred (numbers, names) or justified (text).
type Column struct {
	Title  string
	Width  int
	Center bool
}

// Limits on what a document may hold, so that a runaway caller cannot make
// the writer build a document of gigabytes.
const (
	MaxBlocks    = 10000
	MaxText      = 20000 // characters in one paragraph, heading or cell
	MaxTableRows = 10000
	MaxColumns   = 20
)

// Check reports the first thing that stops the document from being
// written: a missing title, a heading of an unknown level, a table row of
// the wrong width, or a size past the limits.
func (d *Document) Check() error {
	if strings.TrimSpace(d.Title) == "" {
		return duban.Errorf(duban.EINVALID, "公文缺少标题。")
	}
	if len(d.Body) > MaxBlocks {
		return duban.Errorf(duban.EINVALID, "公文正文过长（超过 %d 段）。", MaxBlocks)
	}
	for _, s := range []string{d.Office, d.Number, d.Title, d.To, d.Signature} {
		if err := checkText(s); err != nil {
			return err
		}
	}
	for _, b := range d.Body {
		if b == nil {
			return duban.Errorf(duban.EINVALID, "公文正文中有空的段落。")
		}
		if err := b.check(); err != nil {
			return err
		}
	}
	return nil
}

func checkText(s string) error {
	if utf8.RuneCountInString(s) > MaxText {
		return duban.Errorf(duban.EINVALID, "公文中有一段文字过长（超过 %d 字）：请分段。", MaxText)
	}
	return nil
}

func (p Paragraph) check() error { return checkText(p.Text) }

func (h Heading) check() error {
	if h.Level != 1 && h.Level != 2 {
		return duban.Errorf(duban.EINVALID, "标题层级 %d 不正确：应为 1（一、）或 2（（一））。", h.Level)
	}
	if strings.TrimSpace(h.Text) == "" {
		return duban.Errorf(duban.EINVALID, "公文正文中有空的标题。")
	}
	return checkText(h.Text)
}

func (t Table) check() error {
	switch {
	case len(t.Columns) == 0:
		return duban.Errorf(duban.EINVALID, "表格没有列。")
	case len(t.Columns) > MaxColumns:
		return duban.Errorf(duban.EINVALID, "表格列数过多（超过 %d 列）。", MaxColumns)
	case len(t.Rows) > MaxTableRows:
		return duban.Errorf(duban.EINVALID, "表格行数过多（超过 %d 行）。", MaxTableRows)
	}
	for _, c := range t.Columns {
		if c.Width < 0 {
			return duban.Errorf(duban.EINVALID, "表格列“%s”的宽度不能为负数。", c.Title)
		}
		if err := checkText(c.Title); err != nil {
			return err
		}
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return duban.Errorf(duban.EINVALID, "表格第 %d 行有 %d 格，应有 %d 格。", i+1, len(r), len(t.Columns))
		}
		for _, c := range r {
			if err := checkText(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// FormatDate writes a date as official documents do: 2026年12月6日, with
// Arabic numerals and no leading zeros.
func FormatDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
