package cycle_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// streets is a group term (各街道办事处, unit 50) with members 51 and 52.
var streets = cycle.Groups{50: {52, 51}}

func owners(ids ...int64) []duban.Owner {
	out := make([]duban.Owner, len(ids))
	for i, id := range ids {
		out[i] = duban.Owner{ID: id, Name: "单位"}
		if id == 50 {
			out[i].Name = "各街道办事处"
		}
	}
	return out
}

func TestReportingUnits(t *testing.T) {
	for _, tc := range []struct {
		name       string
		lead, resp []duban.Owner
		groups     cycle.Groups
		composer   int64
		parts      []int64
	}{
		{"lead and responsible", owners(1), owners(2, 3), nil, 1, []int64{2, 3}},
		{"no lead unit", nil, owners(2, 3), nil, 2, []int64{3}},
		{"named twice", owners(1), owners(1, 2), nil, 1, []int64{2}},
		{"a group's members", owners(1), owners(50), streets, 1, []int64{51, 52}},
		{"a group first", nil, owners(50, 3), streets, 51, []int64{52, 3}},
		{"a group without members", owners(1), owners(50), nil, 1, nil},
		{"unmapped", []duban.Owner{{Name: "某单位"}}, nil, nil, 0, nil},
		{"a group term by name", owners(1), []duban.Owner{{ID: 60, Name: "相关街道办事处"}}, nil, 1, nil},
	} {
		task := &duban.Task{LeadUnits: tc.lead, ResponsibleUnits: tc.resp}
		composer, parts := cycle.ReportingUnits(task, tc.groups)
		if composer != tc.composer || !slices.Equal(parts, tc.parts) {
			t.Errorf("%s: got %d %v, want %d %v", tc.name, composer, parts, tc.composer, tc.parts)
		}
	}
}

func TestObligations(t *testing.T) {
	period := &cycle.Period{ID: 9, Label: "2022年7月", Due: d("2022-07-25")}
	tasks := []*duban.Task{
		{ID: 1, PlanID: 3, No: "1.1.1", State: duban.TaskActive, LeadUnits: owners(1), ResponsibleUnits: owners(50)},
		{ID: 2, PlanID: 3, No: "1.1.2", State: duban.TaskActive, ResponsibleUnits: owners(2)},
		{ID: 3, PlanID: 3, No: "1.1.3", State: duban.TaskWithdrawn, ResponsibleUnits: owners(2)},
	}
	reports := []*cycle.Report{
		{ID: 70, PeriodID: 9, TaskID: 1, UnitID: 1, Kind: cycle.ReportTask, State: cycle.ReportReturned, ReturnReason: "数据不全"},
		{ID: 71, PeriodID: 9, TaskID: 1, UnitID: 51, Kind: cycle.ReportPart, State: cycle.ReportSubmitted},
		{ID: 72, PeriodID: 8, TaskID: 2, UnitID: 2, Kind: cycle.ReportTask, State: cycle.ReportAccepted},
	}
	obls := cycle.Obligations(period, tasks, reports, streets)
	var got []string
	for _, o := range obls {
		got = append(got, fmt.Sprintf("%s %s %d %s", o.TaskNo, o.Kind, o.UnitID, o.State))
	}
	want := []string{"1.1.1 task 1 returned", "1.1.1 part 51 submitted", "1.1.1 part 52 ", "1.1.2 task 2 "}
	if !slices.Equal(got, want) {
		t.Errorf("obligations: got %q, want %q", got, want)
	}
	if obls[0].ReturnReason != "数据不全" || obls[0].ReportID != 70 || obls[0].Due != period.Due {
		t.Errorf("returned obligation: got %+v", obls[0])
	}
	if !obls[1].Done() || obls[0].Done() || !obls[0].Overdue(d("2022-07-26")) || obls[0].Overdue(d("2022-07-25")) {
		t.Errorf("done and overdue are wrong: %+v", obls[:2])
	}
	if got, want := obls[0].What(), "任务 1.1.1 的2022年7月任务报告"; got != want {
		t.Errorf("What: got %q, want %q", got, want)
	}
}

func TestReminderRule(t *testing.T) {
	offsets := []int{-3, -1, 1, 3, 7}
	for _, tc := range []struct {
		today string
		rule  int
		ok    bool
	}{
		{"2022-07-21", 0, false},
		{"2022-07-22", -3, true},
		{"2022-07-24", -1, true},
		{"2022-07-25", -1, true},
		{"2022-07-26", 1, true},
		{"2022-07-31", 0, false}, // three days after d+3
		{"2022-08-03", 7, true},  // d+7's last catch-up day
		{"2022-08-04", 0, false},
	} {
		if rule, ok := cycle.ReminderRule(d("2022-07-25"), offsets, d(tc.today)); rule != tc.rule || ok != tc.ok {
			t.Errorf("%s: got %d %v, want %d %v", tc.today, rule, ok, tc.rule, tc.ok)
		}
	}
}

func TestDueReminders(t *testing.T) {
	obls := []cycle.Obligation{
		{PlanID: 3, PeriodID: 9, TaskID: 1, TaskNo: "1.1.1", UnitID: 1, Kind: cycle.ReportTask, Period: "2022年7月", Due: d("2022-07-25")},
		{PlanID: 3, PeriodID: 9, TaskID: 2, TaskNo: "1.1.2", UnitID: 1, Kind: cycle.ReportPart, Period: "2022年7月", Due: d("2022-07-25"), State: cycle.ReportReturned},
		{PlanID: 3, PeriodID: 9, TaskID: 3, TaskNo: "1.1.3", UnitID: 1, Kind: cycle.ReportPart, Period: "2022年7月", Due: d("2022-07-25"), State: cycle.ReportSubmitted},
		{PlanID: 3, PeriodID: 9, TaskID: 1, TaskNo: "1.1.1", UnitID: 2, Kind: cycle.ReportPart, Period: "2022年7月", Due: d("2022-07-25"), State: cycle.ReportDraft},
	}
	offsets := []int{-3, -1, 1, 3}
	for _, tc := range []struct {
		today string
		want  []string // unit:offset:count
		text  string
	}{
		{"2022-07-21", nil, ""},
		{"2022-07-22", []string{"1:-3:2", "2:-3:1"}, "提醒：2022年7月的报告应于 7月25日 前报送（还有 3 天），尚有 2 项未报送：任务 1.1.1 任务报告、任务 1.1.2 分项报告（已退回）。"},
		{"2022-07-23", []string{"1:-3:2", "2:-3:1"}, ""}, // caught up the next day, same key
		{"2022-07-24", []string{"1:-1:2", "2:-1:1"}, ""},
		{"2022-07-25", []string{"1:-1:2", "2:-1:1"}, "提醒：2022年7月的报告今天（7月25日）到期，尚有 2 项未报送：任务 1.1.1 任务报告、任务 1.1.2 分项报告（已退回）。"},
		{"2022-07-26", []string{"1:1:2", "2:1:1"}, "催报：2022年7月的报告应于 7月25日 前报送，已逾期 1 天，尚有 2 项未报送：任务 1.1.1 任务报告、任务 1.1.2 分项报告（已退回）。"},
		{"2022-07-31", nil, ""}, // more than two days after the last rule day
	} {
		rs := cycle.DueReminders(obls, offsets, d(tc.today))
		var got []string
		for _, r := range rs {
			got = append(got, fmt.Sprintf("%d:%d:%d", r.UnitID, r.Offset, len(r.Owed)))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.today, got, tc.want)
			continue
		}
		if tc.text != "" && rs[0].Text != tc.text {
			t.Errorf("%s: got text %q, want %q", tc.today, rs[0].Text, tc.text)
		}
		for _, r := range rs {
			if r.TextEN == "" || r.Day != r.Due.AddDays(r.Offset) {
				t.Errorf("%s: reminder %+v", tc.today, r)
			}
		}
	}
	// The once-only key is the same on the catch-up day.
	a := cycle.DueReminders(obls, offsets, d("2022-07-22"))[0]
	b := cycle.DueReminders(obls, offsets, d("2022-07-23"))[0]
	if a.Key("app", "unit:1") != b.Key("app", "unit:1") || a.Key("app", "unit:1") == a.Key("wecom", "unit:1") {
		t.Errorf("keys: %q %q", a.Key("app", "unit:1"), b.Key("app", "unit:1"))
	}
}

func TestWriterOf(t *testing.T) {
	task := &duban.Task{LeadUnits: []duban.Owner{{ID: 1, Name: "A"}}, ResponsibleUnits: []duban.Owner{{ID: 2, Name: "B"}}}
	office := &duban.User{Role: duban.RoleAdmin}
	for _, c := range []struct {
		u     *duban.User
		asked int64
		unit  int64
		kind  cycle.ReportKind
	}{
		{&duban.User{Role: duban.RoleClerk, UnitID: 1}, 2, 1, cycle.ReportTask},
		{&duban.User{Role: duban.RoleClerk, UnitID: 2}, 0, 2, cycle.ReportPart},
		{&duban.User{Role: duban.RoleClerk, UnitID: 9}, 0, 9, cycle.ReportPart},
		{office, 0, 1, cycle.ReportTask},
		{office, 2, 2, cycle.ReportPart},
	} {
		if unit, kind := cycle.WriterOf(c.u, task, c.asked, nil); unit != c.unit || kind != c.kind {
			t.Errorf("%s of unit %d asking %d: got %d %s, want %d %s", c.u.Role, c.u.UnitID, c.asked, unit, kind, c.unit, c.kind)
		}
	}
}
