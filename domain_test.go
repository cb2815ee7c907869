package duban_test

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/dubanhq/duban"
)

// MustReadGold returns the hand-checked reading of the sample notice (a copy
// of notice/testdata/corpus/lixia-2022/gold.json, so that the domain and the
// stores are tested against a reading that does not move with the reader).
func MustReadGold(t testing.TB) *duban.Reading {
	t.Helper()
	data, err := os.ReadFile("testdata/lixia-2022.reading.json")
	if err != nil {
		t.Fatal(err)
	}
	var r duban.Reading
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

func TestPlanFromReading(t *testing.T) {
	r := MustReadGold(t)
	c, err := duban.PlanFromReading(r, "source.md")
	if err != nil {
		t.Fatal(err)
	}
	p := c.Plan
	if got, want := p.State, duban.PlanDraft; got != want {
		t.Errorf("state: got %q, want %q", got, want)
	}
	if got, want := p.Year, 2022; got != want {
		t.Errorf("year: got %d, want %d", got, want)
	}
	if got, want := p.DocNumber, "历下政办字〔2022〕3号"; got != want {
		t.Errorf("doc number: got %q, want %q", got, want)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"sections", len(p.Sections), 8},
		{"areas", len(p.Areas), 24},
		{"tasks", len(c.Tasks), 88},
		{"statements", len(c.Statements), 9},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	first := c.Tasks[0]
	if got, want := first.No, "0.0.1"; got != want {
		t.Errorf("first task number: got %q, want %q", got, want)
	}
	if got, want := duban.OwnerNames(first.LeadLeaders), []string{"武毅"}; !equal(got, want) {
		t.Errorf("first task leaders: got %q, want %q", got, want)
	}
	if first.Issued == nil || first.Issued.Text != first.Text {
		t.Errorf("first task issued: got %+v, want the notice's text", first.Issued)
	}
	for _, s := range c.Statements {
		if s.State != duban.StatementOpen {
			t.Errorf("statement %q: got state %q, want open", s.Text, s.State)
		}
	}
}

func TestPlanFromReadingRefuses(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(r *duban.Reading)
	}{
		{"no tasks", func(r *duban.Reading) { r.Tasks = nil }},
		{"other schema", func(r *duban.Reading) { r.Schema = "other/v9" }},
		{"no year", func(r *duban.Reading) { r.Document.Year = 0 }},
		{"task without owners", func(r *duban.Reading) {
			r.Tasks[3].LeadLeaders, r.Tasks[3].LeadUnits, r.Tasks[3].ResponsibleUnits = nil, nil, nil
		}},
		{"empty task text", func(r *duban.Reading) { r.Tasks[0].Text = " " }},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := MustReadGold(t)
			c.change(r)
			_, err := duban.PlanFromReading(r, "x.md")
			if got, want := duban.ErrorCode(err), duban.EINVALID; got != want {
				t.Errorf("got code %q (%v), want %q", got, err, want)
			}
		})
	}
}

func TestPlanFromReadingTitleFallsBackToFileName(t *testing.T) {
	r := MustReadGold(t)
	r.Document.Title = ""
	c, err := duban.PlanFromReading(r, "/tmp/2022年分解通知.docx")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Plan.Title, "2022年分解通知"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestContextUser(t *testing.T) {
	ctx := context.Background()
	if got := duban.UserFromContext(ctx); got != nil {
		t.Errorf("empty context: got %+v, want nil", got)
	}
	u := &duban.User{Name: "office", Role: duban.RoleAdmin}
	if got := duban.UserFromContext(duban.NewContextWithUser(ctx, u)); got != u {
		t.Errorf("got %+v, want %+v", got, u)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
