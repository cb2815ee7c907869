package export

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/xlsx"
)

// TaskTableQuery selects a task table: a plan's, or the part of it one
// unit leads or shares, or one leader leads.
type TaskTableQuery struct {
	PlanID   int64
	UnitID   int64
	LeaderID int64
}

// TaskTable makes a plan's task table (任务分解表), filtered as asked.
func TaskTable(ctx context.Context, s *Services, q TaskTableQuery) (*File, error) {
	table, err := taskTable(ctx, s, q)
	if err != nil {
		return nil, err
	}
	return &File{Name: fileName(table.Title, ".xlsx"), ContentType: XLSX,
		write: func(w io.Writer) error { return xlsx.WriteTaskTable(w, *table) }}, nil
}

func taskTable(ctx context.Context, s *Services, q TaskTableQuery) (*xlsx.TaskTable, error) {
	p, err := s.Plans.FindPlanByID(ctx, q.PlanID)
	if err != nil {
		return nil, err
	}
	f := duban.TaskFilter{PlanID: &p.ID, IncludeWithdrawn: true}
	who := ""
	if q.UnitID != 0 {
		u, err := s.Units.FindUnitByID(ctx, q.UnitID)
		if err != nil {
			return nil, err
		}
		f.UnitID, who = &u.ID, u.Name
	}
	if q.LeaderID != 0 {
		l, err := s.Leaders.FindLeaderByID(ctx, q.LeaderID)
		if err != nil {
			return nil, err
		}
		f.LeaderID, who = &l.ID, strings.TrimSpace(who+" "+l.Name)
	}
	tasks, _, err := s.Tasks.FindTasks(ctx, f)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%d年%s目标任务分解表", p.Year, planWords(p))
	if who != "" {
		title += "（" + who + "）"
	}
	return &xlsx.TaskTable{Title: title, Sections: p.Sections, Areas: p.Areas, Tasks: tasks}, nil
}

// planWords names a plan in a title: the work it decomposes (《政府工作报告》)
// when its title quotes one, or its title.
func planWords(p *duban.Plan) string {
	if i := strings.Index(p.Title, "《"); i >= 0 {
		if j := strings.Index(p.Title[i:], "》"); j > 0 {
			return p.Title[i : i+j+len("》")]
		}
	}
	return p.Title
}

// ProgressQuery selects a progress book: of periods (one plan's, or
// several plans' alike), or of the periods of every plan of a year with the
// same place in their year (the 5th month of each, say); a sheet per
// period.
type ProgressQuery struct {
	PeriodIDs []int64
	Year      int
	Seq       int
}

// ProgressBook makes the progress book (进展台账).
func ProgressBook(ctx context.Context, s *Services, q ProgressQuery) (*File, error) {
	book, name, err := progressBook(ctx, s, q)
	if err != nil {
		return nil, err
	}
	return &File{Name: fileName(name, ".xlsx"), ContentType: XLSX,
		write: func(w io.Writer) error { return xlsx.WriteProgressBook(w, *book) }}, nil
}

func progressBook(ctx context.Context, s *Services, q ProgressQuery) (*xlsx.ProgressBook, string, error) {
	var periods []*cycle.Period
	switch {
	case len(q.PeriodIDs) > xlsx.MaxSheets:
		return nil, "", duban.Errorf(duban.EINVALID, "一次最多导出 %d 个填报周期的进展台账。", xlsx.MaxSheets)
	case len(q.PeriodIDs) > 0:
		for _, id := range q.PeriodIDs {
			p, err := s.Periods.FindPeriodByID(ctx, id)
			if err != nil {
				return nil, "", err
			}
			periods = append(periods, p)
		}
	case q.Year != 0 && q.Seq > 0:
		all, _, err := s.Periods.FindPeriods(ctx, cycle.PeriodFilter{Year: &q.Year})
		if err != nil {
			return nil, "", err
		}
		for _, p := range all {
			if p.Seq == q.Seq && p.State != cycle.PeriodPending {
				periods = append(periods, p)
			}
		}
		if len(periods) == 0 {
			return nil, "", duban.Errorf(duban.ENOTFOUND, "%d 年没有已开始填报的第 %d 期：请选择已开启的填报周期。", q.Year, q.Seq)
		}
	default:
		return nil, "", duban.Errorf(duban.EINVALID, "请选择填报周期，或给出年度和期数。")
	}
	book := &xlsx.ProgressBook{}
	for _, q := range periods {
		sheet, err := progressSheet(ctx, s, q)
		if err != nil {
			return nil, "", err
		}
		book.Sheets = append(book.Sheets, *sheet)
	}
	name := book.Sheets[0].Title
	if len(periods) > 1 {
		name = fmt.Sprintf("%s重点任务进展台账（%d 个文件）", periods[0].Label, len(periods))
	}
	return book, name, nil
}

// progressSheet is one plan's sheet of the book: each task in force with
// its task report of the period, its light and the light's reason.
func progressSheet(ctx context.Context, s *Services, q *cycle.Period) (*xlsx.ProgressSheet, error) {
	p, err := s.Plans.FindPlanByID(ctx, q.PlanID)
	if err != nil {
		return nil, err
	}
	tasks, _, err := s.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &p.ID})
	if err != nil {
		return nil, err
	}
	kind := cycle.ReportTask
	reports, _, err := s.Reports.FindReports(ctx, cycle.ReportFilter{PeriodID: &q.ID, Kind: &kind})
	if err != nil {
		return nil, err
	}
	lights, _, err := s.Lights.FindLights(ctx, cycle.LightFilter{PeriodID: &q.ID})
	if err != nil {
		return nil, err
	}
	byTask := make(map[int64]*cycle.Report, len(reports))
	for _, r := range reports {
		byTask[r.TaskID] = r
	}
	lightOf := make(map[int64]*cycle.Light, len(lights))
	for _, l := range lights {
		lightOf[l.TaskID] = l
	}
	sections, areas := headings(p)
	sheet := &xlsx.ProgressSheet{
		Name:  fmt.Sprintf("%d %s", p.Year, planWords(p)),
		Title: fmt.Sprintf("%s%s重点任务进展台账", q.Label, planWords(p)),
		Rows:  make([]xlsx.ReportRow, 0, len(tasks)),
	}
	for _, t := range tasks {
		row := reportRow(t, sections, areas)
		if r := byTask[t.ID]; r != nil {
			row.Entry = entryOf(r, t)
			if !r.State.Reported() {
				row.Progress = "（" + r.State.Label() + "）" + row.Progress
			}
		}
		if l := lightOf[t.ID]; l != nil {
			row.Light, row.Reason = l.Status.Label(), l.Reason
		}
		sheet.Rows = append(sheet.Rows, row)
	}
	return sheet, nil
}

// reportRow is a task's row without its entry.
func reportRow(t *duban.Task, sections map[int]string, areas map[[2]int]string) xlsx.ReportRow {
	row := xlsx.ReportRow{
		TaskID: t.ID, Text: t.Text, Deadline: t.Deadline,
		Section:     xlsx.SectionHeading(t.Section, sections[t.Section]),
		LeadLeaders: duban.OwnerNames(t.LeadLeaders), LeadUnits: duban.OwnerNames(t.LeadUnits),
		ResponsibleUnits: duban.OwnerNames(t.ResponsibleUnits),
	}
	if t.Area > 0 {
		row.Area = xlsx.AreaHeading(t.Area, areas[[2]int{t.Section, t.Area}])
	}
	for i := range t.Indicators {
		row.Targets = append(row.Targets, targetText(&t.Indicators[i]))
	}
	return row
}

// entryOf is what a report says, as a workbook's cells hold it: the actuals
// as typed, one per target.
func entryOf(r *cycle.Report, t *duban.Task) xlsx.Entry {
	completion := float64(r.Completion)
	e := xlsx.Entry{Progress: r.Progress, Completion: &completion, Problems: r.Problems, NextSteps: r.NextSteps,
		Actuals: make([]string, len(t.Indicators))}
	for _, a := range r.Actuals {
		if a.Indicator >= 0 && a.Indicator < len(e.Actuals) {
			e.Actuals[a.Indicator] = a.Text
		}
	}
	e.Actuals = slices.Clip(e.Actuals)
	return e
}
