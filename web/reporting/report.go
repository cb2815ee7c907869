package reporting

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// reportRoutes are the reports of the cycle: a unit's to-do list, the
// report form (with the parts beside it for the unit that composes), a
// report with its versions compared, the office's review queue, requests to
// close tasks, and the evidence files.
func (s *server) reportRoutes() []web.Route {
	upload := s.EvidenceBody()
	tooLarge := s.EvidenceTooLarge()
	return []web.Route{
		{Method: "GET", Pattern: "/todo", Allow: cycle.CanReport, Action: "查看待报事项", Handler: s.todo},
		{Method: "GET", Pattern: "/tasks/{task}/report", Allow: cycle.CanReport, Action: "填报报告", Handler: s.reportForm},
		{Method: "POST", Pattern: "/tasks/{task}/report", Allow: cycle.CanReport, Action: "填报报告", Changes: true,
			MaxBody: upload, TooLarge: tooLarge, Handler: s.saveReport},
		{Method: "GET", Pattern: "/reports", Allow: cycle.CanReviewReport, Action: "审核报告", Handler: s.queue},
		{Method: "POST", Pattern: "/reports/review", Allow: cycle.CanReviewReport, Action: "审核报告", Changes: true, Handler: s.reviewReports},
		{Method: "GET", Pattern: "/reports/{report}", Allow: duban.CanRead, Action: "查看报告", Handler: s.report},
		{Method: "GET", Pattern: "/reports/{report}/compare", Allow: duban.CanRead, Action: "查看报告", Handler: s.compare},
		{Method: "GET", Pattern: "/reports/{report}/files/{file}", Allow: duban.CanRead, Action: "下载附件", Handler: s.ServeReportFile},
		{Method: "POST", Pattern: "/tasks/{task}/closure", Allow: cycle.CanReport, Action: "申请办结", Changes: true,
			MaxBody: upload, TooLarge: tooLarge, Handler: s.requestClosure},
		{Method: "POST", Pattern: "/closures/{closure}", Allow: cycle.CanCloseTask, Action: "审核办结申请", Changes: true, Handler: s.decideClosure},
		{Method: "GET", Pattern: "/closures/{closure}/files/{file}", Allow: duban.CanRead, Action: "下载附件", Handler: s.ServeClosureFile},
	}
}

// The to-do list.

// todoPage is a unit's to-do list: its clerk's, or any unit's for the
// office, which chooses the unit.
type todoPage struct {
	web.Base
	Todo *page.TodoList
	// Units are the office's choices; nil for a clerk.
	Units []*duban.Unit
}

func (*todoPage) TemplateName() string { return "todo.html" }

// UnitID is the unit whose list is shown, 0 for none yet.
func (p *todoPage) UnitID() int64 {
	if p.Todo == nil {
		return 0
	}
	return p.Todo.Unit.ID
}

func (s *server) todo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	tr := web.Lang(r)
	p := &todoPage{}
	p.Title = tr.T("待报事项")
	unitID := u.UnitID
	if !cycle.OwesReports(u) {
		ch, err := s.Choices(r)
		if err != nil {
			return err
		}
		p.Units = ch.Units
		id, err := web.QueryInt(r.URL.Query(), "unit")
		if err != nil {
			return err
		}
		if id == nil {
			return s.Render(w, r, p)
		}
		unitID = *id
	}
	unit, err := s.svc.Units.FindUnitByID(ctx, unitID)
	if err != nil {
		return err
	}
	if p.Todo, err = s.FindTodo(r, unit); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// The report form.

// reportPlace is what a report form is about: the task, the period, the
// unit that writes and the kind of report it owes, and the report saved so
// far (nil before the first save).
type reportPlace struct {
	task   *duban.Task
	plan   *duban.Plan
	period *cycle.Period
	unit   *duban.Unit
	kind   cycle.ReportKind
	report *cycle.Report
	groups cycle.Groups
}

// findPlace reads the form's place from the address and the form: the
// period named (?period=, or the plan's latest open one) and the unit (a
// clerk's own; the office's choice, the composing unit by default).
func (s *server) findPlace(r *http.Request) (*reportPlace, error) {
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	id, err := web.PathID(r, "task")
	if err != nil {
		return nil, err
	}
	pl := &reportPlace{}
	if pl.task, err = s.svc.Tasks.FindTaskByID(ctx, id); err != nil {
		return nil, err
	}
	if pl.plan, err = s.PlanOf(r, pl.task.PlanID); err != nil {
		return nil, err
	}
	if pl.groups, err = s.Groups(ctx); err != nil {
		return nil, err
	}
	values := r.URL.Query()
	if r.PostForm != nil && r.PostForm.Get("period") != "" {
		values = r.PostForm
	}
	if pl.period, err = s.reportPeriod(ctx, pl.plan, values); err != nil {
		return nil, err
	}
	asked, err := web.QueryInt(values, "unit")
	if err != nil {
		return nil, err
	}
	var unitID int64
	if unitID, pl.kind = cycle.WriterOf(u, pl.task, derefID(asked), pl.groups); unitID == 0 {
		return nil, duban.Errorf(duban.ECONFLICT, "任务 %s 的单位尚未对应到名录中的单位，还不能填报：请督查室在文件审核中补充。", pl.task.No)
	}
	if pl.unit, err = s.svc.Units.FindUnitByID(ctx, unitID); err != nil {
		return nil, err
	}
	if !cycle.CanWriteReport(u, pl.task, unitID, pl.kind, pl.groups) {
		return nil, duban.Errorf(duban.EFORBIDDEN, "您只能为本单位承担的任务填报：任务 %s 不属于%s。", pl.task.No, pl.unit.Name)
	}
	found, _, err := s.svc.Reports.FindReports(ctx, cycle.ReportFilter{PeriodID: &pl.period.ID, TaskID: &pl.task.ID, UnitID: &unitID, Kind: &pl.kind})
	if err != nil {
		return nil, err
	}
	if len(found) > 0 {
		pl.report = found[0]
	}
	return pl, nil
}

// derefID is an optional ID's value, 0 when absent.
func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// reportPeriod returns the period values name, or the plan's latest open
// one.
func (s *server) reportPeriod(ctx context.Context, plan *duban.Plan, values url.Values) (*cycle.Period, error) {
	id, err := web.QueryInt(values, "period")
	if err != nil {
		return nil, err
	}
	if id != nil && *id != 0 {
		q, err := s.svc.Periods.FindPeriodByID(ctx, *id)
		if err != nil {
			return nil, err
		}
		if q.PlanID != plan.ID {
			return nil, duban.Errorf(duban.EINVALID, "填报周期“%s”不属于文件“%s”：请从待报事项进入。", q.Label, plan.Title)
		}
		return q, nil
	}
	open := cycle.PeriodOpen
	periods, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &plan.ID, State: &open})
	if err != nil {
		return nil, err
	}
	if len(periods) == 0 {
		return nil, duban.Errorf(duban.ECONFLICT, "文件“%s”目前没有开放填报的周期：请等督查室开启后再填报。", plan.Title)
	}
	return periods[len(periods)-1], nil
}

// reportInput is the report form as typed.
type reportInput struct {
	Progress, Problems, NextSteps string
	Completion                    string
	Actuals                       []string
	Evidence                      []cycle.EvidenceRef
	Version                       int
}

// inputOf fills the form from a saved report.
func inputOf(r *cycle.Report, t *duban.Task) *reportInput {
	in := &reportInput{Actuals: make([]string, len(t.Indicators))}
	if r == nil {
		return in
	}
	in.Progress, in.Problems, in.NextSteps = r.Progress, r.Problems, r.NextSteps
	in.Completion, in.Evidence, in.Version = strconv.Itoa(r.Completion), slices.Clone(r.Evidence), r.Version
	for _, a := range r.Actuals {
		if a.Indicator < len(in.Actuals) {
			in.Actuals[a.Indicator] = a.Text
		}
	}
	return in
}

// typedInput reads the form as sent; the files kept are resolved later.
func typedInput(f url.Values, t *duban.Task) *reportInput {
	in := &reportInput{Progress: f.Get("progress"), Problems: f.Get("problems"), NextSteps: f.Get("next_steps"),
		Completion: strings.TrimSpace(f.Get("completion")), Actuals: make([]string, len(t.Indicators))}
	for i := range in.Actuals {
		in.Actuals[i] = f.Get("actual." + strconv.Itoa(i))
	}
	in.Version, _ = strconv.Atoi(f.Get("version"))
	return in
}

// completion reads the completion typed.
func (in *reportInput) completion() (int, error) {
	if in.Completion == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(in.Completion, "%"), "％"))
	if err != nil || n < 0 || n > 100 {
		return 0, duban.Errorf(duban.EINVALID, "完成进度“%s”不正确：请填写 0 到 100 之间的整数。", in.Completion)
	}
	return n, nil
}

// actualField is one of a task's targets in the form: what was typed for it
// and why it could not be read, and, for the unit composing, what each part
// says and their sum.
type actualField struct {
	Index     int
	Indicator duban.Indicator
	Text      string
	Problem   string
	Parts     []string
	Sum       string
}

// Name is the field's name.
func (t *actualField) Name() string { return "actual." + strconv.Itoa(t.Index) }

// partView is a co-unit's part beside the composing unit's form.
type partView struct {
	Unit   string
	Report *cycle.Report // nil when nothing was saved
}

// reportFormPage is the report form of a unit on a task in a period: the
// task's facts, the fields, the evidence kept and a way to add files, and,
// for the unit that composes, every co-unit's part beside it.
type reportFormPage struct {
	web.Base
	page.FileLinks
	Task    *duban.Task
	Plan    *duban.Plan
	Period  *cycle.Period
	Unit    *duban.Unit
	Kind    cycle.ReportKind
	Report  *cycle.Report
	Form    *reportInput
	Targets []*actualField
	Parts   []*partView
	// Latest is what another save left, when this one was refused for it.
	Latest *cycle.Report
	Error  string
	// Office says the office writes for the unit.
	Office   bool
	MaxSize  string
	MaxFiles int
}

func (*reportFormPage) TemplateName() string { return "report_form.html" }

// KindLabel is the kind of report in the page's language.
func (p *reportFormPage) KindLabel() string { return p.T(p.Kind.Label()) }

// Submitted counts the parts handed in.
func (p *reportFormPage) Submitted() int {
	n := 0
	for _, pv := range p.Parts {
		if pv.Report != nil && pv.Report.State.Reported() {
			n++
		}
	}
	return n
}

// SubmitLabel is the submit button's word: 重新报送 for a returned report.
func (p *reportFormPage) SubmitLabel() string {
	if p.Report != nil && p.Report.State == cycle.ReportReturned {
		return p.T("重新报送")
	}
	return p.T("报送")
}

// editable reports whether the unit may still change its report: not yet
// handed in, returned, or a part (a part may be corrected until the period
// closes).
func editable(pl *reportPlace) bool {
	if pl.period.State != cycle.PeriodOpen {
		return false
	}
	if pl.report == nil {
		return true
	}
	to := cycle.ReportSubmitted
	if pl.report.State == cycle.ReportReturned {
		to = cycle.ReportResubmitted
	}
	return cycle.ReportStep(pl.kind, pl.report.State, to, false) == nil ||
		cycle.ReportStep(pl.kind, pl.report.State, pl.report.State, false) == nil
}

func (s *server) reportForm(w http.ResponseWriter, r *http.Request) error {
	pl, err := s.findPlace(r)
	if err != nil {
		return err
	}
	if !editable(pl) {
		if pl.report != nil {
			return s.Redirect(w, r, page.ReportPath(pl.report.ID), "")
		}
		return duban.Errorf(duban.ECONFLICT, "%s的填报%s，不能填报：请联系督查室。", pl.period.Label, pl.period.State.Label())
	}
	return s.renderReportForm(w, r, http.StatusOK, pl, inputOf(pl.report, pl.task), nil)
}

// renderReportForm shows the form with in's values; a refusal shows beside
// it, and a save refused for another's shows what that one saved.
func (s *server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, pl *reportPlace, in *reportInput, refusal error) error {
	ctx := r.Context()
	tr := web.Lang(r)
	p := &reportFormPage{Task: pl.task, Plan: pl.plan, Period: pl.period, Unit: pl.unit, Kind: pl.kind, Report: pl.report, Form: in,
		Office: !cycle.OwesReports(duban.UserFromContext(ctx)), MaxSize: s.EvidenceLimit(), MaxFiles: web.MaxEvidenceFiles}
	p.Title = tr.T("填报：任务 %s", pl.task.No)
	if refusal != nil {
		p.Error = duban.ErrorMessage(refusal)
		if pl.report != nil && duban.ErrorCode(refusal) == duban.ECONFLICT {
			p.Latest = pl.report
			in.Version = pl.report.Version // the next save replaces what the user has now seen
		}
	}
	read, _ := cycle.ReadActuals(in.Actuals, pl.task.Indicators)
	for i, ind := range pl.task.Indicators {
		row := &actualField{Index: i, Indicator: ind, Text: in.Actuals[i]}
		for _, a := range read {
			if a.Indicator == i {
				row.Problem = a.Problem
			}
		}
		p.Targets = append(p.Targets, row)
	}
	if pl.kind == cycle.ReportTask {
		var err error
		if p.Parts, err = s.findParts(ctx, pl); err != nil {
			return err
		}
		partTargets(p.Parts, p.Targets)
	}
	return s.RenderStatus(w, r, status, p)
}

// findParts returns every co-unit's part of a task in a period, in the
// order the task names the units, nil where none was saved.
func (s *server) findParts(ctx context.Context, pl *reportPlace) ([]*partView, error) {
	_, units := cycle.ReportingUnits(pl.task, pl.groups)
	part := cycle.ReportPart
	reports, _, err := s.svc.Reports.FindReports(ctx, cycle.ReportFilter{PeriodID: &pl.period.ID, TaskID: &pl.task.ID, Kind: &part})
	if err != nil {
		return nil, err
	}
	names, err := s.UnitNames(ctx, units...)
	if err != nil {
		return nil, err
	}
	var out []*partView
	for _, id := range units {
		pv := &partView{Unit: names[id]}
		for _, rep := range reports {
			if rep.UnitID == id {
				pv.Report = rep
			}
		}
		out = append(out, pv)
	}
	return out, nil
}

// partTargets puts beside each target what each part says of it and, for a
// target that adds up, their sum.
func partTargets(parts []*partView, targets []*actualField) {
	sums := make([]float64, len(targets))
	counted := make([]bool, len(targets))
	for _, pv := range parts {
		if pv.Report == nil {
			continue
		}
		for _, a := range pv.Report.Actuals {
			if a.Indicator >= len(targets) {
				continue
			}
			targets[a.Indicator].Parts = append(targets[a.Indicator].Parts, pv.Unit+"："+a.Text)
			if a.Value != nil {
				sums[a.Indicator] += *a.Value
				counted[a.Indicator] = true
			}
		}
	}
	for i, row := range targets {
		if counted[i] && cycle.Additive(&row.Indicator) {
			row.Sum = cycle.FormatActual(sums[i], &row.Indicator)
		}
	}
}

// keptEvidence resolves the files the form keeps (their hashes) to their
// references: the report's own, or files uploaded with a refused save.
func (s *server) keptEvidence(ctx context.Context, shas []string, report *cycle.Report) ([]cycle.EvidenceRef, error) {
	var out []cycle.EvidenceRef
	for _, sha := range shas {
		if slices.ContainsFunc(out, func(e cycle.EvidenceRef) bool { return e.SHA256 == sha }) {
			continue
		}
		if report != nil {
			if i := slices.IndexFunc(report.Evidence, func(e cycle.EvidenceRef) bool { return e.SHA256 == sha }); i >= 0 {
				out = append(out, report.Evidence[i])
				continue
			}
		}
		e, err := s.svc.Evidence.FindEvidence(ctx, sha)
		if err != nil {
			return nil, err
		}
		out = append(out, e.EvidenceRef)
	}
	return out, nil
}

// saveReport saves the form as a draft or hands it in. A refusal the user
// can act on (an unreadable actual on submitting, a file refused, another's
// save meanwhile) shows the form again with everything typed.
func (s *server) saveReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := web.Lang(r)
	pl, err := s.findPlace(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := typedInput(f, pl.task)
	refuse := func(err error) error {
		if !page.FormError(err) && duban.ErrorCode(err) != duban.ETOOLARGE {
			return err
		}
		return s.renderReportForm(w, r, web.ErrorStatus(err), pl, in, err)
	}
	if in.Evidence, err = s.keptEvidence(ctx, f["keep"], pl.report); err != nil {
		return refuse(err)
	}
	added, err := s.ReadEvidence(r, web.EvidenceField)
	if err != nil {
		return refuse(err)
	}
	for _, e := range added {
		if !slices.ContainsFunc(in.Evidence, func(x cycle.EvidenceRef) bool { return x.SHA256 == e.SHA256 }) {
			in.Evidence = append(in.Evidence, e)
		}
	}
	completion, err := in.completion()
	if err != nil {
		return refuse(err)
	}
	submit := f.Get("action") == "submit"
	var saved *cycle.Report
	if pl.report == nil {
		state := cycle.ReportDraft
		if submit {
			state = cycle.ReportSubmitted
		}
		saved = &cycle.Report{PeriodID: pl.period.ID, TaskID: pl.task.ID, UnitID: pl.unit.ID, Kind: pl.kind, State: state,
			Progress: in.Progress, Completion: completion, Problems: in.Problems, NextSteps: in.NextSteps, Evidence: in.Evidence}
		for i, text := range in.Actuals {
			if strings.TrimSpace(text) != "" {
				saved.Actuals = append(saved.Actuals, cycle.Actual{Indicator: i, Text: text})
			}
		}
		err = s.svc.Reports.CreateReport(ctx, saved)
		if duban.ErrorCode(err) == duban.ECONFLICT {
			// Another saved first: show theirs beside what was typed.
			if again, ferr := s.findPlace(r); ferr == nil {
				pl = again
			}
		}
	} else {
		upd := cycle.ReportUpdate{Progress: &in.Progress, Completion: &completion, Actuals: &in.Actuals, Problems: &in.Problems,
			NextSteps: &in.NextSteps, Evidence: &in.Evidence, Version: in.Version}
		if submit {
			state := cycle.ReportSubmitted
			if pl.report.State == cycle.ReportReturned {
				state = cycle.ReportResubmitted
			}
			upd.State = &state
		}
		saved, err = s.svc.Reports.UpdateReport(ctx, pl.report.ID, upd)
		if duban.ErrorCode(err) == duban.ECONFLICT {
			if latest, ferr := s.svc.Reports.FindReportByID(ctx, pl.report.ID); ferr == nil {
				pl.report = latest
			}
		}
	}
	if err != nil {
		return refuse(err)
	}
	what := tr.T("任务 %s 的%s%s", pl.task.No, pl.period.Label, tr.T(pl.kind.Label()))
	if !saved.State.Reported() {
		return s.Redirect(w, r, formPath(pl), tr.T("已保存%s的草稿（第 %d 版）；报送前可继续修改。", what, saved.Version))
	}
	if cycle.OwesReports(duban.UserFromContext(ctx)) {
		return s.Redirect(w, r, "/todo", tr.T("已报送%s。", what))
	}
	return s.Redirect(w, r, page.ReportPath(saved.ID), tr.T("已报送%s。", what))
}

// formPath is the address of a place's form.
func formPath(pl *reportPlace) string {
	q := url.Values{"period": {strconv.FormatInt(pl.period.ID, 10)}, "unit": {strconv.FormatInt(pl.unit.ID, 10)}}
	return "/tasks/" + strconv.FormatInt(pl.task.ID, 10) + "/report?" + q.Encode()
}
