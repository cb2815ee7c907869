package cyclestore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// LightService keeps each period's status lights.
type LightService struct {
	base
	tasks *taskCache
}

// NewLightService returns the lights of db.
func NewLightService(db *sqldb.DB) *LightService {
	return &LightService{base: base{db: db}, tasks: &taskCache{plans: map[int64]cachedTasks{}}}
}

// taskCache keeps what the lights need of each plan's tasks, as
// loadLightTasks read them, with the version of the plan's tasks then
// (task_versions, which triggers move on every change to them): the tasks
// of a plan whose version has not moved are not read again. Each server
// keeps its own, and the version, read from the database in each
// recomputation's transaction, tells it what another server changed. The
// tasks kept are only read.
type taskCache struct {
	mu    sync.Mutex
	plans map[int64]cachedTasks
}

type cachedTasks struct {
	version int64
	tasks   []*duban.Task
}

// maxCachedPlans bounds the plans a taskCache keeps; past it, it starts
// again empty.
const maxCachedPlans = 1000

// get returns plan's tasks if kept at version.
func (c *taskCache) get(plan, version int64) ([]*duban.Task, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.plans[plan]; ok && e.version == version {
		return e.tasks, true
	}
	return nil, false
}

// put keeps the tasks of plans read at their version.
func (c *taskCache) put(plans map[int64]*lightPlan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.plans)+len(plans) > maxCachedPlans {
		clear(c.plans)
	}
	for _, lp := range plans {
		c.plans[lp.id] = cachedTasks{lp.version, lp.tasks}
	}
}

var _ cycle.LightService = (*LightService)(nil)

// RecomputeLights computes again the lights of a plan's open periods as of
// today (of every published plan's when planID is 0, in one transaction),
// keeps those that changed and the periods' day, and returns how many
// lights changed. The server runs it daily, since lights move as days pass
// (a report becomes overdue) with no change made; the day, kept once per
// period, moves every reason's without rewriting it. A closed period's
// lights are as of its end (or the day it closed) and change only with a
// change of its own (a reopening, new thresholds), which recomputes them
// in its transaction.
func (s *LightService) RecomputeLights(ctx context.Context, planID int64) (int, error) {
	if _, err := duban.Authorize(ctx, "重新计算状态灯", cycle.CanManagePeriods); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Update(ctx, func(tx *Tx) error {
		sc := lightScope{openOnly: true, cache: s.tasks}
		if planID != 0 {
			sc.plans = []int64{planID}
		} else {
			// Every plan's reports are many: they are read beside the
			// tasks, the transaction having written nothing yet.
			sc.beside = func(read func(tx *Tx) error) error { return s.db.View(ctx, read) }
		}
		changed, err := recomputeScope(tx, sc)
		if err != nil {
			return err
		}
		for _, c := range changed {
			n += c.n
			what := fmt.Sprintf("重新计算状态灯：%d 项变化", c.n)
			if c.n == 0 {
				what = "重新计算状态灯：无变化，日期更新"
			}
			if err := tx.Record("plan.lights", "plan", c.plan, c.plan, what, nil, nil); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// recomputePlan computes the lights of a plan's begun periods and keeps
// those that changed.
func recomputePlan(tx *Tx, planID int64) (int, error) { return recompute(tx, planID, 0, false) }

// recompute computes the lights of a plan's tasks (only task taskID when
// not 0) in its begun periods (its open ones only, with openOnly), and
// writes those that differ from the kept.
func recompute(tx *Tx, planID, taskID int64, openOnly bool) (int, error) {
	changed, err := recomputeScope(tx, lightScope{plans: []int64{planID}, task: taskID, openOnly: openOnly})
	n := 0
	for _, c := range changed {
		n += c.n
	}
	return n, err
}

// lightScope is which lights a recomputation computes: those of some plans
// (every published plan's when nil), of one task only when task is not 0,
// in the plans' begun periods (their open ones only, with openOnly).
type lightScope struct {
	plans    []int64
	task     int64
	openOnly bool
	// beside, when not nil, runs reads in a read-only transaction of
	// their own, beside the recomputation's: they see what this saw
	// before it wrote, so only what it does not write (tasks, reports),
	// or what it wrote over (kept lights), is read there. No write commits
	// meanwhile: the others wait for this one (SQLite's one writer,
	// PostgreSQL's lock on the audit chain's head); the delivery queue,
	// which does not, writes no report, task or light.
	beside func(read func(tx *Tx) error) error
	// cache, when not nil, keeps the plans' tasks between recomputations
	// of whole plans.
	cache *taskCache
}

// planChanges counts a plan's lights that changed; moved says whether the
// day of some of its periods' lights moved, which changes what their
// reasons say.
type planChanges struct {
	plan  int64
	n     int
	moved bool
}

// recomputeScope computes the lights of a scope and writes those that
// differ from the kept, then the day of the periods computed
// (keepLightDays); it returns how many changed, by plan (only plans with
// changes, or whose lights' day moved). A period whose kept lights'
// digests add up to those computed (lightSum) is unchanged, which spares
// reading each kept light's digest; those of the other periods are read and
// compared one by one. When the scope allows reads beside (every plan's),
// the lights are written period by period as they are computed
// (recomputeStreamed).
func recomputeScope(tx *Tx, sc lightScope) ([]planChanges, error) {
	d, err := loadLightData(tx, &sc)
	if err != nil {
		return nil, err
	}
	today := duban.Today(tx.Now())
	var w *lightWrites
	if sc.beside != nil {
		w, err = recomputeStreamed(tx, d, today, sc)
	} else {
		w, err = recomputeKept(tx, d, today, sc.task)
	}
	if err != nil {
		return nil, err
	}
	return keepLightDays(tx, d, today, w)
}

// recomputeKept computes the lights of what d holds, compares them with the
// kept and writes those that differ, in the transaction.
func recomputeKept(tx *Tx, d *lightData, today duban.Date, task int64) (*lightWrites, error) {
	// The lights of the periods whose sums differ, with their digests.
	type periodLights struct {
		plan    int64
		period  int64
		lights  []cycle.Light
		digests []int64
	}
	var doubt []*periodLights
	var c *periodLights
	for _, lp := range d.plans {
		pl := cycle.NewPlanLights(lp.year, lp.settings, lp.periods, today)
		for _, p := range lp.computed {
			if c == nil {
				c = &periodLights{lights: make([]cycle.Light, 0, len(lp.tasks)), digests: make([]int64, 0, len(lp.tasks))}
			}
			c.plan, c.period, c.lights, c.digests = lp.id, p.ID, c.lights[:0], c.digests[:0]
			var sum lightSum
			for _, t := range lp.tasks {
				l := pl.Light(t, p, d.reports[t.ID], d.closed[t.ID])
				digest := l.Digest()
				sum.add(digest)
				c.lights, c.digests = append(c.lights, l), append(c.digests, digest)
			}
			if sum != d.sums[p.ID] {
				doubt, c = append(doubt, c), nil
			}
		}
	}
	if len(doubt) == 0 {
		return &lightWrites{}, nil
	}
	periods := make([]int64, len(doubt))
	n, kn := 0, 0 // lights in doubt, and kept of their periods
	for i, c := range doubt {
		periods[i] = c.period
		n, kn = n+len(c.lights), kn+int(d.sums[c.period].n)
	}
	if task != 0 {
		kn = len(periods)
	}
	kept, err := loadKept(tx, periods, task, kn)
	if err != nil {
		return nil, err
	}
	w := &lightWrites{same: make([]lightWrite, 0, n)}
	for _, c := range doubt {
		for i := range c.lights {
			k, ok := kept[[2]int64{c.period, c.lights[i].TaskID}]
			w.add(&c.lights[i], c.digests[i], k, ok)
		}
	}
	return w, writeLights(tx, w)
}

// keepLightDays writes the day of the lights of each period computed whose
// day moved or some of whose lights were written (w), with the time they
// were computed, and returns the changes by plan: the lights written, and
// whether some day moved. A day that moved changes what the reasons of
// every light of its period say, so that every unit's lights move too.
func keepLightDays(tx *Tx, d *lightData, today duban.Date, w *lightWrites) ([]planChanges, error) {
	written := map[int64]int{} // lights written, by period
	for _, ls := range [][]lightWrite{w.fresh, w.same} {
		for _, l := range ls {
			written[l.l.PeriodID]++
		}
	}
	var out []planChanges
	var values strings.Builder
	var args []any
	now := tx.Time(tx.Now())
	moved := false
	for _, lp := range d.plans {
		c := planChanges{plan: lp.id}
		for _, p := range lp.computed {
			day := cycle.LightDay(p, today)
			c.n += written[p.ID]
			if d.days[p.ID] != day {
				c.moved = true
			} else if written[p.ID] == 0 {
				continue
			}
			if values.Len() > 0 {
				values.WriteString(", ")
			}
			values.WriteString("(?, ?, ?)")
			args = append(args, p.ID, day.String(), now)
		}
		if c.n > 0 || c.moved {
			out = append(out, c)
		}
		moved = moved || c.moved
	}
	if len(args) == 0 {
		return out, nil
	}
	if _, err := tx.Exec(`INSERT INTO light_days (period_id, as_of, computed_at) VALUES `+values.String()+`
		ON CONFLICT (period_id) DO UPDATE SET as_of = excluded.as_of, computed_at = excluded.computed_at`, args...); err != nil {
		return nil, err
	}
	if moved && !w.everyUnit {
		return out, moveEveryUnitLights(tx)
	}
	return out, nil
}

// recomputeStreamed computes the lights of a scope (whose plans and periods
// d holds) period by period on a goroutine of its own, which reads the
// reports and kept lights' sums a few plans at a time, and the kept lights
// of each period whose sums differ, beside (on a read-only transaction of
// its own), while this one reads the plans' tasks and closures, then
// writes the lights of each period computed that differ from the kept:
// writing, on the transaction's one connection, is most of the work, and
// reading and computing the next plans' meanwhile costs no time. The lights
// written are of the transaction's own, which beside reads do not see; the
// kept lights read are those from before.
func recomputeStreamed(tx *Tx, d *lightData, today duban.Date, sc lightScope) (*lightWrites, error) {
	if len(d.plans) == 0 {
		return &lightWrites{}, nil
	}
	batches := make(chan *lightWrites, 8)
	stop := make(chan struct{})
	ready := make(chan struct{}) // closed once the tasks and closures are read
	var readErr error
	go func() {
		defer close(batches)
		readErr = sc.beside(func(rtx *Tx) error {
			// A period's lights are kept for writing when some changed;
			// those of an unchanged period are computed over.
			var lights []cycle.Light
			var digests []int64
			for start := 0; start < len(d.plans); start += reportPlans {
				plans := d.plans[start:min(start+reportPlans, len(d.plans))]
				if err := loadPlanReports(rtx, d, plans); err != nil {
					return err
				}
				select {
				case <-ready:
				case <-stop:
					return nil
				}
				for _, lp := range plans {
					pl := cycle.NewPlanLights(lp.year, lp.settings, lp.periods, today)
					for _, p := range lp.computed {
						if cap(lights) < len(lp.tasks) {
							lights, digests = make([]cycle.Light, len(lp.tasks)), make([]int64, len(lp.tasks))
						}
						lights, digests = lights[:len(lp.tasks)], digests[:len(lp.tasks)]
						var sum lightSum
						for i, t := range lp.tasks {
							lights[i] = pl.Light(t, p, d.reports[t.ID], d.closed[t.ID])
							digests[i] = lights[i].Digest()
							sum.add(digests[i])
						}
						if sum == d.sums[p.ID] {
							continue
						}
						kept, err := loadKept(rtx, []int64{p.ID}, 0, int(d.sums[p.ID].n))
						if err != nil {
							return err
						}
						b := &lightWrites{}
						for i := range lights {
							k, ok := kept[[2]int64{p.ID, lights[i].TaskID}]
							b.add(&lights[i], digests[i], k, ok)
						}
						if b.len() == 0 {
							continue
						}
						lights, digests = nil, nil
						select {
						case batches <- b:
						case <-stop:
							return nil
						}
					}
				}
			}
			return nil
		})
	}()
	if err := loadLightRest(tx, d, sc); err != nil {
		close(stop)
		for range batches {
			// until the goroutine has stopped
		}
		return nil, err
	}
	close(ready)
	lw := newLightWriter(tx)
	defer lw.close()
	all := &lightWrites{}
	var err error
	for b := range batches {
		if err != nil {
			continue // until the goroutine has stopped
		}
		if err = lw.write(b); err != nil {
			close(stop)
			continue
		}
		all.fresh, all.same = append(all.fresh, b.fresh...), append(all.same, b.same...)
	}
	if err = cmp.Or(err, readErr); err != nil || all.len() == 0 {
		return all, err
	}
	// A period with no lights kept has its sums zero.
	unlit := func(periods []int64) (bool, error) {
		for _, p := range periods {
			if d.sums[p].n == 0 {
				return true, nil
			}
		}
		return false, nil
	}
	if err := moveUnitLights(tx, all, unlit); err != nil {
		return nil, err
	}
	return all, recountLights(tx, all.fresh)
}

// reportPlans is how many plans' reports a streamed recomputation reads
// at a time: the first plans' lights are written while the next plans'
// reports are read, in few queries.
const reportPlans = 5

// loadPlanReports reads the task reports of the plans' periods opened and
// the sums of the kept lights' digests of their periods computed.
func loadPlanReports(tx *Tx, d *lightData, plans []*lightPlan) error {
	var opened, computed []int64
	for _, lp := range plans {
		for _, p := range lp.periods {
			opened = append(opened, p.ID)
		}
		for _, p := range lp.computed {
			computed = append(computed, p.ID)
		}
	}
	in, args := inIDs(opened)
	if err := loadLightReports(tx, d, "period_id IN "+in, args); err != nil {
		return err
	}
	in, args = inIDs(computed)
	return loadSums(tx, d, "period_id IN "+in, args)
}

// lightSum sums the digests of a period's lights, each split in two
// halves of 32 bits so that the sums fit in a SQL integer: equal sums (and
// counts) say the lights kept are those computed, but for a chance of about
// one in 2⁶⁴, the chance two different lights already have of sharing
// their digest.
type lightSum struct{ n, low, high int64 }

func (s *lightSum) add(digest int64) {
	s.n++
	s.low += digest & 0xFFFFFFFF
	s.high += int64(uint64(digest) >> 32)
}

// lightData is what the lights of a scope are computed from, read in a
// few queries however many plans it covers, with the sums of the kept
// lights' digests they are compared with.
type lightData struct {
	plans   []*lightPlan
	reports map[int64][]*cycle.Report // task reports handed in or not, by task
	closed  map[int64]duban.Date      // the day each closed task was closed
	sums    map[int64]lightSum        // the kept lights' digests summed, by period
	days    map[int64]duban.Date      // the kept lights' day, by period opened
}

// lightPlan is a plan whose lights are computed: its year, settings and
// periods, and its active tasks with their deadlines and targets.
type lightPlan struct {
	id       int64
	year     int
	settings *cycle.CycleSettings
	// periods are those opened (open or closed), which order its reports;
	// computed those of them whose lights are computed: begun, and open
	// with openOnly.
	periods  []*cycle.Period
	computed []*cycle.Period
	tasks    []*duban.Task
	// version is that of its tasks (task_versions).
	version int64
}

// loadLightData reads what a scope's lights are computed from: the plans
// with their settings, their periods and their lights' day, then for the
// plans with periods to compute their tasks, task reports, closures and
// kept lights' digests; a scope that allows reads beside stops after the
// periods, the rest being read as the lights are computed
// (recomputeStreamed). A scope of one task widens to its plan's when the
// day of a period computed moved (a task's report on a day the daily pass
// has not yet run), since the kept lights share their period's day.
func loadLightData(tx *Tx, sc *lightScope) (*lightData, error) {
	d := &lightData{reports: map[int64][]*cycle.Report{}, closed: map[int64]duban.Date{}, sums: map[int64]lightSum{}, days: map[int64]duban.Date{}}
	plans, err := loadLightPlans(tx, *sc)
	if err != nil || len(plans) == 0 {
		return d, err
	}
	byID := make(map[int64]*lightPlan, len(plans))
	var ids []int64
	for _, lp := range plans {
		byID[lp.id] = lp
		ids = append(ids, lp.id)
	}
	// The periods opened, with what the lights need of them.
	in, args := inIDs(ids)
	rows, err := tx.Query("SELECT q.id, q.plan_id, q.seq, q.label, q.start_day, q.end_day, q.due, q.state, q.closed_at, ld.as_of FROM periods q"+
		" LEFT JOIN light_days ld ON ld.period_id = q.id WHERE q.plan_id IN "+in+" AND q.state <> 'pending' ORDER BY q.plan_id, q.seq", args...)
	if err != nil {
		return nil, err
	}
	today := duban.Today(tx.Now())
	var opened, computed []int64
	var day sql.NullString
	for rows.Next() {
		q := &cycle.Period{}
		if err := rows.Scan(&q.ID, &q.PlanID, &q.Seq, &q.Label, sqldb.DateCol(&q.Start), sqldb.DateCol(&q.End), sqldb.DateCol(&q.Due), &q.State, sqldb.TimeCol(&q.ClosedAt), &day); err != nil {
			rows.Close()
			return nil, err
		}
		if day.Valid {
			if d.days[q.ID], err = duban.ParseDate(day.String); err != nil {
				rows.Close()
				return nil, err
			}
		}
		lp := byID[q.PlanID]
		lp.periods = append(lp.periods, q)
		opened = append(opened, q.ID)
		if !q.Start.After(today) && (!sc.openOnly || q.State == cycle.PeriodOpen) {
			lp.computed = append(lp.computed, q)
			computed = append(computed, q.ID)
			if d.days[q.ID] != cycle.LightDay(q, today) {
				sc.task = 0
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	d.plans = slices.DeleteFunc(plans, func(lp *lightPlan) bool { return len(lp.computed) == 0 })
	if len(d.plans) == 0 {
		return d, nil
	}
	if sc.beside != nil {
		// The streamed computation reads the rest.
		return d, nil
	}
	// The task reports of the periods opened (one task's alone, along its
	// index).
	var cond string
	if sc.task != 0 {
		cond, args = "task_id = ?", []any{sc.task}
	} else {
		in, args = inIDs(opened)
		cond = "period_id IN " + in
	}
	// The sums of the kept lights' digests of the periods computed.
	sumsCond, sumsArgs := "task_id = ?", []any{sc.task}
	if sc.task == 0 {
		in, sumsArgs = inIDs(computed)
		sumsCond = "period_id IN " + in
	}
	if err := loadLightRest(tx, d, *sc); err != nil {
		return nil, err
	}
	if err := loadSums(tx, d, sumsCond, sumsArgs); err != nil {
		return nil, err
	}
	// Sized for a report or so per task.
	tasks := 0
	for _, lp := range d.plans {
		tasks += len(lp.tasks)
	}
	d.reports = make(map[int64][]*cycle.Report, tasks)
	return d, loadLightReports(tx, d, cond, args)
}

// loadLightRest reads, after the plans and periods, the tasks of d's plans
// (but those the scope's cache keeps at their version) and the closures of
// their tasks.
func loadLightRest(tx *Tx, d *lightData, sc lightScope) error {
	cached := sc.cache != nil && sc.task == 0
	read := make(map[int64]*lightPlan, len(d.plans)) // the plans whose tasks are read
	var ids, all []int64
	for _, lp := range d.plans {
		all = append(all, lp.id)
		if cached {
			var ok bool
			if lp.tasks, ok = sc.cache.get(lp.id, lp.version); ok {
				continue
			}
		}
		read[lp.id], ids = lp, append(ids, lp.id)
	}
	if len(ids) > 0 {
		if err := loadLightTasks(tx, read, ids, sc.task); err != nil {
			return err
		}
		if cached {
			sc.cache.put(read)
		}
	}
	cond, args := "task_id = ?", []any{sc.task}
	if sc.task == 0 {
		var in string
		in, args = inIDs(all)
		cond = "plan_id IN " + in
	}
	return loadClosed(tx, d, cond, args)
}

// loadLightPlans reads the year and settings of a scope's plans, in one
// query.
func loadLightPlans(tx *Tx, sc lightScope) ([]*lightPlan, error) {
	cond, args := "p.state = 'published'", []any(nil)
	if sc.plans != nil {
		var in string
		in, args = inIDs(sc.plans)
		cond = "p.id IN " + in
	}
	rows, err := tx.Query("SELECT p.id, p.year, s.settings, COALESCE(v.version, 0) FROM plans p LEFT JOIN cycle_settings s ON s.plan_id = p.id"+
		" LEFT JOIN task_versions v ON v.plan_id = p.id WHERE "+cond+" ORDER BY p.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plans []*lightPlan
	for rows.Next() {
		lp := &lightPlan{}
		var data sql.NullString
		if err := rows.Scan(&lp.id, &lp.year, &data, &lp.version); err != nil {
			return nil, err
		}
		lp.settings = cycle.DefaultCycleSettings(&duban.Plan{ID: lp.id, Year: lp.year})
		if data.Valid {
			if err := json.Unmarshal([]byte(data.String), lp.settings); err != nil {
				return nil, fmt.Errorf("cycle: settings of plan %d: %w", lp.id, err)
			}
		}
		plans = append(plans, lp)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(sc.plans) == 1 && len(plans) == 0 {
		return nil, sqldb.NotFound("文件", sc.plans[0])
	}
	return plans, nil
}

// loadLightReports reads the task reports a condition selects, into
// reports allocated a block at a time. A report's state and the actuals'
// values (which have no spaces) come as one text, which costs less to hand
// over than two.
func loadLightReports(tx *Tx, d *lightData, cond string, args []any) error {
	rows, err := tx.Query("SELECT period_id, task_id, completion, state || ' ' || actual_values FROM reports WHERE "+cond+" AND kind = 'task'", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var block []cycle.Report
	// Scanned into variables declared once, which Scan's pointers make
	// escape to the heap.
	var text string
	var completion int64
	for rows.Next() {
		if len(block) == 0 {
			block = make([]cycle.Report, 256)
		}
		r := &block[0]
		block = block[1:]
		r.Kind = cycle.ReportTask
		if err := rows.Scan(int64Col{&r.PeriodID}, int64Col{&r.TaskID}, int64Col{&completion}, &text); err != nil {
			return err
		}
		state, values, _ := strings.Cut(text, " ")
		r.State, r.Completion = cycle.ReportState(state), int(completion)
		if r.Actuals, err = readActualValues(values); err != nil {
			return err
		}
		d.reports[r.TaskID] = append(d.reports[r.TaskID], r)
	}
	return rows.Err()
}

// loadClosed reads the days the tasks a condition selects were closed.
func loadClosed(tx *Tx, d *lightData, cond string, args []any) error {
	rows, err := tx.Query("SELECT task_id, decided_at FROM closures WHERE "+cond+" AND state = 'closed'", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, sqldb.TimeCol(&at)); err != nil {
			return err
		}
		d.closed[id] = duban.Today(at)
	}
	return rows.Err()
}

// loadSums sums by period the digests of the kept lights a condition
// selects, as lightSum does.
func loadSums(tx *Tx, d *lightData, cond string, args []any) error {
	// PostgreSQL sums integers as numeric; the sums fit in a bigint.
	low, high := "sum(digest & 4294967295)", "sum((digest >> 32) & 4294967295)"
	if tx.Postgres() {
		low, high = low+"::bigint", high+"::bigint"
	}
	rows, err := tx.Query("SELECT period_id, count(*), "+low+", "+high+" FROM lights WHERE "+cond+" GROUP BY period_id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var period int64
	var s lightSum
	for rows.Next() {
		if err := rows.Scan(int64Col{&period}, int64Col{&s.n}, int64Col{&s.low}, int64Col{&s.high}); err != nil {
			return err
		}
		d.sums[period] = s
	}
	return rows.Err()
}

// keptLight is what a recomputation reads of a kept light: its digest,
// and its status, which tells whether its period's counts by status
// change.
type keptLight struct {
	digest int64
	status cycle.LightStatus
}

// loadKept reads the digests and statuses of the kept lights of periods
// (of task taskID only when not 0), by period and task; n is about how
// many there are.
func loadKept(tx *Tx, periods []int64, taskID int64, n int) (map[[2]int64]keptLight, error) {
	in, args := inIDs(periods)
	cond := "period_id IN " + in
	if taskID != 0 {
		cond += " AND task_id = ?"
		args = append(args, taskID)
	}
	rows, err := tx.Query("SELECT period_id, task_id, digest, status FROM lights WHERE "+cond, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	kept := make(map[[2]int64]keptLight, n)
	var period, task int64
	var k keptLight
	for rows.Next() {
		if err := rows.Scan(int64Col{&period}, int64Col{&task}, int64Col{&k.digest}, statusCol{&k.status}); err != nil {
			return nil, err
		}
		kept[[2]int64{period, task}] = k
	}
	return kept, rows.Err()
}

// statusCol scans a light's status, as int64Col does.
type statusCol struct{ p *cycle.LightStatus }

func (c statusCol) Scan(src any) error {
	switch v := src.(type) {
	case string:
		*c.p = cycle.LightStatus(v)
	case []byte:
		*c.p = cycle.LightStatus(v)
	default:
		return fmt.Errorf("cyclestore: cannot scan %T into a light's status", src)
	}
	return nil
}

// loadLightTasks reads what the lights need of the plans' active tasks
// (only task taskID when not 0): the deadline as kept and the targets, in
// one query, without the owners a list shows.
func loadLightTasks(tx *Tx, plans map[int64]*lightPlan, ids []int64, taskID int64) error {
	cond, args := "", []any(nil)
	if taskID != 0 {
		cond, args = "t.id = ?", []any{taskID}
	} else {
		var in string
		in, args = inIDs(ids)
		cond = "t.plan_id IN " + in
	}
	// Each text column read costs: the deadline's kind, date and steps
	// come as one text (NULL without a deadline), its words only where the
	// light says them (unread), and each target's unit, comparison and
	// metric as one text, after their lengths in bytes.
	rows, err := tx.Query(`SELECT t.id, t.plan_id,
		CASE WHEN t.deadline_kind <> '' THEN t.deadline_kind || ' ' || t.deadline_date || ' ' || t.deadline_steps END,
		CASE WHEN t.deadline_kind = 'unread' THEN t.deadline END,
		octet_length(i.unit) || ' ' || octet_length(i.cmp) || ' ' || i.unit || i.cmp || i.metric, i.value, i.upper
		FROM tasks t LEFT JOIN task_indicators i ON i.task_id = t.id
		WHERE `+cond+" AND t.state = 'active' ORDER BY t.plan_id, t.id, i.pos", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var t *duban.Task
	var block []duban.Task // tasks are allocated a block at a time
	var skip int64         // a task of a plan not computed
	// Scanned into variables declared once, which Scan's pointers make
	// escape to the heap.
	var id, plan int64
	var deadline, words, target sql.NullString
	var value, upper nullFloat
	for rows.Next() {
		if err := rows.Scan(int64Col{&id}, int64Col{&plan}, &deadline, &words, &target, &value, &upper); err != nil {
			return err
		}
		if id == skip {
			continue
		}
		if t == nil || t.ID != id {
			lp := plans[plan]
			if lp == nil || len(lp.computed) == 0 {
				skip = id
				continue
			}
			if len(block) == 0 {
				block = make([]duban.Task, 256)
			}
			t, block = &block[0], block[1:]
			*t = duban.Task{ID: id, PlanID: plan, State: duban.TaskActive, Deadline: words.String}
			if err := readLightDeadline(t, deadline.String); err != nil {
				return err
			}
			lp.tasks = append(lp.tasks, t)
		}
		if target.Valid {
			in := duban.Indicator{Value: value.v}
			if upper.ok {
				in.Upper = new(upper.v)
			}
			if err := readLightTarget(&in, target.String); err != nil {
				return err
			}
			t.Indicators = append(t.Indicators, in)
		}
	}
	return rows.Err()
}

// readLightDeadline reads a task's deadline as loadLightTasks selects it:
// "kind date steps", each but the steps without spaces; "" for none.
func readLightDeadline(t *duban.Task, s string) error {
	if s == "" {
		return nil
	}
	kind, rest, _ := strings.Cut(s, " ")
	date, steps, _ := strings.Cut(rest, " ")
	t.DeadlineKind = duban.DeadlineKind(kind)
	if date != "" {
		var err error
		if t.DeadlineDate, err = duban.ParseDate(date); err != nil {
			return fmt.Errorf("cyclestore: deadline of task %d: %w", t.ID, err)
		}
	}
	return fromJSON(steps, &t.Milestones)
}

// readLightTarget reads a target's texts as loadLightTasks selects them:
// the lengths of the unit and comparison, then both and the metric.
func readLightTarget(in *duban.Indicator, s string) error {
	units, rest, _ := strings.Cut(s, " ")
	cmps, rest, _ := strings.Cut(rest, " ")
	u, err1 := strconv.Atoi(units)
	c, err2 := strconv.Atoi(cmps)
	if err1 != nil || err2 != nil || u < 0 || c < 0 || u+c > len(rest) {
		return fmt.Errorf("cyclestore: bad target %q", s)
	}
	in.Unit, in.Cmp, in.Metric = rest[:u], duban.Comparison(rest[u:u+c]), rest[u+c:]
	return nil
}

// int64Col scans an integer column, which every driver hands over as an
// int64: as a Scanner, without the reflection Scan spends on an *int64,
// for the thousands of rows a recomputation reads.
type int64Col struct{ p *int64 }

func (c int64Col) Scan(src any) error {
	v, ok := src.(int64)
	if !ok {
		return fmt.Errorf("cyclestore: cannot scan %T into an integer", src)
	}
	*c.p = v
	return nil
}

// nullFloat scans a number column that may be NULL, as int64Col does; ok
// says whether it was not NULL.
type nullFloat struct {
	v  float64
	ok bool
}

func (n *nullFloat) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*n = nullFloat{}
	case float64:
		*n = nullFloat{v, true}
	case int64:
		*n = nullFloat{float64(v), true}
	default:
		return fmt.Errorf("cyclestore: cannot scan %T into a number", src)
	}
	return nil
}

// lightWrite is a light to keep, with its digest.
type lightWrite struct {
	l      *cycle.Light
	digest int64
}

// lightWrites are the lights a recomputation keeps: fresh ones (not kept
// yet, or with another status), whose periods' counts by status
// (light_counts) are counted again, and those whose status stays the
// same, written over without it.
type lightWrites struct {
	fresh, same []lightWrite
	// everyUnit is set once writing them moved every unit's lights
	// version (moveUnitLights), which a day moved needs no more.
	everyUnit bool
}

func (w *lightWrites) len() int { return len(w.fresh) + len(w.same) }

// add keeps light l of digest unless it is the kept light k (ok says
// whether one is kept).
func (w *lightWrites) add(l *cycle.Light, digest int64, k keptLight, ok bool) {
	switch {
	case ok && k.digest == digest:
	case ok && k.status == l.Status:
		w.same = append(w.same, lightWrite{l, digest})
	default:
		w.fresh = append(w.fresh, lightWrite{l, digest})
	}
}

// lightChunk is how many lights one statement writes.
const lightChunk = 100

// writeLights keeps lights. It moves the version of the lights of every
// unit the lights' tasks reach (unit_lights) and counts again the lights
// of the periods of the fresh ones (light_counts): the others keep their
// status.
func writeLights(tx *Tx, w *lightWrites) error {
	if w.len() == 0 {
		return nil
	}
	unlit := func(periods []int64) (bool, error) {
		lit, err := periodsLit(tx, periods)
		return lit < len(periods), err
	}
	if err := moveUnitLights(tx, w, unlit); err != nil {
		return err
	}
	lw := newLightWriter(tx)
	defer lw.close()
	if err := lw.write(w); err != nil {
		return err
	}
	return recountLights(tx, w.fresh)
}

// recountLights counts by status again, from the lights themselves, the
// lights of the periods of some written, for the overview's trend.
func recountLights(tx *Tx, written []lightWrite) error {
	if len(written) == 0 {
		return nil
	}
	periods := make([]int64, len(written))
	for i, lw := range written {
		periods[i] = lw.l.PeriodID
	}
	slices.Sort(periods)
	in, args := inIDs(slices.Compact(periods))
	if _, err := tx.Exec("DELETE FROM light_counts WHERE period_id IN "+in, args...); err != nil {
		return err
	}
	_, err := tx.Exec(`INSERT INTO light_counts (period_id, status, tasks)
		SELECT period_id, status, count(*) FROM lights WHERE period_id IN `+in+` GROUP BY period_id, status`, args...)
	return err
}

// lightWriter writes lights over those kept of the same periods and tasks,
// in a transaction, batch after batch: on PostgreSQL in one statement of
// each kind over arrays, on SQLite a hundred rows a statement, the full
// ones prepared once for all the batches.
type lightWriter struct {
	tx    *Tx
	stmts map[string]*sql.Stmt
}

func newLightWriter(tx *Tx) *lightWriter {
	return &lightWriter{tx: tx, stmts: map[string]*sql.Stmt{}}
}

func (lw *lightWriter) close() {
	for _, st := range lw.stmts {
		st.Close()
	}
}

// write writes a batch of lights.
func (lw *lightWriter) write(w *lightWrites) error {
	if lw.tx.Postgres() {
		return writeLightsArrays(lw.tx, w)
	}
	if err := lw.rows(len(w.fresh), 11, func(values string) string {
		return `INSERT INTO lights (period_id, task_id, plan_id, status, reason, reason_en, completion, expected, timeline, reached, digest)
			VALUES ` + values + ` ON CONFLICT (period_id, task_id) DO UPDATE SET status = excluded.status,
			reason = excluded.reason, reason_en = excluded.reason_en, completion = excluded.completion, expected = excluded.expected,
			timeline = excluded.timeline, reached = excluded.reached, digest = excluded.digest`
	}, func(args []any, i int) []any {
		l := w.fresh[i].l
		return append(args, l.PeriodID, l.TaskID, l.PlanID, string(l.Status), l.Reason, l.ReasonEN, int64(l.Completion),
			int64(l.Expected), l.Timeline, cycle.ReachedText(l.Reached), w.fresh[i].digest)
	}); err != nil {
		return err
	}
	return lw.rows(len(w.same), 9, func(values string) string {
		return `WITH v (period_id, task_id, reason, reason_en, completion, expected, timeline, reached, digest) AS (VALUES ` + values + `)
			UPDATE lights SET reason = v.reason, reason_en = v.reason_en, completion = v.completion, expected = v.expected,
			timeline = v.timeline, reached = v.reached, digest = v.digest
			FROM v WHERE lights.period_id = v.period_id AND lights.task_id = v.task_id`
	}, func(args []any, i int) []any {
		l := w.same[i].l
		return append(args, l.PeriodID, l.TaskID, l.Reason, l.ReasonEN, int64(l.Completion), int64(l.Expected), l.Timeline,
			cycle.ReachedText(l.Reached), w.same[i].digest)
	})
}

// rows runs a statement over n rows of cols values each, lightChunk rows a
// statement: stmt makes the statement from its rows' placeholders, and add
// appends row i's values.
func (lw *lightWriter) rows(n, cols int, stmt func(values string) string, add func(args []any, i int) []any) error {
	if n == 0 {
		return nil
	}
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	values := func(rows int) string { return strings.Repeat(row+", ", rows-1) + row }
	var full *sql.Stmt
	args := make([]any, 0, min(n, lightChunk)*cols)
	for start := 0; start < n; start += lightChunk {
		end := min(start+lightChunk, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = add(args, i)
		}
		if end-start < lightChunk {
			if _, err := lw.tx.Exec(stmt(values(end-start)), args...); err != nil {
				return err
			}
			continue
		}
		if full == nil {
			q := stmt(values(lightChunk))
			if full = lw.stmts[q]; full == nil {
				var err error
				if full, err = lw.tx.Prepare(q); err != nil {
					return err
				}
				lw.stmts[q] = full
			}
		}
		if _, err := full.Exec(args...); err != nil {
			return lw.tx.QueryError("lights", err)
		}
	}
	return nil
}

// moveUnitLights moves the version of the lights of the units the lights'
// tasks reach: those named on the tasks and the members of the groups
// named. A page of a unit's tasks kept at an older version is then read
// afresh, on every server. Lights of many tasks (a plan's, recomputed)
// move every unit's, which costs less than finding the few they spare; so
// do a period's first lights, which make it the latest period of its plan
// with lights, whose lights are those shown of every task of the plan
// (cycle.LightFilter.Latest, the ledger's filter by light): unlit says
// whether some of the periods had no lights before these.
func moveUnitLights(tx *Tx, w *lightWrites, unlit func(periods []int64) (bool, error)) error {
	tasks, periods := make([]int64, 0, w.len()), make([]int64, 0, w.len())
	for _, ls := range [][]lightWrite{w.fresh, w.same} {
		for _, l := range ls {
			tasks, periods = append(tasks, l.l.TaskID), append(periods, l.l.PeriodID)
		}
	}
	slices.Sort(tasks)
	tasks = slices.Compact(tasks)
	slices.Sort(periods)
	periods = slices.Compact(periods)
	every := len(tasks) > manyTasks
	if !every {
		var err error
		if every, err = unlit(periods); err != nil {
			return err
		}
	}
	if every {
		w.everyUnit = true
		return moveEveryUnitLights(tx)
	}
	in, args := inIDs(tasks)
	if _, err := tx.Exec(`INSERT INTO unit_lights (unit_id, version)
		SELECT DISTINCT u, 1 FROM (SELECT o.unit_id AS u FROM task_owners o WHERE o.task_id IN `+in+` AND o.unit_id IS NOT NULL
			UNION SELECT m.unit_id FROM task_owners o JOIN unit_members m ON m.group_id = o.unit_id WHERE o.task_id IN `+in+`) reached
		WHERE u IS NOT NULL`+unitLightsUpsert, append(args, args...)...); err != nil {
		return err
	}
	return addLightMoves(tx, args)
}

// moveEveryUnitLights moves the version of every unit's lights, with a
// move of every task.
func moveEveryUnitLights(tx *Tx) error {
	if _, err := tx.Exec("INSERT INTO unit_lights (unit_id, version) SELECT id, 1 FROM units WHERE true" + unitLightsUpsert); err != nil {
		return err
	}
	return addLightMoves(tx, nil)
}

// addLightMoves records a move of the lights of tasks (of every task when
// none is given) and deletes the moves no page needs any more: those
// before a move of every task, or else beyond the latest keptMoves.
func addLightMoves(tx *Tx, tasks []any) error {
	values, keep := "(NULL)", 0
	if len(tasks) > 0 {
		values, keep = strings.Repeat("(?), ", len(tasks)-1)+"(?)", keptMoves
	}
	if _, err := tx.Exec("INSERT INTO light_moves (task_id) VALUES "+values, tasks...); err != nil {
		return err
	}
	_, err := tx.Exec("DELETE FROM light_moves WHERE seq < (SELECT max(seq) FROM light_moves) - ?", keep)
	return err
}

// keptMoves is how many of the latest moves of tasks' lights are kept at
// least (light_moves): a page kept from before them reads all its lights.
const keptMoves = 4096

// unitLightsUpsert moves a unit's lights' version on an INSERT into
// unit_lights. The WHERE of each SELECT that feeds it lets SQLite tell its
// ON CONFLICT from a join's ON.
const unitLightsUpsert = " ON CONFLICT (unit_id) DO UPDATE SET version = unit_lights.version + 1"

// periodsLit counts the periods of ids that have lights kept.
func periodsLit(tx *Tx, ids []int64) (int, error) {
	in, args := inIDs(ids)
	return tx.Count("SELECT count(*) FROM periods q WHERE q.id IN "+in+
		" AND EXISTS (SELECT 1 FROM lights l WHERE l.period_id = q.id)", args...)
}

// manyTasks is how many tasks' lights move every unit's version rather
// than those of the units they reach.
const manyTasks = 200

// writeLightsArrays keeps lights on PostgreSQL, each column an array: the
// fresh ones in one statement, those of the same status in another.
func writeLightsArrays(tx *Tx, w *lightWrites) error {
	if len(w.fresh) > 0 {
		c := lightColumns(w.fresh)
		plans, statuses := make([]int64, len(w.fresh)), make([]string, len(w.fresh))
		for i, lw := range w.fresh {
			plans[i], statuses[i] = lw.l.PlanID, string(lw.l.Status)
		}
		if _, err := tx.Exec(`INSERT INTO lights (period_id, task_id, plan_id, status, reason, reason_en, completion, expected, timeline, reached, digest)
			SELECT p, t, pl, s, r, re, c, e, tl, rv, d FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[],
				?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[]) AS x(p, t, pl, s, r, re, c, e, tl, rv, d)
			ON CONFLICT (period_id, task_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
			reason_en = excluded.reason_en, completion = excluded.completion, expected = excluded.expected,
			timeline = excluded.timeline, reached = excluded.reached, digest = excluded.digest`,
			c.periods, c.tasks, plans, statuses, c.reasons, c.reasonsEN, c.completions, c.expected, c.timelines, c.reached, c.digests); err != nil {
			return err
		}
	}
	if len(w.same) == 0 {
		return nil
	}
	c := lightColumns(w.same)
	_, err := tx.Exec(`UPDATE lights l SET reason = x.r, reason_en = x.re, completion = x.c, expected = x.e, timeline = x.tl,
		reached = x.rv, digest = x.d
		FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::int[], ?::int[], ?::text[], ?::text[], ?::bigint[])
			AS x(p, t, r, re, c, e, tl, rv, d)
		WHERE l.period_id = x.p AND l.task_id = x.t`,
		c.periods, c.tasks, c.reasons, c.reasonsEN, c.completions, c.expected, c.timelines, c.reached, c.digests)
	return err
}

// lightArrays are the columns of lights as arrays, which PostgreSQL
// unnests into rows.
type lightArrays struct {
	periods, tasks, completions, expected, digests []int64
	reasons, reasonsEN, timelines, reached         []string
}

func lightColumns(ls []lightWrite) *lightArrays {
	n := len(ls)
	c := &lightArrays{periods: make([]int64, n), tasks: make([]int64, n), completions: make([]int64, n), expected: make([]int64, n),
		digests: make([]int64, n), reasons: make([]string, n), reasonsEN: make([]string, n), timelines: make([]string, n),
		reached: make([]string, n)}
	for i, lw := range ls {
		l := lw.l
		c.periods[i], c.tasks[i], c.digests[i] = l.PeriodID, l.TaskID, lw.digest
		c.completions[i], c.expected[i] = int64(l.Completion), int64(l.Expected)
		c.reasons[i], c.reasonsEN[i], c.timelines[i], c.reached[i] = l.Reason, l.ReasonEN, l.Timeline, cycle.ReachedText(l.Reached)
	}
	return c
}

// maxMoves is how many moves of tasks' lights FindLightMoves returns at
// most: beyond them, a page reads all its lights at once.
const maxMoves = 200

// FindLightMoves returns the tasks whose lights moved after move after,
// through move through, or every (see cycle.LightService).
func (s *LightService) FindLightMoves(ctx context.Context, after, through int64) ([]int64, bool, error) {
	if _, err := duban.Authorize(ctx, "查看状态灯", duban.CanRead); err != nil {
		return nil, false, err
	}
	switch {
	case through == after:
		return nil, false, nil
	case through < after:
		return nil, true, nil
	}
	var tasks []int64
	every := false
	err := s.db.View(ctx, func(tx *Tx) error {
		// The oldest moves are deleted, never one in the middle: those
		// after "after" are all kept while "after" itself is, which is
		// read first.
		rows, err := tx.Query("SELECT seq, task_id FROM light_moves WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?", after, through, maxMoves+2)
		if err != nil {
			return err
		}
		defer rows.Close()
		var seq int64
		var task sql.NullInt64
		if !rows.Next() {
			every = true // not even "after" is kept
			return rows.Err()
		}
		if err := rows.Scan(&seq, &task); err != nil {
			return err
		}
		if seq != after {
			every = true // the moves of then are gone
			return nil
		}
		for rows.Next() {
			if err := rows.Scan(&seq, &task); err != nil {
				return err
			}
			if !task.Valid || len(tasks) == maxMoves {
				every = true
				return nil
			}
			tasks = append(tasks, task.Int64)
		}
		return rows.Err()
	})
	if err != nil || every {
		return nil, every, err
	}
	slices.Sort(tasks)
	return slices.Compact(tasks), false, nil
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
	// Latest keeps the lights of each plan's latest period with lights
	// (light_counts, a few rows a period), found once per query: the
	// lights are then read by their key (period, task). Every page whose
	// lights moved asks for them, and after each write a reader starts
	// with no page of the file cached, so the fewer pages read the better.
	if f.Latest {
		plan, args := "", []any(nil)
		if f.PlanID != nil {
			plan, args = " AND q3.plan_id = ?", []any{*f.PlanID}
		}
		c.add(`l.period_id IN (SELECT q2.id FROM periods q2 JOIN (SELECT q3.plan_id, max(q3.seq) AS seq FROM periods q3
			WHERE EXISTS (SELECT 1 FROM light_counts lc WHERE lc.period_id = q3.id)`+plan+` GROUP BY q3.plan_id) lt
			ON lt.plan_id = q2.plan_id AND lt.seq = q2.seq)`, args...)
	}
	var out []*cycle.Light
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		draftsHidden(tx, &c)
		joins, where := " FROM lights l JOIN periods q ON q.id = l.period_id JOIN plans p ON p.id = l.plan_id", c.where()
		all := c.args
		var err error
		if total, err = countPaged(tx, joins+where, all, f.Limit, f.Offset); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		columns := "l.plan_id, l.period_id, l.task_id, l.status, l.reason, l.reason_en, l.timeline, q.due, COALESCE(ld.as_of, q.end_day)"
		if !f.Brief {
			columns += ", l.completion, l.expected, l.reached, ld.computed_at"
		}
		// The lights' day, kept per period, fills in their reasons.
		joins += " LEFT JOIN light_days ld ON ld.period_id = l.period_id"
		rows, err := tx.Query("SELECT "+columns+joins+where+" ORDER BY l.plan_id, q.seq, l.task_id"+page, append(all, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var due duban.Date
		for rows.Next() {
			l := &cycle.Light{}
			dest := []any{int64Col{&l.PlanID}, int64Col{&l.PeriodID}, int64Col{&l.TaskID}, statusCol{&l.Status}, &l.Reason, &l.ReasonEN,
				&l.Timeline, sqldb.DateCol(&due), sqldb.DateCol(&l.AsOf)}
			var reached string
			if !f.Brief {
				dest = append(dest, &l.Completion, &l.Expected, &reached, sqldb.TimeCol(&l.ComputedAt))
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			l.Expand(due)
			out = append(out, l)
			if f.Brief {
				continue
			}
			if l.Reached, err = cycle.ParseReached(reached); err != nil {
				return err
			}
		}
		if total < 0 {
			total = len(out)
		}
		return rows.Err()
	})
	return out, total, err
}
