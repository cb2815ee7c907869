package cyclestore_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

func TestSupervisions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		w.clock.Set("2022-08-01")
		lead, other := w.clerk(t, "区科学技术局"), w.clerk(t, "区财政局")
		issue := func(u *duban.User, s *cycle.Supervision) error { return w.supervisions.CreateSupervision(as(u), s) }
		s := &cycle.Supervision{TaskIDs: []int64{w.tasks["2.1.3"].ID}, Reason: "7月进度滞后", Requirement: "请说明原因并提出措施", Due: date("2022-08-08")}
		wantCode(t, "a clerk issues", issue(lead, s), duban.EFORBIDDEN)
		wantCode(t, "a deadline past", issue(office, &cycle.Supervision{TaskIDs: s.TaskIDs, Reason: "x", Requirement: "y", Due: date("2022-07-31")}), duban.EINVALID)
		wantCode(t, "tasks of two lead units", issue(office, &cycle.Supervision{TaskIDs: []int64{w.tasks["2.1.3"].ID, w.tasks["1.1.1"].ID},
			Reason: "x", Requirement: "y", Due: date("2022-08-08")}), duban.EINVALID)
		if err := issue(office, s); err != nil {
			t.Fatal(err)
		}
		if s.Number() != "督办〔2022〕第 1 号" || s.UnitID != w.units["区科学技术局"] || s.Unit != "区科学技术局" || s.State != cycle.SupervisionIssued {
			t.Errorf("issued: got %s to %s (%d), %s", s.Number(), s.Unit, s.UnitID, s.State)
		}
		second := &cycle.Supervision{TaskIDs: []int64{w.tasks["1.1.1"].ID}, Reason: "未报送", Requirement: "立即报送", Due: date("2022-08-05")}
		if err := issue(office, second); err != nil {
			t.Fatal(err)
		}
		if second.Seq != 2 {
			t.Errorf("numbered per year: got %d, want 2", second.Seq)
		}

		step := func(u *duban.User, state cycle.SupervisionState, answer string) (*cycle.Supervision, error) {
			upd := cycle.SupervisionUpdate{State: &state, Version: s.Version}
			if answer != "" {
				upd.Answer = &answer
			}
			got, err := w.supervisions.UpdateSupervision(as(u), s.ID, upd)
			if err == nil {
				s = got
			}
			return got, err
		}
		_, err := step(other, cycle.SupervisionAcknowledged, "")
		wantCode(t, "another unit acknowledges", err, duban.EFORBIDDEN)
		_, err = step(office, cycle.SupervisionClosed, "")
		wantCode(t, "closing before an answer", err, duban.ECONFLICT)
		if _, err := step(lead, cycle.SupervisionAcknowledged, ""); err != nil {
			t.Fatal(err)
		}
		_, err = step(lead, cycle.SupervisionAnswered, "")
		wantCode(t, "an empty answer", err, duban.EINVALID)
		w.clock.Set("2022-08-10")
		if _, err := step(lead, cycle.SupervisionAnswered, "已召开专题会，新增企业 20 家"); err != nil {
			t.Fatal(err)
		}
		if got := s.DaysLate(date("2022-08-20")); got != 2 {
			t.Errorf("answered two days late: got %d", got)
		}
		_, err = step(lead, cycle.SupervisionClosed, "")
		wantCode(t, "the unit closes", err, duban.EFORBIDDEN)
		if _, err := step(office, cycle.SupervisionClosed, ""); err != nil {
			t.Fatal(err)
		}
		if s.State != cycle.SupervisionClosed || s.ClosedBy != office.Label() || s.AcknowledgedBy != lead.Label() {
			t.Errorf("closed: got %+v", s)
		}
		_, err = w.supervisions.UpdateSupervision(as(lead), s.ID, cycle.SupervisionUpdate{State: ptr(cycle.SupervisionAnswered), Answer: ptr("补充"), Version: s.Version - 1})
		wantCode(t, "a stale answer", err, duban.ECONFLICT)

		// 再督办: the second notice, unanswered, is issued again.
		again := &cycle.Supervision{RepeatOf: second.ID, Reason: "逾期未反馈", Requirement: "三日内反馈", Due: date("2022-08-13")}
		if err := issue(office, again); err != nil {
			t.Fatal(err)
		}
		old, err := w.supervisions.FindSupervisionByID(as(lead), second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if old.State != cycle.SupervisionReissued || old.RepeatedBy != again.ID || again.RepeatOf != second.ID || again.Seq != 3 ||
			again.UnitID != second.UnitID || len(again.TaskIDs) != 1 {
			t.Errorf("reissued: old %+v, new %+v", old, again)
		}
		if got := old.DaysLate(date("2022-08-10")); got != 0 {
			t.Errorf("a superseded notice is not late: got %d", got)
		}
		wantCode(t, "reissuing twice", issue(office, &cycle.Supervision{RepeatOf: second.ID, Reason: "x", Requirement: "y", Due: date("2022-08-20")}), duban.ECONFLICT)

		open, n, err := w.supervisions.FindSupervisions(as(lead), cycle.SupervisionFilter{Open: true})
		if err != nil || n != 1 || open[0].ID != again.ID {
			t.Errorf("open notices: got %d (%v)", n, err)
		}
		byTask, n, err := w.supervisions.FindSupervisions(as(lead), cycle.SupervisionFilter{TaskID: &w.tasks["1.1.1"].ID})
		if err != nil || n != 2 || byTask[0].ID != again.ID {
			t.Errorf("notices of task 1.1.1: got %d (%v)", n, err)
		}
		ns, _, err := w.notifications.FindNotifications(as(w.clerk(t, "区财政局")), cycle.NotificationFilter{})
		if err != nil || len(ns) != 2 || !strings.Contains(ns[0].Text, "督查室下发督办〔2022〕第 3 号（任务 1.1.1）：逾期未反馈。请于 2022年8月13日 前反馈。") {
			t.Errorf("the unit's notifications: got %+v (%v)", ns, err)
		}
	})
}
