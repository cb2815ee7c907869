package notice

import "duban"

// readBlocks reads the structure of a notice from its blocks.
func readBlocks(blocks []block) *duban.Reading {
	return &duban.Reading{Schema: duban.ReadingSchema}
}
