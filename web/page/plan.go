package page

import (
	"net/http"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// planRoutes are the plans: their list and each plan's overview. The review
// of a draft adds its own routes (review.go).
func (s *Server) planRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/plans", Allow: duban.CanRead, Action: "查看文件", Handler: s.plans},
		{Method: "GET", Pattern: "/plans/{plan}", Allow: duban.CanRead, Action: "查看文件", Handler: s.plan},
	}
}

// plansPage lists the plans, newest year first.
type plansPage struct {
	web.Base
	Plans []*duban.Plan
	// CanImport shows the way to import a notice (CanImportPlan).
	CanImport bool
}

func (*plansPage) TemplateName() string { return "plans.html" }

func (s *Server) plans(w http.ResponseWriter, r *http.Request) error {
	return s.RenderCached(w, r, r.URL.RequestURI(), func() (web.Page, error) { return s.buildPlans(r) })
}

// buildPlans reads what the page shows.
func (s *Server) buildPlans(r *http.Request) (web.Page, error) {
	p := &plansPage{CanImport: duban.CanImportPlan(duban.UserFromContext(r.Context()))}
	p.Title = web.Lang(r).T("文件")
	var err error
	if p.Plans, _, err = s.svc.Plans.FindPlans(r.Context(), duban.PlanFilter{}); err != nil {
		return nil, err
	}
	return p, nil
}

// planPage is a plan's overview: its document, its sections and areas with
// how many tasks each holds, and for the office the reader's warnings.
type planPage struct {
	web.Base
	Plan     *duban.Plan
	Sections []sectionSummary
	// Units counts the units the plan's tasks name.
	Units int
	// WithTargets counts the tasks with quantitative targets.
	WithTargets int
	// CanReview shows the office's review actions and the warnings.
	CanReview bool
}

func (*planPage) TemplateName() string { return "plan.html" }

// sectionSummary is a section with its areas and their counts.
type sectionSummary struct {
	duban.Section
	Tasks int
	Areas []areaSummary
}

// areaSummary is an area with its count of tasks.
type areaSummary struct {
	duban.Area
	Tasks int
}

func (s *Server) plan(w http.ResponseWriter, r *http.Request) error {
	return s.RenderCached(w, r, r.URL.RequestURI(), func() (web.Page, error) { return s.buildPlan(r) })
}

// buildPlan reads what the page shows.
func (s *Server) buildPlan(r *http.Request) (web.Page, error) {
	ctx := r.Context()
	id, err := web.PathID(r, "plan")
	if err != nil {
		return nil, err
	}
	p := &planPage{CanReview: duban.CanReviewPlan(duban.UserFromContext(ctx))}
	if p.Plan, err = s.svc.Plans.FindPlanByID(ctx, id); err != nil {
		return nil, err
	}
	p.Title = p.Plan.Title
	// The counts come from the plan's tasks, read in one query: a plan has
	// a few hundred.
	tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &id})
	if err != nil {
		return nil, err
	}
	type key struct{ section, area int }
	perArea := map[key]int{}
	perSection := map[int]int{}
	for _, t := range tasks {
		perArea[key{t.Section, t.Area}]++
		perSection[t.Section]++
		if len(t.Indicators) > 0 {
			p.WithTargets++
		}
	}
	for _, sec := range p.Plan.Sections {
		ss := sectionSummary{Section: sec, Tasks: perSection[sec.No]}
		for _, a := range p.Plan.Areas {
			if a.Section == sec.No {
				ss.Areas = append(ss.Areas, areaSummary{Area: a, Tasks: perArea[key{a.Section, a.No}]})
			}
		}
		p.Sections = append(p.Sections, ss)
	}
	if _, p.Units, err = s.svc.Units.FindUnits(ctx, duban.UnitFilter{PlanID: &id, Limit: 1}); err != nil {
		return nil, err
	}
	return p, nil
}
