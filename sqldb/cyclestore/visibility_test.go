package cyclestore_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// TestClerksReadTheirUnitsReports checks that a clerk reads the reports,
// versions, requests to close and obligations of its unit's tasks only,
// those addressed to a group it belongs to included, while leaders and
// viewers read every task's.
func TestClerksReadTheirUnitsReports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		// 4.3.1 is addressed to 各街道办事处 among others: membership makes
		// 泉城路街道办事处, which no task of it names, one of its units.
		probe := newWorld(t, db, nil)
		group, street := probe.units["各街道办事处"], probe.units["泉城路街道办事处"]
		if group == 0 || street == 0 {
			t.Fatalf("the sample's units: 各街道办事处 %d, 泉城路街道办事处 %d", group, street)
		}
		w := probe
		w.services = newServices(db, groupsOf{group: {street}})
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)

		lead := w.clerk(t, "区科学技术局")
		other := w.clerk(t, "区财政局")
		viewer := &duban.User{ID: 9, Name: "viewer", Role: duban.RoleViewer}
		leader := &duban.User{ID: 10, Name: "leader", Role: duban.RoleLeader, LeaderID: 1}
		r := w.mustReport(t, lead, july, "2.1.3", "区科学技术局", cycle.ReportTask, 30, false)
		if err := w.reports.CreateClosure(as(lead), &cycle.Closure{TaskID: r.TaskID, Note: "已完成全部工作"}); err != nil {
			t.Fatal(err)
		}

		for _, u := range []*duban.User{lead, viewer, leader, office} {
			if _, err := w.reports.FindReportByID(as(u), r.ID); err != nil {
				t.Errorf("%s reads the report: %v", u.Name, err)
			}
			list, n, err := w.reports.FindReports(as(u), cycle.ReportFilter{PeriodID: &july.ID})
			if err != nil || n != 1 || len(list) != 1 {
				t.Errorf("%s lists July's reports: got %d (%v), want 1", u.Name, n, err)
			}
			if _, n, err := w.reports.FindClosures(as(u), cycle.ClosureFilter{}); err != nil || n != 1 {
				t.Errorf("%s lists the requests to close: got %d (%v), want 1", u.Name, n, err)
			}
		}
		_, err := w.reports.FindReportByID(as(other), r.ID)
		wantCode(t, "another unit's report", err, duban.EFORBIDDEN)
		if list, n, err := w.reports.FindReports(as(other), cycle.ReportFilter{PeriodID: &july.ID}); err != nil || n != 0 || len(list) != 0 {
			t.Errorf("another unit lists July's reports: got %d (%v), want none", n, err)
		}
		_, n, err := w.reports.FindClosures(as(other), cycle.ClosureFilter{})
		if err != nil || n != 0 {
			t.Errorf("another unit lists the requests to close: got %d (%v), want none", n, err)
		}
		all, _, err := w.reports.FindClosures(as(office), cycle.ClosureFilter{})
		if err != nil || len(all) != 1 {
			t.Fatalf("the office's requests to close: got %d (%v)", len(all), err)
		}
		_, _, err = w.reports.FindClosures(as(other), cycle.ClosureFilter{ID: &all[0].ID})
		wantCode(t, "another unit's request to close by its ID", err, duban.EFORBIDDEN)

		// A street reads the reports of a task addressed to its group.
		streetClerk := w.clerk(t, "泉城路街道办事处")
		task := w.tasks["4.3.1"]
		if task.HasUnit(street) || !task.Reaches(street, cycle.Groups{group: {street}}) {
			t.Fatalf("4.3.1 does not reach the street through its group alone")
		}
		composer, _ := cycle.ReportingUnits(task, cycle.Groups{group: {street}})
		composerClerk := &duban.User{ID: 3000 + composer, Name: "composer", Role: duban.RoleClerk, UnitID: composer}
		tr := &cycle.Report{PeriodID: july.ID, TaskID: task.ID, UnitID: composer, Kind: cycle.ReportTask, State: cycle.ReportDraft, Progress: "推进中"}
		if err := w.reports.CreateReport(as(composerClerk), tr); err != nil {
			t.Fatal(err)
		}
		if _, err := w.reports.FindReportByID(as(streetClerk), tr.ID); err != nil {
			t.Errorf("a street reads its group's task's report: %v", err)
		}

		// A clerk's obligations are its unit's.
		obls, err := w.reminders.FindObligations(as(other), cycle.ObligationFilter{PeriodID: &july.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obls {
			if o.UnitID != other.UnitID {
				t.Errorf("a clerk sees another unit's obligation: %+v", o)
			}
		}
		if _, err := w.reports.FindReportByID(as(other), tr.ID); duban.ErrorCode(err) != duban.EFORBIDDEN {
			t.Errorf("another unit reads the group's task's report: %v", err)
		}
		_, err = w.reminders.FindObligations(as(other), cycle.ObligationFilter{PeriodID: &july.ID, UnitID: &lead.UnitID})
		wantCode(t, "another unit's obligations", err, duban.EFORBIDDEN)

		// A page of a list asks for its tasks' lights.
		ids := []int64{w.tasks["2.1.3"].ID, w.tasks["4.3.1"].ID}
		lights, n, err := w.lights.FindLights(as(viewer), cycle.LightFilter{TaskIDs: ids, Latest: true})
		if err != nil || n != 2 {
			t.Fatalf("the lights of two tasks: got %d (%v), want 2", n, err)
		}
		for _, l := range lights {
			if !slices.Contains(ids, l.TaskID) {
				t.Errorf("a light of another task: %+v", l)
			}
		}
		if _, n, err := w.lights.FindLights(as(viewer), cycle.LightFilter{TaskIDs: []int64{}}); err != nil || n != 0 {
			t.Errorf("the lights of no task: got %d (%v), want none", n, err)
		}
	})
}

// TestConflictIsStale checks that a save from an old version is refused as
// a conflict whose cause is duban.ErrStale, which the API answers with 412.
func TestConflictIsStale(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)
		lead := w.clerk(t, "区科学技术局")
		r := w.mustReport(t, lead, july, "2.1.3", "区科学技术局", cycle.ReportTask, 30, true)
		if _, err := w.reports.UpdateReport(as(lead), r.ID, cycle.ReportUpdate{Completion: ptr(40), Version: 1}); err != nil {
			t.Fatal(err)
		}
		_, err := w.reports.UpdateReport(as(lead), r.ID, cycle.ReportUpdate{Completion: ptr(50), Version: 1})
		if !errors.Is(err, duban.ErrStale) || duban.ErrorCode(err) != duban.ECONFLICT {
			t.Errorf("a save from version 1 after version 2: got %v, want a conflict caused by ErrStale", err)
		}
		_, err = w.reports.UpdateReport(as(lead), r.ID, cycle.ReportUpdate{State: ptr(cycle.ReportAccepted), Version: 2})
		if errors.Is(err, duban.ErrStale) {
			t.Errorf("a refusal that is not about versions is stale: %v", err)
		}
	})
}
