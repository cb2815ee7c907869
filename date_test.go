package duban_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

func TestDate(t *testing.T) {
	d := duban.NewDate(2022, time.January, 32)
	if got, want := d.String(), "2022-02-01"; got != want {
		t.Errorf("NewDate normalises: got %s, want %s", got, want)
	}
	if got, want := duban.LastDayOf(2024, time.February), duban.NewDate(2024, 2, 29); got != want {
		t.Errorf("LastDayOf(2024-02): got %s, want %s", got, want)
	}
	a, b := duban.NewDate(2022, 7, 31), duban.NewDate(2022, 9, 30)
	if !a.Before(b) || b.Before(a) || a.Compare(a) != 0 || !b.After(a) {
		t.Errorf("ordering of %s and %s is wrong", a, b)
	}
	if got, want := b.DaysSince(a), 61; got != want {
		t.Errorf("DaysSince: got %d, want %d", got, want)
	}
	if got, want := a.Label()+"|"+a.LabelYear()+"|"+a.LabelEN(), "7月31日|2022年7月31日|31 July"; got != want {
		t.Errorf("labels: got %q, want %q", got, want)
	}
	// 23:30 UTC on 24 July is 07:30 on 25 July in Beijing.
	if got, want := duban.Today(time.Date(2022, 7, 24, 23, 30, 0, 0, time.UTC)), duban.NewDate(2022, 7, 25); got != want {
		t.Errorf("Today: got %s, want %s", got, want)
	}
	var zero duban.Date
	if !zero.IsZero() || zero.String() != "" {
		t.Errorf("zero date: got %q", zero.String())
	}
	type doc struct {
		D duban.Date `json:"d"`
		Z duban.Date `json:"z"`
	}
	data, err := json.Marshal(doc{D: a})
	if err != nil || string(data) != `{"d":"2022-07-31","z":""}` {
		t.Errorf("json: got %s (%v)", data, err)
	}
	var back doc
	if err := json.Unmarshal(data, &back); err != nil || back.D != a || !back.Z.IsZero() {
		t.Errorf("json round trip: got %+v (%v)", back, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2022-13-01"}`), &back); duban.ErrorCode(err) != duban.EINVALID {
		t.Errorf("bad date: got %v, want invalid", err)
	}
}
