package cyclestore_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
)

// TestYear walks the sample plan (the demo's notice, read by the reader)
// through its year with an injected clock: twelve monthly periods opened,
// reminded, reported and closed; reports on time, late, missing, returned
// and resubmitted; a supervision notice issued, answered and closed; and
// the lights, obligations and notifications checked at each step.
//
//	0.0.4 新增城镇就业 3.87 万人: reported on time every month, 3,225 people a month.
//	2.1.3 新增高新技术企业 119 家: falls behind in July; a 督办单 in August; catches up.
//	1.1.1 (区财政局): May's report missing, June's a day late.
//	0.0.1 地区生产总值增长 8%以上: July's report returned, resubmitted after its due date.
//	1.1.2 and the rest: never reported.
func TestYear(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := &world{db: db, clock: &clock{}, tasks: map[string]*duban.Task{}, units: map[string]int64{}}
		w.clock.Set("2022-01-04")
		db.Now = w.clock.Now
		res, err := demo.Load(as(office), demo.Services{Plans: sqldb.NewPlanService(db), Tasks: sqldb.NewTaskService(db), Units: sqldb.NewUnitService(db)})
		if err != nil {
			t.Fatal(err)
		}
		w.plan = res.Plan
		w.load(t)
		w.services = newServices(db, nil)
		out := newOutside(t, w)

		periods := w.mustPeriods(t)
		if len(periods) != 12 {
			t.Fatalf("got %d periods, want 12", len(periods))
		}
		hr, sci, fin := w.clerk(t, "区人力资源和社会保障局"), w.clerk(t, "区科学技术局"), w.clerk(t, "区财政局")
		dev := w.clerk(t, "区发展和改革局")
		partners := []string{"区地方金融监督管理局", "历下控股集团"}
		light := func(p *cycle.Period, no string) *cycle.Light { return w.mustLight(t, p, no) }
		wantLight := func(when string, p *cycle.Period, no string, status cycle.LightStatus, reason string) {
			t.Helper()
			l := light(p, no)
			if l.Status != status || (reason != "" && l.Reason != reason) {
				t.Errorf("%s, %s, task %s: got %s %q, want %s %q", when, p.Label, no, l.Status, l.Reason, status, reason)
			}
		}
		accept := func(r *cycle.Report) {
			t.Helper()
			if _, err := w.reports.UpdateReport(as(office), r.ID, cycle.ReportUpdate{State: ptr(cycle.ReportAccepted), Version: r.Version}); err != nil {
				t.Fatal(err)
			}
		}
		var supervision *cycle.Supervision

		for m, p := range periods {
			month := m + 1
			day := func(d int) string { return fmt.Sprintf("2022-%02d-%02d", month, d) }

			// The office opens the period; everything is owed.
			w.clock.Set(day(1))
			w.mustOpenPeriod(t, p)
			obls, err := w.reminders.FindObligations(as(office), cycle.ObligationFilter{PeriodID: &p.ID, Open: true})
			if err != nil {
				t.Fatal(err)
			}
			all, err := w.reminders.FindObligations(as(office), cycle.ObligationFilter{PeriodID: &p.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(obls) != len(all) || len(all) < 88 {
				t.Errorf("%s opened: %d of %d obligations open, want all, at least one per task", p.Label, len(obls), len(all))
			}

			// Three days before the due date, every unit owing reports is
			// reminded.
			w.clock.Set(p.Due.AddDays(-3).String())
			out.remind(t, p.Label+", three days before")

			// On the 20th (June: the 24th), the units report.
			w.clock.Set(p.Due.AddDays(-5).String())
			r := w.mustReport(t, hr, p, "0.0.4", "区人力资源和社会保障局", cycle.ReportTask, month*100/12, false, "3225人")
			accept(r)
			for _, u := range partners {
				w.mustReport(t, w.clerk(t, u), p, "2.1.3", u, cycle.ReportPart, month*8, false, "4家")
			}
			sciDone := month * 100 / 12
			switch {
			case month == 7:
				sciDone = 30
			case month < 7:
				sciDone = month * 8
			}
			// Eight firms a month, thirty in August after the notice, and
			// the last nine in December: 119 in all.
			firms := map[int]string{8: "30家", 12: "9家"}[month]
			if firms == "" {
				firms = "8家"
			}
			accept(w.mustReport(t, sci, p, "2.1.3", "区科学技术局", cycle.ReportTask, sciDone, false, firms))
			if month != 5 && month != 6 {
				accept(w.mustReport(t, fin, p, "1.1.1", "区财政局", cycle.ReportTask, month*100/12, false))
			}
			gdp := w.mustReport(t, dev, p, "0.0.1", "区发展和改革局", cycle.ReportTask, month*100/12, false, "8.1%")
			if month == 7 {
				w.clock.Set(day(21))
				gdp, err = w.reports.UpdateReport(as(office), gdp.ID, cycle.ReportUpdate{State: ptr(cycle.ReportReturned),
					ReturnReason: ptr("请补充数据来源"), Version: gdp.Version})
				if err != nil {
					t.Fatal(err)
				}
			} else {
				accept(gdp)
			}
			if l := light(p, "0.0.4"); (l.Status != cycle.LightNormal && month < 12) || l.Completion != month*100/12 {
				t.Errorf("%s, 0.0.4 reported: got %s %q", p.Label, l.Status, l.Reason)
			}

			// The day after the due date: the daily recomputation.
			w.clock.Set(p.Due.AddDays(1).String())
			if _, err := w.lights.RecomputeLights(as(office), w.plan.ID); err != nil {
				t.Fatal(err)
			}
			wantLight("the day after the due date", p, "1.1.2", cycle.LightMissing,
				fmt.Sprintf("%s的报告应于 %s 前报送，已逾期 1 天", p.Label, p.Due.Label()))
			open, err := w.reminders.FindObligations(as(office), cycle.ObligationFilter{PeriodID: &p.ID, UnitID: &hr.UnitID, Open: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range open {
				if o.TaskID == w.tasks["0.0.4"].ID {
					t.Errorf("%s: 0.0.4's report is still owed: %+v", p.Label, o)
				}
			}
			out.remind(t, p.Label+", the day after")
			switch month {
			case 5:
				if body := out.lastTo("区财政局"); !strings.Contains(body, "任务 1.1.1 任务报告") || !strings.Contains(body, "已逾期 1 天") {
					t.Errorf("区财政局's robot in May: %q, want 1.1.1's report overdue", body)
				}
				wantLight("May's report missing", p, "1.1.1", cycle.LightMissing, "2022年5月的报告应于 5月25日 前报送，已逾期 1 天")
				ns, _, err := w.notifications.FindNotifications(as(fin), cycle.NotificationFilter{Limit: 1})
				if err != nil || len(ns) != 1 || !strings.HasPrefix(ns[0].Text, "催报：2022年5月的报告应于 5月25日 前报送，已逾期 1 天") {
					t.Errorf("区财政局's latest notification in May: got %+v (%v)", ns, err)
				}
			case 6:
				// June's report comes a day late.
				w.clock.Set("2022-06-28")
				late := w.mustReport(t, fin, p, "1.1.1", "区财政局", cycle.ReportTask, 50, false)
				if late.DaysLate(p.Due) != 1 {
					t.Errorf("June's report: %d days late, want 1", late.DaysLate(p.Due))
				}
				accept(late)
				wantLight("June's report late", p, "1.1.1", cycle.LightNormal, "完成 50%，按序时应达 49%（截至 6月28日）")
			case 7:
				wantLight("July, behind", p, "2.1.3", cycle.LightSevere, "完成 30%，按序时应达 57%（截至 7月26日）")
				wantLight("July's report returned", p, "0.0.1", cycle.LightMissing,
					"2022年7月的报告被退回后尚未重新报送（应于 7月25日 前报送，已逾期 1 天）")
				w.clock.Set("2022-07-27")
				if gdp, err = w.reports.UpdateReport(as(dev), gdp.ID, cycle.ReportUpdate{Progress: ptr("数据来源：区统计局快报"),
					State: ptr(cycle.ReportResubmitted), Version: gdp.Version}); err != nil {
					t.Fatal(err)
				}
				accept(gdp)
				wantLight("July's report resubmitted", p, "0.0.1", cycle.LightNormal, "")
			case 8:
				// The 督办单 of August 1 was answered and closed.
				if supervision.State != cycle.SupervisionClosed {
					t.Errorf("the supervision notice: got %s", supervision.State)
				}
				wantLight("August, caught up", p, "2.1.3", cycle.LightNormal, "")
			case 12:
				wantLight("December", p, "0.0.4", cycle.LightDone, "完成 100%，目标均已达成")
				wantLight("December", p, "2.1.3", cycle.LightDone, "完成 100%，目标均已达成")
			}

			// The last day: the office closes the period.
			w.clock.Set(p.End.String())
			if _, err := w.periods.UpdatePeriod(as(office), p.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodClosed)}); err != nil {
				t.Fatal(err)
			}

			if month == 7 {
				// August 1: a 督办单 on 2.1.3, answered and closed.
				w.clock.Set("2022-08-01")
				supervision = &cycle.Supervision{TaskIDs: []int64{w.tasks["2.1.3"].ID}, Reason: "7月完成进度严重滞后",
					Requirement: "请分析原因，提出整改措施", Due: date("2022-08-10")}
				if err := w.supervisions.CreateSupervision(as(office), supervision); err != nil {
					t.Fatal(err)
				}
				if supervision.Number() != "督办〔2022〕第 1 号" {
					t.Errorf("the notice's number: got %s", supervision.Number())
				}
				out.drain(t)
				if body := out.lastTo("区科学技术局"); !strings.Contains(body, "督办〔2022〕第 1 号") || !strings.Contains(body, "反馈时限：2022年8月10日 前") {
					t.Errorf("区科学技术局's robot after the 督办单: %q", body)
				}
				step := func(u *duban.User, day string, to cycle.SupervisionState, answer *string) {
					t.Helper()
					w.clock.Set(day)
					s, err := w.supervisions.UpdateSupervision(as(u), supervision.ID, cycle.SupervisionUpdate{State: &to, Answer: answer, Version: supervision.Version})
					if err != nil {
						t.Fatal(err)
					}
					supervision = s
				}
				step(sci, "2022-08-02", cycle.SupervisionAcknowledged, nil)
				step(sci, "2022-08-08", cycle.SupervisionAnswered, ptr("已召开推进会，8月新增认定企业 30 家"))
				step(office, "2022-08-09", cycle.SupervisionClosed, nil)
				if supervision.DaysLate(date("2022-08-09")) != 0 {
					t.Errorf("answered on time, got %d days late", supervision.DaysLate(date("2022-08-09")))
				}
			}
		}

		// The kept lights of past periods say what was true then.
		wantLight("at year end", periods[4], "1.1.1", cycle.LightMissing, "2022年5月的报告应于 5月25日 前报送，已逾期 6 天")
		wantLight("at year end", periods[6], "2.1.3", cycle.LightSevere, "完成 30%，按序时应达 58%（截至 7月31日）")
		trend, n, err := w.lights.FindLights(as(sci), cycle.LightFilter{TaskID: &w.tasks["2.1.3"].ID})
		if err != nil || n != 12 {
			t.Fatalf("2.1.3's trend: got %d lights (%v), want 12", n, err)
		}
		var statuses []string
		for _, l := range trend {
			statuses = append(statuses, l.Status.Label())
		}
		t.Logf("2.1.3 through the year: %s", strings.Join(statuses, " "))
		latest, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PlanID: &w.plan.ID, Latest: true})
		if err != nil || len(latest) != len(w.tasks) || latest[0].PeriodID != periods[11].ID {
			t.Errorf("the latest lights: got %d (%v), want one per task, of December", len(latest), err)
		}
		counts := map[cycle.LightStatus]int{}
		for _, l := range latest {
			counts[l.Status]++
		}
		t.Logf("December's lights: %v", counts)
		out.check(t)
		mustVerify(t, db)
	})
}
