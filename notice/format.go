package notice

import (
	"strings"
)

// decode turns a notice file into blocks. (Temporary: UTF-8 text only.)
func decode(name string, data []byte) ([]block, error) {
	return decodeText(textLines(string(data))), nil
}

// textLines splits text into numbered lines.
func textLines(s string) []srcLine {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var out []srcLine
	for i, l := range strings.Split(s, "\n") {
		out = append(out, srcLine{text: l, no: i + 1})
	}
	return out
}
