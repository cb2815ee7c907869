package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// The page, in twips (1/20 pt; 1 mm = 56.7 twips), as GB/T 9704-2012 sets
// it: A4, top margin 37 mm, binding side 28 mm, text block 156 × 225 mm,
// which leaves 35 mm below and 26 mm on the outer side.
const (
	pageWidth    = 11906 // 210 mm
	pageHeight   = 16838 // 297 mm
	marginTop    = 2098  // 37 mm
	marginBottom = 1984  // 35 mm
	marginInner  = 1587  // 28 mm, the binding side
	marginOuter  = 1474  // 26 mm
	blockWidth   = pageWidth - marginInner - marginOuter
	// footerDistance puts the page number's line (16 pt high) so that it
	// begins 7 mm below the text block: 35 mm − 7 mm − 16 pt.
	footerDistance = 1268
	headerDistance = 851
)

// The grid: 22 lines of 28 characters in the 225 mm × 156 mm block.
// linePitch is 225 mm / 22 rounded down to whole twips; charSpace narrows
// the default 16 pt character pitch (in 1/4096 pt) so that 28 fit in 156
// mm: (8845 / 28 / 20 − 16) × 4096 ≈ −841.
const (
	linePitch = 579
	charSpace = -842
)

// Font sizes in half-points, by their Chinese names.
const (
	size2  = 44 // 二号, 22 pt: the title
	size3  = 32 // 三号, 16 pt: the body
	size4  = 28 // 四号, 14 pt: page numbers
	sizeS4 = 24 // 小四, 12 pt: tables
)

// The fonts. Each has, in the font table, the name Word falls back to on a
// machine without it: 仿宋_GB2312 and 楷体_GB2312 are the names official
// documents use, 仿宋 and 楷体 the ones Windows ships.
const (
	fontFangSong = "仿宋_GB2312"
	fontTitle    = "方正小标宋简体"
	fontHei      = "黑体"
	fontKai      = "楷体_GB2312"
	fontSong     = "宋体"
	fontLatin    = "Times New Roman"
)

// writer builds document.xml. Every text passes through text(), which
// escapes it and turns line breaks and tabs into Word's elements.
type writer struct {
	b        bytes.Buffer
	headings [2]int // the current numbers of level-1 and level-2 headings
}

const docNamespaces = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// documentXML writes word/document.xml for d, which Check has passed.
func documentXML(d *Document) []byte {
	w := &writer{}
	w.b.WriteString(xml.Header)
	w.b.WriteString(`<w:document ` + docNamespaces + `><w:body>` + "\n")
	w.head(d)
	for _, b := range d.Body {
		b.write(w)
	}
	w.end(d)
	w.b.WriteString(`<w:sectPr>` +
		`<w:footerReference w:type="default" r:id="rIdFooterOdd"/>` +
		`<w:footerReference w:type="even" r:id="rIdFooterEven"/>` +
		`<w:pgSz w:w="` + itoa(pageWidth) + `" w:h="` + itoa(pageHeight) + `"/>` +
		`<w:pgMar w:top="` + itoa(marginTop) + `" w:right="` + itoa(marginOuter) +
		`" w:bottom="` + itoa(marginBottom) + `" w:left="` + itoa(marginInner) +
		`" w:header="` + itoa(headerDistance) + `" w:footer="` + itoa(footerDistance) + `" w:gutter="0"/>` +
		`<w:cols w:space="720"/>` +
		`<w:docGrid w:type="linesAndChars" w:linePitch="` + itoa(linePitch) + `" w:charSpace="` + itoa(charSpace) + `"/>` +
		`</w:sectPr></w:body></w:document>` + "\n")
	return w.b.Bytes()
}

func itoa(n int) string { return strconv.Itoa(n) }

// para writes one paragraph of style with extra paragraph properties
// (already XML) and its text in one run with run properties rPr.
func (w *writer) para(style, pPr, rPr, text string) {
	w.b.WriteString(`<w:p><w:pPr><w:pStyle w:val="` + style + `"/>` + pPr + `</w:pPr>`)
	if text != "" {
		w.run(rPr, text)
	}
	w.b.WriteString("</w:p>\n")
}

func (w *writer) blank() { w.para("Body", `<w:ind w:firstLineChars="0" w:firstLine="0"/>`, "", "") }

// run writes text as a run, a line break in it as <w:br/> and a tab as
// <w:tab/>; characters XML cannot hold become U+FFFD.
func (w *writer) run(rPr, text string) {
	w.b.WriteString(`<w:r>`)
	if rPr != "" {
		w.b.WriteString(`<w:rPr>` + rPr + `</w:rPr>`)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			w.b.WriteString(`<w:br/>`)
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				w.b.WriteString(`<w:tab/>`)
			}
			if part == "" {
				continue
			}
			w.b.WriteString(`<w:t xml:space="preserve">`)
			_ = xml.EscapeText(&w.b, []byte(part))
			w.b.WriteString(`</w:t>`)
		}
	}
	w.b.WriteString(`</w:r>`)
}

// head writes the letterhead, the document number and the red line under
// them, then the title and the addressee, spaced as GB/T 9704 7.2–7.3.1
// sets them.
func (w *writer) head(d *Document) {
	if d.Office != "" {
		w.para("Letterhead", redLine(d.Number == ""), letterheadSize(d.Office), d.Office)
	}
	if d.Number != "" {
		pPr := ""
		if d.Office != "" {
			w.blank()
			w.blank()
			pPr = redLine(true)
		}
		w.para("DocNumber", pPr, "", d.Number)
	}
	if d.Office != "" || d.Number != "" {
		w.blank()
		w.blank()
	}
	w.para("Title", "", "", d.Title)
	if d.To != "" {
		w.blank()
		w.para("Addressee", "", "", d.To)
	}
}

// redLine is the paragraph border drawn as the separator line under the
// letterhead: red, as wide as the text block, 4 mm (11 pt) below the text.
func redLine(draw bool) string {
	if !draw {
		return ""
	}
	return `<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="FF0000"/></w:pBdr>`
}

// letterheadSize sets the letterhead's size: 36 pt (小初 is 36 pt, larger
// than the title), smaller for a long name so that it stays on one line.
func letterheadSize(office string) string {
	halfPoints := 72
	if n := utf8.RuneCountInString(office); n > 0 {
		// blockWidth twips / n characters / 10 = half-points a character.
		halfPoints = min(halfPoints, blockWidth/n/10)
	}
	return sz(max(halfPoints, size3))
}

// end writes the issuing office and the date after the body: a blank line,
// then the office with two characters of space on its right, and the date
// under it starting two characters right of the office's start; a date
// longer than that ends two characters from the right and moves the office
// left (GB/T 9704 7.3.5.2, a document without seal).
func (w *writer) end(d *Document) {
	if d.Signature == "" && d.Date.IsZero() {
		return
	}
	date := ""
	if !d.Date.IsZero() {
		date = FormatDate(d.Date)
	}
	// Widths in half characters: a Chinese character is 2, a digit 1.
	sig, dt := halfWidth(d.Signature), halfWidth(date)
	sigRight := 4
	dateRight := sigRight + sig - 4 - dt
	if dateRight < 4 {
		dateRight = 4
		sigRight = dateRight + dt + 4 - sig
	}
	w.blank()
	if d.Signature != "" {
		w.para("Signature", rightChars(sigRight), "", d.Signature)
	}
	if date != "" {
		w.para("Signature", rightChars(dateRight), "", date)
	}
}

// rightChars indents a paragraph from the right by half characters; the
// twips are for renderers that ignore rightChars, just under the grid's
// half cells.
func rightChars(half int) string {
	return `<w:ind w:rightChars="` + itoa(half*50) + `" w:right="` + itoa(half*indentTwips/4) + `"/>`
}

func halfWidth(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x1100 {
			n++
		} else {
			n += 2
		}
	}
	return n
}

func (p Paragraph) write(w *writer) { w.para("Body", "", "", p.Text) }

func (h Heading) write(w *writer) {
	if h.Level == 1 {
		w.headings[0]++
		w.headings[1] = 0
		w.para("Heading1", "", "", duban.ChineseNumeral(w.headings[0])+"、"+h.Text)
		return
	}
	w.headings[1]++
	w.para("Heading2", "", "", "（"+duban.ChineseNumeral(w.headings[1])+"）"+h.Text)
}

// write writes the table across the text block, the columns' widths in
// proportion to their Width, the header row marked to repeat on each page.
func (t Table) write(w *writer) {
	widths := make([]int, len(t.Columns))
	total := 0
	for i, c := range t.Columns {
		widths[i] = max(c.Width, 1)
		total += widths[i]
	}
	left := blockWidth
	for i := range widths {
		if i == len(widths)-1 {
			widths[i] = left
		} else {
			widths[i] = blockWidth * widths[i] / total
			left -= widths[i]
		}
	}
	w.b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/><w:tblW w:w="` + itoa(blockWidth) +
		`" w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		w.b.WriteString(`<w:gridCol w:w="` + itoa(wd) + `"/>`)
	}
	w.b.WriteString("</w:tblGrid>\n")
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Title
	}
	w.row(t.Columns, widths, header, true)
	for _, r := range t.Rows {
		w.row(t.Columns, widths, r, false)
	}
	w.b.WriteString("</w:tbl>\n")
	// A paragraph after the table, so that two tables in a row do not merge
	// and the body goes on below.
	w.blank()
}

func (w *writer) row(cols []Column, widths []int, cells []string, header bool) {
	w.b.WriteString(`<w:tr>`)
	if header {
		w.b.WriteString(`<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>`)
	}
	style, jc := "TableText", ""
	if header {
		style = "TableHeader"
	}
	for i, c := range cells {
		w.b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="` + itoa(widths[i]) + `" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>`)
		jc = ""
		if cols[i].Center && !header {
			jc = `<w:jc w:val="center"/>`
		}
		w.para(style, jc, "", c)
		w.b.WriteString(`</w:tc>`)
	}
	w.b.WriteString("</w:tr>\n")
}

// Write writes d as a .docx to out. It returns an error without writing
// anything when d does not pass Check.
func (d *Document) Write(out io.Writer) error {
	if err := d.Check(); err != nil {
		return err
	}
	z := zip.NewWriter(out)
	parts := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(packageRels)},
		{"docProps/core.xml", coreXML(d)},
		{"docProps/app.xml", []byte(appXML)},
		{"word/_rels/document.xml.rels", []byte(documentRels)},
		{"word/document.xml", documentXML(d)},
		{"word/styles.xml", []byte(stylesXML)},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/fontTable.xml", []byte(fontTableXML)},
		{"word/footer1.xml", footerXML(false)},
		{"word/footer2.xml", footerXML(true)},
	}
	for _, p := range parts {
		f, err := z.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		if _, err := f.Write(p.data); err != nil {
			return err
		}
	}
	return z.Close()
}

// Bytes returns d as a .docx.
func (d *Document) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
