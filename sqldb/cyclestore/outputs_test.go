package cyclestore_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// outputsWorld is the sample plan in June and July: June's reports in,
// July's partly (0.0.4 accepted, 0.0.1 returned, 1.1.1 missing), two days
// after July's due date, with a supervision notice open on 2.1.3.
func outputsWorld(t *testing.T, db *sqldb.DB) (*world, []*cycle.Period) {
	t.Helper()
	w := newWorld(t, db, nil)
	w.clock.Set("2022-06-01")
	periods := w.mustPeriods(t)
	june, july := periods[5], periods[6]
	hr, sci, dev := w.clerk(t, "区人力资源和社会保障局"), w.clerk(t, "区科学技术局"), w.clerk(t, "区发展和改革局")
	accept := func(r *cycle.Report) {
		t.Helper()
		if _, err := w.reports.UpdateReport(as(office), r.ID, cycle.ReportUpdate{State: ptr(cycle.ReportAccepted), Version: r.Version}); err != nil {
			t.Fatal(err)
		}
	}
	w.mustOpenPeriod(t, june)
	accept(w.mustReport(t, hr, june, "0.0.4", "区人力资源和社会保障局", cycle.ReportTask, 40, false, "3225人"))
	w.mustReport(t, sci, june, "2.1.3", "区科学技术局", cycle.ReportTask, 10, false, "8家")
	w.clock.Set("2022-07-01")
	w.mustOpenPeriod(t, july)
	w.clock.Set("2022-07-20")
	accept(w.mustReport(t, hr, july, "0.0.4", "区人力资源和社会保障局", cycle.ReportTask, 60, false, "3225人"))
	gdp := w.mustReport(t, dev, july, "0.0.1", "区发展和改革局", cycle.ReportTask, 50, false, "8.1%")
	if _, err := w.reports.UpdateReport(as(office), gdp.ID, cycle.ReportUpdate{State: ptr(cycle.ReportReturned),
		ReturnReason: ptr("请补充数据来源"), Version: gdp.Version}); err != nil {
		t.Fatal(err)
	}
	w.clock.Set(july.Due.AddDays(2).String())
	if _, err := w.lights.RecomputeLights(as(office), w.plan.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.supervisions.CreateSupervision(as(office), &cycle.Supervision{TaskIDs: []int64{w.tasks["2.1.3"].ID},
		Reason: "7月未报送", Requirement: "请说明原因", Due: july.Due.AddDays(10)}); err != nil {
		t.Fatal(err)
	}
	return w, periods
}

// TestFiguresReasons reads the reasons of the lights of the tasks named
// only, as an overview for a leader asks; none when no task is named.
func TestFiguresReasons(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w, _ := outputsWorld(t, db)
		overview := cyclestore.NewOverviewService(db)
		all, err := overview.FindFigures(as(office), cycle.FiguresFilter{PlanID: w.plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		named := []int64{w.tasks["0.0.4"].ID, w.tasks["0.0.1"].ID}
		for _, reasons := range [][]int64{named, {}} {
			f, err := overview.FindFigures(as(office), cycle.FiguresFilter{PlanID: w.plan.ID, Reasons: reasons})
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Lights) != len(all.Lights) {
				t.Fatalf("%d lights read, want %d", len(f.Lights), len(all.Lights))
			}
			for id, l := range f.Lights {
				want := *all.Lights[id]
				if !slices.Contains(reasons, id) {
					want.Reason, want.ReasonEN = "", ""
				}
				if l.Status != want.Status || l.Reason != want.Reason || l.ReasonEN != want.ReasonEN || l.Completion != want.Completion {
					t.Errorf("reasons of %v, task %d: %+v, want %+v", reasons, id, *l, want)
				}
			}
			if slices.Contains(reasons, w.tasks["0.0.4"].ID) && f.Lights[w.tasks["0.0.4"].ID].Reason == "" {
				t.Error("0.0.4, seriously behind and named, read without its reason")
			}
		}
	})
}

// TestFigures reads a plan's figures as the overview does and checks them
// against the services' own answers: the period's lights, the trend's
// counts, the targets reached, what is overdue, the open notices; and the
// ledger's light filter selects the tasks each count counts.
func TestFigures(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w, periods := outputsWorld(t, db)
		june, july := periods[5], periods[6]
		overview := cyclestore.NewOverviewService(db)
		f, err := overview.FindFigures(as(w.clerk(t, "区财政局")), cycle.FiguresFilter{PlanID: w.plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		if f.Period == nil || f.Period.ID != july.ID {
			t.Fatalf("figures of %v, want July's, the latest with lights", f.Period)
		}
		if len(f.Trend) != 2 || f.Trend[0].Period.ID != june.ID || f.Trend[1].Period.ID != july.ID {
			t.Fatalf("trend of %d periods, want June and July", len(f.Trend))
		}
		for _, pc := range f.Trend {
			kept, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &pc.Period.ID})
			if err != nil {
				t.Fatal(err)
			}
			var want cycle.LightCounts
			for _, l := range kept {
				want.Add(l.Status)
			}
			if pc.Counts != want {
				t.Errorf("%s: trend counts %v, want %v", pc.Period.Label, pc.Counts, want)
			}
			if pc.Period.ID == july.ID && len(f.Lights) != len(kept) {
				t.Errorf("July: %d lights read, %d kept", len(f.Lights), len(kept))
			}
		}
		// 0.0.4 reached 6,450 people over June and July, 17% of its
		// target in seven months: seriously behind, with its reason; a
		// light on track is read without one.
		jobs := f.Lights[w.tasks["0.0.4"].ID]
		if jobs == nil || len(jobs.Reached) != 1 || *jobs.Reached[0].Value != 6450 || jobs.Status != cycle.LightSevere || jobs.Reason == "" {
			t.Errorf("0.0.4 in July: %+v, want 6,450 people reached, seriously behind, with its reason", jobs)
		}
		for _, l := range f.Lights {
			if !l.Status.NeedsAttention() && l.Reason != "" {
				t.Errorf("task %d, %s: a reason read for a light needing no attention", l.TaskID, l.Status)
			}
		}
		if l := f.Lights[w.tasks["0.0.1"].ID]; l == nil || l.Status != cycle.LightMissing || !strings.Contains(l.Reason, "退回") {
			t.Errorf("0.0.1 in July: %+v, want missing, returned, with its reason", l)
		}
		if len(f.Supervisions) != 1 || !f.Overdue() || f.Handed == nil {
			t.Errorf("figures: %d notices open, overdue %v, handed %v; want one, true, read", len(f.Supervisions), f.Overdue(), f.Handed != nil)
		}

		tasks, _, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &w.plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		o := cycle.BuildOverview(w.plan, tasks, nil, f, 0)
		open, err := w.reminders.FindObligations(as(office), cycle.ObligationFilter{PeriodID: &july.ID, Open: true})
		if err != nil {
			t.Fatal(err)
		}
		if o.OverdueReports != len(open) || len(open) == 0 {
			t.Errorf("overview: %d reports overdue, the reminders owe %d", o.OverdueReports, len(open))
		}
		if o.Tasks != len(tasks) || o.Totals.Total() != o.Tasks {
			t.Errorf("overview: %d tasks, lights of %d, want %d", o.Tasks, o.Totals.Total(), len(tasks))
		}
		// Every count is the ledger's filter's count, in the latest
		// period and in one named.
		for _, pc := range []struct {
			period int64
			counts cycle.LightCounts
		}{{0, o.Totals}, {june.ID, f.Trend[0].Counts}} {
			for i, st := range cycle.LightStatuses {
				_, n, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &w.plan.ID, Light: string(st),
					LightPeriod: pc.period, Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				want := pc.counts[i]
				if pc.period == june.ID && st == cycle.LightNotStarted {
					want += len(tasks) - pc.counts.Total() // tasks without a light count as not started
				}
				if n != want {
					t.Errorf("period %d, light %s: the ledger finds %d tasks, the figures count %d", pc.period, st, n, want)
				}
			}
		}

		f, err = overview.FindFigures(as(office), cycle.FiguresFilter{PlanID: w.plan.ID, PeriodID: june.ID})
		if err != nil || f.Period.ID != june.ID {
			t.Fatalf("June's figures: %v, %v", f, err)
		}
		_, err = overview.FindFigures(as(office), cycle.FiguresFilter{PlanID: w.plan.ID, PeriodID: july.ID + 1000})
		wantCode(t, "another plan's period", err, duban.ENOTFOUND)
		_, err = overview.FindFigures(context.Background(), cycle.FiguresFilter{PlanID: w.plan.ID})
		wantCode(t, "nobody", err, duban.EUNAUTHORIZED)
	})
}

// TestBulletinText keeps the office's words of a period's bulletin: the
// defaults until saved, the office's change with its audit event, and
// nothing for a clerk or a text without its opening.
func TestBulletinText(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w, periods := outputsWorld(t, db)
		july := periods[6]
		bs := cyclestore.NewBulletinService(db)
		b, err := bs.FindBulletinText(as(w.clerk(t, "区财政局")), july.ID)
		if err != nil || b.Saved || !strings.Contains(b.Opening, "2022年7月") || b.Signature == "" {
			t.Fatalf("defaults: %+v, %v", b, err)
		}
		before := auditHead(t, db)
		_, err = bs.UpdateBulletinText(as(w.clerk(t, "区财政局")), july.ID, cycle.BulletinTextUpdate{Opening: ptr("改")})
		wantCode(t, "a clerk edits", err, duban.EFORBIDDEN)
		_, err = bs.UpdateBulletinText(as(office), july.ID, cycle.BulletinTextUpdate{Opening: ptr("  ")})
		wantCode(t, "no opening", err, duban.EINVALID)
		_, err = bs.UpdateBulletinText(as(office), july.ID, cycle.BulletinTextUpdate{Number: ptr("一\n二")})
		wantCode(t, "a number of two lines", err, duban.EINVALID)
		if got := auditHead(t, db); got != before {
			t.Errorf("refused edits wrote %d audit events", got-before)
		}
		if _, err := bs.UpdateBulletinText(as(office), july.ID, cycle.BulletinTextUpdate{Number: ptr("历下督字〔2022〕5号"),
			Closing: ptr("特此通报。")}); err != nil {
			t.Fatal(err)
		}
		b, err = bs.FindBulletinText(as(office), july.ID)
		if err != nil || !b.Saved || b.Number != "历下督字〔2022〕5号" || b.Closing != "特此通报。" || !strings.Contains(b.Opening, "2022年7月") ||
			b.UpdatedBy == "" {
			t.Errorf("saved: %+v, %v", b, err)
		}
		if got := auditHead(t, db); got != before+1 {
			t.Errorf("an edit wrote %d audit events, want 1", got-before)
		}
	})
}

// TestPublicPlan shows a plan on the public page only once the office makes
// it public, without the tasks it keeps off, and with nothing internal: a
// returned report's reason, a clerk's name, a report not accepted.
func TestPublicPlan(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w, _ := outputsWorld(t, db)
		pub := cyclestore.NewPublicationService(db)
		anyone := context.Background()
		_, err := pub.FindPublicPlan(anyone, w.plan.ID)
		wantCode(t, "not public", err, duban.ENOTFOUND)
		hide := w.tasks["1.1.1"].ID
		_, err = pub.UpdatePublication(as(w.clerk(t, "区财政局")), w.plan.ID, cycle.PublicationUpdate{Public: ptr(true)})
		wantCode(t, "a clerk publishes", err, duban.EFORBIDDEN)
		p, err := pub.UpdatePublication(as(office), w.plan.ID, cycle.PublicationUpdate{Public: ptr(true), Hide: []int64{hide}})
		if err != nil || !p.Public || len(p.Hidden) != 1 {
			t.Fatalf("published: %+v, %v", p, err)
		}
		list, err := pub.FindPublicPlans(anyone)
		if err != nil || len(list) != 1 || list[0].ID != w.plan.ID {
			t.Fatalf("public plans: %+v, %v", list, err)
		}
		pp, err := pub.FindPublicPlan(anyone, w.plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		shown := map[string]cycle.PublicTask{}
		for _, s := range pp.Sections {
			for _, pt := range s.Tasks {
				shown[pt.No] = pt
			}
		}
		if _, ok := shown["1.1.1"]; ok || len(shown) != len(w.tasks)-1 || pp.Counts.Total() != len(shown) {
			t.Errorf("%d tasks shown (counted %d), want all %d but 1.1.1", len(shown), pp.Counts.Total(), len(w.tasks))
		}
		if jobs := shown["0.0.4"]; jobs.Progress == "" || jobs.Light != cycle.LightSevere || len(jobs.Targets) != 1 || jobs.Targets[0].Actual != 6450 {
			t.Errorf("0.0.4: %+v, want its accepted progress and its target reached", jobs)
		}
		if gdp := shown["0.0.1"]; gdp.Progress != "" {
			t.Errorf("0.0.1's returned report shows: %q", gdp.Progress)
		}
		if sci := shown["2.1.3"]; sci.Progress != "" {
			t.Errorf("2.1.3's report not accepted shows: %q", sci.Progress)
		}
		data, _ := json.Marshal(pp)
		for _, private := range []string{"请补充数据来源", "联络员", "clerk-", "退回", "7月未报送"} {
			if strings.Contains(string(data), private) {
				t.Errorf("the public plan holds %q", private)
			}
		}
		if _, err := pub.UpdatePublication(as(office), w.plan.ID, cycle.PublicationUpdate{Public: ptr(false), Show: []int64{hide}}); err != nil {
			t.Fatal(err)
		}
		_, err = pub.FindPublicPlan(anyone, w.plan.ID)
		wantCode(t, "made private again", err, duban.ENOTFOUND)
	})
}

// TestSaveReports saves a unit's batch in one transaction: all of it, each
// report with its audit event, or, when one is refused, none.
func TestSaveReports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w, periods := outputsWorld(t, db)
		july := periods[6]
		fin := w.clerk(t, "区财政局")
		mine := &cycle.Report{PeriodID: july.ID, TaskID: w.tasks["1.1.1"].ID, UnitID: fin.UnitID, Kind: cycle.ReportTask,
			State: cycle.ReportSubmitted, Progress: "已完成。", Completion: 50}
		theirs := &cycle.Report{PeriodID: july.ID, TaskID: w.tasks["0.0.1"].ID, UnitID: w.units["区发展和改革局"], Kind: cycle.ReportPart,
			State: cycle.ReportDraft, Progress: "x"}
		before := auditHead(t, db)
		_, err := w.reports.SaveReports(as(fin), []cycle.ReportSave{{Report: mine}, {Report: theirs}})
		wantCode(t, "a batch with another unit's report", err, duban.EFORBIDDEN)
		_, err = w.reports.SaveReports(as(fin), []cycle.ReportSave{{Report: mine}, {ID: 1, Report: mine}})
		wantCode(t, "a save both new and a change", err, duban.EINVALID)
		if got := auditHead(t, db); got != before {
			t.Fatalf("refused batches wrote %d audit events", got-before)
		}
		saved, err := w.reports.SaveReports(as(fin), []cycle.ReportSave{{Report: mine}})
		if err != nil || len(saved) != 1 || saved[0].ID == 0 || mine.ID != 0 {
			t.Fatalf("saved %+v, %v; the caller's report must stay as it was", saved, err)
		}
		r := saved[0]
		again := &cycle.Report{PeriodID: july.ID, TaskID: w.tasks["1.1.1"].ID, UnitID: fin.UnitID, Kind: cycle.ReportTask, State: cycle.ReportDraft}
		_, err = w.reports.SaveReports(as(office), []cycle.ReportSave{
			{ID: r.ID, Update: cycle.ReportUpdate{Progress: ptr("更正"), Version: r.Version}},
			{Report: again},
		})
		wantCode(t, "a batch whose second report exists", err, duban.ECONFLICT)
		got, err := w.reports.FindReportByID(as(office), r.ID)
		if err != nil || got.Progress != "已完成。" || got.Version != 1 {
			t.Errorf("after a refused batch: %+v, %v; want the first save undone", got, err)
		}
		if n := auditHead(t, db) - before; n != 1 {
			t.Errorf("one report saved: %d audit events, want 1", n)
		}
	})
}

// auditHead is the number of the audit log's events.
func auditHead(t *testing.T, db *sqldb.DB) int64 {
	t.Helper()
	v, err := sqldb.NewAuditService(db).VerifyAudit(as(office))
	if err != nil || !v.OK() {
		t.Fatalf("audit: %+v, %v", v, err)
	}
	return v.LastSeq
}
