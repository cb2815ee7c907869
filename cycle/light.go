package cycle

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban"
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
//
// As ComputeLight writes them, the reasons hold marks where they name the
// light's day, the share time elapsed asks for by then, or the days a
// report is overdue, which Expand fills in, counting the share over the
// light's Timeline. A store keeps them so marked, with the day once per
// period: a day passing then changes only the lights whose status moves,
// not every reason nor every share expected.
type Light struct {
	PlanID   int64       `json:"plan_id"`
	PeriodID int64       `json:"period_id"`
	TaskID   int64       `json:"task_id"`
	Status   LightStatus `json:"status"`
	Reason   string      `json:"reason"`
	ReasonEN string      `json:"reason_en"`
	// Completion is the completion reported (-1 when none was), Expected
	// the completion time elapsed asks for by AsOf (序时进度), both in
	// percent.
	Completion int        `json:"completion"`
	Expected   int        `json:"expected"`
	AsOf       duban.Date `json:"as_of"`
	// Timeline is the time line Expected is counted over, as
	// TimelineText writes it: Expand counts Expected for AsOf from it.
	Timeline string `json:"-"`
	// Reached is what the task's targets reached by the light's day, in
	// their base units (summed over the periods for a target that adds
	// up): one Actual per target reported, by its place; the overview and
	// the public page draw the targets' progress from it.
	Reached    []Actual  `json:"reached,omitempty"`
	ComputedAt time.Time `json:"computed_at,omitzero"`
}

// Digest is a hash of what the light says (its status, marked reasons,
// completion, time line and targets reached), so that a store can tell a
// light changed without reading its reasons back. Its day and the share
// expected by then are left out, as the reasons leave them out: the time
// line gives the share for any day.
func (l *Light) Digest() int64 {
	// FNV-1a over each part followed by a zero byte, written out so that
	// hashing the 6,000 lights of a recomputation allocates nothing.
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	add := func(b []byte) {
		for _, c := range b {
			h = (h ^ uint64(c)) * prime
		}
		h *= prime // the zero byte after each part: h ^ 0 == h
	}
	addString := func(s string) {
		for i := 0; i < len(s); i++ {
			h = (h ^ uint64(s[i])) * prime
		}
		h *= prime
	}
	var buf [64]byte
	addString(string(l.Status))
	addString(l.Reason)
	addString(l.ReasonEN)
	add(strconv.AppendInt(buf[:0], int64(l.Completion), 10))
	addString(l.Timeline)
	add(appendReached(buf[:0], l.Reached))
	return int64(h)
}

// The marks in a light's reasons as computed: where they give the share
// expected by its day, where they name that day, and where they count the
// days from its period's due date to that day.
const (
	expectedMark = '\x1d'
	dayMark      = '\x1e'
	lateMark     = '\x1f'
	marks        = "\x1d\x1e\x1f"
)

// Expand counts l.Expected for its day, l.AsOf, over its time line (a
// light kept without one keeps the share it was kept with), and fills in
// the marks of its reasons with that share, that day and the days from
// due, its period's due date, to that day.
func (l *Light) Expand(due duban.Date) {
	if l.Timeline != "" {
		if start, end, steps, err := ParseTimeline(l.Timeline); err == nil {
			l.Expected = int(math.Round(Expected(start, end, l.AsOf, steps)))
		}
	}
	l.Reason = ExpandReason(l.Reason, false, l.AsOf, due, l.Expected)
	l.ReasonEN = ExpandReason(l.ReasonEN, true, l.AsOf, due, l.Expected)
}

// ExpandReason fills in the marks of a light's reason (its English one
// with en) as of day asOf, in a period due on due, expected being the
// share time elapsed asks for by then. A reason without marks (a closed
// task's, or one kept before reasons were marked) comes back as it is.
func ExpandReason(reason string, en bool, asOf, due duban.Date, expected int) string {
	i := strings.IndexAny(reason, marks)
	if i < 0 {
		return reason
	}
	var b strings.Builder
	b.Grow(len(reason) + 16)
	for ; i >= 0; i = strings.IndexAny(reason, marks) {
		b.WriteString(reason[:i])
		switch {
		case reason[i] == expectedMark:
			b.WriteString(strconv.Itoa(expected))
		case reason[i] == lateMark:
			b.WriteString(strconv.Itoa(asOf.DaysSince(due)))
		case en:
			b.WriteString(asOf.LabelEN())
		default:
			b.WriteString(asOf.Label())
		}
		reason = reason[i+1:]
	}
	b.WriteString(reason)
	return b.String()
}

// ReachedText writes the values of actuals as a store keeps them beside
// the JSON, "0=38700;2=8.1": each target's place and its value, leaving out
// those without a value. ParseReached reads it back.
func ReachedText(actuals []Actual) string { return string(appendReached(nil, actuals)) }

// appendReached appends ReachedText's text to b.
func appendReached(b []byte, actuals []Actual) []byte {
	start := len(b)
	for _, a := range actuals {
		if a.Value == nil {
			continue
		}
		if len(b) > start {
			b = append(b, ';')
		}
		b = strconv.AppendInt(b, int64(a.Indicator), 10)
		b = append(b, '=')
		b = strconv.AppendFloat(b, *a.Value, 'g', -1, 64)
	}
	return b
}

// ParseReached reads what ReachedText wrote.
func ParseReached(s string) ([]Actual, error) {
	var r ReachedReader
	return r.Read(s)
}

// ReachedReader reads what ReachedText wrote of many lights, their actuals
// kept in arrays shared among them rather than allocated one by one: the
// overview reads three hundred lights on every request. The zero value
// allocates for each text what it needs.
type ReachedReader struct {
	actuals []Actual
	values  []float64
	// chunk is how many actuals an array holds at least.
	chunk int
}

// NewReachedReader returns a reader for about n actuals.
func NewReachedReader(n int) *ReachedReader { return &ReachedReader{chunk: n} }

// Read reads one light's text.
func (r *ReachedReader) Read(s string) ([]Actual, error) {
	if s == "" {
		return nil, nil
	}
	n := strings.Count(s, ";") + 1
	if cap(r.actuals)-len(r.actuals) < n {
		// A new array, those read before keeping theirs.
		r.actuals = make([]Actual, 0, max(n, r.chunk))
		r.values = make([]float64, 0, max(n, r.chunk))
	}
	// Capped, so that appending to it never writes over the next light's.
	out := r.actuals[len(r.actuals) : len(r.actuals) : len(r.actuals)+n]
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, ";")
		i, v, ok := strings.Cut(pair, "=")
		k, err1 := strconv.Atoi(i)
		x, err2 := strconv.ParseFloat(v, 64)
		if !ok || err1 != nil || err2 != nil || k < 0 {
			return nil, fmt.Errorf("cycle: bad values %q", pair)
		}
		r.values = append(r.values, x)
		out = append(out, Actual{Indicator: k, Value: &r.values[len(r.values)-1]})
	}
	r.actuals = r.actuals[:len(r.actuals)+n]
	return out, nil
}

// LightInput is what a task's light is computed from.
type LightInput struct {
	Year  int
	Start duban.Date // the plan's time line starts here
	// AsOf is the light's day (LightDay), against which time
	// elapsed and a report overdue are counted.
	AsOf       duban.Date
	Thresholds Thresholds
	Deadline   duban.Deadline

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
	Due      duban.Date

	Targets []TargetProgress
	// Closed is the day the office closed the task, if it did.
	Closed duban.Date
}

// Expected returns the completion that time elapsed asks for on day d, in
// percent: linear from the start to the deadline, or, for a deadline in
// dated steps, each step's share reached by its date and linear between.
func Expected(start, end, d duban.Date, steps []duban.Milestone) float64 {
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

// TimelineText writes the time line Expected counts over, which a light
// keeps (Light.Timeline): its start and end, or its start and its steps'
// dates, "2022-01-01 2022-12-31". ParseTimeline reads it back.
func TimelineText(start, end duban.Date, steps []duban.Milestone) string {
	b := make([]byte, 0, 11*(2+len(steps)))
	b = append(b, start.String()...)
	if len(steps) < 2 {
		return string(append(append(b, ' '), end.String()...))
	}
	for _, m := range steps {
		b = append(append(b, ' '), m.Date.String()...)
	}
	return string(b)
}

// ParseTimeline reads what TimelineText wrote: the start, the end (the
// last step's date with steps) and the steps, which have only their dates.
// A time line without steps, as most are, allocates nothing: a page reads
// one for each of its lights.
func ParseTimeline(s string) (start, end duban.Date, steps []duban.Milestone, err error) {
	n := 0
	for f := range strings.FieldsSeq(s) {
		d, derr := duban.ParseDate(f)
		if derr != nil {
			return start, end, nil, fmt.Errorf("cycle: bad time line %q: %w", s, derr)
		}
		switch n {
		case 0:
			start = d
		case 1:
			end = d
		case 2:
			// Steps: the second date was the first step's.
			steps = append(steps, duban.Milestone{Date: end})
			fallthrough
		default:
			steps, end = append(steps, duban.Milestone{Date: d}), d
		}
		n++
	}
	if n < 2 {
		return start, end, nil, fmt.Errorf("cycle: bad time line %q", s)
	}
	return start, end, steps, nil
}

// linear is the share of the days from start to end (both counted) that
// have passed by the end of d.
func linear(start, end, d duban.Date) float64 {
	switch {
	case d.Before(start):
		return 0
	case !d.Before(end):
		return 1
	}
	return float64(d.DaysSince(start)+1) / float64(end.DaysSince(start)+1)
}

// ComputeLight computes a task's light and its reasons, marked where they
// name the light's day (Light.Expand fills them in). It is a pure function
// of its input, so that the same data always give the same light and a
// page, an export and a test agree.
func ComputeLight(in *LightInput) Light {
	l := Light{AsOf: in.AsOf, Completion: -1}
	if in.Reported {
		l.Completion = in.Completion
	}
	end := in.Deadline.End(in.Year)
	steps := in.Deadline.Milestones
	l.Expected = int(math.Round(Expected(in.Start, end, in.AsOf, steps)))
	l.Timeline = TimelineText(in.Start, end, steps)
	pct := func(n int) string { return strconv.Itoa(n) + "%" }
	expectedPct := string(expectedMark) + "%"
	// expected says what time elapsed asks for, in both languages.
	expected := func() (string, string) {
		asOf, asOfEN := string(dayMark), string(dayMark)
		if len(steps) >= 2 {
			step := steps[len(steps)-1]
			for _, m := range steps {
				if !in.AsOf.After(m.Date) {
					step = m
					break
				}
			}
			return "按节点（" + step.Text + "）应达 " + expectedPct + "（截至 " + asOf + "）",
				expectedPct + " expected by " + asOfEN + " (step: " + step.Text + ")"
		}
		return "按序时应达 " + expectedPct + "（截至 " + asOf + "）", expectedPct + " expected by " + asOfEN
	}
	set := func(s LightStatus, zh, en string) Light {
		l.Status, l.Reason, l.ReasonEN = s, zh, en
		switch in.Deadline.Kind {
		case duban.DeadlineUnread:
			l.Reason += "（完成时限“" + in.Deadline.Text + "”未能识别，按年底计）"
			l.ReasonEN += " (deadline “" + in.Deadline.Text + "” not understood; year end assumed)"
		case duban.DeadlineOngoing:
			l.Reason += "（长期任务，按年度计）"
			l.ReasonEN += " (ongoing task; counted over the year)"
		}
		return l
	}

	if !in.Closed.IsZero() && !in.Closed.After(in.AsOf) {
		l.Status = LightClosed
		l.Reason, l.ReasonEN = "已于 "+in.Closed.LabelYear()+" 办结", "Closed on "+in.Closed.LabelEN()+" "+strconv.Itoa(in.Closed.Year)
		return l
	}
	if in.Owed && in.AsOf.After(in.Due.AddDays(in.Thresholds.Grace)) {
		late := string(lateMark)
		if in.Returned {
			return set(LightMissing, in.Period+"的报告被退回后尚未重新报送（应于 "+in.Due.Label()+" 前报送，已逾期 "+late+" 天）",
				"The report for "+in.Period+" was returned and not resubmitted (due "+in.Due.LabelEN()+"; "+late+" days overdue)")
		}
		return set(LightMissing, in.Period+"的报告应于 "+in.Due.Label()+" 前报送，已逾期 "+late+" 天",
			"The report for "+in.Period+" was due on "+in.Due.LabelEN()+"; "+late+" days overdue")
	}
	if !in.Reported {
		return set(LightNotStarted, "尚未报送进展", "No progress reported yet")
	}

	// The worst of completion and targets against time elapsed.
	gap := float64(l.Expected - in.Completion)
	var behind *TargetProgress
	allMet := true
	for i := range in.Targets {
		t := &in.Targets[i]
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
			gap, behind = tgap, t
		}
	}
	reason := func() (string, string) {
		zh, en := expected()
		if behind != nil {
			reached := pct(int(math.Round(behind.Ratio * 100)))
			return "目标“" + behind.Metric + "”完成 " + reached + "，" + zh, "target “" + behind.Metric + "” " + reached + " reached; " + en
		}
		return "完成 " + pct(in.Completion) + "，" + zh, pct(in.Completion) + " done; " + en
	}
	switch {
	case in.Completion >= 100 && allMet:
		if len(in.Targets) > 0 {
			return set(LightDone, "完成 100%，目标均已达成", "100% done; every target met")
		}
		return set(LightDone, "完成 100%", "100% done")
	case in.Completion == 0:
		zh, en := reason()
		return set(LightNotStarted, zh, en)
	case in.AsOf.After(end) && (in.Completion < 100 || !allMet):
		return set(LightSevere, "已过完成时限（"+end.Label()+"），完成 "+pct(in.Completion),
			"past its deadline ("+end.LabelEN()+"); "+pct(in.Completion)+" done")
	case gap >= float64(in.Thresholds.Severe):
		zh, en := reason()
		return set(LightSevere, zh, en)
	case gap >= float64(in.Thresholds.Lag):
		zh, en := reason()
		return set(LightLagging, zh, en)
	}
	zh, en := reason()
	return set(LightNormal, zh, en)
}

// PlanLights computes the lights of one plan's tasks, with what every
// light needs of the plan prepared once: its year, settings and periods,
// and the day they are computed on.
type PlanLights struct {
	year     int
	settings *CycleSettings
	today    duban.Date
	seq      map[int64]int
}

// NewPlanLights prepares the lights of a plan of year with its settings and
// its periods, computed on today.
func NewPlanLights(year int, c *CycleSettings, periods []*Period, today duban.Date) *PlanLights {
	pl := &PlanLights{year: year, settings: c, today: today, seq: make(map[int64]int, len(periods))}
	for _, q := range periods {
		pl.seq[q.ID] = q.Seq
	}
	return pl
}

// LightDay is the day of the lights of period p computed on today: its end
// (or its due date, when reports are due after it), or today while it
// runs, or the day it was closed if earlier. A past period's lights, kept
// for trends, say what was true then and no longer change; a period closed
// early is read-only, and its lights stay as of the day it closed.
func LightDay(p *Period, today duban.Date) duban.Date {
	day := p.End
	if p.Due.After(day) {
		day = p.Due
	}
	if p.State == PeriodClosed && !p.ClosedAt.IsZero() {
		if closed := duban.Today(p.ClosedAt); closed.Before(today) {
			today = closed
		}
	}
	if today.Before(day) {
		day = today
	}
	return day
}

// Light computes task t's light in period p from its reports (its task
// reports, any period, in any order) and the day the office closed it (zero
// when it did not).
func (pl *PlanLights) Light(t *duban.Task, p *Period, reports []*Report, closed duban.Date) Light {
	c := pl.settings
	in := LightInput{
		Year: pl.year, Start: c.Start, Thresholds: c.Thresholds, Deadline: t.Due(), Closed: closed,
		Period: p.Label, Due: p.Due, Owed: true,
	}
	in.AsOf = LightDay(p, pl.today)
	pl.scan(t, p, reports, &in, false)
	l := ComputeLight(&in)
	l.PlanID, l.PeriodID, l.TaskID = t.PlanID, p.ID, t.ID
	for i := range in.Targets {
		if tp := &in.Targets[i]; tp.Reported {
			v := tp.Actual
			l.Reached = append(l.Reached, Actual{Indicator: tp.Indicator, Value: &v})
		}
	}
	return l
}

// Targets returns where each of t's targets stands in period p, from its
// task reports handed in up to p: an additive target's actuals summed, any
// other's latest.
func (pl *PlanLights) Targets(t *duban.Task, p *Period, reports []*Report) []TargetProgress {
	var in LightInput
	pl.scan(t, p, reports, &in, true)
	return in.Targets
}

// scan reads a task's reports up to period p into the input of its light:
// whether p's report is owed or returned, the latest completion handed in,
// and each target's progress (with words, as sentences too).
func (pl *PlanLights) scan(t *duban.Task, p *Period, reports []*Report, in *LightInput, words bool) {
	var latest *Report
	latestSeq := 0
	type sum struct {
		total, last float64
		lastSeq, n  int
	}
	// Tasks have a few targets; their sums live on the stack.
	var sums [4]sum
	var acc []sum
	if len(t.Indicators) <= len(sums) {
		acc = sums[:len(t.Indicators)]
	} else {
		acc = make([]sum, len(t.Indicators))
	}
	for _, r := range reports {
		s := pl.seq[r.PeriodID]
		if s > p.Seq || r.Kind != ReportTask {
			continue
		}
		if r.PeriodID == p.ID {
			in.Owed = !r.State.Reported()
			in.Returned = r.State == ReportReturned
		}
		if !r.State.Reported() {
			continue
		}
		if latest == nil || s > latestSeq {
			latest, latestSeq = r, s
		}
		for _, a := range r.Actuals {
			if a.Value == nil || a.Indicator >= len(acc) {
				continue
			}
			x := &acc[a.Indicator]
			x.total += *a.Value
			x.n++
			if x.n == 1 || s > x.lastSeq {
				x.last, x.lastSeq = *a.Value, s
			}
		}
	}
	if latest != nil {
		in.Reported, in.Completion = true, latest.Completion
	}
	in.Targets = make([]TargetProgress, len(t.Indicators))
	for i := range t.Indicators {
		ind := &t.Indicators[i]
		x := acc[i]
		if x.n == 0 {
			in.Targets[i] = TargetProgress{Indicator: i, Metric: ind.Metric}
			if words {
				in.Targets[i].Goal = ind.Goal()
			}
			continue
		}
		additive := Additive(ind)
		v := x.last
		if additive {
			v = x.total
		}
		if words {
			in.Targets[i] = Progress(ind, i, v)
		} else {
			in.Targets[i] = progressOf(ind, i, v, additive)
		}
	}
}

// LightFilter selects kept lights. Latest keeps, of each plan, the lights
// of its latest period that has any. Nil fields do not filter; Limit 0
// means no limit.
type LightFilter struct {
	PlanID   *int64
	PeriodID *int64
	TaskID   *int64
	// TaskIDs selects the lights of these tasks (a page of a list).
	TaskIDs []int64
	Status  *LightStatus
	Latest  bool
	// Brief reads of each light only what a list of tasks shows: its
	// plan, period, task, status and reasons, and the share expected the
	// reasons are counted with; the rest is left zero. A list reads its
	// page's lights again whenever one of them moved.
	Brief bool

	Offset int
	Limit  int
}

// LightService keeps each period's lights, recomputed when reports change
// and as days pass, so that trends can be drawn and lists read them without
// computing.
type LightService interface {
	// FindLights returns kept lights and how many match.
	FindLights(ctx context.Context, filter LightFilter) ([]*Light, int, error)
	// FindLightMoves returns the tasks whose lights moved after move
	// after, through move through (duban.Heads.Moves), in the order of
	// their ids, or every when that cannot be told: every task's moved,
	// or the moves of then are no longer kept, or they are many.
	FindLightMoves(ctx context.Context, after, through int64) (tasks []int64, every bool, err error)
	// RecomputeLights computes again the lights of a plan's open periods
	// as of today (every published plan's when planID is 0, at once) and
	// keeps those that changed; it returns how many changed.
	RecomputeLights(ctx context.Context, planID int64) (int, error)
}
