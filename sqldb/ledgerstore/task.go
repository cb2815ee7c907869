package ledgerstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// TaskService reads and corrects tasks and decides unassigned statements.
type TaskService struct{ db *sqldb.DB }

// NewTaskService returns the tasks of db.
func NewTaskService(db *sqldb.DB) *TaskService { return &TaskService{db: db} }

var _ duban.TaskService = (*TaskService)(nil)

const taskColumns = "t.id, t.plan_id, p.year, t.section, t.area, t.seq, t.text, t.deadline, t.deadline_date, t.deadline_kind, t.deadline_steps, " +
	"t.line, t.state, t.version, t.updated_by, t.created_at, t.updated_at"

// ownerRoles are the stored names of a task's three owner lists, in order.
var ownerRoles = []string{"lead_leader", "lead_unit", "responsible"}

func ownerLists(t *duban.Task) []*[]duban.Owner {
	return []*[]duban.Owner{&t.LeadLeaders, &t.LeadUnits, &t.ResponsibleUnits}
}

// FindTaskByID returns a task with its owners and targets.
func (s *TaskService) FindTaskByID(ctx context.Context, id int64) (*duban.Task, error) {
	if _, err := duban.Authorize(ctx, "查看任务", duban.CanRead); err != nil {
		return nil, err
	}
	var t *duban.Task
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		t, err = findTask(tx, id)
		return err
	})
	return t, err
}

// FindTasks returns tasks in plan order, newest year first.
func (s *TaskService) FindTasks(ctx context.Context, f duban.TaskFilter) ([]*duban.Task, int, error) {
	if _, err := duban.Authorize(ctx, "查看任务", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var tasks []*duban.Task
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		tasks, total, err = findTasks(tx, f, false)
		return err
	})
	return tasks, total, err
}

func findTask(tx *Tx, id int64) (*duban.Task, error) {
	tasks, _, err := findTasks(tx, duban.TaskFilter{ID: &id, IncludeWithdrawn: true}, true)
	if err != nil {
		return nil, err
	}
	if len(tasks) == 0 {
		return nil, sqldb.NotFound("任务", id)
	}
	return tasks[0], nil
}

// findTasks returns the tasks matching f. Their issued statements (JSON,
// costly to decode and needed only to compare a re-issued notice) are read
// only when issued is true.
func findTasks(tx *Tx, f duban.TaskFilter, issued bool) ([]*duban.Task, int, error) {
	conds, args := taskConditions(tx, f)
	from := " FROM tasks t JOIN plans p ON p.id = t.plan_id" + sqldb.Where(conds)
	page, pargs := tx.Limit(f.Limit, f.Offset)
	columns := taskColumns + ", NULL"
	if issued {
		columns = taskColumns + ", t.issued"
	}
	// A page counts every match as it reads them, to sort them, so that the
	// total comes with its rows rather than from a query of its own.
	var matches int
	var extra []any
	if f.Limit > 0 {
		columns += ", count(*) OVER ()"
		extra = append(extra, &matches)
	}
	rows, err := tx.Query("SELECT "+columns+from+" ORDER BY "+taskOrder(tx.Binary(), f.Sort, f.Desc)+page, append(args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var tasks []*duban.Task
	for rows.Next() {
		t, err := scanTask(rows, extra...)
		if err != nil {
			return nil, 0, err
		}
		tasks = append(tasks, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	total := f.Offset + len(tasks)
	switch {
	case len(tasks) > 0 && f.Limit > 0:
		total = matches
	case len(tasks) == 0 && f.Offset > 0:
		// A page past the end has no row to tell the total.
		if total, err = tx.Count("SELECT count(*)"+from, args...); err != nil {
			return nil, 0, err
		}
	}
	return tasks, total, loadTaskDetails(tx, tasks)
}

// findTaskUnits reads tasks with their lead and responsible units in one
// query, a row per owner (one without owners for a task without any).
func findTaskUnits(tx *Tx, f duban.TaskFilter) ([]*duban.Task, error) {
	conds, args := taskConditions(tx, f)
	rows, err := tx.Query(`SELECT t.id, t.plan_id, t.section, t.area, t.seq, t.state,
		CASE o.role WHEN 'lead_unit' THEN 1 WHEN 'responsible' THEN 2 ELSE 0 END, COALESCE(o.name, ''), o.unit_id
		FROM tasks t JOIN plans p ON p.id = t.plan_id
		LEFT JOIN task_owners o ON o.task_id = t.id AND o.role IN ('lead_unit', 'responsible')`+sqldb.Where(conds)+
		" ORDER BY "+taskOrder(tx.Binary(), f.Sort, f.Desc)+", o.role, o.pos", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tasks []*duban.Task
	var t *duban.Task
	// Scanned into variables declared once, which Scan's pointers make
	// escape to the heap.
	var id, plan, unit int64
	var section, area, seq, role int
	var state duban.TaskState
	var name string
	for rows.Next() {
		if err := rows.Scan(&id, &plan, &section, &area, &seq, &state, &role, &name, sqldb.IDCol(&unit)); err != nil {
			return nil, err
		}
		if t == nil || t.ID != id {
			t = &duban.Task{ID: id, PlanID: plan, Section: section, Area: area, Seq: seq, No: duban.TaskNo(section, area, seq), State: state}
			tasks = append(tasks, t)
		}
		if role != 0 {
			list := ownerLists(t)[role]
			*list = append(*list, duban.Owner{ID: unit, Name: name})
		}
	}
	return tasks, rows.Err()
}

// reach is the condition that an owner row's unit (the column col) is a
// unit's, given the unit twice: the unit itself, or a group it is a member
// of.
func reach(col string) string {
	return "(" + col + " = ? OR " + col + " IN (SELECT m.group_id FROM unit_members m WHERE m.unit_id = ?))"
}

// taskConditions returns the WHERE conditions of a task filter over tasks
// t joined with their plans p, and their arguments.
func taskConditions(tx *Tx, f duban.TaskFilter) ([]string, []any) {
	var conds []string
	var args []any
	add := func(cond string, arg any) { conds, args = append(conds, cond), append(args, arg) }
	if f.ID != nil {
		add("t.id = ?", *f.ID)
	}
	if f.PlanID != nil {
		add("t.plan_id = ?", *f.PlanID)
	}
	if f.PlanState != nil {
		add("p.state = ?", string(*f.PlanState))
	}
	if f.Year != nil {
		add("p.year = ?", *f.Year)
	}
	if f.Section != nil {
		add("t.section = ?", *f.Section)
	}
	if f.Area != nil {
		add("t.area = ?", *f.Area)
	}
	if f.UnitID != nil {
		// A unit's tasks are those that name it and those that name a group
		// it belongs to (reach).
		owned := func(roles string) string {
			return "t.id IN (SELECT task_id FROM task_owners WHERE role IN (" + roles + ") AND " + reach("unit_id") + ")"
		}
		unit := []any{*f.UnitID, *f.UnitID}
		switch f.UnitRole {
		case duban.UnitLeads:
			conds, args = append(conds, owned("'lead_unit'")), append(args, unit...)
		case duban.UnitShares:
			// Responsible without leading, as OwnerCount counts: a unit
			// named among both is leading, so that the tasks it leads and
			// those it shares add up to all of its tasks.
			conds = append(conds, owned("'responsible'"), "NOT "+owned("'lead_unit'"))
			args = append(args, append(unit, unit...)...)
		default:
			conds, args = append(conds, owned("'lead_unit', 'responsible'")), append(args, unit...)
		}
	}
	if f.LeaderID != nil {
		add("t.id IN (SELECT task_id FROM task_owners WHERE leader_id = ? AND role = 'lead_leader')", *f.LeaderID)
	}
	if f.DueFrom != nil || f.DueTo != nil {
		conds = append(conds, "t.deadline_date <> ''")
	}
	if f.DueFrom != nil {
		add("t.deadline_date >= ?", f.DueFrom.String())
	}
	if f.DueTo != nil {
		add("t.deadline_date <= ?", f.DueTo.String())
	}
	if f.DeadlineKind != nil {
		add("t.deadline_kind = ?", string(*f.DeadlineKind))
	}
	if f.HasTargets != nil {
		exists := "EXISTS (SELECT 1 FROM task_indicators i WHERE i.task_id = t.id)"
		if !*f.HasTargets {
			exists = "NOT " + exists
		}
		conds = append(conds, exists)
	}
	if f.Light != "" {
		period := "(SELECT q.id FROM periods q WHERE q.plan_id = t.plan_id AND EXISTS (SELECT 1 FROM lights l2 WHERE l2.period_id = q.id) ORDER BY q.seq DESC LIMIT 1)"
		if f.LightPeriod != 0 {
			period = "?"
			args = append(args, f.LightPeriod)
		}
		if f.Light == "not_started" {
			conds = append(conds, "NOT EXISTS (SELECT 1 FROM lights l WHERE l.task_id = t.id AND l.period_id = "+period+" AND l.status <> 'not_started')")
		} else {
			add("EXISTS (SELECT 1 FROM lights l WHERE l.task_id = t.id AND l.period_id = "+period+" AND l.status = ?)", f.Light)
		}
	}
	if f.Query != "" {
		add(`t.text LIKE ? ESCAPE '\'`, likePattern(f.Query))
	}
	if !f.IncludeWithdrawn {
		conds = append(conds, "t.state = 'active'")
	}
	conds = append(conds, visiblePlan(tx))
	return conds, args
}

// taskOrder is the ORDER BY of a list of tasks. Every order ends in plan
// order, so that ties are stable and pages do not overlap. Names and
// deadlines compare by code point on both databases, so that a list reads
// the same on either (binary is the collation, Tx.Binary); tasks with none
// of the sorted thing come last.
func taskOrder(binary string, sort duban.TaskSort, desc bool) string {
	dir := func(asc bool) string {
		if asc != desc {
			return " ASC"
		}
		return " DESC"
	}
	plan := "p.year" + dir(false) + ", t.plan_id" + dir(true) + ", t.section" + dir(true) + ", t.area" + dir(true) +
		", t.seq" + dir(true) + ", t.id" + dir(true)
	byText := func(expr string) string {
		expr = "COALESCE(" + expr + ", '')"
		return "(" + expr + " = ''), " + expr + binary + dir(true) + ", " + plan
	}
	firstOwner := func(role string) string {
		return "(SELECT o.name FROM task_owners o WHERE o.task_id = t.id AND o.role = '" + role + "' AND o.pos = 0)"
	}
	switch sort {
	case duban.TaskSortDeadline:
		// By date, the text breaking ties among tasks of one date and
		// ordering those without one (ongoing, unread) after them.
		return "(t.deadline_date = ''), t.deadline_date" + dir(true) + ", " + byText("t.deadline")
	case duban.TaskSortLeadUnit:
		return byText(firstOwner("lead_unit"))
	case duban.TaskSortLeader:
		return byText(firstOwner("lead_leader"))
	case duban.TaskSortUpdated:
		return "t.updated_at" + dir(false) + ", " + plan
	}
	return plan
}

// CountTasksByOwner counts the tasks of the filter by unit and by leader.
// Each owner's tasks are first grouped one row a task, marked as led when
// the owner leads it under any of its names, so that a unit both leading and
// responsible counts as leading only, as the role filter selects. A unit in
// the filter is counted alone, from its own rows of the owners' index.
func (s *TaskService) CountTasksByOwner(ctx context.Context, f duban.TaskFilter) ([]duban.OwnerCount, error) {
	if _, err := duban.Authorize(ctx, "查看任务", duban.CanRead); err != nil {
		return nil, err
	}
	var out []duban.OwnerCount
	err := s.db.View(ctx, func(tx *Tx) error {
		unit := f.UnitID
		f.UnitID, f.UnitRole = nil, duban.UnitAnyRole
		conds, args := taskConditions(tx, f)
		if unit != nil {
			// A unit is an owner in the rows that name it, and only in
			// those: its tasks, and among them those it leads, distinct.
			conds, args = append(conds, reach("o.unit_id")), append(args, *unit, *unit)
			c := duban.OwnerCount{ID: *unit}
			var all int
			err := tx.QueryRow(`SELECT count(DISTINCT o.task_id), count(DISTINCT CASE WHEN o.role = 'lead_unit' THEN o.task_id END)
				FROM task_owners o JOIN tasks t ON t.id = o.task_id JOIN plans p ON p.id = t.plan_id`+sqldb.Where(conds), args...).Scan(&all, &c.Lead)
			if err != nil {
				return err
			}
			if c.Shared = all - c.Lead; all > 0 {
				out = append(out, c)
			}
			return nil
		}
		conds = append(conds, "(o.unit_id IS NOT NULL OR o.leader_id IS NOT NULL)")
		// Each group's members own the group's tasks too: the owners' rows
		// and, for each row naming a group, one row per member.
		rows, err := tx.Query(`SELECT leader, id, sum(lead), count(*) - sum(lead) FROM (
			SELECT o.leader_id IS NOT NULL AS leader, COALESCE(o.unit_id, o.leader_id) AS id,
				max(CASE WHEN o.role <> 'responsible' THEN 1 ELSE 0 END) AS lead
			FROM (SELECT task_id, role, unit_id, leader_id FROM task_owners
				UNION ALL SELECT g.task_id, g.role, m.unit_id, NULL FROM task_owners g JOIN unit_members m ON m.group_id = g.unit_id) o
			JOIN tasks t ON t.id = o.task_id JOIN plans p ON p.id = t.plan_id`+sqldb.Where(conds)+`
			GROUP BY o.leader_id IS NOT NULL, COALESCE(o.unit_id, o.leader_id), o.task_id) owned
			GROUP BY leader, id
			ORDER BY leader, id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c duban.OwnerCount
			if err := rows.Scan(&c.Leader, &c.ID, &c.Lead, &c.Shared); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// scanTask reads a task of taskColumns and its issued statement, and the
// columns after them into extra.
func scanTask(rows *sql.Rows, extra ...any) (*duban.Task, error) {
	t := &duban.Task{LeadLeaders: []duban.Owner{}, LeadUnits: []duban.Owner{}, ResponsibleUnits: []duban.Owner{}, Indicators: []duban.Indicator{}}
	var issued sql.NullString
	var steps string
	if err := rows.Scan(append([]any{&t.ID, &t.PlanID, &t.Year, &t.Section, &t.Area, &t.Seq, &t.Text, &t.Deadline, sqldb.DateCol(&t.DeadlineDate),
		&t.DeadlineKind, &steps, &t.Line, &t.State, &t.Version, &t.UpdatedBy, sqldb.TimeCol(&t.CreatedAt), sqldb.TimeCol(&t.UpdatedAt), &issued}, extra...)...); err != nil {
		return nil, err
	}
	t.No = duban.TaskNo(t.Section, t.Area, t.Seq)
	if steps != "" {
		if err := json.Unmarshal([]byte(steps), &t.Milestones); err != nil {
			return nil, err
		}
	}
	if issued.Valid {
		t.Issued = new(duban.IssuedTask)
		if err := json.Unmarshal([]byte(issued.String), t.Issued); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// loadTaskDetails fills the owners and targets of tasks, a few hundred tasks
// per query.
func loadTaskDetails(tx *Tx, tasks []*duban.Task) error {
	const chunk = 500
	for start := 0; start < len(tasks); start += chunk {
		part := tasks[start:min(start+chunk, len(tasks))]
		byID := make(map[int64]*duban.Task, len(part))
		ids := make([]any, len(part))
		for i, t := range part {
			byID[t.ID], ids[i] = t, t.ID
		}
		in := " WHERE task_id IN (" + sqldb.Placeholders(len(ids)) + ")"
		// The role comes as its place in ownerRoles and the owner as one ID,
		// the unit's or the leader's: some hundreds of rows a page, each
		// column of which costs.
		rows, err := tx.Query(`SELECT task_id, CASE role WHEN 'lead_leader' THEN 0 WHEN 'lead_unit' THEN 1 ELSE 2 END,
			name, COALESCE(unit_id, leader_id) FROM task_owners`+in+" ORDER BY task_id, role, pos", ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, ownerID int64
			var role int
			var name string
			if err := rows.Scan(&id, &role, &name, sqldb.IDCol(&ownerID)); err != nil {
				rows.Close()
				return err
			}
			list := ownerLists(byID[id])[role]
			*list = append(*list, duban.Owner{ID: ownerID, Name: name})
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.Query("SELECT task_id, text, metric, value, unit, cmp, upper FROM task_indicators"+in+" ORDER BY task_id, pos", ids...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var in duban.Indicator
			var upper sql.NullFloat64
			if err := rows.Scan(&id, &in.Text, &in.Metric, &in.Value, &in.Unit, &in.Cmp, &upper); err != nil {
				rows.Close()
				return err
			}
			if upper.Valid {
				in.Upper = &upper.Float64
			}
			byID[id].Indicators = append(byID[id].Indicators, in)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// insertTask stores a new task with its owners and targets and sets its ID.
func insertTask(tx *Tx, t *duban.Task) error {
	issued, err := issuedJSON(t)
	if err != nil {
		return err
	}
	steps, err := sqldb.ReadDeadline(tx, t)
	if err != nil {
		return err
	}
	t.CreatedAt, t.UpdatedAt, t.Version, t.UpdatedBy = tx.Now(), tx.Now(), 1, tx.Actor()
	t.No = duban.TaskNo(t.Section, t.Area, t.Seq)
	t.ID, err = tx.Insert(`INSERT INTO tasks (plan_id, section, area, seq, text, deadline, deadline_date, deadline_kind, deadline_steps,
		line, state, issued, version, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.PlanID, t.Section, t.Area, t.Seq, t.Text, t.Deadline, t.DeadlineDate.String(), string(t.DeadlineKind), steps,
		t.Line, string(t.State), issued, t.Version, t.UpdatedBy, tx.Time(tx.Now()), tx.Time(tx.Now()))
	if err != nil {
		return err
	}
	return writeTaskDetails(tx, t)
}

// saveTask writes a changed task; with details, its owners and targets too.
// The issued statement is not written: it changes only with a notice, by
// saveIssued.
func saveTask(tx *Tx, t *duban.Task, details bool) error {
	steps, err := sqldb.ReadDeadline(tx, t)
	if err != nil {
		return err
	}
	t.UpdatedAt, t.UpdatedBy = tx.Now(), tx.Actor()
	t.No = duban.TaskNo(t.Section, t.Area, t.Seq)
	if err := tx.QueryRow(`UPDATE tasks SET section = ?, area = ?, seq = ?, text = ?, deadline = ?, deadline_date = ?, deadline_kind = ?,
		deadline_steps = ?, line = ?, state = ?, version = version + 1, updated_by = ?, updated_at = ?
		WHERE id = ? RETURNING version`, t.Section, t.Area, t.Seq, t.Text, t.Deadline, t.DeadlineDate.String(), string(t.DeadlineKind),
		steps, t.Line, string(t.State), t.UpdatedBy, tx.Time(tx.Now()), t.ID).Scan(&t.Version); err != nil {
		return tx.QueryError("UPDATE tasks", err)
	}
	if !details {
		return nil
	}
	if _, err := tx.Exec("DELETE FROM task_indicators WHERE task_id = ?", t.ID); err != nil {
		return err
	}
	if err := writeIndicators(tx, t); err != nil {
		return err
	}
	return saveOwners(tx, t)
}

// saveOwners rewrites a task's owners.
func saveOwners(tx *Tx, t *duban.Task) error {
	if _, err := tx.Exec("DELETE FROM task_owners WHERE task_id = ?", t.ID); err != nil {
		return err
	}
	return writeOwners(tx, t)
}

// saveIssued writes the task's statement in the latest notice.
func saveIssued(tx *Tx, t *duban.Task) error {
	issued, err := issuedJSON(t)
	if err != nil {
		return err
	}
	_, err = tx.Exec("UPDATE tasks SET issued = ? WHERE id = ?", issued, t.ID)
	return err
}

func issuedJSON(t *duban.Task) (any, error) {
	if t.Issued == nil {
		return nil, nil
	}
	b, err := json.Marshal(t.Issued)
	return string(b), err
}

// writeTaskDetails inserts a task's owners and targets.
func writeTaskDetails(tx *Tx, t *duban.Task) error {
	if err := writeOwners(tx, t); err != nil {
		return err
	}
	return writeIndicators(tx, t)
}

// writeOwners inserts a task's owners in one statement.
func writeOwners(tx *Tx, t *duban.Task) error {
	var rows []string
	var args []any
	for i, list := range ownerLists(t) {
		for pos, o := range *list {
			var unitID, leaderID any
			if i == 0 {
				leaderID = sqldb.NullID(o.ID)
			} else {
				unitID = sqldb.NullID(o.ID)
			}
			rows = append(rows, "(?, ?, ?, ?, ?, ?)")
			args = append(args, t.ID, ownerRoles[i], pos, o.Name, unitID, leaderID)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.Exec("INSERT INTO task_owners (task_id, role, pos, name, unit_id, leader_id) VALUES "+joinRows(rows), args...)
	return err
}

// writeIndicators inserts a task's targets in one statement.
func writeIndicators(tx *Tx, t *duban.Task) error {
	var rows []string
	var args []any
	for pos, in := range t.Indicators {
		var upper any
		if in.Upper != nil {
			upper = *in.Upper
		}
		rows = append(rows, "(?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, t.ID, pos, in.Text, in.Metric, in.Value, in.Unit, string(in.Cmp), upper)
	}
	if len(rows) == 0 {
		return nil
	}
	_, err := tx.Exec("INSERT INTO task_indicators (task_id, pos, text, metric, value, unit, cmp, upper) VALUES "+joinRows(rows), args...)
	return err
}

func joinRows(rows []string) string { return strings.Join(rows, ", ") }
