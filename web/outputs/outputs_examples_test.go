package outputs

import (
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/export"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/xlsx"
)

// outputExamplePages are examples of the outputs' pages, filled as their
// handlers fill them, with hostile text wherever users' text goes.
func outputExamplePages(t *testing.T) []web.Page {
	at := time.Date(2022, 7, 20, 9, 30, 0, 0, time.UTC)
	plan := &duban.Plan{ID: 1, Year: 2022, Title: "2022 年工作报告分解" + hostile, State: duban.PlanPublished,
		Sections: []duban.Section{{No: 0, Title: "主要预期目标"}, {No: 1, Title: hostile}}}
	task := &duban.Task{ID: 7, PlanID: 1, Year: 2022, Section: 1, Area: 1, Seq: 2, No: "1.1.2", Text: "推进城市更新" + hostile,
		Deadline: "2022年底前" + hostile, State: duban.TaskActive,
		LeadLeaders: []duban.Owner{{ID: 3, Name: "武毅" + hostile}}, LeadUnits: []duban.Owner{{ID: 5, Name: hostile}},
		ResponsibleUnits: []duban.Owner{{ID: 6, Name: "区财政局"}},
		Indicators:       []duban.Indicator{{Text: hostile, Metric: "新增学校" + hostile, Value: 3, Unit: "所", Cmp: duban.CmpAtLeast}},
	}
	other := *task
	other.ID, other.No, other.Section = 8, "0.0.1", 0
	period := &cycle.Period{ID: 4, PlanID: 1, Seq: 7, Label: "2022年7月", Start: duban.NewDate(2022, 7, 1), End: duban.NewDate(2022, 7, 31),
		Due: duban.NewDate(2022, 7, 25), State: cycle.PeriodOpen}
	two := 2.0
	figures := &cycle.Figures{PlanID: 1, Today: duban.NewDate(2022, 7, 28), Periods: []*cycle.Period{period}, Period: period,
		Lights: map[int64]*cycle.Light{7: {TaskID: 7, Status: cycle.LightSevere, Reason: hostile, ReasonEN: hostile, Completion: 10,
			Reached: []cycle.Actual{{Indicator: 0, Value: &two}}}},
		Trend:        []cycle.PeriodCounts{{Period: period, Counts: cycle.LightCounts{0, 0, 1, 0, 1, 0, 0}}},
		Supervisions: []*cycle.Supervision{{ID: 2, Year: 2022, Seq: 3, Unit: hostile, State: cycle.SupervisionIssued, Due: duban.NewDate(2022, 8, 1)}},
	}
	o := cycle.BuildOverview(plan, []*duban.Task{task, &other}, nil, figures, 3)
	o.Overdue = []cycle.OverdueUnit{{UnitID: 5, Name: hostile, Reports: 2}}
	ov := &overviewPage{Plans: []*duban.Plan{plan}, Plan: plan, O: o, Latest: true, Leader: &duban.Owner{ID: 3, Name: hostile}}
	ov.Tr = tr("zh")
	if err := ov.draw(tr("zh")); err != nil {
		t.Fatal(err)
	}
	full := *ov
	full.Full, full.Latest, full.Leader = true, false, nil
	empty := &overviewPage{Plans: []*duban.Plan{plan}, Plan: plan,
		O: cycle.BuildOverview(plan, nil, nil, &cycle.Figures{PlanID: 1, Today: figures.Today}, 0)}
	if err := empty.draw(tr("en")); err != nil {
		t.Fatal(err)
	}
	text := cycle.DefaultBulletinText(plan, period)
	text.Number, text.To, text.Opening, text.Closing, text.UpdatedBy, text.UpdatedAt, text.Saved = hostile, hostile, hostile+"\n"+hostile, hostile, hostile, at, true
	b := cycle.MakeBulletin(&cycle.BulletinInput{Plan: plan, Period: period, Text: text, Tasks: []*duban.Task{task, &other},
		Lights: []*cycle.Light{{TaskID: 7, Status: cycle.LightSevere, Reason: hostile}, {TaskID: 8, Status: cycle.LightDone}},
		Reports: []*cycle.Report{{PeriodID: 4, TaskID: 8, UnitID: 5, Kind: cycle.ReportTask, State: cycle.ReportAccepted, Progress: hostile,
			Completion: 100, SubmittedAt: at}},
		Today: figures.Today})
	report := &cycle.Report{ID: 1, PeriodID: 4, TaskID: 7, UnitID: 5, Kind: cycle.ReportTask, State: cycle.ReportReturned,
		Progress: hostile, Completion: 40, Actuals: []cycle.Actual{{Indicator: 0, Text: hostile}}, Problems: hostile, NextSteps: hostile}
	unit := &duban.Unit{ID: 5, Name: hostile}
	return []web.Page{
		ov, &full, empty,
		&bulletinPage{B: b, P: export.Paragraphs(b), Day: figures.Today, CanEdit: true},
		&bulletinPage{B: b, P: export.Paragraphs(b), Day: figures.Today, Print: true},
		&fillInIndexPage{Unit: unit, Units: []*duban.Unit{unit}, Open: []openPeriod{{Plan: plan, Period: period}}},
		&fillInIndexPage{},
		&fillInPage{Period: period, Plan: plan, Unit: unit, Units: []*duban.Unit{unit}, Result: &export.FillInResult{
			Errors: []xlsx.CellError{{Row: 7, Column: "F", Field: "完成进度(%)", Message: hostile}, {Row: 9, Message: hostile}},
			Stale:  []export.StaleRow{{Row: 8, TaskNo: hostile, By: hostile, At: hostile}}}},
		&fillInPage{Period: period, Plan: plan, Unit: unit, Result: &export.FillInResult{Created: 2, Updated: 1, Unchanged: 3}},
		&fillInPage{Period: period, Plan: plan, Unit: unit},
		&outputsPage{Plan: plan, Periods: []*cycle.Period{period}, Units: []*duban.Unit{unit}, Leaders: []*duban.Leader{{ID: 3, Name: hostile}},
			Publication: &cycle.Publication{PlanID: 1, Public: true, Hidden: []int64{8}}, CanPublish: true, Tasks: []*duban.Task{task, &other},
			FillIn: true, UnitID: 5},
		&outputsPage{Plan: plan, Publication: &cycle.Publication{PlanID: 1}},
		&printPage{Heading: hostile, Table: true, Tasks: []printTask{{Task: task, Light: figures.Lights[7]}, {Task: &other}},
			Units: map[int64]string{5: hostile}, Truncated: true, Back: "/tasks?q=" + hostile},
		&printPage{Heading: hostile, Tasks: []printTask{{Task: task, Light: figures.Lights[7], Reports: []*cycle.Report{report},
			Periods: map[int64]string{4: hostile}}, {Task: &other}}, Units: map[int64]string{5: hostile}},
		&publicPlansPage{Plans: []cycle.PublicPlanSummary{{ID: 1, Year: 2022, Title: hostile}}},
		&publicPlansPage{},
		&publicPlanPage{P: &cycle.PublicPlan{ID: 1, Year: 2022, Title: hostile, DocNumber: hostile, Issuer: hostile, Period: hostile,
			AsOf: figures.Today, Sections: []cycle.PublicSection{{No: 1, Title: hostile, Tasks: []cycle.PublicTask{{ID: 7, No: "1.1.2",
				Text: hostile, Leaders: []string{hostile}, LeadUnits: []string{hostile}, Units: []string{hostile}, Deadline: hostile,
				Light: cycle.LightLagging, Completion: 30, Progress: hostile,
				Targets: []cycle.TargetProgress{cycle.Progress(&task.Indicators[0], 0, 2), {Metric: hostile, Goal: hostile}}}}}}}},
		&publicPlanPage{P: &cycle.PublicPlan{ID: 1, Year: 2022, Title: "空"}},
	}
}
