package cycle

import (
	"cmp"
	"context"
	"slices"

	"github.com/dubanhq/duban"
)

// The overview (一屏统览): a plan's tasks counted by light as a whole, by
// action, by leader and by unit; every quantitative target against what it
// reached; the lights' trend across periods; what is overdue and the open
// supervision notices. The store reads what changes from day to day
// (Figures); BuildOverview joins it to the plan's tasks.

// LightCounts counts tasks by light, in the order of LightStatuses.
type LightCounts [7]int

// Index returns the light's place in LightStatuses, or -1.
func (s LightStatus) Index() int { return slices.Index(LightStatuses, s) }

// Add counts one task of light s.
func (c *LightCounts) Add(s LightStatus) {
	if i := s.Index(); i >= 0 {
		c[i]++
	}
}

// Of returns the count of light s.
func (c LightCounts) Of(s LightStatus) int {
	if i := s.Index(); i >= 0 {
		return c[i]
	}
	return 0
}

// Total is the count of every light.
func (c LightCounts) Total() int {
	n := 0
	for _, x := range c {
		n += x
	}
	return n
}

// Behind counts the tasks needing the office's attention: lagging,
// seriously lagging, or with a report overdue.
func (c LightCounts) Behind() int {
	return c.Of(LightLagging) + c.Of(LightSevere) + c.Of(LightMissing)
}

// Attention orders lights by how much they need the office's attention,
// the worst first: seriously lagging, overdue, lagging, not started, on
// track, done, closed.
func (s LightStatus) Attention() int {
	switch s {
	case LightSevere:
		return 0
	case LightMissing:
		return 1
	case LightLagging:
		return 2
	case LightNotStarted:
		return 3
	case LightNormal:
		return 4
	case LightDone:
		return 5
	case LightClosed:
		return 6
	}
	return 7
}

// NeedsAttention reports whether a light is one the office acts on.
func (s LightStatus) NeedsAttention() bool {
	return s == LightSevere || s == LightMissing || s == LightLagging
}

// PeriodCounts are the lights of one period counted.
type PeriodCounts struct {
	Period *Period     `json:"period"`
	Counts LightCounts `json:"counts"`
}

// Figures are what of a plan's cycle changes from day to day, read at once
// for its overview and public page: its periods, each task's light in one
// period, the lights of every period counted, and what is owed.
type Figures struct {
	PlanID int64      `json:"plan_id"`
	Today  duban.Date `json:"today"`
	// Periods are all the plan's periods, in order.
	Periods []*Period `json:"periods"`
	// Period is the period the figures are of: the one asked for, or the
	// latest that has lights; nil when no period has begun.
	Period *Period `json:"period,omitempty"`
	// Lights are the tasks' lights in Period, by task. Their reasons are
	// read only for the lights that need attention.
	Lights map[int64]*Light `json:"lights"`
	// Trend counts the lights of each period that has any, in order.
	Trend []PeriodCounts `json:"trend"`
	// Handed are the reports handed in for Period (task, unit, kind and
	// state only), read once its due date has passed to tell what is
	// overdue; nil before.
	Handed []*Report `json:"-"`
	// Supervisions are the plan's open supervision notices, newest first.
	Supervisions []*Supervision `json:"supervisions"`
}

// Overdue reports whether Period's reports are overdue on Today.
func (f *Figures) Overdue() bool { return f.Period != nil && f.Today.After(f.Period.Due) }

// FiguresFilter selects a plan's figures: of one of its periods, or of the
// latest that has lights when PeriodID is 0.
type FiguresFilter struct {
	PlanID   int64
	PeriodID int64
}

// OverviewService reads the figures of the overview and the public page.
type OverviewService interface {
	// FindFigures reads a plan's figures in one transaction.
	FindFigures(ctx context.Context, f FiguresFilter) (*Figures, error)
}

// Overview is a plan's overview in a period.
type Overview struct {
	PlanID int64      `json:"plan_id"`
	Today  duban.Date `json:"today"`
	// Period is the period the lights are of (nil when none has begun:
	// every task then counts as not started); Periods are those with
	// lights, to choose another.
	Period  *Period   `json:"period,omitempty"`
	Periods []*Period `json:"periods"`
	// Tasks counts the plan's tasks in force; Totals their lights.
	Tasks  int         `json:"tasks"`
	Totals LightCounts `json:"totals"`
	// Sections, Leaders and Units count the lights by action (ID the
	// section's number), by lead leader and by unit (a unit counts each
	// task it leads or shares once, the tasks of a group it belongs to
	// included), in the plan's order, by name and by name.
	Sections []OverviewRow `json:"sections"`
	Leaders  []OverviewRow `json:"leaders"`
	Units    []OverviewRow `json:"units"`
	// Targets are every quantitative target of the tasks in force, in plan
	// order, with what it reached by the period's light.
	Targets []OverviewTarget `json:"targets"`
	Trend   []PeriodCounts   `json:"trend"`
	// Overdue lists the units with reports of the period still owed after
	// its due date, most first; OverdueReports counts those reports.
	Overdue        []OverdueUnit `json:"overdue"`
	OverdueReports int           `json:"overdue_reports"`
	// Supervisions are the open supervision notices, newest first.
	Supervisions []*Supervision `json:"supervisions"`
	// Mine are the tasks the leader the overview was built for leads,
	// the worst lights first; empty for anyone else.
	Mine []OverviewTask `json:"mine,omitempty"`
}

// OverviewRow is one row of counts: an action, a leader or a unit.
type OverviewRow struct {
	ID     int64       `json:"id"`
	Name   string      `json:"name"`
	Counts LightCounts `json:"counts"`
	// Lead counts the tasks a unit leads among its tasks.
	Lead int `json:"lead,omitempty"`
}

// OverviewTarget is a target and what it reached.
type OverviewTarget struct {
	TaskID    int64           `json:"task_id"`
	TaskNo    string          `json:"task_no"`
	Section   int             `json:"section"`
	Indicator duban.Indicator `json:"indicator"`
	Progress  TargetProgress  `json:"progress"`
	// Light is the task's light in the period.
	Light LightStatus `json:"light"`
}

// OverdueUnit is a unit with reports overdue.
type OverdueUnit struct {
	UnitID  int64  `json:"unit_id"`
	Name    string `json:"name"`
	Reports int    `json:"reports"`
	// TaskIDs are the tasks whose reports it owes, in plan order.
	TaskIDs []int64 `json:"task_ids"`
}

// OverviewTask is a task with its light.
type OverviewTask struct {
	Task  *duban.Task `json:"task"`
	Light Light       `json:"light"`
}

// BuildOverview counts a plan's tasks (in plan order, with owners and
// targets) by their lights in the figures. A task without a light in the
// period (none has begun, or it came after) counts as not started.
// leaderID, when not 0, fills Mine with that leader's tasks.
func BuildOverview(p *duban.Plan, tasks []*duban.Task, groups Groups, f *Figures, leaderID int64) *Overview {
	o := &Overview{PlanID: p.ID, Today: f.Today, Period: f.Period, Trend: f.Trend, Supervisions: f.Supervisions}
	for _, pc := range f.Trend {
		o.Periods = append(o.Periods, pc.Period)
	}
	sections := map[int]*OverviewRow{}
	for _, s := range p.Sections {
		o.Sections = append(o.Sections, OverviewRow{ID: int64(s.No), Name: s.Title})
	}
	for i := range o.Sections {
		sections[int(o.Sections[i].ID)] = &o.Sections[i]
	}
	leaders, units := map[int64]*OverviewRow{}, map[int64]*OverviewRow{}
	row := func(m map[int64]*OverviewRow, id int64, name string) *OverviewRow {
		r := m[id]
		if r == nil {
			r = &OverviewRow{ID: id, Name: name}
			m[id] = r
		}
		return r
	}
	var reach []int64
	for _, t := range tasks {
		if t.State != duban.TaskActive {
			continue
		}
		o.Tasks++
		light := Light{TaskID: t.ID, Status: LightNotStarted, Completion: -1}
		if l := f.Lights[t.ID]; l != nil {
			light = *l
		}
		st := light.Status
		o.Totals.Add(st)
		sec := sections[t.Section]
		if sec == nil {
			o.Sections = append(o.Sections, OverviewRow{ID: int64(t.Section), Name: ""})
			sec = &o.Sections[len(o.Sections)-1]
			// Appending may move the rows: index them again.
			for i := range o.Sections {
				sections[int(o.Sections[i].ID)] = &o.Sections[i]
			}
		}
		sec.Counts.Add(st)
		lead := false
		for _, l := range t.LeadLeaders {
			if l.ID == 0 {
				continue
			}
			row(leaders, l.ID, l.Name).Counts.Add(st)
			lead = lead || l.ID == leaderID
		}
		if lead {
			o.Mine = append(o.Mine, OverviewTask{Task: t, Light: light})
		}
		reach = reach[:0]
		for k, list := range [][]duban.Owner{t.LeadUnits, t.ResponsibleUnits} {
			for _, u := range list {
				ids := []int64{u.ID}
				if duban.IsGroupOwner(u, groups) {
					ids = groups[u.ID]
				}
				for _, id := range ids {
					if id == 0 || slices.Contains(reach, id) {
						continue
					}
					reach = append(reach, id)
					name := ""
					if id == u.ID {
						name = u.Name
					}
					r := row(units, id, name)
					r.Counts.Add(st)
					if k == 0 {
						r.Lead++
					}
				}
			}
		}
		for i := range t.Indicators {
			in := &t.Indicators[i]
			tp := TargetProgress{Indicator: i, Metric: in.Metric, Goal: in.Goal()}
			for _, a := range light.Reached {
				if a.Indicator == i && a.Value != nil {
					tp = Progress(in, i, *a.Value)
				}
			}
			o.Targets = append(o.Targets, OverviewTarget{TaskID: t.ID, TaskNo: t.No, Section: t.Section, Indicator: *in, Progress: tp, Light: st})
		}
	}
	o.Leaders, o.Units = sortedRows(leaders), sortedRows(units)
	slices.SortStableFunc(o.Mine, func(a, b OverviewTask) int {
		return cmp.Compare(a.Light.Status.Attention(), b.Light.Status.Attention())
	})
	if f.Overdue() {
		o.Overdue, o.OverdueReports = overdueUnits(f.Period, tasks, f.Handed, groups, units)
	}
	return o
}

// sortedRows returns rows by name.
func sortedRows(m map[int64]*OverviewRow) []OverviewRow {
	out := make([]OverviewRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b OverviewRow) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID)) })
	return out
}

// overdueUnits lists the units owing reports of period p, most first.
func overdueUnits(p *Period, tasks []*duban.Task, handed []*Report, groups Groups, names map[int64]*OverviewRow) ([]OverdueUnit, int) {
	byUnit := map[int64]*OverdueUnit{}
	total := 0
	for _, ob := range Obligations(p, tasks, handed, groups) {
		if ob.Done() {
			continue
		}
		u := byUnit[ob.UnitID]
		if u == nil {
			u = &OverdueUnit{UnitID: ob.UnitID}
			if r := names[ob.UnitID]; r != nil {
				u.Name = r.Name
			}
			byUnit[ob.UnitID] = u
		}
		u.Reports++
		if !slices.Contains(u.TaskIDs, ob.TaskID) {
			u.TaskIDs = append(u.TaskIDs, ob.TaskID)
		}
		total++
	}
	out := make([]OverdueUnit, 0, len(byUnit))
	for _, u := range byUnit {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b OverdueUnit) int {
		return cmp.Or(cmp.Compare(b.Reports, a.Reports), cmp.Compare(a.Name, b.Name), cmp.Compare(a.UnitID, b.UnitID))
	})
	return out, total
}
