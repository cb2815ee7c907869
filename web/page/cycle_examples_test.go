package page

import (
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// coreCycleExamples are examples of what the core pages show of the
// reporting cycle and the supervision: a clerk's to-do list on the home
// page, a task's lights, reports and closures, the urging of a task and of
// a unit, for TestTemplates.
func coreCycleExamples() []web.Page {
	at := time.Date(2022, 7, 20, 9, 30, 0, 0, time.UTC)
	plan := &duban.Plan{ID: 1, Year: 2022, Title: "2022 年工作报告分解" + hostile, State: duban.PlanPublished}
	task := &duban.Task{ID: 7, PlanID: 1, Year: 2022, No: "1.1.2", Text: "推进城市更新" + hostile, Deadline: "年底前" + hostile,
		State: duban.TaskActive, LeadUnits: []duban.Owner{{ID: 5, Name: hostile}}, ResponsibleUnits: []duban.Owner{{ID: 6, Name: "区财政局"}},
		Indicators: []duban.Indicator{{Text: "新增 3 所" + hostile, Metric: "新增学校" + hostile, Value: 3, Unit: "所", Cmp: duban.CmpAtLeast}}}
	open := &cycle.Period{ID: 3, PlanID: 1, Seq: 7, Label: "2022年7月" + hostile, Start: duban.NewDate(2022, 7, 1), End: duban.NewDate(2022, 7, 31),
		Due: duban.NewDate(2022, 7, 25), Scheduled: duban.NewDate(2022, 7, 25), State: cycle.PeriodOpen}
	ref := cycle.EvidenceRef{SHA256: strings.Repeat("ab", 32), Name: hostile + ".pdf", Size: 2 << 20, Type: "application/pdf"}
	report := &cycle.Report{ID: 11, PlanID: 1, PeriodID: 3, TaskID: 7, UnitID: 5, Kind: cycle.ReportTask, State: cycle.ReportReturned,
		Progress: hostile, Completion: 40, Problems: hostile, NextSteps: hostile, ReturnReason: hostile, Version: 3,
		Actuals:  []cycle.Actual{{Indicator: 0, Text: "约四万" + hostile, Problem: hostile}},
		Evidence: []cycle.EvidenceRef{ref}, SubmittedAt: at, UpdatedBy: hostile, UpdatedAt: at}
	light := &cycle.Light{PlanID: 1, PeriodID: 3, TaskID: 7, Status: cycle.LightLagging, Reason: hostile, ReasonEN: hostile, Completion: 40, Expected: 58}
	closure := &cycle.Closure{ID: 4, PlanID: 1, TaskID: 7, UnitID: 5, State: cycle.ClosureRequested, Note: hostile,
		Evidence: []cycle.EvidenceRef{ref}, Reason: hostile, RequestedBy: hostile, RequestedAt: at}
	unit := &duban.Unit{ID: 5, Name: "区住建局" + hostile}
	todo := func(lang string) *TodoList {
		o := &cycle.Obligation{PlanID: 1, PeriodID: 3, TaskID: 7, TaskNo: "1.1.2", UnitID: 5, Kind: cycle.ReportTask, Period: open.Label,
			Due: open.Due, ReportID: 11, State: cycle.ReportReturned, ReturnReason: hostile}
		owed := &cycle.Obligation{PlanID: 1, PeriodID: 3, TaskID: 7, TaskNo: "1.1.2", UnitID: 5, Kind: cycle.ReportPart, Period: open.Label, Due: open.Due}
		return &TodoList{Unit: unit, Today: duban.NewDate(2022, 7, 27), Tr: tr(lang), Periods: []*TodoPeriod{{Period: open, Plan: plan, Owed: 2, Items: []*TodoItem{
			{Obligation: o, Task: task, Overdue: true, DaysLeft: -2}, {Obligation: owed, Task: task, DaysLeft: 3}}}}}
	}
	return []web.Page{
		&homePage{Role: duban.RoleClerk, Unit: unit, Lead: &taskList{tr: tr("zh")}, Shared: &taskList{tr: tr("zh")}, Todo: todo("zh")},
		&taskPage{Task: task, Plan: plan, Cycle: &taskCycle{Light: light, tr: tr("zh"), MaxSize: "50 MB", MaxFiles: 5,
			History:  []*periodLight{{Period: hostile, Light: light}, {Period: "2022年6月", Light: &cycle.Light{Status: cycle.LightMissing, Completion: -1}}},
			Reports:  []*taskReport{{Report: report, Unit: hostile, Period: hostile}},
			Closures: []*cycle.Closure{closure}, ReportURL: "/tasks/7/report", ReportLabel: "填报本期进展", CanRequestClosure: true, CanDecide: true}},
		&taskPage{Task: task, Plan: plan, Urge: &urgeBox{Action: "/tasks/7/urge", Count: 2, Last: at, Supervise: "/supervisions/new?task=7"}},
		&unitPage{Unit: unit, Lead: &taskList{tr: tr("zh")}, Shared: &taskList{tr: tr("zh")},
			Urge: &urgeBox{Action: "/units/6/urge", Plans: []*duban.Plan{plan}, Count: 1, Last: at}},
	}
}

// TestLightWord writes a light as a coloured word with its reason as text,
// in each language, escaped, and nothing for no light.
func TestLightWord(t *testing.T) {
	l := &cycle.Light{Status: cycle.LightSevere, Reason: "完成 30%，按序时应达 58%<b>", ReasonEN: "30% done; 58% expected"}
	for _, c := range []struct {
		lang string
		want string
	}{
		{"zh", `<span class="light light-severe" title="完成 30%，按序时应达 58%&lt;b&gt;">严重滞后</span><small class="reason">完成 30%，按序时应达 58%&lt;b&gt;</small>`},
		{"en", `<span class="light light-severe" title="30% done; 58% expected">Seriously behind</span><small class="reason">30% done; 58% expected</small>`},
	} {
		if got := string(LightHTML(tr(c.lang), l, true)); got != c.want {
			t.Errorf("%s: got %s, want %s", c.lang, got, c.want)
		}
	}
	if got := LightHTML(tr("zh"), nil, true); got != "" {
		t.Errorf("no light: got %q", got)
	}
	rows := string(taskTable{tr: tr("zh"), lights: map[int64]*cycle.Light{7: l}}.rows([]*duban.Task{{ID: 7, No: "1.1.1"}, {ID: 8, No: "1.1.2"}}))
	if strings.Count(rows, `<td class="status" data-label="状态">`) != 2 || strings.Count(rows, "严重滞后") != 1 {
		t.Errorf("a list's lights: want a status cell in each row, one light:\n%s", rows)
	}
}
