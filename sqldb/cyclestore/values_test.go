package cyclestore

import (
	"testing"

	"github.com/dubanhq/duban/cycle"
)

func TestActualValues(t *testing.T) {
	v1, v2 := 38700.0, 8.125
	in := []cycle.Actual{{Indicator: 0, Text: "3.87万人", Value: &v1}, {Indicator: 1, Text: "约四万"}, {Indicator: 2, Text: "8.125%", Value: &v2}}
	s := actualValues(in)
	if s != "0=38700;2=8.125" {
		t.Errorf("written: got %q", s)
	}
	out, err := readActualValues(s)
	if err != nil || len(out) != 2 || *out[0].Value != v1 || out[1].Indicator != 2 || *out[1].Value != v2 {
		t.Errorf("read back: got %+v (%v)", out, err)
	}
	for _, bad := range []string{"0", "x=1", "0=y", "0=1;;1=2"} {
		if _, err := readActualValues(bad); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
	if out, err := readActualValues(""); err != nil || out != nil {
		t.Errorf("empty: got %+v (%v)", out, err)
	}
}
