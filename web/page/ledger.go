package page

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// ledgerRoutes are the ledger: the tasks of every plan, filtered.
func (s *Server) ledgerRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/tasks", Allow: duban.CanRead, Action: "查看台账", Handler: s.ledger},
	}
}

// ledgerPage is the ledger.
type ledgerPage struct {
	web.Base
	Query web.LedgerQuery
	Pager web.Pager
	Tasks []*duban.Task
	// PlanNames names each plan the tasks come from, by ID.
	PlanNames map[int64]string

	// The choices of the filter form.
	Plans   []*duban.Plan
	Years   []int
	Plan    *duban.Plan // the plan filtered by, with its sections and areas
	Leaders []*duban.Leader
	Units   []*duban.Unit
	// Unit is the unit filtered by; UnitCounts its tasks, led and shared.
	Unit       *duban.Unit
	UnitCounts *roleCounts
	// CanImport leads the office of a fresh install to the import page.
	CanImport bool
	// Lights are the tasks' latest status lights.
	Lights map[int64]*cycle.Light
}

func (*ledgerPage) TemplateName() string { return "ledger.html" }

// roleCounts counts a unit's tasks: all, those it leads, those it shares.
type roleCounts struct{ All, Lead, Shared int }

// SortURL is the address of the ledger sorted by a column: the first click
// sorts ascending, a second click on the same column descending.
func (p *ledgerPage) SortURL(sort string) string {
	q := p.Query
	q.Desc = q.Sort == sort && !q.Desc
	q.Sort, q.Page = sort, 1
	return q.URL()
}

// SortMark is the arrow shown beside the column the ledger is sorted by.
func (p *ledgerPage) SortMark(sort string) string {
	switch {
	case p.Query.Sort != sort:
		return ""
	case p.Query.Desc:
		return "↓"
	}
	return "↑"
}

// RoleURL is the address of the same list narrowed to the unit's part.
func (p *ledgerPage) RoleURL(role string) string {
	q := p.Query
	q.Role, q.Page = role, 1
	return q.URL()
}

// PlanOptions are the options of the plan filter, each named by its year
// and title, and its state unless it is published.
func (p *ledgerPage) PlanOptions() template.HTML {
	var b strings.Builder
	for _, pl := range p.Plans {
		label := strconv.Itoa(pl.Year) + " · " + pl.Title
		if pl.State != duban.PlanPublished {
			label += "（" + p.T(pl.State.Label()) + "）"
		}
		Option(&b, strconv.FormatInt(pl.ID, 10), label, pl.ID == p.Query.Plan)
	}
	return template.HTML(b.String())
}

// LightOptions are the options of the light filter, in the page's
// language.
func (p *ledgerPage) LightOptions() template.HTML {
	var b strings.Builder
	for _, st := range cycle.LightStatuses {
		label := st.Label()
		if p.Lang == "en" {
			label = st.LabelEN()
		}
		Option(&b, string(st), label, string(st) == p.Query.Light)
	}
	return template.HTML(b.String())
}

// PrintURL is the address of the ledger as filtered, made to print: a
// table, or each task with its latest report.
func (p *ledgerPage) PrintURL(reports bool) string {
	v := p.Query.Values()
	v.Del("page")
	v.Del("size")
	if reports {
		v.Set("reports", "1")
	}
	if len(v) == 0 {
		return "/tasks/print"
	}
	return "/tasks/print?" + v.Encode()
}

// TableFilter is the query of the task table of the plan filtered by the
// ledger's unit or leader.
func (p *ledgerPage) TableFilter() string {
	v := url.Values{}
	if p.Query.Unit != 0 {
		v.Set("unit", strconv.FormatInt(p.Query.Unit, 10))
	}
	if p.Query.Leader != 0 {
		v.Set("leader", strconv.FormatInt(p.Query.Leader, 10))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// YearOptions are the options of the year filter.
func (p *ledgerPage) YearOptions() template.HTML { return yearOptions(p.Years, int(p.Query.Year)) }

// DueOptions are the options of the deadline filter.
func (p *ledgerPage) DueOptions() template.HTML {
	var b strings.Builder
	for _, c := range duban.DueChoices {
		Option(&b, string(c), p.T(c.Label()), string(c) == p.Query.Due)
	}
	return template.HTML(b.String())
}

// Rows are the rows of the table of tasks.
func (p *ledgerPage) Rows() template.HTML {
	return taskTable{tr: p.Tr, planNames: p.PlanNames, query: p.Query.Q, ledger: true, today: p.Query.Today, lights: p.Lights}.rows(p.Tasks)
}

// ledger lists the tasks the filter in the address selects.
func (s *Server) ledger(w http.ResponseWriter, r *http.Request) error {
	lq, f, err := web.ParseLedgerQuery(r.URL.Query())
	if err != nil {
		return err
	}
	// The day is in the key: what is due this month and what is overdue
	// change with it.
	key := lq.URL() + "\x00" + lq.Today.String()
	if lq.Unit == 0 {
		return s.RenderCached(w, r, key, func() (web.Page, error) { return s.buildLedger(r, lq, f, true) })
	}
	// The ledger of one unit's tasks is kept until they or their lights
	// change; what it reads but the lights, until they do, unless the
	// filter may depend on the lights.
	up := web.UnitPage{Key: key, Unit: lq.Unit, Build: func() (web.Page, error) { return s.buildLedger(r, lq, f, true) }}
	if lightsApart(f) {
		up.Build = func() (web.Page, error) { return s.buildLedger(r, lq, f, false) }
		up.Lights = func(p web.Page) (web.Page, error) {
			c := *p.(*ledgerPage)
			var err error
			c.Lights, err = s.lightsOf(r.Context(), c.Tasks)
			return &c, err
		}
		up.Relight = func(p web.Page, moved []int64) (web.Page, error) {
			c := *p.(*ledgerPage)
			var err error
			c.Lights, err = s.relightOf(r.Context(), c.Lights, c.Tasks, moved)
			return &c, err
		}
	}
	return s.RenderCachedUnit(w, r, up)
}

// lightsApart reports whether the tasks a filter selects are told by the
// tasks alone, so that their lights can be read apart: a filter of the
// fields known to be, and nothing else.
func lightsApart(f duban.TaskFilter) bool {
	known := duban.TaskFilter{ID: f.ID, PlanID: f.PlanID, PlanState: f.PlanState, Year: f.Year, Section: f.Section, Area: f.Area,
		UnitID: f.UnitID, UnitRole: f.UnitRole, LeaderID: f.LeaderID, DueFrom: f.DueFrom, DueTo: f.DueTo, DeadlineKind: f.DeadlineKind,
		HasTargets: f.HasTargets, Query: f.Query, IncludeWithdrawn: f.IncludeWithdrawn, Sort: f.Sort, Desc: f.Desc, Offset: f.Offset, Limit: f.Limit}
	return f == known
}

// buildLedger reads what the ledger shows, with the tasks' lights or not.
func (s *Server) buildLedger(r *http.Request, lq web.LedgerQuery, f duban.TaskFilter, lights bool) (web.Page, error) {
	ctx := r.Context()
	var err error
	p := &ledgerPage{Query: lq, PlanNames: map[int64]string{}, CanImport: duban.CanImportPlan(duban.UserFromContext(ctx))}
	p.Title = web.Lang(r).T("台账")
	p.Pager = web.Pager{Page: lq.Page, Size: lq.Size, Link: func(n int) string {
		q := lq
		q.Page = n
		return q.URL()
	}}
	if p.Tasks, p.Pager.Total, err = s.svc.Tasks.FindTasks(ctx, f); err != nil {
		return nil, err
	}
	if lights {
		if p.Lights, err = s.lightsOf(ctx, p.Tasks); err != nil {
			return nil, err
		}
	}
	ch, err := s.Choices(r)
	if err != nil {
		return nil, err
	}
	p.Plans, p.Years, p.Leaders, p.Units = ch.Plans, ch.Years, ch.Leaders, ch.Units
	for _, pl := range p.Plans {
		p.PlanNames[pl.ID] = pl.Title
	}
	if lq.Plan != 0 {
		if p.Plan, err = s.svc.Plans.FindPlanByID(ctx, lq.Plan); err != nil {
			return nil, err
		}
	}
	if lq.Unit != 0 {
		// A unit merged into another is not among the choices, but its
		// tasks before the merge are still its own.
		if p.Unit = ch.Unit(lq.Unit); p.Unit == nil {
			if p.Unit, err = s.svc.Units.FindUnitByID(ctx, lq.Unit); err != nil {
				return nil, err
			}
		}
		if p.UnitCounts, err = s.countRoles(r, f); err != nil {
			return nil, err
		}
	}
	// The title names what the list is of, for its print's heading.
	if p.Plan != nil {
		p.Title += " · " + p.Plan.Title
	}
	if p.Unit != nil {
		p.Title += " · " + p.Unit.Name
	}
	return p, nil
}

// countRoles counts the tasks of the filter's unit by its part in them,
// with the filter's other conditions: one grouped count, in which the unit's
// row has the tasks it leads and those it shares, which add up to all.
func (s *Server) countRoles(r *http.Request, f duban.TaskFilter) (*roleCounts, error) {
	f.UnitRole = duban.UnitAnyRole
	counts, err := s.svc.Tasks.CountTasksByOwner(r.Context(), f)
	if err != nil {
		return nil, err
	}
	c := &roleCounts{}
	for _, oc := range counts {
		if !oc.Leader && oc.ID == *f.UnitID {
			c.Lead, c.Shared = oc.Lead, oc.Shared
		}
	}
	c.All = c.Lead + c.Shared
	return c, nil
}
