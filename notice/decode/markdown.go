package decode

import (
	"regexp"
	"strings"
	"unicode"
)

// decodeText turns the lines of a text or Markdown notice into blocks, one
// per line: notices written as text put each paragraph on one line once hard
// wraps are undone (see textLines), and keys or table cells that stand on
// lines of their own must stay apart. Markdown marks are read and removed:
// '#' headings, '**bold**' openings, '|' tables, and a line left inside an
// open '**' continuing on the next line.
func decodeText(lines []srcLine) []Block {
	var out []Block
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		text := trimSpace(l.text)
		if text == "" {
			continue
		}
		if isTableLine(text) {
			tb := Block{Kind: Table, Line: l.no}
			for ; i < len(lines); i++ {
				t := trimSpace(lines[i].text)
				if !isTableLine(t) {
					break
				}
				if mdTableRule.MatchString(t) {
					continue
				}
				tb.Rows = append(tb.Rows, splitTableLine(t))
			}
			i--
			out = append(out, tb)
			continue
		}
		// A bold span or a Markdown hard break ("  " at the end) carries the
		// paragraph over to the next line.
		start := l.no
		marks := strings.Count(text, "**")
		if marks%2 == 1 || strings.HasSuffix(l.text, "  ") {
			var b strings.Builder
			b.WriteString(text)
			for (marks%2 == 1 || strings.HasSuffix(l.text, "  ")) && i+1 < len(lines) {
				next := trimSpace(lines[i+1].text)
				if next == "" || isTableLine(next) {
					break
				}
				i++
				l = lines[i]
				b.WriteString(next)
				marks += strings.Count(next, "**")
			}
			text = b.String()
		}
		b := Block{Kind: Para, Line: start}
		if m := mdHeading.FindStringSubmatch(text); m != nil {
			b.Heading = len(m[1])
			text = strings.TrimSpace(m[2])
			text = strings.TrimRight(text, "# ")
		}
		text = strings.TrimPrefix(text, "> ")
		b.Text, b.Bold = stripEmphasis(text)
		b.Text = strings.TrimSpace(b.Text)
		if b.Bold > len(b.Text) {
			b.Bold = len(b.Text)
		}
		if b.Text != "" {
			out = append(out, b)
		}
	}
	return out
}

var (
	mdHeading   = regexp.MustCompile(`^(#{1,6})\s+(.*)$`)
	mdTableRule = regexp.MustCompile(`^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$`)
)

// isTableLine reports whether a line is a row of a Markdown pipe table.
func isTableLine(s string) bool {
	return len(s) > 2 && strings.HasPrefix(s, "|") && strings.HasSuffix(s, "|") && strings.Count(s, "|") >= 3
}

func splitTableLine(s string) []string {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "|"), "|")
	cells := strings.Split(s, "|")
	for i, c := range cells {
		c = strings.ReplaceAll(c, "<br>", "\n")
		c, _ = stripEmphasis(strings.TrimSpace(c))
		cells[i] = c
	}
	return cells
}

// stripEmphasis removes Markdown '**' and '__' marks and returns the length
// in bytes of the bold run that opens the result.
func stripEmphasis(s string) (string, int) {
	bold := 0
	if strings.HasPrefix(s, "**") {
		if end := strings.Index(s[2:], "**"); end >= 0 {
			bold = end
		} else {
			bold = len(s) - 2
		}
	}
	if strings.Contains(s, "**") {
		s = strings.ReplaceAll(s, "**", "")
	}
	if strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "")
	}
	return s, bold
}

// trimSpace trims white space, the ideographic space and no-break space that
// Chinese documents indent with, and a byte-order mark.
func trimSpace(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}
