package cyclestore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// Requests to close tasks (申请办结) and the office's decisions (办结).

const closureColumns = "c.id, c.plan_id, c.task_id, c.unit_id, c.state, c.note, c.evidence, c.reason, c.requested_by, c.requested_at, " +
	"c.decided_by, c.decided_at"

// FindClosures returns requests to close tasks, newest first.
// A clerk finds those of its unit's tasks only (cycle.CanViewReports).
func (s *ReportService) FindClosures(ctx context.Context, f cycle.ClosureFilter) ([]*cycle.Closure, int, error) {
	u, err := duban.Authorize(ctx, "查看办结申请", duban.CanRead)
	if err != nil {
		return nil, 0, err
	}
	groups, err := s.clerkGroups(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	var out []*cycle.Closure
	var total int
	err = s.db.View(ctx, func(tx *Tx) error {
		var err error
		if out, total, err = findClosuresFor(tx, f, u, groups); err != nil || total > 0 || f.ID == nil || u.Role != duban.RoleClerk {
			return err
		}
		// One request asked for by its ID and not found for a clerk: say
		// whether it is another unit's rather than missing.
		all, _, err := findClosures(tx, cycle.ClosureFilter{ID: f.ID})
		if err != nil || len(all) == 0 {
			return err
		}
		return checkViewReports(tx, u, all[0].TaskID, groups)
	})
	return out, total, err
}

func findClosures(tx *Tx, f cycle.ClosureFilter) ([]*cycle.Closure, int, error) {
	return findClosuresFor(tx, f, nil, nil)
}

// findClosuresFor finds the requests u may read; nil u reads all.
func findClosuresFor(tx *Tx, f cycle.ClosureFilter, u *duban.User, groups cycle.Groups) ([]*cycle.Closure, int, error) {
	var c condition
	if u != nil {
		unitTasksOnly(&c, u, groups, "c.task_id")
	}
	if f.ID != nil {
		c.add("c.id = ?", *f.ID)
	}
	if f.PlanID != nil {
		c.add("c.plan_id = ?", *f.PlanID)
	}
	if f.TaskID != nil {
		c.add("c.task_id = ?", *f.TaskID)
	}
	if f.State != nil {
		c.add("c.state = ?", string(*f.State))
	}
	draftsHidden(tx, &c)
	from := " FROM closures c JOIN plans p ON p.id = c.plan_id" + c.where()
	total, err := tx.Count("SELECT count(*)"+from, c.args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT "+closureColumns+from+" ORDER BY c.id DESC"+page, append(c.args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*cycle.Closure
	for rows.Next() {
		var x cycle.Closure
		var evidence string
		if err := rows.Scan(&x.ID, &x.PlanID, &x.TaskID, &x.UnitID, &x.State, &x.Note, &evidence, &x.Reason, &x.RequestedBy,
			sqldb.TimeCol(&x.RequestedAt), &x.DecidedBy, sqldb.TimeCol(&x.DecidedAt)); err != nil {
			return nil, 0, err
		}
		x.Evidence = []cycle.EvidenceRef{}
		if err := fromJSON(evidence, &x.Evidence); err != nil {
			return nil, 0, err
		}
		out = append(out, &x)
	}
	return out, total, rows.Err()
}

// CreateClosure records a lead unit's request to close a task as done, and
// tells the office.
func (s *ReportService) CreateClosure(ctx context.Context, c *cycle.Closure) error {
	u, err := duban.Authorize(ctx, "申请办结", duban.CanRead)
	if err != nil {
		return err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return err
	}
	c.Note, c.Reason = strings.TrimSpace(c.Note), ""
	return s.db.Update(ctx, func(tx *Tx) error {
		t, err := ledgerstore.FindTask(tx, c.TaskID)
		if err != nil {
			return err
		}
		if !cycle.CanRequestClosure(u, t, groups) {
			return duban.Forbidden(u, "为其他单位牵头的任务申请办结")
		}
		if _, err := planInCycle(tx, t.PlanID); err != nil {
			return err
		}
		if t.State != duban.TaskActive {
			return duban.Errorf(duban.ECONFLICT, "任务 %s 已撤销。", t.No)
		}
		if c.Evidence == nil {
			c.Evidence = []cycle.EvidenceRef{}
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if err := checkEvidence(tx, c.Evidence); err != nil {
			return err
		}
		standing, _, err := findClosures(tx, cycle.ClosureFilter{TaskID: &t.ID})
		if err != nil {
			return err
		}
		for _, x := range standing {
			if x.State == cycle.ClosureRequested {
				return duban.Errorf(duban.ECONFLICT, "任务 %s 已于 %s 申请办结，正等待督查室审核。", t.No, x.RequestedAt.In(duban.Beijing).Format("2006-01-02"))
			}
			if x.State == cycle.ClosureClosed {
				return duban.Errorf(duban.ECONFLICT, "任务 %s 已办结。", t.No)
			}
		}
		composer, _ := cycle.ReportingUnits(t, groups)
		c.PlanID, c.UnitID, c.State, c.RequestedBy, c.RequestedAt = t.PlanID, composer, cycle.ClosureRequested, tx.Actor(), tx.Now()
		c.DecidedBy, c.DecidedAt = "", time.Time{}
		evidence, err := toJSON(c.Evidence)
		if err != nil {
			return err
		}
		if c.ID, err = tx.Insert(`INSERT INTO closures (plan_id, task_id, unit_id, state, note, evidence, reason, requested_by, requested_at)
			VALUES (?, ?, ?, ?, ?, ?, '', ?, ?)`, c.PlanID, c.TaskID, c.UnitID, string(c.State), c.Note, evidence, c.RequestedBy,
			tx.Time(c.RequestedAt)); err != nil {
			return err
		}
		unit := unitName(tx, c.UnitID)
		if _, err := notify(tx, &cycle.Notification{Office: true, Kind: cycle.NotifyClosure, Link: fmt.Sprintf("/tasks/%d", t.ID),
			Text:   fmt.Sprintf("%s申请办结任务 %s，请审核。", unit, t.No),
			TextEN: fmt.Sprintf("%s asks to close task %s.", unit, t.No)}); err != nil {
			return err
		}
		return tx.Record("closure.request", "task", t.ID, t.PlanID, unit+"申请办结任务 "+t.No, nil, c)
	})
}

// UpdateClosure records the office's decision: the task is closed (its
// lights turn 已办结), or the request is declined with a reason.
func (s *ReportService) UpdateClosure(ctx context.Context, id int64, upd cycle.ClosureUpdate) (*cycle.Closure, error) {
	if _, err := duban.Authorize(ctx, "审核办结申请", cycle.CanCloseTask); err != nil {
		return nil, err
	}
	var c *cycle.Closure
	err := s.db.Update(ctx, func(tx *Tx) error {
		list, _, err := findClosures(tx, cycle.ClosureFilter{ID: &id})
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return sqldb.NotFound("办结申请", id)
		}
		c = list[0]
		t, err := ledgerstore.FindTask(tx, c.TaskID)
		if err != nil {
			return err
		}
		if _, err := planInCycle(tx, c.PlanID); err != nil {
			return err
		}
		if c.State != cycle.ClosureRequested {
			return duban.Errorf(duban.ECONFLICT, "任务 %s 的办结申请%s，不能再审核。", t.No, c.State.Label())
		}
		before := *c
		switch {
		case upd.State == nil || (*upd.State != cycle.ClosureClosed && *upd.State != cycle.ClosureDeclined):
			return duban.Errorf(duban.EINVALID, "请选择同意办结（closed）或不同意（declined）。")
		case *upd.State == cycle.ClosureDeclined:
			c.Reason = strings.TrimSpace(upd.Reason)
			if n := len([]rune(c.Reason)); n < 2 || n > cycle.MaxReportNote {
				return duban.Errorf(duban.EINVALID, "不同意办结请说明理由（2 到 %d 字）。", cycle.MaxReportNote)
			}
		}
		c.State, c.DecidedBy, c.DecidedAt = *upd.State, tx.Actor(), tx.Now()
		if _, err := tx.Exec("UPDATE closures SET state = ?, reason = ?, decided_by = ?, decided_at = ? WHERE id = ?",
			string(c.State), c.Reason, c.DecidedBy, tx.Time(c.DecidedAt), c.ID); err != nil {
			return err
		}
		text, textEN, action := "任务 "+t.No+" 已办结。", "Task "+t.No+" is closed.", "closure.close"
		if c.State == cycle.ClosureDeclined {
			text, textEN, action = fmt.Sprintf("督查室未同意办结任务 %s：%s", t.No, c.Reason), fmt.Sprintf("The office did not close task %s: %s", t.No, c.Reason), "closure.decline"
		} else if _, err := recompute(tx, c.PlanID, c.TaskID, false); err != nil {
			return err
		}
		if _, err := notify(tx, &cycle.Notification{UnitID: c.UnitID, Kind: cycle.NotifyClosure, Link: fmt.Sprintf("/tasks/%d", t.ID),
			Text: text, TextEN: textEN}); err != nil {
			return err
		}
		return tx.Record(action, "task", t.ID, t.PlanID, text, &before, c)
	})
	return c, err
}
