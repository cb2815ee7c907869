package notice

// A block is one paragraph or one table of a notice, in reading order, as a
// format decoder (text, Word, HTML, PDF) found it. The structure reader works
// on blocks only and never sees the file format.
type block struct {
	kind blockKind
	// text is the paragraph's text with inline white space kept as written
	// and no line breaks (a hard line break inside a paragraph is removed).
	text string
	// heading is the outline level the source gives the paragraph: the count
	// of Markdown '#', Word "Heading N" / outline level N+1, HTML hN. Zero
	// when the source does not mark it as a heading.
	heading int
	// bold is the length in bytes of the bold run that opens text; 0 when the
	// paragraph does not start in bold, len(text) when all of it is bold.
	bold int
	// rows holds a table's cells, row by row; a cell's paragraphs are joined
	// with "\n".
	rows [][]string
	// line is where the block starts in the source: a line number for text
	// formats, a paragraph (or table row) number for Word and HTML; from 1.
	line int
}

type blockKind int

const (
	kindPara blockKind = iota
	kindTable
)

// srcLine is one line of a text-like source with its line number from 1.
type srcLine struct {
	text string
	no   int
}
