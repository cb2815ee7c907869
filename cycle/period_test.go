package cycle_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// holidays is weekends plus the days listed as off.
type holidays map[duban.Date]string

func (h holidays) IsWorkday(d duban.Date) bool {
	_, off := h[d]
	return !off && (weekends{}).IsWorkday(d)
}
func (h holidays) DayOff(d duban.Date) string {
	if name, ok := h[d]; ok {
		return "法定节假日（" + name + "）"
	}
	return (weekends{}).DayOff(d)
}
func (h holidays) Known(int) bool { return true }

func TestGeneratePeriods(t *testing.T) {
	cal := holidays{d("2022-10-03"): "国庆节", d("2022-10-04"): "国庆节", d("2022-10-05"): "国庆节", d("2022-10-06"): "国庆节", d("2022-10-07"): "国庆节"}
	for _, tc := range []struct {
		name     string
		schedule cycle.Schedule
		// want lists label, start, end, due and note of some periods, by index
		want map[int][5]string
		n    int
	}{
		{"monthly", cycle.DefaultSchedule(), map[int][5]string{
			0:  {"2022年1月", "2022-01-01", "2022-01-31", "2022-01-25", ""},
			8:  {"2022年9月", "2022-09-01", "2022-09-30", "2022-09-26", "9月25日为星期日，顺延至9月26日"},
			11: {"2022年12月", "2022-12-01", "2022-12-31", "2022-12-26", "12月25日为星期日，顺延至12月26日"},
		}, 12},
		{"monthly on the 31st", cycle.Schedule{Kind: cycle.ScheduleMonthly, DueDay: 31}, map[int][5]string{
			1: {"2022年2月", "2022-02-01", "2022-02-28", "2022-02-28", ""},
		}, 12},
		{"quarterly, 季末月 20 日", cycle.Schedule{Kind: cycle.ScheduleQuarterly, DueDay: 20}, map[int][5]string{
			0: {"2022年第一季度", "2022-01-01", "2022-03-31", "2022-03-21", "3月20日为星期日，顺延至3月21日"},
			2: {"2022年第三季度", "2022-07-01", "2022-09-30", "2022-09-20", ""},
		}, 4},
		{"quarterly, next month", cycle.Schedule{Kind: cycle.ScheduleQuarterly, DueDay: 3, NextMonth: true}, map[int][5]string{
			2: {"2022年第三季度", "2022-07-01", "2022-09-30", "2022-10-10", "10月3日为法定节假日（国庆节），顺延至10月10日"},
			3: {"2022年第四季度", "2022-10-01", "2022-12-31", "2023-01-03", ""},
		}, 4},
		{"custom", cycle.Schedule{Kind: cycle.ScheduleCustom, Dates: []duban.Date{d("2022-06-20"), d("2022-12-20")}}, map[int][5]string{
			0: {"2022年第 1 次（6月20日前）", "2022-01-01", "2022-06-20", "2022-06-20", ""},
			1: {"2022年第 2 次（12月20日前）", "2022-06-21", "2022-12-31", "2022-12-20", ""},
		}, 2},
	} {
		ps, err := cycle.GeneratePeriods(2022, tc.schedule, cal)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if len(ps) != tc.n {
			t.Errorf("%s: got %d periods, want %d", tc.name, len(ps), tc.n)
			continue
		}
		for i, w := range tc.want {
			p := ps[i]
			got := [5]string{p.Label, p.Start.String(), p.End.String(), p.Due.String(), p.DueNote}
			if got != w {
				t.Errorf("%s, period %d: got %q, want %q", tc.name, i, got, w)
			}
			if p.Seq != i+1 || p.State != cycle.PeriodPending {
				t.Errorf("%s, period %d: seq %d state %s", tc.name, i, p.Seq, p.State)
			}
			if (p.DueNote == "") != (p.Due == p.Scheduled) || (p.DueNote == "") != (p.DueNoteEN == "") {
				t.Errorf("%s, period %d: a moved due date has a note in both languages: %+v", tc.name, i, p)
			}
		}
	}
}

func TestScheduleValidate(t *testing.T) {
	for _, tc := range []struct {
		s   cycle.Schedule
		msg string
	}{
		{cycle.Schedule{Kind: "weekly"}, "报送周期"},
		{cycle.Schedule{Kind: cycle.ScheduleMonthly, DueDay: 0}, "报送日"},
		{cycle.Schedule{Kind: cycle.ScheduleMonthly, DueDay: 32}, "报送日"},
		{cycle.Schedule{Kind: cycle.ScheduleCustom}, "报送日期"},
		{cycle.Schedule{Kind: cycle.ScheduleCustom, Dates: []duban.Date{d("2021-06-20")}}, "不在文件的年度"},
		{cycle.Schedule{Kind: cycle.ScheduleCustom, Dates: []duban.Date{d("2022-06-20"), d("2022-06-20")}}, "先后"},
	} {
		err := tc.s.Validate(2022)
		if duban.ErrorCode(err) != duban.EINVALID || !strings.Contains(duban.ErrorMessage(err), tc.msg) {
			t.Errorf("%+v: got %v, want a message with %q", tc.s, err, tc.msg)
		}
	}
}

func TestCycleSettingsValidate(t *testing.T) {
	c := cycle.DefaultCycleSettings(&duban.Plan{ID: 1, Year: 2022})
	if err := c.Validate(2022); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		upd cycle.CycleSettingsUpdate
		msg string
	}{
		{cycle.CycleSettingsUpdate{Thresholds: &cycle.Thresholds{Lag: 20, Severe: 10}}, "应大于"},
		{cycle.CycleSettingsUpdate{Start: ptr(d("2021-12-01"))}, "序时进度起算日"},
		{cycle.CycleSettingsUpdate{Reminders: &[]int{0}}, "提醒日"},
		{cycle.CycleSettingsUpdate{Reminders: &[]int{1, 1}}, "重复"},
	} {
		c := cycle.DefaultCycleSettings(&duban.Plan{ID: 1, Year: 2022})
		tc.upd.Apply(c)
		if err := c.Validate(2022); !strings.Contains(duban.ErrorMessage(err), tc.msg) {
			t.Errorf("%+v: got %v, want a message with %q", tc.upd, err, tc.msg)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestScheduleLabels says each schedule in both languages.
func TestScheduleLabels(t *testing.T) {
	for _, tc := range []struct {
		s      cycle.Schedule
		zh, en string
	}{
		{cycle.DefaultSchedule(), "每月 25 日前报送", "Monthly, due on day 25"},
		{cycle.Schedule{Kind: cycle.ScheduleMonthly, DueDay: 5, NextMonth: true}, "每月报送，次月 5 日前", "Monthly, due on day 5 of the next month"},
		{cycle.Schedule{Kind: cycle.ScheduleQuarterly, DueDay: 20}, "每季度末月 20 日前报送", "Quarterly, due on day 20 of the quarter's last month"},
		{cycle.Schedule{Kind: cycle.ScheduleQuarterly, DueDay: 10, NextMonth: true}, "每季度报送，季后首月 10 日前", "Quarterly, due on day 10 of the month after the quarter"},
		{cycle.Schedule{Kind: cycle.ScheduleCustom, Dates: []duban.Date{d("2022-06-30"), d("2022-12-20")}}, "按自定义的 2 个日期报送", "On 2 dates set by the office"},
	} {
		if got := tc.s.Label(); got != tc.zh {
			t.Errorf("Label: got %q, want %q", got, tc.zh)
		}
		if got := tc.s.LabelEN(); got != tc.en {
			t.Errorf("LabelEN: got %q, want %q", got, tc.en)
		}
	}
}
