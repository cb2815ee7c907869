package reporting

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// A report as the office and the units read it: its content and files, its
// versions and any two compared, and the office's review of it; the review
// queue; requests to close tasks.

// actualRow is one target with what a report says of it.
type actualRow struct {
	Metric, Goal, Text, Problem string
}

// actualRows lists a task's targets with what r says of each.
func actualRows(r *cycle.Report, t *duban.Task) []actualRow {
	rows := make([]actualRow, len(t.Indicators))
	for i := range t.Indicators {
		rows[i] = actualRow{Metric: t.Indicators[i].Metric, Goal: t.Indicators[i].Goal()}
	}
	for _, a := range r.Actuals {
		if a.Indicator < len(rows) {
			rows[a.Indicator].Text, rows[a.Indicator].Problem = a.Text, a.Problem
		}
	}
	return rows
}

// reportPage is one report: what it says, its files, the parts beside a
// task's report, its versions, and the office's review.
type reportPage struct {
	web.Base
	page.FileLinks
	Report   *cycle.Report
	Task     *duban.Task
	Period   *cycle.Period
	Unit     string
	Versions []*cycle.ReportVersion
	Parts    []*partView
	// CanReview shows the office's accept and return (CanReviewReport, and
	// the report waiting); CanEdit links to the form.
	CanReview bool
	CanEdit   bool
	EditURL   string
}

func (*reportPage) TemplateName() string { return "report.html" }

// Actuals are the report's targets with what it says of them.
func (p *reportPage) Actuals() []actualRow { return actualRows(p.Report, p.Task) }

// PartActuals are a part's targets with what it says of them.
func (p *reportPage) PartActuals(r *cycle.Report) []actualRow { return actualRows(r, p.Task) }

// PrevVersion is the version compared with the current one by default.
func (p *reportPage) PrevVersion() int { return max(1, p.Report.Version-1) }

// StateLabel is a report's state in the page's language.
func (p *reportPage) StateLabel(r *cycle.Report) string { return p.T(r.State.Label()) }

// DaysLate is how many days after its period's due date the report was
// first handed in.
func (p *reportPage) DaysLate() int { return p.Report.DaysLate(p.Period.Due) }

func (s *server) report(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	id, err := web.PathID(r, "report")
	if err != nil {
		return err
	}
	p := &reportPage{}
	if p.Report, err = s.svc.Reports.FindReportByID(ctx, id); err != nil {
		return err
	}
	rep := p.Report
	if p.Task, err = s.svc.Tasks.FindTaskByID(ctx, rep.TaskID); err != nil {
		return err
	}
	if p.Period, err = s.svc.Periods.FindPeriodByID(ctx, rep.PeriodID); err != nil {
		return err
	}
	if p.Versions, err = s.svc.Reports.FindReportVersions(ctx, id); err != nil {
		return err
	}
	groups, err := s.Groups(ctx)
	if err != nil {
		return err
	}
	names, err := s.UnitNames(ctx, rep.UnitID)
	if err != nil {
		return err
	}
	p.Unit = names[rep.UnitID]
	if rep.Kind == cycle.ReportTask {
		if p.Parts, err = s.findParts(ctx, &reportPlace{task: p.Task, period: p.Period, groups: groups}); err != nil {
			return err
		}
	}
	waiting := rep.State == cycle.ReportSubmitted || rep.State == cycle.ReportResubmitted
	p.CanReview = cycle.CanReviewReport(u) && rep.Kind == cycle.ReportTask && waiting && p.Period.State == cycle.PeriodOpen
	if cycle.CanWriteReport(u, p.Task, rep.UnitID, rep.Kind, groups) && p.Period.State == cycle.PeriodOpen &&
		(rep.State == cycle.ReportDraft || rep.State == cycle.ReportReturned || rep.Kind == cycle.ReportPart && rep.State != cycle.ReportAccepted) {
		p.CanEdit = true
		p.EditURL = fmt.Sprintf("/tasks/%d/report?period=%d&unit=%d", rep.TaskID, rep.PeriodID, rep.UnitID)
	}
	tr := web.Lang(r)
	p.Title = tr.T("任务 %s 的%s%s", p.Task.No, p.Period.Label, tr.T(rep.Kind.Label()))
	return s.Render(w, r, p)
}

// comparePage shows two versions of a report side by side, field by field.
type comparePage struct {
	web.Base
	Report   *cycle.Report
	Task     *duban.Task
	Versions []*cycle.ReportVersion
	A, B     *cycle.ReportVersion
	Changes  []cycle.FieldChange
}

func (*comparePage) TemplateName() string { return "compare.html" }

// Label is a changed field's name in the page's language: the name of a
// target stays as the notice wrote it.
func (p *comparePage) Label(c cycle.FieldChange) string {
	if metric, ok := strings.CutPrefix(c.Label, "实际完成："); ok {
		return p.T("实际完成：%s", metric)
	}
	return p.T(c.Label)
}

func (s *server) compare(w http.ResponseWriter, r *http.Request) error {
	c, err := s.CompareReport(r)
	if err != nil {
		return err
	}
	p := &comparePage{Report: c.Report, Task: c.Task, Versions: c.Versions, A: c.A, B: c.B, Changes: c.Changes}
	p.Title = web.Lang(r).T("比较第 %d 版和第 %d 版", p.A.Version, p.B.Version)
	return s.Render(w, r, p)
}

// The review queue.

// queueRow is a task's report waiting for the office.
type queueRow struct {
	Report *cycle.Report
	Task   *duban.Task
	Period *cycle.Period
	Unit   string
	Light  *cycle.Light
}

// DaysLate is how many days late the report was first handed in.
func (q *queueRow) DaysLate() int { return q.Report.DaysLate(q.Period.Due) }

// closureRow is a request to close a task, waiting for the office.
type closureRow struct {
	Closure *cycle.Closure
	Task    *duban.Task
	Unit    string
}

// queuePage is the office's review queue: the tasks' reports handed in and
// not yet reviewed, to accept or return several at once, and the requests
// to close tasks.
type queuePage struct {
	web.Base
	page.FileLinks
	Rows     []*queueRow
	Closures []*closureRow
	// Selected, Reason and Error show the review form again when refused.
	Selected map[int64]bool
	Reason   string
	Error    string
}

func (*queuePage) TemplateName() string { return "queue.html" }

// LightWord writes a light as a coloured word with its reason.
func (p *queuePage) LightWord(l *cycle.Light) any { return page.LightHTML(p.Tr, l, true) }

func (s *server) queue(w http.ResponseWriter, r *http.Request) error {
	return s.renderQueue(w, r, http.StatusOK, nil, "", "")
}

// renderQueue shows the queue; selected, reason and refusal show the review
// form again as sent.
func (s *server) renderQueue(w http.ResponseWriter, r *http.Request, status int, selected map[int64]bool, reason, refusal string) error {
	ctx := r.Context()
	p := &queuePage{Selected: selected, Reason: reason, Error: refusal}
	p.Title = web.Lang(r).T("报告审核")
	kind := cycle.ReportTask
	var waiting []*cycle.Report
	for _, st := range []cycle.ReportState{cycle.ReportResubmitted, cycle.ReportSubmitted} {
		list, _, err := s.svc.Reports.FindReports(ctx, cycle.ReportFilter{Kind: &kind, State: &st})
		if err != nil {
			return err
		}
		waiting = append(waiting, list...)
	}
	requested := cycle.ClosureRequested
	closures, _, err := s.svc.Reports.FindClosures(ctx, cycle.ClosureFilter{State: &requested})
	if err != nil {
		return err
	}
	tasks, periods := map[int64]*duban.Task{}, map[int64]*cycle.Period{}
	var taskIDs, unitIDs []int64
	for _, rep := range waiting {
		taskIDs, unitIDs = append(taskIDs, rep.TaskID), append(unitIDs, rep.UnitID)
	}
	for _, c := range closures {
		taskIDs, unitIDs = append(taskIDs, c.TaskID), append(unitIDs, c.UnitID)
	}
	for _, id := range taskIDs {
		if tasks[id] != nil {
			continue
		}
		if tasks[id], err = s.svc.Tasks.FindTaskByID(ctx, id); err != nil {
			return err
		}
	}
	names, err := s.UnitNames(ctx, unitIDs...)
	if err != nil {
		return err
	}
	lights := map[[2]int64]*cycle.Light{}
	if len(waiting) > 0 {
		ls, _, err := s.svc.Lights.FindLights(ctx, cycle.LightFilter{TaskIDs: taskIDs})
		if err != nil {
			return err
		}
		for _, l := range ls {
			lights[[2]int64{l.PeriodID, l.TaskID}] = l
		}
	}
	for _, rep := range waiting {
		if periods[rep.PeriodID] == nil {
			if periods[rep.PeriodID], err = s.svc.Periods.FindPeriodByID(ctx, rep.PeriodID); err != nil {
				return err
			}
		}
		p.Rows = append(p.Rows, &queueRow{Report: rep, Task: tasks[rep.TaskID], Period: periods[rep.PeriodID], Unit: names[rep.UnitID],
			Light: lights[[2]int64{rep.PeriodID, rep.TaskID}]})
	}
	// Oldest handed in first: those have waited longest.
	slices.SortStableFunc(p.Rows, func(a, b *queueRow) int { return a.Report.SubmittedAt.Compare(b.Report.SubmittedAt) })
	for _, c := range closures {
		p.Closures = append(p.Closures, &closureRow{Closure: c, Task: tasks[c.TaskID], Unit: names[c.UnitID]})
	}
	return s.RenderStatus(w, r, status, p)
}

// reviewReports accepts or returns the reports chosen, each from the version the
// office saw; one refused (changed meanwhile, say) does not stop the
// others, and the message says which.
func (s *server) reviewReports(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := web.Lang(r)
	f := r.PostForm
	selected := map[int64]bool{}
	var ids []int64
	for _, v := range f["report"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return duban.Errorf(duban.EINVALID, "报告编号“%s”不正确：请从审核页面上操作。", v)
		}
		if !selected[id] {
			selected[id] = true
			ids = append(ids, id)
		}
	}
	reason := strings.TrimSpace(f.Get("reason"))
	back := backPath(f.Get("back"), "/reports")
	state := cycle.ReportAccepted
	switch f.Get("action") {
	case "accept":
	case "return":
		state = cycle.ReportReturned
	default:
		return duban.Errorf(duban.EINVALID, "请选择审核通过或退回。")
	}
	refuse := func(msg string) error {
		if back != "/reports" {
			return duban.Errorf(duban.EINVALID, "%s", msg)
		}
		return s.renderQueue(w, r, http.StatusBadRequest, selected, reason, msg)
	}
	switch {
	case len(ids) == 0:
		return refuse(tr.T("请先勾选要审核的报告。"))
	case state == cycle.ReportReturned && len([]rune(reason)) < 2:
		return refuse(tr.T("退回报告请填写理由（至少 2 个字），以便单位修改。"))
	}
	var done int
	var failed []string
	for _, id := range ids {
		version, _ := strconv.Atoi(f.Get("version." + strconv.FormatInt(id, 10)))
		upd := cycle.ReportUpdate{State: &state, Version: version}
		if state == cycle.ReportReturned {
			upd.ReturnReason = &reason
		}
		if _, err := s.svc.Reports.UpdateReport(ctx, id, upd); err != nil {
			if !page.FormError(err) {
				return err
			}
			failed = append(failed, tr.T("报告 #%d：%s", id, duban.ErrorMessage(err)))
			continue
		}
		done++
	}
	msg := tr.T("已审核通过 %d 份报告。", done)
	if state == cycle.ReportReturned {
		msg = tr.T("已退回 %d 份报告。", done)
	}
	if len(failed) > 0 {
		msg += " " + tr.T("未处理 %d 份：", len(failed)) + strings.Join(failed, "；")
	}
	return s.Redirect(w, r, back, msg)
}

// backPath returns the local path a form names to come back to, or fallback:
// a form never sends the user elsewhere.
func backPath(p, fallback string) string {
	if p == "" || page.LocalPath(p) != p {
		return fallback
	}
	return p
}

// Requests to close tasks.

// requestClosure asks for a task to be closed as done, with evidence.
func (s *server) requestClosure(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "task")
	if err != nil {
		return err
	}
	files, err := s.ReadEvidence(r, web.EvidenceField)
	if err != nil {
		return err
	}
	c := &cycle.Closure{TaskID: id, Note: r.PostForm.Get("note"), Evidence: files}
	if err := s.svc.Reports.CreateClosure(ctx, c); err != nil {
		return err
	}
	return s.Redirect(w, r, fmt.Sprintf("/tasks/%d#cycle", id), web.Lang(r).T("已申请办结，等待督查室审核。"))
}

// decideClosure closes the task of a request (办结), or declines it with a
// reason.
func (s *server) decideClosure(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "closure")
	if err != nil {
		return err
	}
	tr := web.Lang(r)
	f := r.PostForm
	st := cycle.ClosureState(f.Get("decision"))
	c, err := s.svc.Reports.UpdateClosure(r.Context(), id, cycle.ClosureUpdate{State: &st, Reason: f.Get("reason")})
	if err != nil {
		return err
	}
	msg := tr.T("任务已办结。")
	if c.State == cycle.ClosureDeclined {
		msg = tr.T("已退回办结申请。")
	}
	return s.Redirect(w, r, backPath(f.Get("back"), fmt.Sprintf("/tasks/%d#cycle", c.TaskID)), msg)
}
