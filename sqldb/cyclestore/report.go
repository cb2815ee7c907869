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

// ReportService keeps the reports of the cycle, their versions and the
// requests to close tasks.
type ReportService struct{ base }

// NewReportService returns the reports of db; groups tells which units a
// task addressed to a group reaches (nil: none).
func NewReportService(db *sqldb.DB, groups cycle.GroupMembers) *ReportService {
	return &ReportService{base{db: db, groups: groups}}
}

var _ cycle.ReportService = (*ReportService)(nil)

const reportColumns = "r.id, r.plan_id, r.period_id, r.task_id, r.unit_id, r.kind, r.state, r.progress, r.completion, r.actuals, " +
	"r.problems, r.next_steps, r.evidence, r.return_reason, r.version, r.submitted_at, r.reviewed_at, r.reviewer, " +
	"r.updated_by_id, r.updated_by, r.created_at, r.updated_at"

func scanReport(sc interface{ Scan(...any) error }) (*cycle.Report, error) {
	var r cycle.Report
	var actuals, evidence string
	if err := sc.Scan(&r.ID, &r.PlanID, &r.PeriodID, &r.TaskID, &r.UnitID, &r.Kind, &r.State, &r.Progress, &r.Completion, &actuals,
		&r.Problems, &r.NextSteps, &evidence, &r.ReturnReason, &r.Version, sqldb.TimeCol(&r.SubmittedAt), sqldb.TimeCol(&r.ReviewedAt),
		&r.Reviewer, sqldb.IDCol(&r.UpdatedByID), &r.UpdatedBy, sqldb.TimeCol(&r.CreatedAt), sqldb.TimeCol(&r.UpdatedAt)); err != nil {
		return nil, err
	}
	r.Actuals, r.Evidence = []cycle.Actual{}, []cycle.EvidenceRef{}
	if err := fromJSON(actuals, &r.Actuals); err != nil {
		return nil, err
	}
	return &r, fromJSON(evidence, &r.Evidence)
}

// FindReportByID returns one report.
func (s *ReportService) FindReportByID(ctx context.Context, id int64) (*cycle.Report, error) {
	u, err := duban.Authorize(ctx, "查看报告", duban.CanRead)
	if err != nil {
		return nil, err
	}
	groups, err := s.clerkGroups(ctx, u)
	if err != nil {
		return nil, err
	}
	var r *cycle.Report
	err = s.db.View(ctx, func(tx *Tx) error {
		var err error
		if r, err = findReport(tx, id); err != nil {
			return err
		}
		return checkViewReports(tx, u, r.TaskID, groups)
	})
	return r, err
}

// clerkGroups returns the group membership for a clerk, whose reading is
// narrowed to the unit's tasks; others read every task and need none.
func (b *base) clerkGroups(ctx context.Context, u *duban.User) (cycle.Groups, error) {
	if u.Role != duban.RoleClerk {
		return nil, nil
	}
	return b.loadGroups(ctx)
}

// checkViewReports refuses u the reports of a task that is not its unit's
// (cycle.CanViewReports).
func checkViewReports(tx *Tx, u *duban.User, taskID int64, groups cycle.Groups) error {
	if u.Role != duban.RoleClerk {
		return nil
	}
	t, err := ledgerstore.FindTask(tx, taskID)
	if err != nil {
		return err
	}
	if !cycle.CanViewReports(u, t, groups) {
		return duban.Errorf(duban.EFORBIDDEN, "您只能查看本单位（%s）承担的任务的报告和附件：任务 %s 不属于本单位。", unitName(tx, u.UnitID), t.No)
	}
	return nil
}

// unitTasksOnly narrows a list to the tasks that reach a clerk's unit, named
// or through its groups, over tasks' IDs in column col; others see every
// task's.
func unitTasksOnly(c *condition, u *duban.User, groups cycle.Groups, col string) {
	if u.Role != duban.RoleClerk {
		return
	}
	units := append([]int64{u.UnitID}, groups.GroupsOf(u.UnitID)...)
	in, args := inIDs(units)
	c.add(col+" IN (SELECT o.task_id FROM task_owners o WHERE o.unit_id IN "+in+")", args...)
}

// FindReports returns reports in the order of their tasks and periods; a
// clerk's, of its unit's tasks only.
func (s *ReportService) FindReports(ctx context.Context, f cycle.ReportFilter) ([]*cycle.Report, int, error) {
	u, err := duban.Authorize(ctx, "查看报告", duban.CanRead)
	if err != nil {
		return nil, 0, err
	}
	groups, err := s.clerkGroups(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	var out []*cycle.Report
	var total int
	err = s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, total, err = findReportsFor(tx, f, u, groups)
		return err
	})
	return out, total, err
}

func findReport(tx *Tx, id int64) (*cycle.Report, error) {
	out, _, err := findReports(tx, cycle.ReportFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, sqldb.NotFound("报告", id)
	}
	return out[0], nil
}

// findReports finds reports whoever may read them, for the store's own
// checks.
func findReports(tx *Tx, f cycle.ReportFilter) ([]*cycle.Report, int, error) {
	return findReportsFor(tx, f, nil, nil)
}

// findReportsFor finds the reports u may read (a clerk, of its unit's tasks
// by groups); nil u reads all.
func findReportsFor(tx *Tx, f cycle.ReportFilter, u *duban.User, groups cycle.Groups) ([]*cycle.Report, int, error) {
	var c condition
	if u != nil {
		unitTasksOnly(&c, u, groups, "r.task_id")
	}
	if f.ID != nil {
		c.add("r.id = ?", *f.ID)
	}
	if f.PlanID != nil {
		c.add("r.plan_id = ?", *f.PlanID)
	}
	if f.PeriodID != nil {
		c.add("r.period_id = ?", *f.PeriodID)
	}
	if f.TaskID != nil {
		c.add("r.task_id = ?", *f.TaskID)
	}
	if f.UnitID != nil {
		c.add("r.unit_id = ?", *f.UnitID)
	}
	if f.Kind != nil {
		c.add("r.kind = ?", string(*f.Kind))
	}
	if f.State != nil {
		c.add("r.state = ?", string(*f.State))
	}
	draftsHidden(tx, &c)
	from := " FROM reports r JOIN plans p ON p.id = r.plan_id JOIN tasks t ON t.id = r.task_id JOIN periods q ON q.id = r.period_id" + c.where()
	total, err := countPaged(tx, from, c.args, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT "+reportColumns+from+
		" ORDER BY r.plan_id, q.seq, t.section, t.area, t.seq, r.kind DESC, r.unit_id"+page, append(c.args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*cycle.Report
	for rows.Next() {
		r, err := scanReport(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	if total < 0 {
		total = len(out)
	}
	return out, total, rows.Err()
}

// reportPlace is what a report belongs to, loaded and checked for a change:
// the task in force, its published plan, and its period open.
type reportPlace struct {
	task   *duban.Task
	plan   *duban.Plan
	period *cycle.Period
}

func loadPlace(tx *Tx, taskID, periodID int64) (*reportPlace, error) {
	t, err := ledgerstore.FindTask(tx, taskID)
	if err != nil {
		return nil, err
	}
	if t.State != duban.TaskActive {
		return nil, duban.Errorf(duban.ECONFLICT, "任务 %s 已撤销，不能再填报。", t.No)
	}
	p, err := planInCycle(tx, t.PlanID)
	if err != nil {
		return nil, err
	}
	q, err := findPeriod(tx, periodID)
	if err != nil {
		return nil, err
	}
	switch {
	case q.PlanID != t.PlanID:
		return nil, duban.Errorf(duban.EINVALID, "填报周期“%s”不属于任务 %s 的文件。", q.Label, t.No)
	case q.State == cycle.PeriodPending:
		return nil, duban.Errorf(duban.ECONFLICT, "%s的填报尚未开始：请等督查室开启后再填报。", q.Label)
	case q.State == cycle.PeriodClosed:
		return nil, duban.Errorf(duban.ECONFLICT, "%s的填报已关闭，报告不能再修改：如需更正，请联系督查室重新开启。", q.Label)
	}
	return &reportPlace{task: t, plan: p, period: q}, nil
}

// refuseWrite says why u may not write unit's report of kind on task t.
func refuseWrite(tx *Tx, u *duban.User, t *duban.Task, unit int64, kind cycle.ReportKind, groups cycle.Groups) error {
	if u.Role != duban.RoleClerk {
		return duban.Forbidden(u, "填报单位的报告")
	}
	if u.UnitID != unit || !t.Reaches(unit, groups) {
		return duban.Errorf(duban.EFORBIDDEN, "您只能为本单位（%s）承担的任务填报：任务 %s 的这份报告不属于本单位。", unitName(tx, u.UnitID), t.No)
	}
	composer, _ := cycle.ReportingUnits(t, groups)
	if kind == cycle.ReportTask {
		return duban.Errorf(duban.EFORBIDDEN, "任务 %s 的任务报告由牵头单位（%s）汇总报送：本单位请填报分项报告。", t.No, unitName(tx, composer))
	}
	return duban.Errorf(duban.EFORBIDDEN, "本单位牵头任务 %s：请直接填报任务报告，不需要分项报告。", t.No)
}

// CreateReport saves a unit's first version of a report in an open period.
func (s *ReportService) CreateReport(ctx context.Context, r *cycle.Report) error {
	u, err := duban.Authorize(ctx, "填报报告", duban.CanRead)
	if err != nil {
		return err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error { return createReport(tx, u, &saving{groups: groups}, r) })
}

// createReport is CreateReport in tx, for u, which SaveReports repeats for
// each new report of a batch.
func createReport(tx *Tx, u *duban.User, sv *saving, r *cycle.Report) error {
	groups := sv.groups
	pl, err := loadPlace(tx, r.TaskID, r.PeriodID)
	if err != nil {
		return err
	}
	if !r.Kind.Valid() {
		return duban.Errorf(duban.EINVALID, "报告类型 %q 不正确：应为 part（分项报告）或 task（任务报告）。", r.Kind)
	}
	if !cycle.CanWriteReport(u, pl.task, r.UnitID, r.Kind, groups) {
		return refuseWrite(tx, u, pl.task, r.UnitID, r.Kind, groups)
	}
	if old, err := findSavedReport(tx, r); err != nil || old != nil {
		if err != nil {
			return err
		}
		return duban.Conflict("报告", old.Version, old.UpdatedBy, old.UpdatedAt)
	}
	if err := cycle.ReportStep(r.Kind, "", r.State, false); err != nil {
		return err
	}
	if err := prepare(tx, r, pl.task, r.State.Reported()); err != nil {
		return err
	}
	r.PlanID, r.Version, r.ReturnReason, r.Reviewer = pl.plan.ID, 1, "", ""
	r.UpdatedByID, r.UpdatedBy, r.CreatedAt, r.UpdatedAt = u.ID, tx.Actor(), tx.Now(), tx.Now()
	r.SubmittedAt, r.ReviewedAt = time.Time{}, time.Time{}
	if r.State.Reported() {
		r.SubmittedAt = tx.Now()
	}
	actuals, evidence, err := reportJSON(r)
	if err != nil {
		return err
	}
	if r.ID, err = tx.Insert(`INSERT INTO reports (plan_id, period_id, task_id, unit_id, kind, state, progress, completion, actuals,
		actual_values, problems, next_steps, evidence, return_reason, version, submitted_at, reviewer, updated_by_id, updated_by,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 1, ?, '', ?, ?, ?, ?)`,
		r.PlanID, r.PeriodID, r.TaskID, r.UnitID, string(r.Kind), string(r.State), r.Progress, r.Completion, actuals, actualValues(r.Actuals),
		r.Problems, r.NextSteps, evidence, tx.Time(r.SubmittedAt), sqldb.NullID(r.UpdatedByID), r.UpdatedBy,
		tx.Time(r.CreatedAt), tx.Time(r.UpdatedAt)); err != nil {
		return err
	}
	return saved(tx, r, nil, pl, sv)
}

// findSavedReport returns the report already saved for r's period, task,
// unit and kind, or nil.
func findSavedReport(tx *Tx, r *cycle.Report) (*cycle.Report, error) {
	var id int64
	err := tx.QueryRow("SELECT id FROM reports WHERE period_id = ? AND task_id = ? AND unit_id = ? AND kind = ?",
		r.PeriodID, r.TaskID, r.UnitID, string(r.Kind)).Scan(&id)
	switch {
	case isNoRows(err):
		return nil, nil
	case err != nil:
		return nil, tx.QueryError("SELECT reports", err)
	}
	return findReport(tx, id)
}

// prepare reads a report's actuals against its task's targets and checks
// it, for handing in too when submit.
func prepare(tx *Tx, r *cycle.Report, t *duban.Task, submit bool) error {
	r.Progress, r.Problems, r.NextSteps = strings.TrimSpace(r.Progress), strings.TrimSpace(r.Problems), strings.TrimSpace(r.NextSteps)
	if r.Actuals == nil {
		r.Actuals = []cycle.Actual{}
	}
	if r.Evidence == nil {
		r.Evidence = []cycle.EvidenceRef{}
	}
	if err := r.Reread(t); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	if submit {
		if err := r.CheckSubmit(t); err != nil {
			return err
		}
	}
	return checkEvidence(tx, r.Evidence)
}

func reportJSON(r *cycle.Report) (actuals, evidence string, err error) {
	if r.Actuals == nil {
		r.Actuals = []cycle.Actual{}
	}
	if actuals, err = toJSON(r.Actuals); err != nil {
		return "", "", err
	}
	evidence, err = toJSON(r.Evidence)
	return actuals, evidence, err
}

// actualValues writes the actuals read as the lights read them back:
// "0=38700;2=8.1".
func actualValues(actuals []cycle.Actual) string { return cycle.ReachedText(actuals) }

// readActualValues reads what actualValues wrote.
func readActualValues(s string) ([]cycle.Actual, error) { return cycle.ParseReached(s) }

// reportAction names what a save did, as the versions and the log say it.
func reportAction(before *cycle.Report, r *cycle.Report) string {
	switch {
	case before == nil && r.State.Reported():
		return "报送"
	case before == nil:
		return "保存草稿"
	case before.State == r.State:
		return "修改"
	}
	switch r.State {
	case cycle.ReportSubmitted:
		return "报送"
	case cycle.ReportResubmitted:
		return "重新报送"
	case cycle.ReportReturned:
		return "退回"
	case cycle.ReportAccepted:
		return "审核通过"
	}
	return "保存"
}

// saving is what a save of reports goes by: the group membership, and, in
// a batch, the tasks whose lights wait for the batch's end.
type saving struct {
	groups cycle.Groups
	// deferred, when not nil, collects by plan the tasks whose lights a
	// batch recomputes once at its end rather than at each report.
	deferred map[int64][]int64
}

// saved finishes a save of a report: keeps the version, recomputes the
// task's lights when its task report changed (or leaves them to the
// batch's end), tells those concerned, and writes the audit event.
func saved(tx *Tx, r, before *cycle.Report, pl *reportPlace, sv *saving) error {
	groups := sv.groups
	action := reportAction(before, r)
	body, err := toJSON(r)
	if err != nil {
		return err
	}
	if _, err := tx.Exec("INSERT INTO report_versions (report_id, version, action, body, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)",
		r.ID, r.Version, action, body, r.UpdatedBy, tx.Time(tx.Now())); err != nil {
		return err
	}
	switch {
	case r.Kind != cycle.ReportTask:
	case sv.deferred != nil:
		sv.deferred[r.PlanID] = append(sv.deferred[r.PlanID], r.TaskID)
	default:
		if _, err := recompute(tx, r.PlanID, r.TaskID, false); err != nil {
			return err
		}
	}
	unit := unitName(tx, r.UnitID)
	what := fmt.Sprintf("任务 %s 的%s%s", pl.task.No, pl.period.Label, r.Kind.Label())
	whatEN := fmt.Sprintf("the %s report on task %s", pl.period.Label, pl.task.No)
	link := fmt.Sprintf("/reports/%d", r.ID)
	var n *cycle.Notification
	changed := before == nil || before.State != r.State
	switch {
	case changed && r.State.Reported() && r.State != cycle.ReportAccepted && r.Kind == cycle.ReportTask:
		n = &cycle.Notification{Office: true, Kind: cycle.NotifySubmitted, Link: link,
			Text: fmt.Sprintf("%s%s了%s，请审核。", unit, action, what), TextEN: fmt.Sprintf("%s handed in %s for review.", unit, whatEN)}
	case changed && r.State.Reported() && r.Kind == cycle.ReportPart:
		composer, _ := cycle.ReportingUnits(pl.task, groups)
		n = &cycle.Notification{UnitID: composer, Kind: cycle.NotifySubmitted, Link: link,
			Text: fmt.Sprintf("%s报送了%s，可在汇总时参考。", unit, what), TextEN: fmt.Sprintf("%s handed in its part of %s.", unit, whatEN)}
	case changed && r.State == cycle.ReportReturned:
		n = &cycle.Notification{UnitID: r.UnitID, Kind: cycle.NotifyReview, Link: link,
			Text:   fmt.Sprintf("督查室退回了%s：%s。请修改后重新报送。", what, r.ReturnReason),
			TextEN: fmt.Sprintf("The office returned %s: %s", whatEN, r.ReturnReason)}
	case changed && r.State == cycle.ReportAccepted:
		n = &cycle.Notification{UnitID: r.UnitID, Kind: cycle.NotifyReview, Link: link,
			Text: what + "已审核通过。", TextEN: "The office accepted " + whatEN + "."}
	}
	if n != nil && (n.UnitID != 0 || n.Office) {
		if _, err := notify(tx, n); err != nil {
			return err
		}
	}
	verb := map[string]string{"报送": "report.submit", "重新报送": "report.resubmit", "退回": "report.return", "审核通过": "report.accept"}[action]
	if verb == "" {
		verb = "report.save"
	}
	var b any
	if before != nil {
		b = before
	}
	return tx.Record(verb, "report", r.ID, r.PlanID, fmt.Sprintf("%s%s%s（第 %d 版）", unit, action, what, r.Version), b, r)
}

// UpdateReport saves a new version of a report: the unit's edits and
// submission, or the office's acceptance or return.
func (s *ReportService) UpdateReport(ctx context.Context, id int64, upd cycle.ReportUpdate) (*cycle.Report, error) {
	u, err := duban.Authorize(ctx, "填报报告", duban.CanRead)
	if err != nil {
		return nil, err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return nil, err
	}
	var r *cycle.Report
	err = s.db.Update(ctx, func(tx *Tx) error {
		var err error
		r, err = updateReport(tx, u, &saving{groups: groups}, id, upd)
		return err
	})
	return r, err
}

// updateReport is UpdateReport in tx, for u, which SaveReports repeats for
// each change of a batch.
func updateReport(tx *Tx, u *duban.User, sv *saving, id int64, upd cycle.ReportUpdate) (*cycle.Report, error) {
	groups := sv.groups
	r, err := findReport(tx, id)
	if err != nil {
		return nil, err
	}
	review := upd.State != nil && (*upd.State == cycle.ReportAccepted || *upd.State == cycle.ReportReturned)
	switch {
	case review && !cycle.CanReviewReport(u):
		return nil, duban.Forbidden(u, "审核报告")
	case !review && u.Role == duban.RoleAdmin:
	case !review:
		t, err := ledgerstore.FindTask(tx, r.TaskID)
		if err != nil {
			return nil, err
		}
		if !cycle.CanWriteReport(u, t, r.UnitID, r.Kind, groups) {
			return nil, refuseWrite(tx, u, t, r.UnitID, r.Kind, groups)
		}
	}
	pl, err := loadPlace(tx, r.TaskID, r.PeriodID)
	if err != nil {
		return nil, err
	}
	if upd.Version != r.Version {
		return nil, duban.Conflict("报告", r.Version, r.UpdatedBy, r.UpdatedAt)
	}
	if review && upd.Edits() {
		return nil, duban.Errorf(duban.EINVALID, "审核时不能修改报告内容：如需修改，请退回并说明理由。")
	}
	to := r.State
	if upd.State != nil {
		to = *upd.State
	}
	if !to.Valid() {
		return nil, duban.Errorf(duban.EINVALID, "报告状态 %q 不正确。", to)
	}
	if err := cycle.ReportStep(r.Kind, r.State, to, review); err != nil {
		return nil, err
	}
	before := r.Clone()
	if err := upd.Apply(r, pl.task); err != nil {
		return nil, err
	}
	if to == cycle.ReportReturned && r.State != cycle.ReportReturned {
		reason := ""
		if upd.ReturnReason != nil {
			reason = strings.TrimSpace(*upd.ReturnReason)
		}
		if n := len([]rune(reason)); n < 2 || n > cycle.MaxReportNote {
			return nil, duban.Errorf(duban.EINVALID, "退回报告请说明理由（2 到 %d 字），以便单位修改。", cycle.MaxReportNote)
		}
		r.ReturnReason = reason
	}
	r.State = to
	if review {
		r.ReviewedAt, r.Reviewer = tx.Now(), tx.Actor()
	}
	if err := prepare(tx, r, pl.task, to.Reported() && !review); err != nil {
		return nil, err
	}
	if to.Reported() && r.SubmittedAt.IsZero() {
		r.SubmittedAt = tx.Now()
	}
	r.Version++
	r.UpdatedByID, r.UpdatedBy, r.UpdatedAt = u.ID, tx.Actor(), tx.Now()
	actuals, evidence, err := reportJSON(r)
	if err != nil {
		return nil, err
	}
	res, err := tx.Exec(`UPDATE reports SET state = ?, progress = ?, completion = ?, actuals = ?, actual_values = ?, problems = ?,
		next_steps = ?, evidence = ?, return_reason = ?, version = ?, submitted_at = ?, reviewed_at = ?, reviewer = ?, updated_by_id = ?,
		updated_by = ?, updated_at = ? WHERE id = ? AND version = ?`,
		string(r.State), r.Progress, r.Completion, actuals, actualValues(r.Actuals), r.Problems, r.NextSteps, evidence, r.ReturnReason, r.Version,
		tx.Time(r.SubmittedAt), tx.Time(r.ReviewedAt), r.Reviewer, sqldb.NullID(r.UpdatedByID), r.UpdatedBy, tx.Time(r.UpdatedAt),
		r.ID, before.Version)
	if err != nil {
		return nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, duban.Conflict("报告", before.Version, before.UpdatedBy, before.UpdatedAt)
	}
	return r, saved(tx, r, before, pl, sv)
}

// FindReportVersions returns every version of a report, oldest first.
func (s *ReportService) FindReportVersions(ctx context.Context, id int64) ([]*cycle.ReportVersion, error) {
	u, err := duban.Authorize(ctx, "查看报告", duban.CanRead)
	if err != nil {
		return nil, err
	}
	groups, err := s.clerkGroups(ctx, u)
	if err != nil {
		return nil, err
	}
	var out []*cycle.ReportVersion
	err = s.db.View(ctx, func(tx *Tx) error {
		r, err := findReport(tx, id)
		if err != nil {
			return err
		}
		if err := checkViewReports(tx, u, r.TaskID, groups); err != nil {
			return err
		}
		rows, err := tx.Query("SELECT version, action, body, saved_by, saved_at FROM report_versions WHERE report_id = ? ORDER BY version", id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			v := &cycle.ReportVersion{ReportID: id}
			var body string
			if err := rows.Scan(&v.Version, &v.Action, &body, &v.SavedBy, sqldb.TimeCol(&v.SavedAt)); err != nil {
				return err
			}
			if err := fromJSON(body, &v.Report); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}
