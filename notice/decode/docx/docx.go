// Package docx reads Word .docx files into blocks. It streams
// word/document.xml through encoding/xml and takes from word/styles.xml and
// word/numbering.xml only what the structure reader needs: which paragraphs
// are headings, which text is bold, and the list numbers Word draws in front
// of paragraphs (（一）, 1.) that are not in the text itself. Headers,
// footers, footnotes and comments live in other parts and are never opened.
// Tables become table blocks, a merged cell's text in its first cell.
package docx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/dubanhq/duban/notice/decode/block"
	"github.com/dubanhq/duban/notice/decode/ooxml"
)

// Limits on what a .docx may make the reader do. A notice's text is a few
// hundred kilobytes, its document.xml a few megabytes of some hundred
// thousand elements; the limits leave several times that room and bound
// the reader's time and memory by them whatever the file holds.
const (
	maxDocumentXML = 20 << 20 // word/document.xml, inflated
	maxSidePartXML = 4 << 20  // styles, numbering, content types, each
	maxXML         = 24 << 20 // all the parts read, together
	maxElements    = 1_000_000
	maxText        = 8 << 20 // of the blocks
	maxItems       = 100_000 // paragraphs, table rows and cells
)

// Namespaces of WordprocessingML (transitional and strict) and of markup
// compatibility.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// ErrNoDocument is returned by Read for a package without a Word main
// document.
var ErrNoDocument = errors.New("docx: no main document in the package")

// Decode reads a .docx file into blocks.
func Decode(data []byte) ([]block.Block, error) {
	pkg, err := ooxml.Open(data, ooxml.Word)
	if err != nil {
		return nil, err
	}
	blocks, err := Read(pkg)
	if errors.Is(err, ErrNoDocument) {
		return nil, pkg.Error(err)
	}
	return blocks, err
}

// Read reads the Word document in an opened package into blocks, or
// returns ErrNoDocument when the package holds none.
func Read(pkg *ooxml.Package) ([]block.Block, error) {
	main, err := mainDocumentPart(pkg)
	if err != nil {
		return nil, err
	}
	if main == nil {
		return nil, ErrNoDocument
	}
	pkg.Format = ooxml.Word
	pkg.Limits = ooxml.Limits{Bytes: maxXML, Elements: maxElements}
	dir := path.Dir(strings.ToLower(main.Name))
	styles, err := readStyles(pkg, pkg.Part(dir+"/styles.xml"))
	if err != nil {
		return nil, err
	}
	num, err := readNumbering(pkg, pkg.Part(dir+"/numbering.xml"))
	if err != nil {
		return nil, err
	}
	rc, err := pkg.OpenPart(main, maxDocumentXML)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dr := &docxReader{styles: styles, num: num, format: pkg.Format}
	if err := dr.read(pkg.NewDecoder(rc)); err != nil {
		return nil, pkg.Error(err)
	}
	return dr.blocks, nil
}

// mainDocumentPart finds the main document: word/document.xml, or the part
// that [Content_Types].xml names as the main document (.docm, .dotx and
// some generators use other names).
func mainDocumentPart(pkg *ooxml.Package) (*zip.File, error) {
	if f := pkg.Part("word/document.xml"); f != nil {
		return f, nil
	}
	ct := pkg.Part("[content_types].xml")
	if ct == nil {
		return nil, nil
	}
	rc, err := pkg.OpenPart(ct, maxSidePartXML)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := pkg.NewDecoder(rc)
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, nil
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Override" {
			continue
		}
		ctype := ooxml.Attr(se, "ContentType")
		if strings.Contains(ctype, "wordprocessingml.document.main+xml") ||
			strings.Contains(ctype, "wordprocessingml.template.main+xml") ||
			strings.Contains(ctype, "ms-word.document.macroEnabled.main+xml") ||
			strings.Contains(ctype, "ms-word.template.macroEnabledTemplate.main+xml") {
			return pkg.Part(ooxml.Attr(se, "PartName")), nil
		}
	}
}

func isW(n xml.Name) bool { return n.Space == nsW || n.Space == nsWStrict }

// onOff reads a WordprocessingML on/off property such as <w:b/>: present
// without a value means on.
func onOff(se xml.StartElement) *bool {
	v := true
	switch strings.ToLower(ooxml.Attr(se, "val")) {
	case "0", "false", "off", "none":
		v = false
	}
	return &v
}

// ---------------------------------------------------------------- styles

// docxStyle is what the reader needs of one style in styles.xml.
type docxStyle struct {
	name, basedOn string
	b, bCs        *bool
	outline       *int
	jc            string
	numID         string
	ilvl          *int
}

type docxStyles struct {
	byID         map[string]*docxStyle
	defaultPara  string
	defB, defBCs *bool
}

// props are the formatting properties read from a pPr or rPr.
type props struct {
	styleID  string
	b, bCs   *bool
	vanish   bool
	outline  *int
	jc       string
	numID    string
	ilvl     *int
	gridSpan int
	vMerge   string // "", "restart" or "continue"
	before   int    // gridBefore
}

// readProps reads a property element (pPr, rPr, tcPr, trPr) whose start was
// just consumed, ignoring recorded revisions and the paragraph mark's run
// properties.
func readProps(dd *ooxml.Decoder) (props, error) {
	var p props
	open := 0 // containers entered (numPr)
	for {
		tok, err := dd.Token()
		if err != nil {
			return p, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if open == 0 {
				return p, nil
			}
			open--
		case xml.StartElement:
			if !isW(t.Name) {
				if err := dd.Skip(); err != nil {
					return p, err
				}
				continue
			}
			switch t.Name.Local {
			case "pStyle", "rStyle":
				p.styleID = ooxml.Attr(t, "val")
			case "b":
				p.b = onOff(t)
			case "bCs":
				p.bCs = onOff(t)
			case "vanish", "specVanish":
				p.vanish = *onOff(t)
			case "outlineLvl":
				if n, err := strconv.Atoi(ooxml.Attr(t, "val")); err == nil {
					p.outline = &n
				}
			case "jc":
				p.jc = ooxml.Attr(t, "val")
			case "gridSpan":
				p.gridSpan, _ = strconv.Atoi(ooxml.Attr(t, "val"))
			case "gridBefore":
				p.before, _ = strconv.Atoi(ooxml.Attr(t, "val"))
			case "vMerge":
				p.vMerge = ooxml.Attr(t, "val")
				if p.vMerge == "" {
					p.vMerge = "continue"
				}
			case "numPr":
				// Read numId and ilvl inside it.
				open++
				continue
			case "numId":
				p.numID = ooxml.Attr(t, "val")
			case "ilvl":
				if n, err := strconv.Atoi(ooxml.Attr(t, "val")); err == nil {
					p.ilvl = &n
				}
			}
			if t.Name.Local != "numPr" {
				if err := dd.Skip(); err != nil {
					return p, err
				}
			}
		}
	}
}

// readStyles reads styles.xml; a document without one has no styles.
func readStyles(pkg *ooxml.Package, f *zip.File) (*docxStyles, error) {
	st := &docxStyles{byID: map[string]*docxStyle{}}
	if f == nil {
		return st, nil
	}
	rc, err := pkg.OpenPart(f, maxSidePartXML)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dd := pkg.NewDecoder(rc)
	var cur *docxStyle
	inDefaults := false
	for {
		tok, err := dd.Token()
		if err == io.EOF {
			return st, nil
		} else if err != nil {
			return nil, pkg.Error(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !isW(t.Name) {
				continue
			}
			switch t.Name.Local {
			case "rPrDefault":
				inDefaults = true
			case "style":
				cur = &docxStyle{}
				id := ooxml.Attr(t, "styleId")
				st.byID[id] = cur
				if d := ooxml.Attr(t, "default"); ooxml.Attr(t, "type") == "paragraph" && (d == "1" || d == "true" || d == "on") {
					st.defaultPara = id
				}
			case "name":
				if cur != nil {
					cur.name = ooxml.Attr(t, "val")
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = ooxml.Attr(t, "val")
				}
			case "tblStylePr":
				// Conditional table formatting is not the style's own.
				if err := dd.Skip(); err != nil {
					return nil, pkg.Error(err)
				}
			case "pPr", "rPr":
				p, err := readProps(dd)
				if err != nil {
					return nil, pkg.Error(err)
				}
				switch {
				case cur != nil:
					cur.b, cur.bCs = orBool(p.b, cur.b), orBool(p.bCs, cur.bCs)
					if p.outline != nil {
						cur.outline = p.outline
					}
					if p.jc != "" {
						cur.jc = p.jc
					}
					if p.numID != "" {
						cur.numID, cur.ilvl = p.numID, p.ilvl
					}
				case inDefaults:
					st.defB, st.defBCs = p.b, p.bCs
				}
			}
		case xml.EndElement:
			if !isW(t.Name) {
				continue
			}
			switch t.Name.Local {
			case "style":
				cur = nil
			case "rPrDefault":
				inDefaults = false
			}
		}
	}
}

func orBool(a, b *bool) *bool {
	if a != nil {
		return a
	}
	return b
}

// chain returns a style and the styles it is based on, nearest first.
func (st *docxStyles) chain(id string) []*docxStyle {
	var out []*docxStyle
	for i := 0; id != "" && i < 20; i++ {
		s := st.byID[id]
		if s == nil {
			break
		}
		out = append(out, s)
		id = s.basedOn
	}
	return out
}

// headingLevel returns the outline level a paragraph style gives: from its
// name (heading N, or 标题 N in a Chinese Word), else from the outline level
// it or a style it is based on sets. Chinese Word names heading styles by
// number ("1", "2"), so the id alone says nothing.
func (st *docxStyles) headingLevel(id string) int {
	ch := st.chain(id)
	if len(ch) == 0 {
		return 0
	}
	name := strings.ToLower(strings.TrimSpace(ch[0].name))
	for _, prefix := range []string{"heading", "标题"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(rest)); err == nil && n >= 1 && n <= 9 {
				return n
			}
		}
	}
	for _, s := range ch {
		if s.outline != nil {
			return outlineHeading(*s.outline)
		}
	}
	return 0
}

// outlineHeading turns a w:outlineLvl (0-based, 9 = body text) into a
// heading level.
func outlineHeading(lvl int) int {
	if lvl >= 0 && lvl <= 8 {
		return lvl + 1
	}
	return 0
}

func (st *docxStyles) jc(id string) string {
	for _, s := range st.chain(id) {
		if s.jc != "" {
			return s.jc
		}
	}
	return ""
}

func (st *docxStyles) numbering(id string) (numID string, ilvl int) {
	for _, s := range st.chain(id) {
		if s.numID != "" {
			if s.ilvl != nil {
				ilvl = *s.ilvl
			}
			return s.numID, ilvl
		}
	}
	return "", 0
}

// bold resolves one run's boldness: the run's own properties, then its
// character style, then the paragraph style, then the document defaults.
// An explicit w:b decides; w:bCs counts only where w:b is silent.
func (st *docxStyles) bold(run props, paraStyle string) bool {
	b, bCs := run.b, run.bCs
	for _, s := range append(st.chain(run.styleID), st.chain(paraStyle)...) {
		b, bCs = orBool(b, s.b), orBool(bCs, s.bCs)
	}
	b, bCs = orBool(b, st.defB), orBool(bCs, st.defBCs)
	switch {
	case b != nil:
		return *b
	case bCs != nil:
		return *bCs
	}
	return false
}

// ------------------------------------------------------------- numbering

type numLevel struct {
	start       int
	format, tpl string
	suff        string
	isLgl       bool
}

type numDef struct {
	abstract  string
	overrides map[int]int // start overrides by level
}

// docxNumbering renders the list labels Word draws in front of numbered
// paragraphs, counting as it goes through the document.
type docxNumbering struct {
	abstract map[string]*[9]numLevel
	nums     map[string]*numDef
	counters map[string]*[9]int
	started  map[string]*[9]bool
}

func readNumbering(pkg *ooxml.Package, f *zip.File) (*docxNumbering, error) {
	n := &docxNumbering{abstract: map[string]*[9]numLevel{}, nums: map[string]*numDef{},
		counters: map[string]*[9]int{}, started: map[string]*[9]bool{}}
	if f == nil {
		return n, nil
	}
	rc, err := pkg.OpenPart(f, maxSidePartXML)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dd := pkg.NewDecoder(rc)
	var levels *[9]numLevel
	var lvl *numLevel
	var num *numDef
	override := -1
	for {
		tok, err := dd.Token()
		if err == io.EOF {
			return n, nil
		} else if err != nil {
			return nil, pkg.Error(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !isW(t.Name) {
				continue
			}
			val := ooxml.Attr(t, "val")
			switch t.Name.Local {
			case "abstractNum":
				levels = &[9]numLevel{}
				for i := range levels {
					levels[i].start = 1
				}
				n.abstract[ooxml.Attr(t, "abstractNumId")] = levels
			case "lvl":
				lvl = nil
				if i, err := strconv.Atoi(ooxml.Attr(t, "ilvl")); err == nil && i >= 0 && i < 9 && levels != nil {
					lvl = &levels[i]
				}
			case "start":
				if s, err := strconv.Atoi(val); err == nil && lvl != nil {
					lvl.start = s
				}
			case "numFmt":
				if lvl != nil {
					lvl.format = val
				}
			case "lvlText":
				if lvl != nil {
					lvl.tpl = val
				}
			case "suff":
				if lvl != nil {
					lvl.suff = val
				}
			case "isLgl":
				if lvl != nil {
					lvl.isLgl = *onOff(t)
				}
			case "num":
				levels, lvl = nil, nil
				num = &numDef{overrides: map[int]int{}}
				n.nums[ooxml.Attr(t, "numId")] = num
			case "abstractNumId":
				if num != nil {
					num.abstract = val
				}
			case "lvlOverride":
				override, _ = strconv.Atoi(ooxml.Attr(t, "ilvl"))
			case "startOverride":
				if s, err := strconv.Atoi(val); err == nil && num != nil && override >= 0 {
					num.overrides[override] = s
				}
			}
		case xml.EndElement:
			if !isW(t.Name) {
				continue
			}
			switch t.Name.Local {
			case "abstractNum":
				levels = nil
			case "lvl":
				lvl = nil
			case "lvlOverride":
				override = -1
			}
		}
	}
}

// label returns the list label of the next paragraph numbered (numID, ilvl)
// and counts it: "（一）", "1.", "" for none. Lists that share an abstract
// definition count on together, as Word does, unless one restarts.
func (n *docxNumbering) label(numID string, ilvl int) string {
	def := n.nums[numID]
	if def == nil || ilvl < 0 || ilvl > 8 {
		return ""
	}
	levels := n.abstract[def.abstract]
	if levels == nil {
		return ""
	}
	key := "a" + def.abstract
	if len(def.overrides) > 0 {
		key = "n" + numID
	}
	if n.counters[key] == nil {
		n.counters[key], n.started[key] = &[9]int{}, &[9]bool{}
	}
	count, started := n.counters[key], n.started[key]
	startOf := func(l int) int {
		if s, ok := def.overrides[l]; ok {
			return s
		}
		return levels[l].start
	}
	if started[ilvl] {
		count[ilvl]++
	} else {
		count[ilvl], started[ilvl] = startOf(ilvl), true
	}
	for l := ilvl + 1; l < 9; l++ {
		started[l] = false
	}
	lv := levels[ilvl]
	if lv.format == "bullet" {
		if r := block.FirstRune(lv.tpl); r != 0 && strings.ContainsRune("▲△●■◆◇★☆►▶•", r) {
			return lv.tpl + " "
		}
		return ""
	}
	if lv.format == "none" || lv.tpl == "" {
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(lv.tpl); i++ {
		c := lv.tpl[i]
		if c == '%' && i+1 < len(lv.tpl) && lv.tpl[i+1] >= '1' && lv.tpl[i+1] <= '9' {
			l := int(lv.tpl[i+1] - '1')
			v := count[l]
			if !started[l] {
				v = startOf(l)
			}
			format := levels[l].format
			if lv.isLgl {
				format = "decimal"
			}
			b.WriteString(formatNumber(v, format))
			i++
			continue
		}
		b.WriteByte(c)
	}
	out := b.String()
	if lv.suff != "nothing" && (block.ASCIIWord(block.LastRune(out)) || block.LastRune(out) == '.') {
		// "1." and "A" are followed by a tab or space; "一、" and "（一）"
		// need nothing in text.
		out += " "
	}
	return out
}

// formatNumber writes n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
		"taiwaneseCountingThousand", "japaneseDigitalTenThousand":
		return chineseNumber(n, []rune("〇一二三四五六七八九"), []rune("十百千"))
	case "chineseLegalSimplified":
		return chineseNumber(n, []rune("零壹贰叁肆伍陆柒捌玖"), []rune("拾佰仟"))
	case "ideographLegalTraditional":
		return chineseNumber(n, []rune("零壹貳參肆伍陸柒捌玖"), []rune("拾佰仟"))
	case "ideographDigital", "taiwaneseDigital":
		digits := []rune("〇一二三四五六七八九")
		var b strings.Builder
		for _, c := range strconv.Itoa(n) {
			if c >= '0' && c <= '9' {
				b.WriteRune(digits[c-'0'])
			}
		}
		return b.String()
	case "ideographTraditional":
		return cyclic(n, []rune("甲乙丙丁戊己庚辛壬癸"))
	case "ideographZodiac":
		return cyclic(n, []rune("子丑寅卯辰巳午未申酉戌亥"))
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune('⒈' + n - 1))
		}
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune('⑴' + n - 1))
		}
	case "ideographEnclosedCircle":
		if n >= 1 && n <= 10 {
			return string(rune('㈠' + n - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		return strings.Map(func(r rune) rune { return r - '0' + '０' }, strconv.Itoa(n))
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "upperLetter", "lowerLetter":
		if n >= 1 {
			s := strings.Repeat(string(rune('A'+(n-1)%26)), (n-1)/26+1)
			if format == "lowerLetter" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "upperRoman", "lowerRoman":
		if n >= 1 && n < 4000 {
			s := roman(n)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	}
	return strconv.Itoa(n)
}

// chineseNumber writes 0–9999 in Chinese counting: 十一, 二十, 一百零五.
func chineseNumber(n int, digits, units []rune) string {
	if n < 0 || n > 9999 {
		return strconv.Itoa(n)
	}
	if n < 10 {
		return string(digits[n])
	}
	var b strings.Builder
	places := []int{1000, 100, 10}
	zero := false
	for i, p := range places {
		d := n / p % 10
		switch {
		case d == 0:
			zero = b.Len() > 0
		default:
			if zero {
				b.WriteRune('零')
				zero = false
			}
			// 十一, not 一十一, when ten is the highest place.
			if !(p == 10 && d == 1 && n < 20) {
				b.WriteRune(digits[d])
			}
			b.WriteRune(units[2-i])
		}
	}
	if d := n % 10; d > 0 {
		if zero {
			b.WriteRune('零')
		}
		b.WriteRune(digits[d])
	}
	return b.String()
}

func cyclic(n int, names []rune) string {
	if n < 1 {
		return strconv.Itoa(n)
	}
	return string(names[(n-1)%len(names)])
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// -------------------------------------------------------------- document

// docxReader walks word/document.xml and collects blocks.
type docxReader struct {
	styles *docxStyles
	num    *docxNumbering
	blocks []block.Block
	// paraNo counts the body's paragraphs and table rows, for block.line.
	paraNo int
	paras  []*docxPara  // open paragraphs; more than one inside text boxes
	tables []*docxTable // open tables; more than one when nested
	run    props        // properties of the current run
	// text and items count what the blocks hold, err is set once they
	// hold more than a notice can.
	text, items int
	err         error
	format      ooxml.Format
}

type docxPara struct {
	pr props
	b  block.Builder
	no int
}

type docxTable struct {
	rows  [][]string
	row   []string
	cell  []string // texts of the current cell's paragraphs
	tc    props
	no    int
	inRow bool
}

func (r *docxReader) read(dd *ooxml.Decoder) error {
	for {
		tok, err := dd.Token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := r.start(dd, t); err != nil {
				return err
			}
		case xml.EndElement:
			if isW(t.Name) {
				r.end(t.Name.Local)
			}
		}
		if r.err != nil {
			return r.err
		}
	}
}

// skipped are elements whose content is not the document's text: deleted
// and moved-away revisions, field codes, references to notes and comments,
// recorded property changes, phonetic guides, content-control properties.
var skipped = map[string]bool{
	"del": true, "moveFrom": true, "instrText": true, "delText": true, "delInstrText": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
	"annotationRef": true, "fldData": true, "rPrChange": true, "pPrChange": true,
	"sectPr": true, "tblPr": true, "tblGrid": true, "tblPrEx": true, "rt": true, "sdtPr": true,
	"sdtEndPr": true, "sym": true, "object": true, "background": true,
}

func (r *docxReader) start(dd *ooxml.Decoder, t xml.StartElement) error {
	if !isW(t.Name) {
		if t.Name.Space == nsMC && t.Name.Local == "Fallback" {
			// The same content as the mc:Choice before it, for old readers.
			return dd.Skip()
		}
		return nil
	}
	name := t.Name.Local
	if skipped[name] {
		return dd.Skip()
	}
	para := r.para()
	switch name {
	case "p":
		p := &docxPara{no: r.paraNo}
		if para == nil && len(r.tables) == 0 {
			r.paraNo++
			p.no = r.paraNo
		}
		r.paras = append(r.paras, p)
	case "pPr":
		pr, err := readProps(dd)
		if para != nil {
			para.pr = pr
		}
		return err
	case "r":
		r.run = props{}
	case "rPr":
		pr, err := readProps(dd)
		r.run = pr
		return err
	case "t":
		text, err := readText(dd)
		if para != nil && !r.run.vanish {
			para.b.Add(text, r.styles.bold(r.run, para.pr.styleID))
		}
		return err
	case "tab", "ptab":
		if para != nil && !r.run.vanish {
			para.b.Add(" ", false)
		}
	case "br":
		if para != nil && ooxml.Attr(t, "type") != "page" && ooxml.Attr(t, "type") != "column" {
			para.b.LineBreak()
		}
	case "cr":
		if para != nil {
			para.b.LineBreak()
		}
	case "noBreakHyphen":
		if para != nil && !r.run.vanish {
			para.b.Add("-", r.styles.bold(r.run, para.pr.styleID))
		}
	case "tbl":
		tb := &docxTable{no: r.paraNo + 1}
		r.tables = append(r.tables, tb)
	case "tr":
		if tb := r.table(); tb != nil {
			tb.row, tb.inRow = nil, true
			if len(r.tables) == 1 && para == nil {
				r.paraNo++
			}
		}
	case "trPr":
		pr, err := readProps(dd)
		if tb := r.table(); tb != nil {
			for i := 0; i < pr.before && i < 64; i++ {
				tb.row = append(tb.row, "")
				r.count(1, 0)
			}
		}
		return err
	case "tc":
		if tb := r.table(); tb != nil {
			tb.cell, tb.tc = nil, props{}
		}
	case "tcPr":
		pr, err := readProps(dd)
		if tb := r.table(); tb != nil {
			tb.tc = pr
		}
		return err
	}
	return nil
}

func (r *docxReader) end(name string) {
	switch name {
	case "p":
		if len(r.paras) > 0 {
			p := r.paras[len(r.paras)-1]
			r.paras = r.paras[:len(r.paras)-1]
			r.endPara(p)
		}
	case "tc":
		if tb := r.table(); tb != nil {
			text := strings.Join(tb.cell, "\n")
			if tb.tc.vMerge == "continue" {
				text = ""
			}
			tb.row = append(tb.row, text)
			r.count(1, 0) // its text is counted as its paragraphs
			for i := 1; i < tb.tc.gridSpan && i < 64; i++ {
				tb.row = append(tb.row, "")
				r.count(1, 0)
			}
			tb.cell = nil
		}
	case "tr":
		if tb := r.table(); tb != nil && tb.inRow {
			tb.rows = append(tb.rows, tb.row)
			tb.row, tb.inRow = nil, false
			r.count(1, 0)
		}
	case "tbl":
		if len(r.tables) == 0 {
			return
		}
		tb := r.tables[len(r.tables)-1]
		r.tables = r.tables[:len(r.tables)-1]
		if outer := r.table(); outer != nil {
			// A table inside a cell: its text becomes lines of the cell.
			for _, row := range tb.rows {
				for _, c := range row {
					if c != "" {
						outer.cell = append(outer.cell, c)
					}
				}
			}
			return
		}
		if len(tb.rows) > 0 {
			r.blocks = append(r.blocks, block.Block{Kind: block.Table, Rows: tb.rows, Line: tb.no})
		}
	}
}

func (r *docxReader) para() *docxPara {
	if len(r.paras) == 0 {
		return nil
	}
	return r.paras[len(r.paras)-1]
}

func (r *docxReader) table() *docxTable {
	if len(r.tables) == 0 {
		return nil
	}
	return r.tables[len(r.tables)-1]
}

// endPara turns a finished paragraph into blocks, or into lines of the
// table cell it sits in.
func (r *docxReader) endPara(p *docxPara) {
	styleID := p.pr.styleID
	if styleID == "" {
		styleID = r.styles.defaultPara
	}
	heading := r.styles.headingLevel(styleID)
	if p.pr.outline != nil {
		heading = outlineHeading(*p.pr.outline)
	}
	jc := p.pr.jc
	if jc == "" {
		jc = r.styles.jc(styleID)
	}
	numID, ilvl := p.pr.numID, 0
	if p.pr.ilvl != nil {
		ilvl = *p.pr.ilvl
	}
	if numID == "" {
		numID, ilvl = r.styles.numbering(styleID)
		if p.pr.ilvl != nil {
			ilvl = *p.pr.ilvl
		}
	}
	label := ""
	if numID != "" && numID != "0" {
		label = r.num.label(numID, ilvl)
	}
	title := strings.EqualFold(r.styles.nameOf(styleID), "title")
	pieces := p.b.Pieces(jc == "center" || heading > 0 || title)
	if len(pieces) > 0 && label != "" {
		if pieces[0].Bold > 0 {
			pieces[0].Bold += len(label)
		}
		pieces[0].Text = label + pieces[0].Text
	}
	if tb := r.table(); tb != nil {
		var lines []string
		for _, pc := range pieces {
			lines = append(lines, pc.Text)
		}
		if len(lines) > 0 {
			tb.cell = append(tb.cell, strings.Join(lines, "\n"))
			r.count(1, len(tb.cell[len(tb.cell)-1]))
		}
		return
	}
	for _, pc := range pieces {
		r.blocks = append(r.blocks, block.Block{Kind: block.Para, Text: pc.Text, Bold: pc.Bold, Heading: heading, Line: p.no})
		r.count(1, len(pc.Text))
	}
}

// count accounts for items more paragraphs, cells or rows holding n bytes
// of text, and refuses a document that holds more than a notice can.
func (r *docxReader) count(items, n int) {
	r.items += items
	r.text += n
	switch {
	case r.err != nil:
	case r.text > maxText:
		r.err = r.format.TooLargeError(fmt.Sprintf("正文文字超过 %d MB", maxText>>20))
	case r.items > maxItems:
		r.err = r.format.TooLargeError(fmt.Sprintf("段落、表格行和单元格超过 %d 个", maxItems))
	}
}

func (st *docxStyles) nameOf(id string) string {
	if s := st.byID[id]; s != nil {
		return s.name
	}
	return ""
}

// readText reads the character data of a w:t whose start was just read.
func readText(dd *ooxml.Decoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := dd.Token()
		if err != nil {
			return b.String(), err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if err := dd.Skip(); err != nil {
				return b.String(), err
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}
