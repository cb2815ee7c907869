package docx

import (
	"bytes"
	"encoding/xml"
	"strconv"
)

// The package's fixed parts: content types, relationships, styles,
// settings, the font table and the two footers.

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
	`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>` +
	`<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>` +
	`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>` +
	`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>` +
	`</Types>`

const relsNS = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
const relType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

const packageRels = xml.Header + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rId1" Type="` + relType + `officeDocument" Target="word/document.xml"/>` +
	`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
	`<Relationship Id="rId3" Type="` + relType + `extended-properties" Target="docProps/app.xml"/>` +
	`</Relationships>`

const documentRels = xml.Header + `<Relationships ` + relsNS + `>` +
	`<Relationship Id="rIdStyles" Type="` + relType + `styles" Target="styles.xml"/>` +
	`<Relationship Id="rIdSettings" Type="` + relType + `settings" Target="settings.xml"/>` +
	`<Relationship Id="rIdFonts" Type="` + relType + `fontTable" Target="fontTable.xml"/>` +
	`<Relationship Id="rIdFooterOdd" Type="` + relType + `footer" Target="footer1.xml"/>` +
	`<Relationship Id="rIdFooterEven" Type="` + relType + `footer" Target="footer2.xml"/>` +
	`</Relationships>`

const appXML = xml.Header + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
	`<Application>duban</Application></Properties>`

// coreXML holds the document's title and date as its properties.
func coreXML(d *Document) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>`)
	_ = xml.EscapeText(&b, []byte(d.Title))
	b.WriteString(`</dc:title><dc:creator>`)
	_ = xml.EscapeText(&b, []byte(d.Signature))
	b.WriteString(`</dc:creator>`)
	if !d.Date.IsZero() {
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + d.Date.Format("2006-01-02") + `</dcterms:created>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.Bytes()
}

// rFonts names a run's fonts: Latin letters and digits in latin, Chinese
// in eastAsia.
func rFonts(latin, eastAsia string) string {
	return `<w:rFonts w:ascii="` + latin + `" w:hAnsi="` + latin + `" w:eastAsia="` + eastAsia + `" w:cs="` + latin + `"/>`
}

func sz(halfPoints int) string {
	s := strconv.Itoa(halfPoints)
	return `<w:sz w:val="` + s + `"/><w:szCs w:val="` + s + `"/>`
}

// offGrid takes a paragraph off the document grid (a larger or smaller
// font than the body's would otherwise take two grid cells a character, or
// a full grid line a line) and sets its line height exactly.
func offGrid(lineTwips int) string {
	return `<w:snapToGrid w:val="0"/><w:spacing w:line="` + strconv.Itoa(lineTwips) + `" w:lineRule="exact"/>`
}

// indentTwips is two characters' indent for renderers that ignore
// firstLineChars (which Word follows): just under two grid cells (2 × 315.9
// twips), as LibreOffice rounds an indent up to whole cells.
const indentTwips = 630

// The styles. The defaults are the body's: 三号仿宋 justified on the grid
// (the size also on Normal, where LibreOffice reads the grid's character
// pitch from, and the characters condensed by a quarter point, so that a
// 16 pt character fits the 15.8 pt pitch in renderers that would otherwise
// give it two cells),
// no widow control (it would leave lines short of 22 on a page), no space
// added between Chinese and Latin text (it would break the 28 a line).
var stylesXML = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(fontLatin, fontFangSong) + `<w:kern w:val="2"/>` + sz(size3) +
	`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>` +
	`<w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	style("paragraph", "Normal", "Normal", "", "", `<w:spacing w:val="-5"/>`+sz(size3)) +
	style("paragraph", "Body", "正文", "Normal", `<w:ind w:firstLineChars="200" w:firstLine="`+itoa(indentTwips)+`"/>`, ``) +
	style("paragraph", "Letterhead", "发文机关标志", "Normal",
		`<w:snapToGrid w:val="0"/><w:spacing w:before="1984" w:line="1158" w:lineRule="exact"/><w:jc w:val="center"/>`,
		rFonts(fontTitle, fontTitle)+`<w:color w:val="FF0000"/>`+sz(72)) +
	style("paragraph", "DocNumber", "发文字号", "Normal", `<w:jc w:val="center"/>`, ``) +
	style("paragraph", "Title", "公文标题", "Normal", offGrid(linePitch)+`<w:jc w:val="center"/><w:outlineLvl w:val="0"/>`,
		rFonts(fontTitle, fontTitle)+sz(size2)) +
	style("paragraph", "Addressee", "主送机关", "Normal", ``, ``) +
	style("paragraph", "Heading1", "heading 1", "Body", `<w:keepNext/><w:outlineLvl w:val="1"/>`, rFonts(fontHei, fontHei)) +
	style("paragraph", "Heading2", "heading 2", "Body", `<w:keepNext/><w:outlineLvl w:val="2"/>`, rFonts(fontKai, fontKai)) +
	style("paragraph", "Signature", "署名和日期", "Normal", `<w:jc w:val="right"/>`, ``) +
	style("paragraph", "TableText", "表格文字", "Normal", `<w:snapToGrid w:val="0"/>`, sz(sizeS4)) +
	style("paragraph", "TableHeader", "表头", "Normal", `<w:keepNext/><w:snapToGrid w:val="0"/><w:jc w:val="center"/>`,
		rFonts(fontHei, fontHei)+sz(sizeS4)) +
	style("paragraph", "Footer", "footer", "Normal", offGrid(320), rFonts(fontSong, fontSong)+sz(size4)) +
	`<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>` +
	`<w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>` +
	`</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>` +
	`<w:bottom w:w="40" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`</w:styles>`

func style(kind, id, name, basedOn, pPr, rPr string) string {
	s := `<w:style w:type="` + kind + `"`
	if id == "Normal" {
		s += ` w:default="1"`
	}
	s += ` w:styleId="` + id + `"><w:name w:val="` + name + `"/>`
	if basedOn != "" {
		s += `<w:basedOn w:val="` + basedOn + `"/>`
	}
	s += `<w:qFormat/>`
	if pPr != "" {
		s += `<w:pPr>` + pPr + `</w:pPr>`
	}
	if rPr != "" {
		s += `<w:rPr>` + rPr + `</w:rPr>`
	}
	return s + `</w:style>`
}

// The settings: mirrored margins, so that the binding side is on the left
// of odd pages and the right of even ones as the paper is printed on both
// sides; different footers on odd and even pages; punctuation not
// compressed, so that characters stay on the grid.
const settingsXML = xml.Header + `<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:zoom w:percent="100"/><w:mirrorMargins/><w:defaultTabStop w:val="420"/>` +
	`<w:evenAndOddHeaders/><w:drawingGridVerticalSpacing w:val="579"/>` +
	`<w:characterSpacingControl w:val="doNotCompress"/>` +
	`<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
	`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>` +
	`</w:settings>`

// The font table: each font with the one Word takes when it is missing,
// and its character set (86, GB2312) and family, which guide a renderer
// choosing a substitute.
var fontTableXML = xml.Header + `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	font(fontLatin, "", "00", "roman", "variable") +
	font(fontFangSong, "仿宋", "86", "modern", "fixed") +
	font(fontTitle, "华文中宋", "86", "roman", "variable") +
	font(fontHei, "SimHei", "86", "modern", "fixed") +
	font(fontKai, "楷体", "86", "modern", "fixed") +
	font(fontSong, "SimSun", "86", "auto", "variable") +
	`</w:fonts>`

func font(name, alt, charset, family, pitch string) string {
	s := `<w:font w:name="` + name + `">`
	if alt != "" {
		s += `<w:altName w:val="` + alt + `"/>`
	}
	return s + `<w:charset w:val="` + charset + `"/><w:family w:val="` + family + `"/><w:pitch w:val="` + pitch + `"/></w:font>`
}

// footerXML writes the page number "— 1 —" in 四号宋体: on odd pages at the
// right and on even pages at the left, one character (14 pt) in from the
// block's edge.
func footerXML(even bool) []byte {
	jc, ind := `right`, `<w:ind w:right="280"/>`
	if even {
		jc, ind = `left`, `<w:ind w:left="280"/>`
	}
	run := func(inner string) string {
		return `<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>` + inner + `</w:r>`
	}
	return []byte(xml.Header + `<w:ftr ` + docNamespaces + `><w:p><w:pPr><w:pStyle w:val="Footer"/>` +
		`<w:jc w:val="` + jc + `"/>` + ind + `</w:pPr>` +
		run(`<w:t xml:space="preserve">— </w:t>`) +
		run(`<w:fldChar w:fldCharType="begin"/>`) +
		run(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		run(`<w:fldChar w:fldCharType="separate"/>`) +
		run(`<w:t>1</w:t>`) +
		run(`<w:fldChar w:fldCharType="end"/>`) +
		run(`<w:t xml:space="preserve"> —</w:t>`) +
		`</w:p></w:ftr>`)
}
