package cyclestore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestReportConflict saves one report twice from the same version: the
// second save is refused naming who saved first and when, and changes
// nothing.
func TestReportConflict(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)
		zhang := w.clerk(t, "区人力资源和社会保障局")
		li := *zhang
		li.ID, li.Name, li.DisplayName = 9001, "li", "李四"
		r := w.mustReport(t, zhang, july, "0.0.4", "区人力资源和社会保障局", cycle.ReportTask, 20, true, "1万人")

		w.clock.Set("2022-07-11")
		if _, err := w.reports.UpdateReport(as(zhang), r.ID, cycle.ReportUpdate{Progress: ptr("张的版本"), Version: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := w.reports.UpdateReport(as(&li), r.ID, cycle.ReportUpdate{Progress: ptr("李的版本"), Version: 1})
		wantCode(t, "the second save", err, duban.ECONFLICT)
		if msg := duban.ErrorMessage(err); !strings.Contains(msg, "已由"+zhang.Label()+"于 2022-07-11 10:00 保存（第 2 版）") {
			t.Errorf("the refusal names the first save: %q", msg)
		}
		stored, err := w.reports.FindReportByID(as(office), r.ID)
		if err != nil || stored.Progress != "张的版本" || stored.Version != 2 {
			t.Errorf("after the refused save: got %q version %d (%v)", stored.Progress, stored.Version, err)
		}
		// A second report for the same unit, task and period is a conflict
		// too, naming the one saved.
		again := &cycle.Report{PeriodID: july.ID, TaskID: r.TaskID, UnitID: r.UnitID, Kind: cycle.ReportTask, State: cycle.ReportDraft, Progress: "重复"}
		err = w.reports.CreateReport(as(&li), again)
		wantCode(t, "a second first version", err, duban.ECONFLICT)
		if !strings.Contains(duban.ErrorMessage(err), zhang.Label()) {
			t.Errorf("the refusal names who saved: %q", duban.ErrorMessage(err))
		}
	})
}

// TestConcurrentReports has clerks save at once through two handles on one
// database, as two servers would: saves of different reports all succeed
// (on SQLite, no "database is locked"), saves of one report from one
// version give one success and conflicts, and the audit chain holds one
// event per save.
func TestConcurrentReports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)
		second := cyclestore.NewReportService(mustReopen(t, db), nil)
		before := mustVerify(t, db)

		// Every task's report, by its composing unit, from 8 writers.
		var jobs []*duban.Task
		for _, task := range w.tasks {
			if composer, _ := cycle.ReportingUnits(task, nil); composer != 0 {
				jobs = append(jobs, task)
			}
		}
		var mu sync.Mutex
		var failures []error
		var wg sync.WaitGroup
		next := make(chan *duban.Task)
		for i := range 8 {
			svc := w.reports
			if i%2 == 1 {
				svc = second
			}
			wg.Go(func() {
				for task := range next {
					composer, _ := cycle.ReportingUnits(task, nil)
					clerk := &duban.User{ID: 3000 + composer, Name: fmt.Sprintf("c%d", composer), Role: duban.RoleClerk, UnitID: composer}
					err := svc.CreateReport(as(clerk), &cycle.Report{PeriodID: july.ID, TaskID: task.ID, UnitID: composer,
						Kind: cycle.ReportTask, State: cycle.ReportSubmitted, Progress: "按计划推进", Completion: 50})
					if err != nil {
						mu.Lock()
						failures = append(failures, err)
						mu.Unlock()
					}
				}
			})
		}
		for _, task := range jobs {
			next <- task
		}
		close(next)
		wg.Wait()
		t.Logf("%s: %d reports from 8 writers on two handles, %d failed", db.Dialect(), len(jobs), len(failures))
		for _, err := range failures {
			t.Errorf("a save failed: %v", err)
		}

		// Ten saves of one report from version 1, at once.
		clerk := w.clerk(t, "区发展和改革局")
		r := w.mustReport(t, clerk, july, "1.1.1", "区发展和改革局", cycle.ReportPart, 10, true)
		var ok, conflicts int
		var others []error
		for i := range 10 {
			svc := w.reports
			if i%2 == 1 {
				svc = second
			}
			wg.Go(func() {
				_, err := svc.UpdateReport(as(clerk), r.ID, cycle.ReportUpdate{Progress: ptr(fmt.Sprintf("第 %d 次保存", i)), Version: 1})
				mu.Lock()
				defer mu.Unlock()
				switch duban.ErrorCode(err) {
				case "":
					ok++
				case duban.ECONFLICT:
					conflicts++
				default:
					others = append(others, err)
				}
			})
		}
		wg.Wait()
		if ok != 1 || conflicts != 9 || len(others) > 0 {
			t.Errorf("ten saves from one version: %d saved, %d conflicts, other errors %v; want 1, 9, none", ok, conflicts, others)
		}
		// Each save wrote one event; the report of 1.1.1 was saved twice.
		if got, want := mustVerify(t, db), before+int64(len(jobs))+2; got != want {
			t.Errorf("audit events: got %d, want %d", got, want)
		}
	})
}

func mustVerify(t testing.TB, db *sqldb.DB) int64 {
	t.Helper()
	return sqldbtest.MustVerifyAudit(t, db, office)
}
