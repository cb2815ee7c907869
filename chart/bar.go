package chart

import (
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
)

// Bars is a horizontal stacked bar chart of counts: one bar per row (the
// plan's totals, or one per action, leader or unit), each cut into the
// series' counts, with the numbers written on the bar where they fit, each
// row's total at its end and a legend giving every series' total, so that
// no figure is told by colour alone.
type Bars struct {
	// Title names the chart for screen readers (the SVG's <title>).
	Title  string
	Series []Series
	Rows   []BarRow
}

// BarRow is one bar. Values follow the chart's Series; Hrefs, when given,
// also do, linking each segment to the tasks it counts.
type BarRow struct {
	// Label is written before the bar; it may be empty for a chart of one row.
	Label  string
	Href   string // the row's label links here when given
	Values []int
	Hrefs  []string
}

// Geometry of the bar chart, in user units.
const (
	barPad    = 8
	barHeight = 22
	barGap    = 10
	maxLabelW = 150
	totalW    = 44
	legendGap = 14
	swatch    = 12
)

// SVG draws the chart.
func (c *Bars) SVG() ([]byte, error) { return c.AppendSVG(nil) }

// AppendSVG draws the chart at the end of dst, as SVG does, so that a page
// drawing several charts and more has them in one buffer.
func (c *Bars) AppendSVG(dst []byte) ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	labelW := 0.0
	for _, r := range c.Rows {
		labelW = max(labelW, textWidth(r.Label, fontSize))
	}
	labelW = min(labelW, maxLabelW)
	x0 := float64(barPad)
	if labelW > 0 {
		x0 += labelW + barPad
	}
	span := Width - x0 - totalW - barPad
	most := 1
	for _, r := range c.Rows {
		most = max(most, sum(r.Values))
	}
	totals := make([]int, len(c.Series))
	for _, r := range c.Rows {
		for i, v := range r.Values {
			totals[i] += v
		}
	}
	items := legendItems(c.Series, totals)
	legendH := legendHeight(items)
	height := barPad + float64(len(c.Rows))*(barHeight+barGap) + legendH + barPad

	s := newSVG(dst, svgHead+len(c.Rows)*(svgRow+len(c.Series)*svgSegment))
	s.start(Width, height, c.Title, summary(c.Series, totals))
	y := float64(barPad)
	for _, r := range c.Rows {
		if r.Label != "" {
			linked := s.link(r.Href)
			s.label(barPad, y+barHeight/2, "start", textInk, fontSize, fit(r.Label, labelW, fontSize))
			s.unlink(linked)
		}
		x := x0
		for i, v := range r.Values {
			if v == 0 {
				continue
			}
			w := span * float64(v) / float64(most)
			ser := c.Series[i]
			linked := s.link(at(r.Hrefs, i))
			n := strconv.Itoa(v)
			if r.Label != "" {
				s.rect(x, y, w, barHeight, ser.Colour.Fill, r.Label, " · ", ser.Name, " ", n)
			} else {
				s.rect(x, y, w, barHeight, ser.Colour.Fill, ser.Name, " ", n)
			}
			if textWidth(n, smallSize)+4 <= w {
				s.label(x+w/2, y+barHeight/2, "middle", ser.Colour.Ink, smallSize, n)
			}
			s.unlink(linked)
			x += w
		}
		s.label(x+4, y+barHeight/2, "start", mutedInk, smallSize, strconv.Itoa(sum(r.Values)))
		y += barHeight + barGap
	}
	drawLegend(s, items, y)
	return s.end(), nil
}

func (c *Bars) check() error {
	if err := checkTitle(c.Title); err != nil {
		return err
	}
	if err := checkSeries(c.Series); err != nil {
		return err
	}
	if len(c.Rows) == 0 {
		return duban.Errorf(duban.EINVALID, "图表“%s”没有数据。", c.Title)
	}
	for _, r := range c.Rows {
		if err := checkValues(r.Label, r.Values, len(c.Series)); err != nil {
			return err
		}
		if len(r.Hrefs) != 0 && len(r.Hrefs) != len(c.Series) {
			return duban.Errorf(duban.EINVALID, "图表“%s”中“%s”的链接数与数据系列数不符。", c.Title, r.Label)
		}
		for _, h := range append([]string{r.Href}, r.Hrefs...) {
			if err := checkHref(h); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkValues requires one count per series, none negative.
func checkValues(label string, values []int, series int) error {
	if len(values) != series {
		return duban.Errorf(duban.EINVALID, "图表数据“%s”有 %d 个数，应有 %d 个（每个数据系列一个）。", label, len(values), series)
	}
	for _, v := range values {
		if v < 0 {
			return duban.Errorf(duban.EINVALID, "图表数据“%s”中有负数。", label)
		}
	}
	return nil
}

func sum(values []int) int {
	n := 0
	for _, v := range values {
		n += v
	}
	return n
}

func at(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// summary says the chart's figures in words, for the SVG's <desc>.
func summary(series []Series, totals []int) string {
	parts := make([]string, len(series))
	for i, ser := range series {
		parts[i] = ser.Name + " " + strconv.Itoa(totals[i])
	}
	return strings.Join(parts, "，")
}

// legendItem is one entry of a legend: a swatch and "name total".
type legendItem struct {
	colour Colour
	text   string
	x, y   float64 // placed by legendItems, relative to the legend's top
}

// legendItems lays the legend's entries out in lines across the width,
// each series' name followed by its total when totals are given.
func legendItems(series []Series, totals []int) []legendItem {
	items := make([]legendItem, len(series))
	x, y := float64(barPad), 0.0
	for i, ser := range series {
		text := ser.Name
		if totals != nil {
			text += " " + strconv.Itoa(totals[i])
		}
		w := swatch + 4 + textWidth(text, smallSize) + legendGap
		if x > barPad && x+w > Width-barPad {
			x, y = barPad, y+legendLine
		}
		items[i] = legendItem{colour: ser.Colour, text: text, x: x, y: y}
		x += w
	}
	return items
}

const legendLine = 20

func legendHeight(items []legendItem) float64 {
	if len(items) == 0 {
		return 0
	}
	return items[len(items)-1].y + legendLine
}

func drawLegend(s *svg, items []legendItem, top float64) {
	for _, it := range items {
		y := top + it.y
		s.rect(it.x, y+(legendLine-swatch)/2-2, swatch, swatch, it.colour.Fill)
		s.label(it.x+swatch+4, y+legendLine/2-2, "start", textInk, smallSize, it.text)
	}
}
