package page

import (
	"context"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// Status lights as pages show them: a word in the light's colour, never the
// colour alone, with its reason as text beside it (a title does not show on
// a phone); on lists of tasks, on the task's page with its history by
// period, and the cycle's part of a task's page.

// writeLight writes a light: the coloured word, its reason in the title
// and, with reason, as visible text too. No light writes nothing.
func writeLight(b *strings.Builder, tr web.Translator, l *cycle.Light, reason bool) {
	if l == nil {
		return
	}
	word, why := l.Status.Label(), l.Reason
	if tr.Lang() == "en" {
		word, why = l.Status.LabelEN(), l.ReasonEN
	}
	b.WriteString(`<span class="light light-`)
	b.WriteString(string(l.Status))
	b.WriteString(`" title="`)
	web.Escape(b, why)
	b.WriteString(`">`)
	web.Escape(b, word)
	b.WriteString("</span>")
	if reason {
		b.WriteString(`<small class="reason">`)
		web.Escape(b, why)
		b.WriteString("</small>")
	}
}

// LightHTML is writeLight's text for a template.
func LightHTML(tr web.Translator, l *cycle.Light, reason bool) template.HTML {
	var b strings.Builder
	writeLight(&b, tr, l, reason)
	return template.HTML(b.String())
}

// lightsOf returns the latest light of each of the tasks, by task.
func (s *Server) lightsOf(ctx context.Context, tasks []*duban.Task) (map[int64]*cycle.Light, error) {
	out := make(map[int64]*cycle.Light, len(tasks))
	if len(tasks) == 0 {
		return out, nil
	}
	ids := make([]int64, len(tasks))
	for i, t := range tasks {
		ids[i] = t.ID
	}
	ls, _, err := s.svc.Lights.FindLights(ctx, cycle.LightFilter{TaskIDs: ids, Latest: true, Brief: true})
	if err != nil {
		return nil, err
	}
	for _, l := range ls {
		out[l.TaskID] = l
	}
	return out, nil
}

// relightOf returns the lights of a page's tasks (lightsOf) with those of
// the tasks moved that are on it read again; lights is not changed.
func (s *Server) relightOf(ctx context.Context, lights map[int64]*cycle.Light, tasks []*duban.Task, moved []int64) (map[int64]*cycle.Light, error) {
	var again []*duban.Task
	for _, t := range tasks {
		if _, ok := slices.BinarySearch(moved, t.ID); ok {
			again = append(again, t)
		}
	}
	if len(again) == 0 {
		return lights, nil
	}
	fresh, err := s.lightsOf(ctx, again)
	if err != nil {
		return nil, err
	}
	out := maps.Clone(lights)
	for _, t := range again {
		if l, ok := fresh[t.ID]; ok {
			out[t.ID] = l
		} else {
			delete(out, t.ID)
		}
	}
	return out, nil
}

// taskCycle is the cycle's part of a task's page: its light and the light's
// history by period, the reports on it, the requests to close it, and what
// the user may do about them.
type taskCycle struct {
	FileLinks
	Light   *cycle.Light
	History []*periodLight
	Reports []*taskReport
	// Closures are the requests to close the task, newest first.
	Closures []*cycle.Closure
	// ReportURL is the user's form for the open period, when the user
	// reports on the task, or the report when it is handed in; ReportLabel
	// says which.
	ReportURL   string
	ReportLabel string
	// CanRequestClosure shows the form asking to close the task;
	// CanDecide the office's decision on a request.
	CanRequestClosure bool
	CanDecide         bool
	MaxSize           string
	MaxFiles          int
	tr                web.Translator
}

// periodLight is a task's light in one period.
type periodLight struct {
	Period string
	Light  *cycle.Light
}

// taskReport is a report on the task, with its unit and period named.
type taskReport struct {
	Report *cycle.Report
	Unit   string
	Period string
}

// Word writes a light as its coloured word with the reason.
func (c *taskCycle) Word(l *cycle.Light) template.HTML { return LightHTML(c.tr, l, true) }

// T translates, so that the cycle's template can be shared.
func (c *taskCycle) T(msg string, args ...any) string { return c.tr.T(msg, args...) }

// findTaskCycle reads a task's part of the cycle, for a published plan's
// task; a draft's has none.
func (s *Server) findTaskCycle(r *http.Request, t *duban.Task, plan *duban.Plan) (*taskCycle, error) {
	if plan.State == duban.PlanDraft {
		return nil, nil
	}
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	c := &taskCycle{tr: web.Lang(r), MaxSize: s.EvidenceLimit(), MaxFiles: web.MaxEvidenceFiles}
	groups, err := s.Groups(ctx)
	if err != nil {
		return nil, err
	}
	periods, _, err := s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &plan.ID})
	if err != nil {
		return nil, err
	}
	label := map[int64]string{}
	var current *cycle.Period // the latest open period
	for _, q := range periods {
		label[q.ID] = q.Label
		if q.State == cycle.PeriodOpen {
			current = q
		}
	}
	lights, _, err := s.svc.Lights.FindLights(ctx, cycle.LightFilter{TaskID: &t.ID})
	if err != nil {
		return nil, err
	}
	for _, l := range lights {
		c.History = append(c.History, &periodLight{Period: label[l.PeriodID], Light: l})
		c.Light = l
	}
	slices.Reverse(c.History) // the latest first
	if cycle.CanViewReports(u, t, groups) {
		reports, _, err := s.svc.Reports.FindReports(ctx, cycle.ReportFilter{TaskID: &t.ID})
		if err != nil {
			return nil, err
		}
		ids := make([]int64, len(reports))
		for i, rep := range reports {
			ids[i] = rep.UnitID
		}
		names, err := s.UnitNames(ctx, ids...)
		if err != nil {
			return nil, err
		}
		for _, rep := range reports {
			c.Reports = append(c.Reports, &taskReport{Report: rep, Unit: names[rep.UnitID], Period: label[rep.PeriodID]})
		}
		slices.Reverse(c.Reports) // the latest period first
		if c.Closures, _, err = s.svc.Reports.FindClosures(ctx, cycle.ClosureFilter{TaskID: &t.ID}); err != nil {
			return nil, err
		}
	}
	reaches := duban.IsOffice(u) || cycle.OwesReports(u) && t.Reaches(u.UnitID, groups)
	if current != nil && t.State == duban.TaskActive && plan.State == duban.PlanPublished && reaches {
		c.ReportURL, c.ReportLabel = "/tasks/"+strconv.FormatInt(t.ID, 10)+"/report", "填报本期进展"
		// A report of the user's unit handed in and not to be changed is
		// looked at rather than filled in.
		unit, kind := cycle.WriterOf(u, t, 0, groups)
		for _, tr := range c.Reports {
			rep := tr.Report
			if rep.PeriodID != current.ID || rep.UnitID != unit || rep.Kind != kind {
				continue
			}
			switch {
			case rep.State == cycle.ReportDraft || rep.State == cycle.ReportReturned || rep.Kind == cycle.ReportPart && rep.State == cycle.ReportSubmitted:
				c.ReportLabel = "修改本期报告"
			default:
				c.ReportURL, c.ReportLabel = ReportPath(rep.ID), "查看本期报告"
			}
		}
	}
	standing := slices.ContainsFunc(c.Closures, func(x *cycle.Closure) bool {
		return x.State == cycle.ClosureRequested || x.State == cycle.ClosureClosed
	})
	c.CanRequestClosure = !standing && t.State == duban.TaskActive && plan.State == duban.PlanPublished && cycle.CanRequestClosure(u, t, groups)
	c.CanDecide = cycle.CanCloseTask(u) && plan.State == duban.PlanPublished && slices.ContainsFunc(c.Closures, func(x *cycle.Closure) bool {
		return x.State == cycle.ClosureRequested
	})
	return c, nil
}
