package ledgerstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// The review of a plan: correcting tasks, splitting and merging them,
// expanding group terms, deciding unassigned statements.

// loadDirectory reads every unit (merged ones too, so that their names lead
// to the unit that carries on) and every leader.
func loadDirectory(tx *Tx) (*duban.Directory, error) {
	units, _, err := findUnits(tx, duban.UnitFilter{IncludeMerged: true})
	if err != nil {
		return nil, err
	}
	leaders, _, err := findLeaders(tx, duban.LeaderFilter{})
	if err != nil {
		return nil, err
	}
	return duban.NewDirectory(units, leaders), nil
}

// mapOwners points the tasks' owners at the directory and returns the names
// it does not know. With create, those become new units (of the kind their
// name suggests) and leaders, as a published plan needs every owner in the
// directory; why says in the audit log what led to them.
func mapOwners(tx *Tx, tasks []*duban.Task, create bool, why string) (units, leaders []string, err error) {
	dir, err := loadDirectory(tx)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, t := range tasks {
		u, l := dir.Map(t)
		for _, n := range u {
			if k := "u" + duban.NormalizeName(n); !seen[k] {
				seen[k], units = true, append(units, n)
			}
		}
		for _, n := range l {
			if k := "l" + duban.NormalizeName(n); !seen[k] {
				seen[k], leaders = true, append(leaders, n)
			}
		}
	}
	if !create || len(units)+len(leaders) == 0 {
		return units, leaders, nil
	}
	for _, n := range units {
		u := &duban.Unit{Name: strings.TrimSpace(n), Kind: duban.GuessUnitKind(n)}
		if err := u.Validate(); err != nil {
			return nil, nil, err
		}
		if err := createUnit(tx, u, why); err != nil {
			return nil, nil, err
		}
	}
	for _, n := range leaders {
		if err := createLeader(tx, &duban.Leader{Name: n}, why); err != nil {
			return nil, nil, err
		}
	}
	if dir, err = loadDirectory(tx); err != nil {
		return nil, nil, err
	}
	for _, t := range tasks {
		dir.Map(t)
	}
	return units, leaders, nil
}

// planForChange returns a task's plan, refusing an archived plan, and a
// plan not in draft when draftOnly (splitting and merging renumber tasks,
// which a published plan's numbers must not undergo).
func planForChange(tx *Tx, planID int64, draftOnly bool) (*duban.Plan, error) {
	p, err := findPlan(tx, planID, false)
	if err != nil {
		return nil, err
	}
	switch {
	case p.State == duban.PlanArchived:
		return nil, duban.Errorf(duban.ECONFLICT, "文件“%s”已归档，不能再修改。", p.Title)
	case draftOnly && p.State != duban.PlanDraft:
		return nil, duban.Errorf(duban.ECONFLICT, "文件“%s”已发布，任务不能再拆分或合并：请以修改任务内容代替，或导入更正后的通知。", p.Title)
	}
	return p, nil
}

// touchPlan marks the plan changed at tx's now.
func touchPlan(tx *Tx, planID int64) error {
	_, err := tx.Exec("UPDATE plans SET updated_at = ? WHERE id = ?", tx.Time(tx.Now()), planID)
	return err
}

// UpdateTask corrects a task. In a published plan, owners the directory does
// not know become new units and leaders.
func (s *TaskService) UpdateTask(ctx context.Context, id int64, upd duban.TaskUpdate) (*duban.Task, error) {
	u, err := duban.Authorize(ctx, "修改任务", duban.CanRead)
	if err != nil {
		return nil, err
	}
	var t *duban.Task
	err = s.db.Update(ctx, func(tx *Tx) error {
		if t, err = findTask(tx, id); err != nil {
			return err
		}
		if !duban.CanEditTask(u, t) {
			return duban.Forbidden(u, "修改任务")
		}
		if upd.Version != nil && *upd.Version != t.Version {
			return duban.Conflict("任务", t.Version, t.UpdatedBy, t.UpdatedAt)
		}
		p, err := planForChange(tx, t.PlanID, false)
		if err != nil {
			return err
		}
		if t.State != duban.TaskActive {
			return duban.Errorf(duban.ECONFLICT, "任务 %s 已撤销，不能修改。", t.No)
		}
		before := t.Clone()
		upd.Apply(t)
		if _, _, err := mapOwners(tx, []*duban.Task{t}, p.State != duban.PlanDraft, "修改任务时新建"); err != nil {
			return err
		}
		if err := t.Validate(); err != nil {
			return err
		}
		if err := saveTask(tx, t, true); err != nil {
			return err
		}
		if err := touchPlan(tx, t.PlanID); err != nil {
			return err
		}
		return tx.Record("task.update", "task", t.ID, t.PlanID, "修改任务 "+t.No, before, t)
	})
	return t, err
}

// SplitTask cuts a draft's task in two; the tasks after it in its area move
// down one number.
func (s *TaskService) SplitTask(ctx context.Context, id int64, at int) (first, second *duban.Task, err error) {
	if _, err := duban.Authorize(ctx, "拆分任务", duban.CanReviewPlan); err != nil {
		return nil, nil, err
	}
	err = s.db.Update(ctx, func(tx *Tx) error {
		if first, err = findTask(tx, id); err != nil {
			return err
		}
		if _, err := planForChange(tx, first.PlanID, true); err != nil {
			return err
		}
		before := first.Clone()
		if second, err = first.Split(at); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE tasks SET seq = seq + 1 WHERE plan_id = ? AND section = ? AND area = ? AND seq > ?",
			first.PlanID, first.Section, first.Area, first.Seq); err != nil {
			return err
		}
		if err := saveTask(tx, first, true); err != nil {
			return err
		}
		if err := insertTask(tx, second); err != nil {
			return err
		}
		if err := touchPlan(tx, first.PlanID); err != nil {
			return err
		}
		if err := tx.Record("task.split", "task", first.ID, first.PlanID, fmt.Sprintf("拆分任务 %s，后半部分成为任务 %s", first.No, second.No), before, first); err != nil {
			return err
		}
		return tx.Record("task.create", "task", second.ID, second.PlanID, "拆分任务 "+first.No+" 得到任务 "+second.No, nil, second)
	})
	return first, second, err
}

// MergeTasks joins task other into task id, both of one draft, and deletes
// other; the tasks after other in its area move up one number.
func (s *TaskService) MergeTasks(ctx context.Context, id, other int64) (*duban.Task, error) {
	if _, err := duban.Authorize(ctx, "合并任务", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	if id == other {
		return nil, duban.Errorf(duban.EINVALID, "不能把任务与它自己合并。")
	}
	var t *duban.Task
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if t, err = findTask(tx, id); err != nil {
			return err
		}
		o, err := findTask(tx, other)
		if err != nil {
			return err
		}
		if o.PlanID != t.PlanID {
			return duban.Errorf(duban.EINVALID, "只能合并同一文件中的任务。")
		}
		if _, err := planForChange(tx, t.PlanID, true); err != nil {
			return err
		}
		before := t.Clone()
		t.Merge(o)
		if err := t.Validate(); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE statements SET task_id = ? WHERE task_id = ?", t.ID, o.ID); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM tasks WHERE id = ?", o.ID); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE tasks SET seq = seq - 1 WHERE plan_id = ? AND section = ? AND area = ? AND seq > ?",
			o.PlanID, o.Section, o.Area, o.Seq); err != nil {
			return err
		}
		if o.Section == t.Section && o.Area == t.Area && o.Seq < t.Seq {
			t.Seq--
		}
		if err := saveTask(tx, t, true); err != nil {
			return err
		}
		if err := touchPlan(tx, t.PlanID); err != nil {
			return err
		}
		if err := tx.Record("task.delete", "task", o.ID, o.PlanID, "任务 "+o.No+" 并入任务 "+before.No, o, nil); err != nil {
			return err
		}
		return tx.Record("task.merge", "task", t.ID, t.PlanID, "任务 "+o.No+" 并入任务 "+before.No, before, t)
	})
	return t, err
}

// ExpandGroup replaces a group term in tasks' attributions by the units it
// stands for, each task's lists keeping their order and naming no unit twice.
func (s *TaskService) ExpandGroup(ctx context.Context, exp duban.GroupExpansion) ([]*duban.Task, error) {
	if _, err := duban.Authorize(ctx, "展开统称", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	var changed []*duban.Task
	err := s.db.Update(ctx, func(tx *Tx) error {
		if _, err := planForChange(tx, exp.PlanID, false); err != nil {
			return err
		}
		dir, err := loadDirectory(tx)
		if err != nil {
			return err
		}
		var members []*duban.Unit
		if len(exp.UnitIDs) == 0 {
			if members, err = dir.Members(exp.Group); err != nil {
				return err
			}
		}
		for _, id := range exp.UnitIDs {
			u := dir.UnitByID(id)
			if u == nil {
				return sqldb.NotFound("单位", id)
			}
			members = append(members, u)
		}
		tasks, _, err := findTasks(tx, duban.TaskFilter{PlanID: &exp.PlanID}, false)
		if err != nil {
			return err
		}
		group := duban.NormalizeName(exp.Group)
		names := func(o duban.Owner) bool { return duban.NormalizeName(o.Name) == group }
		for _, t := range tasks {
			if len(exp.TaskIDs) > 0 && !slices.Contains(exp.TaskIDs, t.ID) {
				continue
			}
			if !slices.ContainsFunc(t.LeadUnits, names) && !slices.ContainsFunc(t.ResponsibleUnits, names) {
				continue
			}
			before := t.Clone()
			t.LeadUnits = expandOwners(t.LeadUnits, group, members)
			t.ResponsibleUnits = expandOwners(t.ResponsibleUnits, group, members)
			if err := t.Validate(); err != nil {
				return err
			}
			if err := saveTask(tx, t, true); err != nil {
				return err
			}
			summary := fmt.Sprintf("任务 %s：“%s”展开为 %d 个单位", t.No, exp.Group, len(members))
			if err := tx.Record("task.expand", "task", t.ID, t.PlanID, summary, before, t); err != nil {
				return err
			}
			changed = append(changed, t)
		}
		if len(changed) == 0 {
			if len(exp.TaskIDs) > 0 {
				return duban.Errorf(duban.ENOTFOUND, "所选的任务中没有写有“%s”的。", exp.Group)
			}
			return duban.Errorf(duban.ENOTFOUND, "文件中没有写有“%s”的任务。", exp.Group)
		}
		return touchPlan(tx, exp.PlanID)
	})
	return changed, err
}

// expandOwners replaces the owner named group by members, leaving out units
// the list names already.
func expandOwners(list []duban.Owner, group string, members []*duban.Unit) []duban.Owner {
	var out []duban.Owner
	for _, o := range list {
		if duban.NormalizeName(o.Name) != group {
			out = append(out, o)
			continue
		}
		for _, m := range members {
			if !slices.ContainsFunc(list, func(x duban.Owner) bool { return x.ID == m.ID }) &&
				!slices.ContainsFunc(out, func(x duban.Owner) bool { return x.ID == m.ID }) {
				out = append(out, duban.Owner{ID: m.ID, Name: m.Name})
			}
		}
	}
	return out
}

// FindStatements returns a plan's unassigned statements in notice order.
func (s *TaskService) FindStatements(ctx context.Context, f duban.StatementFilter) ([]*duban.Statement, int, error) {
	if _, err := duban.Authorize(ctx, "查看无人认领的段落", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var out []*duban.Statement
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, total, err = findStatements(tx, f)
		return err
	})
	return out, total, err
}

func findStatements(tx *Tx, f duban.StatementFilter) ([]*duban.Statement, int, error) {
	var conds []string
	var args []any
	if f.ID != nil {
		conds, args = append(conds, "s.id = ?"), append(args, *f.ID)
	}
	if f.PlanID != nil {
		conds, args = append(conds, "s.plan_id = ?"), append(args, *f.PlanID)
	}
	if f.State != nil {
		conds, args = append(conds, "s.state = ?"), append(args, string(*f.State))
	}
	conds = append(conds, visiblePlan(tx))
	from := " FROM statements s JOIN plans p ON p.id = s.plan_id" + sqldb.Where(conds)
	total, err := tx.Count("SELECT count(*)"+from, args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT s.id, s.plan_id, s.section, s.area, s.text, s.line, s.state, s.task_id, s.note, s.created_at, s.updated_at"+
		from+" ORDER BY s.plan_id, s.section, s.area, s.line, s.id"+page, append(args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*duban.Statement
	for rows.Next() {
		var st duban.Statement
		if err := rows.Scan(&st.ID, &st.PlanID, &st.Section, &st.Area, &st.Text, &st.Line, &st.State, sqldb.IDCol(&st.TaskID), &st.Note,
			sqldb.TimeCol(&st.CreatedAt), sqldb.TimeCol(&st.UpdatedAt)); err != nil {
			return nil, 0, err
		}
		out = append(out, &st)
	}
	return out, total, rows.Err()
}

func findStatement(tx *Tx, id int64) (*duban.Statement, error) {
	out, _, err := findStatements(tx, duban.StatementFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, sqldb.NotFound("无人认领的段落", id)
	}
	return out[0], nil
}

func insertStatement(tx *Tx, st *duban.Statement) error {
	if err := st.Validate(); err != nil {
		return err
	}
	st.CreatedAt, st.UpdatedAt = tx.Now(), tx.Now()
	var err error
	st.ID, err = tx.Insert("INSERT INTO statements (plan_id, section, area, text, line, state, task_id, note, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		st.PlanID, st.Section, st.Area, st.Text, st.Line, string(st.State), sqldb.NullID(st.TaskID), st.Note, tx.Time(tx.Now()), tx.Time(tx.Now()))
	return err
}

func saveStatement(tx *Tx, st *duban.Statement) error {
	if err := st.Validate(); err != nil {
		return err
	}
	st.UpdatedAt = tx.Now()
	_, err := tx.Exec("UPDATE statements SET state = ?, task_id = ?, note = ?, updated_at = ? WHERE id = ?",
		string(st.State), sqldb.NullID(st.TaskID), st.Note, tx.Time(tx.Now()), st.ID)
	return err
}

// openStatement returns a statement still to be decided, with its plan
// open to change.
func openStatement(tx *Tx, id int64) (*duban.Statement, *duban.Plan, error) {
	st, err := findStatement(tx, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := planForChange(tx, st.PlanID, false)
	if err != nil {
		return nil, nil, err
	}
	if st.State != duban.StatementOpen {
		return nil, nil, duban.Errorf(duban.ECONFLICT, "这段文字已经处理过（%s）。", map[duban.StatementState]string{
			duban.StatementAssigned: "已分配", duban.StatementDismissed: "已标记为无需分配"}[st.State])
	}
	return st, p, nil
}

// AssignStatement makes a statement a task at the end of its area.
func (s *TaskService) AssignStatement(ctx context.Context, id int64, a duban.StatementAssignment) (*duban.Task, error) {
	if _, err := duban.Authorize(ctx, "分配无人认领的段落", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	var t *duban.Task
	err := s.db.Update(ctx, func(tx *Tx) error {
		st, p, err := openStatement(tx, id)
		if err != nil {
			return err
		}
		var seq int
		if err := tx.QueryRow("SELECT COALESCE(MAX(seq), 0) FROM tasks WHERE plan_id = ? AND section = ? AND area = ?",
			st.PlanID, st.Section, st.Area).Scan(&seq); err != nil {
			return err
		}
		t = &duban.Task{
			PlanID: st.PlanID, Year: p.Year, Section: st.Section, Area: st.Area, Seq: seq + 1,
			Text: st.Text, Line: st.Line, Deadline: strings.TrimSpace(a.Deadline), State: duban.TaskActive,
			LeadLeaders: a.LeadLeaders, LeadUnits: a.LeadUnits, ResponsibleUnits: a.ResponsibleUnits,
			Indicators: []duban.Indicator{},
		}
		t.No = duban.TaskNo(t.Section, t.Area, t.Seq)
		if _, _, err := mapOwners(tx, []*duban.Task{t}, p.State != duban.PlanDraft, "认领段落时新建"); err != nil {
			return err
		}
		if err := t.Validate(); err != nil {
			return err
		}
		if err := insertTask(tx, t); err != nil {
			return err
		}
		before := *st
		st.State, st.TaskID = duban.StatementAssigned, t.ID
		if err := saveStatement(tx, st); err != nil {
			return err
		}
		if err := touchPlan(tx, st.PlanID); err != nil {
			return err
		}
		if err := tx.Record("statement.assign", "statement", st.ID, st.PlanID, "无人认领的段落成为任务 "+t.No, &before, st); err != nil {
			return err
		}
		return tx.Record("task.create", "task", t.ID, t.PlanID, "由无人认领的段落新建任务 "+t.No, nil, t)
	})
	return t, err
}

// DismissStatement records that a statement needs no owner.
func (s *TaskService) DismissStatement(ctx context.Context, id int64, note string) (*duban.Statement, error) {
	if _, err := duban.Authorize(ctx, "处理无人认领的段落", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	var st *duban.Statement
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if st, _, err = openStatement(tx, id); err != nil {
			return err
		}
		before := *st
		st.State, st.Note = duban.StatementDismissed, strings.TrimSpace(note)
		if err := saveStatement(tx, st); err != nil {
			return err
		}
		if err := touchPlan(tx, st.PlanID); err != nil {
			return err
		}
		return tx.Record("statement.dismiss", "statement", st.ID, st.PlanID, "无人认领的段落标记为无需分配", &before, st)
	})
	return st, err
}
