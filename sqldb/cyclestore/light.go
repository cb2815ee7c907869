package cyclestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// LightService keeps each period's status lights.
type LightService struct{ base }

// NewLightService returns the lights of db.
func NewLightService(db *sqldb.DB) *LightService { return &LightService{base{db: db}} }

var _ cycle.LightService = (*LightService)(nil)

// RecomputeLights computes again the lights of a plan's open periods as of
// today, keeps those that changed and returns how many did. The server runs
// it daily, since lights move as days pass (a report becomes overdue) with
// no change made. A closed period's lights are as of its end and change
// only with a change of its own (a report, a reopening, new thresholds),
// which recomputes them in its transaction.
func (s *LightService) RecomputeLights(ctx context.Context, planID int64) (int, error) {
	if _, err := duban.Authorize(ctx, "重新计算状态灯", cycle.CanManagePeriods); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if n, err = recompute(tx, planID, 0, true); err != nil || n == 0 {
			return err
		}
		return tx.Record("plan.lights", "plan", planID, planID, fmt.Sprintf("重新计算状态灯：%d 项变化", n), nil, nil)
	})
	return n, err
}

// recomputePlan computes the lights of a plan's begun periods and keeps
// those that changed.
func recomputePlan(tx *Tx, planID int64) (int, error) { return recompute(tx, planID, 0, false) }

// lightData is what a plan's lights are computed from, loaded in a few
// queries.
type lightData struct {
	year     int
	settings *cycle.CycleSettings
	periods  []*cycle.Period // open or closed, begun
	tasks    []*duban.Task   // active, with targets and deadline
	reports  map[int64][]*cycle.Report
	closed   map[int64]duban.Date
	kept     map[[2]int64]int64 // the digest of each kept light, by period and task
}

// recompute computes the lights of a plan's tasks (only task taskID when
// not 0) in its begun periods (its open ones only, with openOnly), and
// writes those that differ from the kept.
func recompute(tx *Tx, planID, taskID int64, openOnly bool) (int, error) {
	d, err := loadLightData(tx, planID, taskID, openOnly)
	if err != nil || len(d.periods) == 0 {
		return 0, err
	}
	pl := cycle.NewPlanLights(d.year, d.settings, d.periods, duban.Today(tx.Now()))
	var changed []cycle.Light
	for _, p := range d.periods {
		if openOnly && p.State != cycle.PeriodOpen {
			continue
		}
		for _, t := range d.tasks {
			l := pl.Light(t, p, d.reports[t.ID], d.closed[t.ID])
			if kept, ok := d.kept[[2]int64{p.ID, t.ID}]; ok && kept == l.Digest() {
				continue
			}
			l.ComputedAt = tx.Now()
			changed = append(changed, l)
		}
	}
	return len(changed), writeLights(tx, changed)
}

func loadLightData(tx *Tx, planID, taskID int64, openOnly bool) (*lightData, error) {
	d := &lightData{reports: map[int64][]*cycle.Report{}, closed: map[int64]duban.Date{}, kept: map[[2]int64]int64{}}
	p := &duban.Plan{ID: planID}
	if err := tx.QueryRow("SELECT year FROM plans WHERE id = ?", planID).Scan(&p.Year); err != nil {
		if isNoRows(err) {
			return nil, sqldb.NotFound("计划", planID)
		}
		return nil, err
	}
	d.year = p.Year
	var err error
	if d.settings, err = loadSettings(tx, p, nil); err != nil {
		return nil, err
	}
	today := duban.Today(tx.Now())
	periods, _, err := findPeriods(tx, cycle.PeriodFilter{PlanID: &planID})
	if err != nil {
		return nil, err
	}
	for _, q := range periods {
		if q.State != cycle.PeriodPending && !q.Start.After(today) {
			d.periods = append(d.periods, q)
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
	rows, err := tx.Query("SELECT period_id, task_id, state, completion, actual_values FROM reports WHERE plan_id = ? AND kind = 'task'"+only, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r := &cycle.Report{PlanID: planID, Kind: cycle.ReportTask}
		var values string
		if err := rows.Scan(&r.PeriodID, &r.TaskID, &r.State, &r.Completion, &values); err != nil {
			rows.Close()
			return nil, err
		}
		if r.Actuals, err = readActualValues(values); err != nil {
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
	// The kept lights' digests, a period at a time along the table's key.
	for _, q := range d.periods {
		if openOnly && q.State != cycle.PeriodOpen {
			continue
		}
		if err := loadKept(tx, d, q.ID, taskID); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func loadKept(tx *Tx, d *lightData, periodID, taskID int64) error {
	only, args := "", []any{periodID}
	if taskID != 0 {
		only, args = " AND task_id = ?", append(args, taskID)
	}
	rows, err := tx.Query("SELECT task_id, digest FROM lights WHERE period_id = ?"+only, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var task, digest int64
		if err := rows.Scan(&task, &digest); err != nil {
			return err
		}
		d.kept[[2]int64{periodID, task}] = digest
	}
	return rows.Err()
}

// loadLightTasks reads what the lights need of a plan's active tasks (only
// task taskID when not 0): the deadline as kept and the targets, in one
// query, without the owners a list shows.
func loadLightTasks(tx *Tx, planID, taskID int64) ([]*duban.Task, error) {
	only, args := "", []any{planID}
	if taskID != 0 {
		only, args = " AND t.id = ?", append(args, taskID)
	}
	rows, err := tx.Query(`SELECT t.id, t.deadline, t.deadline_date, t.deadline_kind, t.deadline_steps,
		i.metric, i.value, i.unit, i.cmp, i.upper
		FROM tasks t LEFT JOIN task_indicators i ON i.task_id = t.id
		WHERE t.plan_id = ? AND t.state = 'active'`+only+" ORDER BY t.id, i.pos", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tasks []*duban.Task
	var t *duban.Task
	for rows.Next() {
		var id int64
		var deadline, kind, steps string
		var date duban.Date
		var metric, unit, cmp sql.NullString
		var value, upper sql.NullFloat64
		if err := rows.Scan(&id, &deadline, sqldb.DateCol(&date), &kind, &steps, &metric, &value, &unit, &cmp, &upper); err != nil {
			return nil, err
		}
		if t == nil || t.ID != id {
			t = &duban.Task{ID: id, PlanID: planID, State: duban.TaskActive, Deadline: deadline, DeadlineDate: date,
				DeadlineKind: duban.DeadlineKind(kind)}
			if err := fromJSON(steps, &t.Milestones); err != nil {
				return nil, err
			}
			tasks = append(tasks, t)
		}
		if metric.Valid {
			in := duban.Indicator{Metric: metric.String, Value: value.Float64, Unit: unit.String, Cmp: duban.Comparison(cmp.String)}
			if upper.Valid {
				in.Upper = &upper.Float64
			}
			t.Indicators = append(t.Indicators, in)
		}
	}
	return tasks, rows.Err()
}

// lightChunk is how many lights one statement writes.
const lightChunk = 100

// writeLights keeps lights: on PostgreSQL in one statement over arrays, on
// SQLite a hundred rows a statement prepared once.
func writeLights(tx *Tx, lights []cycle.Light) error {
	if len(lights) == 0 {
		return nil
	}
	if tx.Postgres() {
		return writeLightsArrays(tx, lights)
	}
	var full *sql.Stmt
	for start := 0; start < len(lights); start += lightChunk {
		part := lights[start:min(start+lightChunk, len(lights))]
		rows := make([]string, len(part))
		args := make([]any, 0, len(part)*12)
		for i, l := range part {
			rows[i] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			args = append(args, l.PeriodID, l.TaskID, l.PlanID, string(l.Status), l.Reason, l.ReasonEN, l.Completion, l.Expected,
				l.AsOf.String(), cycle.ReachedText(l.Reached), tx.Time(l.ComputedAt), l.Digest())
		}
		q := `INSERT INTO lights (period_id, task_id, plan_id, status, reason, reason_en, completion, expected, as_of, reached, computed_at, digest)
			VALUES ` + strings.Join(rows, ", ") + ` ON CONFLICT (period_id, task_id) DO UPDATE SET status = excluded.status,
			reason = excluded.reason, reason_en = excluded.reason_en, completion = excluded.completion, expected = excluded.expected,
			as_of = excluded.as_of, reached = excluded.reached, computed_at = excluded.computed_at, digest = excluded.digest`
		if len(part) < lightChunk {
			if _, err := tx.Exec(q, args...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			var err error
			if full, err = tx.Prepare(q); err != nil {
				return err
			}
			defer full.Close()
		}
		if _, err := full.Exec(args...); err != nil {
			return tx.QueryError("INSERT INTO lights", err)
		}
	}
	return nil
}

// writeLightsArrays keeps lights on PostgreSQL in one statement, each
// column an array.
func writeLightsArrays(tx *Tx, lights []cycle.Light) error {
	n := len(lights)
	periods, tasks, plans := make([]int64, n), make([]int64, n), make([]int64, n)
	statuses, reasons, reasonsEN, asOf := make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	completions, expected := make([]int64, n), make([]int64, n)
	reached, digests := make([]string, n), make([]int64, n)
	for i, l := range lights {
		periods[i], tasks[i], plans[i] = l.PeriodID, l.TaskID, l.PlanID
		statuses[i], reasons[i], reasonsEN[i], asOf[i] = string(l.Status), l.Reason, l.ReasonEN, l.AsOf.String()
		completions[i], expected[i], digests[i] = int64(l.Completion), int64(l.Expected), l.Digest()
		reached[i] = cycle.ReachedText(l.Reached)
	}
	_, err := tx.Exec(`INSERT INTO lights (period_id, task_id, plan_id, status, reason, reason_en, completion, expected, as_of, reached, computed_at, digest)
		SELECT p, t, pl, s, r, re, c, e, a, rv, ?, d FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],
			?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[]) AS x(p, t, pl, s, r, re, c, e, a, rv, d)
		ON CONFLICT (period_id, task_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
		reason_en = excluded.reason_en, completion = excluded.completion, expected = excluded.expected,
		as_of = excluded.as_of, reached = excluded.reached, computed_at = excluded.computed_at, digest = excluded.digest`,
		tx.Time(lights[0].ComputedAt), periods, tasks, plans, statuses, reasons, reasonsEN, completions, expected, asOf, reached, digests)
	return err
}

// FindLights returns kept lights, in plan, period and task order. Latest
// keeps, of each plan, the lights of its latest period that has any.
func (s *LightService) FindLights(ctx context.Context, f cycle.LightFilter) ([]*cycle.Light, int, error) {
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
	if f.TaskIDs != nil {
		if len(f.TaskIDs) == 0 {
			return nil, 0, nil
		}
		in, args := inIDs(f.TaskIDs)
		c.add("l.task_id IN "+in, args...)
	}
	if f.Status != nil {
		c.add("l.status = ?", string(*f.Status))
	}
	if f.Latest {
		c.add(`q.seq = (SELECT max(q2.seq) FROM periods q2 WHERE q2.plan_id = l.plan_id
			AND EXISTS (SELECT 1 FROM lights l2 WHERE l2.period_id = q2.id))`)
	}
	var out []*cycle.Light
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
			l.as_of, l.reached, l.computed_at`+from+" ORDER BY l.plan_id, q.seq, l.task_id"+page, append(c.args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l cycle.Light
			var reached string
			if err := rows.Scan(&l.PlanID, &l.PeriodID, &l.TaskID, &l.Status, &l.Reason, &l.ReasonEN, &l.Completion, &l.Expected,
				sqldb.DateCol(&l.AsOf), &reached, sqldb.TimeCol(&l.ComputedAt)); err != nil {
				return err
			}
			if l.Reached, err = cycle.ParseReached(reached); err != nil {
				return err
			}
			out = append(out, &l)
		}
		return rows.Err()
	})
	return out, total, err
}
