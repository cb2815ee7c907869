package decode

// A Block is one paragraph or one table of a notice, in reading order, as a
// format decoder (text, Word, HTML, PDF) found it. The structure reader works
// on blocks only and never sees the file format.
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
	// with "\n".
	Rows [][]string
	// Line is where the block starts in the source: a line number for text
	// formats, a paragraph (or table row) number for Word and HTML; from 1.
	Line int
}

// Kind tells a paragraph from a table.
type Kind int

// The kinds of block.
const (
	Para Kind = iota
	Table
)

// srcLine is one line of a text-like source with its line number from 1.
type srcLine struct {
	text string
	no   int
}
