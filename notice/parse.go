package notice

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/cjk"
	"github.com/dubanhq/duban/notice/decode"
	"github.com/dubanhq/duban/notice/letterhead"
)

// para is one paragraph of a notice on its way to the reading: a paragraph
// block, a line, or a table row turned into a paragraph.
type para struct {
	text    string
	bold    int
	heading int
	line    int
	// row is set for a table row; attr then holds the row's owners (nil for
	// a row that names nobody).
	row bool
	// targets is set for a row of a table whose header names the main
	// targets (预期目标).
	targets bool
	// keys is set for a line of attribution keys (牵头单位：…) that closes the
	// task before it; attr holds what it says.
	keys bool
	attr *attribution
	// kind is what the structure pass found the paragraph to be.
	kind paraKind
	// title is the heading's title for headings; rest is the body text that
	// followed the title in the same paragraph.
	title string
	rest  *para
	// leadsAt is the byte offset in text from which the first-listed rule
	// (列第一位的为牵头部门) applies, 0 when it was stated before the
	// paragraph, -1 when it does not apply.
	leadsAt int
	// attrs caches the attributions found in text (see attrsOf).
	attrs           []found
	unclosed, stray int
	attrsRead       bool
	attrsText       string
}

type paraKind int

const (
	paraBody paraKind = iota
	paraSection
	paraArea
	paraSkip    // a heading below the area level, or closing words
	paraTargets // the heading of the main expected targets (section 0)
)

// reader holds the state of reading one notice.
type reader struct {
	paras []*para
	out   *duban.Reading
	// workers is how many goroutines read attributions and targets.
	workers int
	// attrCache holds the attributions read so far by their text, without
	// and with the first-listed rule; an attribution in it is shared and
	// must not be changed.
	attrCache [2]map[string]*attribution
}

// readBlocks reads the structure of a notice from its blocks.
func readBlocks(blocks []decode.Block) *duban.Reading {
	size := 0
	for _, b := range blocks {
		size += len(b.Text)
		for _, row := range b.Rows {
			for _, c := range row {
				size += len(c)
			}
		}
	}
	workers := 1
	if size >= parallelSize {
		workers = runtime.GOMAXPROCS(0)
	}
	return readBlocksWith(blocks, workers)
}

// readBlocksWith reads the structure of a notice, searching paragraphs for
// attributions and tasks for targets with that many goroutines.
func readBlocksWith(blocks []decode.Block, workers int) *duban.Reading {
	r := &reader{out: &duban.Reading{Schema: duban.ReadingSchema}, workers: workers}
	r.paras = r.flatten(blocks)
	r.out.Document = r.document()
	r.markFirstLeads()
	r.markKeyLines()
	r.paras = r.joinPageBreaks(r.paras)
	r.readAttributionsInParallel()
	r.structure()
	r.extract()
	r.finish()
	return r.out
}

// document reads the document fields from the notice's first and last
// paragraphs.
func (r *reader) document() duban.DocumentInfo {
	n := len(r.paras)
	head := make([]letterhead.Para, 0, min(n, letterhead.HeadParas))
	for _, p := range r.paras[:min(n, letterhead.HeadParas)] {
		head = append(head, letterhead.Para{Text: p.text, Row: p.row})
	}
	tail := make([]letterhead.Para, 0, min(n, letterhead.TailParas))
	for _, p := range r.paras[max(n-letterhead.TailParas, 0):] {
		tail = append(tail, letterhead.Para{Text: p.text, Row: p.row})
	}
	return letterhead.Read(head, tail)
}

// flatten turns blocks into paragraphs, tables into one paragraph per row.
func (r *reader) flatten(blocks []decode.Block) []*para {
	var out []*para
	for _, b := range blocks {
		if b.Kind == decode.Table {
			out = append(out, r.tableRows(b)...)
			continue
		}
		if cjk.AtMost(b.Text, 200) && isSiteFooter(b.Text) {
			// 主办单位：…　技术支持：… at the foot of a web page: no key line.
			continue
		}
		text := b.Text
		if cuts := runOnCuts(text); cuts != nil {
			// A page's body run into one line: its paragraphs again.
			out = append(out, &para{text: strings.TrimSpace(text[:cuts[0]]), bold: min(b.Bold, cuts[0]), heading: b.Heading, line: b.Line})
			for i, c := range cuts {
				end := len(text)
				if i+1 < len(cuts) {
					end = cuts[i+1]
				}
				out = append(out, &para{text: strings.TrimSpace(text[c:end]), line: b.Line})
			}
			continue
		}
		out = append(out, &para{text: text, bold: b.Bold, heading: b.Heading, line: b.Line})
	}
	return r.flattenedTables(out)
}

// runOnMin is the length in bytes from which a line is looked at for
// paragraphs run into it; runOnSplits is how many it must hold.
const (
	runOnMin    = 600
	runOnSplits = 2
)

// runOnCuts finds the paragraphs that a copy of a web page ran into one
// line with a space between them (…缩小。 责任单位:县发改局… 2.落实…): it
// returns the offsets in s where a heading or item number or an attribution
// key follows a space outside brackets, in order, or nil when s holds fewer
// than runOnSplits of them.
func runOnCuts(s string) []int {
	if len(s) < runOnMin {
		return nil
	}
	// Where a paragraph could open after a space; a search per kind of
	// space keeps the scan in the fast byte search.
	var cands []int
	for _, space := range []string{" ", "\u3000"} {
		for i := 0; ; {
			j := strings.Index(s[i:], space)
			if j < 0 {
				break
			}
			k := i + j + len(space)
			for k < len(s) {
				if s[k] == ' ' {
					k++
				} else if strings.HasPrefix(s[k:], "\u3000") {
					k += len("\u3000")
				} else {
					break
				}
			}
			if k < len(s) && opensParagraph(s[k:]) {
				cands = append(cands, k)
			}
			i = k
		}
	}
	if len(cands) < runOnSplits {
		return nil
	}
	slices.Sort(cands)
	cands = slices.Compact(cands)
	// Only those outside brackets.
	var cuts []int
	depth, from := 0, 0
	for _, k := range cands {
		depth = openAfter(s[from:k], depth)
		from = k
		if depth == 0 {
			cuts = append(cuts, k)
		}
	}
	if len(cuts) < runOnSplits {
		return nil
	}
	return cuts
}

// opensParagraph reports whether s opens as a paragraph of a notice's body
// does: a heading or item number followed by text, or an attribution key
// and its colon.
func opensParagraph(s string) bool {
	if c := s[0]; c >= '0' && c <= '9' {
		// Most spaces stand before numbers (增长 8%): an item number needs
		// its dot right after the digits.
		i := 1
		for i < len(s) && i < 4 && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == len(s) || s[i] != '.' && s[i] != 0xE3 && s[i] != 0xEF {
			return false
		}
	}
	if lvl, n := cjk.OrdinalLevel(s); lvl > 0 {
		r, _ := utf8.DecodeRuneInString(s[n:])
		return r != utf8.RuneError && !unicode.IsDigit(r) && !unicode.IsSpace(r)
	}
	head := s
	if len(head) > 40 {
		head = head[:40]
	}
	if !strings.Contains(head, "：") && strings.IndexByte(head, ':') < 0 {
		return false
	}
	k, _, found := cutKey(head)
	return found && (classifyKey(k) != keyNone || isPhraseKey(k))
}

// warn records a warning for the office.
func (r *reader) warn(line int, code, format string, args ...any) {
	r.out.Warnings = append(r.out.Warnings, duban.Warning{Line: line, Code: code, Message: fmt.Sprintf(format, args...)})
}

// markFirstLeads marks where the first-listed rule (列第一位的为牵头部门)
// applies: from the sentence or bracket that states it to the end of the
// notice.
func (r *reader) markFirstLeads() {
	stated := false
	for _, p := range r.paras {
		switch {
		case stated:
			p.leadsAt = 0
		case p.row || !mayStateFirstLeads(p.text):
			p.leadsAt = -1
		default:
			p.leadsAt = -1
			if loc := reFirstLeads.FindStringIndex(p.text); loc != nil {
				p.leadsAt, stated = loc[0], true
			}
		}
	}
}

// isSiteFooter reports whether a line is the footer of a government web
// site, whose 主办单位 is no task's owner.
func isSiteFooter(s string) bool {
	for _, m := range []string{"技术支持", "网站标识码", "ICP备", "版权所有", "公网安备", "网站地图"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// markKeyLines finds paragraphs that consist of attribution keys only, as
// notices write them on their own lines after a task.
func (r *reader) markKeyLines() {
	for i, p := range r.paras {
		if p.row {
			continue
		}
		k, _, found := cutKey(p.text)
		if !found || classifyKey(k) == keyNone && !isPhraseKey(k) {
			continue
		}
		if i > 0 && openAfter(r.paras[i-1].text, 0) > 0 {
			// The rest of a bracket that a page break cut.
			continue
		}
		if a, ok := parseKeyed(p.text, p.leadsAt >= 0); ok && (a.namesOwner() || i > 0 && r.paras[i-1].keys) {
			// A deadline alone on its line belongs to the keys above it.
			p.keys, p.attr = true, a
		}
	}
}

// joinPageBreaks joins a paragraph that a page break cut (it ends without
// punctuation, or inside an open bracket) with the paragraph after it.
func (r *reader) joinPageBreaks(ps []*para) []*para {
	var out []*para
	for i := 0; i < len(ps); i++ {
		p := ps[i]
		j := joining{tail: p.text, short: cjk.AtMost(p.text, 60), shorter: cjk.AtMost(p.text, 30), depth: openAfter(p.text, 0)}
		var b strings.Builder
		for i+1 < len(ps) && r.continues(p, ps[i+1], j) {
			next := ps[i+1]
			if b.Len() == 0 {
				b.Grow(2 * (len(p.text) + len(next.text)))
				b.WriteString(p.text)
			}
			if p.leadsAt < 0 && next.leadsAt >= 0 {
				p.leadsAt = b.Len() + next.leadsAt
			}
			b.WriteString(next.text)
			j = joining{tail: next.text, depth: openAfter(next.text, j.depth)}
			i++
		}
		if b.Len() > 0 {
			p.text = b.String()
		}
		out = append(out, p)
	}
	return out
}

// joining describes a paragraph being joined: its last piece, whether it is
// short (at most 60, or 30, characters) and how many brackets it leaves open.
// Keeping these avoids rescanning the joined text, which would make joining
// quadratic.
type joining struct {
	tail           string
	short, shorter bool
	depth          int
}

// continues reports whether next is the rest of p, cut by a page break.
func (r *reader) continues(p, next *para, j joining) bool {
	if p.row || p.keys || next.row || next.keys || next.heading > 0 || p.heading > 0 {
		return false
	}
	if p.bold == len(p.text) && p.bold > 0 {
		return false
	}
	if j.depth > 0 {
		// The rest of a bracket that a page break cut, when the next
		// paragraph closes it; a bracket left open by a damaged line
		// (港政发〔20251) must not swallow the notice.
		return openAfter(next.text, j.depth) < j.depth
	}
	if endsTerminal(j.tail) {
		return false
	}
	if lvl, _ := cjk.OrdinalLevel(p.text); lvl > 0 && lvl < 3 && j.short {
		// 一、坚持工业强区，加快构建现代产业体系: a heading, which needs no
		// punctuation at its end.
		return false
	}
	if lvl, _ := cjk.OrdinalLevel(next.text); lvl > 0 && lvl < 3 {
		return false
	}
	// A short line without punctuation standing alone is a heading or a line
	// of the letterhead, not the first half of a sentence.
	if j.shorter && !strings.ContainsAny(j.tail, "，,；;、") {
		return false
	}
	return true
}

// openAfter returns how many brackets are open after s, starting from
// depth open brackets.
func openAfter(s string, depth int) int {
	for i := 0; i < len(s); i++ {
		if !mayBracket(s[i]) {
			continue
		}
		delta, size := bracketAt(s, i)
		if delta > 0 || delta < 0 && depth > 0 {
			depth += delta
		}
		i += size - 1
	}
	return depth
}
