package decode

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode/block"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Government sites publish notices as web pages: the article sits in a
// content container (TRS_Editor, zoom, content…) among navigation, a
// breadcrumb trail, share buttons, scripts and a footer with the site's
// registration numbers. decodeHTML drops the furniture, finds the article
// and reads it as paragraphs and tables. The page arrives here already
// decoded to UTF-8 (see toUTF8; a page that says gb2312 is read as GBK).

// maxHTMLDepth bounds the element nesting the reader walks; real pages stay
// far below it, and the walk is recursive. maxHTMLTags bounds the tags of a
// page, and so the nodes of its tree (some hundred bytes each): a
// government page has a few thousand.
const (
	maxHTMLDepth = 512
	maxHTMLTags  = 200_000
)

// decodeHTML reads a web page into blocks.
func decodeHTML(s string) ([]Block, error) {
	if n := strings.Count(s, "<"); n > maxHTMLTags {
		return nil, duban.Errorf(duban.EINVALID, "网页的元素远超一份通知（%d 个标签，上限 %d 个），为安全起见不予读取："+
			"请在浏览器中只复制通知正文，粘贴到 Word 中另存为 .docx，或改用通知的 Word 或 PDF 版本。", n, maxHTMLTags)
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil, &duban.Error{Code: duban.EINVALID, Message: "网页无法解析：请在浏览器中打开后另存为网页（.html），或改用通知的 Word（.docx）版本。", Err: err}
	}
	if !depthWithin(doc, maxHTMLDepth) {
		return nil, duban.Errorf(duban.EINVALID, "网页结构异常（元素嵌套过深），为安全起见不予读取：请改用通知的 Word（.docx）或文本版本。")
	}
	body := findElement(doc, atom.Body)
	if body == nil {
		body = doc
	}
	cjk := map[*html.Node]int{}
	countCJK(body, cjk)
	pruneFurniture(body, cjk[body], cjk)
	clear(cjk)
	countCJK(body, cjk)
	root := articleRoot(body, cjk)

	w := &htmlWalker{}
	w.walk(root, 0)
	w.flush()
	out := w.blocks[:0]
	for _, b := range w.blocks {
		if b.Kind == Para && (pageToolLine(b.Text) || root == body && siteFooterLine(b.Text)) {
			continue
		}
		out = append(out, b)
	}
	return out, nil
}

// depthWithin reports whether no element of the tree is nested deeper than
// limit, without recursion.
func depthWithin(root *html.Node, limit int) bool {
	type item struct {
		n     *html.Node
		depth int
	}
	stack := []item{{root, 0}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if it.depth > limit {
			return false
		}
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, item{c, it.depth + 1})
		}
	}
	return true
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

// countCJK records for every node the number of hanzi in its text, which
// tells the article from the furniture around it.
func countCJK(n *html.Node, m map[*html.Node]int) int {
	c := 0
	switch n.Type {
	case html.TextNode:
		for _, r := range n.Data {
			if unicode.Is(unicode.Han, r) {
				c++
			}
		}
	case html.ElementNode:
		if neverContent[n.DataAtom] {
			return 0
		}
		fallthrough
	default:
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			c += countCJK(ch, m)
		}
	}
	m[n] = c
	return c
}

// neverContent are elements that hold no text of the notice.
var neverContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Iframe: true,
	atom.Select: true, atom.Button: true, atom.Textarea: true, atom.Svg: true, atom.Object: true,
	atom.Embed: true, atom.Head: true, atom.Canvas: true, atom.Audio: true, atom.Video: true, atom.Map: true,
}

// furnitureElements are page regions by their tag; a site may wrap its
// whole page in one of them (ASP.NET pages sit in a <form>), so they go only
// when they do not hold most of the page's text.
var furnitureElements = map[atom.Atom]bool{
	atom.Nav: true, atom.Header: true, atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Menu: true,
}

// pruneFurniture removes navigation, breadcrumbs, share bars, footers and
// the like, by tag or by what their id and class say.
func pruneFurniture(n *html.Node, total int, cjk map[*html.Node]int) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			major := total > 0 && cjk[c]*2 > total
			switch {
			case neverContent[c.DataAtom], hidden(c),
				!major && (furnitureElements[c.DataAtom] || furnitureName(attrOf(c, "id")) || furnitureName(attrOf(c, "class"))):
				n.RemoveChild(c)
			default:
				pruneFurniture(c, total, cjk)
			}
		} else if c.Type == html.CommentNode {
			n.RemoveChild(c)
		}
		c = next
	}
}

var (
	displayNoneRe = regexp.MustCompile(`(?i)display\s*:\s*none|visibility\s*:\s*hidden`)
	boldStyleRe   = regexp.MustCompile(`(?i)font-weight\s*:\s*(bold|bolder|[6-9]00)`)
	normalStyleRe = regexp.MustCompile(`(?i)font-weight\s*:\s*(normal|lighter|[1-5]00)`)
	centreStyleRe = regexp.MustCompile(`(?i)text-align\s*:\s*center`)
)

func hidden(n *html.Node) bool {
	if _, ok := attrLookup(n, "hidden"); ok {
		return true
	}
	return displayNoneRe.MatchString(attrOf(n, "style"))
}

func attrLookup(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOf(n *html.Node, key string) string {
	v, _ := attrLookup(n, key)
	return v
}

// furnitureName reports whether an id or class names page furniture:
// navigation, menus, breadcrumbs, footers, share bars, copyright lines,
// sidebars, and the "current position" trail of Chinese sites (position,
// location, dqwz).
func furnitureName(s string) bool {
	for _, tok := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		switch {
		case strings.HasPrefix(tok, "nav") || strings.HasSuffix(tok, "nav") || strings.HasPrefix(tok, "side") ||
			strings.HasPrefix(tok, "foot") || strings.HasPrefix(tok, "bread") || strings.HasPrefix(tok, "crumb"):
			return true
		case tok == "position" || tok == "location" || tok == "dqwz" || tok == "weizhi" || tok == "toolbar" || tok == "topbar":
			return true
		}
		for _, w := range []string{"menu", "breadcrumb", "footer", "share", "copyright", "sidebar"} {
			if strings.Contains(tok, w) {
				return true
			}
		}
	}
	return false
}

// articleName reports whether an id or class names an article container.
func articleName(s string) bool {
	s = strings.ToLower(s)
	for _, w := range []string{"content", "article", "trs_editor", "zoom", "main", "detail", "text", "zhengwen", "neirong", "wenzhang"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if tok == "zw" || tok == "con" || tok == "nr" {
			return true
		}
	}
	return false
}

// articleRoot finds the element that holds the article: among elements
// whose id or class says so and that hold at least two fifths of the page's
// hanzi, the innermost one that holds nearly as much as the largest; failing
// that, the innermost element holding four fifths of the page's hanzi.
func articleRoot(body *html.Node, cjk map[*html.Node]int) *html.Node {
	total := cjk[body]
	if total == 0 {
		return body
	}
	type cand struct {
		n     *html.Node
		depth int
	}
	var cands []cand
	var visit func(n *html.Node, depth int)
	visit = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if cjk[c]*5 >= total*2 && (articleName(attrOf(c, "id")) || articleName(attrOf(c, "class")) ||
				c.DataAtom == atom.Article || c.DataAtom == atom.Main) {
				cands = append(cands, cand{c, depth + 1})
			}
			visit(c, depth+1)
		}
	}
	visit(body, 0)
	if len(cands) > 0 {
		most := 0
		for _, c := range cands {
			most = max(most, cjk[c.n])
		}
		best := cand{}
		for _, c := range cands {
			if cjk[c.n]*10 >= most*9 && c.depth > best.depth {
				best = c
			}
		}
		return best.n
	}
	n := body
	for {
		var next *html.Node
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && cjk[c]*5 >= total*4 {
				next = c
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
}

var (
	pageToolRe = regexp.MustCompile(`^(?:[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|返回|收藏|分享到|分享|字体|字号|大|中|小|默认|微信|微博|QQ空间|扫一扫在手机打开当前页|扫一扫|保存|下载)\s*[：:]?\s*[】\]]?\s*[|｜]?\s*)+$`)
	prevNextRe = regexp.MustCompile(`^(?:上一篇|下一篇|相关链接|相关文章)\s*[：:]`)
	footerRe   = regexp.MustCompile(`网站标识码|ICP备|公网安备|政府网站找错|版权所有|Copyright|©|网站地图|联系我们|技术支持[：:]|建议使用.*浏览器|分辨率`)
	sponsorRe  = regexp.MustCompile(`^(?:主办单位|承办单位|主办|承办)[：:]`)
)

// pageToolLine reports whether a paragraph is a row of page tools (【打印本
// 页】【关闭窗口】, 字号：大 中 小), which sites put inside the article box.
func pageToolLine(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && (pageToolRe.MatchString(s) || prevNextRe.MatchString(s))
}

// siteFooterLine reports whether a paragraph is a line of a government
// site's footer. 主办单位 is also a key of attributions, so on its own it
// counts only at the start of a line that names a 承办单位 or a site mark.
func siteFooterLine(s string) bool {
	if sponsorRe.MatchString(s) {
		return strings.Contains(s, "承办") || strings.Contains(s, "网站") || strings.Contains(s, "电话") || footerRe.MatchString(s)
	}
	return footerRe.MatchString(s)
}

// htmlWalker turns the article's elements into blocks.
type htmlWalker struct {
	blocks  []Block
	cur     block.Builder
	heading int
	centred bool
	bold    bool
	pre     bool
	no      int
}

// blockElements start and end a paragraph.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Blockquote: true, atom.Pre: true,
	atom.Section: true, atom.Article: true, atom.Center: true, atom.Dd: true, atom.Dt: true,
	atom.Dl: true, atom.Address: true, atom.Ul: true, atom.Ol: true, atom.Main: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Fieldset: true,
	atom.Caption: true, atom.Details: true, atom.Summary: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Form: true,
	atom.Body: true, atom.Html: true,
}

var headingLevels = map[atom.Atom]int{atom.H1: 1, atom.H2: 2, atom.H3: 3, atom.H4: 4, atom.H5: 5, atom.H6: 6}

func (w *htmlWalker) walk(n *html.Node, depth int) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode:
	default:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c, depth+1)
		}
		return
	}
	if neverContent[n.DataAtom] || hidden(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		w.cur.LineBreak()
		return
	case atom.Img, atom.Input:
		return
	case atom.Table:
		w.flush()
		if layoutTable(n) {
			w.children(n, depth)
			w.flush()
			return
		}
		w.table(n)
		return
	}
	style := attrOf(n, "style")
	bold := w.bold
	switch {
	case n.DataAtom == atom.B || n.DataAtom == atom.Strong || boldStyleRe.MatchString(style):
		w.bold = true
	case normalStyleRe.MatchString(style):
		w.bold = false
	}
	pre := w.pre
	if n.DataAtom == atom.Pre {
		w.pre = true
	}
	if blockElements[n.DataAtom] {
		w.flush()
		heading, centred := w.heading, w.centred
		if h := headingLevels[n.DataAtom]; h > 0 {
			w.heading = h
		}
		if n.DataAtom == atom.Center || strings.EqualFold(attrOf(n, "align"), "center") || centreStyleRe.MatchString(style) {
			w.centred = true
		}
		w.children(n, depth)
		w.flush()
		w.heading, w.centred = heading, centred
	} else {
		w.children(n, depth)
	}
	w.bold, w.pre = bold, pre
}

func (w *htmlWalker) children(n *html.Node, depth int) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c, depth+1)
	}
}

// text adds a text node. White space collapses as a browser shows it,
// except that a line end in the page source between two hanzi is dropped:
// editors wrap long lines of Chinese, and the space a browser shows there
// is not in the text.
func (w *htmlWalker) text(s string) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if w.pre {
		for i, l := range strings.Split(s, "\n") {
			if i > 0 {
				w.cur.LineBreak()
			}
			w.cur.Add(strings.ReplaceAll(l, "\u00a0", " "), w.bold)
		}
		return
	}
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if !isHTMLSpace(rs[i]) {
			b.WriteRune(rs[i])
			continue
		}
		j, newline := i, false
		for ; j < len(rs) && isHTMLSpace(rs[j]); j++ {
			newline = newline || rs[j] == '\n' || rs[j] == '\r'
		}
		if !(newline && i > 0 && j < len(rs) && cjkText(rs[i-1]) && cjkText(rs[j])) {
			b.WriteByte(' ')
		}
		i = j - 1
	}
	w.cur.Add(strings.ReplaceAll(b.String(), "\u00a0", " "), w.bold)
}

func isHTMLSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' }

// cjkText reports whether r is a hanzi or a full-width punctuation mark.
func cjkText(r rune) bool {
	return unicode.Is(unicode.Han, r) || wideRune(r) && unicode.IsPunct(r)
}

// flush ends the current paragraph.
func (w *htmlWalker) flush() {
	for _, pc := range w.cur.Pieces(w.centred || w.heading > 0) {
		w.no++
		w.blocks = append(w.blocks, Block{Kind: Para, Text: pc.Text, Bold: pc.Bold, Heading: w.heading, Line: w.no})
	}
	w.cur.Reset()
}

// tableRows returns the rows of a table, not of tables nested in it.
func tableRows(t *html.Node) []*html.Node {
	var rows []*html.Node
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.DataAtom == atom.Tr {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

func rowCells(tr *html.Node) []*html.Node {
	var cells []*html.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
			cells = append(cells, c)
		}
	}
	return cells
}

// layoutTable reports whether a table only lays out the page (one cell per
// row, the article inside), so that its content reads as paragraphs.
func layoutTable(t *html.Node) bool {
	for _, tr := range tableRows(t) {
		if len(rowCells(tr)) > 1 {
			return false
		}
	}
	return true
}

// table emits a table block. colspan pads the row with empty cells so that
// columns stay in place, and a rowspan leaves empty cells in the rows it
// covers.
func (w *htmlWalker) table(t *html.Node) {
	tb := Block{Kind: Table, Line: w.no + 1}
	pending := map[int]int{} // column → rows still covered by a rowspan
	for _, tr := range tableRows(t) {
		w.no++
		var row []string
		col := 0
		fill := func() {
			for pending[col] > 0 {
				pending[col]--
				row = append(row, "")
				col++
			}
		}
		for _, td := range rowCells(tr) {
			fill()
			span := boundedAtoi(attrOf(td, "colspan"), 1, 64)
			down := boundedAtoi(attrOf(td, "rowspan"), 1, 1000)
			row = append(row, cellText(td))
			for k := 0; k < span; k++ {
				if k > 0 {
					row = append(row, "")
				}
				if down > 1 {
					pending[col] = down - 1
				}
				col++
			}
		}
		last := -1
		for c, n := range pending {
			if n > 0 && c >= col {
				last = max(last, c)
			}
		}
		for ; col <= last; col++ {
			if pending[col] > 0 {
				pending[col]--
			}
			row = append(row, "")
		}
		tb.Rows = append(tb.Rows, row)
	}
	if len(tb.Rows) > 0 {
		w.blocks = append(w.blocks, tb)
	}
}

func boundedAtoi(s string, lo, hi int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < lo {
		return lo
	}
	return min(n, hi)
}

// cellText reads a cell's content as its paragraphs joined by "\n"; a table
// nested in the cell gives its cells as lines.
func cellText(td *html.Node) string {
	sub := &htmlWalker{}
	sub.children(td, 0)
	sub.flush()
	var lines []string
	for _, b := range sub.blocks {
		switch b.Kind {
		case Para:
			lines = append(lines, b.Text)
		case Table:
			for _, row := range b.Rows {
				for _, c := range row {
					if c != "" {
						lines = append(lines, c)
					}
				}
			}
		}
	}
	return strings.Join(lines, "\n")
}
