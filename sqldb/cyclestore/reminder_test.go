package cyclestore_test

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
)

func TestObligationsAndReminders(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		streets := groupsOf{w.units["各街道办事处"]: {w.units["龙洞街道办事处"]}}
		reports := cyclestore.NewReportService(db, streets)
		reminders := cyclestore.NewReminderService(db, streets)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)

		// 6.1.1 reaches 龙洞街道办事处 through 各街道办事处.
		street := w.clerk(t, "龙洞街道办事处")
		part := &cycle.Report{PeriodID: july.ID, TaskID: w.tasks["6.1.1"].ID, UnitID: street.UnitID, Kind: cycle.ReportPart,
			State: cycle.ReportSubmitted, Progress: "红领物业覆盖 12 个小区", Completion: 60}
		wantCode(t, "a street without the directory's membership", w.reports.CreateReport(as(street), part), duban.EFORBIDDEN)
		if err := reports.CreateReport(as(street), part); err != nil {
			t.Fatal(err)
		}

		obls, err := reminders.FindObligations(as(office), cycle.ObligationFilter{PeriodID: &july.ID, TaskID: &w.tasks["6.1.1"].ID})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, o := range obls {
			got = append(got, string(o.Kind)+" "+unitOf(w, o.UnitID)+" "+string(o.State))
		}
		want := "task 区委组织部 |part 区住房和城市建设局 |part 龙洞街道办事处 submitted"
		if strings.Join(got, "|") != want {
			t.Errorf("obligations of 6.1.1: got %q, want %q", strings.Join(got, "|"), want)
		}
		unit := w.units["区财政局"]
		open, err := reminders.FindObligations(as(office), cycle.ObligationFilter{PlanID: &w.plan.ID, UnitID: &unit, Open: true})
		if err != nil || len(open) == 0 {
			t.Fatalf("区财政局's open obligations: got %d (%v)", len(open), err)
		}

		// Three days before the due date, each unit owing reports is
		// reminded once, however many servers send.
		w.clock.Set("2022-07-22")
		second := cyclestore.NewReminderService(mustReopen(t, db), streets)
		due, err := reminders.FindReminders(as(office))
		if err != nil || len(due) == 0 {
			t.Fatalf("reminders due: got %d (%v)", len(due), err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		sent := 0
		for i := range 6 {
			svc := reminders
			if i%2 == 1 {
				svc = second
			}
			wg.Go(func() {
				n, err := svc.SendReminders(as(office))
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				sent += n
				mu.Unlock()
			})
		}
		wg.Wait()
		if sent != len(due) {
			t.Errorf("six sends on two handles: %d reminders added, want %d once each", sent, len(due))
		}
		w.clock.Set("2022-07-23") // caught up the next day under the same key: nothing new
		if n, err := reminders.SendReminders(as(office)); err != nil || n != 0 {
			t.Errorf("the day after: got %d (%v), want 0", n, err)
		}
		clerk := w.clerk(t, "区财政局")
		unread, err := w.notifications.CountUnreadNotifications(as(clerk), 0)
		if err != nil || unread != 1 {
			t.Fatalf("区财政局's bell: got %d (%v), want 1", unread, err)
		}
		ns, _, err := w.notifications.FindNotifications(as(clerk), cycle.NotificationFilter{Unread: true})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(ns[0].Text, "提醒：2022年7月的报告应于 7月25日 前报送（还有 3 天）") || ns[0].Kind != cycle.NotifyReminder {
			t.Errorf("the reminder: got %q", ns[0].Text)
		}
		_, err = w.notifications.UpdateNotification(as(w.clerk(t, "区审计局")), ns[0].ID, cycle.NotificationUpdate{Read: ptr(true)})
		wantCode(t, "another unit's notification", err, duban.ENOTFOUND)
		if n, err := w.notifications.UpdateNotification(as(clerk), ns[0].ID, cycle.NotificationUpdate{Read: ptr(true)}); err != nil || !n.Read() {
			t.Fatalf("marked read: got %+v (%v)", n, err)
		}
		if unread, _ := w.notifications.CountUnreadNotifications(as(clerk), 0); unread != 0 {
			t.Errorf("after reading: %d unread", unread)
		}

		// The street has nothing more to report on 6.1.1; it is reminded of
		// its other tasks only.
		w.clock.Set("2022-07-26")
		after, err := reminders.FindReminders(as(office))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range after {
			for _, o := range r.Owed {
				if o.UnitID == street.UnitID && o.TaskID == w.tasks["6.1.1"].ID {
					t.Errorf("a reminder of a part handed in: %+v", o)
				}
			}
			if r.Offset != 1 || !strings.HasPrefix(r.Text, "催报：") {
				t.Errorf("the day after the due date: got rule %s, %q", r.Rule(), r.Text)
			}
		}
	})
}

func unitOf(w *world, id int64) string {
	for name, uid := range w.units {
		if uid == id {
			return name
		}
	}
	return "?"
}

func TestUrgesAndClosures(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)
		lead, other := w.clerk(t, "区科学技术局"), w.clerk(t, "区财政局")
		task := w.tasks["2.1.3"]

		wantCode(t, "a clerk urges", w.reminders.CreateUrge(as(lead), &cycle.Urge{TaskID: task.ID}), duban.EFORBIDDEN)
		wantCode(t, "urging a unit the task does not name", w.reminders.CreateUrge(as(office), &cycle.Urge{TaskID: task.ID, UnitID: other.UnitID}), duban.EINVALID)
		for range 2 {
			if err := w.reminders.CreateUrge(as(office), &cycle.Urge{TaskID: task.ID, Message: "请加快进度"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.reminders.CreateUrge(as(office), &cycle.Urge{PlanID: w.plan.ID, UnitID: other.UnitID}); err != nil {
			t.Fatal(err)
		}
		counts, err := w.reminders.CountUrges(as(other), cycle.UrgeFilter{PlanID: &w.plan.ID})
		if err != nil || len(counts) != 2 || counts[0].UnitID != lead.UnitID || counts[0].Count != 2 || counts[1].Count != 1 {
			t.Errorf("urges per unit: got %+v (%v)", counts, err)
		}
		ns, _, err := w.notifications.FindNotifications(as(lead), cycle.NotificationFilter{})
		if err != nil || len(ns) != 2 || ns[0].Text != "督查室催办任务 2.1.3：请加快进度" || ns[0].Link != "/tasks/"+strconv.FormatInt(task.ID, 10) {
			t.Errorf("the lead unit's bell: got %+v (%v)", ns, err)
		}

		// 申请办结 and 办结.
		c := &cycle.Closure{TaskID: task.ID, Note: "119 家已全部认定"}
		wantCode(t, "another unit asks", w.reports.CreateClosure(as(other), c), duban.EFORBIDDEN)
		if err := w.reports.CreateClosure(as(lead), c); err != nil {
			t.Fatal(err)
		}
		wantCode(t, "asking twice", w.reports.CreateClosure(as(lead), &cycle.Closure{TaskID: task.ID, Note: "再次申请"}), duban.ECONFLICT)
		_, err = w.reports.UpdateClosure(as(lead), c.ID, cycle.ClosureUpdate{State: ptr(cycle.ClosureClosed)})
		wantCode(t, "the unit closes", err, duban.EFORBIDDEN)
		_, err = w.reports.UpdateClosure(as(office), c.ID, cycle.ClosureUpdate{State: ptr(cycle.ClosureDeclined)})
		wantCode(t, "declined without a reason", err, duban.EINVALID)
		w.clock.Set("2022-07-20")
		got, err := w.reports.UpdateClosure(as(office), c.ID, cycle.ClosureUpdate{State: ptr(cycle.ClosureClosed)})
		if err != nil || got.State != cycle.ClosureClosed || got.DecidedBy != office.Label() {
			t.Fatalf("closed: got %+v (%v)", got, err)
		}
		l := w.mustLight(t, july, "2.1.3")
		if l.Status != cycle.LightClosed || l.Reason != "已于 2022年7月20日 办结" {
			t.Errorf("the light of a closed task: got %s %q", l.Status, l.Reason)
		}
		wantCode(t, "asking after closing", w.reports.CreateClosure(as(lead), &cycle.Closure{TaskID: task.ID, Note: "再次申请"}), duban.ECONFLICT)
	})
}

// TestRemindersDayByDay finds, on each day around two open periods' due
// dates, the reminders that all their obligations make by the plan's rule
// days, though a period with none due that day is not read; a rule's last
// catch-up day still sends.
func TestRemindersDayByDay(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		ps := w.mustPeriods(t)
		june, july := ps[5], ps[6]
		w.clock.Set("2022-06-10")
		w.mustOpenPeriod(t, june)
		w.mustOpenPeriod(t, july)
		w.mustReport(t, w.clerk(t, "区科学技术局"), june, "2.1.3", "区科学技术局", cycle.ReportTask, 50, false)
		w.mustReport(t, w.clerk(t, "区住房和城市建设局"), july, "6.1.1", "区住房和城市建设局", cycle.ReportPart, 50, true)
		settings, err := w.periods.FindCycleSettings(as(office), w.plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		days := 0
		for day := june.Due.AddDays(-10); !day.After(july.Due.AddDays(15)); day = day.AddDays(1) {
			w.clock.Set(day.String())
			got, err := w.reminders.FindReminders(as(office))
			if err != nil {
				t.Fatal(err)
			}
			obls, err := w.reminders.FindObligations(as(office), cycle.ObligationFilter{PlanID: &w.plan.ID})
			if err != nil {
				t.Fatal(err)
			}
			var all []cycle.Obligation
			for _, o := range obls {
				all = append(all, *o)
			}
			want := cycle.DueReminders(all, settings.Reminders, day)
			if len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("%s: got %d reminders, want %d", day, len(got), len(want))
			}
			if len(want) > 0 {
				days++
			}
		}
		if days == 0 {
			t.Fatal("no day with reminders")
		}
		last := slices.Max(settings.Reminders)
		w.clock.Set(july.Due.AddDays(last + 2).String())
		if n, err := w.reminders.SendReminders(as(office)); err != nil || n == 0 {
			t.Errorf("the last catch-up day of rule d%+d: %d reminders sent (%v), want some", last, n, err)
		}
	})
}
