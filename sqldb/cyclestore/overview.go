package cyclestore

import (
	"context"

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

// findFigures reads the figures; the caller has checked who may.
func findFigures(tx *Tx, ff cycle.FiguresFilter) (*cycle.Figures, error) {
	if _, err := tx.FindPlan(ff.PlanID); err != nil {
		return nil, err
	}
	f := &cycle.Figures{PlanID: ff.PlanID, Today: duban.Today(tx.Now()), Lights: map[int64]*cycle.Light{}}
	var err error
	if f.Periods, _, err = findPeriods(tx, cycle.PeriodFilter{PlanID: &ff.PlanID}); err != nil {
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
	if err := readPeriodLights(tx, f); err != nil {
		return nil, err
	}
	if f.Overdue() {
		if f.Handed, err = handedReports(tx, f.Period.ID); err != nil {
			return nil, err
		}
	}
	plan := ff.PlanID
	if f.Supervisions, _, err = findSupervisions(tx, cycle.SupervisionFilter{PlanID: &plan, Open: true}); err != nil {
		return nil, err
	}
	return f, nil
}

// readTrend counts the lights of each period of the plan, in one grouped
// query over the lights' plan index.
func readTrend(tx *Tx, f *cycle.Figures, periods map[int64]*cycle.Period) error {
	rows, err := tx.Query("SELECT period_id, status, count(*) FROM lights WHERE plan_id = ? GROUP BY period_id, status", f.PlanID)
	if err != nil {
		return err
	}
	defer rows.Close()
	counts := map[int64]*cycle.LightCounts{}
	for rows.Next() {
		var id int64
		var status cycle.LightStatus
		var n int
		if err := rows.Scan(&id, &status, &n); err != nil {
			return err
		}
		c := counts[id]
		if c == nil {
			c = &cycle.LightCounts{}
			counts[id] = c
		}
		if i := status.Index(); i >= 0 {
			c[i] += n
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, q := range f.Periods {
		if c := counts[q.ID]; c != nil {
			f.Trend = append(f.Trend, cycle.PeriodCounts{Period: periods[q.ID], Counts: *c})
		}
	}
	return nil
}

// readPeriodLights reads each task's light in the figures' period: the
// reasons only of the lights that need attention, which the overview
// lists; the others it counts.
func readPeriodLights(tx *Tx, f *cycle.Figures) error {
	rows, err := tx.Query(`SELECT task_id, status, completion, expected, as_of, reached,
		CASE WHEN status IN ('lagging', 'severe', 'missing') THEN reason ELSE '' END,
		CASE WHEN status IN ('lagging', 'severe', 'missing') THEN reason_en ELSE '' END
		FROM lights WHERE period_id = ?`, f.Period.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	all := []cycle.Light{}
	for rows.Next() {
		l := cycle.Light{PlanID: f.PlanID, PeriodID: f.Period.ID}
		var reached string
		if err := rows.Scan(&l.TaskID, &l.Status, &l.Completion, &l.Expected, sqldb.DateCol(&l.AsOf), &reached, &l.Reason, &l.ReasonEN); err != nil {
			return err
		}
		if reached != "" {
			if l.Reached, err = cycle.ParseReached(reached); err != nil {
				return err
			}
		}
		all = append(all, l)
	}
	for i := range all {
		f.Lights[all[i].TaskID] = &all[i]
	}
	return rows.Err()
}

// handedReports reads the reports handed in for a period, as much as
// obligations need of them.
func handedReports(tx *Tx, periodID int64) ([]*cycle.Report, error) {
	rows, err := tx.Query(`SELECT task_id, unit_id, kind, state FROM reports
		WHERE period_id = ? AND state IN ('submitted', 'resubmitted', 'accepted')`, periodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []cycle.Report
	for rows.Next() {
		r := cycle.Report{PeriodID: periodID}
		if err := rows.Scan(&r.TaskID, &r.UnitID, &r.Kind, &r.State); err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	out := make([]*cycle.Report, len(all))
	for i := range all {
		out[i] = &all[i]
	}
	return out, rows.Err()
}
