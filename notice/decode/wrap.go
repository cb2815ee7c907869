package decode

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dubanhq/duban/notice/decode/block"
)

// Text that comes out of a PDF, or that somebody typed with hard line ends,
// breaks every paragraph into lines of the page width and carries the page
// furniture along: page numbers, running headers, form feeds. The structure
// reader wants one paragraph per line, so unwrapLines removes the furniture
// and joins the wrapped lines again.
//
// Widths are display columns, with CJK and full-width characters counting
// two and ASCII one. That is what a page holds: a digit or a Latin letter
// takes about half the room of a hanzi, so a line of 26 hanzi and "2022"
// is as full as a line of 28 hanzi, while counting runes would call it two
// characters longer.

// wline is a line of text with what the furniture pass learnt about it.
type wline struct {
	srcLine
	// pageBreak is set when a page ends right before this line.
	pageBreak bool
}

// unwrapLines removes page furniture from the lines of a text notice and,
// when the text is hard-wrapped, joins each paragraph onto one line. Line
// numbers stay those of the source (a joined paragraph has the number of
// its first line). Text that is not hard-wrapped comes back unchanged but
// for the furniture.
func unwrapLines(lines []srcLine) []srcLine {
	wl := dropPageFurniture(lines)
	if width := wrapWidth(wl); width > 0 {
		return joinWrapped(wl, width)
	}
	out := make([]srcLine, len(wl))
	for i, l := range wl {
		out[i] = l.srcLine
	}
	return out
}

// Page numbers as PDF-to-text tools and word processors print them.
var pageNumberRes = []*regexp.Regexp{
	regexp.MustCompile(`^[-－—–―─~～]+ *[0-9]{1,4} *[-－—–―─~～]+$`),                 // — 3 —, - 3 -, —3—
	regexp.MustCompile(`^第 *[0-9]{1,4} *页 *(?:[,，、/] *)?(?:共 *[0-9]{1,4} *页)?$`), // 第 3 页, 第3页 共12页
	regexp.MustCompile(`^共 *[0-9]{1,4} *页 *[,，、]? *第 *[0-9]{1,4} *页$`),
	regexp.MustCompile(`^[0-9]{1,4} */ *[0-9]{1,4}$`), // 3/12
	regexp.MustCompile(`^(?i:page) *[0-9]{1,4}(?: *(?i:of|/) *[0-9]{1,4})?$`),
}

var (
	bareNumberRe = regexp.MustCompile(`^[0-9]{1,4}$`)
	digitsRe     = regexp.MustCompile(`[0-9]+`)
)

// furnitureText returns a line's text with the spaces of Chinese layout
// (ideographic, no-break, full-width digits) made plain and trimmed, for
// matching page furniture.
func furnitureText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\u3000' || r == '\u00a0' || r == '\t' || r == '\f' || r == '\v':
			return ' '
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '／':
			return '/'
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func isPageNumber(s string) bool {
	for _, re := range pageNumberRes {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// dropPageFurniture removes form feeds, page numbers and running headers and
// marks where the pages break.
func dropPageFurniture(lines []srcLine) []wline {
	wl := make([]wline, 0, len(lines))
	breakNext := false
	for _, l := range lines {
		w := wline{srcLine: l, pageBreak: breakNext}
		breakNext = false
		if i := strings.IndexByte(l.text, '\f'); i >= 0 {
			if strings.TrimSpace(l.text[:i]) == "" {
				w.pageBreak = true
			} else {
				breakNext = true
			}
			w.text = strings.ReplaceAll(l.text, "\f", "")
		}
		wl = append(wl, w)
	}

	removed := make([]bool, len(wl))
	remove := func(i int) {
		removed[i] = true
		// The page break moves to the next line that stays.
		for j := i + 1; j < len(wl); j++ {
			if !removed[j] {
				wl[j].pageBreak = true
				break
			}
		}
	}
	for i := range wl {
		// Page numbers are short; most lines are told apart by length alone.
		if len(wl[i].text) <= 80 && isPageNumber(furnitureText(wl[i].text)) {
			remove(i)
		}
	}
	dropBareNumbers(wl, removed, remove)
	dropRunningHeads(wl, removed, remove)

	out := wl[:0]
	for i, w := range wl {
		if !removed[i] {
			out = append(out, w)
		}
	}
	return out
}

// dropBareNumbers removes page numbers printed as a bare number on a line of
// their own. A bare number can also be a table cell copied as text (序号 1, 2,
// 3), so it goes only when it sits at a page break already known (or ends a
// text that has page breaks), or when numbers standing alone between blank
// lines count up one by one with a page's worth of text between them.
func dropBareNumbers(wl []wline, removed []bool, remove func(int)) {
	type cand struct{ i, n int }
	var seq []cand
	breaks, lastText := 0, -1
	for i, w := range wl {
		if w.pageBreak {
			breaks++
		}
		if !removed[i] && !blankLine(w.text) {
			lastText = i
		}
	}
	for i := range wl {
		if removed[i] || len(wl[i].text) > 40 || !bareNumberRe.MatchString(furnitureText(wl[i].text)) {
			continue
		}
		if i == lastText && breaks > 0 {
			// The number of the last page, after which no page break comes.
			remove(i)
			continue
		}
		prev, next := i-1, i+1
		for prev >= 0 && (removed[prev] || blankLine(wl[prev].text)) {
			prev--
		}
		atBreak := wl[i].pageBreak
		for j := i + 1; j < len(wl) && (removed[j] || blankLine(wl[j].text)); j++ {
			atBreak = atBreak || wl[j].pageBreak
			next = j + 1
		}
		if next < len(wl) && wl[next].pageBreak {
			atBreak = true
		}
		if atBreak {
			remove(i)
			continue
		}
		alone := (i == 0 || blankLine(wl[i-1].text)) && (i+1 == len(wl) || blankLine(wl[i+1].text))
		if alone {
			n, _ := strconv.Atoi(furnitureText(wl[i].text))
			seq = append(seq, cand{i, n})
		}
	}
	// Runs of numbers n, n+1, n+2… at least a page apart.
	const minPageLines = 8
	textBetween := func(a, b int) int {
		c := 0
		for j := a + 1; j < b; j++ {
			if !removed[j] && !blankLine(wl[j].text) {
				c++
			}
		}
		return c
	}
	for k := 0; k < len(seq); {
		end := k
		for end+1 < len(seq) && seq[end+1].n == seq[end].n+1 && textBetween(seq[end].i, seq[end+1].i) >= minPageLines {
			end++
		}
		if end > k {
			for j := k; j <= end; j++ {
				remove(seq[j].i)
			}
		}
		k = end + 1
	}
}

// dropRunningHeads removes a header or footer line that the pages repeat:
// the same short line (digits aside) first or last on at least three pages
// and on two pages in five, and found mostly there. Without known page
// breaks nothing is removed, since a notice repeats lines of its own
// (责任单位：各街道办事处).
func dropRunningHeads(wl []wline, removed []bool, remove func(int)) {
	var firsts, lasts []int // per page, index of its first and last text line
	first, last := -1, -1
	endPage := func() {
		if first >= 0 {
			firsts = append(firsts, first)
			lasts = append(lasts, last)
		}
		first, last = -1, -1
	}
	for i, w := range wl {
		if w.pageBreak {
			endPage()
		}
		if removed[i] || blankLine(w.text) {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	endPage()
	if len(firsts) < 3 {
		return
	}
	key := func(i int) string {
		if len(wl[i].text) > 4*60 {
			return ""
		}
		t := furnitureText(wl[i].text)
		if utf8.RuneCountInString(t) > 60 || block.StartsWithKey(t) {
			return ""
		}
		return digitsRe.ReplaceAllString(t, "#")
	}
	// A running head stands at the page edge and hardly anywhere else.
	everywhere := map[string]int{}
	for i, w := range wl {
		if !removed[i] && !blankLine(w.text) {
			if k := key(i); k != "" {
				everywhere[k]++
			}
		}
	}
	for _, edge := range [][]int{firsts, lasts} {
		count := map[string]int{}
		for _, i := range edge {
			if k := key(i); k != "" {
				count[k]++
			}
		}
		for _, i := range edge {
			k := key(i)
			if c := count[k]; k != "" && c >= 3 && c*5 >= len(firsts)*2 && c*2 >= everywhere[k] && !removed[i] {
				remove(i)
			}
		}
	}
}

func blankLine(s string) bool {
	return strings.TrimFunc(s, unicode.IsSpace) == ""
}

// wrapWidth returns the width in columns at which the text is hard-wrapped,
// or 0 when it is not. A hard-wrapped text has many lines of nearly the same
// width, the width of the page, and almost none longer; a text with one
// paragraph per line has widths all over the place.
func wrapWidth(wl []wline) int {
	var widths []int
	for _, w := range wl {
		t := strings.TrimRightFunc(w.text, unicode.IsSpace)
		if strings.HasPrefix(strings.TrimSpace(t), "|") {
			continue // Markdown tables are as wide as they are.
		}
		if len(t) > 480 {
			// At least 240 columns (a character takes at most two bytes a
			// column): far wider than any page, and not worth measuring
			// character by character.
			widths = append(widths, len(t)/2)
			continue
		}
		if d := displayWidth(t); d >= 10 {
			widths = append(widths, d)
		}
	}
	if len(widths) < 6 {
		return 0
	}
	sort.Ints(widths)
	within := func(lo, hi int) int { return sort.SearchInts(widths, hi+1) - sort.SearchInts(widths, lo) }
	// The page width is the most common width, give or take a column.
	peak, peakCount := 0, 0
	for i, w := range widths {
		if w < 30 || (i+1 < len(widths) && widths[i+1] == w) {
			continue
		}
		if c := within(w-1, w+1); c > peakCount {
			peak, peakCount = w, c
		}
	}
	if peak == 0 {
		return 0
	}
	tol := wrapTolerance(peak)
	full := within(peak-tol, peak+tol)
	longer := len(widths) - sort.SearchInts(widths, peak+tol+1)
	if full < 5 || full*10 < len(widths)*4 || longer*100 > len(widths)*15 {
		return 0
	}
	return peak
}

// wrapTolerance is how much shorter than the page width a line may be and
// still count as full: a character or two goes to the next line when a line
// may not start with the punctuation that follows it (，。）), and numbers and
// Latin words are not split.
func wrapTolerance(width int) int { return 4 + width/40 }

// displayWidth returns the width of s in columns, CJK and full-width
// characters counting two, a tab four.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		switch {
		case r == '\t':
			w += 4
		case r < 0x20:
		case wideRune(r):
			w += 2
		case r >= 0x300 && unicode.Is(unicode.Mn, r):
		default:
			w++
		}
	}
	return w
}

// wideRune reports whether r takes the room of a hanzi in Chinese type: the
// East Asian wide and full-width characters, and the punctuation and symbols
// that Chinese fonts draw full-width (“” — … ① ▲ ℃).
func wideRune(r rune) bool {
	switch {
	case r < 0x1100:
		return r == 0xB7 || r == 0xD7 || r == 0xF7 // · × ÷
	case r <= 0x115F, r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x203B,
		r >= 0x2100 && r <= 0x27BF, r >= 0x2E80 && r <= 0x303E, r >= 0x3041 && r <= 0x33FF,
		r >= 0x3400 && r <= 0x4DBF, r >= 0x4E00 && r <= 0x9FFF, r >= 0xA000 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F,
		r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6, r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}

// leadWidth returns the width of the indentation that opens s.
func leadWidth(s string) int {
	t := strings.TrimLeftFunc(s, unicode.IsSpace)
	return displayWidth(strings.Map(func(r rune) rune {
		if r == '\u3000' {
			return r
		}
		return ' '
	}, s[:len(s)-len(t)]))
}

// sentenceEnd reports whether s ends where a paragraph may end.
func sentenceEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRightFunc(s, unicode.IsSpace))
	return strings.ContainsRune("。！？：；!?:;", r)
}

// joinWrapped joins hard-wrapped lines into paragraphs, one per line, with a
// blank line between them. A line continues the paragraph above when the
// line above is full (it was wrapped, not ended), the line itself does not
// open a paragraph (indent, heading, item number, key), and no blank line
// separates them other than the blank lines around a page break.
func joinWrapped(wl []wline, width int) []srcLine {
	tol := wrapTolerance(width)
	margin := -1
	for _, w := range wl {
		if !blankLine(w.text) {
			if lw := leadWidth(w.text); margin < 0 || lw < margin {
				margin = lw
			}
		}
	}
	indents := indentsParagraphs(wl, width, margin)
	var out []srcLine
	var cur strings.Builder
	var state block.ParaState
	curNo, lastLine := 0, ""
	flush := func() {
		if cur.Len() > 0 {
			if len(out) > 0 {
				out = append(out, srcLine{no: curNo})
			}
			out = append(out, srcLine{text: cur.String(), no: curNo})
		}
		cur.Reset()
	}
	blank, pageBreak := false, false
	for _, w := range wl {
		pageBreak = pageBreak || w.pageBreak
		line := strings.TrimRightFunc(w.text, unicode.IsSpace)
		if blankLine(line) {
			blank = true
			continue
		}
		body := strings.TrimLeftFunc(line, unicode.IsSpace)
		indent := leadWidth(line) - margin
		lastBody := displayWidth(strings.TrimLeftFunc(lastLine, unicode.IsSpace))
		var cont bool
		switch {
		case cur.Len() == 0, block.OpensParagraph(body, state),
			blank && !pageBreak && sentenceEnd(lastLine):
		case indent >= 2:
			// An indented line starts a paragraph, unless it is the centred
			// rest of a line that ran (nearly) full without ending: a title
			// or heading over two lines, whose larger type fills a line
			// with fewer characters.
			cont = indent > 8 && !sentenceEnd(lastLine) && lastBody*3 >= width*2
		case displayWidth(lastLine) >= width-tol:
			// The line above ran full: this one continues it.
			cont = true
		case indents:
			// The line above ended short, but where paragraphs open
			// indented, an unindented line still continues a sentence
			// left open: punctuation that may not start or end a line
			// (“专”“精”) pulls several characters down together.
			cont = !sentenceEnd(lastLine) && leadWidth(lastLine)-margin <= 8 && lastBody*2 >= width
		}
		if cont {
			// Latin words wrap at a space; numbers and hanzi wrap anywhere.
			if asciiLetter(block.LastRune(lastLine)) && asciiLetter(block.FirstRune(body)) {
				cur.WriteByte(' ')
			}
			cur.WriteString(body)
		} else {
			flush()
			curNo, state = w.no, block.ParaState{}
			cur.WriteString(line)
		}
		state.Add(body)
		lastLine = line
		blank, pageBreak = false, false
	}
	flush()
	return out
}

// indentsParagraphs reports whether the text marks its paragraphs by
// indenting their first line: the lines after most clear paragraph ends
// (a short line closing a sentence) are indented, headings and numbered
// items aside.
func indentsParagraphs(wl []wline, width, margin int) bool {
	tol := wrapTolerance(width)
	var n, indented int
	prev := ""
	for _, w := range wl {
		line := strings.TrimRightFunc(w.text, unicode.IsSpace)
		if blankLine(line) {
			continue
		}
		if prev != "" && displayWidth(prev) < width-tol && sentenceEnd(prev) && leadWidth(prev)-margin <= 8 &&
			!block.OpensParagraph(strings.TrimLeftFunc(line, unicode.IsSpace), block.ParaState{}) {
			n++
			if in := leadWidth(line) - margin; in >= 2 && in <= 8 {
				indented++
			}
		}
		prev = line
	}
	return n >= 3 && indented*10 >= n*7
}

func asciiLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
