package cyclestore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// OverviewService reads the figures of the overview and the public page.
type OverviewService struct{ base }

// NewOverviewService returns the figures of db.
func NewOverviewService(db *sqldb.DB) *OverviewService { return &OverviewService{base{db: db}} }

var _ cycle.OverviewService = (*OverviewService)(nil)

// FindFigures reads a plan's figures in one read transaction, in a few
// lean queries: the overview is the page a meeting room shows all day and
// every leader opens, so it reads counts and the current period's lights
// rather than every report of the year.
func (s *OverviewService) FindFigures(ctx context.Context, ff cycle.FiguresFilter) (*cycle.Figures, error) {
	if _, err := duban.Authorize(ctx, "查看统览", duban.CanRead); err != nil {
		return nil, err
	}
	var f *cycle.Figures
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		f, err = findFigures(tx, ff)
		return err
	})
	return f, err
}

// findFigures reads the figures; the caller has checked who may. Its
// queries read only the columns the figures need: the overview is asked
// for all day.
func findFigures(tx *Tx, ff cycle.FiguresFilter) (*cycle.Figures, error) {
	var state duban.PlanState
	switch err := tx.QueryRow("SELECT state FROM plans WHERE id = ?", ff.PlanID).Scan(&state); {
	case isNoRows(err) || (err == nil && state == duban.PlanDraft && !duban.CanViewDrafts(tx.User())):
		return nil, sqldb.NotFound("文件", ff.PlanID)
	case err != nil:
		return nil, tx.QueryError("SELECT plans", err)
	}
	f := &cycle.Figures{PlanID: ff.PlanID, Today: duban.Today(tx.Now()), Lights: map[int64]*cycle.Light{}}
	var err error
	if f.Periods, err = leanPeriods(tx, ff.PlanID); err != nil {
		return nil, err
	}
	byID := make(map[int64]*cycle.Period, len(f.Periods))
	for _, q := range f.Periods {
		byID[q.ID] = q
	}
	if err := readTrend(tx, f, byID); err != nil {
		return nil, err
	}
	switch {
	case ff.PeriodID != 0:
		if f.Period = byID[ff.PeriodID]; f.Period == nil {
			return nil, sqldb.NotFound("填报周期", ff.PeriodID)
		}
	case len(f.Trend) > 0:
		f.Period = f.Trend[len(f.Trend)-1].Period
	}
	if f.Period == nil {
		return f, nil
	}
	if err := readPeriodLights(tx, f, ff.Reasons == nil); err != nil {
		return nil, err
	}
	if len(ff.Reasons) > 0 {
		if err := readReasons(tx, f, ff.Reasons); err != nil {
			return nil, err
		}
	}
	if f.Overdue() {
		if f.Handed, err = handedReports(tx, f.Period.ID); err != nil {
			return nil, err
		}
	}
	if f.Supervisions, err = openSupervisions(tx, ff.PlanID); err != nil {
		return nil, err
	}
	return f, nil
}

// leanPeriods reads a plan's periods, in order, as far as the overview
// needs them: their numbers, labels, days and states.
func leanPeriods(tx *Tx, planID int64) ([]*cycle.Period, error) {
	rows, err := tx.Query(`SELECT id, seq, label, start_day, end_day, due, due_note, due_note_en, state FROM periods
		WHERE plan_id = ? ORDER BY seq`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*cycle.Period
	for rows.Next() {
		q := &cycle.Period{PlanID: planID}
		if err := rows.Scan(&q.ID, &q.Seq, &q.Label, sqldb.DateCol(&q.Start), sqldb.DateCol(&q.End), sqldb.DateCol(&q.Due),
			&q.DueNote, &q.DueNoteEN, &q.State); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// openSupervisions reads a plan's open supervision notices, newest first,
// as far as the overview lists them: number, unit, deadline and state.
func openSupervisions(tx *Tx, planID int64) ([]*cycle.Supervision, error) {
	rows, err := tx.Query(`SELECT id, year, seq, unit_id, unit_name, due, state FROM supervisions
		WHERE plan_id = ? AND state IN ('issued', 'acknowledged', 'answered') ORDER BY year DESC, seq DESC`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*cycle.Supervision{}
	for rows.Next() {
		s := &cycle.Supervision{PlanID: planID}
		if err := rows.Scan(&s.ID, &s.Year, &s.Seq, &s.UnitID, &s.Unit, sqldb.DateCol(&s.Due), &s.State); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// readTrend reads the counts of the lights of each period of the plan,
// kept by status (light_counts) as lights are written, in the periods'
// order.
func readTrend(tx *Tx, f *cycle.Figures, periods map[int64]*cycle.Period) error {
	rows, err := tx.Query(`SELECT c.period_id, c.status, c.tasks FROM periods q JOIN light_counts c ON c.period_id = q.id
		WHERE q.plan_id = ? ORDER BY q.seq`, f.PlanID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var status string
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return err
		}
		if k := len(f.Trend) - 1; k < 0 || f.Trend[k].Period.ID != id {
			f.Trend = append(f.Trend, cycle.PeriodCounts{Period: periods[id]})
		}
		if i := cycle.LightStatus(status).Index(); i >= 0 {
			f.Trend[len(f.Trend)-1].Counts[i] += n
		}
	}
	return rows.Err()
}

// attention is the lights that need attention, whose reasons an
// overview lists, as SQL.
const attention = "('lagging', 'severe', 'missing')"

// readPeriodLights reads each task's light in the figures' period, with
// reasons the reasons of the lights that need attention, which an overview
// lists; the others it counts.
func readPeriodLights(tx *Tx, f *cycle.Figures, reasons bool) error {
	q := "SELECT task_id, status, completion, reached FROM lights WHERE period_id = ?"
	if reasons {
		q = `SELECT task_id, status, completion, reached,
			CASE WHEN status IN ` + attention + ` THEN reason ELSE '' END,
			CASE WHEN status IN ` + attention + ` THEN reason_en ELSE '' END,
			CASE WHEN status IN ` + attention + ` THEN timeline ELSE '' END
			FROM lights WHERE period_id = ?`
	}
	// The lights' day, kept per period, which fills in their reasons.
	var asOf duban.Date
	switch err := tx.QueryRow("SELECT as_of FROM light_days WHERE period_id = ?", f.Period.ID).Scan(sqldb.DateCol(&asOf)); {
	case errors.Is(err, sql.ErrNoRows):
		asOf = cycle.LightDay(f.Period, f.Today)
	case err != nil:
		return err
	}
	rows, err := tx.Query(q, f.Period.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	// The period's lights, as many as the trend counted of it.
	n := 0
	for _, pc := range f.Trend {
		if pc.Period.ID == f.Period.ID {
			n = pc.Counts.Total()
		}
	}
	all := make([]cycle.Light, 0, n)
	reader := cycle.NewReachedReader(n)
	// Scanned into the slice and into variables kept across rows, so that
	// a row allocates only what the driver does; the integers as int64Col
	// scans them, without the reflection Scan spends on an *int.
	var reached string
	var completion int64
	for rows.Next() {
		all = append(all, cycle.Light{PlanID: f.PlanID, PeriodID: f.Period.ID, AsOf: asOf})
		l := &all[len(all)-1]
		dest := [...]any{int64Col{&l.TaskID}, statusCol{&l.Status}, int64Col{&completion}, &reached, &l.Reason, &l.ReasonEN, &l.Timeline}
		n := 4
		if reasons {
			n = len(dest)
		}
		if err := rows.Scan(dest[:n]...); err != nil {
			return err
		}
		l.Completion = int(completion)
		if reasons {
			l.Expand(f.Period.Due)
		}
		if l.Reached, err = reader.Read(reached); err != nil {
			return err
		}
	}
	f.Lights = make(map[int64]*cycle.Light, len(all))
	for i := range all {
		f.Lights[all[i].TaskID] = &all[i]
	}
	return rows.Err()
}

// readReasons reads the reasons of the lights of some tasks in the
// figures' period that need attention.
func readReasons(tx *Tx, f *cycle.Figures, tasks []int64) error {
	in, args := inIDs(tasks)
	rows, err := tx.Query("SELECT task_id, reason, reason_en, timeline FROM lights WHERE period_id = ? AND task_id IN "+in+
		" AND status IN "+attention, append([]any{f.Period.ID}, args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var reason, reasonEN, timeline string
		if err := rows.Scan(&id, &reason, &reasonEN, &timeline); err != nil {
			return err
		}
		if l := f.Lights[id]; l != nil {
			l.Reason, l.ReasonEN, l.Timeline = reason, reasonEN, timeline
			l.Expand(f.Period.Due)
		}
	}
	return rows.Err()
}

// handedReports reads the reports handed in for a period, as much as
// obligations need of them: a task report is 1 in the third column, a
// unit's part 0 (integers on both databases, where PostgreSQL's kind =
// 'task' would be a boolean).
func handedReports(tx *Tx, periodID int64) ([]cycle.HandedReport, error) {
	rows, err := tx.Query(`SELECT task_id, unit_id, CASE WHEN kind = 'task' THEN 1 ELSE 0 END FROM reports
		WHERE period_id = ? AND state IN ('submitted', 'resubmitted', 'accepted')`, periodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []cycle.HandedReport{}
	// Scanned into variables kept across rows, so that a row allocates
	// only what the driver does.
	var r cycle.HandedReport
	var task int64
	for rows.Next() {
		if err := rows.Scan(int64Col{&r.TaskID}, int64Col{&r.UnitID}, int64Col{&task}); err != nil {
			return nil, err
		}
		r.Kind = cycle.ReportPart
		if task != 0 {
			r.Kind = cycle.ReportTask
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
