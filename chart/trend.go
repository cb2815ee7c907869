package chart

import (
	"math"
	"strconv"

	"github.com/dubanhq/duban"
)

// Trend is the counts by light across periods, as stacked columns: one
// column per period, cut into the series' counts, with the numbers written
// where they fit and each column's total above it.
type Trend struct {
	// Title names the chart for screen readers (the SVG's <title>).
	Title   string
	Series  []Series
	Periods []Period
}

// Period is one column: a period's label (5月, 二季度) and its counts, which
// follow the chart's Series.
type Period struct {
	Label  string
	Href   string // the column's label links here when given
	Values []int
}

// Geometry of the trend chart, in user units.
const (
	trendPlot   = 200 // height of the plotting area
	trendAxisW  = 34  // room for the axis' numbers
	trendLabelH = 22  // room for the periods' labels
	trendTopPad = 20  // room for the totals above the columns
	maxPeriods  = 60
)

// SVG draws the chart.
func (c *Trend) SVG() ([]byte, error) { return c.AppendSVG(nil) }

// AppendSVG draws the chart at the end of dst, as SVG does, so that a page
// drawing several charts and more has them in one buffer.
func (c *Trend) AppendSVG(dst []byte) ([]byte, error) {
	if err := c.check(); err != nil {
		return nil, err
	}
	most := 0
	for _, p := range c.Periods {
		most = max(most, sum(p.Values))
	}
	step := tickStep(most)
	top := step * int(math.Ceil(float64(max(most, 1))/float64(step)))
	latest := c.Periods[len(c.Periods)-1]
	items := legendItems(c.Series, nil)
	height := trendTopPad + trendPlot + trendLabelH + legendHeight(items) + barPad

	s := newSVG(dst, svgHead+len(c.Periods)*(svgRow+len(c.Series)*svgSegment))
	s.start(Width, height, c.Title, latest.Label+"："+summary(c.Series, latest.Values))
	x0, y0 := float64(barPad+trendAxisW), float64(trendTopPad+trendPlot) // the plot's bottom left
	plotW := Width - barPad - x0
	for v := 0; v <= top; v += step {
		y := y0 - trendPlot*float64(v)/float64(top)
		s.line(x0, y, Width-barPad, y, trackFill, 1)
		s.label(x0-4, y, "end", mutedInk, smallSize, strconv.Itoa(v))
	}
	slot := plotW / float64(len(c.Periods))
	colW := math.Min(slot*0.6, 48)
	for _, p := range c.Periods {
		cx := x0 + slot/2
		y := y0
		for i, v := range p.Values {
			if v == 0 {
				continue
			}
			h := trendPlot * float64(v) / float64(top)
			y -= h
			ser := c.Series[i]
			n := strconv.Itoa(v)
			s.rect(cx-colW/2, y, colW, h, ser.Colour.Fill, p.Label, " · ", ser.Name, " ", n)
			if h >= smallSize+2 && textWidth(n, smallSize) <= colW {
				s.label(cx, y+h/2, "middle", ser.Colour.Ink, smallSize, n)
			}
		}
		s.label(cx, y-8, "middle", mutedInk, smallSize, strconv.Itoa(sum(p.Values)))
		linked := s.link(p.Href)
		s.label(cx, y0+trendLabelH/2+2, "middle", textInk, smallSize, fit(p.Label, slot-2, smallSize))
		s.unlink(linked)
		x0 += slot
	}
	s.line(float64(barPad+trendAxisW), y0, Width-barPad, y0, axisInk, 1)
	drawLegend(s, items, y0+trendLabelH+4)
	return s.end(), nil
}

func (c *Trend) check() error {
	if err := checkTitle(c.Title); err != nil {
		return err
	}
	if err := checkSeries(c.Series); err != nil {
		return err
	}
	if len(c.Periods) == 0 {
		return duban.Errorf(duban.EINVALID, "图表“%s”没有数据。", c.Title)
	}
	if len(c.Periods) > maxPeriods {
		return duban.Errorf(duban.EINVALID, "图表“%s”的期数过多（超过 %d 期）。", c.Title, maxPeriods)
	}
	for _, p := range c.Periods {
		if err := checkValues(p.Label, p.Values, len(c.Series)); err != nil {
			return err
		}
		if err := checkHref(p.Href); err != nil {
			return err
		}
	}
	return nil
}

// tickStep picks the axis' step, 1, 2 or 5 times a power of ten, so that
// the axis up to most has at most five steps.
func tickStep(most int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if most <= 5*m*p {
				return m * p
			}
		}
	}
}
