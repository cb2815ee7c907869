package cyclestore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// SupervisionService keeps the supervision notices (督办单).
type SupervisionService struct{ base }

// NewSupervisionService returns the supervision notices of db; groups
// tells which unit leads a task addressed to a group (nil: none).
func NewSupervisionService(db *sqldb.DB, groups cycle.GroupMembers) *SupervisionService {
	return &SupervisionService{base{db: db, groups: groups}}
}

var _ cycle.SupervisionService = (*SupervisionService)(nil)

const supervisionColumns = "s.id, s.plan_id, s.year, s.seq, s.unit_id, s.unit_name, s.reason, s.requirement, s.due, s.state, s.answer, " +
	"s.evidence, s.repeat_of, s.repeated_by, s.issued_by, s.issued_at, s.acknowledged_by, s.acknowledged_at, s.answered_by, " +
	"s.answered_at, s.closed_by, s.closed_at, s.version, s.updated_by, s.updated_at"

// FindSupervisionByID returns one notice.
func (s *SupervisionService) FindSupervisionByID(ctx context.Context, id int64) (*cycle.Supervision, error) {
	if _, err := duban.Authorize(ctx, "查看督办单", duban.CanRead); err != nil {
		return nil, err
	}
	var out *cycle.Supervision
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = findSupervision(tx, id)
		return err
	})
	return out, err
}

// FindSupervisions returns notices, newest first.
func (s *SupervisionService) FindSupervisions(ctx context.Context, f cycle.SupervisionFilter) ([]*cycle.Supervision, int, error) {
	if _, err := duban.Authorize(ctx, "查看督办单", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var out []*cycle.Supervision
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, total, err = findSupervisions(tx, f)
		return err
	})
	return out, total, err
}

func findSupervision(tx *Tx, id int64) (*cycle.Supervision, error) {
	out, _, err := findSupervisions(tx, cycle.SupervisionFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, sqldb.NotFound("督办单", id)
	}
	return out[0], nil
}

func findSupervisions(tx *Tx, f cycle.SupervisionFilter) ([]*cycle.Supervision, int, error) {
	var c condition
	if f.ID != nil {
		c.add("s.id = ?", *f.ID)
	}
	if f.PlanID != nil {
		c.add("s.plan_id = ?", *f.PlanID)
	}
	if f.UnitID != nil {
		c.add("s.unit_id = ?", *f.UnitID)
	}
	if f.TaskID != nil {
		c.add("s.id IN (SELECT supervision_id FROM supervision_tasks WHERE task_id = ?)", *f.TaskID)
	}
	if f.Year != nil {
		c.add("s.year = ?", *f.Year)
	}
	if f.State != nil {
		c.add("s.state = ?", string(*f.State))
	}
	if f.Open {
		c.add("s.state IN ('issued', 'acknowledged', 'answered')")
	}
	draftsHidden(tx, &c)
	from := " FROM supervisions s JOIN plans p ON p.id = s.plan_id" + c.where()
	total, err := tx.Count("SELECT count(*)"+from, c.args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT "+supervisionColumns+from+" ORDER BY s.year DESC, s.seq DESC"+page, append(c.args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	var out []*cycle.Supervision
	byID := map[int64]*cycle.Supervision{}
	for rows.Next() {
		var x cycle.Supervision
		var evidence string
		if err := rows.Scan(&x.ID, &x.PlanID, &x.Year, &x.Seq, &x.UnitID, &x.Unit, &x.Reason, &x.Requirement, sqldb.DateCol(&x.Due),
			&x.State, &x.Answer, &evidence, sqldb.IDCol(&x.RepeatOf), sqldb.IDCol(&x.RepeatedBy), &x.IssuedBy, sqldb.TimeCol(&x.IssuedAt),
			&x.AcknowledgedBy, sqldb.TimeCol(&x.AcknowledgedAt), &x.AnsweredBy, sqldb.TimeCol(&x.AnsweredAt), &x.ClosedBy,
			sqldb.TimeCol(&x.ClosedAt), &x.Version, &x.UpdatedBy, sqldb.TimeCol(&x.UpdatedAt)); err != nil {
			rows.Close()
			return nil, 0, err
		}
		x.Evidence, x.TaskIDs = []cycle.EvidenceRef{}, []int64{}
		if err := fromJSON(evidence, &x.Evidence); err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, &x)
		byID[x.ID] = &x
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, total, err
	}
	ids := make([]int64, len(out))
	for i, x := range out {
		ids[i] = x.ID
	}
	in, args := inIDs(ids)
	if rows, err = tx.Query("SELECT supervision_id, task_id FROM supervision_tasks WHERE supervision_id IN "+in+" ORDER BY supervision_id, pos", args...); err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var sid, tid int64
		if err := rows.Scan(&sid, &tid); err != nil {
			return nil, 0, err
		}
		byID[sid].TaskIDs = append(byID[sid].TaskIDs, tid)
	}
	return out, total, rows.Err()
}

// CreateSupervision issues a notice to the lead unit of its tasks, numbered
// in the year it is issued; with RepeatOf, it issues that notice again (再督
// 办) and supersedes it.
func (s *SupervisionService) CreateSupervision(ctx context.Context, sv *cycle.Supervision) error {
	if _, err := duban.Authorize(ctx, "下发督办单", cycle.CanSupervise); err != nil {
		return err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return err
	}
	sv.Reason, sv.Requirement, sv.Answer = strings.TrimSpace(sv.Reason), strings.TrimSpace(sv.Requirement), ""
	return s.db.Update(ctx, func(tx *Tx) error {
		var old *cycle.Supervision
		if sv.RepeatOf != 0 {
			var err error
			if old, err = findSupervision(tx, sv.RepeatOf); err != nil {
				return err
			}
			if err := cycle.SupervisionStep(old.State, cycle.SupervisionReissued, true); err != nil {
				return err
			}
			if len(sv.TaskIDs) == 0 {
				sv.TaskIDs = slices.Clone(old.TaskIDs)
			}
			if sv.UnitID == 0 {
				sv.UnitID = old.UnitID
			}
		}
		sv.Evidence = []cycle.EvidenceRef{}
		if err := sv.Validate(); err != nil {
			return err
		}
		today := duban.Today(tx.Now())
		if sv.Due.Before(today) {
			return duban.Errorf(duban.EINVALID, "反馈时限 %s 已过：请给出今天或以后的日期。", sv.Due.LabelYear())
		}
		var tasks []*duban.Task
		for _, id := range sv.TaskIDs {
			t, err := ledgerstore.FindTask(tx, id)
			if err != nil {
				return err
			}
			if len(tasks) > 0 && t.PlanID != tasks[0].PlanID {
				return duban.Errorf(duban.EINVALID, "一份督办单的任务应属于同一文件。")
			}
			tasks = append(tasks, t)
		}
		if _, err := planInCycle(tx, tasks[0].PlanID); err != nil {
			return err
		}
		for _, t := range tasks {
			composer, _ := cycle.ReportingUnits(t, groups)
			switch {
			case composer == 0:
				return duban.Errorf(duban.EINVALID, "任务 %s 没有对应到名录中的单位，不能下发督办单。", t.No)
			case sv.UnitID == 0:
				sv.UnitID = composer
			case composer != sv.UnitID && !t.Reaches(sv.UnitID, groups):
				return duban.Errorf(duban.EINVALID, "任务 %s 不由%s承担：请按牵头单位分别下发督办单。", t.No, unitName(tx, sv.UnitID))
			}
		}
		sv.PlanID, sv.Unit, sv.Year, sv.State = tasks[0].PlanID, unitName(tx, sv.UnitID), today.Year, cycle.SupervisionIssued
		if err := tx.QueryRow("SELECT COALESCE(max(seq), 0) + 1 FROM supervisions WHERE year = ?", sv.Year).Scan(&sv.Seq); err != nil {
			return err
		}
		sv.IssuedBy, sv.IssuedAt, sv.Version, sv.UpdatedBy, sv.UpdatedAt = tx.Actor(), tx.Now(), 1, tx.Actor(), tx.Now()
		var err error
		if sv.ID, err = tx.Insert(`INSERT INTO supervisions (plan_id, year, seq, unit_id, unit_name, reason, requirement, due, state,
			answer, evidence, repeat_of, issued_by, issued_at, version, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', '[]', ?, ?, ?, 1, ?, ?)`,
			sv.PlanID, sv.Year, sv.Seq, sv.UnitID, sv.Unit, sv.Reason, sv.Requirement, sv.Due.String(), string(sv.State),
			sqldb.NullID(sv.RepeatOf), sv.IssuedBy, tx.Time(sv.IssuedAt), sv.UpdatedBy, tx.Time(sv.UpdatedAt)); err != nil {
			return err
		}
		for i, id := range sv.TaskIDs {
			if _, err := tx.Exec("INSERT INTO supervision_tasks (supervision_id, task_id, pos) VALUES (?, ?, ?)", sv.ID, id, i); err != nil {
				return err
			}
		}
		nos := make([]string, len(tasks))
		for i, t := range tasks {
			nos[i] = t.No
		}
		summary := fmt.Sprintf("下发%s：任务 %s，反馈时限 %s", sv.Number(), joinNames(nos), sv.Due.LabelYear())
		if old != nil {
			before := *old
			old.State, old.RepeatedBy, old.Version, old.UpdatedBy, old.UpdatedAt = cycle.SupervisionReissued, sv.ID, old.Version+1, tx.Actor(), tx.Now()
			if _, err := tx.Exec("UPDATE supervisions SET state = ?, repeated_by = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?",
				string(old.State), sv.ID, old.Version, old.UpdatedBy, tx.Time(old.UpdatedAt), old.ID); err != nil {
				return err
			}
			if err := tx.Record("supervision.reissue", "supervision", old.ID, old.PlanID, fmt.Sprintf("再督办：%s 由 %s 接续", old.Number(), sv.Number()), &before, old); err != nil {
				return err
			}
			summary = fmt.Sprintf("再督办（接续%s），下发%s：任务 %s，反馈时限 %s", old.Number(), sv.Number(), joinNames(nos), sv.Due.LabelYear())
		}
		link := fmt.Sprintf("/supervisions/%d", sv.ID)
		if _, err := notify(tx, &cycle.Notification{UnitID: sv.UnitID, Kind: cycle.NotifySupervision, Link: link,
			Text:   fmt.Sprintf("督查室下发%s（任务 %s）：%s。请于 %s 前反馈。", sv.Number(), joinNames(nos), sv.Reason, sv.Due.LabelYear()),
			TextEN: fmt.Sprintf("The office issued supervision notice %d/%d on task %s; answer by %s.", sv.Seq, sv.Year, joinNames(nos), sv.Due)}); err != nil {
			return err
		}
		if _, err := s.send(tx, &outbound{Event: "supervision", UnitID: sv.UnitID, PlanID: sv.PlanID,
			Subject: fmt.Sprintf("%s：%s", sv.Number(), sv.Unit),
			Body: fmt.Sprintf("【%s】督查室下发%s（任务 %s）。\n事由：%s\n要求：%s\n反馈时限：%s 前", sv.Unit, sv.Number(), joinNames(nos),
				sv.Reason, sv.Requirement, sv.Due.LabelYear()),
			Path: link, Key: func(ch *duban.Channel) string { return fmt.Sprintf("supervision/%d/%s", sv.ID, channelTarget(ch)) }}); err != nil {
			return err
		}
		return tx.Record("supervision.issue", "supervision", sv.ID, sv.PlanID, summary, nil, sv)
	})
}

// UpdateSupervision acknowledges or answers a notice (its unit) or closes
// it (the office).
func (s *SupervisionService) UpdateSupervision(ctx context.Context, id int64, upd cycle.SupervisionUpdate) (*cycle.Supervision, error) {
	u, err := duban.Authorize(ctx, "办理督办单", duban.CanRead)
	if err != nil {
		return nil, err
	}
	var sv *cycle.Supervision
	err = s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if sv, err = findSupervision(tx, id); err != nil {
			return err
		}
		to := sv.State
		if upd.State != nil {
			to = *upd.State
		}
		office := cycle.CanSupervise(u)
		switch {
		case to == cycle.SupervisionClosed && !office:
			return duban.Forbidden(u, "办结督办单")
		case to == cycle.SupervisionReissued:
			return duban.Errorf(duban.EINVALID, "再督办请下发一份新的督办单（指明接续的督办单）。")
		case to != cycle.SupervisionClosed && !cycle.CanAnswerSupervision(u, sv):
			return duban.Errorf(duban.EFORBIDDEN, "%s是下发给%s的：只有该单位可以签收和反馈。", sv.Number(), sv.Unit)
		}
		if upd.Version != sv.Version {
			return duban.Conflict("督办单", sv.Version, sv.UpdatedBy, sv.UpdatedAt)
		}
		if _, err := planInCycle(tx, sv.PlanID); err != nil {
			return err
		}
		if err := cycle.SupervisionStep(sv.State, to, office); err != nil {
			return err
		}
		before := *sv
		now, who := tx.Now(), tx.Actor()
		var n *cycle.Notification
		link := fmt.Sprintf("/supervisions/%d", sv.ID)
		switch to {
		case cycle.SupervisionAcknowledged:
			sv.AcknowledgedBy, sv.AcknowledgedAt = who, now
		case cycle.SupervisionAnswered:
			if upd.Answer != nil {
				sv.Answer = strings.TrimSpace(*upd.Answer)
			}
			if upd.Evidence != nil {
				sv.Evidence = slices.Clone(*upd.Evidence)
			}
			if sv.Answer == "" {
				return duban.Errorf(duban.EINVALID, "请填写反馈内容。")
			}
			if err := checkEvidence(tx, sv.Evidence); err != nil {
				return err
			}
			if sv.AcknowledgedAt.IsZero() {
				sv.AcknowledgedBy, sv.AcknowledgedAt = who, now
			}
			sv.AnsweredBy, sv.AnsweredAt = who, now
			late := ""
			if d := sv.DaysLate(duban.Today(now)); d > 0 {
				late = fmt.Sprintf("（逾期 %d 天）", d)
			}
			n = &cycle.Notification{Office: true, Kind: cycle.NotifySupervision, Link: link,
				Text: fmt.Sprintf("%s反馈了%s%s，请审核。", sv.Unit, sv.Number(), late), TextEN: fmt.Sprintf("%s answered supervision notice %d/%d.", sv.Unit, sv.Seq, sv.Year)}
		case cycle.SupervisionClosed:
			sv.ClosedBy, sv.ClosedAt = who, now
			n = &cycle.Notification{UnitID: sv.UnitID, Kind: cycle.NotifySupervision, Link: link,
				Text: sv.Number() + "已办结。", TextEN: fmt.Sprintf("Supervision notice %d/%d is closed.", sv.Seq, sv.Year)}
		}
		sv.State = to
		if err := sv.Validate(); err != nil {
			return err
		}
		evidence, err := toJSON(sv.Evidence)
		if err != nil {
			return err
		}
		sv.Version, sv.UpdatedBy, sv.UpdatedAt = sv.Version+1, who, now
		if _, err := tx.Exec(`UPDATE supervisions SET state = ?, answer = ?, evidence = ?, acknowledged_by = ?, acknowledged_at = ?,
			answered_by = ?, answered_at = ?, closed_by = ?, closed_at = ?, version = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			string(sv.State), sv.Answer, evidence, sv.AcknowledgedBy, tx.Time(sv.AcknowledgedAt), sv.AnsweredBy, tx.Time(sv.AnsweredAt),
			sv.ClosedBy, tx.Time(sv.ClosedAt), sv.Version, sv.UpdatedBy, tx.Time(sv.UpdatedAt), sv.ID); err != nil {
			return err
		}
		if n != nil {
			if _, err := notify(tx, n); err != nil {
				return err
			}
		}
		verb := map[cycle.SupervisionState]string{cycle.SupervisionAcknowledged: "签收", cycle.SupervisionAnswered: "反馈",
			cycle.SupervisionClosed: "办结"}[to]
		return tx.Record("supervision."+string(to), "supervision", sv.ID, sv.PlanID, verb+sv.Number(), &before, sv)
	})
	return sv, err
}
