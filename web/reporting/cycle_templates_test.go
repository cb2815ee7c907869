package reporting

import (
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// cycleExamplePages are examples of the reporting cycle's pages, filled the
// way their handlers fill them, with hostile text wherever users' text
// goes.
func cycleExamplePages() []web.Page {
	at := time.Date(2022, 7, 20, 9, 30, 0, 0, time.UTC)
	day := func(s string) duban.Date {
		d, _ := duban.ParseDate(s)
		return d
	}
	plan := &duban.Plan{ID: 1, Year: 2022, Title: "2022 年工作报告分解" + hostile, State: duban.PlanPublished}
	task := &duban.Task{ID: 7, PlanID: 1, Year: 2022, No: "1.1.2", Text: "推进城市更新" + hostile, Deadline: "年底前" + hostile,
		State: duban.TaskActive, LeadUnits: []duban.Owner{{ID: 5, Name: hostile}}, ResponsibleUnits: []duban.Owner{{ID: 6, Name: "区财政局"}},
		Indicators: []duban.Indicator{{Text: "新增 3 所" + hostile, Metric: "新增学校" + hostile, Value: 3, Unit: "所", Cmp: duban.CmpAtLeast}}}
	open := &cycle.Period{ID: 3, PlanID: 1, Seq: 7, Label: "2022年7月" + hostile, Start: day("2022-07-01"), End: day("2022-07-31"),
		Due: day("2022-07-25"), Scheduled: day("2022-07-25"), State: cycle.PeriodOpen}
	moved := &cycle.Period{ID: 4, PlanID: 1, Seq: 10, Label: "2022年10月", Start: day("2022-10-01"), End: day("2022-10-31"),
		Due: day("2022-10-25"), Scheduled: day("2022-10-25"), DueNote: hostile, DueNoteEN: hostile, State: cycle.PeriodPending}
	closed := &cycle.Period{ID: 2, PlanID: 1, Seq: 6, Label: "2022年6月", State: cycle.PeriodClosed, Reopened: 1}
	ref := cycle.EvidenceRef{SHA256: strings.Repeat("ab", 32), Name: hostile + ".pdf", Size: 2 << 20, Type: "application/pdf"}
	value := 2.0
	report := &cycle.Report{ID: 11, PlanID: 1, PeriodID: 3, TaskID: 7, UnitID: 5, Kind: cycle.ReportTask, State: cycle.ReportReturned,
		Progress: hostile, Completion: 40, Problems: hostile, NextSteps: hostile, ReturnReason: hostile, Version: 3,
		Actuals:  []cycle.Actual{{Indicator: 0, Text: "约四万" + hostile, Problem: hostile}},
		Evidence: []cycle.EvidenceRef{ref}, SubmittedAt: at, UpdatedBy: hostile, UpdatedAt: at}
	part := &cycle.Report{ID: 12, PlanID: 1, PeriodID: 3, TaskID: 7, UnitID: 6, Kind: cycle.ReportPart, State: cycle.ReportSubmitted,
		Progress: hostile, Completion: 50, Problems: hostile, NextSteps: hostile, Version: 1,
		Actuals: []cycle.Actual{{Indicator: 0, Text: "2所", Value: &value}}, Evidence: []cycle.EvidenceRef{ref}}
	light := &cycle.Light{PlanID: 1, PeriodID: 3, TaskID: 7, Status: cycle.LightLagging, Reason: hostile, ReasonEN: hostile, Completion: 40, Expected: 58}
	versions := []*cycle.ReportVersion{
		{ReportID: 11, Version: 1, Action: "保存草稿", Report: *report, SavedBy: hostile, SavedAt: at},
		{ReportID: 11, Version: 2, Action: "报送", Report: *report, SavedBy: hostile, SavedAt: at},
		{ReportID: 11, Version: 3, Action: "退回", Report: *report, SavedBy: hostile, SavedAt: at},
	}
	closure := &cycle.Closure{ID: 4, PlanID: 1, TaskID: 7, UnitID: 5, State: cycle.ClosureRequested, Note: hostile,
		Evidence: []cycle.EvidenceRef{ref}, Reason: hostile, RequestedBy: hostile, RequestedAt: at}
	unit := &duban.Unit{ID: 5, Name: "区住建局" + hostile}
	settings := cycle.DefaultCycleSettings(plan)
	settings.Schedule = cycle.Schedule{Kind: cycle.ScheduleCustom, Dates: []duban.Date{day("2022-06-30"), day("2022-12-20")}}
	todo := func(lang string) *page.TodoList {
		o := &cycle.Obligation{PlanID: 1, PeriodID: 3, TaskID: 7, TaskNo: "1.1.2", UnitID: 5, Kind: cycle.ReportTask, Period: open.Label,
			Due: open.Due, ReportID: 11, State: cycle.ReportReturned, ReturnReason: hostile}
		owed := &cycle.Obligation{PlanID: 1, PeriodID: 3, TaskID: 7, TaskNo: "1.1.2", UnitID: 5, Kind: cycle.ReportPart, Period: open.Label, Due: open.Due}
		return &page.TodoList{Unit: unit, Today: day("2022-07-27"), Tr: tr(lang), Periods: []*page.TodoPeriod{{Period: open, Plan: plan, Owed: 2, Items: []*page.TodoItem{
			{Obligation: o, Task: task, Overdue: true, DaysLeft: -2}, {Obligation: owed, Task: task, DaysLeft: 3}}}}}
	}
	year, _ := calendar.Statutory()
	return []web.Page{
		&cyclePage{Plan: plan, Settings: settings, Periods: []*cycle.Period{closed, open, moved}, CanManage: true,
			Form: settingsForm(settings), Error: hostile},
		&cyclePage{Plan: plan, Settings: cycle.DefaultCycleSettings(plan), Form: cycleForm{Kind: hostile, Dates: hostile}},
		&calendarPage{Year: 2022, Years: []int{2022, 2023}, Builtin: true, Source: hostile, Statutory: year[2022].Days, CanManage: true,
			Overrides: []*cycle.CalendarOverride{{Date: day("2022-10-08"), Workday: true, Name: hostile, By: hostile, At: at}}},
		&calendarPage{Year: 2031, Years: []int{2031}},
		&todoPage{Todo: todo("zh")},
		&todoPage{Units: []*duban.Unit{unit}, Todo: todo("en")},
		&todoPage{Units: []*duban.Unit{unit}},
		&reportFormPage{Task: task, Plan: plan, Period: open, Unit: unit, Kind: cycle.ReportTask, Report: report,
			Form: inputOf(report, task), Targets: []*actualField{{Index: 0, Indicator: task.Indicators[0], Text: hostile, Problem: hostile,
				Parts: []string{hostile}, Sum: hostile}},
			Parts:  []*partView{{Unit: hostile, Report: part}, {Unit: hostile}},
			Latest: report, Error: hostile, MaxSize: "50 MB", MaxFiles: 5},
		&reportFormPage{Task: task, Plan: plan, Period: open, Unit: unit, Kind: cycle.ReportPart, Form: inputOf(nil, task), MaxSize: "50 MB", MaxFiles: 5},
		&reportPage{Report: report, Task: task, Period: open, Unit: hostile, Versions: versions,
			Parts: []*partView{{Unit: hostile, Report: part}, {Unit: hostile}}, CanReview: true, CanEdit: true, EditURL: "/tasks/7/report?q=" + hostile},
		&reportPage{Report: part, Task: task, Period: open, Unit: hostile, Versions: versions[:1]},
		&comparePage{Report: report, Task: task, Versions: versions, A: versions[0], B: versions[2],
			Changes: []cycle.FieldChange{{Label: "进展情况", Before: hostile, After: hostile}, {Label: "实际完成：" + hostile, Before: "", After: hostile}}},
		&comparePage{Report: report, Task: task, Versions: versions, A: versions[0], B: versions[0]},
		&queuePage{Rows: []*queueRow{{Report: report, Task: task, Period: open, Unit: hostile, Light: light}, {Report: part, Task: task, Period: open}},
			Closures: []*closureRow{{Closure: closure, Task: task, Unit: hostile}}, Selected: map[int64]bool{11: true}, Reason: hostile, Error: hostile},
		&queuePage{},
	}
}

// cycleLabels are the messages the cycle's pages translate through the
// domain's labels rather than by their text.
func cycleLabels() map[string]string {
	labels := map[string]string{}
	for _, s := range []cycle.PeriodState{cycle.PeriodPending, cycle.PeriodOpen, cycle.PeriodClosed} {
		labels[s.Label()] = "cycle.PeriodState.Label"
	}
	for _, k := range []cycle.ReportKind{cycle.ReportPart, cycle.ReportTask} {
		labels[k.Label()] = "cycle.ReportKind.Label"
	}
	for _, s := range []cycle.ReportState{cycle.ReportDraft, cycle.ReportSubmitted, cycle.ReportReturned, cycle.ReportResubmitted, cycle.ReportAccepted} {
		labels[s.Label()] = "cycle.ReportState.Label"
	}
	for _, s := range []cycle.ClosureState{cycle.ClosureRequested, cycle.ClosureClosed, cycle.ClosureDeclined} {
		labels[s.Label()] = "cycle.ClosureState.Label"
	}
	// The actions a report's versions name, and the fields DiffReports
	// names.
	for _, a := range []string{"保存草稿", "修改", "报送", "重新报送", "退回", "审核通过", "保存",
		"状态", "进展情况", "完成进度", "存在问题", "下一步打算", "附件", "退回理由", "未填报",
		"填报本期进展", "修改本期报告", "查看本期报告"} {
		labels[a] = "the cycle's versions"
	}
	return labels
}
