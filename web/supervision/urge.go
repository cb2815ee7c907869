package supervision

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// urgeRoutes are the office's urging (催办): the page of what lags in a
// plan, with one click to urge a task or a unit, and the urges from a
// task's and a unit's page.
func (s *server) urgeRoutes() []web.Route {
	const urge = "催办"
	return []web.Route{
		{Method: "GET", Pattern: "/urges", Allow: cycle.CanUrge, Action: "查看滞后任务", Handler: s.urges},
		{Method: "POST", Pattern: "/tasks/{task}/urge", Allow: cycle.CanUrge, Action: urge, Changes: true, Handler: s.urgeTask},
		{Method: "POST", Pattern: "/units/{unit}/urge", Allow: cycle.CanUrge, Action: urge, Changes: true, Handler: s.urgeUnit},
	}
}

// lagging are the lights that call for urging.
var lagging = []cycle.LightStatus{cycle.LightSevere, cycle.LightMissing, cycle.LightLagging, cycle.LightNotStarted}

// lagRow is a lagging task with its latest light and how often it was
// urged.
type lagRow struct {
	Task   *duban.Task
	Light  *cycle.Light
	Unit   *duban.Unit // the lead unit, nil when it names none of the directory
	Urged  int
	Severe bool
}

// owingRow is a unit with reports overdue, and how often it was urged.
type owingRow struct {
	Unit    *duban.Unit
	Overdue int
	Urged   int
	Last    time.Time
}

// urgesPage is what lags in a plan: the tasks whose light lags, the units
// with reports overdue, and the latest urges.
type urgesPage struct {
	web.Base
	Plans  []*duban.Plan
	Plan   *duban.Plan
	Tasks  []*lagRow
	Units  []*owingRow
	Recent []*cycle.Urge
	// Names name the units and tasks of the recent urges.
	Names   map[int64]string
	TaskNos map[int64]string
}

func (*urgesPage) TemplateName() string { return "urges.html" }

// PlanSelected marks the plan shown.
func (p *urgesPage) PlanSelected(id int64) bool { return p.Plan != nil && p.Plan.ID == id }

func (s *server) urges(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := &urgesPage{Names: map[int64]string{}, TaskNos: map[int64]string{}}
	p.Title = web.Lang(r).T("催办")
	c, err := s.Choices(r)
	if err != nil {
		return err
	}
	for _, pl := range c.Plans {
		if pl.State == duban.PlanPublished {
			p.Plans = append(p.Plans, pl)
		}
	}
	id, err := web.QueryInt(r.URL.Query(), "plan")
	if err != nil {
		return err
	}
	for _, pl := range p.Plans {
		if (id == nil && p.Plan == nil) || (id != nil && pl.ID == *id) {
			p.Plan = pl
		}
	}
	if p.Plan == nil {
		if id != nil {
			return duban.Errorf(duban.ENOTFOUND, "文件 #%d 不存在或尚未发布。", *id)
		}
		return s.Render(w, r, p)
	}
	planID := p.Plan.ID
	tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &planID})
	if err != nil {
		return err
	}
	byID := map[int64]*duban.Task{}
	for _, t := range tasks {
		byID[t.ID] = t
		p.TaskNos[t.ID] = t.No
	}
	for _, u := range c.Units {
		p.Names[u.ID] = u.Name
	}
	urges, _, err := s.svc.Reminders.FindUrges(ctx, cycle.UrgeFilter{PlanID: &planID})
	if err != nil {
		return err
	}
	urgedTask := map[int64]int{}
	for _, u := range urges {
		urgedTask[u.TaskID]++
	}
	p.Recent = urges[:min(len(urges), 20)]

	lights, _, err := s.svc.Lights.FindLights(ctx, cycle.LightFilter{PlanID: &planID, Latest: true})
	if err != nil {
		return err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	for _, l := range lights {
		t := byID[l.TaskID]
		if t == nil || !slices.Contains(lagging, l.Status) {
			continue
		}
		row := &lagRow{Task: t, Light: l, Urged: urgedTask[t.ID], Severe: l.Status == cycle.LightSevere || l.Status == cycle.LightMissing}
		if composer, _ := cycle.ReportingUnits(t, groups); composer != 0 {
			row.Unit = c.Unit(composer)
		}
		p.Tasks = append(p.Tasks, row)
	}
	slices.SortStableFunc(p.Tasks, func(a, b *lagRow) int {
		return cmp.Compare(slices.Index(lagging, a.Light.Status), slices.Index(lagging, b.Light.Status))
	})

	obls, err := s.svc.Reminders.FindObligations(ctx, cycle.ObligationFilter{PlanID: &planID, Open: true})
	if err != nil {
		return err
	}
	counts, err := s.svc.Reminders.CountUrges(ctx, cycle.UrgeFilter{PlanID: &planID})
	if err != nil {
		return err
	}
	urged := map[int64]cycle.UrgeCount{}
	for _, n := range counts {
		urged[n.UnitID] = n
	}
	today := s.Today()
	owing := map[int64]*owingRow{}
	for _, o := range obls {
		u := c.Unit(o.UnitID)
		if !o.Overdue(today) || u == nil {
			continue
		}
		row := owing[o.UnitID]
		if row == nil {
			row = &owingRow{Unit: u, Urged: urged[o.UnitID].Count, Last: urged[o.UnitID].Last}
			owing[o.UnitID] = row
			p.Units = append(p.Units, row)
		}
		row.Overdue++
	}
	slices.SortStableFunc(p.Units, func(a, b *owingRow) int { return cmp.Compare(b.Overdue, a.Overdue) })
	return s.Render(w, r, p)
}

// back is where a form goes back to: the page it was on, when the form
// names one of this site.
func back(r *http.Request, fallback string) string {
	if b := r.PostForm.Get("back"); strings.HasPrefix(b, "/") && !strings.HasPrefix(b, "//") && !strings.ContainsAny(b, "\\\r\n") {
		return b
	}
	return fallback
}

func (s *server) urgeTask(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "task")
	if err != nil {
		return err
	}
	ug := &cycle.Urge{TaskID: id, Message: r.PostForm.Get("message")}
	if err := s.svc.Reminders.CreateUrge(r.Context(), ug); err != nil {
		return err
	}
	return s.Redirect(w, r, back(r, fmt.Sprintf("/tasks/%d", id)), s.urgedMessage(r, ug))
}

func (s *server) urgeUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	plan, err := web.FormID(r, "plan", "催办所涉的文件")
	if err != nil {
		return err
	}
	ug := &cycle.Urge{UnitID: id, PlanID: plan, Message: r.PostForm.Get("message")}
	if err := s.svc.Reminders.CreateUrge(r.Context(), ug); err != nil {
		return err
	}
	return s.Redirect(w, r, back(r, fmt.Sprintf("/units/%d", id)), s.urgedMessage(r, ug))
}

// urgedMessage says an urge went, and how often its unit was urged.
func (s *server) urgedMessage(r *http.Request, ug *cycle.Urge) string {
	tr := web.Lang(r)
	name := fmt.Sprintf("#%d", ug.UnitID)
	if u, err := s.svc.Units.FindUnitByID(r.Context(), ug.UnitID); err == nil {
		name = u.Name
	}
	counts, err := s.svc.Reminders.CountUrges(r.Context(), cycle.UrgeFilter{UnitID: &ug.UnitID, PlanID: &ug.PlanID})
	if err != nil || len(counts) == 0 {
		return tr.T("已向%s催办。", name)
	}
	return tr.T("已向%s催办（本文件第 %d 次）。", name, counts[0].Count)
}
