package cyclestore

import (
	"context"
	"fmt"
	"slices"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// PublicationService keeps what each plan shows the public and reads the
// public page.
type PublicationService struct{ base }

// NewPublicationService returns the publications of db.
func NewPublicationService(db *sqldb.DB) *PublicationService {
	return &PublicationService{base{db: db}}
}

var _ cycle.PublicationService = (*PublicationService)(nil)

// FindPublication returns what a plan shows the public.
func (s *PublicationService) FindPublication(ctx context.Context, planID int64) (*cycle.Publication, error) {
	if _, err := duban.Authorize(ctx, "查看公开设置", duban.CanRead); err != nil {
		return nil, err
	}
	var p *cycle.Publication
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		p, err = findPublication(tx, planID)
		return err
	})
	return p, err
}

func findPublication(tx *Tx, planID int64) (*cycle.Publication, error) {
	if _, err := ledgerstore.FindPlan(tx, planID); err != nil {
		return nil, err
	}
	p := &cycle.Publication{PlanID: planID, Hidden: []int64{}}
	err := tx.QueryRow("SELECT public, updated_by, updated_at FROM publications WHERE plan_id = ?", planID).
		Scan(&p.Public, &p.UpdatedBy, sqldb.TimeCol(&p.UpdatedAt))
	if err != nil && !isNoRows(err) {
		return nil, tx.QueryError("SELECT publications", err)
	}
	if p.Hidden, err = hiddenTasks(tx, planID); err != nil {
		return nil, err
	}
	return p, nil
}

// hiddenTasks returns the tasks of a plan kept off the public page.
func hiddenTasks(tx *Tx, planID int64) ([]int64, error) {
	rows, err := tx.Query("SELECT task_id FROM publication_hidden WHERE plan_id = ? ORDER BY task_id", planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// UpdatePublication changes what a plan shows the public, with its audit
// event.
func (s *PublicationService) UpdatePublication(ctx context.Context, planID int64, upd cycle.PublicationUpdate) (*cycle.Publication, error) {
	if _, err := duban.Authorize(ctx, "设置政务公开", cycle.CanPublish); err != nil {
		return nil, err
	}
	if len(upd.Hide)+len(upd.Show) > cycle.MaxReportSaves {
		return nil, duban.Errorf(duban.EINVALID, "一次最多调整 %d 项任务的公开设置。", cycle.MaxReportSaves)
	}
	var p *cycle.Publication
	err := s.db.Update(ctx, func(tx *Tx) error {
		plan, err := ledgerstore.FindPlan(tx, planID)
		if err != nil {
			return err
		}
		if plan.State == duban.PlanDraft {
			return duban.Errorf(duban.ECONFLICT, "文件“%s”尚未发布，不能公开：请先发布。", plan.Title)
		}
		if p, err = findPublication(tx, planID); err != nil {
			return err
		}
		before := *p
		before.Hidden = slices.Clone(p.Hidden)
		for _, id := range append(slices.Clone(upd.Hide), upd.Show...) {
			t, err := ledgerstore.FindTask(tx, id)
			if err != nil {
				return err
			}
			if t.PlanID != planID {
				return duban.Errorf(duban.EINVALID, "任务 %s 不属于文件“%s”。", t.No, plan.Title)
			}
		}
		if upd.Public != nil {
			p.Public = *upd.Public
		}
		p.UpdatedBy, p.UpdatedAt = tx.Actor(), tx.Now()
		if _, err := tx.Exec(`INSERT INTO publications (plan_id, public, updated_by, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (plan_id) DO UPDATE SET public = excluded.public, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			planID, p.Public, p.UpdatedBy, tx.Time(p.UpdatedAt)); err != nil {
			return err
		}
		for _, id := range upd.Hide {
			if _, err := tx.Exec("INSERT INTO publication_hidden (task_id, plan_id) VALUES (?, ?) ON CONFLICT (task_id) DO NOTHING", id, planID); err != nil {
				return err
			}
		}
		for _, id := range upd.Show {
			if _, err := tx.Exec("DELETE FROM publication_hidden WHERE task_id = ?", id); err != nil {
				return err
			}
		}
		if p.Hidden, err = hiddenTasks(tx, planID); err != nil {
			return err
		}
		state := "不公开"
		if p.Public {
			state = "公开"
		}
		return tx.Record("plan.publication", "plan", planID, planID,
			fmt.Sprintf("政务公开：文件“%s”%s，%d 项任务不公开", plan.Title, state, len(p.Hidden)), before, p)
	})
	return p, err
}

// FindPublicPlans returns the plans on the public page. It needs no user.
func (s *PublicationService) FindPublicPlans(ctx context.Context) ([]cycle.PublicPlanSummary, error) {
	var out []cycle.PublicPlanSummary
	err := s.db.View(ctx, func(tx *Tx) error {
		rows, err := tx.Query(`SELECT p.id, p.year, p.title FROM plans p JOIN publications u ON u.plan_id = p.id
			WHERE u.public = ? AND p.state <> 'draft' ORDER BY p.year DESC, p.id DESC`, true)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p cycle.PublicPlanSummary
			if err := rows.Scan(&p.ID, &p.Year, &p.Title); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	})
	return out, err
}

// FindPublicPlan returns what the public page shows of a plan. It needs no
// user, and copies into the page nothing but the notice's own words, the
// lights' status and numbers and the progress of accepted reports.
func (s *PublicationService) FindPublicPlan(ctx context.Context, planID int64) (*cycle.PublicPlan, error) {
	var out *cycle.PublicPlan
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = findPublicPlan(tx, planID)
		return err
	})
	return out, err
}

func findPublicPlan(tx *Tx, planID int64) (*cycle.PublicPlan, error) {
	notPublic := duban.Errorf(duban.ENOTFOUND, "没有这个公开的文件：请从政务公开页面的列表中选择。")
	var pp cycle.PublicPlan
	var state duban.PlanState
	var public bool
	err := tx.QueryRow(`SELECT p.id, p.year, p.title, p.doc_number, p.issuer, p.state, u.public FROM plans p
		JOIN publications u ON u.plan_id = p.id WHERE p.id = ?`, planID).
		Scan(&pp.ID, &pp.Year, &pp.Title, &pp.DocNumber, &pp.Issuer, &state, &public)
	switch {
	case isNoRows(err):
		return nil, notPublic
	case err != nil:
		return nil, tx.QueryError("SELECT publications", err)
	case !public || state == duban.PlanDraft:
		return nil, notPublic
	}
	rows, err := tx.Query("SELECT no, title FROM sections WHERE plan_id = ? ORDER BY no", planID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sec cycle.PublicSection
		if err := rows.Scan(&sec.No, &sec.Title); err != nil {
			rows.Close()
			return nil, err
		}
		pp.Sections = append(pp.Sections, sec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	hidden, err := hiddenTasks(tx, planID)
	if err != nil {
		return nil, err
	}
	tasks, err := ledgerstore.FindTasks(tx, duban.TaskFilter{PlanID: &planID})
	if err != nil {
		return nil, err
	}
	f := &cycle.Figures{PlanID: planID, Today: duban.Today(tx.Now()), Lights: map[int64]*cycle.Light{}}
	var periodID int64
	err = tx.QueryRow(`SELECT q.id FROM periods q WHERE q.plan_id = ? AND EXISTS (SELECT 1 FROM lights l WHERE l.period_id = q.id)
		ORDER BY q.seq DESC LIMIT 1`, planID).Scan(&periodID)
	switch {
	case isNoRows(err):
	case err != nil:
		return nil, tx.QueryError("SELECT periods", err)
	default:
		if f.Period, err = findPeriod(tx, periodID); err != nil {
			return nil, err
		}
		if err := readPeriodLights(tx, f, false); err != nil {
			return nil, err
		}
		pp.Period = f.Period.Label
		for _, l := range f.Lights {
			pp.AsOf = l.AsOf
			break
		}
	}
	progress, err := acceptedProgress(tx, planID)
	if err != nil {
		return nil, err
	}
	bySection := map[int]*cycle.PublicSection{}
	for i := range pp.Sections {
		bySection[pp.Sections[i].No] = &pp.Sections[i]
	}
	for _, t := range tasks {
		sec := bySection[t.Section]
		if t.State != duban.TaskActive || sec == nil || slices.Contains(hidden, t.ID) {
			continue
		}
		pt := cycle.PublicTask{ID: t.ID, No: t.No, Text: t.Text, Leaders: duban.OwnerNames(t.LeadLeaders),
			LeadUnits: duban.OwnerNames(t.LeadUnits), Units: duban.OwnerNames(t.ResponsibleUnits), Deadline: t.Deadline,
			Light: cycle.LightNotStarted, Completion: -1, Progress: progress[t.ID], Targets: []cycle.TargetProgress{}}
		var reached []cycle.Actual
		if l := f.Lights[t.ID]; l != nil {
			pt.Light, pt.Completion, reached = l.Status, l.Completion, l.Reached
		}
		for i := range t.Indicators {
			in := &t.Indicators[i]
			tp := cycle.TargetProgress{Indicator: i, Metric: in.Metric, Goal: in.Goal()}
			for _, a := range reached {
				if a.Indicator == i && a.Value != nil {
					tp = cycle.Progress(in, i, *a.Value)
				}
			}
			pt.Targets = append(pt.Targets, tp)
		}
		pp.Counts.Add(pt.Light)
		sec.Tasks = append(sec.Tasks, pt)
	}
	pp.Sections = slices.DeleteFunc(pp.Sections, func(s cycle.PublicSection) bool { return len(s.Tasks) == 0 })
	return &pp, nil
}

// acceptedProgress returns, by task, the progress of its latest task report
// the office accepted.
func acceptedProgress(tx *Tx, planID int64) (map[int64]string, error) {
	rows, err := tx.Query(`SELECT r.task_id, r.progress FROM reports r JOIN periods q ON q.id = r.period_id
		WHERE r.plan_id = ? AND r.kind = 'task' AND r.state = 'accepted' ORDER BY q.seq`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		out[id] = text
	}
	return out, rows.Err()
}
