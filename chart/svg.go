// Package chart draws the overview's charts as SVG on the server: counts by
// status light as stacked bars, targets as progress bars, and the lights'
// trend across periods. The SVG uses presentation attributes only (no
// script, no style, no external reference), so pages holding it keep the
// strict Content-Security-Policy, and a viewBox without a fixed size, so
// that it scales to the width of a phone or a meeting-room screen.
//
// The package is an encoder over plain input structs; it knows nothing of
// the store or of HTTP, so the overview page, the printable bulletin and
// any export can draw the same charts.
package chart

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// Width is the width of every chart's viewBox, in user units. Text is sized
// against it so that a chart shown at a phone's width (about 360 CSS
// pixels) still reads at about 10 pixels.
const Width = 480

// Sizes of text, in user units.
const (
	fontSize  = 14
	smallSize = 12
)

// fontFamily prefers the CJK fonts offices have, then any sans-serif.
const fontFamily = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"

// Colour is a fill and the ink that reads on it, both #rrggbb.
type Colour struct {
	Fill string
	Ink  string
}

// Series is one kind of count drawn in a chart: a status light, say.
type Series struct {
	Name   string
	Colour Colour
}

// About the bytes a chart takes, so that its buffer is grown once: the
// title, legend and axes; a row's label and total; a segment of a bar with
// its tooltip, link and figure; a target's line.
const (
	svgHead    = 1024
	svgRow     = 300
	svgSegment = 300
	svgTarget  = 600
)

// svg builds one chart. Every text and attribute value passes through
// escape; numbers are written with at most one decimal.
type svg struct {
	b bytes.Buffer
}

// newSVG starts a chart at the end of dst, room made for about size bytes.
func newSVG(dst []byte, size int) *svg {
	s := &svg{b: *bytes.NewBuffer(dst)}
	s.b.Grow(size)
	return s
}

func (s *svg) start(w, h float64, title, desc string) {
	s.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	s.num(w)
	s.b.WriteByte(' ')
	s.num(h)
	s.b.WriteString(`" role="img" font-family="`)
	s.text(fontFamily)
	s.b.WriteString(`" font-size="`)
	s.num(fontSize)
	s.b.WriteString(`"><title>`)
	s.text(title)
	s.b.WriteString(`</title>`)
	if desc != "" {
		s.b.WriteString(`<desc>`)
		s.text(desc)
		s.b.WriteString(`</desc>`)
	}
}

// end closes the chart and returns what it was started after, with it.
func (s *svg) end() []byte {
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

// text writes v escaped for XML text or a double-quoted attribute, as
// xml.EscapeText does; text needing no escape (most of it) is copied as is.
func (s *svg) text(v string) {
	if plainText(v) {
		s.b.WriteString(v)
		return
	}
	_ = xml.EscapeText(&s.b, []byte(v))
}

// plainText reports whether xml.EscapeText would leave v as it is: valid
// UTF-8 of characters XML allows, none of them one it escapes.
func plainText(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= utf8.RuneSelf {
			return plainRunes(v[i:])
		}
		if c < 0x20 || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}

// plainRunes is plainText past the first byte that is not ASCII.
func plainRunes(v string) bool {
	for _, r := range v {
		switch {
		case r < 0x20 || r == '"' || r == '\'' || r == '&' || r == '<' || r == '>':
			return false
		case r < 0xD800, r >= 0xE000 && r <= 0xFFFD && r != utf8.RuneError, r >= 0x10000 && r <= 0x10FFFF:
		default:
			return false
		}
	}
	return true
}

func (s *svg) num(v float64) {
	tenths := math.Round(v * 10)
	if !(math.Abs(tenths) < 1e15) { // huge, infinite or NaN
		v = tenths / 10
		if v == 0 {
			v = 0 // no "-0"
		}
		s.b.Write(strconv.AppendFloat(s.b.AvailableBuffer(), v, 'f', -1, 64))
		return
	}
	// As strconv writes tenths/10, its digits being exact: a chart writes
	// thousands of numbers.
	n := int64(tenths)
	if n < 0 {
		s.b.WriteByte('-')
		n = -n
	}
	s.b.Write(strconv.AppendInt(s.b.AvailableBuffer(), n/10, 10))
	if d := n % 10; d != 0 {
		s.b.WriteByte('.')
		s.b.WriteByte(byte('0' + d))
	}
}

// numAttr writes name="v", v a number.
func (s *svg) numAttr(name string, v float64) {
	s.b.WriteByte(' ')
	s.b.WriteString(name)
	s.b.WriteString(`="`)
	s.num(v)
	s.b.WriteByte('"')
}

// textAttr writes name="v", v escaped.
func (s *svg) textAttr(name, v string) {
	s.b.WriteByte(' ')
	s.b.WriteString(name)
	s.b.WriteString(`="`)
	s.text(v)
	s.b.WriteByte('"')
}

// rect draws a rectangle, with a tooltip of the parts of tip written one
// after another when they are not all empty.
func (s *svg) rect(x, y, w, h float64, fill string, tip ...string) {
	s.b.WriteString(`<rect`)
	s.numAttr("x", x)
	s.numAttr("y", y)
	s.numAttr("width", w)
	s.numAttr("height", h)
	s.textAttr("fill", fill)
	n := 0
	for _, t := range tip {
		n += len(t)
	}
	if n == 0 {
		s.b.WriteString(`/>`)
		return
	}
	s.b.WriteString(`><title>`)
	for _, t := range tip {
		s.text(t)
	}
	s.b.WriteString(`</title></rect>`)
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke string, width float64) {
	s.b.WriteString(`<line`)
	s.numAttr("x1", x1)
	s.numAttr("y1", y1)
	s.numAttr("x2", x2)
	s.numAttr("y2", y2)
	s.textAttr("stroke", stroke)
	s.numAttr("stroke-width", width)
	s.b.WriteString(`/>`)
}

// label writes text at (x, y), anchored start, middle or end, with its
// baseline a third of the size below y so that y is the text's middle.
func (s *svg) label(x, y float64, anchor, fill string, size float64, v string) {
	s.b.WriteString(`<text`)
	s.numAttr("x", x)
	s.numAttr("y", y+size/3)
	s.textAttr("fill", fill)
	if anchor != "start" {
		s.textAttr("text-anchor", anchor)
	}
	if size != fontSize {
		s.numAttr("font-size", size)
	}
	s.b.WriteByte('>')
	s.text(v)
	s.b.WriteString(`</text>`)
}

// link opens an <a> when href is given, saying whether it did; unlink
// closes it then.
func (s *svg) link(href string) bool {
	if href == "" {
		return false
	}
	s.b.WriteString(`<a`)
	s.textAttr("href", href)
	s.b.WriteByte('>')
	return true
}

// unlink closes the <a> link opened, if it did.
func (s *svg) unlink(opened bool) {
	if opened {
		s.b.WriteString(`</a>`)
	}
}

// textWidth estimates the width of v at the given size: a CJK or other
// wide character takes one em, a narrow one about 0.6.
func textWidth(v string, size float64) float64 {
	w := 0.0
	for _, r := range v {
		if r < 0x1100 {
			w += 0.6
		} else {
			w++
		}
	}
	return w * size
}

// fit shortens v with an ellipsis until it fits in width at the size.
func fit(v string, width, size float64) string {
	if textWidth(v, size) <= width {
		return v
	}
	runes := []rune(v)
	for len(runes) > 0 && textWidth(string(runes)+"…", size) > width {
		runes = runes[:len(runes)-1]
	}
	return string(runes) + "…"
}

// Grey is the colour of tracks, axes and secondary text.
const (
	trackFill = "#e8e8e8"
	axisInk   = "#8a8a8a"
	textInk   = "#1a1a1a"
	mutedInk  = "#555555"
)

// checkTitle requires a chart title (it is the chart's accessible name) of
// sensible length.
func checkTitle(title string) error {
	switch {
	case strings.TrimSpace(title) == "":
		return duban.Errorf(duban.EINVALID, "图表缺少标题。")
	case utf8.RuneCountInString(title) > 200:
		return duban.Errorf(duban.EINVALID, "图表标题过长（超过 200 字）。")
	}
	return nil
}

// checkSeries requires named series with colours written as #rrggbb.
func checkSeries(series []Series) error {
	if len(series) == 0 {
		return duban.Errorf(duban.EINVALID, "图表没有数据系列。")
	}
	for _, s := range series {
		if strings.TrimSpace(s.Name) == "" {
			return duban.Errorf(duban.EINVALID, "图表的数据系列缺少名称。")
		}
		if err := checkColour(s.Colour); err != nil {
			return err
		}
	}
	return nil
}

func checkColour(c Colour) error {
	for _, v := range []string{c.Fill, c.Ink} {
		if !isHexColour(v) {
			return duban.Errorf(duban.EINVALID, "颜色 %q 不正确：应为 #rrggbb。", v)
		}
	}
	return nil
}

func isHexColour(v string) bool {
	if len(v) != 7 || v[0] != '#' {
		return false
	}
	for _, r := range v[1:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
			return false
		}
	}
	return true
}

// checkHref allows links within the site only: a path from the root, not
// another origin ("//host"), a scheme or a fragment script could use.
func checkHref(href string) error {
	if href == "" {
		return nil
	}
	if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") || strings.HasPrefix(href, `/\`) ||
		strings.ContainsAny(href, "\x00\n\r\t \\") || len(href) > 2000 {
		return duban.Errorf(duban.EINVALID, "图表链接 %q 不正确：只能链接到本站的路径（以 / 开头）。", href)
	}
	return nil
}

// formatNumber writes a figure with at most two decimals and no trailing
// zeros: 38700, 8.2, 0.35.
func formatNumber(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
