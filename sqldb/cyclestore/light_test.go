package cyclestore_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestRecomputeEveryPlan recomputes the lights of every published plan in
// one call (plan 0), as the daily pass does: a day later every light of
// the open periods reads as of that day, in each plan, with only those
// whose status or numbers moved written, and is logged per plan; a second
// pass the same day changes nothing; a clerk may not recompute.
func TestRecomputeEveryPlan(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		// A second published plan of 2022, of a few tasks.
		r := demo.SyntheticReading(2022, 8, 5)
		r.Document.Region = "历下区第二"
		data, _ := json.Marshal(r)
		res, err := ledgerstore.NewPlanService(db).ImportPlan(as(office), duban.ImportInput{Name: "second.json", Data: data, Reading: r})
		if err != nil {
			t.Fatal(err)
		}
		second := sqldbtest.MustPublish(t, db, office, res.Plan.ID)
		w.clock.Set("2022-07-05")
		july := w.mustPeriods(t)[6]
		w.mustOpenPeriod(t, july)
		secondJuly, err := w.periods.CreatePeriods(as(office), second.ID)
		if err != nil {
			t.Fatal(err)
		}
		w.mustOpenPeriod(t, secondJuly[6])

		count := func(planID int64) int {
			ls, n, err := w.lights.FindLights(as(office), cycle.LightFilter{PlanID: &planID, Limit: 1})
			if err != nil || len(ls) != 1 {
				t.Fatalf("lights of plan %d: %v", planID, err)
			}
			return n
		}
		first, other := count(w.plan.ID), count(second.ID)
		audit := sqldb.NewAuditService(db)
		spared := w.units["区审计局"]
		before, err := audit.Heads(as(office), spared)
		if err != nil {
			t.Fatal(err)
		}

		w.clock.Set("2022-07-06")
		if _, err := w.lights.RecomputeLights(as(w.clerk(t, "区财政局")), 0); duban.ErrorCode(err) != duban.EFORBIDDEN {
			t.Errorf("a clerk recomputing: got %v, want forbidden", err)
		}
		n, err := w.lights.RecomputeLights(as(office), 0)
		if err != nil {
			t.Fatal(err)
		}
		// The day is kept once per period: a day passing writes only the
		// lights whose status or numbers moved, and every unit's pages,
		// whose reasons name the day, are read afresh.
		if n >= first+other {
			t.Errorf("a day later: %d lights changed, want fewer than every open period's %d + %d", n, first, other)
		}
		if after, err := audit.Heads(as(office), spared); err != nil || after.Lights == before.Lights {
			t.Errorf("a day later: %s's lights version %d → %d (%v), want moved", "区审计局", before.Lights, after.Lights, err)
		}
		for _, p := range []*duban.Plan{w.plan, second} {
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PlanID: &p.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				if l.AsOf != date("2022-07-06") {
					t.Fatalf("plan %d: a light as of %s, want 2022-07-06", p.ID, l.AsOf)
				}
				if strings.Contains(l.Reason, "截至") && !strings.Contains(l.Reason, "截至 7月6日") || strings.ContainsAny(l.Reason+l.ReasonEN, "\x1d\x1e\x1f") {
					t.Fatalf("plan %d: a light's reason a day later: %q, %q", p.ID, l.Reason, l.ReasonEN)
				}
			}
			events, _, err := audit.FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("plan"), EntityID: &p.ID, Limit: 1})
			if err != nil || len(events) != 1 || events[0].Action != "plan.lights" {
				t.Errorf("plan %d: latest event %+v (%v), want plan.lights", p.ID, events, err)
			}
		}
		if n, err := w.lights.RecomputeLights(as(office), 0); err != nil || n != 0 {
			t.Errorf("again the same day: %d changed (%v), want 0", n, err)
		}
		if _, err := w.lights.RecomputeLights(as(office), 999999); duban.ErrorCode(err) != duban.ENOTFOUND {
			t.Errorf("a plan that is not there: got %v, want not found", err)
		}
	})
}

// TestShareExpectedCountedWhenRead: a day passing moves the share expected
// of every light (序时进度) without writing it: the lights written are those
// whose status or reasons' words moved, and each light reads, its share and
// reasons counted for its day, as it reads once written afresh that day.
func TestShareExpectedCountedWhenRead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		w.clock.Set("2022-07-05")
		july := w.mustPeriods(t)[6]
		w.mustOpenPeriod(t, july)
		w.clock.Set("2022-07-06")
		w.mustReport(t, w.clerk(t, "区科学技术局"), july, "2.1.3", "区科学技术局", cycle.ReportTask, 50, false)
		read := func() []*cycle.Light {
			t.Helper()
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &july.ID})
			if err != nil || len(ls) == 0 {
				t.Fatalf("July's lights: %v (%d)", err, len(ls))
			}
			for _, l := range ls {
				l.ComputedAt = time.Time{}
			}
			return ls
		}
		if _, err := w.lights.RecomputeLights(as(office), 0); err != nil {
			t.Fatal(err)
		}
		before := read()

		// Ten days on, every share expected has moved by two or three
		// points.
		w.clock.Set("2022-07-16")
		n, err := w.lights.RecomputeLights(as(office), 0)
		if err != nil {
			t.Fatal(err)
		}
		after := read()
		digits := regexp.MustCompile("[0-9]+")
		moved, worded := 0, 0
		for i, l := range after {
			b := before[i]
			if l.Expected != b.Expected {
				moved++
			}
			if l.Status != b.Status || digits.ReplaceAllString(l.Reason+l.ReasonEN, "#") != digits.ReplaceAllString(b.Reason+b.ReasonEN, "#") {
				worded++
			}
			if strings.ContainsAny(l.Reason+l.ReasonEN, "\x1d\x1e\x1f") {
				t.Errorf("task %d: a mark left in the reasons: %q, %q", l.TaskID, l.Reason, l.ReasonEN)
			}
			if l.Reason == b.Reason && strings.Contains(l.Reason, "应达") {
				t.Errorf("task %d: the reason did not move with the day: %q", l.TaskID, l.Reason)
			}
		}
		if moved < len(after)/2 || n != worded {
			t.Errorf("ten days on: %d of %d shares expected moved, %d lights written, want most moved and %d written (those whose status or words moved)",
				moved, len(after), n, worded)
		}
		// Every light written afresh the same day reads the same.
		if err := db.Update(as(office), func(tx *sqldb.Tx) error {
			_, err := tx.Exec("UPDATE lights SET digest = digest + 1 WHERE period_id = ?", july.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.lights.RecomputeLights(as(office), 0); err != nil || n != len(after) {
			t.Fatalf("written afresh: %d (%v), want %d", n, err, len(after))
		}
		for i, l := range read() {
			if !reflect.DeepEqual(l, after[i]) {
				t.Errorf("task %d: counted when read %+v, written afresh %+v", l.TaskID, *after[i], *l)
			}
		}
	})
}

// TestHeadsOfUnits: a report moves the version of the lights of the units
// its task reaches (named, or through a group) when it changes the task's
// light, and no other unit's; a part, which changes no light, moves none;
// neither moves the head of tasks, which a task's correction moves.
func TestHeadsOfUnits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		units := ledgerstore.NewUnitService(db)
		w := newWorld(t, db, units)
		if _, err := units.SetGroupMembers(as(office), w.units["各街道办事处"], []int64{w.units["龙洞街道办事处"]}); err != nil {
			t.Fatal(err)
		}
		w.clock.Set("2022-07-05")
		july := w.mustPeriods(t)[6]
		w.mustOpenPeriod(t, july)
		audit := sqldb.NewAuditService(db)
		names := []string{"区科学技术局", "区地方金融监督管理局", "历下控股集团", "区商务局", "各街道办事处", "龙洞街道办事处", "区审计局"}
		heads := func() (lists, tasks int64, lights map[string]int64) {
			t.Helper()
			lights = map[string]int64{}
			for _, n := range names {
				h, err := audit.Heads(as(office), w.units[n])
				if err != nil {
					t.Fatal(err)
				}
				lists, tasks, lights[n] = h.Lists, h.Tasks, h.Lights
			}
			return lists, tasks, lights
		}
		// The moves of lights name the tasks whose lights moved.
		movesHead := func() int64 {
			t.Helper()
			h, err := audit.Heads(as(office), 0)
			if err != nil {
				t.Fatal(err)
			}
			return h.Moves
		}
		// task is the task whose lights the change moves, or "".
		step := func(what string, change func(), task string, moved ...string) {
			t.Helper()
			lists, tasks, before := heads()
			from := movesHead()
			change()
			through := movesHead()
			var want []int64
			if task != "" {
				want = []int64{w.tasks[task].ID}
			}
			if got, every, err := w.lights.FindLightMoves(as(reader), from, through); err != nil || every || !slices.Equal(got, want) {
				t.Errorf("%s: the tasks whose lights moved: %v, every %v (%v); want %v", what, got, every, err, want)
			}
			l, tk, after := heads()
			if l == lists || tk != tasks {
				t.Errorf("%s: lists head %d → %d, tasks head %d → %d; want the first moved, the second not", what, lists, l, tasks, tk)
			}
			for _, n := range names {
				if got, want := after[n] != before[n], slices.Contains(moved, n); got != want {
					t.Errorf("%s: %s's lights moved %v, want %v", what, n, got, want)
				}
			}
		}
		step("a part of 2.1.3", func() {
			w.mustReport(t, w.clerk(t, "历下控股集团"), july, "2.1.3", "历下控股集团", cycle.ReportPart, 40, false)
		}, "")
		step("2.1.3's report", func() {
			w.mustReport(t, w.clerk(t, "区科学技术局"), july, "2.1.3", "区科学技术局", cycle.ReportTask, 40, false)
		}, "2.1.3", "区科学技术局", "区地方金融监督管理局", "历下控股集团")
		step("2.3.5's report, to every street", func() {
			w.mustReport(t, w.clerk(t, "区商务局"), july, "2.3.5", "区商务局", cycle.ReportTask, 40, false)
		}, "2.3.5", "区商务局", "历下控股集团", "各街道办事处", "龙洞街道办事处")

		_, tasks, _ := heads()
		deadline := "10月底前"
		if _, err := ledgerstore.NewTaskService(db).UpdateTask(as(office), w.tasks["3.1.3"].ID, duban.TaskUpdate{Deadline: &deadline}); err != nil {
			t.Fatal(err)
		}
		if _, tk, _ := heads(); tk == tasks {
			t.Error("a task's correction left the head of tasks where it was")
		}
	})
}

// TestManyLightsMoveEveryUnit: a plan's lights recomputed at once (more
// than a few hundred tasks') move the lights version of every unit, those
// the plan does not reach too, rather than look for the few it spares.
func TestManyLightsMoveEveryUnit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		r := demo.SyntheticReading(2022, 300, 5)
		r.Document.Region = "历下区第二"
		data, _ := json.Marshal(r)
		res, err := ledgerstore.NewPlanService(db).ImportPlan(as(office), duban.ImportInput{Name: "second.json", Data: data, Reading: r})
		if err != nil {
			t.Fatal(err)
		}
		big := sqldbtest.MustPublish(t, db, office, res.Plan.ID)
		w.clock.Set("2022-07-05")
		ps, err := w.periods.CreatePeriods(as(office), big.ID)
		if err != nil {
			t.Fatal(err)
		}
		w.mustOpenPeriod(t, ps[6])
		audit := sqldb.NewAuditService(db)
		spared := w.units["区审计局"] // a unit of the sample plan alone
		before, err := audit.Heads(as(office), spared)
		if err != nil {
			t.Fatal(err)
		}
		// Every kept light of the plan altered, the same day.
		if err := db.Update(as(office), func(tx *sqldb.Tx) error {
			_, err := tx.Exec("UPDATE lights SET digest = digest + 1 WHERE plan_id = ?", big.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.lights.RecomputeLights(as(office), big.ID); err != nil || n != 300 {
			t.Fatalf("300 lights altered: %d lights changed (%v), want 300", n, err)
		}
		after, err := audit.Heads(as(office), spared)
		if err != nil || after.Lights == before.Lights {
			t.Errorf("300 lights of another plan recomputed: %s's lights version %d → %d (%v), want moved", "区审计局", before.Lights, after.Lights, err)
		}
		// Every task's lights moved: a page reads all of its own again,
		// as does a page lit before moves no longer kept.
		for _, from := range []int64{before.Moves, 0} {
			if tasks, every, err := w.lights.FindLightMoves(as(reader), from, after.Moves); err != nil || !every || tasks != nil {
				t.Errorf("moves after %d: tasks %v, every %v (%v); want every", from, tasks, every, err)
			}
		}
		if _, every, err := w.lights.FindLightMoves(as(reader), after.Moves+1, after.Moves); err != nil || !every {
			t.Errorf("moves after one to come: every %v (%v), want every", every, err)
		}
		if tasks, every, err := w.lights.FindLightMoves(as(reader), after.Moves, after.Moves); err != nil || every || tasks != nil {
			t.Errorf("no move since: tasks %v, every %v (%v); want none", tasks, every, err)
		}
		if _, _, err := w.lights.FindLightMoves(as(nil), before.Moves, after.Moves); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("nobody: got %v, want unauthorized", err)
		}
	})
}

// TestFirstLightsOfAPeriod: the first light of a period (one opened before
// it began, reported on when it has) makes it the latest of its plan, whose
// lights are those shown of every task of the plan: it moves the lights
// version of every unit, those the reported task does not reach too.
func TestFirstLightsOfAPeriod(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		ps := w.mustPeriods(t)
		july, august := ps[6], ps[7]
		w.clock.Set("2022-07-05")
		w.mustOpenPeriod(t, july)
		w.clock.Set("2022-07-29")
		w.mustOpenPeriod(t, august)
		if ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &august.ID}); err != nil || len(ls) != 0 {
			t.Fatalf("August opened before it began: %d lights (%v), want none", len(ls), err)
		}
		far := w.units["区审计局"] // not an owner of 2.1.3
		farTasks, _, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &w.plan.ID, UnitID: &far})
		if err != nil || len(farTasks) == 0 {
			t.Fatalf("区审计局's tasks: %d (%v)", len(farTasks), err)
		}
		// shown is the period of the light shown of 区审计局's task.
		shown := func() int64 {
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{TaskIDs: []int64{farTasks[0].ID}, Latest: true})
			if err != nil || len(ls) != 1 {
				t.Fatalf("区审计局's task shows %d lights (%v)", len(ls), err)
			}
			return ls[0].PeriodID
		}
		audit := sqldb.NewAuditService(db)
		before, err := audit.Heads(as(office), far)
		if err != nil {
			t.Fatal(err)
		}
		if shown() != july.ID {
			t.Fatal("区审计局's task shows no light of July")
		}
		w.clock.Set("2022-08-01")
		w.mustReport(t, w.clerk(t, "区科学技术局"), august, "2.1.3", "区科学技术局", cycle.ReportTask, 40, false)
		w.mustLight(t, august, "2.1.3")
		// A period's first light is of every task: the period's lights
		// share its day.
		if shown() != august.ID {
			t.Fatal("区审计局's task still shows July's light once August has lights")
		}
		if after, err := audit.Heads(as(office), far); err != nil || after.Lights == before.Lights {
			t.Errorf("August's first light: 区审计局's lights version %d → %d (%v), want moved", before.Lights, after.Lights, err)
		}
	})
}

// TestRecomputeFindsKeptChanged: a recomputation compares the lights it
// computes with those kept, period by period, and writes back exactly
// those that differ: a kept light altered (in its status or in all else)
// or missing is written again as computed, and no other; recomputing the
// plan's lights or every plan's (which reads the kept lights beside).
func TestRecomputeFindsKeptChanged(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		w.clock.Set("2022-07-05")
		periods := w.mustPeriods(t)
		w.mustOpenPeriod(t, periods[5])
		w.mustOpenPeriod(t, periods[6])
		june, july := periods[5], periods[6]
		w.mustReport(t, w.clerk(t, "区科学技术局"), july, "2.1.3", "区科学技术局", cycle.ReportTask, 40, false)
		light := func(p *cycle.Period, task string) cycle.Light {
			t.Helper()
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &p.ID, TaskID: &w.tasks[task].ID})
			if err != nil || len(ls) != 1 {
				t.Fatalf("the light of %s in %s: %v (%d)", task, p.Label, err, len(ls))
			}
			l := *ls[0]
			l.ComputedAt = time.Time{}
			return l
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if err := db.Update(as(office), func(tx *sqldb.Tx) error { _, err := tx.Exec(q, args...); return err }); err != nil {
				t.Fatal(err)
			}
		}
		for _, plan := range []int64{w.plan.ID, 0} {
			recompute := func(what string, want int) {
				t.Helper()
				if n, err := w.lights.RecomputeLights(as(office), plan); err != nil || n != want {
					t.Errorf("plan %d, %s: %d lights changed (%v), want %d", plan, what, n, err, want)
				}
			}
			recompute("nothing done", 0)
			before, other := light(july, "2.1.3"), light(june, "3.1.3")

			// Altered with its status, which the recomputation writes back
			// with the rest; altered in all but its status, which it writes
			// back leaving the status as it is.
			exec(`UPDATE lights SET status = CASE WHEN status = 'severe' THEN 'normal' ELSE 'severe' END, reason = '改过', digest = digest + 1
			WHERE period_id = ? AND task_id = ?`, july.ID, w.tasks["2.1.3"].ID)
			recompute("a kept light's status altered", 1)
			if got := light(july, "2.1.3"); !reflect.DeepEqual(got, before) {
				t.Errorf("the altered light written again: %+v, want %+v", got, before)
			}
			exec(`UPDATE lights SET reason = '改过', reason_en = 'altered', completion = completion + 1, expected = expected + 1,
			reached = '0=1', digest = digest + 1 WHERE period_id = ? AND task_id = ?`, july.ID, w.tasks["2.1.3"].ID)
			recompute("a kept light altered but for its status", 1)
			if got := light(july, "2.1.3"); !reflect.DeepEqual(got, before) {
				t.Errorf("the altered light written again: %+v, want %+v", got, before)
			}
			exec("DELETE FROM lights WHERE period_id = ? AND task_id = ?", june.ID, w.tasks["3.1.3"].ID)
			recompute("a kept light missing", 1)
			if got := light(june, "3.1.3"); !reflect.DeepEqual(got, other) {
				t.Errorf("the missing light written again: %+v, want %+v", got, other)
			}
			// Two lights altered in two periods, their digests moved so that
			// each period's still add up to as many lights.
			exec("UPDATE lights SET digest = digest + 7 WHERE period_id = ? AND task_id = ?", july.ID, w.tasks["2.1.3"].ID)
			exec("UPDATE lights SET digest = digest - 7 WHERE period_id = ? AND task_id = ?", june.ID, w.tasks["3.1.3"].ID)
			recompute("two lights altered", 2)
			recompute("again", 0)
		}
	})
}

// TestBriefLights: a list's brief reading of lights has each light's
// plan, period, task, status and reasons as the full reading has them, and
// nothing else.
func TestBriefLights(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-05")
		w.mustOpenPeriod(t, july)
		w.clock.Set("2022-07-20")
		w.mustReport(t, w.clerk(t, "区科学技术局"), july, "2.1.3", "区科学技术局", cycle.ReportTask, 40, false)
		var ids []int64
		for _, task := range w.tasks {
			ids = append(ids, task.ID)
		}
		full, _, err := w.lights.FindLights(as(office), cycle.LightFilter{TaskIDs: ids, Latest: true})
		if err != nil {
			t.Fatal(err)
		}
		brief, _, err := w.lights.FindLights(as(office), cycle.LightFilter{TaskIDs: ids, Latest: true, Brief: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(full) == 0 || len(brief) != len(full) {
			t.Fatalf("%d lights read briefly, %d in full", len(brief), len(full))
		}
		reported := false
		for i, f := range full {
			b := brief[i]
			if b.PlanID != f.PlanID || b.PeriodID != f.PeriodID || b.TaskID != f.TaskID || b.Status != f.Status ||
				b.Reason != f.Reason || b.ReasonEN != f.ReasonEN || f.Reason == "" {
				t.Errorf("task %d: brief %+v, full %+v", f.TaskID, *b, *f)
			}
			if b.AsOf != f.AsOf {
				t.Errorf("task %d: brief as of %s, full as of %s", f.TaskID, b.AsOf, f.AsOf)
			}
			if b.Expected != f.Expected {
				t.Errorf("task %d: brief expects %d%%, full %d%%", f.TaskID, b.Expected, f.Expected)
			}
			if b.Completion != 0 || b.Reached != nil || !b.ComputedAt.IsZero() {
				t.Errorf("task %d: the brief reading has more: %+v", f.TaskID, *b)
			}
			reported = reported || f.Completion == 40
		}
		if !reported {
			t.Error("2.1.3's report of 40% is in no light read in full")
		}
	})
}

// TestClosedPeriodKeepsItsDay: a period closed before its end keeps its
// lights as of the day it was closed, however the lights of later periods
// are recomputed; a report on a day the daily pass has not seen brings
// every light of its period to that day.
func TestClosedPeriodKeepsItsDay(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		ps := w.mustPeriods(t)
		july, august := ps[6], ps[7]
		w.clock.Set("2022-07-05")
		w.mustOpenPeriod(t, july)
		w.clock.Set("2022-07-28")
		if _, err := w.periods.UpdatePeriod(as(office), july.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodClosed)}); err != nil {
			t.Fatal(err)
		}
		read := func() []*cycle.Light {
			t.Helper()
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &july.ID})
			if err != nil || len(ls) == 0 {
				t.Fatalf("July's lights: %d (%v)", len(ls), err)
			}
			return ls
		}
		closed := read()
		w.clock.Set("2022-08-01")
		w.mustOpenPeriod(t, august)
		w.clock.Set("2022-08-05")
		w.mustReport(t, w.clerk(t, "区科学技术局"), august, "2.1.3", "区科学技术局", cycle.ReportTask, 40, false)
		// The report's recomputation, on a day the daily pass did not see,
		// brought every light of August to that day.
		ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &august.ID})
		if err != nil || len(ls) != len(closed) {
			t.Fatalf("August's lights: %d (%v), want %d", len(ls), err, len(closed))
		}
		for _, l := range ls {
			if l.AsOf != date("2022-08-05") {
				t.Fatalf("August's light of task %d as of %s, want 2022-08-05", l.TaskID, l.AsOf)
			}
		}
		if n, err := w.lights.RecomputeLights(as(office), w.plan.ID); err != nil || n != 0 {
			t.Errorf("recomputed the same day after the report: %d changed (%v), want 0", n, err)
		}
		for i, l := range read() {
			if l.AsOf != date("2022-07-28") || strings.Contains(l.Reason, "截至") && !strings.Contains(l.Reason, "截至 7月28日") {
				t.Fatalf("July's light of task %d after it closed: as of %s, %q", l.TaskID, l.AsOf, l.Reason)
			}
			if l.Reason != closed[i].Reason || l.Status != closed[i].Status || !l.ComputedAt.Equal(closed[i].ComputedAt) {
				t.Fatalf("July's light of task %d moved after it closed: %+v, was %+v", l.TaskID, *l, *closed[i])
			}
		}
	})
}

// TestTasksKeptBetweenRecomputations changes tasks behind the lights'
// back, in SQL: the triggers move the plan's tasks version, so that a
// recomputation by a service that kept the tasks it read reads them again.
func TestTasksKeptBetweenRecomputations(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		w.clock.Set("2022-07-05")
		july := w.mustPeriods(t)[6]
		w.mustOpenPeriod(t, july)
		if _, err := w.lights.RecomputeLights(as(office), 0); err != nil {
			t.Fatal(err)
		}
		task := w.tasks["1.1.1"]
		light := func() *cycle.Light {
			t.Helper()
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &july.ID, TaskID: &task.ID})
			if err != nil || len(ls) != 1 {
				t.Fatalf("the light of task 1.1.1: %v (%v)", ls, err)
			}
			return ls[0]
		}
		version := func() int64 {
			t.Helper()
			var v int64
			if err := db.View(as(office), func(tx *sqldb.Tx) error {
				return tx.QueryRow("SELECT COALESCE((SELECT version FROM task_versions WHERE plan_id = ?), 0)", w.plan.ID).Scan(&v)
			}); err != nil {
				t.Fatal(err)
			}
			return v
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if err := db.Update(as(office), func(tx *sqldb.Tx) error {
				_, err := tx.Exec(q, args...)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}

		// A deadline moved to the end of July asks more by now.
		before, v := light(), version()
		exec("UPDATE tasks SET deadline = '7月底前', deadline_kind = 'date', deadline_date = '2022-07-31', deadline_steps = '' WHERE id = ?", task.ID)
		if got := version(); got == v {
			t.Errorf("a deadline changed: the tasks' version stayed %d", v)
		}
		if n, err := w.lights.RecomputeLights(as(office), 0); err != nil || n == 0 {
			t.Fatalf("after the deadline moved: %d changed (%v)", n, err)
		}
		if after := light(); after.Expected <= before.Expected {
			t.Errorf("the deadline moved to 31 July: expected %d%% (%q), was %d%%: want more", after.Expected, after.Reason, before.Expected)
		}

		// A target changed, added or taken away moves the version too; a
		// task's place in the list, which no light reads, does not.
		for _, q := range []string{
			"INSERT INTO task_indicators (task_id, pos, text, metric, value, unit, cmp) VALUES (?, 99, '新增 3 所', '新增', 3, '所', '>=')",
			"UPDATE task_indicators SET value = 4 WHERE task_id = ? AND pos = 99",
			"DELETE FROM task_indicators WHERE task_id = ? AND pos = 99",
		} {
			v := version()
			exec(q, task.ID)
			if got := version(); got == v {
				t.Errorf("%s: the tasks' version stayed %d", q, v)
			}
		}
		v = version()
		exec("UPDATE tasks SET seq = seq WHERE id = ?", task.ID)
		if got := version(); got != v {
			t.Errorf("a task's place written: the tasks' version moved %d → %d", v, got)
		}
	})
}
