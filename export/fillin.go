package export

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/xlsx"
)

// The columns of the fill-in workbook an uploaded row's errors name.
const (
	colProgress   = "进展情况"
	colCompletion = "完成进度(%)"
	colActual     = "实际完成"
)

// fillInChoice is the workbook's drop-down: hand the report in, or keep it
// a draft.
var fillInChoice = &xlsx.Choice{Title: "报送方式", Options: cycle.FillInChoices}

// fillIn is a unit's fill-in workbook with what each row stands for.
type fillIn struct {
	book   xlsx.FillIn
	period *cycle.Period
	unit   *duban.Unit
	rows   map[int64]*fillInRow // by task
}

// fillInRow is what a row of the workbook is: the obligation, its task and
// the report saved for it, if any.
type fillInRow struct {
	task   *duban.Task
	kind   cycle.ReportKind
	report *cycle.Report // nil when none was saved
}

// locked reports whether the unit may no longer change the row's report.
func (r *fillInRow) locked() bool { return r.report != nil && cycle.Locked(r.kind, r.report.State) }

// FillInBook makes a unit's fill-in workbook for a period: a row for each
// report it owes, with what it has saved so far.
func FillInBook(ctx context.Context, s *Services, periodID, unitID int64) (*File, error) {
	fi, err := loadFillIn(ctx, s, periodID, unitID)
	if err != nil {
		return nil, err
	}
	return &File{Name: fileName(fi.book.Title, ".xlsx"), ContentType: XLSX,
		write: func(w io.Writer) error { return xlsx.WriteFillIn(w, fi.book) }}, nil
}

func loadFillIn(ctx context.Context, s *Services, periodID, unitID int64) (*fillIn, error) {
	if _, err := duban.Authorize(ctx, "填报本单位的报告", func(u *duban.User) bool { return cycle.CanFillIn(u, unitID) }); err != nil {
		return nil, err
	}
	q, err := s.Periods.FindPeriodByID(ctx, periodID)
	if err != nil {
		return nil, err
	}
	if q.State != cycle.PeriodOpen {
		return nil, duban.Errorf(duban.ECONFLICT, "%s的填报%s：只有填报中的周期可以下载和上传填报表。", q.Label, q.State.Label())
	}
	unit, err := s.Units.FindUnitByID(ctx, unitID)
	if err != nil {
		return nil, err
	}
	p, err := s.Plans.FindPlanByID(ctx, q.PlanID)
	if err != nil {
		return nil, err
	}
	obligations, err := s.Reminders.FindObligations(ctx, cycle.ObligationFilter{PeriodID: &q.ID, UnitID: &unitID})
	if err != nil {
		return nil, err
	}
	tasks, _, err := s.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &p.ID})
	if err != nil {
		return nil, err
	}
	reports, _, err := s.Reports.FindReports(ctx, cycle.ReportFilter{PeriodID: &q.ID, UnitID: &unitID})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*duban.Task, len(tasks))
	for _, t := range tasks {
		byID[t.ID] = t
	}
	saved := map[[2]string]*cycle.Report{}
	for _, r := range reports {
		saved[[2]string{fmt.Sprint(r.TaskID), string(r.Kind)}] = r
	}
	fi := &fillIn{period: q, unit: unit, rows: map[int64]*fillInRow{}}
	fi.book = xlsx.FillIn{Title: fmt.Sprintf("%s %s %s重点任务进展填报表", unit.Name, q.Label, planWords(p)), Choice: fillInChoice}
	sections, areas := headings(p)
	// Obligations come in plan order.
	for _, o := range obligations {
		t := byID[o.TaskID]
		if t == nil || fi.rows[t.ID] != nil {
			continue
		}
		fr := &fillInRow{task: t, kind: o.Kind, report: saved[[2]string{fmt.Sprint(t.ID), string(o.Kind)}]}
		fi.rows[t.ID] = fr
		row := reportRow(t, sections, areas)
		row.Part = "配合"
		if o.Kind == cycle.ReportTask {
			row.Part = "牵头"
		}
		row.Choice = cycle.FillInSubmit
		if r := fr.report; r != nil {
			row.Version = int64(r.Version)
			row.Entry, row.Choice = entryOf(r, t), cycle.FillInSubmit
			switch {
			case fr.locked():
				row.Choice = ""
			case r.State == cycle.ReportDraft:
				row.Choice = cycle.FillInDraft
			}
		}
		fi.book.Rows = append(fi.book.Rows, row)
	}
	if len(fi.book.Rows) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "%s在%s没有需要填报的任务。", unit.Name, q.Label)
	}
	return fi, nil
}

// FillInResult is what an upload did: nothing when Errors is not empty;
// otherwise the reports saved, the rows left as they were, and the rows
// changed both offline and online since the download, which were not
// applied.
type FillInResult struct {
	Errors    []xlsx.CellError `json:"errors"`
	Created   int              `json:"created"`
	Updated   int              `json:"updated"`
	Unchanged int              `json:"unchanged"`
	Stale     []StaleRow       `json:"stale"`
	// Reports are the reports saved.
	Reports []*cycle.Report `json:"reports"`
}

// StaleRow is a row edited online since its workbook was downloaded.
type StaleRow struct {
	Row    int    `json:"row"`
	TaskID int64  `json:"task_id"`
	TaskNo string `json:"task_no"`
	// By and At say who changed the report online, and when.
	By string `json:"by"`
	At string `json:"at"`
}

// Err is nil for an upload without errors, and otherwise the invalid-input
// error listing them with their rows and columns.
func (r *FillInResult) Err() error {
	up := xlsx.Upload{Errors: r.Errors}
	return up.Err()
}

// ApplyFillIn reads a filled-in workbook against the unit's reports as they
// stand and checks every row: its cells (numbers, lengths, the targets'
// actuals against their units), whether its report may still change, and
// whether it was edited online since the download. Only when no row is
// wrong are the changed rows saved as the unit's reports, in one
// transaction; a row edited both offline and online is reported, not
// applied.
func ApplyFillIn(ctx context.Context, s *Services, periodID, unitID int64, r io.Reader) (*FillInResult, error) {
	fi, err := loadFillIn(ctx, s, periodID, unitID)
	if err != nil {
		return nil, err
	}
	up, err := xlsx.ReadFillIn(r, fi.book)
	if err != nil {
		return nil, err
	}
	res := &FillInResult{Errors: up.Errors}
	var saves []cycle.ReportSave
	for i := range up.Rows {
		u := &up.Rows[i]
		fr := fi.rows[u.TaskID]
		switch {
		case !u.Changed:
			res.Unchanged++
			continue
		case u.Stale:
			st := StaleRow{Row: u.Row, TaskID: u.TaskID, TaskNo: fr.task.No}
			if fr.report != nil {
				st.By, st.At = fr.report.UpdatedBy, fr.report.UpdatedAt.In(duban.Beijing).Format("2006-01-02 15:04")
			}
			res.Stale = append(res.Stale, st)
			continue
		case fr.locked():
			res.Errors = append(res.Errors, fi.book.CellError(u, "", 0, "任务 %s 的%s%s，不能再修改：如需更正，请联系督查室。",
				fr.task.No, fr.kind.Label(), fr.report.State.Label()))
			continue
		}
		sv, errs := rowSave(fi, fr, u)
		res.Errors = append(res.Errors, errs...)
		if len(errs) == 0 {
			saves = append(saves, sv)
		}
	}
	slices.SortStableFunc(res.Errors, func(a, b xlsx.CellError) int { return cmp.Compare(a.Row, b.Row) })
	if len(res.Errors) > 0 || len(saves) == 0 {
		return res, nil
	}
	if res.Reports, err = s.Reports.SaveReports(ctx, saves); err != nil {
		return nil, err
	}
	for _, sv := range saves {
		if sv.ID == 0 {
			res.Created++
		} else {
			res.Updated++
		}
	}
	return res, nil
}

// rowSave checks a changed row and makes its save: a new report, or a
// change to the saved one from the version downloaded.
func rowSave(fi *fillIn, fr *fillInRow, u *xlsx.UploadRow) (cycle.ReportSave, []xlsx.CellError) {
	var errs []xlsx.CellError
	t := fr.task
	submit := u.Choice != cycle.FillInDraft
	if fr.report != nil && fr.report.State == cycle.ReportSubmitted && fr.kind == cycle.ReportPart {
		submit = true // a part handed in stays handed in
	}
	completion := 0
	if u.Completion != nil {
		if c := *u.Completion; c != math.Trunc(c) {
			errs = append(errs, fi.book.CellError(u, colCompletion, 0, "完成进度请填写 0 到 100 之间的整数，如 60。"))
		} else {
			completion = int(c)
		}
	}
	if submit && strings.TrimSpace(u.Progress) == "" {
		errs = append(errs, fi.book.CellError(u, colProgress, 0, "请填写进展情况后再报送（或在“%s”中选择“%s”）。", fillInChoice.Title, cycle.FillInDraft))
	}
	for i, text := range u.Actuals {
		if strings.TrimSpace(text) == "" || i >= len(t.Indicators) {
			continue
		}
		if _, err := cycle.ParseActual(text, &t.Indicators[i]); err != nil {
			errs = append(errs, fi.book.CellError(u, colActual, i, "%s", duban.ErrorMessage(err)))
		}
	}
	if len(errs) > 0 {
		return cycle.ReportSave{}, errs
	}
	actuals := slices.Clone(u.Actuals)
	if fr.report == nil {
		state := cycle.ReportDraft
		if submit {
			state = cycle.ReportSubmitted
		}
		rep := &cycle.Report{PeriodID: fi.period.ID, TaskID: t.ID, UnitID: fi.unit.ID, Kind: fr.kind, State: state,
			Progress: u.Progress, Completion: completion, Problems: u.Problems, NextSteps: u.NextSteps}
		var err error
		if rep.Actuals, err = cycle.ReadActuals(actuals, t.Indicators); err != nil {
			return cycle.ReportSave{}, []xlsx.CellError{fi.book.CellError(u, "", 0, "%s", duban.ErrorMessage(err))}
		}
		return cycle.ReportSave{Report: rep}, nil
	}
	upd := cycle.ReportUpdate{Progress: &u.Progress, Completion: &completion, Actuals: &actuals, Problems: &u.Problems,
		NextSteps: &u.NextSteps, Version: fr.report.Version}
	if submit {
		state := cycle.ReportSubmitted
		if fr.report.State == cycle.ReportReturned {
			state = cycle.ReportResubmitted
		}
		upd.State = &state
	}
	return cycle.ReportSave{ID: fr.report.ID, Update: upd}, nil
}
