package page

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// directoryRoutes are the units and leaders: lists with what each answers
// for, and a page each with its tasks across plans and years.
func (s *Server) directoryRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/units", Allow: duban.CanRead, Action: "查看单位", Handler: s.units},
		{Method: "GET", Pattern: "/units/{unit}", Allow: duban.CanRead, Action: "查看单位", Handler: s.unit},
		{Method: "GET", Pattern: "/leaders", Allow: duban.CanRead, Action: "查看领导", Handler: s.leaders},
		{Method: "GET", Pattern: "/leaders/{leader}", Allow: duban.CanRead, Action: "查看领导", Handler: s.leader},
	}
}

// ownerTasksLimit is how many tasks of each list a unit's or a leader's
// page shows; the rest are a click away in the ledger.
const ownerTasksLimit = 20

// taskList is a short list of tasks with how many there are in all and the
// ledger's address for all of them.
type taskList struct {
	Tasks []*duban.Task
	Total int
	All   string
	// Lights are the tasks' latest status lights.
	Lights map[int64]*cycle.Light
	tr     web.Translator
}

// T translates, so that the list's template can be shared.
func (l *taskList) T(msg string, args ...any) string { return l.tr.T(msg, args...) }

// Rows are the rows of the list's table.
func (l *taskList) Rows() template.HTML { return taskTable{tr: l.tr, lights: l.Lights}.rows(l.Tasks) }

// More reports whether the list shows only some of its tasks.
func (l *taskList) More() bool { return l.Total > len(l.Tasks) }

// findTaskList returns the first tasks of a filter, limit at most, with
// their lights, and the ledger address showing them all (ledger, a query of
// the ledger's filter).
func (s *Server) findTaskList(r *http.Request, f duban.TaskFilter, ledger url.Values, limit int) (*taskList, error) {
	l, err := s.findTasksOnly(r, f, ledger, limit)
	if err != nil {
		return nil, err
	}
	l.Lights, err = s.lightsOf(r.Context(), l.Tasks)
	return l, err
}

// findTasksOnly is findTaskList without the lights.
func (s *Server) findTasksOnly(r *http.Request, f duban.TaskFilter, ledger url.Values, limit int) (*taskList, error) {
	f.Limit = limit
	l := &taskList{All: "/tasks?" + ledger.Encode(), tr: web.Lang(r)}
	var err error
	l.Tasks, l.Total, err = s.svc.Tasks.FindTasks(r.Context(), f)
	return l, err
}

// yearChoice is the year filter of a unit's or a leader's page: the years
// of the plans, and the one chosen (0 for all).
type yearChoice struct {
	Years []int
	Year  int
}

func (s *Server) readYear(r *http.Request) (yearChoice, error) {
	var yc yearChoice
	ch, err := s.Choices(r)
	if err != nil {
		return yc, err
	}
	yc.Years = ch.Years
	yc.Year, err = web.QueryYear(r.URL.Query())
	return yc, err
}

// YearOptions are the options of the year filter.
func (yc yearChoice) YearOptions() template.HTML { return yearOptions(yc.Years, yc.Year) }

// filter narrows a task filter to the chosen year.
func (yc yearChoice) filter(f duban.TaskFilter) duban.TaskFilter {
	if yc.Year != 0 {
		y := yc.Year
		f.Year = &y
	}
	return f
}

// ledger adds the chosen year to a ledger address's query.
func (yc yearChoice) ledger(v url.Values) url.Values {
	if yc.Year != 0 {
		v.Set("year", strconv.Itoa(yc.Year))
	}
	return v
}

// unitPage is a unit with the tasks it leads and shares.
type unitPage struct {
	web.Base
	Unit *duban.Unit
	// MergedInto is the unit this one was merged into, if it was.
	MergedInto *duban.Unit
	yearChoice
	Lead   *taskList
	Shared *taskList
	// Urge is how often the unit was urged, with the office's button.
	Urge *urgeBox
	// Groups are the group terms the unit belongs to, whose tasks are its
	// own too; Members the units a group stands for.
	Groups  []*duban.Unit
	Members []*duban.Unit
	// CanEdit leads the office to the unit's forms (CanManageDirectory).
	CanEdit bool
}

func (*unitPage) TemplateName() string { return "unit.html" }

// unit shows a unit's page, kept until its tasks or their lights change.
func (s *Server) unit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	return s.RenderCachedUnit(w, r, web.UnitPage{Key: r.URL.RequestURI(), Unit: id,
		Build: func() (web.Page, error) { return s.buildUnit(r) },
		Lights: func(p web.Page) (web.Page, error) {
			return p.(*unitPage).withLights(func(_ map[int64]*cycle.Light, tasks []*duban.Task) (map[int64]*cycle.Light, error) {
				return s.lightsOf(r.Context(), tasks)
			})
		},
		Relight: func(p web.Page, moved []int64) (web.Page, error) {
			return p.(*unitPage).withLights(func(had map[int64]*cycle.Light, tasks []*duban.Task) (map[int64]*cycle.Light, error) {
				return s.relightOf(r.Context(), had, tasks, moved)
			})
		}})
}

// withLights returns a copy of the page whose tasks, led and shared, show
// the lights light returns for them all, given those the page shows.
func (p *unitPage) withLights(light func(had map[int64]*cycle.Light, tasks []*duban.Task) (map[int64]*cycle.Light, error)) (web.Page, error) {
	c := *p
	lead, shared := *c.Lead, *c.Shared
	c.Lead, c.Shared = &lead, &shared
	lights, err := light(lead.Lights, slices.Concat(lead.Tasks, shared.Tasks))
	lead.Lights, shared.Lights = lights, lights
	return &c, err
}

// buildUnit reads what the page shows but its tasks' lights.
func (s *Server) buildUnit(r *http.Request) (web.Page, error) {
	ctx := r.Context()
	id, err := web.PathID(r, "unit")
	if err != nil {
		return nil, err
	}
	p := &unitPage{}
	if p.Unit, err = s.svc.Units.FindUnitByID(ctx, id); err != nil {
		return nil, err
	}
	if p.Unit.MergedInto != 0 {
		if p.MergedInto, err = s.svc.Units.FindUnitByID(ctx, p.Unit.MergedInto); err != nil {
			return nil, err
		}
	}
	if p.yearChoice, err = s.readYear(r); err != nil {
		return nil, err
	}
	p.Title = p.Unit.Name
	p.CanEdit = duban.CanManageDirectory(duban.UserFromContext(ctx)) && p.Unit.MergedInto == 0
	if p.Groups, p.Members, err = s.unitGroups(r, p.Unit); err != nil {
		return nil, err
	}
	unit := strconv.FormatInt(id, 10)
	for _, l := range []struct {
		role duban.UnitRole
		dst  **taskList
	}{{duban.UnitLeads, &p.Lead}, {duban.UnitShares, &p.Shared}} {
		f := p.filter(duban.TaskFilter{UnitID: &id, UnitRole: l.role})
		if *l.dst, err = s.findTasksOnly(r, f, p.ledger(url.Values{"unit": {unit}, "role": {string(l.role)}}), ownerTasksLimit); err != nil {
			return nil, err
		}
	}
	if p.Urge, err = s.unitUrgeBox(r, id); err != nil {
		return nil, err
	}
	return p, nil
}

// unitGroups returns the groups a unit belongs to and, for a group, its
// members.
func (s *Server) unitGroups(r *http.Request, u *duban.Unit) (groups, members []*duban.Unit, err error) {
	all, err := s.svc.Units.FindGroupMembers(r.Context())
	if err != nil {
		return nil, nil, err
	}
	ids := append(all.GroupsOf(u.ID), u.Members...)
	if len(ids) == 0 {
		return nil, nil, nil
	}
	ch, err := s.Choices(r)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range ch.Units {
		if slices.Contains(u.Members, x.ID) {
			members = append(members, x)
		} else if slices.Contains(all[x.ID], u.ID) {
			groups = append(groups, x)
		}
	}
	return groups, members, nil
}

// leaderPage is a leader with the tasks the leader leads.
type leaderPage struct {
	web.Base
	Leader *duban.Leader
	yearChoice
	Lead *taskList
	// CanEdit leads the office to the leader's form.
	CanEdit bool
}

func (*leaderPage) TemplateName() string { return "leader.html" }

func (s *Server) leader(w http.ResponseWriter, r *http.Request) error {
	return s.RenderCached(w, r, r.URL.RequestURI(), func() (web.Page, error) { return s.buildLeader(r) })
}

// buildLeader reads what the page shows.
func (s *Server) buildLeader(r *http.Request) (web.Page, error) {
	id, err := web.PathID(r, "leader")
	if err != nil {
		return nil, err
	}
	p := &leaderPage{}
	if p.Leader, err = s.svc.Leaders.FindLeaderByID(r.Context(), id); err != nil {
		return nil, err
	}
	if p.yearChoice, err = s.readYear(r); err != nil {
		return nil, err
	}
	p.Title = p.Leader.Name
	p.CanEdit = duban.CanManageDirectory(duban.UserFromContext(r.Context()))
	f := p.filter(duban.TaskFilter{LeaderID: &id})
	if p.Lead, err = s.findTaskList(r, f, p.ledger(url.Values{"leader": {strconv.FormatInt(id, 10)}}), ownerTasksLimit); err != nil {
		return nil, err
	}
	return p, nil
}

// ownerRow is a unit or a leader in a list, with its counts.
type ownerRow struct {
	ID     int64
	Name   string
	Detail string // a unit's kind and aliases, a leader's post
	Lead   int
	Shared int
}

// unitsPage lists the units with how many tasks each leads and shares.
type unitsPage struct {
	web.Base
	yearChoice
	Kind  string
	Q     string
	Kinds []duban.UnitKind
	Rows  []ownerRow
	// CanEdit offers the office to add a unit.
	CanEdit bool
}

func (*unitsPage) TemplateName() string { return "units.html" }

func (s *Server) units(w http.ResponseWriter, r *http.Request) error {
	return s.RenderCached(w, r, r.URL.RequestURI(), func() (web.Page, error) { return s.buildUnits(r) })
}

// buildUnits reads what the page shows.
func (s *Server) buildUnits(r *http.Request) (web.Page, error) {
	ctx := r.Context()
	q := r.URL.Query()
	p := &unitsPage{Kind: q.Get("kind"), Kinds: UnitKinds,
		CanEdit: duban.CanManageDirectory(duban.UserFromContext(ctx))}
	p.Title = web.Lang(r).T("单位")
	var err error
	if p.Q, err = web.QuerySearch(q); err != nil {
		return nil, err
	}
	if p.yearChoice, err = s.readYear(r); err != nil {
		return nil, err
	}
	f := duban.UnitFilter{Query: p.Q}
	if k := duban.UnitKind(p.Kind); k.Valid() {
		f.Kind = &k
	} else {
		p.Kind = ""
	}
	units, _, err := s.svc.Units.FindUnits(ctx, f)
	if err != nil {
		return nil, err
	}
	counts, err := s.ownerCounts(r, p.yearChoice, false)
	if err != nil {
		return nil, err
	}
	tr := web.Lang(r)
	for _, u := range units {
		detail := tr.T(u.Kind.Label())
		if u.Kind == duban.UnitGroup {
			detail += " · " + tr.T("%d 个成员", len(u.Members))
		}
		if len(u.Aliases) > 0 {
			detail += " · " + tr.T("又称") + strings.Join(u.Aliases, "、")
		}
		c := counts[u.ID]
		p.Rows = append(p.Rows, ownerRow{ID: u.ID, Name: u.Name, Detail: detail, Lead: c.Lead, Shared: c.Shared})
	}
	return p, nil
}

// leadersPage lists the leaders with how many tasks each leads.
type leadersPage struct {
	web.Base
	yearChoice
	Rows []ownerRow
	// CanEdit offers the office to add a leader.
	CanEdit bool
}

func (*leadersPage) TemplateName() string { return "leaders.html" }

func (s *Server) leaders(w http.ResponseWriter, r *http.Request) error {
	return s.RenderCached(w, r, r.URL.RequestURI(), func() (web.Page, error) { return s.buildLeaders(r) })
}

// buildLeaders reads what the page shows.
func (s *Server) buildLeaders(r *http.Request) (web.Page, error) {
	p := &leadersPage{CanEdit: duban.CanManageDirectory(duban.UserFromContext(r.Context()))}
	p.Title = web.Lang(r).T("领导")
	var err error
	if p.yearChoice, err = s.readYear(r); err != nil {
		return nil, err
	}
	ch, err := s.Choices(r)
	if err != nil {
		return nil, err
	}
	counts, err := s.ownerCounts(r, p.yearChoice, true)
	if err != nil {
		return nil, err
	}
	for _, l := range ch.Leaders {
		p.Rows = append(p.Rows, ownerRow{ID: l.ID, Name: l.Name, Detail: l.Title, Lead: counts[l.ID].Lead})
	}
	return p, nil
}

// ownerCounts counts the tasks of the chosen year by unit or by leader.
func (s *Server) ownerCounts(r *http.Request, yc yearChoice, leaders bool) (map[int64]duban.OwnerCount, error) {
	counts, err := s.svc.Tasks.CountTasksByOwner(r.Context(), yc.filter(duban.TaskFilter{}))
	if err != nil {
		return nil, err
	}
	out := map[int64]duban.OwnerCount{}
	for _, c := range counts {
		if c.Leader == leaders {
			out[c.ID] = c
		}
	}
	return out, nil
}

// OwnerURL, LedgerURL and ShowShared tell the owners list of units from
// that of leaders: where a row links, where its counts link, and whether
// there is a shared count.
func (*unitsPage) OwnerURL(id int64) string { return "/units/" + strconv.FormatInt(id, 10) }

// LedgerURL is the ledger of a unit's tasks in the chosen year.
func (p *unitsPage) LedgerURL(id int64, role string) string {
	return "/tasks?" + p.ledger(url.Values{"unit": {strconv.FormatInt(id, 10)}, "role": {role}}).Encode()
}

// ShowShared: units share tasks.
func (*unitsPage) ShowShared() bool { return true }

// NameHead and DetailHead head the list's first two columns: what they
// hold.
func (*unitsPage) NameHead() string { return "单位名称" }

// DetailHead heads the units' kinds and aliases.
func (*unitsPage) DetailHead() string { return "类型与别名" }

// NameHead heads the leaders' names.
func (*leadersPage) NameHead() string { return "姓名" }

// DetailHead heads the leaders' posts.
func (*leadersPage) DetailHead() string { return "职务" }

// OwnerURL is a leader's page.
func (*leadersPage) OwnerURL(id int64) string { return "/leaders/" + strconv.FormatInt(id, 10) }

// LedgerURL is the ledger of a leader's tasks in the chosen year.
func (p *leadersPage) LedgerURL(id int64, role string) string {
	return "/tasks?" + p.ledger(url.Values{"leader": {strconv.FormatInt(id, 10)}}).Encode()
}

// ShowShared: leaders only lead.
func (*leadersPage) ShowShared() bool { return false }

// UnitEvent tells one change of the unit's names in a sentence.
func (p *unitPage) UnitEvent(e duban.UnitEvent) string {
	switch e.Kind {
	case duban.UnitEventCreated:
		return p.T("以“%s”名称录入", e.To)
	case duban.UnitRenamed:
		return p.T("由“%s”更名为“%s”", e.From, e.To)
	case duban.UnitAliasAdded:
		return p.T("增加别名“%s”", e.To)
	case duban.UnitMergedIn:
		return p.T("“%s”并入本单位", e.From)
	case duban.UnitMergedInto:
		return p.T("并入“%s”", e.To)
	}
	return string(e.Kind)
}

// UnitKinds are the kinds of unit in the order the forms offer them.
var UnitKinds = []duban.UnitKind{duban.UnitDepartment, duban.UnitStreet, duban.UnitCompany, duban.UnitGroup}
