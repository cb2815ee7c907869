package demo

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// CycleServices are the services SyntheticCycle reports through.
type CycleServices struct {
	Tasks   duban.TaskService
	Periods cycle.PeriodService
	Reports cycle.ReportService
}

// SyntheticCycle reports on made-up plans part-way through their year, so
// that the overview, the progress book and the public page are measured on
// a year's data: each plan's periods made, its first months opened (all
// but the last closed again), and in each a report of every task handed in
// by the office for its composing unit, in one batch a plan and month (the
// office enters paper reports so), with completions and actuals spread
// over the tasks so that every light shows. ctx must carry the office.
func SyntheticCycle(ctx context.Context, s CycleServices, plans []*duban.Plan, months int) error {
	for _, p := range plans {
		periods, err := s.Periods.CreatePeriods(ctx, p.ID)
		if err != nil {
			return err
		}
		tasks, _, err := s.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			return err
		}
		for m, q := range periods[:min(months, len(periods))] {
			if _, err := s.Periods.UpdatePeriod(ctx, q.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodOpen)}); err != nil {
				return err
			}
			saves := make([]cycle.ReportSave, 0, len(tasks))
			for i, t := range tasks {
				composer, _ := cycle.ReportingUnits(t, nil)
				// One task in nine never reports, one in seven misses the
				// current month.
				if composer == 0 || i%9 == 4 || (m == months-1 && i%7 == 3) {
					continue
				}
				saves = append(saves, cycle.ReportSave{Report: syntheticReport(q, t, composer, i, m+1)})
			}
			if len(saves) > 0 {
				if _, err := s.Reports.SaveReports(ctx, saves); err != nil {
					return fmt.Errorf("demo: %d's %s: %w", p.Year, q.Label, err)
				}
			}
			if m < months-1 {
				if _, err := s.Periods.UpdatePeriod(ctx, q.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodClosed)}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// syntheticReport is task i's report in month m: its completion as time
// asks, ahead or behind by the task's place, and each target's actual for
// the month.
func syntheticReport(q *cycle.Period, t *duban.Task, unit int64, i, m int) *cycle.Report {
	offsets := []int{-35, -15, 0, 5, 10}
	completion := max(0, min(100, m*100/12+offsets[i%len(offsets)]))
	r := &cycle.Report{PeriodID: q.ID, TaskID: t.ID, UnitID: unit, Kind: cycle.ReportTask, State: cycle.ReportSubmitted,
		Completion: completion, Progress: fmt.Sprintf("%s：本月推进重点项目 %d 个，完成年度任务的 %d%%。", q.Label, 1+i%5, completion),
		NextSteps: "继续按计划推进。"}
	if completion < m*100/12 {
		r.Problems = "项目审批进度慢于预期。"
	}
	for k := range t.Indicators {
		in := &t.Indicators[k]
		v := in.Value / 12 * float64(5+i%10) / 10
		if !cycle.Additive(in) {
			v = in.Value * float64(80+i%30) / 100
		}
		text := fmt.Sprintf("%.0f%s", v, in.Unit)
		if _, err := cycle.ParseActual(text, in); err == nil {
			r.Actuals = append(r.Actuals, cycle.Actual{Indicator: k, Text: text})
		}
	}
	return r
}

func ptr[T any](v T) *T { return &v }
