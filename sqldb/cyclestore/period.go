package cyclestore

import (
	"context"
	"fmt"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// PeriodService keeps each plan's settings and periods and the office's
// calendar.
type PeriodService struct{ base }

// NewPeriodService returns the periods of db.
func NewPeriodService(db *sqldb.DB) *PeriodService { return &PeriodService{base{db: db}} }

var _ cycle.PeriodService = (*PeriodService)(nil)

// FindCycleSettings returns a plan's settings, the defaults when the office
// has set none.
func (s *PeriodService) FindCycleSettings(ctx context.Context, planID int64) (*cycle.CycleSettings, error) {
	if _, err := duban.Authorize(ctx, "查看填报设置", duban.CanRead); err != nil {
		return nil, err
	}
	var c *cycle.CycleSettings
	err := s.db.View(ctx, func(tx *Tx) error {
		p, err := ledgerstore.FindPlan(tx, planID)
		if err != nil {
			return err
		}
		cal, err := loadCalendar(tx)
		if err != nil {
			return err
		}
		c, err = loadSettings(tx, p, cal)
		return err
	})
	return c, err
}

// UpdateCycleSettings changes a plan's settings. A new schedule makes the
// periods not yet opened again; the lights of those open follow new
// thresholds at once.
func (s *PeriodService) UpdateCycleSettings(ctx context.Context, planID int64, upd cycle.CycleSettingsUpdate) (*cycle.CycleSettings, error) {
	if _, err := duban.Authorize(ctx, "修改填报设置", cycle.CanManagePeriods); err != nil {
		return nil, err
	}
	var c *cycle.CycleSettings
	err := s.db.Update(ctx, func(tx *Tx) error {
		p, err := planInCycle(tx, planID)
		if err != nil {
			return err
		}
		cal, err := loadCalendar(tx)
		if err != nil {
			return err
		}
		if c, err = loadSettings(tx, p, cal); err != nil {
			return err
		}
		before := *c
		upd.Apply(c)
		if err := c.Validate(p.Year); err != nil {
			return err
		}
		c.UpdatedAt = tx.Now()
		data, err := toJSON(c)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO cycle_settings (plan_id, settings, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (plan_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
			p.ID, data, tx.Time(c.UpdatedAt)); err != nil {
			return err
		}
		if upd.Schedule != nil {
			if err := regeneratePending(tx, p, c, cal); err != nil {
				return err
			}
		}
		if _, err := recomputePlan(tx, p.ID); err != nil {
			return err
		}
		return tx.Record("plan.cycle", "plan", p.ID, p.ID, "修改填报设置："+c.Schedule.Label(), &before, c)
	})
	return c, err
}

// regeneratePending replaces a plan's periods not yet opened by those of its
// new schedule that start after the last period opened.
func regeneratePending(tx *Tx, p *duban.Plan, c *cycle.CycleSettings, cal cycle.Workdays) error {
	periods, _, err := findPeriods(tx, cycle.PeriodFilter{PlanID: &p.ID})
	if err != nil || len(periods) == 0 {
		return err
	}
	var last *cycle.Period
	for _, q := range periods {
		if q.State != cycle.PeriodPending {
			last = q
		}
	}
	for _, q := range periods {
		if q.State == cycle.PeriodPending {
			if _, err := tx.Exec("DELETE FROM periods WHERE id = ?", q.ID); err != nil {
				return err
			}
		}
	}
	fresh, err := cycle.GeneratePeriods(p.Year, c.Schedule, cal)
	if err != nil {
		return err
	}
	seq := 0
	if last != nil {
		seq = last.Seq
	}
	for _, q := range fresh {
		if last != nil && !q.Start.After(last.End) {
			continue
		}
		seq++
		q.Seq, q.PlanID = seq, p.ID
		if err := insertPeriod(tx, q); err != nil {
			return err
		}
	}
	return nil
}

// CreatePeriods makes the periods of a published plan's year, once.
func (s *PeriodService) CreatePeriods(ctx context.Context, planID int64) ([]*cycle.Period, error) {
	if _, err := duban.Authorize(ctx, "生成填报周期", cycle.CanManagePeriods); err != nil {
		return nil, err
	}
	var out []*cycle.Period
	err := s.db.Update(ctx, func(tx *Tx) error {
		p, err := planInCycle(tx, planID)
		if err != nil {
			return err
		}
		n, err := tx.Count("SELECT count(*) FROM periods WHERE plan_id = ?", p.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			return duban.Errorf(duban.ECONFLICT, "文件“%s”已有 %d 个填报周期：改变报送周期请修改填报设置，尚未开始的周期会随之重新生成。", p.Title, n)
		}
		cal, err := loadCalendar(tx)
		if err != nil {
			return err
		}
		c, err := loadSettings(tx, p, cal)
		if err != nil {
			return err
		}
		if out, err = cycle.GeneratePeriods(p.Year, c.Schedule, cal); err != nil {
			return err
		}
		for _, q := range out {
			q.PlanID = p.ID
			if err := insertPeriod(tx, q); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("生成 %d 个填报周期（%s）", len(out), c.Schedule.Label())
		if !c.CalendarKnown {
			summary += fmt.Sprintf("；%d 年的节假日尚未录入，截止日只避开了周末", p.Year)
		}
		return tx.Record("period.create", "plan", p.ID, p.ID, summary, nil, out)
	})
	return out, err
}

func insertPeriod(tx *Tx, q *cycle.Period) error {
	q.CreatedAt, q.UpdatedAt = tx.Now(), tx.Now()
	var err error
	q.ID, err = tx.Insert(`INSERT INTO periods (plan_id, seq, label, start_day, end_day, due, scheduled, due_note, due_note_en,
		state, reopened, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
		q.PlanID, q.Seq, q.Label, q.Start.String(), q.End.String(), q.Due.String(), q.Scheduled.String(), q.DueNote, q.DueNoteEN,
		string(q.State), tx.Time(q.CreatedAt), tx.Time(q.UpdatedAt))
	return err
}

// FindPeriodByID returns one period.
func (s *PeriodService) FindPeriodByID(ctx context.Context, id int64) (*cycle.Period, error) {
	if _, err := duban.Authorize(ctx, "查看填报周期", duban.CanRead); err != nil {
		return nil, err
	}
	var p *cycle.Period
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		p, err = findPeriod(tx, id)
		return err
	})
	return p, err
}

// FindPeriods returns periods in plan and time order.
func (s *PeriodService) FindPeriods(ctx context.Context, f cycle.PeriodFilter) ([]*cycle.Period, int, error) {
	if _, err := duban.Authorize(ctx, "查看填报周期", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var out []*cycle.Period
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, total, err = findPeriods(tx, f)
		return err
	})
	return out, total, err
}

const periodColumns = "q.id, q.plan_id, q.seq, q.label, q.start_day, q.end_day, q.due, q.scheduled, q.due_note, q.due_note_en, " +
	"q.state, q.reopened, q.opened_at, q.closed_at, q.created_at, q.updated_at"

func findPeriod(tx *Tx, id int64) (*cycle.Period, error) {
	out, _, err := findPeriods(tx, cycle.PeriodFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, sqldb.NotFound("填报周期", id)
	}
	return out[0], nil
}

func findPeriods(tx *Tx, f cycle.PeriodFilter) ([]*cycle.Period, int, error) {
	var c condition
	if f.ID != nil {
		c.add("q.id = ?", *f.ID)
	}
	if f.PlanID != nil {
		c.add("q.plan_id = ?", *f.PlanID)
	}
	if f.State != nil {
		c.add("q.state = ?", string(*f.State))
	}
	if f.Year != nil {
		c.add("p.year = ?", *f.Year)
	}
	draftsHidden(tx, &c)
	from := " FROM periods q JOIN plans p ON p.id = q.plan_id" + c.where()
	total, err := countPaged(tx, from, c.args, f.Limit, f.Offset)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT "+periodColumns+from+" ORDER BY q.plan_id, q.seq"+page, append(c.args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*cycle.Period
	for rows.Next() {
		var q cycle.Period
		if err := rows.Scan(&q.ID, &q.PlanID, &q.Seq, &q.Label, sqldb.DateCol(&q.Start), sqldb.DateCol(&q.End), sqldb.DateCol(&q.Due),
			sqldb.DateCol(&q.Scheduled), &q.DueNote, &q.DueNoteEN, &q.State, &q.Reopened, sqldb.TimeCol(&q.OpenedAt),
			sqldb.TimeCol(&q.ClosedAt), sqldb.TimeCol(&q.CreatedAt), sqldb.TimeCol(&q.UpdatedAt)); err != nil {
			return nil, 0, err
		}
		out = append(out, &q)
	}
	if total < 0 {
		total = len(out)
	}
	return out, total, rows.Err()
}

// UpdatePeriod opens, closes or reopens a period, or moves its due date
// (again onto a working day). Reopening a closed period needs a reason and
// is counted.
func (s *PeriodService) UpdatePeriod(ctx context.Context, id int64, upd cycle.PeriodUpdate) (*cycle.Period, error) {
	if _, err := duban.Authorize(ctx, "开启或关闭填报周期", cycle.CanManagePeriods); err != nil {
		return nil, err
	}
	var q *cycle.Period
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if q, err = findPeriod(tx, id); err != nil {
			return err
		}
		if _, err := planInCycle(tx, q.PlanID); err != nil {
			return err
		}
		before := *q
		var what []string
		if upd.Due != nil {
			cal, err := loadCalendar(tx)
			if err != nil {
				return err
			}
			if upd.Due.Before(q.Start) {
				return duban.Errorf(duban.EINVALID, "截止日 %s 早于周期的开始日 %s。", upd.Due, q.Start)
			}
			q.Scheduled = *upd.Due
			q.Due, q.DueNote, q.DueNoteEN = cycle.DueOn(cal, *upd.Due)
			what = append(what, "截止日改为 "+q.Due.LabelYear())
		}
		if upd.State != nil && *upd.State != q.State {
			switch to := *upd.State; {
			case to == cycle.PeriodOpen && q.State == cycle.PeriodPending:
				q.OpenedAt = tx.Now()
				what = append(what, "开启")
			case to == cycle.PeriodClosed && q.State == cycle.PeriodOpen:
				q.ClosedAt = tx.Now()
				what = append(what, "关闭")
			case to == cycle.PeriodOpen && q.State == cycle.PeriodClosed:
				if len([]rune(upd.Reason)) < 2 || len([]rune(upd.Reason)) > 500 {
					return duban.Errorf(duban.EINVALID, "重新开启已关闭的周期请说明理由（2 到 500 字）。")
				}
				q.Reopened++
				what = append(what, "重新开启（"+upd.Reason+"）")
			default:
				return duban.Errorf(duban.ECONFLICT, "%s%s，不能%s。", q.Label, q.State.Label(), map[cycle.PeriodState]string{
					cycle.PeriodPending: "改回未开始", cycle.PeriodOpen: "开启", cycle.PeriodClosed: "关闭"}[to])
			}
			q.State = *upd.State
		}
		if len(what) == 0 {
			return nil
		}
		q.UpdatedAt = tx.Now()
		if _, err := tx.Exec(`UPDATE periods SET due = ?, scheduled = ?, due_note = ?, due_note_en = ?, state = ?, reopened = ?,
			opened_at = ?, closed_at = ?, updated_at = ? WHERE id = ?`, q.Due.String(), q.Scheduled.String(), q.DueNote, q.DueNoteEN,
			string(q.State), q.Reopened, tx.Time(q.OpenedAt), tx.Time(q.ClosedAt), tx.Time(q.UpdatedAt), q.ID); err != nil {
			return err
		}
		if _, err := recomputePlan(tx, q.PlanID); err != nil {
			return err
		}
		return tx.Record("period.update", "period", q.ID, q.PlanID, q.Label+"："+joinNames(what), &before, q)
	})
	return q, err
}

// FindCalendarOverrides returns the office's overrides, by date.
func (s *PeriodService) FindCalendarOverrides(ctx context.Context, f cycle.CalendarFilter) ([]*cycle.CalendarOverride, error) {
	if _, err := duban.Authorize(ctx, "查看节假日设置", duban.CanRead); err != nil {
		return nil, err
	}
	var out []*cycle.CalendarOverride
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = findOverrides(tx, f)
		return err
	})
	return out, err
}

func findOverrides(tx *Tx, f cycle.CalendarFilter) ([]*cycle.CalendarOverride, error) {
	var c condition
	if f.Year != nil {
		c.add("day >= ? AND day <= ?", fmt.Sprintf("%04d-01-01", *f.Year), fmt.Sprintf("%04d-12-31", *f.Year))
	}
	rows, err := tx.Query("SELECT day, workday, name, set_by, set_at FROM calendar_overrides"+c.where()+" ORDER BY day", c.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*cycle.CalendarOverride
	for rows.Next() {
		var o cycle.CalendarOverride
		if err := rows.Scan(sqldb.DateCol(&o.Date), &o.Workday, &o.Name, &o.By, sqldb.TimeCol(&o.At)); err != nil {
			return nil, err
		}
		out = append(out, &o)
	}
	return out, rows.Err()
}

// SetCalendarOverride adds or replaces the override of a day. Due dates of
// periods not yet closed move with it.
func (s *PeriodService) SetCalendarOverride(ctx context.Context, o *cycle.CalendarOverride) error {
	if _, err := duban.Authorize(ctx, "调整节假日", cycle.CanManageCalendar); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		o.By, o.At = tx.Actor(), tx.Now()
		if _, err := tx.Exec(`INSERT INTO calendar_overrides (day, workday, name, set_by, set_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (day) DO UPDATE SET workday = excluded.workday, name = excluded.name, set_by = excluded.set_by, set_at = excluded.set_at`,
			o.Date.String(), o.Workday, o.Name, o.By, tx.Time(o.At)); err != nil {
			return err
		}
		kind := "休息日"
		if o.Workday {
			kind = "工作日"
		}
		if err := redue(tx, o.Date.Year); err != nil {
			return err
		}
		return tx.Record("calendar.set", "calendar", int64(o.Date.Year), 0, fmt.Sprintf("将 %s 设为%s（%s）", o.Date.LabelYear(), kind, o.Name), nil, o)
	})
}

// DeleteCalendarOverride removes the override of a day.
func (s *PeriodService) DeleteCalendarOverride(ctx context.Context, d duban.Date) error {
	if _, err := duban.Authorize(ctx, "调整节假日", cycle.CanManageCalendar); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.Exec("DELETE FROM calendar_overrides WHERE day = ?", d.String())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return duban.Errorf(duban.ENOTFOUND, "%s 没有调整过。", d.LabelYear())
		}
		if err := redue(tx, d.Year); err != nil {
			return err
		}
		return tx.Record("calendar.delete", "calendar", int64(d.Year), 0, "取消对 "+d.LabelYear()+" 的调整", nil, nil)
	})
}

// redue moves the due dates of the periods not yet closed that fall in year
// onto the calendar's working days, and recomputes the lights of their
// plans, which a due date moved may change.
func redue(tx *Tx, year int) error {
	cal, err := loadCalendar(tx)
	if err != nil {
		return err
	}
	rows, err := tx.Query(`SELECT id, plan_id, scheduled, due FROM periods WHERE state <> 'closed' AND scheduled >= ? AND scheduled <= ?`,
		fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
	if err != nil {
		return err
	}
	type move struct {
		id, plan       int64
		scheduled, due duban.Date
	}
	var moves []move
	for rows.Next() {
		var m move
		if err := rows.Scan(&m.id, &m.plan, sqldb.DateCol(&m.scheduled), sqldb.DateCol(&m.due)); err != nil {
			rows.Close()
			return err
		}
		moves = append(moves, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	plans := map[int64]bool{}
	for _, m := range moves {
		due, note, noteEN := cycle.DueOn(cal, m.scheduled)
		if due == m.due {
			continue
		}
		if _, err := tx.Exec("UPDATE periods SET due = ?, due_note = ?, due_note_en = ?, updated_at = ? WHERE id = ?",
			due.String(), note, noteEN, tx.Time(tx.Now()), m.id); err != nil {
			return err
		}
		plans[m.plan] = true
	}
	for id := range plans {
		if _, err := recomputePlan(tx, id); err != nil {
			return err
		}
	}
	return nil
}
