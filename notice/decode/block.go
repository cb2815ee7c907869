package decode

import "github.com/dubanhq/duban/notice/decode/block"

// A Block is one paragraph or one table of a notice (see package block).
type Block = block.Block

// Kind tells a paragraph from a table.
type Kind = block.Kind

// The kinds of block.
const (
	Para  = block.Para
	Table = block.Table
)

// srcLine is one line of a text-like source with its line number from 1.
type srcLine struct {
	text string
	no   int
}
