package cyclestore_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

func TestPeriods(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		c, err := w.periods.FindCycleSettings(as(office), w.plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Schedule.Kind != cycle.ScheduleMonthly || c.Schedule.DueDay != 25 || c.Start != date("2022-01-01") || !c.CalendarKnown {
			t.Errorf("default settings: got %+v", c)
		}
		clerk := w.clerk(t, "区财政局")
		_, err = w.periods.CreatePeriods(as(clerk), w.plan.ID)
		wantCode(t, "a clerk creates periods", err, duban.EFORBIDDEN)

		ps := w.mustPeriods(t)
		if len(ps) != 12 {
			t.Fatalf("got %d periods, want 12", len(ps))
		}
		for _, tc := range []struct {
			i         int
			due, note string
		}{
			{0, "2022-01-25", ""},
			{5, "2022-06-27", "6月25日为星期六，顺延至6月27日"},
			{8, "2022-09-26", "9月25日为星期日，顺延至9月26日"},
			{11, "2022-12-26", "12月25日为星期日，顺延至12月26日"},
		} {
			p := ps[tc.i]
			if p.Due.String() != tc.due || p.DueNote != tc.note || p.State != cycle.PeriodPending || p.ID == 0 {
				t.Errorf("period %d: got %s %q %s, want %s %q pending", tc.i, p.Due, p.DueNote, p.State, tc.due, tc.note)
			}
		}
		_, err = w.periods.CreatePeriods(as(office), w.plan.ID)
		wantCode(t, "periods created twice", err, duban.ECONFLICT)

		// Open, close, reopen with a reason.
		july := ps[6]
		upd := func(u *duban.User, state cycle.PeriodState, reason string) error {
			_, err := w.periods.UpdatePeriod(as(u), july.ID, cycle.PeriodUpdate{State: &state, Reason: reason})
			return err
		}
		wantCode(t, "a clerk opens a period", upd(clerk, cycle.PeriodOpen, ""), duban.EFORBIDDEN)
		wantCode(t, "close a pending period", upd(office, cycle.PeriodClosed, ""), duban.ECONFLICT)
		wantCode(t, "open", upd(office, cycle.PeriodOpen, ""), "")
		wantCode(t, "close", upd(office, cycle.PeriodClosed, ""), "")
		wantCode(t, "reopen without a reason", upd(office, cycle.PeriodOpen, ""), duban.EINVALID)
		wantCode(t, "reopen", upd(office, cycle.PeriodOpen, "区财政局申请补报"), "")
		got, err := w.periods.FindPeriodByID(as(clerk), july.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != cycle.PeriodOpen || got.Reopened != 1 || got.OpenedAt.IsZero() || got.ClosedAt.IsZero() {
			t.Errorf("after reopening: got %+v", got)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("period"), EntityID: &july.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 3 || !strings.Contains(events[0].Summary, "重新开启（区财政局申请补报）") {
			t.Errorf("the reopening is logged: got %d events, latest %q", len(events), events[0].Summary)
		}

		// A quarterly schedule replaces the periods not opened yet.
		if _, err := w.periods.UpdateCycleSettings(as(office), w.plan.ID, cycle.CycleSettingsUpdate{
			Schedule: &cycle.Schedule{Kind: cycle.ScheduleQuarterly, DueDay: 20}}); err != nil {
			t.Fatal(err)
		}
		all, n, err := w.periods.FindPeriods(as(office), cycle.PeriodFilter{PlanID: &w.plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		var labels []string
		for _, p := range all {
			labels = append(labels, p.Label+" "+p.Due.String())
		}
		want := []string{"2022年7月 2022-07-25", "2022年第四季度 2022-12-20"}
		if n != 2 || strings.Join(labels, "|") != strings.Join(want, "|") {
			t.Errorf("after the quarterly schedule: got %q, want %q", labels, want)
		}
		_, err = w.periods.UpdateCycleSettings(as(office), w.plan.ID, cycle.CycleSettingsUpdate{Thresholds: &cycle.Thresholds{Lag: 30, Severe: 20}})
		wantCode(t, "bad thresholds", err, duban.EINVALID)
	})
}

func TestCalendarOverrides(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		ps := w.mustPeriods(t)
		clerk := w.clerk(t, "区财政局")
		o := &cycle.CalendarOverride{Date: date("2022-07-25"), Name: "区级活动"}
		wantCode(t, "a clerk overrides", w.periods.SetCalendarOverride(as(clerk), o), duban.EFORBIDDEN)
		wantCode(t, "no reason", w.periods.SetCalendarOverride(as(office), &cycle.CalendarOverride{Date: date("2022-07-25")}), duban.EINVALID)
		if err := w.periods.SetCalendarOverride(as(office), o); err != nil {
			t.Fatal(err)
		}
		july, err := w.periods.FindPeriodByID(as(office), ps[6].ID)
		if err != nil {
			t.Fatal(err)
		}
		if july.Due != date("2022-07-26") || july.DueNote != "7月25日为休息日（区级活动），顺延至7月26日" || july.Scheduled != date("2022-07-25") {
			t.Errorf("July after the override: got %s %q", july.Due, july.DueNote)
		}
		year := 2022
		list, err := w.periods.FindCalendarOverrides(as(clerk), cycle.CalendarFilter{Year: &year})
		if err != nil || len(list) != 1 || list[0].By != office.Label() {
			t.Fatalf("overrides: got %+v (%v)", list, err)
		}
		if err := w.periods.DeleteCalendarOverride(as(office), date("2022-07-25")); err != nil {
			t.Fatal(err)
		}
		july, _ = w.periods.FindPeriodByID(as(office), ps[6].ID)
		if july.Due != date("2022-07-25") || july.DueNote != "" {
			t.Errorf("July after the override is removed: got %s %q", july.Due, july.DueNote)
		}
		wantCode(t, "remove again", w.periods.DeleteCalendarOverride(as(office), date("2022-07-25")), duban.ENOTFOUND)
	})
}
