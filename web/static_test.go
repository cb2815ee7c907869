package web

import (
	"regexp"
	"testing"

	"github.com/dubanhq/duban/chart"
	"github.com/dubanhq/duban/cycle"
)

// TestLightColours checks that every light's colours in the style sheet are
// the chart palette's, so that a light on a page, in a chart and in the
// Excel progress book is the same colour.
func TestLightColours(t *testing.T) {
	css, err := staticFS.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`\.light-([a-z_]+) \{ --fill: (#[0-9a-f]{6}); --on: (#[0-9a-f]{6}); \}`)
	found := map[cycle.LightStatus]chart.Colour{}
	for _, m := range rule.FindAllStringSubmatch(string(css), -1) {
		found[cycle.LightStatus(m[1])] = chart.Colour{Fill: m[2], Ink: m[3]}
	}
	for _, s := range cycle.LightStatuses {
		got, ok := found[s]
		if !ok {
			t.Errorf("app.css has no colours for .light-%s", s)
			continue
		}
		if want := chart.LightColour(s.Label()); got != want {
			t.Errorf(".light-%s = %+v, want the chart's %+v", s, got, want)
		}
	}
}
