package cycle

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// Workdays tells working days from days off: weekends, statutory holidays
// and the weekend days worked in exchange (调休). Package calendar implements
// it from the State Council's yearly notices and the office's overrides.
type Workdays interface {
	// IsWorkday reports whether offices work on d.
	IsWorkday(d duban.Date) bool
	// DayOff says why d is not a working day, as a sentence's predicate
	// reads it (法定节假日（国庆节）, 星期六), or "" for a working day.
	DayOff(d duban.Date) string
	// Known reports whether the calendar has the holidays of year; a year it
	// does not know is counted by weekends alone, which a page should say.
	Known(year int) bool
}

// NextWorkday returns d when it is a working day, and otherwise the first
// working day after it. A calendar that never works gives up after a year
// and returns d, rather than looping.
func NextWorkday(cal Workdays, d duban.Date) duban.Date {
	for i, e := 0, d; i < 366; i, e = i+1, e.AddDays(1) {
		if cal.IsWorkday(e) {
			return e
		}
	}
	return d
}

// CalendarOverride is the office's correction of one day of the calendar: a
// holiday of a year the binary does not know yet, or a local arrangement. It
// wins over the statutory table.
type CalendarOverride struct {
	Date    duban.Date `json:"date"`
	Workday bool       `json:"workday"`
	Name    string     `json:"name"` // 国庆节, 调休上班…
	// By and At say who set it and when.
	By string    `json:"by,omitempty"`
	At time.Time `json:"at,omitzero"`
}

// Validate checks an override before it is kept.
func (o *CalendarOverride) Validate() error {
	switch {
	case o.Date.IsZero() || o.Date.Year < 2000 || o.Date.Year > 2100:
		return duban.Errorf(duban.EINVALID, "请给出要调整的日期（2000 年至 2100 年之间）。")
	case strings.TrimSpace(o.Name) == "":
		return duban.Errorf(duban.EINVALID, "请说明 %s 调整的原因，如“国庆节”或“调休上班”。", o.Date.LabelYear())
	case utf8.RuneCountInString(o.Name) > 50:
		return duban.Errorf(duban.EINVALID, "调整原因过长（超过 50 字）。")
	}
	return nil
}

// ScheduleKind is how often a plan's units report.
type ScheduleKind string

// The reporting schedules.
const (
	ScheduleMonthly   ScheduleKind = "monthly"   // every month, due on DueDay
	ScheduleQuarterly ScheduleKind = "quarterly" // every quarter, due on DueDay of its last month (季末月)
	ScheduleCustom    ScheduleKind = "custom"    // on the dates the office lists
)

// Schedule is a plan's reporting schedule. Monthly on the 25th is the
// default; notices of this genre often ask for 季末月 20 日.
type Schedule struct {
	Kind ScheduleKind `json:"kind"`
	// DueDay is the day of the month reports are due (1–31; a month
	// shorter than it is due on its last day). Monthly and quarterly only.
	DueDay int `json:"due_day,omitempty"`
	// NextMonth puts the due date in the month after the period (a month's
	// report due on the 5th of the next), rather than in its last month.
	NextMonth bool `json:"next_month,omitempty"`
	// Dates are the due dates of a custom schedule, in order; each period
	// runs from the day after the one before (or the year's first day).
	Dates []duban.Date `json:"dates,omitempty"`
}

// DefaultSchedule is monthly, due on the 25th.
func DefaultSchedule() Schedule { return Schedule{Kind: ScheduleMonthly, DueDay: 25} }

// Validate checks a schedule against the plan's year.
func (s *Schedule) Validate(year int) error {
	switch s.Kind {
	case ScheduleMonthly, ScheduleQuarterly:
		if s.DueDay < 1 || s.DueDay > 31 {
			return duban.Errorf(duban.EINVALID, "报送日应为每月 1 日到 31 日之间的一天。")
		}
		if len(s.Dates) > 0 {
			return duban.Errorf(duban.EINVALID, "按月或按季度报送时不能另列报送日期。")
		}
	case ScheduleCustom:
		if len(s.Dates) == 0 || len(s.Dates) > 366 {
			return duban.Errorf(duban.EINVALID, "自定义报送时间需要列出 1 到 366 个报送日期。")
		}
		for i, d := range s.Dates {
			if d.Year != year && !(d.Year == year+1 && d.Month == time.January) {
				return duban.Errorf(duban.EINVALID, "报送日期 %s 不在文件的年度（%d 年）内。", d, year)
			}
			if i > 0 && !d.After(s.Dates[i-1]) {
				return duban.Errorf(duban.EINVALID, "报送日期应按先后排列且不重复：%s 不应排在 %s 之后。", d, s.Dates[i-1])
			}
		}
	default:
		return duban.Errorf(duban.EINVALID, "报送周期 %q 不正确：应为 monthly（每月）、quarterly（每季度）或 custom（自定义）。", s.Kind)
	}
	return nil
}

// Label describes the schedule in a few words: 每月 25 日前报送.
func (s *Schedule) Label() string {
	switch s.Kind {
	case ScheduleMonthly:
		if s.NextMonth {
			return fmt.Sprintf("每月报送，次月 %d 日前", s.DueDay)
		}
		return fmt.Sprintf("每月 %d 日前报送", s.DueDay)
	case ScheduleQuarterly:
		if s.NextMonth {
			return fmt.Sprintf("每季度报送，季后首月 %d 日前", s.DueDay)
		}
		return fmt.Sprintf("每季度末月 %d 日前报送", s.DueDay)
	}
	return fmt.Sprintf("按自定义的 %d 个日期报送", len(s.Dates))
}

// LabelEN is Label in English.
func (s *Schedule) LabelEN() string {
	switch s.Kind {
	case ScheduleMonthly:
		if s.NextMonth {
			return fmt.Sprintf("Monthly, due on day %d of the next month", s.DueDay)
		}
		return fmt.Sprintf("Monthly, due on day %d", s.DueDay)
	case ScheduleQuarterly:
		if s.NextMonth {
			return fmt.Sprintf("Quarterly, due on day %d of the month after the quarter", s.DueDay)
		}
		return fmt.Sprintf("Quarterly, due on day %d of the quarter's last month", s.DueDay)
	}
	return fmt.Sprintf("On %d dates set by the office", len(s.Dates))
}

// PeriodState is where a reporting period is: not yet open, open for
// reports, or closed (read-only until the office reopens it).
type PeriodState string

// The states of a period.
const (
	PeriodPending PeriodState = "pending"
	PeriodOpen    PeriodState = "open"
	PeriodClosed  PeriodState = "closed"
)

// Label is the state as users read it.
func (s PeriodState) Label() string {
	switch s {
	case PeriodPending:
		return "未开始"
	case PeriodOpen:
		return "填报中"
	case PeriodClosed:
		return "已关闭"
	}
	return string(s)
}

// Period is one round of reporting of a plan: what it covers, when reports
// are due, and whether it is open.
type Period struct {
	ID     int64 `json:"id"`
	PlanID int64 `json:"plan_id"`
	// Seq numbers the plan's periods from 1.
	Seq   int        `json:"seq"`
	Label string     `json:"label"` // 2022年7月, 2022年第三季度
	Start duban.Date `json:"start"`
	End   duban.Date `json:"end"`
	// Due is the working day reports are due; Scheduled the date the
	// schedule gave, which differs when it fell on a day off, and DueNote
	// says so (10月1日为法定节假日，顺延至10月8日).
	Due       duban.Date  `json:"due"`
	Scheduled duban.Date  `json:"scheduled"`
	DueNote   string      `json:"due_note,omitempty"`
	DueNoteEN string      `json:"due_note_en,omitempty"`
	State     PeriodState `json:"state"`
	// Reopened counts how often the office reopened it after closing.
	Reopened  int       `json:"reopened"`
	OpenedAt  time.Time `json:"opened_at,omitzero"`
	ClosedAt  time.Time `json:"closed_at,omitzero"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Contains reports whether d falls within the period.
func (p *Period) Contains(d duban.Date) bool { return !d.Before(p.Start) && !d.After(p.End) }

// DueOn returns the working day a due date falls on, and the sentence saying
// it moved (in Chinese and English), or "" when it did not.
func DueOn(cal Workdays, scheduled duban.Date) (due duban.Date, note, noteEN string) {
	due = NextWorkday(cal, scheduled)
	if due == scheduled {
		return due, "", ""
	}
	why := cal.DayOff(scheduled)
	whyEN := "a day off"
	if strings.HasPrefix(why, "法定节假日") {
		whyEN = "a public holiday"
	} else if strings.HasPrefix(why, "星期") {
		whyEN = "a " + scheduled.Weekday().String()
	}
	note = fmt.Sprintf("%s为%s，顺延至%s", scheduled.Label(), why, due.Label())
	noteEN = fmt.Sprintf("%s is %s; moved to %s", scheduled.LabelEN(), whyEN, due.LabelEN())
	return due, note, noteEN
}

// GeneratePeriods makes the periods of a plan's year from its schedule, each
// due on a working day of cal. The periods are pending; the office opens
// them.
func GeneratePeriods(year int, s Schedule, cal Workdays) ([]*Period, error) {
	if err := s.Validate(year); err != nil {
		return nil, err
	}
	var out []*Period
	add := func(label string, start, end, scheduled duban.Date) {
		p := &Period{Seq: len(out) + 1, Label: label, Start: start, End: end, Scheduled: scheduled, State: PeriodPending}
		p.Due, p.DueNote, p.DueNoteEN = DueOn(cal, scheduled)
		out = append(out, p)
	}
	dueIn := func(y int, m time.Month) duban.Date {
		last := duban.LastDayOf(y, m)
		return duban.NewDate(last.Year, last.Month, min(s.DueDay, last.Day))
	}
	switch s.Kind {
	case ScheduleMonthly:
		for m := time.January; m <= time.December; m++ {
			dm := m
			if s.NextMonth {
				dm++
			}
			add(fmt.Sprintf("%d年%d月", year, int(m)), duban.NewDate(year, m, 1), duban.LastDayOf(year, m), dueIn(year, dm))
		}
	case ScheduleQuarterly:
		for q := 1; q <= 4; q++ {
			last := time.Month(q * 3)
			dm := last
			if s.NextMonth {
				dm++
			}
			add(fmt.Sprintf("%d年第%s季度", year, []string{"一", "二", "三", "四"}[q-1]),
				duban.NewDate(year, last-2, 1), duban.LastDayOf(year, last), dueIn(year, dm))
		}
	case ScheduleCustom:
		start := duban.NewDate(year, time.January, 1)
		for i, d := range s.Dates {
			end := d
			if i == len(s.Dates)-1 && end.Before(duban.NewDate(year, time.December, 31)) {
				end = duban.NewDate(year, time.December, 31)
			}
			add(fmt.Sprintf("%d年第 %d 次（%s前）", year, i+1, d.Label()), start, end, d)
			start = end.AddDays(1)
		}
	}
	return out, nil
}

// Thresholds are a plan's rules for its status lights.
type Thresholds struct {
	// Lag and Severe are how many percentage points completion may fall
	// behind time elapsed (序时进度) before a task is 进度滞后 or 严重滞后.
	Lag    int `json:"lag"`
	Severe int `json:"severe"`
	// Grace is how many days after its due date a report missing makes a
	// task 未报送.
	Grace int `json:"grace"`
}

// DefaultThresholds: 10 points behind is lagging, 25 seriously; a report is
// missing the day after it was due.
func DefaultThresholds() Thresholds { return Thresholds{Lag: 10, Severe: 25, Grace: 0} }

// Validate checks thresholds.
func (t *Thresholds) Validate() error {
	switch {
	case t.Lag < 1 || t.Lag > 100 || t.Severe < 1 || t.Severe > 100:
		return duban.Errorf(duban.EINVALID, "滞后阈值应在 1 到 100 个百分点之间。")
	case t.Severe <= t.Lag:
		return duban.Errorf(duban.EINVALID, "严重滞后的阈值（%d）应大于进度滞后的阈值（%d）。", t.Severe, t.Lag)
	case t.Grace < 0 || t.Grace > 60:
		return duban.Errorf(duban.EINVALID, "逾期宽限应在 0 到 60 天之间。")
	}
	return nil
}

// CycleSettings are how a plan's year runs: its reporting schedule, the
// start of its time line (序时进度 is counted from it), the thresholds of its
// lights and the days its reminders go.
type CycleSettings struct {
	PlanID   int64    `json:"plan_id"`
	Schedule Schedule `json:"schedule"`
	// Start is the first day of the plan's time line, 1 January of its
	// year unless the office sets another.
	Start      duban.Date `json:"start"`
	Thresholds Thresholds `json:"thresholds"`
	// Reminders are the days, relative to a due date, on which units with a
	// report owed are reminded: -3 is three days before, 1 the day after.
	Reminders []int `json:"reminders"`
	// Calendar says whether the plan's year is in the holiday table; when
	// not, due dates move off weekends only, and a page should say so.
	CalendarKnown bool      `json:"calendar_known"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
}

// DefaultCycleSettings are the settings of a plan nobody has set: monthly on
// the 25th, from 1 January, reminded three days and one day before the due
// date and one, three and seven days after.
func DefaultCycleSettings(p *duban.Plan) *CycleSettings {
	return &CycleSettings{
		PlanID: p.ID, Schedule: DefaultSchedule(), Start: duban.NewDate(p.Year, time.January, 1),
		Thresholds: DefaultThresholds(), Reminders: []int{-3, -1, 1, 3, 7},
	}
}

// Validate checks the settings against the plan's year.
func (c *CycleSettings) Validate(year int) error {
	if err := c.Schedule.Validate(year); err != nil {
		return err
	}
	if err := c.Thresholds.Validate(); err != nil {
		return err
	}
	if c.Start.Year != year {
		return duban.Errorf(duban.EINVALID, "序时进度起算日 %s 应在文件的年度（%d 年）内。", c.Start, year)
	}
	if len(c.Reminders) > 10 {
		return duban.Errorf(duban.EINVALID, "提醒最多设置 10 次。")
	}
	for i, d := range c.Reminders {
		if d == 0 || d < -30 || d > 60 {
			return duban.Errorf(duban.EINVALID, "提醒日 %d 不正确：应为截止日前 1 到 30 天（写负数）或之后 1 到 60 天。", d)
		}
		if slices.Contains(c.Reminders[:i], d) {
			return duban.Errorf(duban.EINVALID, "提醒日 %d 重复。", d)
		}
	}
	return nil
}

// CycleSettingsUpdate changes a plan's settings. Nil fields are left as they
// are.
type CycleSettingsUpdate struct {
	Schedule   *Schedule   `json:"schedule,omitempty"`
	Start      *duban.Date `json:"start,omitempty"`
	Thresholds *Thresholds `json:"thresholds,omitempty"`
	Reminders  *[]int      `json:"reminders,omitempty"`
}

// Apply sets the given fields on c.
func (u CycleSettingsUpdate) Apply(c *CycleSettings) {
	if u.Schedule != nil {
		c.Schedule = *u.Schedule
	}
	if u.Start != nil {
		c.Start = *u.Start
	}
	if u.Thresholds != nil {
		c.Thresholds = *u.Thresholds
	}
	if u.Reminders != nil {
		c.Reminders = slices.Clone(*u.Reminders)
		slices.Sort(c.Reminders)
	}
}

// PeriodFilter selects periods, in order. Nil fields do not filter; Limit 0
// means no limit.
type PeriodFilter struct {
	ID     *int64
	PlanID *int64
	State  *PeriodState
	// Year selects the periods of the plans of a year.
	Year *int

	Offset int
	Limit  int
}

// PeriodUpdate opens, closes or reopens a period, or moves its due date.
// Reopening a closed period needs a reason, which the log keeps.
type PeriodUpdate struct {
	State  *PeriodState `json:"state,omitempty"`
	Reason string       `json:"reason,omitempty"`
	// Due moves the due date; it is moved again to a working day.
	Due *duban.Date `json:"due,omitempty"`
}

// CalendarFilter selects the office's overrides of a year.
type CalendarFilter struct {
	Year *int
}

// PeriodService keeps the reporting cycle's settings, periods and the
// office's calendar. Each method checks the permission of the user in ctx.
type PeriodService interface {
	// FindCycleSettings returns a plan's settings, the defaults when the
	// office has set none.
	FindCycleSettings(ctx context.Context, planID int64) (*CycleSettings, error)
	// UpdateCycleSettings changes a plan's settings. A new schedule
	// regenerates the periods not yet opened.
	UpdateCycleSettings(ctx context.Context, planID int64, upd CycleSettingsUpdate) (*CycleSettings, error)
	// CreatePeriods makes the periods of a published plan's year from its
	// schedule, once; they start pending.
	CreatePeriods(ctx context.Context, planID int64) ([]*Period, error)
	// FindPeriodByID returns one period.
	FindPeriodByID(ctx context.Context, id int64) (*Period, error)
	// FindPeriods returns periods in plan and time order, and how many match.
	FindPeriods(ctx context.Context, filter PeriodFilter) ([]*Period, int, error)
	// UpdatePeriod opens, closes or reopens a period or moves its due date.
	UpdatePeriod(ctx context.Context, id int64, upd PeriodUpdate) (*Period, error)

	// FindCalendarOverrides returns the office's overrides, by date.
	FindCalendarOverrides(ctx context.Context, filter CalendarFilter) ([]*CalendarOverride, error)
	// SetCalendarOverride adds or replaces the override of a day.
	SetCalendarOverride(ctx context.Context, o *CalendarOverride) error
	// DeleteCalendarOverride removes the override of a day.
	DeleteCalendarOverride(ctx context.Context, d duban.Date) error
}
