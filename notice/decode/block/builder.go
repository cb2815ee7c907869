package block

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Builder collects the inline text of one paragraph of a Word or HTML
// document, with its boldness and its line breaks, and turns it into the
// paragraphs the structure reader sees.
type Builder struct {
	runs []inlineRun
}

type inlineRun struct {
	text string
	bold bool
	brk  bool // a line break; text is empty
}

// A Piece is one paragraph as the structure reader gets it: its text and
// the length in bytes of the bold run that opens it.
type Piece struct {
	Text string
	Bold int
}

// Add appends a run of text.
func (p *Builder) Add(text string, bold bool) {
	if text != "" {
		p.runs = append(p.runs, inlineRun{text: text, bold: bold})
	}
}

// LineBreak appends a line break.
func (p *Builder) LineBreak() { p.runs = append(p.runs, inlineRun{brk: true}) }

// Reset empties the builder for the next paragraph.
func (p *Builder) Reset() { p.runs = p.runs[:0] }

// Pieces returns the paragraph split at its line breaks. A line break ends
// a paragraph: in notices it separates an attribution key on its own line
// (牵头单位：… / 责任单位：…), and in text pasted from web pages it stands for
// the paragraph mark. In a centred paragraph (a title over two or three
// lines) a break is only a line break, and the lines are joined, unless the
// next line itself opens a paragraph (a key, a heading number).
func (p *Builder) Pieces(centred bool) []Piece {
	var out []Piece
	var line []inlineRun
	var state ParaState // of the line so far
	var last rune       // its last character other than a space
	emit := func() {
		if pc := linePiece(line); pc.Text != "" {
			out = append(out, pc)
		}
		line, state, last = line[:0], ParaState{}, 0
	}
	trimLead := false // drop the spaces that open a joined line
	for i, r := range p.runs {
		if !r.brk {
			if trimLead {
				r.text = strings.TrimLeftFunc(r.text, isLayoutSpace)
				trimLead = r.text == ""
			}
			line = append(line, r)
			state.Add(r.text)
			if t := strings.TrimRightFunc(r.text, isLayoutSpace); t != "" {
				last = LastRune(t)
			}
			continue
		}
		if centred {
			next := strings.TrimLeftFunc(lineText(p.runs[i+1:]), isLayoutSpace)
			if next != "" && last != 0 && !OpensParagraph(next, state) {
				// Spaces at the end of a line do not show; drop them.
				for len(line) > 0 {
					end := &line[len(line)-1]
					end.text = strings.TrimRightFunc(end.text, isLayoutSpace)
					if end.text != "" {
						break
					}
					line = line[:len(line)-1]
				}
				if ASCIIWord(last) && ASCIIWord(FirstRune(next)) {
					line = append(line, inlineRun{text: " "})
				}
				trimLead = true
				continue
			}
		}
		trimLead = false
		emit()
	}
	emit()
	return out
}

// lineText returns the text of runs up to the next line break.
func lineText(runs []inlineRun) string {
	var b strings.Builder
	for _, r := range runs {
		if r.brk {
			break
		}
		b.WriteString(r.text)
	}
	return b.String()
}

func isLayoutSpace(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' }

// linePiece turns the runs of one line into a paragraph: text trimmed of
// the layout spaces around it, and the length of the bold run that opens it.
// White space does not interrupt a bold run (a bold heading after an indent
// of non-bold ideographic spaces is still a bold heading).
func linePiece(runs []inlineRun) Piece {
	var b strings.Builder
	for _, r := range runs {
		b.WriteString(r.text)
	}
	full := b.String()
	text := strings.TrimLeftFunc(full, isLayoutSpace)
	lead := len(full) - len(text)
	text = strings.TrimRightFunc(text, isLayoutSpace)
	bold, pos := 0, 0
outer:
	for _, r := range runs {
		for i := 0; i < len(r.text); {
			c, size := utf8.DecodeRuneInString(r.text[i:])
			i += size
			if isLayoutSpace(c) {
				continue
			}
			if !r.bold {
				break outer
			}
			bold = pos + i - lead
		}
		pos += len(r.text)
	}
	bold = max(0, min(bold, len(text)))
	return Piece{Text: text, Bold: bold}
}
