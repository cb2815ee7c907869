package duban_test

import (
	"testing"

	"github.com/dubanhq/duban"
)

func TestParseDeadline(t *testing.T) {
	for _, tc := range []struct {
		text string
		kind duban.DeadlineKind
		date string
		// milestones as date:label pairs
		steps []string
	}{
		{"", duban.DeadlineNone, "", nil},
		{"9月底前", duban.DeadlineDate, "2022-09-30", nil},
		{"9月底", duban.DeadlineDate, "2022-09-30", nil},
		{"九月底前", duban.DeadlineDate, "2022-09-30", nil},
		{"２０２３年１２月底前", duban.DeadlineDate, "2023-12-31", nil},
		{"2023年12月底前", duban.DeadlineDate, "2023-12-31", nil},
		{"2023年8月底前", duban.DeadlineDate, "2023-08-31", nil},
		{"2024年12月", duban.DeadlineDate, "2024-12-31", nil},
		{"2024年2月", duban.DeadlineDate, "2024-02-29", nil},
		{"2021年6月底前完成", duban.DeadlineDate, "2021-06-30", nil},
		{"年内", duban.DeadlineDate, "2022-12-31", nil},
		{"年底前", duban.DeadlineDate, "2022-12-31", nil},
		{"全年", duban.DeadlineDate, "2022-12-31", nil},
		{"年内持续推进", duban.DeadlineDate, "2022-12-31", nil},
		{"2023年底前", duban.DeadlineDate, "2023-12-31", nil},
		{"二季度", duban.DeadlineDate, "2022-06-30", nil},
		{"第三季度末", duban.DeadlineDate, "2022-09-30", nil},
		{"上半年", duban.DeadlineDate, "2022-06-30", nil},
		{"下半年", duban.DeadlineDate, "2022-12-31", nil},
		{"6月15日前", duban.DeadlineDate, "2022-06-15", nil},
		{"6月中旬", duban.DeadlineDate, "2022-06-20", nil},
		{"3-6月", duban.DeadlineDate, "2022-06-30", nil},
		{"3—6月", duban.DeadlineDate, "2022-06-30", nil},
		{"3月至6月", duban.DeadlineDate, "2022-06-30", nil},
		{"2022年3月至2023年6月", duban.DeadlineDate, "2023-06-30", nil},
		{"明年", duban.DeadlineDate, "2023-12-31", nil},
		{"6月底前开工、12月底前竣工", duban.DeadlineDate, "2022-12-31", []string{"2022-06-30:开工", "2022-12-31:竣工"}},
		{"3月底前完成方案，年底前全面完成", duban.DeadlineDate, "2022-12-31", []string{"2022-03-31:方案", "2022-12-31:全面完成"}},
		{"长期坚持", duban.DeadlineOngoing, "", nil},
		{"持续推进", duban.DeadlineOngoing, "", nil},
		{"常态化", duban.DeadlineOngoing, "", nil},
		{"尽快", duban.DeadlineUnread, "", nil},
		{"待定", duban.DeadlineUnread, "", nil},
		{"13月底", duban.DeadlineUnread, "", nil},
		{"2月30日前", duban.DeadlineUnread, "", nil},
	} {
		d := duban.ParseDeadline(tc.text, 2022)
		if d.Kind != tc.kind || d.Date.String() != tc.date {
			t.Errorf("ParseDeadline(%q): got %s %q, want %s %q", tc.text, d.Kind, d.Date, tc.kind, tc.date)
		}
		var steps []string
		for _, m := range d.Milestones {
			steps = append(steps, m.Date.String()+":"+m.Label)
		}
		if len(steps) != len(tc.steps) {
			t.Errorf("ParseDeadline(%q) milestones: got %q, want %q", tc.text, steps, tc.steps)
			continue
		}
		for i := range steps {
			if steps[i] != tc.steps[i] {
				t.Errorf("ParseDeadline(%q) milestone %d: got %q, want %q", tc.text, i, steps[i], tc.steps[i])
			}
		}
		if d.Text != tc.text {
			t.Errorf("ParseDeadline(%q) keeps the text: got %q", tc.text, d.Text)
		}
	}
}

func TestDeadlineEnd(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"9月底前", "2022-09-30"},
		{"", "2022-12-31"},
		{"长期坚持", "2022-12-31"},
		{"尽快", "2022-12-31"},
	} {
		if got := duban.ParseDeadline(tc.text, 2022).End(2022).String(); got != tc.want {
			t.Errorf("End of %q: got %s, want %s", tc.text, got, tc.want)
		}
	}
}

func FuzzParseDeadline(f *testing.F) {
	for _, s := range []string{"9月底前", "6月底前开工、12月底前竣工", "2022年3月至2023年6月", "长期坚持", "十二月", "第四季度"} {
		f.Add(s, 2022)
	}
	f.Fuzz(func(t *testing.T, text string, year int) {
		year = 2000 + (year%100+100)%100
		d := duban.ParseDeadline(text, year)
		if !d.Kind.Valid() {
			t.Fatalf("kind %q", d.Kind)
		}
		if (d.Kind == duban.DeadlineDate) == d.Date.IsZero() {
			t.Fatalf("%q: kind %s with date %q", text, d.Kind, d.Date)
		}
		for _, m := range d.Milestones {
			if m.Date.After(d.Date) {
				t.Fatalf("%q: milestone %s after the deadline %s", text, m.Date, d.Date)
			}
		}
	})
}
