package chart

import (
	"math"
	"strings"

	"github.com/dubanhq/duban"
)

// Progress is a list of quantitative targets, each drawn as a bar of the
// actual against the target: the bar filled to the actual, a mark where the
// target is, and the percentage written after it.
type Progress struct {
	// Title names the chart for screen readers (the SVG's <title>).
	Title   string
	Targets []Target
}

// Target is one quantitative target and what has been reached.
type Target struct {
	Label  string // the target's metric: 新增高新技术企业
	Actual float64
	Target float64
	Unit   string // 家, 万人, %
	// Percent, when set, is the progress to write, as the cycle computes it
	// for its comparisons (a ceiling, a range); otherwise Actual/Target.
	Percent *float64
	// Colour fills the bar; zero means the colour of on-track work. A page
	// passes the colour of the target's light.
	Colour Colour
	Href   string // the label links here when given
}

// Geometry of the progress chart, in user units.
const (
	progressLine  = 22 // the label's line
	progressBar   = 14
	progressGap   = 12
	percentW      = 52
	maxProgressOf = 1.5 // a bar is drawn to at most 150% of its target
)

// SVG draws the chart.
func (c *Progress) SVG() ([]byte, error) { return c.AppendSVG(nil) }

// AppendSVG draws the chart at the end of dst, as SVG does, so that a page
// drawing several charts and more has them in one buffer.
func (c *Progress) AppendSVG(dst []byte) ([]byte, error) {
	if err := checkTitle(c.Title); err != nil {
		return nil, err
	}
	if len(c.Targets) == 0 {
		return nil, duban.Errorf(duban.EINVALID, "图表“%s”没有指标。", c.Title)
	}
	for _, t := range c.Targets {
		if err := t.check(); err != nil {
			return nil, err
		}
	}
	height := barPad + float64(len(c.Targets))*(progressLine+progressBar+progressGap) + barPad
	// Each target's figures, written once for the description and again
	// beside its bar.
	written := make([]string, len(c.Targets))
	var desc strings.Builder
	for i := range c.Targets {
		t := &c.Targets[i]
		written[i] = t.figures()
		if i > 0 {
			desc.WriteString("；")
		}
		desc.WriteString(t.Label)
		desc.WriteByte(' ')
		desc.WriteString(written[i])
	}
	s := newSVG(dst, svgHead+len(c.Targets)*svgTarget)
	s.start(Width, height, c.Title, desc.String())
	span := float64(Width - 2*barPad - percentW)
	y := float64(barPad)
	for i, t := range c.Targets {
		figures := written[i]
		figW := textWidth(figures, smallSize)
		linked := s.link(t.Href)
		s.label(barPad, y+progressLine/2, "start", textInk, fontSize, fit(t.Label, Width-3*barPad-figW, fontSize))
		s.unlink(linked)
		s.label(Width-barPad, y+progressLine/2, "end", mutedInk, smallSize, figures)
		y += progressLine
		// The scale runs to the target, or further when the actual passes it.
		scale := max(t.Target, math.Min(t.Actual, t.Target*maxProgressOf))
		if scale <= 0 {
			scale = max(t.Actual, 1)
		}
		s.rect(barPad, y, span, progressBar, trackFill)
		if w := span * math.Min(math.Max(t.Actual, 0), scale) / scale; w > 0 {
			colour := t.Colour
			if colour == (Colour{}) {
				colour = LightColour(LightOnTrack)
			}
			s.rect(barPad, y, w, progressBar, colour.Fill, t.Label, " ", figures)
		}
		if t.Target > 0 {
			mx := barPad + span*t.Target/scale
			s.line(mx, y-3, mx, y+progressBar+3, textInk, 2)
		}
		s.label(Width-barPad, y+progressBar/2, "end", textInk, fontSize, formatNumber(t.percent())+"%")
		y += progressBar + progressGap
	}
	return s.end(), nil
}

func (t *Target) check() error {
	switch {
	case strings.TrimSpace(t.Label) == "":
		return duban.Errorf(duban.EINVALID, "指标图缺少指标名称。")
	case math.IsNaN(t.Actual) || math.IsInf(t.Actual, 0) || math.IsNaN(t.Target) || math.IsInf(t.Target, 0):
		return duban.Errorf(duban.EINVALID, "指标“%s”的数值不正确。", t.Label)
	case t.Percent != nil && (math.IsNaN(*t.Percent) || math.IsInf(*t.Percent, 0)):
		return duban.Errorf(duban.EINVALID, "指标“%s”的完成比例不正确。", t.Label)
	}
	if t.Colour != (Colour{}) {
		if err := checkColour(t.Colour); err != nil {
			return err
		}
	}
	return checkHref(t.Href)
}

// percent is the progress to write: Percent when given, else the actual
// against the target (0 for a target of 0).
func (t *Target) percent() float64 {
	if t.Percent != nil {
		return math.Round(*t.Percent)
	}
	if t.Target == 0 {
		return 0
	}
	return math.Round(t.Actual / t.Target * 100)
}

// figures says the actual against the target: 80 / 119 家.
func (t *Target) figures() string {
	return strings.TrimSpace(formatNumber(t.Actual) + " / " + formatNumber(t.Target) + " " + t.Unit)
}
