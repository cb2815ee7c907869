package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
)

// ledgerRoutes are the ledger: the tasks of every plan, filtered.
func (s *Server) ledgerRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/tasks", Allow: duban.CanRead, Action: "查看台账", Handler: s.ledger},
	}
}

// ledgerQuery is the ledger's filter as the address carries it, so that a
// view can be bookmarked and sent to a colleague. Zero values do not
// filter; Section and Area are text because section 0 (the main targets)
// is a real section.
type ledgerQuery struct {
	Plan    int64
	Year    int64
	Section string
	Area    string
	Leader  int64
	Unit    int64
	Role    string // "", "lead" or "shared": the unit's part in the task
	Targets string // "", "yes" or "no": whether the task has quantitative targets
	Q       string
	Sort    string
	Desc    bool
	Page    int
	Size    int
}

// parseLedgerQuery reads the filter from an address and returns it with the
// task filter it means.
func parseLedgerQuery(q url.Values) (ledgerQuery, duban.TaskFilter, error) {
	lq := ledgerQuery{
		Section: strings.TrimSpace(q.Get("section")),
		Area:    strings.TrimSpace(q.Get("area")),
		Role:    q.Get("role"),
		Targets: q.Get("targets"),
		Q:       strings.TrimSpace(q.Get("q")),
		Sort:    q.Get("sort"),
		Desc:    q.Get("order") == "desc",
	}
	pg := readPager(q)
	lq.Page, lq.Size = pg.Page, pg.Size
	var f duban.TaskFilter
	ints := []struct {
		name string
		dst  *int64
	}{{"plan", &lq.Plan}, {"year", &lq.Year}, {"leader", &lq.Leader}, {"unit", &lq.Unit}}
	for _, n := range ints {
		v, err := queryInt(q, n.name)
		if err != nil {
			return lq, f, err
		}
		if v != nil {
			*n.dst = *v
		}
	}
	if lq.Plan != 0 {
		f.PlanID = &lq.Plan
		// Sections and areas are numbered within a plan; without one they
		// mean nothing.
		for _, n := range []struct {
			name string
			src  *string
			dst  **int
		}{{"section", &lq.Section, &f.Section}, {"area", &lq.Area, &f.Area}} {
			if *n.src == "" {
				continue
			}
			v, err := strconv.Atoi(*n.src)
			if err != nil || v < 0 {
				return lq, f, duban.Errorf(duban.EINVALID, "地址中的“%s=%s”不正确：应为数字。", n.name, *n.src)
			}
			*n.dst = &v
		}
	} else {
		lq.Section, lq.Area = "", ""
	}
	if f.Section == nil {
		f.Area, lq.Area = nil, ""
	}
	if lq.Year != 0 {
		y := int(lq.Year)
		f.Year = &y
	}
	if lq.Leader != 0 {
		f.LeaderID = &lq.Leader
	}
	if lq.Unit != 0 {
		f.UnitID = &lq.Unit
		switch lq.Role {
		case "lead":
			f.UnitRole = duban.UnitLeads
		case "shared":
			f.UnitRole = duban.UnitShares
		default:
			lq.Role = ""
		}
	} else {
		lq.Role = ""
	}
	switch lq.Targets {
	case "yes", "no":
		has := lq.Targets == "yes"
		f.HasTargets = &has
	default:
		lq.Targets = ""
	}
	f.Query = lq.Q
	if !duban.TaskSort(lq.Sort).Valid() {
		lq.Sort = ""
	}
	f.Sort, f.Desc = duban.TaskSort(lq.Sort), lq.Desc
	f.Offset, f.Limit = pg.Offset(), pg.Size
	return lq, f, nil
}

// values writes the filter back as an address's query, leaving out what
// does not filter, so that addresses stay short.
func (lq ledgerQuery) values() url.Values {
	v := url.Values{}
	set := func(name, val string) {
		if val != "" && val != "0" {
			v.Set(name, val)
		}
	}
	set("plan", strconv.FormatInt(lq.Plan, 10))
	set("year", strconv.FormatInt(lq.Year, 10))
	if lq.Section != "" {
		v.Set("section", lq.Section)
	}
	if lq.Area != "" {
		v.Set("area", lq.Area)
	}
	set("leader", strconv.FormatInt(lq.Leader, 10))
	set("unit", strconv.FormatInt(lq.Unit, 10))
	set("role", lq.Role)
	set("targets", lq.Targets)
	set("q", lq.Q)
	set("sort", lq.Sort)
	if lq.Desc {
		v.Set("order", "desc")
	}
	if lq.Size != pageSizes[0] {
		v.Set("size", strconv.Itoa(lq.Size))
	}
	if lq.Page > 1 {
		v.Set("page", strconv.Itoa(lq.Page))
	}
	return v
}

func (lq ledgerQuery) url() string {
	if v := lq.values().Encode(); v != "" {
		return "/tasks?" + v
	}
	return "/tasks"
}

// ledgerPage is the ledger.
type ledgerPage struct {
	Base
	Query ledgerQuery
	Pager pager
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
}

func (*ledgerPage) templateName() string { return "ledger.html" }

// roleCounts counts a unit's tasks: all, those it leads, those it shares.
type roleCounts struct{ All, Lead, Shared int }

// SortURL is the address of the ledger sorted by a column: the first click
// sorts ascending, a second click on the same column descending.
func (p *ledgerPage) SortURL(sort string) string {
	q := p.Query
	q.Desc = q.Sort == sort && !q.Desc
	q.Sort, q.Page = sort, 1
	return q.url()
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
	return q.url()
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
		option(&b, strconv.FormatInt(pl.ID, 10), label, pl.ID == p.Query.Plan)
	}
	return template.HTML(b.String())
}

// YearOptions are the options of the year filter.
func (p *ledgerPage) YearOptions() template.HTML { return yearOptions(p.Years, int(p.Query.Year)) }

// Rows are the rows of the table of tasks.
func (p *ledgerPage) Rows() template.HTML {
	return taskTable{tr: p.tr, planNames: p.PlanNames, query: p.Query.Q, ledger: true}.rows(p.Tasks)
}

// ledger lists the tasks the filter in the address selects.
func (s *Server) ledger(w http.ResponseWriter, r *http.Request) error {
	lq, f, err := parseLedgerQuery(r.URL.Query())
	if err != nil {
		return err
	}
	return s.renderCached(w, r, lq.url(), func() (page, error) { return s.buildLedger(r, lq, f) })
}

// buildLedger reads what the ledger shows.
func (s *Server) buildLedger(r *http.Request, lq ledgerQuery, f duban.TaskFilter) (page, error) {
	ctx := r.Context()
	var err error
	p := &ledgerPage{Query: lq, PlanNames: map[int64]string{}}
	p.Title = state(r).translator().T("台账")
	p.Pager = pager{Page: lq.Page, Size: lq.Size, link: func(n int) string {
		q := lq
		q.Page = n
		return q.url()
	}}
	if p.Tasks, p.Pager.Total, err = s.svc.Tasks.FindTasks(ctx, f); err != nil {
		return nil, err
	}
	ch, err := s.choices(r)
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
		if p.Unit = ch.unit(lq.Unit); p.Unit == nil {
			if p.Unit, err = s.svc.Units.FindUnitByID(ctx, lq.Unit); err != nil {
				return nil, err
			}
		}
		if p.UnitCounts, err = s.countRoles(r, f); err != nil {
			return nil, err
		}
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
