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
	// Periods are all the plan's periods, in order, with their numbers,
	// labels, days and states.
	Periods []*Period `json:"periods"`
	// Period is the period the figures are of: the one asked for, or the
	// latest that has lights; nil when no period has begun.
	Period *Period `json:"period,omitempty"`
	// Lights are the tasks' lights in Period, by task. Their reasons are
	// read only for the lights that need attention, of the tasks
	// FiguresFilter.Reasons names when it does.
	Lights map[int64]*Light `json:"lights"`
	// Trend counts the lights of each period that has any, in order.
	Trend []PeriodCounts `json:"trend"`
	// Handed are the reports handed in for Period, read once its due date
	// has passed to tell what is overdue; nil before.
	Handed []HandedReport `json:"-"`
	// Supervisions are the plan's open supervision notices, newest first,
	// with their numbers, units, deadlines and states.
	Supervisions []*Supervision `json:"supervisions"`
}

// HandedReport is a report handed in: whose, on which task, of what kind.
type HandedReport struct {
	TaskID, UnitID int64
	Kind           ReportKind
}

// Overdue reports whether Period's reports are overdue on Today.
func (f *Figures) Overdue() bool { return f.Period != nil && f.Today.After(f.Period.Due) }

// FiguresFilter selects a plan's figures: of one of its periods, or of the
// latest that has lights when PeriodID is 0.
type FiguresFilter struct {
	PlanID   int64
	PeriodID int64
	// Reasons, when not nil, are the only tasks whose lights' reasons are
	// read: an overview shows only those of its leader's own tasks
	// (PlanIndex.LedBy). Nil reads them all.
	Reasons []int64
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
	return NewPlanIndex(p, tasks, groups).Overview(f, leaderID)
}

// PlanIndex is what a plan's overview counts its tasks by, prepared once
// for as long as the plan, its tasks and the groups stay as they are: each
// task in force with the rows it counts in (its action, its lead leaders,
// the units it reaches, named or through a group, each once) and the
// reports it asks for in a period. Building an overview from it is then a
// pass over the tasks' lights.
type PlanIndex struct {
	plan  *duban.Plan
	tasks []indexedTask
	// sections, leaders and units are the rows, with their places in
	// Overview's slices: the sections in the plan's order, the leaders
	// and units by name.
	sections, leaders, units []OverviewRow
	sectionAt                map[int]int
	// owed are the reports each period asks for, by task, unit and kind.
	owed []owedReport
	// targets counts the targets of the tasks in force.
	targets int
}

// indexedTask is a task in force and where it counts.
type indexedTask struct {
	task     *duban.Task
	section  int   // its row among the sections
	leaders  []int // its rows among the leaders
	units    []int // its rows among the units
	leadings int   // units[:leadings] lead it
}

// owedReport is a report a period asks for of a unit.
type owedReport struct {
	task, unit int64
	kind       ReportKind
	row        int // the unit's row
}

// NewPlanIndex prepares a plan's tasks (in plan order, with owners and
// targets) and the directory's groups for overviews.
func NewPlanIndex(p *duban.Plan, tasks []*duban.Task, groups Groups) *PlanIndex {
	ix := &PlanIndex{plan: p, sectionAt: map[int]int{}}
	for _, s := range p.Sections {
		ix.sectionAt[s.No] = len(ix.sections)
		ix.sections = append(ix.sections, OverviewRow{ID: int64(s.No), Name: s.Title})
	}
	leaderAt, unitAt := map[int64]int{}, map[int64]int{}
	row := func(rows *[]OverviewRow, at map[int64]int, id int64, name string) int {
		i, ok := at[id]
		if !ok {
			i = len(*rows)
			at[id] = i
			*rows = append(*rows, OverviewRow{ID: id, Name: name})
		}
		return i
	}
	for _, t := range tasks {
		if t.State != duban.TaskActive {
			continue
		}
		it := indexedTask{task: t}
		sec, ok := ix.sectionAt[t.Section]
		if !ok {
			sec = len(ix.sections)
			ix.sectionAt[t.Section] = sec
			ix.sections = append(ix.sections, OverviewRow{ID: int64(t.Section)})
		}
		it.section = sec
		for _, l := range t.LeadLeaders {
			if l.ID != 0 {
				it.leaders = append(it.leaders, row(&ix.leaders, leaderAt, l.ID, l.Name))
			}
		}
		var reach []int64
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
					r := row(&ix.units, unitAt, id, name)
					if ix.units[r].Name == "" {
						ix.units[r].Name = name
					}
					it.units = append(it.units, r)
					if k == 0 {
						it.leadings++
					}
				}
			}
		}
		ix.tasks = append(ix.tasks, it)
		ix.targets += len(t.Indicators)
		composer, parts := ReportingUnits(t, groups)
		if composer != 0 {
			ix.owed = append(ix.owed, owedReport{task: t.ID, unit: composer, kind: ReportTask, row: row(&ix.units, unitAt, composer, "")})
			for _, u := range parts {
				ix.owed = append(ix.owed, owedReport{task: t.ID, unit: u, kind: ReportPart, row: row(&ix.units, unitAt, u, "")})
			}
		}
	}
	// The leaders and units in the order an overview lists them, so that
	// it need not sort them.
	leaders, units := sortRows(ix.leaders), sortRows(ix.units)
	for i := range ix.tasks {
		it := &ix.tasks[i]
		for k, r := range it.leaders {
			it.leaders[k] = leaders[r]
		}
		for k, r := range it.units {
			it.units[k] = units[r]
		}
	}
	for i := range ix.owed {
		ix.owed[i].row = units[ix.owed[i].row]
	}
	return ix
}

// rowsByName orders rows by name, then by ID.
func rowsByName(a, b OverviewRow) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
}

// sortRows sorts rows by name and returns each row's new place by its
// old.
func sortRows(rows []OverviewRow) []int {
	order := make([]int, len(rows)) // the old places, in the new order
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return rowsByName(rows[a], rows[b]) })
	sorted := make([]OverviewRow, len(rows))
	moved := make([]int, len(rows))
	for k, i := range order {
		sorted[k], moved[i] = rows[i], k
	}
	copy(rows, sorted)
	return moved
}

// LedBy returns the tasks in force a leader leads, those an overview for
// that leader lists first (Overview.Mine); never nil, as a filter of the
// figures' reasons (FiguresFilter.Reasons).
func (ix *PlanIndex) LedBy(leaderID int64) []int64 {
	out := []int64{}
	for i := range ix.tasks {
		if ix.leads(&ix.tasks[i], leaderID) {
			out = append(out, ix.tasks[i].task.ID)
		}
	}
	return out
}

// leads reports whether a leader (not 0) leads a task.
func (ix *PlanIndex) leads(it *indexedTask, leaderID int64) bool {
	for _, r := range it.leaders {
		if leaderID != 0 && ix.leaders[r].ID == leaderID {
			return true
		}
	}
	return false
}

// Overview counts the plan's tasks by their lights in the figures, as
// BuildOverview says.
func (ix *PlanIndex) Overview(f *Figures, leaderID int64) *Overview {
	p := ix.plan
	o := &Overview{PlanID: p.ID, Today: f.Today, Period: f.Period, Trend: f.Trend, Supervisions: f.Supervisions,
		Sections: slices.Clone(ix.sections), Leaders: slices.Clone(ix.leaders), Units: slices.Clone(ix.units)}
	if ix.targets > 0 {
		o.Targets = make([]OverviewTarget, 0, ix.targets)
	}
	for _, pc := range f.Trend {
		o.Periods = append(o.Periods, pc.Period)
	}
	notStarted := Light{Status: LightNotStarted, Completion: -1}
	for i := range ix.tasks {
		it := &ix.tasks[i]
		t := it.task
		o.Tasks++
		light := &notStarted
		if l := f.Lights[t.ID]; l != nil {
			light = l
		}
		st := light.Status.Index()
		if st < 0 {
			continue
		}
		o.Totals[st]++
		o.Sections[it.section].Counts[st]++
		for _, r := range it.leaders {
			o.Leaders[r].Counts[st]++
		}
		mine := ix.leads(it, leaderID)
		for k, r := range it.units {
			o.Units[r].Counts[st]++
			if k < it.leadings {
				o.Units[r].Lead++
			}
		}
		if mine {
			l := *light
			l.TaskID = t.ID
			o.Mine = append(o.Mine, OverviewTask{Task: t, Light: l})
		}
		for k := range t.Indicators {
			in := &t.Indicators[k]
			// The figures without their words (Goal, Sentence): the
			// target's Indicator says them, and an overview draws them.
			tp := TargetProgress{Indicator: k, Metric: in.Metric}
			for _, a := range light.Reached {
				if a.Indicator == k && a.Value != nil {
					tp = progress(in, k, *a.Value)
				}
			}
			o.Targets = append(o.Targets, OverviewTarget{TaskID: t.ID, TaskNo: t.No, Section: t.Section, Indicator: *in, Progress: tp,
				Light: light.Status})
		}
	}
	// Rows that count nothing (a unit reached by no task in force, a
	// section without tasks) are left out but for the plan's sections.
	o.Units = slices.DeleteFunc(o.Units, func(r OverviewRow) bool { return r.Counts.Total() == 0 })
	slices.SortStableFunc(o.Mine, func(a, b OverviewTask) int {
		return cmp.Compare(a.Light.Status.Attention(), b.Light.Status.Attention())
	})
	if f.Overdue() {
		o.Overdue, o.OverdueReports = ix.overdue(f)
	}
	return o
}

// overdue lists the units owing reports of the figures' period, most
// first.
func (ix *PlanIndex) overdue(f *Figures) ([]OverdueUnit, int) {
	// A report's task, unit and kind in one number, sorted and searched.
	key := func(task, unit int64, kind ReportKind) uint64 {
		k := uint64(task)<<32 | uint64(unit)<<1
		if kind == ReportTask {
			k |= 1
		}
		return k
	}
	handed := make([]uint64, len(f.Handed))
	for i, r := range f.Handed {
		handed[i] = key(r.TaskID, r.UnitID, r.Kind)
	}
	slices.Sort(handed)
	// The reports owed, and how many of them each unit owes.
	owing := make([]bool, len(ix.owed))
	perRow := make([]int, len(ix.units))
	total, units := 0, 0
	for i, ow := range ix.owed {
		if _, found := slices.BinarySearch(handed, key(ow.task, ow.unit, ow.kind)); !found {
			owing[i] = true
			if perRow[ow.row] == 0 {
				units++
			}
			perRow[ow.row]++
			total++
		}
	}
	if total == 0 {
		return nil, 0
	}
	// Each unit's tasks are cut from one array, as long as its reports.
	out := make([]OverdueUnit, 0, units)
	at := make([]int, len(ix.units)) // a unit's place in out
	ids := make([]int64, total)
	for row, n := range perRow {
		if n > 0 {
			at[row] = len(out)
			out = append(out, OverdueUnit{UnitID: ix.units[row].ID, Name: ix.units[row].Name, TaskIDs: ids[:0:n]})
			ids = ids[n:]
		}
	}
	for i, ow := range ix.owed {
		if !owing[i] {
			continue
		}
		u := &out[at[ow.row]]
		u.Reports++
		if n := len(u.TaskIDs); n == 0 || u.TaskIDs[n-1] != ow.task {
			u.TaskIDs = append(u.TaskIDs, ow.task)
		}
	}
	// Most reports first, then by name and ID: the rows' order, which out
	// follows.
	slices.SortStableFunc(out, func(a, b OverdueUnit) int { return cmp.Compare(b.Reports, a.Reports) })
	return out, total
}
