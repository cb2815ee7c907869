package reporting

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// periodRoutes are a plan's reporting cycle: its schedule and thresholds,
// its periods opened, closed and reopened, and the office's calendar of
// working days.
func (s *server) periodRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/plans/{plan}/cycle", Allow: duban.CanRead, Action: "查看填报周期", Handler: s.cycle},
		{Method: "POST", Pattern: "/plans/{plan}/cycle", Allow: cycle.CanManagePeriods, Action: "修改填报设置", Changes: true, Handler: s.updateCycle},
		{Method: "POST", Pattern: "/plans/{plan}/periods", Allow: cycle.CanManagePeriods, Action: "生成填报周期", Changes: true, Handler: s.createPeriods},
		{Method: "POST", Pattern: "/periods/{period}", Allow: cycle.CanManagePeriods, Action: "开启或关闭填报周期", Changes: true, Handler: s.updatePeriod},
		{Method: "GET", Pattern: "/calendar", Allow: duban.CanRead, Action: "查看节假日设置", Handler: s.calendar},
		{Method: "POST", Pattern: "/calendar", Allow: cycle.CanManageCalendar, Action: "调整节假日", Changes: true, Handler: s.setCalendarDay},
		{Method: "POST", Pattern: "/calendar/delete", Allow: cycle.CanManageCalendar, Action: "调整节假日", Changes: true, Handler: s.deleteCalendarDay},
	}
}

// cyclePage is a plan's reporting cycle: the schedule and thresholds, in a
// form for the office, and the periods with their due dates and states.
type cyclePage struct {
	web.Base
	Plan     *duban.Plan
	Settings *cycle.CycleSettings
	Periods  []*cycle.Period
	// CanManage shows the office's forms (CanManagePeriods).
	CanManage bool
	// Form is what the settings form shows: the settings, or what was typed
	// when they were refused with Error.
	Form  cycleForm
	Error string
}

func (*cyclePage) TemplateName() string { return "cycle.html" }

// cycleForm is the settings form's fields as typed.
type cycleForm struct {
	Kind      string
	DueDay    string
	NextMonth bool
	Dates     string
	Start     string
	Lag       string
	Severe    string
	Grace     string
	Reminders string
}

// settingsForm writes settings into the form's fields.
func settingsForm(c *cycle.CycleSettings) cycleForm {
	f := cycleForm{Kind: string(c.Schedule.Kind), DueDay: strconv.Itoa(c.Schedule.DueDay), NextMonth: c.Schedule.NextMonth,
		Start: c.Start.String(), Lag: strconv.Itoa(c.Thresholds.Lag), Severe: strconv.Itoa(c.Thresholds.Severe),
		Grace: strconv.Itoa(c.Thresholds.Grace)}
	if c.Schedule.DueDay == 0 {
		f.DueDay = "25"
	}
	dates := make([]string, len(c.Schedule.Dates))
	for i, d := range c.Schedule.Dates {
		dates[i] = d.String()
	}
	f.Dates = strings.Join(dates, "\n")
	days := make([]string, len(c.Reminders))
	for i, d := range c.Reminders {
		days[i] = strconv.Itoa(d)
	}
	f.Reminders = strings.Join(days, ", ")
	return f
}

// typedForm reads the settings form as typed, to show it again.
func typedForm(v url.Values) cycleForm {
	return cycleForm{Kind: v.Get("kind"), DueDay: v.Get("due_day"), NextMonth: v.Get("next_month") != "", Dates: v.Get("dates"),
		Start: v.Get("start"), Lag: v.Get("lag"), Severe: v.Get("severe"), Grace: v.Get("grace"), Reminders: v.Get("reminders")}
}

// Kinds are the schedules the form offers, with their names.
func (p *cyclePage) Kinds() [][2]string {
	return [][2]string{{string(cycle.ScheduleMonthly), p.T("每月")}, {string(cycle.ScheduleQuarterly), p.T("每季度")},
		{string(cycle.ScheduleCustom), p.T("自定义日期")}}
}

// ScheduleLabel says the plan's schedule in the page's language.
func (p *cyclePage) ScheduleLabel() string {
	if p.Tr.Lang() == "en" {
		return p.Settings.Schedule.LabelEN()
	}
	return p.Settings.Schedule.Label()
}

// Moved counts the periods whose due date moved off a day off.
func (p *cyclePage) Moved() int {
	n := 0
	for _, q := range p.Periods {
		if q.DueNote != "" {
			n++
		}
	}
	return n
}

// DueNote is a period's note on its due date in the page's language.
func (p *cyclePage) DueNote(q *cycle.Period) string {
	if p.Tr.Lang() == "en" {
		return q.DueNoteEN
	}
	return q.DueNote
}

// StateLabel is a period's state in the page's language.
func (p *cyclePage) StateLabel(q *cycle.Period) string { return p.T(q.State.Label()) }

func (s *server) cycle(w http.ResponseWriter, r *http.Request) error {
	return s.renderCycle(w, r, http.StatusOK, nil, "")
}

// renderCycle shows a plan's cycle; typed and refusal show the settings
// form again as it was sent, with why it was refused.
func (s *server) renderCycle(w http.ResponseWriter, r *http.Request, status int, typed url.Values, refusal string) error {
	ctx := r.Context()
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	p := &cyclePage{Error: refusal, CanManage: cycle.CanManagePeriods(duban.UserFromContext(ctx))}
	if p.Plan, err = s.svc.Plans.FindPlanByID(ctx, id); err != nil {
		return err
	}
	if p.Settings, err = s.svc.Periods.FindCycleSettings(ctx, id); err != nil {
		return err
	}
	if p.Periods, _, err = s.svc.Periods.FindPeriods(ctx, cycle.PeriodFilter{PlanID: &id}); err != nil {
		return err
	}
	p.Form = settingsForm(p.Settings)
	if typed != nil {
		p.Form = typedForm(typed)
	}
	p.Title = web.Lang(r).T("%d 年填报周期", p.Plan.Year)
	return s.RenderStatus(w, r, status, p)
}

// formInt reads a whole number typed in a form, naming the field when it
// is not one.
func formInt(v url.Values, name, label string) (int, error) {
	text := strings.TrimSpace(v.Get(name))
	n, err := strconv.Atoi(text)
	if err != nil {
		return 0, duban.Errorf(duban.EINVALID, "%s“%s”不正确：请填写整数。", label, text)
	}
	return n, nil
}

// splitDates reads dates typed one a line or separated by commas.
func splitDates(s string) ([]duban.Date, error) {
	var out []duban.Date
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；\n\r\t ", r) }) {
		d, err := duban.ParseDate(f)
		if err != nil {
			return nil, duban.Errorf(duban.EINVALID, "报送日期“%s”不正确：请按 2022-07-25 的格式填写，每行一个。", f)
		}
		out = append(out, d)
	}
	return out, nil
}

// readCycleForm reads the settings form into an update.
func readCycleForm(v url.Values) (cycle.CycleSettingsUpdate, error) {
	var upd cycle.CycleSettingsUpdate
	sch := cycle.Schedule{Kind: cycle.ScheduleKind(v.Get("kind"))}
	if sch.Kind == cycle.ScheduleCustom {
		dates, err := splitDates(v.Get("dates"))
		if err != nil {
			return upd, err
		}
		sch.Dates = dates
	} else {
		n, err := formInt(v, "due_day", "报送日")
		if err != nil {
			return upd, err
		}
		sch.DueDay, sch.NextMonth = n, v.Get("next_month") != ""
	}
	upd.Schedule = &sch
	start, err := duban.ParseDate(strings.TrimSpace(v.Get("start")))
	if err != nil {
		return upd, duban.Errorf(duban.EINVALID, "起始日“%s”不正确：请按 2022-01-01 的格式填写。", v.Get("start"))
	}
	upd.Start = &start
	var th cycle.Thresholds
	for _, f := range []struct {
		name, label string
		dst         *int
	}{{"lag", "进度滞后阈值", &th.Lag}, {"severe", "严重滞后阈值", &th.Severe}, {"grace", "逾期宽限天数", &th.Grace}} {
		if *f.dst, err = formInt(v, f.name, f.label); err != nil {
			return upd, err
		}
	}
	upd.Thresholds = &th
	days := []int{}
	for _, f := range strings.FieldsFunc(v.Get("reminders"), func(r rune) bool { return strings.ContainsRune("、，,;； \t", r) }) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return upd, duban.Errorf(duban.EINVALID, "提醒日“%s”不正确：请填写整数，如 -3 表示截止前 3 天，1 表示截止后 1 天。", f)
		}
		days = append(days, n)
	}
	upd.Reminders = &days
	return upd, nil
}

// updateCycle changes a plan's schedule, start and thresholds; a refusal
// shows the form again as typed.
func (s *server) updateCycle(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	upd, err := readCycleForm(r.PostForm)
	if err == nil {
		_, err = s.svc.Periods.UpdateCycleSettings(r.Context(), id, upd)
	}
	if page.FormError(err) {
		return s.renderCycle(w, r, web.ErrorStatus(err), r.PostForm, duban.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	return s.Redirect(w, r, cyclePath(id), web.Lang(r).T("填报设置已保存；尚未开始的周期已按新设置重新生成。"))
}

// cyclePath is the address of a plan's cycle.
func cyclePath(planID int64) string { return "/plans/" + strconv.FormatInt(planID, 10) + "/cycle" }

// createPeriods makes a published plan's periods from its schedule.
func (s *server) createPeriods(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	ps, err := s.svc.Periods.CreatePeriods(r.Context(), id)
	if err != nil {
		return err
	}
	return s.Redirect(w, r, cyclePath(id), web.Lang(r).T("已生成 %d 个填报周期。", len(ps)))
}

// updatePeriod opens, closes or reopens a period, or moves its due date.
func (s *server) updatePeriod(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "period")
	if err != nil {
		return err
	}
	tr := web.Lang(r)
	f := r.PostForm
	upd := cycle.PeriodUpdate{Reason: strings.TrimSpace(f.Get("reason"))}
	if v := f.Get("state"); v != "" {
		st := cycle.PeriodState(v)
		upd.State = &st
	}
	if v := strings.TrimSpace(f.Get("due")); v != "" {
		d, err := duban.ParseDate(v)
		if err != nil {
			return duban.Errorf(duban.EINVALID, "截止日“%s”不正确：请按 2022-07-25 的格式填写。", v)
		}
		upd.Due = &d
	}
	if upd.State == nil && upd.Due == nil {
		return duban.Errorf(duban.EINVALID, "请选择开启、关闭或重新开启，或填写新的截止日。")
	}
	q, err := s.svc.Periods.UpdatePeriod(r.Context(), id, upd)
	if err != nil {
		return err
	}
	msg := tr.T("%s：%s。", q.Label, tr.T(q.State.Label()))
	if q.DueNote != "" {
		msg += " " + q.DueNote
	}
	return s.Redirect(w, r, cyclePath(q.PlanID), msg)
}

// calendarPage is the office's calendar of a year: the holidays and make-up
// working days the binary knows from the State Council's notice, the
// office's own overrides, and a warning when the year is not known.
type calendarPage struct {
	web.Base
	Year  int
	Years []int
	// Builtin says the binary has the year's notice; Statutory are its days.
	Builtin   bool
	Source    string
	Statutory []calendar.Day
	Overrides []*cycle.CalendarOverride
	// CanManage shows the office's forms (CanManageCalendar).
	CanManage bool
}

func (*calendarPage) TemplateName() string { return "calendar.html" }

// Known reports whether due dates in the year avoid its holidays: the
// binary has its notice, or the office entered days of it.
func (p *calendarPage) Known() bool { return p.Builtin || len(p.Overrides) > 0 }

// Weekday names a day's weekday in the page's language.
func (p *calendarPage) Weekday(d duban.Date) string {
	if p.Tr.Lang() == "en" {
		return d.Weekday().String()[:3]
	}
	return duban.WeekdayLabel(d.Weekday())
}

// calendar shows a year's working days and the office's overrides.
func (s *server) calendar(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := &calendarPage{CanManage: cycle.CanManageCalendar(duban.UserFromContext(ctx))}
	years, err := calendar.Statutory()
	if err != nil {
		return err
	}
	// The years offered: those the binary knows, the plans', and the year
	// after each, which a new plan may need before its notice is out.
	ch, err := s.Choices(r)
	if err != nil {
		return err
	}
	for year := range years {
		p.Years = append(p.Years, year)
		p.Year = max(p.Year, year)
	}
	if len(ch.Years) > 0 {
		p.Year = ch.Years[0] // the newest plan's
	}
	y, err := web.QueryInt(r.URL.Query(), "year")
	if err != nil {
		return err
	}
	if y != nil {
		if *y < 2000 || *y > 2100 {
			return duban.Errorf(duban.EINVALID, "年份 %d 不正确：应在 2000 年到 2100 年之间。", *y)
		}
		p.Year = int(*y)
	}
	for _, year := range append(slices.Clone(ch.Years), p.Year) {
		for _, extra := range []int{year, year + 1} {
			if !slices.Contains(p.Years, extra) {
				p.Years = append(p.Years, extra)
			}
		}
	}
	slices.Sort(p.Years)
	if known := years[p.Year]; known != nil {
		p.Builtin, p.Source, p.Statutory = true, known.Source, known.Days
	}
	if p.Overrides, err = s.svc.Periods.FindCalendarOverrides(ctx, cycle.CalendarFilter{Year: &p.Year}); err != nil {
		return err
	}
	p.Title = web.Lang(r).T("%d 年节假日", p.Year)
	return s.Render(w, r, p)
}

// calendarPath is the address of a year's calendar.
func calendarPath(year int) string { return "/calendar?year=" + strconv.Itoa(year) }

// setCalendarDay adds or replaces the office's override of a day.
func (s *server) setCalendarDay(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	d, err := duban.ParseDate(strings.TrimSpace(f.Get("date")))
	if err != nil {
		return duban.Errorf(duban.EINVALID, "日期“%s”不正确：请按 2028-10-01 的格式填写。", f.Get("date"))
	}
	o := &cycle.CalendarOverride{Date: d, Workday: f.Get("workday") == "yes", Name: strings.TrimSpace(f.Get("name"))}
	if err := s.svc.Periods.SetCalendarOverride(r.Context(), o); err != nil {
		return err
	}
	tr := web.Lang(r)
	kind := tr.T("休息日")
	if o.Workday {
		kind = tr.T("工作日")
	}
	return s.Redirect(w, r, calendarPath(d.Year), tr.T("已将 %s 设为%s（%s）；未关闭的填报周期的截止日已随之调整。", d.String(), kind, o.Name))
}

// deleteCalendarDay removes the office's override of a day.
func (s *server) deleteCalendarDay(w http.ResponseWriter, r *http.Request) error {
	d, err := duban.ParseDate(strings.TrimSpace(r.PostForm.Get("date")))
	if err != nil {
		return duban.Errorf(duban.EINVALID, "日期“%s”不正确：请从节假日页面上操作。", r.PostForm.Get("date"))
	}
	if err := s.svc.Periods.DeleteCalendarOverride(r.Context(), d); err != nil {
		return err
	}
	return s.Redirect(w, r, calendarPath(d.Year), web.Lang(r).T("已取消对 %s 的调整。", d.String()))
}
