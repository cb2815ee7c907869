package outputs

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/export"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/xlsx"
)

// exportRoutes are the files the office prints and hands out, a unit's
// workbook to fill in offline and its upload, and a plan's page of them.
func (s *server) exportRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/plans/{plan}/outputs", Allow: duban.CanRead, Action: "查看导出与公开", Handler: s.outputs},
		{Method: "GET", Pattern: "/plans/{plan}/tasktable.xlsx", Allow: duban.CanRead, Action: "导出任务分解表", Handler: s.taskTable},
		{Method: "GET", Pattern: "/exports/progress.xlsx", Allow: duban.CanRead, Action: "导出进展台账", Handler: s.progressBook},
		{Method: "GET", Pattern: "/fillin", Allow: cycle.CanFillInAny, Action: "离线填报", Handler: s.fillInIndex},
		{Method: "GET", Pattern: "/periods/{period}/fillin.xlsx", Allow: cycle.CanFillInAny, Action: "下载填报表", Handler: s.fillInBook},
		{Method: "GET", Pattern: "/periods/{period}/fillin", Allow: cycle.CanFillInAny, Action: "上传填报表", Handler: s.fillInForm},
		{Method: "POST", Pattern: "/periods/{period}/fillin", Allow: cycle.CanFillInAny, Action: "上传填报表", Changes: true,
			MaxBody: xlsx.MaxUpload + 1<<20, Handler: s.fillInUpload},
		{Method: "POST", Pattern: "/plans/{plan}/publication", Allow: cycle.CanPublish, Action: "设置政务公开", Changes: true, Handler: s.publication},
	}
}

// exportServices are the services the files are made from.
func (s *server) exportServices() *export.Services { return s.Exports() }

// download sends a file made by package export.
func download(w http.ResponseWriter, f *export.File) error {
	return web.Download(w, f.Name, f.ContentType, f.Write)
}

// taskTable downloads a plan's task table, filtered by ?unit= or ?leader=.
func (s *server) taskTable(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	q := export.TaskTableQuery{PlanID: id}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"unit", &q.UnitID}, {"leader", &q.LeaderID}} {
		v, err := web.QueryInt(r.URL.Query(), f.name)
		if err != nil {
			return err
		}
		if v != nil {
			*f.dst = *v
		}
	}
	f, err := export.TaskTable(r.Context(), s.exportServices(), q)
	if err != nil {
		return err
	}
	return download(w, f)
}

// progressBook downloads a progress book: of ?period= (repeated for
// several), of the latest begun period of ?plan=, of every plan's ?seq=th
// period of ?year=, or else of the newest published plan's latest begun
// period.
func (s *server) progressBook(w http.ResponseWriter, r *http.Request) error {
	var q export.ProgressQuery
	vals := r.URL.Query()
	for _, v := range vals["period"] {
		id, err := web.QueryInt(url.Values{"period": {v}}, "period")
		if err != nil {
			return err
		}
		if id != nil && *id != 0 {
			q.PeriodIDs = append(q.PeriodIDs, *id)
		}
	}
	get := func(name string) (int64, error) {
		v, err := web.QueryInt(vals, name)
		if err != nil || v == nil {
			return 0, err
		}
		return *v, nil
	}
	var err error
	var plan, year, seq int64
	if plan, err = get("plan"); err != nil {
		return err
	}
	if year, err = get("year"); err != nil {
		return err
	}
	if seq, err = get("seq"); err != nil {
		return err
	}
	q.Year, q.Seq = int(year), int(seq)
	if len(q.PeriodIDs) == 0 && q.Year == 0 {
		if plan == 0 {
			if plan, err = s.newestPlan(r); err != nil {
				return err
			}
		}
		latest, err := s.latestPeriod(r.Context(), plan)
		if err != nil {
			return err
		}
		q.PeriodIDs = []int64{latest.ID}
	}
	f, err := export.ProgressBook(r.Context(), s.exportServices(), q)
	if err != nil {
		return err
	}
	return download(w, f)
}

// newestPlan is the newest published plan, which a page shows when none is
// named.
func (s *server) newestPlan(r *http.Request) (int64, error) {
	ch, err := s.Choices(r)
	if err != nil {
		return 0, err
	}
	for _, p := range ch.Plans {
		if p.State == duban.PlanPublished {
			return p.ID, nil
		}
	}
	return 0, duban.Errorf(duban.ENOTFOUND, "还没有已发布的文件。")
}

// latestPeriod is a plan's latest period that has begun.
func (s *server) latestPeriod(ctx context.Context, planID int64) (*cycle.Period, error) {
	periods, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &planID})
	if err != nil {
		return nil, err
	}
	for i := len(periods) - 1; i >= 0; i-- {
		if periods[i].State != cycle.PeriodPending {
			return periods[i], nil
		}
	}
	return nil, duban.Errorf(duban.ENOTFOUND, "这个文件还没有开始填报：督查室开启填报周期后才有进展台账。")
}

// fillInUnit is the unit whose workbook a request is about: ?unit=, or the
// clerk's own.
func fillInUnit(r *http.Request) (int64, error) {
	v, err := web.QueryInt(r.URL.Query(), "unit")
	if err != nil {
		return 0, err
	}
	if v != nil && *v != 0 {
		return *v, nil
	}
	if u := duban.UserFromContext(r.Context()); u != nil && u.UnitID != 0 {
		return u.UnitID, nil
	}
	return 0, duban.Errorf(duban.EINVALID, "请选择要填报的单位。")
}

// fillInBook downloads a unit's fill-in workbook.
func (s *server) fillInBook(w http.ResponseWriter, r *http.Request) error {
	period, err := web.PathID(r, "period")
	if err != nil {
		return err
	}
	unit, err := fillInUnit(r)
	if err != nil {
		return err
	}
	f, err := export.FillInBook(r.Context(), s.exportServices(), period, unit)
	if err != nil {
		return err
	}
	return download(w, f)
}

// fillInIndexPage lists the periods open for reporting, each a way to a
// unit's workbook.
type fillInIndexPage struct {
	web.Base
	Unit  *duban.Unit
	Units []*duban.Unit // the office chooses among them
	Open  []openPeriod
}

// openPeriod is a period open for reporting, with its plan.
type openPeriod struct {
	Plan   *duban.Plan
	Period *cycle.Period
}

func (*fillInIndexPage) TemplateName() string { return "fillin_index.html" }

// UnitID is the chosen unit's ID, 0 when none is.
func (p *fillInIndexPage) UnitID() int64 {
	if p.Unit == nil {
		return 0
	}
	return p.Unit.ID
}

// fillInIndex lists the open periods of the published plans, for the
// clerk's unit or the unit the office chooses.
func (s *server) fillInIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := &fillInIndexPage{}
	p.Title = web.Lang(r).T("离线填报")
	ch, err := s.Choices(r)
	if err != nil {
		return err
	}
	if duban.IsOffice(duban.UserFromContext(ctx)) {
		p.Units = ch.Units
	}
	if unit, err := fillInUnit(r); err == nil {
		if _, err := duban.Authorize(ctx, "填报本单位的报告", func(u *duban.User) bool { return cycle.CanFillIn(u, unit) }); err != nil {
			return err
		}
		if p.Unit, err = s.svc.Units.FindUnitByID(ctx, unit); err != nil {
			return err
		}
	}
	open := cycle.PeriodOpen
	periods, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{State: &open})
	if err != nil {
		return err
	}
	for _, q := range periods {
		for _, pl := range ch.Plans {
			if pl.ID == q.PlanID && pl.State == duban.PlanPublished {
				p.Open = append(p.Open, openPeriod{Plan: pl, Period: q})
			}
		}
	}
	return s.Render(w, r, p)
}

// fillInPage downloads a unit's workbook and uploads it back, and says
// what an upload did.
type fillInPage struct {
	web.Base
	Period *cycle.Period
	Plan   *duban.Plan
	// Unit is the unit filling in; nil until the office chooses one.
	Unit *duban.Unit
	// Units are the units the office may choose among; empty for a clerk.
	Units []*duban.Unit
	// Result is what an upload did.
	Result *export.FillInResult
}

func (*fillInPage) TemplateName() string { return "fillin.html" }

// UnitID is the chosen unit's ID, 0 when none is.
func (p *fillInPage) UnitID() int64 {
	if p.Unit == nil {
		return 0
	}
	return p.Unit.ID
}

// Applied counts the reports an upload saved.
func (p *fillInPage) Applied() int { return p.Result.Created + p.Result.Updated }

func (s *server) fillInForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.buildFillIn(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// buildFillIn reads what the page shows.
func (s *server) buildFillIn(r *http.Request) (*fillInPage, error) {
	ctx := r.Context()
	period, err := web.PathID(r, "period")
	if err != nil {
		return nil, err
	}
	office := duban.IsOffice(duban.UserFromContext(ctx))
	unit, err := fillInUnit(r)
	if err != nil && !(office && r.Method == http.MethodGet) {
		return nil, err
	}
	p := &fillInPage{}
	if p.Period, err = s.svc.Periods.FindPeriodByID(ctx, period); err != nil {
		return nil, err
	}
	if p.Plan, err = s.svc.Plans.FindPlanByID(ctx, p.Period.PlanID); err != nil {
		return nil, err
	}
	if unit != 0 {
		// The office chooses the unit first; a clerk fills in its own.
		if _, err := duban.Authorize(ctx, "填报本单位的报告", func(u *duban.User) bool { return cycle.CanFillIn(u, unit) }); err != nil {
			return nil, err
		}
		if p.Unit, err = s.svc.Units.FindUnitByID(ctx, unit); err != nil {
			return nil, err
		}
	}
	if office {
		ch, err := s.Choices(r)
		if err != nil {
			return nil, err
		}
		p.Units = ch.Units
	}
	p.Title = web.Lang(r).T("%s 填报表", p.Period.Label)
	if p.Unit != nil {
		p.Title = web.Lang(r).T("%s %s 填报表", p.Unit.Name, p.Period.Label)
	}
	return p, nil
}

// fillInUpload reads an uploaded workbook and, when every row is right,
// saves its changed rows as the unit's reports.
func (s *server) fillInUpload(w http.ResponseWriter, r *http.Request) error {
	p, err := s.buildFillIn(r)
	if err != nil {
		return err
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return duban.Errorf(duban.EINVALID, "请选择填写好的填报表（.xlsx）再上传。")
	}
	defer f.Close()
	if p.Result, err = export.ApplyFillIn(r.Context(), s.exportServices(), p.Period.ID, p.Unit.ID, f); err != nil {
		return err
	}
	status := http.StatusOK
	if len(p.Result.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.RenderStatus(w, r, status, p)
}

// outputsPage is a plan's files and its public page's settings: the task
// table (whole, or a unit's or a leader's), each begun period's progress
// book, bulletin and fill-in workbook, and what the public page shows.
type outputsPage struct {
	web.Base
	Plan    *duban.Plan
	Periods []*cycle.Period // begun
	Units   []*duban.Unit
	Leaders []*duban.Leader
	// Publication is what the plan shows the public; CanPublish shows the
	// form that changes it, Tasks the tasks it lists.
	Publication *cycle.Publication
	CanPublish  bool
	Tasks       []*duban.Task
	// FillIn says the user fills in a unit's workbook: the clerk's own
	// unit, or any the office chooses.
	FillIn bool
	UnitID int64
}

func (*outputsPage) TemplateName() string { return "outputs.html" }

// Hidden reports whether a task is kept off the public page.
func (p *outputsPage) Hidden(id int64) bool { return slices.Contains(p.Publication.Hidden, id) }

func (s *server) outputs(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	u := duban.UserFromContext(ctx)
	p := &outputsPage{CanPublish: cycle.CanPublish(u), FillIn: cycle.CanFillInAny(u), UnitID: u.UnitID}
	if p.Plan, err = s.svc.Plans.FindPlanByID(ctx, id); err != nil {
		return err
	}
	p.Title = web.Lang(r).T("导出与公开：%s", p.Plan.Title)
	periods, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &id})
	if err != nil {
		return err
	}
	for _, q := range periods {
		if q.State != cycle.PeriodPending {
			p.Periods = append(p.Periods, q)
		}
	}
	ch, err := s.Choices(r)
	if err != nil {
		return err
	}
	p.Units, p.Leaders = ch.Units, ch.Leaders
	if p.Publication, err = s.svc.Publications.FindPublication(ctx, id); err != nil {
		return err
	}
	if p.CanPublish {
		if p.Tasks, _, err = s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &id}); err != nil {
			return err
		}
	}
	return s.Render(w, r, p)
}

// publication saves what a plan shows the public: the plan's switch and,
// for each task listed in the form, whether it is shown.
func (s *server) publication(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	public := r.PostForm.Get("public") == "1"
	upd := cycle.PublicationUpdate{Public: &public}
	if r.PostForm.Has("listed") {
		shown := map[string]bool{}
		for _, v := range r.PostForm["show"] {
			shown[v] = true
		}
		tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &id})
		if err != nil {
			return err
		}
		for _, t := range tasks {
			if shown[strconv.FormatInt(t.ID, 10)] {
				upd.Show = append(upd.Show, t.ID)
			} else {
				upd.Hide = append(upd.Hide, t.ID)
			}
		}
	}
	if _, err := s.svc.Publications.UpdatePublication(ctx, id, upd); err != nil {
		return err
	}
	msg := web.Lang(r).T("已保存：这个文件不在政务公开页面上。")
	if public {
		msg = web.Lang(r).T("已保存：这个文件已在政务公开页面上公开。")
	}
	return s.Redirect(w, r, "/plans/"+strconv.FormatInt(id, 10)+"/outputs", msg)
}
