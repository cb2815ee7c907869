package load

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// The deadline rush: on the last days of a period every unit's clerk hands
// in the unit's reports, each through the report form as a browser does
// (the form, then the form sent), as a set number a minute. The bench
// opens a period of the latest plans for each rush, so that every report is
// a new one, and afterwards looks in the database for every report the
// server acknowledged.

// DefaultRushRate is how many reports a minute the rush hands in unless
// told otherwise: the 150 units of a district at the last hour.
const DefaultRushRate = 2000

// RushCheck is what the database holds after a rush: of the reports the
// server acknowledged (answered the form with its redirect), how many are
// there, handed in, as sent.
type RushCheck struct {
	Acknowledged int
	Found        int
	// Problems says what was wrong with the first few not found as sent.
	Problems []string
	// Recomputed are the server's own recomputations of lights during the
	// rush (its jobs catching up on tasks changed before), each of which
	// has the pages of the units it reaches read again: the figures of a
	// rush with one are not those of the reports alone.
	Recomputed []*duban.AuditEvent
}

// rush is one rush's reports, in the order they are handed in, and the
// periods opened for it.
type rush struct {
	periods []*cycle.Period
	reports []*rushReport
	// every is the time between two reports.
	every time.Duration
}

// rushReport is one report of a rush: the clerk who hands it in (a unit's,
// by its place in benchData.clerks), what it is on, and what it says.
type rushReport struct {
	clerk      int
	task       *duban.Task
	period     int64
	kind       cycle.ReportKind
	completion int
	// acked is set when the server acknowledged it.
	acked bool
}

// rushSize is how many reports a rush of the bench hands in.
func (b *Bench) rushSize() (int, time.Duration) {
	rate := b.RushRate
	if rate <= 0 {
		rate = DefaultRushRate
	}
	d := b.rushDuration()
	return max(1, int(float64(rate)*d.Minutes())), time.Minute / time.Duration(rate)
}

func (b *Bench) rushDuration() time.Duration {
	if b.Rush > 0 {
		return b.Rush
	}
	return b.Duration
}

// prepareRushes opens, for each rush, the first period not yet opened of
// the latest plans, as many plans as its reports need (going round the
// plans, so that each rush's reports are new ones), and deals their reports
// to the units' clerks in turn.
func (b *Bench) prepareRushes(ctx context.Context, d *benchData, rushes int) ([]*rush, error) {
	db, err := sqldb.Open(ctx, b.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ctx = duban.NewContextWithUser(ctx, b.Actor)
	periods, tasksSvc, units := cyclestore.NewPeriodService(db), ledgerstore.NewTaskService(db), ledgerstore.NewUnitService(db)
	groups, err := units.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	plans, _, err := ledgerstore.NewPlanService(db).FindPlans(ctx, duban.PlanFilter{State: ptrTo(duban.PlanPublished), WithoutCounts: true})
	if err != nil {
		return nil, err
	}
	// The latest plans first.
	slices.SortFunc(plans, func(p, q *duban.Plan) int { return cmp.Or(cmp.Compare(q.Year, p.Year), cmp.Compare(q.ID, p.ID)) })
	clerkOf := map[int64]int{}
	for i, u := range d.clerkUnits {
		clerkOf[u] = i
	}
	size, every := b.rushSize()
	var out []*rush
	next := 0 // the plan to open a period of next, going round the plans
	for range rushes {
		r := &rush{every: every}
		owed := make([][]*rushReport, len(d.clerkUnits)) // by clerk
		for total := 0; total < size; next++ {
			if len(plans) == 0 {
				return nil, duban.Errorf(duban.ECONFLICT, "压测数据库中的计划已没有未开启的填报周期，不够 %d 份报告的填报高峰：请换一个新的 --db。", size)
			}
			p := plans[next%len(plans)]
			q, err := openNextPeriod(ctx, periods, p)
			if err != nil {
				return nil, err
			}
			if q == nil {
				plans = slices.Delete(plans, next%len(plans), next%len(plans)+1)
				next--
				continue
			}
			r.periods = append(r.periods, q)
			tasks, _, err := tasksSvc.FindTasks(ctx, duban.TaskFilter{PlanID: &p.ID})
			if err != nil {
				return nil, err
			}
			for _, o := range cycle.Obligations(q, tasks, nil, groups) {
				i, ok := clerkOf[o.UnitID]
				if !ok {
					continue
				}
				owed[i] = append(owed[i], &rushReport{clerk: i, task: taskOf(tasks, o.TaskID), period: q.ID, kind: o.Kind,
					completion: 20 + int(o.TaskID%60)})
				total++
			}
		}
		// The units take turns, each handing in its next report.
		for k := 0; len(r.reports) < size; k++ {
			for i := range owed {
				if k < len(owed[i]) && len(r.reports) < size {
					r.reports = append(r.reports, owed[i][k])
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// openNextPeriod opens the first period of a plan not yet opened, making
// the plan's periods first if it has none; nil when every period was
// opened.
func openNextPeriod(ctx context.Context, periods *cyclestore.PeriodService, p *duban.Plan) (*cycle.Period, error) {
	ps, _, err := periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &p.ID})
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		if ps, err = periods.CreatePeriods(ctx, p.ID); err != nil {
			return nil, err
		}
	}
	for _, q := range ps {
		if q.State == cycle.PeriodPending {
			return periods.UpdatePeriod(ctx, q.ID, cycle.PeriodUpdate{State: ptrTo(cycle.PeriodOpen)})
		}
	}
	return nil, nil
}

func taskOf(tasks []*duban.Task, id int64) *duban.Task {
	i := slices.IndexFunc(tasks, func(t *duban.Task) bool { return t.ID == id })
	return tasks[i]
}

func ptrTo[T any](v T) *T { return &v }

// runRush hands in a rush's reports, the n-th at n times its interval from
// the start, each by its unit's clerk: the form asked for, then sent. A
// clerk late on its turn (its previous report slow) hands in at once. It
// returns the forms' and the reports' figures.
func (m *measurement) runRush(r *rush) (forms, sent *Result) {
	clerks := len(m.data.clerkUnits)
	forms, sent = newResult("打开填报表单（单位联络员）", clerks), newResult("报送报告（单位联络员）", clerks)
	byClerk := make([][]int, clerks)
	for n, rep := range r.reports {
		byClerk[rep.clerk] = append(byClerk[rep.clerk], n)
	}
	ctx := m.ctx
	var wg sync.WaitGroup
	start := time.Now()
	for i, turns := range byClerk {
		if len(turns) == 0 {
			continue
		}
		c := m.clerks[i]
		wg.Go(func() {
			ft, st := newTally(), newTally()
			for _, n := range turns {
				select {
				case <-ctx.Done():
				case <-time.After(time.Until(start.Add(time.Duration(n) * r.every))):
				}
				if ctx.Err() != nil {
					break
				}
				rep := r.reports[n]
				path := "/tasks/" + strconv.FormatInt(rep.task.ID, 10) + "/report"
				period := strconv.FormatInt(rep.period, 10)
				t0 := time.Now()
				a, err := c.Get(ctx, path+"?period="+period)
				if !ft.add(ctx, time.Since(t0), a, err, 200) {
					continue
				}
				form := url.Values{"period": {period}, "action": {"submit"}, "completion": {strconv.Itoa(rep.completion)},
					"progress": {fmt.Sprintf("压测：本月推进重点项目，完成 %d%%。", rep.completion)}}
				if rep.kind == cycle.ReportTask {
					for k, in := range rep.task.Indicators {
						form.Set("actual."+strconv.Itoa(k), fmt.Sprintf("%d%s", 1+rep.task.ID%50, in.Unit))
					}
				}
				t0 = time.Now()
				a, err = c.Post(ctx, path, form)
				rep.acked = st.add(ctx, time.Since(t0), a, err, 303)
			}
			forms.add(ft)
			sent.add(st)
		})
	}
	wg.Wait()
	forms.end(time.Since(start))
	sent.end(time.Since(start))
	return forms, sent
}

// checkRush looks in the database for every report of a rush the server
// acknowledged: there, handed in, with the completion sent.
func (m *measurement) checkRush(r *rush, began, ended time.Time) (*RushCheck, error) {
	db, err := sqldb.Open(m.ctx, m.DSN)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	ctx := duban.NewContextWithUser(m.ctx, m.Actor)
	reports := cyclestore.NewReportService(db, ledgerstore.NewUnitService(db))
	type key struct {
		period, task, unit int64
		kind               cycle.ReportKind
	}
	saved := map[key]*cycle.Report{}
	for _, q := range r.periods {
		rs, _, err := reports.FindReports(ctx, cycle.ReportFilter{PeriodID: &q.ID})
		if err != nil {
			return nil, err
		}
		for _, s := range rs {
			saved[key{s.PeriodID, s.TaskID, s.UnitID, s.Kind}] = s
		}
	}
	c := &RushCheck{}
	plan := "plan"
	events, _, err := sqldb.NewAuditService(db).FindAuditEvents(ctx, duban.AuditFilter{Entity: &plan, Limit: 100})
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		if e.Action == "plan.lights" && !e.At.Before(began) && !e.At.After(ended) {
			c.Recomputed = append(c.Recomputed, e)
		}
	}
	for _, rep := range r.reports {
		if !rep.acked {
			continue
		}
		c.Acknowledged++
		what := fmt.Sprintf("任务 %s 的%s（单位 #%d）", rep.task.No, rep.kind.Label(), m.data.clerkUnits[rep.clerk])
		s := saved[key{rep.period, rep.task.ID, m.data.clerkUnits[rep.clerk], rep.kind}]
		switch {
		case s == nil:
			what += "不在库中"
		case s.State != cycle.ReportSubmitted:
			what += "的状态是" + s.State.Label()
		case s.Completion != rep.completion:
			what += fmt.Sprintf("的完成进度是 %d%%，报送的是 %d%%", s.Completion, rep.completion)
		default:
			c.Found++
			continue
		}
		if len(c.Problems) < 3 {
			c.Problems = append(c.Problems, what)
		}
	}
	return c, nil
}
