package page

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/evidence"
	"github.com/dubanhq/duban/web"
)

// What the core pages show of the reporting cycle: a unit's to-do list (on
// a clerk's home and its own page), the addresses of reports and their
// evidence files, and the groups and unit names the cycle's rules and lists
// need.

// Groups returns which units tasks addressed to groups reach.
func (s *Server) Groups(ctx context.Context) (cycle.Groups, error) {
	return s.svc.Units.FindGroupMembers(ctx)
}

// UnitNames names units by ID, for lists that name a few.
func (s *Server) UnitNames(ctx context.Context, ids ...int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == 0 {
			continue
		}
		u, err := s.svc.Units.FindUnitByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = u.Name
	}
	return out, nil
}

// TodoList is what a unit owes in the open periods: each report, by when,
// and what was returned. The to-do page shows it, and a clerk's home can
// include it ({{template "todo" .Todo}}, built by FindTodo).
type TodoList struct {
	Unit    *duban.Unit
	Periods []*TodoPeriod
	Today   duban.Date
	Tr      web.Translator
}

// T translates, so that the list's template can be shared.
func (l *TodoList) T(msg string, args ...any) string { return l.Tr.T(msg, args...) }

// Owed counts the reports not handed in.
func (l *TodoList) Owed() int {
	n := 0
	for _, p := range l.Periods {
		n += p.Owed
	}
	return n
}

// TodoPeriod is one open period of the to-do list.
type TodoPeriod struct {
	Period *cycle.Period
	Plan   *duban.Plan
	Items  []*TodoItem
	Owed   int
}

// TodoItem is one report a unit owes.
type TodoItem struct {
	*cycle.Obligation
	Task     *duban.Task
	Overdue  bool
	DaysLeft int
}

// Late is how many days past its due date the report is owed.
func (i *TodoItem) Late() int { return -i.DaysLeft }

// StateLabel says where the report is: not begun, a draft, returned…
func (i *TodoItem) StateLabel() string {
	if i.State == "" {
		return "未填报"
	}
	return i.State.Label()
}

// FindTodo reads what unit owes in the open periods of the published plans.
func (s *Server) FindTodo(r *http.Request, unit *duban.Unit) (*TodoList, error) {
	ctx := r.Context()
	l := &TodoList{Unit: unit, Today: s.Today(), Tr: web.Lang(r)}
	open := cycle.PeriodOpen
	periods, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{State: &open})
	if err != nil {
		return nil, err
	}
	plans := map[int64]*duban.Plan{}
	tasks := map[int64]*duban.Task{}
	for _, q := range periods {
		obls, err := s.svc.Reminders.FindObligations(ctx, cycle.ObligationFilter{PeriodID: &q.ID, UnitID: &unit.ID})
		if err != nil {
			return nil, err
		}
		if len(obls) == 0 {
			continue
		}
		if plans[q.PlanID] == nil {
			if plans[q.PlanID], err = s.svc.Plans.FindPlanByID(ctx, q.PlanID); err != nil {
				return nil, err
			}
			list, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &q.PlanID})
			if err != nil {
				return nil, err
			}
			for _, t := range list {
				tasks[t.ID] = t
			}
		}
		tp := &TodoPeriod{Period: q, Plan: plans[q.PlanID]}
		for _, o := range obls {
			it := &TodoItem{Obligation: o, Task: tasks[o.TaskID], Overdue: o.Overdue(l.Today), DaysLeft: o.Due.DaysSince(l.Today)}
			if it.Task == nil {
				continue
			}
			if !o.Done() {
				tp.Owed++
			}
			tp.Items = append(tp.Items, it)
		}
		// What is owed first, the returned before the rest; then by task.
		slices.SortStableFunc(tp.Items, func(a, b *TodoItem) int {
			rank := func(i *TodoItem) int {
				switch {
				case i.State == cycle.ReportReturned:
					return 0
				case !i.Done():
					return 1
				}
				return 2
			}
			return cmp.Compare(rank(a), rank(b))
		})
		l.Periods = append(l.Periods, tp)
	}
	return l, nil
}

// ReportPath is the address of a report.
func ReportPath(id int64) string { return "/reports/" + strconv.FormatInt(id, 10) }

// FileLinks gives a page the addresses and sizes of evidence files.
type FileLinks struct{}

// FileURL is the address of a report's n-th file (from 0).
func (FileLinks) FileURL(r *cycle.Report, n int) string {
	return ReportPath(r.ID) + "/files/" + strconv.Itoa(n+1)
}

// ClosureFile is the address of a request's n-th file (from 0).
func (FileLinks) ClosureFile(c *cycle.Closure, n int) string {
	return "/closures/" + strconv.FormatInt(c.ID, 10) + "/files/" + strconv.Itoa(n+1)
}

// Size writes a file's size as a form says it.
func (FileLinks) Size(n int64) string { return evidence.SizeLabel(n) }
