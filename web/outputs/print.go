package outputs

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// printRoutes are the pages made to print on A4: the ledger as filtered
// (as a table, or each task on its page with its latest report), and a
// task with every report on it.
func (s *server) printRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/tasks/print", Allow: duban.CanRead, Action: "打印台账", Handler: s.printLedger},
		{Method: "GET", Pattern: "/tasks/{task}/print", Allow: duban.CanRead, Action: "打印任务", Handler: s.printTask},
	}
}

// maxPrinted bounds a printed ledger: a year's plan several times over,
// few enough for a browser to lay out.
const maxPrinted = 2000

// printTask is a task as it prints: its owners and targets, its light, and
// its reports, latest first.
type printTask struct {
	Task    *duban.Task
	Light   *cycle.Light
	Reports []*cycle.Report
	// Periods name the reports' periods.
	Periods map[int64]string
}

// printPage is the ledger or a task, to print.
type printPage struct {
	web.Base
	Query web.LedgerQuery
	// Heading says what is printed: the plan, or the ledger's filter.
	Heading string
	Tasks   []printTask
	// Table prints the tasks as a table; otherwise each task whole, with
	// its reports, on a page of its own.
	Table bool
	// Units names the reports' units.
	Units map[int64]string
	// Truncated says more tasks matched than a printed ledger holds.
	Truncated bool
	// Back is the page the print was asked from.
	Back string
}

func (*printPage) TemplateName() string { return "print.html" }

// LightLabel is a light's word in the page's language.
func (p *printPage) LightLabel(s cycle.LightStatus) string {
	if p.Lang == "en" {
		return s.LabelEN()
	}
	return s.Label()
}

// printLedger prints the tasks the ledger's filter selects, every page of
// them: as a table, or with ?reports=1 each task with its latest report.
func (s *server) printLedger(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	lq, f, err := web.ParseLedgerQuery(r.URL.Query())
	if err != nil {
		return err
	}
	f.Offset, f.Limit = 0, maxPrinted
	p := &printPage{Query: lq, Table: r.URL.Query().Get("reports") != "1", Units: map[int64]string{}, Back: lq.URL()}
	p.Bare = true
	tr := web.Lang(r)
	p.Title, p.Heading = tr.T("台账"), tr.T("台账")
	tasks, total, err := s.svc.Tasks.FindTasks(ctx, f)
	if err != nil {
		return err
	}
	p.Truncated = total > len(tasks)
	if lq.Plan != 0 {
		pl, err := s.svc.Plans.FindPlanByID(ctx, lq.Plan)
		if err != nil {
			return err
		}
		p.Heading = pl.Title
	}
	if err := s.fillPrint(ctx, p, tasks, !p.Table); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// printTask prints a task with every report on it.
func (s *server) printTask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "task")
	if err != nil {
		return err
	}
	t, err := s.svc.Tasks.FindTaskByID(ctx, id)
	if err != nil {
		return err
	}
	pl, err := s.svc.Plans.FindPlanByID(ctx, t.PlanID)
	if err != nil {
		return err
	}
	p := &printPage{Heading: pl.Title, Units: map[int64]string{}, Back: "/tasks/" + strconv.FormatInt(t.ID, 10)}
	p.Bare = true
	p.Title = web.Lang(r).T("任务 %s", t.No)
	if err := s.fillPrint(ctx, p, []*duban.Task{t}, true); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// fillPrint reads the tasks' latest lights and, with reports, their
// reports: every one of a single task, the latest task report of each task
// of a list.
func (s *server) fillPrint(ctx context.Context, p *printPage, tasks []*duban.Task, reports bool) error {
	lights := map[int64]*cycle.Light{}
	var plans []int64
	for _, t := range tasks {
		if !slices.Contains(plans, t.PlanID) {
			plans = append(plans, t.PlanID)
		}
	}
	periods := map[int64]string{}
	for _, id := range plans {
		ls, _, err := s.svc.Lights.FindLights(ctx, cycle.LightFilter{PlanID: &id, Latest: true})
		if err != nil {
			return err
		}
		for _, l := range ls {
			lights[l.TaskID] = l
		}
		if reports {
			qs, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &id})
			if err != nil {
				return err
			}
			for _, q := range qs {
				periods[q.ID] = q.Label
			}
		}
	}
	byTask := map[int64][]*cycle.Report{}
	if reports {
		// A task alone prints every report on it; a list, each task's
		// report of its plan's latest begun period.
		var filters []cycle.ReportFilter
		if len(tasks) == 1 {
			filters = append(filters, cycle.ReportFilter{TaskID: &tasks[0].ID})
		} else {
			kind := cycle.ReportTask
			for _, id := range plans {
				q, err := s.latestPeriod(ctx, id)
				if duban.ErrorCode(err) == duban.ENOTFOUND {
					continue
				}
				if err != nil {
					return err
				}
				filters = append(filters, cycle.ReportFilter{PeriodID: &q.ID, Kind: &kind})
			}
		}
		for _, f := range filters {
			rs, _, err := s.svc.Reports.FindReports(ctx, f)
			if err != nil {
				return err
			}
			for _, r := range rs {
				byTask[r.TaskID] = append(byTask[r.TaskID], r)
				p.Units[r.UnitID] = ""
			}
		}
		for id := range p.Units {
			if u, err := s.svc.Units.FindUnitByID(ctx, id); err == nil {
				p.Units[id] = u.Name
			}
		}
	}
	for _, t := range tasks {
		pt := printTask{Task: t, Light: lights[t.ID], Periods: periods}
		rs := byTask[t.ID]
		slices.Reverse(rs) // latest period first
		pt.Reports = rs
		p.Tasks = append(p.Tasks, pt)
	}
	return nil
}
