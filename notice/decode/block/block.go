// Package block is the model the notice decoders share: a notice as blocks
// (paragraphs with their heading level and bold opening, and tables) in
// reading order, and the rules by which the inline text of a Word or HTML
// paragraph becomes the paragraphs the structure reader sees. Each format
// decoder (text, Word, Excel, HTML, PDF) produces blocks; package notice
// reads the structure from them and never sees the file format.
package block

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Block is one paragraph or one table of a notice, in reading order, as a
// format decoder found it.
type Block struct {
	Kind Kind
	// Text is the paragraph's text with inline white space kept as written
	// and no line breaks (a hard line break inside a paragraph is removed).
	Text string
	// Heading is the outline level the source gives the paragraph: the count
	// of Markdown '#', Word "Heading N" / outline level N+1, HTML hN. Zero
	// when the source does not mark it as a heading.
	Heading int
	// Bold is the length in bytes of the bold run that opens Text; 0 when the
	// paragraph does not start in bold, len(Text) when all of it is bold.
	Bold int
	// Rows holds a table's cells, row by row; a cell's paragraphs are joined
	// with "\n". A cell covered by a merged cell (a column span, a row span)
	// is empty: the text stands in the first cell of the merge only.
	Rows [][]string
	// Line is where the block starts in the source: a line number for text
	// formats, a paragraph (or table row) number for Word and HTML, a row
	// number counted over the sheets for Excel; from 1.
	Line int
}

// Kind tells a paragraph from a table.
type Kind int

// The kinds of block.
const (
	Para Kind = iota
	Table
)

// String renders a block compactly, for tests and golden files:
// "line|hN|bold|rest" for a paragraph, "line|table|rows" for a table.
func (b Block) String() string {
	if b.Kind == Table {
		return fmt.Sprintf("%d|table|%q", b.Line, b.Rows)
	}
	return fmt.Sprintf("%d|h%d|%s|%s", b.Line, b.Heading, b.Text[:b.Bold], b.Text[b.Bold:])
}

// Strings renders blocks as String does, one string each.
func Strings(bs []Block) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.String()
	}
	return out
}

// Lines that open a paragraph whatever the line before them: headings and
// numbered items, and attribution keys standing on their own line.
var (
	paraStartRe = regexp.MustCompile(`^(?:` +
		`[一二三四五六七八九十百]+[、.．]` + // 一、
		`|[（(][一二三四五六七八九十百]+[）)]` + // （一）
		`|第[一二三四五六七八九十百0-9]+(?:部分|章|节|条|篇|项)` + // 第一部分
		`|[0-9]{1,3}(?:[、．]|\.(?:[^0-9]|$))` + // 1、 1． 1. (not 1.5)
		`|[（(][0-9]{1,3}[）)]` + // （1）
		`|[①-⑳▲△●■◆◇★☆►▶•]` +
		`|[-*+] ` + // Markdown list item
		`|#{1,6} ` + // Markdown heading
		`|\|` + // Markdown table row
		`)`)
	attrKeyRe = regexp.MustCompile(`^(?:牵头(?:区|县|市|省)?领导|责任领导|分管(?:区|县|市|省)?领导|牵头单位|牵头部门|主办单位|` +
		`责任单位|配合单位|参与单位|协办单位|责任部门|完成时限|完成时间|时间节点|时限|部门分工)[ 　]*[：:]`)
)

// StartsWithKey reports whether s opens with an attribution key (牵头单位：).
func StartsWithKey(s string) bool { return attrKeyRe.MatchString(s) }

// ParaState is what OpensParagraph needs to know of the paragraph so far,
// kept up to date as text is added so that long paragraphs cost no more
// than short ones.
type ParaState struct {
	marks int // Markdown "**" marks
	depth int // brackets left open
}

// Add accounts for text added to the paragraph.
func (st *ParaState) Add(s string) {
	st.marks += strings.Count(s, "**")
	st.depth += bracketDepth(s)
}

// OpensParagraph reports whether line (trimmed on the left) must start a new
// paragraph after a paragraph in state st. A key line continues a paragraph
// whose bracket is still open (（牵头领导：张三，/ 责任单位：…）), and a line
// that opens with "**" continues a paragraph whose bold span it closes.
func OpensParagraph(line string, st ParaState) bool {
	if strings.HasPrefix(line, "**") {
		return st.marks%2 == 0
	}
	if StartsWithKey(line) {
		return st.depth <= 0
	}
	return paraStartRe.MatchString(line)
}

// bracketDepth counts the brackets s leaves open.
func bracketDepth(s string) int {
	d := 0
	for _, r := range s {
		switch r {
		case '（', '(', '【', '[':
			d++
		case '）', ')', '】', ']':
			d--
		}
	}
	return d
}

// ASCIIWord reports whether r is an ASCII letter or digit, which Latin text
// separates from the next word by a space.
func ASCIIWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// LastRune returns the last character of s (utf8.RuneError for "").
func LastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// FirstRune returns the first character of s (utf8.RuneError for "").
func FirstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}
