package ledgerstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// PlanService stores plans and runs import, re-issue and publication.
type PlanService struct{ db *sqldb.DB }

// NewPlanService returns the plans of db.
func NewPlanService(db *sqldb.DB) *PlanService { return &PlanService{db: db} }

var _ duban.PlanService = (*PlanService)(nil)

// FindPlanByID returns a plan with its sections, areas and warnings. A draft
// is not found by users who may not see drafts.
func (s *PlanService) FindPlanByID(ctx context.Context, id int64) (*duban.Plan, error) {
	if _, err := duban.Authorize(ctx, "查看文件", duban.CanRead); err != nil {
		return nil, err
	}
	var p *duban.Plan
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		p, err = findPlan(tx, id, true)
		return err
	})
	return p, err
}

// FindPlans returns plans, newest year first.
func (s *PlanService) FindPlans(ctx context.Context, f duban.PlanFilter) ([]*duban.Plan, int, error) {
	if _, err := duban.Authorize(ctx, "查看文件", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var plans []*duban.Plan
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		plans, total, err = findPlans(tx, f)
		return err
	})
	return plans, total, err
}

func findPlan(tx *Tx, id int64, details bool) (*duban.Plan, error) {
	plans, _, err := findPlans(tx, duban.PlanFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, sqldb.NotFound("文件", id)
	}
	p := plans[0]
	if details {
		err = loadPlanDetails(tx, p)
	}
	return p, err
}

func findPlans(tx *Tx, f duban.PlanFilter) ([]*duban.Plan, int, error) {
	var conds []string
	var args []any
	add := func(cond string, arg any) { conds, args = append(conds, cond), append(args, arg) }
	if f.ID != nil {
		add("p.id = ?", *f.ID)
	}
	if f.Year != nil {
		add("p.year = ?", *f.Year)
	}
	if f.State != nil {
		add("p.state = ?", string(*f.State))
	}
	if f.Region != nil {
		add("p.region = ?", *f.Region)
	}
	if f.DocNumber != nil {
		add("p.doc_number = ?", *f.DocNumber)
	}
	conds = append(conds, visiblePlan(tx))
	total, err := tx.Count("SELECT count(*) FROM plans p"+sqldb.Where(conds), args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	counts := `(SELECT count(*) FROM plan_sources s WHERE s.plan_id = p.id),
		(SELECT count(*) FROM tasks t WHERE t.plan_id = p.id AND t.state = 'active'),
		(SELECT count(*) FROM statements s WHERE s.plan_id = p.id AND s.state = 'open')`
	if f.WithoutCounts {
		counts = "0, 0, 0"
	}
	rows, err := tx.Query(`SELECT p.id, p.region, p.year, p.doc_number, p.title, p.issuer, p.issued_on, p.state,
		p.created_at, p.updated_at, p.published_at, `+counts+`
		FROM plans p`+sqldb.Where(conds)+" ORDER BY p.year DESC, p.id DESC"+page, append(args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var plans []*duban.Plan
	for rows.Next() {
		var p duban.Plan
		if err := rows.Scan(&p.ID, &p.Region, &p.Year, &p.DocNumber, &p.Title, &p.Issuer, &p.Date, &p.State,
			sqldb.TimeCol(&p.CreatedAt), sqldb.TimeCol(&p.UpdatedAt), sqldb.TimeCol(&p.PublishedAt),
			&p.Issues, &p.TaskCount, &p.OpenStatements); err != nil {
			return nil, 0, err
		}
		plans = append(plans, &p)
	}
	return plans, total, rows.Err()
}

func loadPlanDetails(tx *Tx, p *duban.Plan) error {
	p.Sections, p.Areas, p.Warnings = []duban.Section{}, []duban.Area{}, []duban.Warning{}
	rows, err := tx.Query("SELECT no, title FROM sections WHERE plan_id = ? ORDER BY no", p.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s duban.Section
		if err := rows.Scan(&s.No, &s.Title); err != nil {
			rows.Close()
			return err
		}
		p.Sections = append(p.Sections, s)
	}
	rows.Close()
	if rows, err = tx.Query("SELECT section, no, title FROM areas WHERE plan_id = ? ORDER BY section, no", p.ID); err != nil {
		return err
	}
	for rows.Next() {
		var a duban.Area
		if err := rows.Scan(&a.Section, &a.No, &a.Title); err != nil {
			rows.Close()
			return err
		}
		p.Areas = append(p.Areas, a)
	}
	rows.Close()
	if rows, err = tx.Query("SELECT line, code, message FROM plan_warnings WHERE plan_id = ? AND issue = ? ORDER BY pos", p.ID, p.Issues); err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var w duban.Warning
		if err := rows.Scan(&w.Line, &w.Code, &w.Message); err != nil {
			return err
		}
		p.Warnings = append(p.Warnings, w)
	}
	return rows.Err()
}

// FindPlanSource returns the latest notice file of a plan.
func (s *PlanService) FindPlanSource(ctx context.Context, id int64) (*duban.PlanSource, error) {
	if _, err := duban.Authorize(ctx, "查看通知原文", duban.CanRead); err != nil {
		return nil, err
	}
	var src *duban.PlanSource
	err := s.db.View(ctx, func(tx *Tx) error {
		p, err := findPlan(tx, id, false)
		if err != nil {
			return err
		}
		src = &duban.PlanSource{PlanID: p.ID}
		return tx.QueryRow("SELECT issue, name, sha256, data, imported_at FROM plan_sources WHERE plan_id = ? ORDER BY issue DESC LIMIT 1", id).
			Scan(&src.Issue, &src.Name, &src.SHA256, &src.Data, sqldb.TimeCol(&src.ImportedAt))
	})
	return src, err
}

// sourceOf returns the bytes to keep for an import and their hash. A reading
// given without its file (built by a program) is kept as its JSON.
func sourceOf(in duban.ImportInput) ([]byte, string, error) {
	data := in.Data
	if len(data) == 0 {
		var err error
		if data, err = json.Marshal(in.Reading); err != nil {
			return nil, "", err
		}
	}
	sum := sha256.Sum256(data)
	return data, hex.EncodeToString(sum[:]), nil
}

// planOfSource returns the plan a file was imported for and as which issue,
// or 0.
func planOfSource(tx *Tx, sum string) (planID int64, issue int, err error) {
	err = tx.QueryRow("SELECT s.plan_id, s.issue FROM plan_sources s JOIN plans p ON p.id = s.plan_id WHERE s.sha256 = ? AND p.complete", sum).Scan(&planID, &issue)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return planID, issue, err
}

// samePlan returns the stored plan that a notice is a new issue of: same
// region and year, and the same document number or title; or nil.
func samePlan(tx *Tx, p *duban.Plan) (*duban.Plan, error) {
	var id int64
	err := tx.QueryRow(`SELECT id FROM plans WHERE region = ? AND year = ? AND state <> 'archived' AND complete
		AND ((doc_number = ? AND doc_number <> '') OR title = ?) ORDER BY id DESC LIMIT 1`,
		p.Region, p.Year, p.DocNumber, p.Title).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return findPlan(tx, id, true)
}

// visiblePlan is the condition on a plan, as p, that a user may see it:
// whole (an import writes a plan incomplete until its last transaction),
// and published unless the user may see drafts.
func visiblePlan(tx *Tx) string {
	if duban.CanViewDrafts(tx.User()) {
		return "p.complete"
	}
	return "p.complete AND p.state <> 'draft'"
}

// importChunk is how many tasks, or statements, one transaction of an
// import writes: another writer (a clerk's comment) waits for a chunk, not
// for the whole notice.
const importChunk = 100

// staleImport is how old an incomplete plan must be to be left by an
// import that died with its process: the next import removes it.
const staleImport = time.Hour

// ImportPlan creates a draft plan from a notice, or reports that the file is
// known already, or that it is a new issue of a stored plan (with the
// changes, not applied). A new plan is written in transactions of
// importChunk tasks, incomplete and unseen until the last one makes it
// whole with its audit event; an import that fails part way removes what
// it wrote.
func (s *PlanService) ImportPlan(ctx context.Context, in duban.ImportInput) (*duban.ImportResult, error) {
	if _, err := duban.Authorize(ctx, "导入通知", duban.CanImportPlan); err != nil {
		return nil, err
	}
	content, err := duban.PlanFromReading(in.Reading, in.Name)
	if err != nil {
		return nil, err
	}
	data, sum, err := sourceOf(in)
	if err != nil {
		return nil, err
	}
	res := &duban.ImportResult{}
	err = s.db.Update(ctx, func(tx *Tx) error {
		if err := dropStaleImports(tx); err != nil {
			return err
		}
		known, _, err := planOfSource(tx, sum)
		if err != nil {
			return err
		}
		if known != 0 {
			res.Outcome = duban.ImportUnchanged
			res.Plan, err = findPlan(tx, known, true)
			return err
		}
		if p, err := samePlan(tx, content.Plan); err != nil || p != nil {
			if err != nil {
				return err
			}
			res.Outcome, res.Plan = duban.ImportReissue, p
			res.Diff, err = diffPlan(tx, p, in.Reading)
			return err
		}
		res.Outcome, res.Plan = duban.ImportCreated, content.Plan
		return beginPlan(tx, content.Plan, in.Name, data, sum)
	})
	if err != nil {
		return nil, err
	}
	if res.Outcome != duban.ImportCreated {
		return res, nil
	}
	if err := s.writePlan(ctx, content, res, in.Name); err != nil {
		// What was written is removed, even when the request's context
		// ended: that is most often why the import failed.
		cleanup := s.db.Update(context.WithoutCancel(ctx), func(tx *Tx) error { return dropPlan(tx, content.Plan.ID) })
		return nil, errors.Join(err, cleanup)
	}
	return res, nil
}

// writePlan writes a begun plan's tasks and statements, a chunk a
// transaction, then makes the plan complete with its audit event. The
// chunks carry the import's one time, the plan's and its notice's, so that
// a task changed after the import, and only such a task, reads as
// corrected by the office.
func (s *PlanService) writePlan(ctx context.Context, c *duban.PlanContent, res *duban.ImportResult, name string) error {
	p := c.Plan
	seen := map[string]bool{}
	for from := 0; from < len(c.Tasks); from += importChunk {
		chunk := c.Tasks[from:min(from+importChunk, len(c.Tasks))]
		err := s.db.Update(ctx, func(tx *Tx) error {
			tx.SetNow(p.CreatedAt)
			for _, t := range chunk {
				t.PlanID, t.Year = p.ID, p.Year
			}
			units, leaders, err := mapOwners(tx, chunk, false, "")
			if err != nil {
				return err
			}
			for _, n := range units {
				if k := "u" + duban.NormalizeName(n); !seen[k] {
					seen[k], res.NewUnits = true, append(res.NewUnits, n)
				}
			}
			for _, n := range leaders {
				if k := "l" + duban.NormalizeName(n); !seen[k] {
					seen[k], res.NewLeaders = true, append(res.NewLeaders, n)
				}
			}
			for _, t := range chunk {
				if err := insertTask(tx, t); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for from := 0; from < len(c.Statements); from += importChunk {
		chunk := c.Statements[from:min(from+importChunk, len(c.Statements))]
		err := s.db.Update(ctx, func(tx *Tx) error {
			tx.SetNow(p.CreatedAt)
			for _, st := range chunk {
				st.PlanID = p.ID
				if err := insertStatement(tx, st); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Exec("UPDATE plans SET complete = ? WHERE id = ?", true, p.ID); err != nil {
			return err
		}
		p.TaskCount, p.OpenStatements = len(c.Tasks), len(c.Statements)
		summary := fmt.Sprintf("导入通知 %s：%d 项任务，%d 段无人认领的段落", name, len(c.Tasks), len(c.Statements))
		return tx.Record("plan.import", "plan", p.ID, p.ID, summary, nil, p)
	})
}

// beginPlan stores a new draft, incomplete, with its structure and its
// first notice file.
func beginPlan(tx *Tx, p *duban.Plan, name string, data []byte, sum string) error {
	p.CreatedAt, p.UpdatedAt = tx.Now(), tx.Now()
	var err error
	p.ID, err = tx.Insert(`INSERT INTO plans (region, year, doc_number, title, issuer, issued_on, state, created_at, updated_at, complete)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Region, p.Year, p.DocNumber, p.Title, p.Issuer, p.Date, string(p.State), tx.Time(tx.Now()), tx.Time(tx.Now()), false)
	if err != nil {
		return err
	}
	if err := writeStructure(tx, p); err != nil {
		return err
	}
	return insertSource(tx, p, name, data, sum)
}

// dropPlan removes an incomplete plan and all it holds.
func dropPlan(tx *Tx, id int64) error {
	for _, q := range []string{
		"DELETE FROM statements WHERE plan_id = ?",
		"DELETE FROM tasks WHERE plan_id = ?", // owners and targets go with them
		"DELETE FROM plan_warnings WHERE plan_id = ?",
		"DELETE FROM plan_sources WHERE plan_id = ?",
		"DELETE FROM areas WHERE plan_id = ?",
		"DELETE FROM sections WHERE plan_id = ?",
		"DELETE FROM plans WHERE id = ? AND NOT complete",
	} {
		if _, err := tx.Exec(q, id); err != nil {
			return err
		}
	}
	return nil
}

// dropStaleImports removes the plans that imports which died with their
// process left incomplete.
func dropStaleImports(tx *Tx) error {
	rows, err := tx.Query("SELECT id FROM plans WHERE NOT complete AND created_at < ?", tx.Time(tx.Now().Add(-staleImport)))
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if err := dropPlan(tx, id); err != nil {
			return err
		}
	}
	return nil
}

// writeStructure replaces a plan's sections and areas.
func writeStructure(tx *Tx, p *duban.Plan) error {
	for _, table := range []string{"areas", "sections"} {
		if _, err := tx.Exec("DELETE FROM "+table+" WHERE plan_id = ?", p.ID); err != nil {
			return err
		}
	}
	for _, s := range p.Sections {
		if _, err := tx.Exec("INSERT INTO sections (plan_id, no, title) VALUES (?, ?, ?)", p.ID, s.No, s.Title); err != nil {
			return err
		}
	}
	for _, a := range p.Areas {
		if _, err := tx.Exec("INSERT INTO areas (plan_id, section, no, title) VALUES (?, ?, ?, ?)", p.ID, a.Section, a.No, a.Title); err != nil {
			return err
		}
	}
	return nil
}

// insertSource keeps a notice file as the plan's next issue, with the
// reader's warnings on it.
func insertSource(tx *Tx, p *duban.Plan, name string, data []byte, sum string) error {
	p.Issues++
	if _, err := tx.Exec("INSERT INTO plan_sources (plan_id, issue, name, sha256, data, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
		p.ID, p.Issues, name, sum, data, tx.Time(tx.Now())); err != nil {
		return err
	}
	for i, w := range p.Warnings {
		if _, err := tx.Exec("INSERT INTO plan_warnings (plan_id, issue, pos, line, code, message) VALUES (?, ?, ?, ?, ?, ?)",
			p.ID, p.Issues, i, w.Line, w.Code, w.Message); err != nil {
			return err
		}
	}
	return nil
}

// planContent returns the tasks in force and the statements of a plan.
func planContent(tx *Tx, p *duban.Plan) ([]*duban.Task, []*duban.Statement, error) {
	tasks, _, err := findTasks(tx, duban.TaskFilter{PlanID: &p.ID}, true)
	if err != nil {
		return nil, nil, err
	}
	statements, _, err := findStatements(tx, duban.StatementFilter{PlanID: &p.ID})
	return tasks, statements, err
}

func diffPlan(tx *Tx, p *duban.Plan, r *duban.Reading) (*duban.PlanDiff, error) {
	tasks, statements, err := planContent(tx, p)
	if err != nil {
		return nil, err
	}
	return duban.DiffReissue(p, tasks, statements, r), nil
}

// DiffPlan compares a new reading of a plan's notice with the plan.
func (s *PlanService) DiffPlan(ctx context.Context, id int64, r *duban.Reading) (*duban.PlanDiff, error) {
	if _, err := duban.Authorize(ctx, "比对更正后的通知", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	if _, err := duban.PlanFromReading(r, ""); err != nil {
		return nil, err
	}
	var d *duban.PlanDiff
	err := s.db.View(ctx, func(tx *Tx) error {
		p, err := findPlan(tx, id, true)
		if err != nil {
			return err
		}
		d, err = diffPlan(tx, p, r)
		return err
	})
	return d, err
}

// ReissuePlan applies a new issue of a plan's notice. Each task it adds,
// withdraws or changes gets an event in its history; tasks the notice did
// not change keep the office's corrections.
func (s *PlanService) ReissuePlan(ctx context.Context, id int64, in duban.ImportInput) (*duban.PlanDiff, error) {
	if _, err := duban.Authorize(ctx, "应用更正后的通知", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	content, err := duban.PlanFromReading(in.Reading, in.Name)
	if err != nil {
		return nil, err
	}
	data, sum, err := sourceOf(in)
	if err != nil {
		return nil, err
	}
	var d *duban.PlanDiff
	err = s.db.Update(ctx, func(tx *Tx) error {
		p, err := findPlan(tx, id, true)
		if err != nil {
			return err
		}
		if p.State == duban.PlanArchived {
			return duban.Errorf(duban.ECONFLICT, "文件“%s”已归档，不能再更正。", p.Title)
		}
		if known, issue, err := planOfSource(tx, sum); err != nil || known != 0 {
			if err != nil {
				return err
			}
			return duban.Errorf(duban.ECONFLICT, "这个文件已导入过（文件 #%d 的第 %d 版通知），没有新的变更。", known, issue)
		}
		if d, err = diffPlan(tx, p, in.Reading); err != nil {
			return err
		}
		return applyReissue(tx, p, content.Plan, d, in.Name, data, sum)
	})
	return d, err
}

func applyReissue(tx *Tx, p, next *duban.Plan, d *duban.PlanDiff, name string, data []byte, sum string) error {
	before := *p
	p.Region, p.Year, p.DocNumber, p.Title, p.Issuer, p.Date = next.Region, next.Year, next.DocNumber, next.Title, next.Issuer, next.Date
	p.Sections, p.Areas, p.Warnings = next.Sections, next.Areas, next.Warnings
	p.UpdatedAt = tx.Now()
	if _, err := tx.Exec(`UPDATE plans SET region = ?, year = ?, doc_number = ?, title = ?, issuer = ?, issued_on = ?, updated_at = ? WHERE id = ?`,
		p.Region, p.Year, p.DocNumber, p.Title, p.Issuer, p.Date, tx.Time(tx.Now()), p.ID); err != nil {
		return err
	}
	if err := writeStructure(tx, p); err != nil {
		return err
	}
	if err := insertSource(tx, p, name, data, sum); err != nil {
		return err
	}
	for _, c := range d.Unchanged {
		c.Apply(c.Task)
		if err := saveTask(tx, c.Task, false); err != nil {
			return err
		}
		if err := saveIssued(tx, c.Task); err != nil {
			return err
		}
	}
	// Changed and added tasks are mapped to the directory together, so that
	// a published plan gets each new unit once.
	type change struct {
		c      duban.TaskChange
		t      *duban.Task
		before *duban.Task
	}
	var changes []change
	var toMap []*duban.Task
	for _, c := range d.Changes {
		ch := change{c: c}
		switch c.Kind {
		case duban.ChangeAdded:
			ch.t = duban.NewTask(c.New)
			ch.t.PlanID, ch.t.Year = p.ID, p.Year
		case duban.ChangeModified:
			ch.t, ch.before = c.Task, c.Task.Clone()
			c.Apply(ch.t)
		case duban.ChangeRemoved:
			ch.t, ch.before = c.Task, c.Task.Clone()
			ch.t.State = duban.TaskWithdrawn
		}
		changes = append(changes, ch)
		if c.Kind != duban.ChangeRemoved {
			toMap = append(toMap, ch.t)
		}
	}
	if _, _, err := mapOwners(tx, toMap, p.State != duban.PlanDraft, "更正通知时新建"); err != nil {
		return err
	}
	issue := fmt.Sprintf("第 %d 版通知", p.Issues)
	for _, ch := range changes {
		t := ch.t
		if err := t.Validate(); err != nil {
			return err
		}
		var err error
		switch ch.c.Kind {
		case duban.ChangeAdded:
			if err = insertTask(tx, t); err == nil {
				err = tx.Record("task.create", "task", t.ID, p.ID, issue+"新增任务 "+t.No, nil, t)
			}
		case duban.ChangeModified:
			if err = saveTask(tx, t, true); err == nil {
				err = saveIssued(tx, t)
			}
			if err == nil {
				err = tx.Record("task.reissue", "task", t.ID, p.ID, issue+changeWords(ch.c)+"任务 "+t.No, ch.before, t)
			}
		case duban.ChangeRemoved:
			if err = saveTask(tx, t, false); err == nil {
				err = tx.Record("task.withdraw", "task", t.ID, p.ID, issue+"删除了任务 "+ch.before.No+"，任务撤销", ch.before, t)
			}
		}
		if err != nil {
			return err
		}
	}
	for _, rs := range d.StatementsAdded {
		st := duban.NewStatement(rs)
		st.PlanID = p.ID
		if err := insertStatement(tx, st); err != nil {
			return err
		}
	}
	for _, st := range d.StatementsRemoved {
		if _, err := tx.Exec("DELETE FROM statements WHERE id = ?", st.ID); err != nil {
			return err
		}
		if err := tx.Record("statement.remove", "statement", st.ID, p.ID, issue+"中已没有这段无人认领的段落", st, nil); err != nil {
			return err
		}
	}
	n := d.Counts()
	summary := fmt.Sprintf("应用%s %s：新增 %d 项，删除 %d 项，改写 %d 项，责任变更 %d 项，时限变更 %d 项",
		issue, name, n.Added, n.Removed, n.Reworded, n.OwnersChanged, n.DeadlineChanged)
	return tx.Record("plan.reissue", "plan", p.ID, p.ID, summary, &before, p)
}

// changeWords says how a notice changed a task: 改写了, 变更了责任单位…
func changeWords(c duban.TaskChange) string {
	var parts []string
	if c.Reworded {
		parts = append(parts, "改写")
	}
	if c.OwnersChanged {
		parts = append(parts, "变更责任")
	}
	if c.DeadlineChanged {
		parts = append(parts, "变更时限")
	}
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "、"
		}
		out += p
	}
	return out + "了"
}

// PublishPlan makes a reviewed draft the plan units work to. Every
// unassigned statement must have been decided; names the directory does not
// know become new units and leaders.
func (s *PlanService) PublishPlan(ctx context.Context, id int64) (*duban.Plan, error) {
	if _, err := duban.Authorize(ctx, "发布文件", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	var p *duban.Plan
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if p, err = findPlan(tx, id, true); err != nil {
			return err
		}
		if p.State != duban.PlanDraft {
			return duban.Errorf(duban.ECONFLICT, "文件“%s”%s，不能再发布。", p.Title, p.State.Label())
		}
		if p.OpenStatements > 0 {
			return duban.Errorf(duban.EINVALID, "文件还有 %d 段无人认领的段落：请为每段指定责任单位，或标记为无需分配，然后再发布。", p.OpenStatements)
		}
		tasks, _, err := findTasks(tx, duban.TaskFilter{PlanID: &id}, false)
		if err != nil {
			return err
		}
		befores := make([]*duban.Task, len(tasks))
		for i, t := range tasks {
			befores[i] = t.Clone()
		}
		units, leaders, err := mapOwners(tx, tasks, true, "发布文件时新建")
		if err != nil {
			return err
		}
		for i, t := range tasks {
			if !sameOwnerIDs(befores[i], t) {
				if err := saveOwners(tx, t); err != nil {
					return err
				}
			}
		}
		before := *p
		p.State, p.PublishedAt, p.UpdatedAt = duban.PlanPublished, tx.Now(), tx.Now()
		if _, err := tx.Exec("UPDATE plans SET state = ?, published_at = ?, updated_at = ? WHERE id = ?",
			string(p.State), tx.Time(tx.Now()), tx.Time(tx.Now()), id); err != nil {
			return err
		}
		summary := fmt.Sprintf("发布文件：%d 项任务，新建单位 %d 个、领导 %d 位", p.TaskCount, len(units), len(leaders))
		return tx.Record("plan.publish", "plan", p.ID, p.ID, summary, &before, p)
	})
	return p, err
}

func sameOwnerIDs(a, b *duban.Task) bool {
	same := func(x, y []duban.Owner) bool { return slices.Equal(x, y) }
	return same(a.LeadLeaders, b.LeadLeaders) && same(a.LeadUnits, b.LeadUnits) && same(a.ResponsibleUnits, b.ResponsibleUnits)
}

// ArchivePlan ends the supervision of a published plan.
func (s *PlanService) ArchivePlan(ctx context.Context, id int64) (*duban.Plan, error) {
	if _, err := duban.Authorize(ctx, "归档文件", duban.CanReviewPlan); err != nil {
		return nil, err
	}
	var p *duban.Plan
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if p, err = findPlan(tx, id, true); err != nil {
			return err
		}
		if p.State != duban.PlanPublished {
			return duban.Errorf(duban.ECONFLICT, "只有已发布的文件可以归档；文件“%s”%s。", p.Title, p.State.Label())
		}
		before := *p
		p.State, p.UpdatedAt = duban.PlanArchived, tx.Now()
		if _, err := tx.Exec("UPDATE plans SET state = ?, updated_at = ? WHERE id = ?", string(p.State), tx.Time(tx.Now()), id); err != nil {
			return err
		}
		return tx.Record("plan.archive", "plan", p.ID, p.ID, "归档文件", &before, p)
	})
	return p, err
}
