package cyclestore

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// BenchmarkLights recomputes the lights of 20 plans × 300 tasks, each plan
// in its July with one report per task: as a pure function over data
// loaded once, and through the store (reading, computing and comparing with
// the kept lights; a day later, writing those that moved; with every light
// changed, writing them all). Target: ≤ 50 ms for the 6,000.
func BenchmarkLights(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkLights(b, filepath.Join(b.TempDir(), "duban.db")) })
	b.Run("postgres", func(b *testing.B) { benchmarkLights(b, sqldbtest.PostgresDSN(b)) })
}

func benchmarkLights(b *testing.B, dsn string) {
	db, plans, now := mustLightLedger(b, dsn)
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{ID: 1, Name: "office", Role: duban.RoleAdmin})
	today := duban.Today(now())

	b.Run("pure", func(b *testing.B) {
		var d *lightData
		if err := db.View(ctx, func(tx *Tx) error {
			var err error
			d, err = loadLightData(tx, &lightScope{openOnly: true})
			return err
		}); err != nil {
			b.Fatal(err)
		}
		n := 0
		cpu := sqldbtest.CPU()
		for b.Loop() {
			n = 0
			for _, lp := range d.plans {
				pl := cycle.NewPlanLights(lp.year, lp.settings, lp.periods, today)
				for _, p := range lp.computed {
					for _, t := range lp.tasks {
						l := pl.Light(t, p, d.reports[t.ID], d.closed[t.ID])
						if l.Reason == "" {
							b.Fatal("a light without its reason")
						}
						n++
					}
				}
			}
		}
		sqldbtest.ReportCPU(b, cpu)
		b.ReportMetric(float64(n), "lights/op")
	})
	lights := NewLightService(db)
	// Each plan's lights are recomputed in a call of its own (as the
	// server does after a plan's tasks changed), or every plan's in one
	// call (planID 0), as the server's daily pass does. The service keeps
	// the tasks it read from one call to the next, as a server's does.
	recompute := func(b *testing.B, oneCall bool) int {
		changed := 0
		ids := []int64{0}
		if !oneCall {
			ids = ids[:0]
			for _, p := range plans {
				ids = append(ids, p.ID)
			}
		}
		for _, id := range ids {
			n, err := lights.RecomputeLights(ctx, id)
			if err != nil {
				b.Fatal(err)
			}
			changed += n
		}
		return changed
	}
	day := 0
	for _, oneCall := range []bool{false, true} {
		name := "store, a call a plan"
		if oneCall {
			name = "store, one call"
		}
		b.Run(name+", unchanged", func(b *testing.B) {
			recompute(b, oneCall)
			cpu := sqldbtest.CPU()
			for b.Loop() {
				if n := recompute(b, oneCall); n != 0 {
					b.Fatalf("%d lights changed with nothing done", n)
				}
			}
			sqldbtest.ReportCPU(b, cpu)
		})
		// Each pass is a day of July later than the one before: the
		// lights' day moves, and the lights whose status or words move
		// with it (a report overdue, a share expected crossing a
		// threshold) are written; the share itself is counted when read. Read
		// afresh, each pass is by a service that has read no tasks yet (a
		// server's first pass, or one after every plan's tasks changed).
		for _, afresh := range []bool{false, true} {
			sub := name + ", a day later"
			if afresh {
				sub += ", tasks read afresh"
			}
			b.Run(sub, func(b *testing.B) {
				changed := 0
				cpu := sqldbtest.CPU()
				for b.Loop() {
					b.StopTimer()
					day++
					setClock(db, time.Date(2022, 7, 1+day%28, 10, 0, 0, 0, duban.Beijing))
					if afresh {
						lights = NewLightService(db)
					}
					b.StartTimer()
					changed += recompute(b, oneCall)
				}
				sqldbtest.ReportCPU(b, cpu)
				b.ReportMetric(float64(changed)/float64(b.N), "written/op")
			})
		}
		// Each pass finds every kept light altered, the same day, and
		// writes all of them, the most a pass can write: their words
		// (the status as it was), or their status too, as when a due
		// date passes in every plan at once.
		for _, c := range []struct{ name, alter string }{
			{", all changed", "UPDATE lights SET digest = digest + 1"},
			{", every status moved", "UPDATE lights SET digest = digest + 1, status = CASE status WHEN 'missing' THEN 'severe' ELSE 'missing' END"},
		} {
			b.Run(name+c.name, func(b *testing.B) {
				changed := 0
				cpu := sqldbtest.CPU()
				for b.Loop() {
					b.StopTimer()
					if err := db.Update(ctx, func(tx *Tx) error {
						_, err := tx.Exec(c.alter)
						return err
					}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					changed += recompute(b, oneCall)
				}
				sqldbtest.ReportCPU(b, cpu)
				b.ReportMetric(float64(changed)/float64(b.N), "written/op")
			})
		}
	}
}

// clockMu guards the benchmark's clock, read by transactions.
var clockMu sync.Mutex
var clockNow time.Time

func setClock(db *sqldb.DB, t time.Time) {
	clockMu.Lock()
	clockNow = t
	clockMu.Unlock()
}

func readClock() time.Time {
	clockMu.Lock()
	defer clockMu.Unlock()
	return clockNow
}

// mustLightLedger makes 20 published plans of 2022 × 300 tasks over 150
// units (the made-up ledger of package demo, one region each), opens July
// in each and hands in a report of every task, on 2022-07-20.
func mustLightLedger(b *testing.B, dsn string) (*sqldb.DB, []*duban.Plan, func() time.Time) {
	b.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	setClock(db, time.Date(2022, 7, 20, 10, 0, 0, 0, duban.Beijing))
	db.Now = readClock
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{ID: 1, Name: "office", Role: duban.RoleAdmin})
	plansSvc, tasksSvc := ledgerstore.NewPlanService(db), ledgerstore.NewTaskService(db)
	periods := NewPeriodService(db)
	var plans []*duban.Plan
	for i := range demo.FullSize.Plans {
		r := demo.SyntheticReading(2022, demo.FullSize.Tasks, demo.FullSize.Units)
		r.Document.Region = fmt.Sprintf("第%d区", i)
		data, _ := json.Marshal(r)
		res, err := plansSvc.ImportPlan(ctx, duban.ImportInput{Name: fmt.Sprintf("%d.json", i), Data: data, Reading: r})
		if err != nil {
			b.Fatal(err)
		}
		p, err := plansSvc.PublishPlan(ctx, res.Plan.ID)
		if err != nil {
			b.Fatal(err)
		}
		ps, err := periods.CreatePeriods(ctx, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range ps[:7] {
			if _, err := periods.UpdatePeriod(ctx, q.ID, cycle.PeriodUpdate{State: ptrTo(cycle.PeriodOpen)}); err != nil {
				b.Fatal(err)
			}
			if q.Seq < 7 {
				if _, err := periods.UpdatePeriod(ctx, q.ID, cycle.PeriodUpdate{State: ptrTo(cycle.PeriodClosed)}); err != nil {
					b.Fatal(err)
				}
			}
		}
		tasks, _, err := tasksSvc.FindTasks(ctx, duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			b.Fatal(err)
		}
		// The reports go in one transaction: the benchmark is of the
		// lights, not of 6,000 saves.
		july := ps[6]
		if err := db.Update(ctx, func(tx *Tx) error {
			var rows []string
			var args []any
			for k, t := range tasks {
				composer, _ := cycle.ReportingUnits(t, nil)
				v := float64(k % 80)
				a := []cycle.Actual{{Indicator: 0, Text: fmt.Sprintf("%g家", v), Value: &v}}
				actuals, _ := toJSON(a)
				rows = append(rows, "(?, ?, ?, ?, 'task', 'accepted', '推进中', ?, ?, ?, '[]', 1, 'bench', ?, ?)")
				args = append(args, p.ID, july.ID, t.ID, composer, 20+k%70, actuals, actualValues(a), tx.Time(tx.Now()), tx.Time(tx.Now()))
				if len(rows) == 50 || k == len(tasks)-1 {
					if _, err := tx.Exec(`INSERT INTO reports (plan_id, period_id, task_id, unit_id, kind, state, progress, completion, actuals,
						actual_values, evidence, version, updated_by, created_at, updated_at) VALUES `+strings.Join(rows, ", "), args...); err != nil {
						return err
					}
					rows, args = nil, nil
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		plans = append(plans, p)
	}
	return db, plans, readClock
}

func ptrTo[T any](v T) *T { return &v }

// BenchmarkSendReminders sends the reminders of the ledger of
// mustLightLedger as the jobs do every minute, once everything due is sent:
// on the day three days before July's due date, and on a day no reminder
// of July falls due.
func BenchmarkSendReminders(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkSendReminders(b, filepath.Join(b.TempDir(), "duban.db")) })
	b.Run("postgres", func(b *testing.B) { benchmarkSendReminders(b, sqldbtest.PostgresDSN(b)) })
}

func benchmarkSendReminders(b *testing.B, dsn string) {
	db, _, _ := mustLightLedger(b, dsn)
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{ID: 1, Name: "office", Role: duban.RoleAdmin})
	reminders := NewReminderService(db, nil)
	for _, day := range []struct {
		name string
		at   time.Time
		due  bool
	}{
		{"reminder day, all sent", time.Date(2022, 7, 22, 10, 0, 0, 0, duban.Beijing), true},
		{"no reminder day", time.Date(2022, 7, 15, 10, 0, 0, 0, duban.Beijing), false},
	} {
		b.Run(day.name, func(b *testing.B) {
			setClock(db, day.at)
			due, err := reminders.FindReminders(ctx)
			if err != nil || (len(due) > 0) != day.due {
				b.Fatalf("%d reminders due (%v), want some: %v", len(due), err, day.due)
			}
			// The first round sends them (a run of -count after the first
			// finds them sent already).
			if _, err := reminders.SendReminders(ctx); err != nil {
				b.Fatal(err)
			}
			cpu := sqldbtest.CPU()
			for b.Loop() {
				if n, err := reminders.SendReminders(ctx); err != nil || n != 0 {
					b.Fatalf("%d reminders sent again (%v)", n, err)
				}
			}
			sqldbtest.ReportCPU(b, cpu)
		})
	}
}

// BenchmarkReportSave saves task reports of the sample plan in SQLite, each
// created as a draft and submitted: two transactions, each with its
// version, the task's lights recomputed and its audit event, as a clerk's
// form does in the deadline rush.
func BenchmarkReportSave(b *testing.B) {
	db, err := sqldb.Open(context.Background(), filepath.Join(b.TempDir(), "duban.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	setClock(db, time.Date(2022, 7, 20, 10, 0, 0, 0, duban.Beijing))
	db.Now = readClock
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{ID: 1, Name: "office", Role: duban.RoleAdmin})
	res, err := demo.Load(ctx, demo.Services{Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: ledgerstore.NewUnitService(db)})
	if err != nil {
		b.Fatal(err)
	}
	periods := NewPeriodService(db)
	ps, err := periods.CreatePeriods(ctx, res.Plan.ID)
	if err != nil {
		b.Fatal(err)
	}
	all, _, err := ledgerstore.NewTaskService(db).FindTasks(ctx, duban.TaskFilter{PlanID: &res.Plan.ID})
	if err != nil {
		b.Fatal(err)
	}
	var tasks []*duban.Task // those a unit reports on
	for _, t := range all {
		if composer, _ := cycle.ReportingUnits(t, nil); composer != 0 {
			tasks = append(tasks, t)
		}
	}
	reports := NewReportService(db, nil)
	i := 0
	for b.Loop() {
		b.StopTimer()
		q := ps[i/len(tasks)%12]
		if i%len(tasks) == 0 {
			if _, err := periods.UpdatePeriod(ctx, q.ID, cycle.PeriodUpdate{State: ptrTo(cycle.PeriodOpen)}); err != nil {
				b.Fatal(err)
			}
		}
		t := tasks[i%len(tasks)]
		composer, _ := cycle.ReportingUnits(t, nil)
		clerk := duban.NewContextWithUser(context.Background(), &duban.User{ID: 100 + composer, Name: "c", Role: duban.RoleClerk, UnitID: composer})
		i++
		b.StartTimer()
		r := &cycle.Report{PeriodID: q.ID, TaskID: t.ID, UnitID: composer, Kind: cycle.ReportTask, State: cycle.ReportDraft,
			Progress: "按计划推进", Completion: 50}
		if err := reports.CreateReport(clerk, r); err != nil {
			b.Fatal(err)
		}
		if _, err := reports.UpdateReport(clerk, r.ID, cycle.ReportUpdate{State: ptrTo(cycle.ReportSubmitted), Version: r.Version}); err != nil {
			b.Fatal(err)
		}
		if i == 12*len(tasks) {
			b.Fatal("every task of every period reported")
		}
	}
}
