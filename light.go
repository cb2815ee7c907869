package duban

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// LightStatus is a task's status light in a period.
type LightStatus string

// The lights, from the best news to the worst.
const (
	LightClosed     LightStatus = "closed"      // 已办结: the office closed it
	LightDone       LightStatus = "done"        // 已完成: 100% reported and every target met
	LightNormal     LightStatus = "normal"      // 正常推进
	LightLagging    LightStatus = "lagging"     // 进度滞后
	LightSevere     LightStatus = "severe"      // 严重滞后
	LightMissing    LightStatus = "missing"     // 未报送: the period's report is overdue
	LightNotStarted LightStatus = "not_started" // 未启动: nothing done reported
)

// LightStatuses lists the lights in order, for legends and filters.
var LightStatuses = []LightStatus{LightClosed, LightDone, LightNormal, LightLagging, LightSevere, LightMissing, LightNotStarted}

// Valid reports whether s is one of the lights.
func (s LightStatus) Valid() bool {
	for _, x := range LightStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// Label is the light as users read it.
func (s LightStatus) Label() string {
	switch s {
	case LightClosed:
		return "已办结"
	case LightDone:
		return "已完成"
	case LightNormal:
		return "正常推进"
	case LightLagging:
		return "进度滞后"
	case LightSevere:
		return "严重滞后"
	case LightMissing:
		return "未报送"
	case LightNotStarted:
		return "未启动"
	}
	return string(s)
}

// LabelEN is the light in English.
func (s LightStatus) LabelEN() string {
	switch s {
	case LightClosed:
		return "Closed"
	case LightDone:
		return "Done"
	case LightNormal:
		return "On track"
	case LightLagging:
		return "Behind"
	case LightSevere:
		return "Seriously behind"
	case LightMissing:
		return "Not reported"
	case LightNotStarted:
		return "Not started"
	}
	return string(s)
}

// Light is a task's status in a period, with the one sentence that says why,
// in Chinese and in English.
type Light struct {
	PlanID   int64       `json:"plan_id"`
	PeriodID int64       `json:"period_id"`
	TaskID   int64       `json:"task_id"`
	Status   LightStatus `json:"status"`
	Reason   string      `json:"reason"`
	ReasonEN string      `json:"reason_en"`
	// Completion is the completion reported (-1 when none was), Expected
	// the completion time elapsed asks for (序时进度), both in percent.
	Completion int       `json:"completion"`
	Expected   int       `json:"expected"`
	AsOf       Date      `json:"as_of"`
	ComputedAt time.Time `json:"computed_at,omitzero"`
}

// LightInput is what a task's light is computed from.
type LightInput struct {
	Year       int
	Start      Date // the plan's time line starts here
	AsOf       Date // the light's day: the period's end, or today if earlier
	Today      Date // the day against which a report is overdue
	Thresholds Thresholds
	Deadline   Deadline

	// Reported is set when a report of the task was handed in (in this
	// period or before); Completion is the latest one's.
	Reported   bool
	Completion int
	// Owed is set when this period's report is due and not handed in;
	// Returned when it was handed in and returned. Period names the period
	// and Due its due date.
	Owed     bool
	Returned bool
	Period   string
	Due      Date

	Targets []TargetProgress
	// Closed is the day the office closed the task, if it did.
	Closed Date
}

// Expected returns the completion that time elapsed asks for on day d, in
// percent: linear from the start to the deadline, or, for a deadline in
// dated steps, each step's share reached by its date and linear between.
func Expected(start, end, d Date, steps []Milestone) float64 {
	if len(steps) < 2 {
		return linear(start, end, d) * 100
	}
	prev := start
	for i, m := range steps {
		if !d.After(m.Date) {
			return (float64(i) + linear(prev, m.Date, d)) / float64(len(steps)) * 100
		}
		prev = m.Date.AddDays(1)
	}
	return 100
}

// linear is the share of the days from start to end (both counted) that
// have passed by the end of d.
func linear(start, end, d Date) float64 {
	switch {
	case d.Before(start):
		return 0
	case !d.Before(end):
		return 1
	}
	return float64(d.DaysSince(start)+1) / float64(end.DaysSince(start)+1)
}

// ComputeLight computes a task's light and its reason. It is a pure
// function of its input, so that the same data always give the same light
// and a page, an export and a test agree.
func ComputeLight(in *LightInput) Light {
	l := Light{AsOf: in.AsOf, Completion: -1}
	if in.Reported {
		l.Completion = in.Completion
	}
	end := in.Deadline.End(in.Year)
	steps := in.Deadline.Milestones
	l.Expected = int(math.Round(Expected(in.Start, end, in.AsOf, steps)))
	asOf, asOfEN := in.AsOf.Label(), in.AsOf.LabelEN()
	expected := func() (string, string) {
		if len(steps) >= 2 {
			step := steps[len(steps)-1]
			for _, m := range steps {
				if !in.AsOf.After(m.Date) {
					step = m
					break
				}
			}
			return fmt.Sprintf("按节点（%s）应达 %d%%（截至 %s）", step.Text, l.Expected, asOf),
				fmt.Sprintf("%d%% expected by %s (step: %s)", l.Expected, asOfEN, step.Text)
		}
		return fmt.Sprintf("按序时应达 %d%%（截至 %s）", l.Expected, asOf), fmt.Sprintf("%d%% expected by %s", l.Expected, asOfEN)
	}
	set := func(s LightStatus, zh, en string) Light {
		l.Status, l.Reason, l.ReasonEN = s, zh, en
		switch in.Deadline.Kind {
		case DeadlineUnread:
			l.Reason += fmt.Sprintf("（完成时限“%s”未能识别，按年底计）", in.Deadline.Text)
			l.ReasonEN += fmt.Sprintf(" (deadline “%s” not understood; year end assumed)", in.Deadline.Text)
		case DeadlineOngoing:
			l.Reason += "（长期任务，按年度计）"
			l.ReasonEN += " (ongoing task; counted over the year)"
		}
		return l
	}

	if !in.Closed.IsZero() && !in.Closed.After(in.AsOf) {
		l.Status = LightClosed
		l.Reason, l.ReasonEN = fmt.Sprintf("已于 %s 办结", in.Closed.LabelYear()), fmt.Sprintf("Closed on %s %d", in.Closed.LabelEN(), in.Closed.Year)
		return l
	}
	if in.Owed && in.Today.After(in.Due.AddDays(in.Thresholds.Grace)) {
		late := in.Today.DaysSince(in.Due)
		if in.Returned {
			return set(LightMissing, fmt.Sprintf("%s的报告被退回后尚未重新报送（应于 %s 前报送，已逾期 %d 天）", in.Period, in.Due.Label(), late),
				fmt.Sprintf("The report for %s was returned and not resubmitted (due %s; %d days overdue)", in.Period, in.Due.LabelEN(), late))
		}
		return set(LightMissing, fmt.Sprintf("%s的报告应于 %s 前报送，已逾期 %d 天", in.Period, in.Due.Label(), late),
			fmt.Sprintf("The report for %s was due on %s; %d days overdue", in.Period, in.Due.LabelEN(), late))
	}
	if !in.Reported {
		return set(LightNotStarted, "尚未报送进展", "No progress reported yet")
	}

	// The worst of completion and targets against time elapsed.
	zh, en := expected()
	gap := float64(l.Expected - in.Completion)
	reason := fmt.Sprintf("完成 %d%%，%s", in.Completion, zh)
	reasonEN := fmt.Sprintf("%d%% done; %s", in.Completion, en)
	allMet := true
	for _, t := range in.Targets {
		if !t.Reported {
			allMet = false
			continue
		}
		allMet = allMet && t.Met
		if t.Met {
			continue
		}
		tgap := float64(l.Expected) - t.Ratio*100
		if !t.Additive {
			// A rate, a share or a ceiling is not reached month by month:
			// it is behind by how far it falls short.
			tgap = (1 - t.Ratio) * 100
		}
		if tgap > gap {
			gap = tgap
			reason = fmt.Sprintf("目标“%s”完成 %d%%，%s", t.Metric, int(math.Round(t.Ratio*100)), zh)
			reasonEN = fmt.Sprintf("target “%s” %d%% reached; %s", t.Metric, int(math.Round(t.Ratio*100)), en)
		}
	}
	switch {
	case in.Completion >= 100 && allMet:
		if len(in.Targets) > 0 {
			return set(LightDone, "完成 100%，目标均已达成", "100% done; every target met")
		}
		return set(LightDone, "完成 100%", "100% done")
	case in.Completion == 0:
		return set(LightNotStarted, reason, reasonEN)
	case in.AsOf.After(end) && (in.Completion < 100 || !allMet):
		return set(LightSevere, fmt.Sprintf("已过完成时限（%s），完成 %d%%", end.Label(), in.Completion),
			fmt.Sprintf("past its deadline (%s); %d%% done", end.LabelEN(), in.Completion))
	case gap >= float64(in.Thresholds.Severe):
		return set(LightSevere, reason, reasonEN)
	case gap >= float64(in.Thresholds.Lag):
		return set(LightLagging, reason, reasonEN)
	}
	return set(LightNormal, reason, reasonEN)
}

// TaskLight computes a task's light in period p from what is loaded of it:
// the plan's settings and year, the plan's periods in order, the task's
// reports (its task reports, any period) and the day the office closed it.
func TaskLight(t *Task, dl Deadline, c *CycleSettings, year int, p *Period, periods []*Period, reports []*Report, closed Date, today Date) Light {
	in := LightInput{
		Year: year, Start: c.Start, Thresholds: c.Thresholds, Deadline: dl, Closed: closed,
		Period: p.Label, Due: p.Due, Owed: true,
	}
	// A period's light is as of its end (or its due date, when reports are
	// due after it), or today while it runs: a past period's light, kept
	// for trends, says what was true then and no longer changes.
	in.AsOf = p.End
	if p.Due.After(in.AsOf) {
		in.AsOf = p.Due
	}
	if today.Before(in.AsOf) {
		in.AsOf = today
	}
	in.Today = in.AsOf
	seq := make(map[int64]int, len(periods))
	for _, q := range periods {
		seq[q.ID] = q.Seq
	}
	// The latest report handed in up to this period, and each target's
	// actuals in period order.
	var latest *Report
	actuals := make([][]float64, len(t.Indicators))
	for _, s := range periodOrder(reports, seq) {
		r := reports[s]
		if seq[r.PeriodID] > p.Seq || r.Kind != ReportTask {
			continue
		}
		if r.PeriodID == p.ID {
			in.Owed = !r.State.Reported()
			in.Returned = r.State == ReportReturned
		}
		if !r.State.Reported() {
			continue
		}
		latest = r
		for _, a := range r.Actuals {
			if a.Value != nil && a.Indicator < len(actuals) {
				actuals[a.Indicator] = append(actuals[a.Indicator], *a.Value)
			}
		}
	}
	if latest != nil {
		in.Reported, in.Completion = true, latest.Completion
	}
	for i := range t.Indicators {
		ind := &t.Indicators[i]
		if v, ok := ind.Cumulate(actuals[i]); ok {
			in.Targets = append(in.Targets, ind.Progress(i, v))
		} else {
			in.Targets = append(in.Targets, TargetProgress{Indicator: i, Metric: ind.Metric, Goal: ind.Goal()})
		}
	}
	l := ComputeLight(&in)
	l.PlanID, l.PeriodID, l.TaskID = t.PlanID, p.ID, t.ID
	return l
}

// periodOrder returns the indexes of reports in the order of their periods.
func periodOrder(reports []*Report, seq map[int64]int) []int {
	idx := make([]int, len(reports))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return seq[reports[a].PeriodID] - seq[reports[b].PeriodID] })
	return idx
}

// LightFilter selects kept lights. Latest keeps, of each task, the light of
// the latest period that has one. Nil fields do not filter; Limit 0 means no
// limit.
type LightFilter struct {
	PlanID   *int64
	PeriodID *int64
	TaskID   *int64
	Status   *LightStatus
	Latest   bool

	Offset int
	Limit  int
}

// LightService keeps each period's lights, recomputed when reports change
// and as days pass, so that trends can be drawn and lists read them without
// computing.
type LightService interface {
	// FindLights returns kept lights and how many match.
	FindLights(ctx context.Context, filter LightFilter) ([]*Light, int, error)
	// RecomputeLights computes again the lights of a plan's open and closed
	// periods as of today and keeps those that changed; it returns how many
	// changed.
	RecomputeLights(ctx context.Context, planID int64) (int, error)
}
