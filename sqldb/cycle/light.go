package cycle

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// LightService keeps each period's status lights.
type LightService struct{ base }

// NewLightService returns the lights of db.
func NewLightService(db *sqldb.DB) *LightService { return &LightService{base{db: db}} }

var _ duban.LightService = (*LightService)(nil)

// RecomputeLights computes again a plan's lights as of today, keeps those
// that changed and returns how many did. The server runs it daily, since
// lights move as days pass (a report becomes overdue) with no change made.
func (s *LightService) RecomputeLights(ctx context.Context, planID int64) (int, error) {
	if _, err := duban.Authorize(ctx, "重新计算状态灯", duban.CanManagePeriods); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if n, err = recomputePlan(tx, planID); err != nil || n == 0 {
			return err
		}
		return tx.Record("plan.lights", "plan", planID, planID, fmt.Sprintf("重新计算状态灯：%d 项变化", n), nil, nil)
	})
	return n, err
}

// recomputePlan computes a plan's lights and keeps those that changed.
func recomputePlan(tx *Tx, planID int64) (int, error) { return recompute(tx, planID, 0) }

// lightData is what a plan's lights are computed from, loaded in a few
// queries.
type lightData struct {
	plan     *duban.Plan
	settings *duban.CycleSettings
	periods  []*duban.Period // open or closed, begun
	tasks    []*duban.Task   // active, with targets and deadline
	reports  map[int64][]*duban.Report
	closed   map[int64]duban.Date
	kept     map[[2]int64]duban.Light
}

// recompute computes the lights of a plan's tasks (only task taskID when
// not 0) in its begun periods, and writes those that differ from the kept.
func recompute(tx *Tx, planID, taskID int64) (int, error) {
	d, err := loadLightData(tx, planID, taskID)
	if err != nil || len(d.periods) == 0 {
		return 0, err
	}
	today := duban.Today(tx.Now())
	var changed []duban.Light
	for _, p := range d.periods {
		for _, t := range d.tasks {
			l := duban.TaskLight(t, t.Due(), d.settings, d.plan.Year, p, d.periods, d.reports[t.ID], d.closed[t.ID], today)
			if old, ok := d.kept[[2]int64{p.ID, t.ID}]; ok && sameLight(old, l) {
				continue
			}
			l.ComputedAt = tx.Now()
			changed = append(changed, l)
		}
	}
	return len(changed), writeLights(tx, changed)
}

func sameLight(a, b duban.Light) bool {
	return a.Status == b.Status && a.Reason == b.Reason && a.ReasonEN == b.ReasonEN && a.Completion == b.Completion &&
		a.Expected == b.Expected && a.AsOf == b.AsOf
}

func loadLightData(tx *Tx, planID, taskID int64) (*lightData, error) {
	d := &lightData{reports: map[int64][]*duban.Report{}, closed: map[int64]duban.Date{}, kept: map[[2]int64]duban.Light{}}
	var err error
	if d.plan, err = tx.FindPlan(planID); err != nil {
		return nil, err
	}
	if d.settings, err = loadSettings(tx, d.plan, nil); err != nil {
		return nil, err
	}
	today := duban.Today(tx.Now())
	periods, _, err := findPeriods(tx, duban.PeriodFilter{PlanID: &planID})
	if err != nil {
		return nil, err
	}
	for _, p := range periods {
		if p.State != duban.PeriodPending && !p.Start.After(today) {
			d.periods = append(d.periods, p)
		}
	}
	if len(d.periods) == 0 {
		return d, nil
	}
	only, args := "", []any{planID}
	if taskID != 0 {
		only, args = " AND task_id = ?", append(args, taskID)
	}
	if d.tasks, err = loadLightTasks(tx, planID, taskID); err != nil {
		return nil, err
	}
	rows, err := tx.Query("SELECT id, period_id, task_id, state, completion, actuals FROM reports WHERE plan_id = ? AND kind = 'task'"+only, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r := &duban.Report{PlanID: planID, Kind: duban.ReportTask}
		var actuals string
		if err := rows.Scan(&r.ID, &r.PeriodID, &r.TaskID, &r.State, &r.Completion, &actuals); err != nil {
			rows.Close()
			return nil, err
		}
		if err := fromJSON(actuals, &r.Actuals); err != nil {
			rows.Close()
			return nil, err
		}
		d.reports[r.TaskID] = append(d.reports[r.TaskID], r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if rows, err = tx.Query("SELECT task_id, decided_at FROM closures WHERE plan_id = ? AND state = 'closed'"+only, args...); err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, sqldb.TimeCol(&at)); err != nil {
			rows.Close()
			return nil, err
		}
		d.closed[id] = duban.Today(at)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if rows, err = tx.Query("SELECT period_id, task_id, status, reason, reason_en, completion, expected, as_of FROM lights WHERE plan_id = ?"+only, args...); err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l duban.Light
		if err := rows.Scan(&l.PeriodID, &l.TaskID, &l.Status, &l.Reason, &l.ReasonEN, &l.Completion, &l.Expected, sqldb.DateCol(&l.AsOf)); err != nil {
			return nil, err
		}
		d.kept[[2]int64{l.PeriodID, l.TaskID}] = l
	}
	return d, rows.Err()
}

// loadLightTasks reads what the lights need of a plan's active tasks (only
// task taskID when not 0): the deadline as kept and the targets, in two
// queries, without the owners a list shows.
func loadLightTasks(tx *Tx, planID, taskID int64) ([]*duban.Task, error) {
	only, args := "", []any{planID}
	if taskID != 0 {
		only, args = " AND t.id = ?", append(args, taskID)
	}
	rows, err := tx.Query(`SELECT t.id, t.section, t.area, t.seq, t.deadline, t.deadline_date, t.deadline_kind, t.deadline_steps
		FROM tasks t WHERE t.plan_id = ? AND t.state = 'active'`+only+" ORDER BY t.id", args...)
	if err != nil {
		return nil, err
	}
	var tasks []*duban.Task
	byID := map[int64]*duban.Task{}
	for rows.Next() {
		t := &duban.Task{PlanID: planID, State: duban.TaskActive}
		var steps string
		if err := rows.Scan(&t.ID, &t.Section, &t.Area, &t.Seq, &t.Deadline, sqldb.DateCol(&t.DeadlineDate), &t.DeadlineKind, &steps); err != nil {
			rows.Close()
			return nil, err
		}
		if err := fromJSON(steps, &t.Milestones); err != nil {
			rows.Close()
			return nil, err
		}
		t.No = duban.TaskNo(t.Section, t.Area, t.Seq)
		tasks = append(tasks, t)
		byID[t.ID] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(`SELECT i.task_id, i.text, i.metric, i.value, i.unit, i.cmp, i.upper FROM task_indicators i
		JOIN tasks t ON t.id = i.task_id WHERE t.plan_id = ? AND t.state = 'active'`+only+" ORDER BY i.task_id, i.pos", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var in duban.Indicator
		var upper sql.NullFloat64
		if err := rows.Scan(&id, &in.Text, &in.Metric, &in.Value, &in.Unit, &in.Cmp, &upper); err != nil {
			return nil, err
		}
		if upper.Valid {
			in.Upper = &upper.Float64
		}
		if t := byID[id]; t != nil {
			t.Indicators = append(t.Indicators, in)
		}
	}
	return tasks, rows.Err()
}

// writeLights keeps lights, a hundred rows a statement.
func writeLights(tx *Tx, lights []duban.Light) error {
	const chunk = 100
	for start := 0; start < len(lights); start += chunk {
		part := lights[start:min(start+chunk, len(lights))]
		rows := make([]string, len(part))
		args := make([]any, 0, len(part)*10)
		for i, l := range part {
			rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			args = append(args, l.PeriodID, l.TaskID, l.PlanID, string(l.Status), l.Reason, l.ReasonEN, l.Completion, l.Expected,
				l.AsOf.String(), tx.Time(l.ComputedAt))
		}
		if _, err := tx.Exec(`INSERT INTO lights (period_id, task_id, plan_id, status, reason, reason_en, completion, expected, as_of, computed_at)
			VALUES `+strings.Join(rows, ", ")+` ON CONFLICT (period_id, task_id) DO UPDATE SET status = excluded.status,
			reason = excluded.reason, reason_en = excluded.reason_en, completion = excluded.completion, expected = excluded.expected,
			as_of = excluded.as_of, computed_at = excluded.computed_at`, args...); err != nil {
			return err
		}
	}
	return nil
}

// FindLights returns kept lights, in plan, period and task order. Latest
// keeps, of each plan, the lights of its latest period that has any.
func (s *LightService) FindLights(ctx context.Context, f duban.LightFilter) ([]*duban.Light, int, error) {
	if _, err := duban.Authorize(ctx, "查看状态灯", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var c condition
	if f.PlanID != nil {
		c.add("l.plan_id = ?", *f.PlanID)
	}
	if f.PeriodID != nil {
		c.add("l.period_id = ?", *f.PeriodID)
	}
	if f.TaskID != nil {
		c.add("l.task_id = ?", *f.TaskID)
	}
	if f.Status != nil {
		c.add("l.status = ?", string(*f.Status))
	}
	if f.Latest {
		c.add(`q.seq = (SELECT max(q2.seq) FROM periods q2 WHERE q2.plan_id = l.plan_id
			AND EXISTS (SELECT 1 FROM lights l2 WHERE l2.period_id = q2.id))`)
	}
	var out []*duban.Light
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		draftsHidden(tx, &c)
		from := " FROM lights l JOIN periods q ON q.id = l.period_id JOIN plans p ON p.id = l.plan_id" + c.where()
		var err error
		if total, err = tx.Count("SELECT count(*)"+from, c.args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		rows, err := tx.Query(`SELECT l.plan_id, l.period_id, l.task_id, l.status, l.reason, l.reason_en, l.completion, l.expected,
			l.as_of, l.computed_at`+from+" ORDER BY l.plan_id, q.seq, l.task_id"+page, append(c.args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l duban.Light
			if err := rows.Scan(&l.PlanID, &l.PeriodID, &l.TaskID, &l.Status, &l.Reason, &l.ReasonEN, &l.Completion, &l.Expected,
				sqldb.DateCol(&l.AsOf), sqldb.TimeCol(&l.ComputedAt)); err != nil {
				return err
			}
			out = append(out, &l)
		}
		return rows.Err()
	})
	return out, total, err
}
