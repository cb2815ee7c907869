package demo

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/jobs"
)

// Cycle are the reporting cycle's services the demonstration's year goes
// through.
type Cycle struct {
	Periods       cycle.PeriodService
	Reports       cycle.ReportService
	Lights        cycle.LightService
	Reminders     cycle.ReminderService
	Supervisions  cycle.SupervisionService
	Notifications cycle.NotificationService
}

// AsOf is the moment the demonstration's year stops at: four days after
// August's reports were due, so that the lights show every colour, some
// units are late, reports wait for the office and a 督办单 waits for its
// unit.
var AsOf = time.Date(2022, time.August, 29, 10, 0, 0, 0, duban.Beijing)

// PublishedAt is when the sample notice was issued and the demonstration
// publishes it.
var PublishedAt = time.Date(2022, time.April, 22, 10, 0, 0, 0, duban.Beijing)

// YearResult says what Year made.
type YearResult struct {
	// Periods counts the periods opened, Closed those closed again.
	Periods, Closed int
	// Reports counts the reports handed in, Waiting those the office has
	// not reviewed yet.
	Reports, Waiting int
	// Lights counts the tasks' latest lights by colour.
	Lights map[cycle.LightStatus]int
	// Supervision is the notice left open for its unit to answer.
	Supervision *cycle.Supervision
	Urges       int
	Took        time.Duration
}

// profile is how a task's year goes in the demonstration.
type profile int

const (
	onTrack    profile = iota // reports as time asks
	behind                    // 15 points behind
	farBehind                 // 35 points behind
	notStarted                // reports nothing done
	missing                   // does not report in August
	done                      // reports everything done, targets met
	closed                    // closed by the office in August
)

// featured are the tasks reported from May, for their trends; the others
// report from July, when reporting settled in.
var featured = []string{"0.0.1", "0.0.4", "1.1.1", "2.1.3", "3.1.1", "4.1.1", "5.1.1", "6.1.1"}

// Year walks the published sample plan through its reporting year up to
// AsOf, as the office and each unit's clerk would, moving the store's
// clock with setNow: periods opened from May (the notice came out in
// April) and closed at each month's end, reports handed in and accepted,
// some late or missing or behind, one returned, a task closed as done,
// reminders sent by the server's jobs, urges, and a 督办单 to unitName's
// unit left open. ctx carries the office.
func Year(ctx context.Context, plan *duban.Plan, s Services, c Cycle, setNow func(time.Time), unitName string) (*YearResult, error) {
	start := time.Now()
	res := &YearResult{Lights: map[cycle.LightStatus]int{}}
	at := func(month time.Month, day, hour int) time.Time {
		return time.Date(plan.Year, month, day, hour, 0, 0, 0, duban.Beijing)
	}
	// move moves the store's clock and the jobs' alike.
	var current time.Time
	move := func(t time.Time) { current = t; setNow(t) }
	move(at(time.April, 25, 9))
	periods, err := c.Periods.CreatePeriods(ctx, plan.ID)
	if err != nil {
		return nil, err
	}
	tasks, _, err := s.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &plan.ID})
	if err != nil {
		return nil, err
	}
	units, _, err := s.Units.FindUnits(ctx, duban.UnitFilter{PlanID: &plan.ID})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	var target int64
	for _, u := range units {
		names[u.ID] = u.Name
		if u.Name == unitName {
			target = u.ID
		}
	}
	groups, err := s.Units.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	profiles := assignProfiles(tasks, target, groups)
	clerk := func(unit int64) context.Context {
		return duban.NewContextWithUser(ctx, &duban.User{Name: "demo", DisplayName: names[unit] + "联络员", Role: duban.RoleClerk, UnitID: unit})
	}
	runner := jobs.New(jobs.Services{Plans: s.Plans, Reminders: c.Reminders, Lights: c.Lights},
		jobs.Options{Now: func() time.Time { return current }, Logger: slog.New(slog.DiscardHandler)})
	// round runs the server's jobs at a moment, as a server would.
	round := func(t time.Time) error {
		move(t)
		_, err := runner.RunOnce(ctx)
		return err
	}
	reported := map[int64]bool{} // tasks with a report handed in
	report := func(p *cycle.Period, t *duban.Task, completion int, actuals []cycle.Actual, accept bool) (*cycle.Report, error) {
		composer, _ := cycle.ReportingUnits(t, groups)
		r := &cycle.Report{PeriodID: p.ID, TaskID: t.ID, UnitID: composer, Kind: cycle.ReportTask, State: cycle.ReportSubmitted,
			Completion: completion, Actuals: actuals, Progress: progressText(t, completion),
			NextSteps: "继续按计划推进，确保按期完成。"}
		if completion < 100 && completion > 0 {
			r.Problems = "部分工作受项目审批进度影响，正在协调推进。"
		}
		if err := c.Reports.CreateReport(clerk(composer), r); err != nil {
			return nil, fmt.Errorf("demo: task %s's report for %s: %w", t.No, p.Label, err)
		}
		res.Reports++
		reported[t.ID] = true
		if accept {
			var err error
			if r, err = c.Reports.UpdateReport(ctx, r.ID, cycle.ReportUpdate{State: new(cycle.ReportAccepted), Version: r.Version}); err != nil {
				return nil, err
			}
		} else {
			res.Waiting++
		}
		return r, nil
	}

	for _, p := range periods {
		month := p.Start.Month
		if month < time.May || month > time.August {
			continue
		}
		move(at(month, 1, 9))
		if _, err := c.Periods.UpdatePeriod(ctx, p.ID, cycle.PeriodUpdate{State: new(cycle.PeriodOpen)}); err != nil {
			return nil, err
		}
		res.Periods++
		for i, t := range tasks {
			composer, _ := cycle.ReportingUnits(t, groups)
			if composer == 0 || t.State != duban.TaskActive {
				continue
			}
			pr := profiles[t.ID]
			if month < time.July && !slices.Contains(featured, t.No) {
				continue
			}
			// The units report in the week before the due date, before
			// the first reminder.
			when := at(month, p.Due.AddDays(-6+i%3).Day, 9+i%8)
			move(when)
			expected := expectedBy(t, plan.Year, duban.Today(when))
			completion, accept := expected, true
			var actuals []cycle.Actual
			switch pr {
			case behind:
				completion = expected - 15
			case farBehind:
				completion = expected - 35
			case notStarted:
				completion = 0
			case done, closed:
				if month >= time.July {
					completion = 100
				}
			}
			if month == time.August {
				switch {
				case pr == missing || pr == closed:
					continue
				case pr == onTrack && i%4 == 1:
					accept = false // waiting for the office
				}
			}
			completion = max(0, min(100, completion))
			if completion == 100 && month == time.August {
				// Everything done: the targets' actuals say they were met.
				actuals = meetingActuals(t)
			}
			r, err := report(p, t, completion, actuals, accept && !(month == time.August && i%9 == 4))
			if err != nil {
				return nil, err
			}
			if month == time.August && i%9 == 4 && pr == onTrack {
				// Returned: the office wants the figures' source.
				move(when.Add(26 * time.Hour))
				if _, err := c.Reports.UpdateReport(ctx, r.ID, cycle.ReportUpdate{State: new(cycle.ReportReturned),
					ReturnReason: new("请补充数据来源和佐证材料后重新报送。"), Version: r.Version}); err != nil {
					return nil, err
				}
				res.Waiting--
			}
		}
		if err := round(at(month, p.Due.AddDays(-3).Day, 9)); err != nil {
			return nil, err
		}
		if month == time.August {
			break
		}
		if err := round(at(month, p.Due.AddDays(1).Day, 9)); err != nil {
			return nil, err
		}
		move(at(month, p.End.Day, 17))
		if _, err := c.Periods.UpdatePeriod(ctx, p.ID, cycle.PeriodUpdate{State: new(cycle.PeriodClosed)}); err != nil {
			return nil, err
		}
		res.Closed++
		// Everyone has read what the month brought.
		if _, err := c.Notifications.MarkNotificationsRead(ctx); err != nil {
			return nil, err
		}
		if target != 0 {
			if _, err := c.Notifications.MarkNotificationsRead(clerk(target)); err != nil {
				return nil, err
			}
		}
	}

	// August: a task closed as done; after the due date, reminders, urges
	// and a 督办单.
	for _, t := range tasks {
		if profiles[t.ID] != closed {
			continue
		}
		composer, _ := cycle.ReportingUnits(t, groups)
		move(at(time.August, 10, 10))
		cl := &cycle.Closure{TaskID: t.ID, Note: "任务已全面完成，相关材料已归档。"}
		if err := c.Reports.CreateClosure(clerk(composer), cl); err != nil {
			return nil, fmt.Errorf("demo: closing task %s: %w", t.No, err)
		}
		move(at(time.August, 12, 15))
		if _, err := c.Reports.UpdateClosure(ctx, cl.ID, cycle.ClosureUpdate{State: new(cycle.ClosureClosed)}); err != nil {
			return nil, err
		}
	}
	aug := periods[7]
	for _, day := range []int{1, 3} {
		if err := round(at(time.August, aug.Due.AddDays(day).Day, 9)); err != nil {
			return nil, err
		}
	}
	move(at(time.August, aug.Due.AddDays(1).Day, 15))
	owed, err := c.Reminders.FindObligations(ctx, cycle.ObligationFilter{PeriodID: &aug.ID, Open: true})
	if err != nil {
		return nil, err
	}
	urged := map[int64]bool{}
	for _, o := range owed {
		if urged[o.UnitID] || len(urged) == 3 {
			continue
		}
		urged[o.UnitID] = true
		if err := c.Reminders.CreateUrge(ctx, &cycle.Urge{TaskID: o.TaskID, UnitID: o.UnitID, PeriodID: aug.ID,
			Message: "8月进展情况已逾期未报，请于今日内报送。"}); err != nil {
			return nil, err
		}
		res.Urges++
	}
	for _, t := range tasks {
		if composer, _ := cycle.ReportingUnits(t, groups); composer != target || profiles[t.ID] != farBehind {
			continue
		}
		res.Supervision = &cycle.Supervision{TaskIDs: []int64{t.ID}, Reason: fmt.Sprintf("任务 %s 进度严重滞后，8月报告显示完成进度明显低于序时进度。", t.No),
			Requirement: "请认真分析滞后原因，提出整改措施和时间表，于反馈时限前书面反馈，并附佐证材料。", Due: duban.Today(AsOf).AddDays(5)}
		if err := c.Supervisions.CreateSupervision(ctx, res.Supervision); err != nil {
			return nil, err
		}
		break
	}
	if target != 0 && res.Supervision == nil {
		return nil, fmt.Errorf("demo: no task of %s to issue a 督办单 on", unitName)
	}
	if err := round(AsOf); err != nil {
		return nil, err
	}
	lights, _, err := c.Lights.FindLights(ctx, cycle.LightFilter{PlanID: &plan.ID, Latest: true})
	if err != nil {
		return nil, err
	}
	for _, l := range lights {
		res.Lights[l.Status]++
	}
	res.Took = time.Since(start)
	return res, nil
}

// assignProfiles gives each task its year: most on track, some behind,
// far behind, not started or missing August's report; two tasks without
// targets done and closed; target's first task far behind, for its 督办单.
func assignProfiles(tasks []*duban.Task, target int64, groups duban.Groups) map[int64]profile {
	out := map[int64]profile{}
	var plain []*duban.Task // tasks without targets, for done and closed
	supervised := false
	for i, t := range tasks {
		composer, _ := cycle.ReportingUnits(t, groups)
		switch {
		case composer == target && !supervised && len(t.Indicators) == 0:
			out[t.ID], supervised = farBehind, true
			continue
		case i%11 == 3:
			out[t.ID] = behind
		case i%11 == 5:
			out[t.ID] = farBehind
		case i%11 == 7:
			out[t.ID] = missing
		case i%11 == 9:
			out[t.ID] = notStarted
		default:
			out[t.ID] = onTrack
			if len(t.Indicators) == 0 && !slices.Contains(featured, t.No) {
				plain = append(plain, t)
			}
		}
	}
	if len(plain) >= 2 {
		out[plain[0].ID], out[plain[len(plain)/2].ID] = done, closed
	}
	return out
}

// expectedBy is how much of a task time elapsed asks for on a day (序时进度),
// in whole percent, from the plan's first day to its deadline.
func expectedBy(t *duban.Task, year int, day duban.Date) int {
	d := duban.ParseDeadline(t.Deadline, year)
	return int(math.Round(cycle.Expected(duban.NewDate(year, time.January, 1), d.End(year), day, d.Milestones)))
}

// meetingActuals are actuals that meet each of a task's targets, as a unit
// that has done everything would type them.
func meetingActuals(t *duban.Task) []cycle.Actual {
	var out []cycle.Actual
	for i, in := range t.Indicators {
		v := in.Value
		switch in.Cmp {
		case duban.CmpMore:
			v += math.Max(1, math.Abs(v)*0.05)
		case duban.CmpRange:
			if in.Upper != nil {
				v = *in.Upper
			}
		}
		out = append(out, cycle.Actual{Indicator: i, Text: strconv.FormatFloat(v, 'f', -1, 64) + in.Unit})
	}
	return out
}

// progressText is a report's 进展情况 in the words units use.
func progressText(t *duban.Task, completion int) string {
	switch {
	case completion == 0:
		return "前期调研和方案制定中，尚未形成实质性进展。"
	case completion >= 100:
		return "各项工作已全部完成，达到预期目标。"
	}
	return fmt.Sprintf("按照任务分工扎实推进，累计完成 %d%%，各项工作有序开展。", completion)
}
