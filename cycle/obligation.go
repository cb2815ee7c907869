package cycle

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// Groups is the directory's membership of group terms (duban.Groups): a
// task addressed to a group is every member's task.
type Groups = duban.Groups

// GroupMembers is how the cycle asks the directory for that membership
// (duban.GroupMembers, which the unit service answers); a store without
// membership answers no groups, and such tasks reach their named units
// alone.
type GroupMembers = duban.GroupMembers

// ReportingUnits returns who reports on a task: the unit that composes its
// report (the first lead unit, or without one the first responsible unit; a
// group's first member when a group comes first) and the units that owe a
// part, each once, in the order the task names them. Unmapped owners and
// groups without members reach nobody.
func ReportingUnits(t *duban.Task, groups Groups) (composer int64, parts []int64) {
	var units []int64
	for _, list := range [][]duban.Owner{t.LeadUnits, t.ResponsibleUnits} {
		for _, o := range list {
			ids := []int64{o.ID}
			if duban.IsGroupOwner(o, groups) {
				ids = slices.Clone(groups[o.ID])
				slices.Sort(ids)
			}
			for _, id := range ids {
				if id != 0 && !slices.Contains(units, id) {
					units = append(units, id)
				}
			}
		}
	}
	if len(units) == 0 {
		return 0, nil
	}
	return units[0], units[1:]
}

// WriterOf returns the unit u reports for on task t and the kind of report
// that unit owes there: a clerk's own unit; for anyone else (the office
// writing on a unit's behalf) the unit asked for, or the composing unit
// when none is. Whether u may write it is CanWriteReport's to say.
func WriterOf(u *duban.User, t *duban.Task, asked int64, groups Groups) (unit int64, kind ReportKind) {
	composer, _ := ReportingUnits(t, groups)
	switch {
	case u != nil && u.Role == duban.RoleClerk:
		unit = u.UnitID
	case asked != 0:
		unit = asked
	default:
		unit = composer
	}
	kind = ReportPart
	if unit == composer {
		kind = ReportTask
	}
	return unit, kind
}

// Obligation is a report a unit owes in a period: its part of a task, or the
// task's report it composes, due on the period's due date.
type Obligation struct {
	PlanID   int64      `json:"plan_id"`
	PeriodID int64      `json:"period_id"`
	TaskID   int64      `json:"task_id"`
	TaskNo   string     `json:"task_no"`
	UnitID   int64      `json:"unit_id"`
	Kind     ReportKind `json:"kind"`
	Period   string     `json:"period"` // 2022年7月
	Due      duban.Date `json:"due"`
	// ReportID and State are the report's, when one was saved; State is ""
	// when none was.
	ReportID     int64       `json:"report_id,omitempty"`
	State        ReportState `json:"state,omitempty"`
	ReturnReason string      `json:"return_reason,omitempty"`
}

// Done reports whether the report was handed in.
func (o *Obligation) Done() bool { return o.State.Reported() }

// Overdue reports whether the report is still owed after its due date.
func (o *Obligation) Overdue(today duban.Date) bool { return !o.Done() && today.After(o.Due) }

// What names the obligation in a sentence: 任务 1.2.3 的2022年7月任务报告.
func (o *Obligation) What() string {
	return fmt.Sprintf("任务 %s 的%s%s", o.TaskNo, o.Period, o.Kind.Label())
}

// Obligations lists what each unit owes in period p for the tasks: the
// composing unit the task's report, every other unit the task reaches its
// part, each with the state of the report saved for it, if any.
func Obligations(p *Period, tasks []*duban.Task, reports []*Report, groups Groups) []Obligation {
	type key struct {
		task, unit int64
		kind       ReportKind
	}
	saved := make(map[key]*Report, len(reports))
	for _, r := range reports {
		if r.PeriodID == p.ID {
			saved[key{r.TaskID, r.UnitID, r.Kind}] = r
		}
	}
	var out []Obligation
	add := func(t *duban.Task, unit int64, kind ReportKind) {
		o := Obligation{PlanID: t.PlanID, PeriodID: p.ID, TaskID: t.ID, TaskNo: t.No, UnitID: unit, Kind: kind, Period: p.Label, Due: p.Due}
		if r := saved[key{t.ID, unit, kind}]; r != nil {
			o.ReportID, o.State, o.ReturnReason = r.ID, r.State, r.ReturnReason
		}
		out = append(out, o)
	}
	for _, t := range tasks {
		if t.State != duban.TaskActive {
			continue
		}
		composer, parts := ReportingUnits(t, groups)
		if composer == 0 {
			continue
		}
		add(t, composer, ReportTask)
		for _, u := range parts {
			add(t, u, ReportPart)
		}
	}
	return out
}

// Reminder is a reminder due on a day to a unit that owes reports in a
// period: all it owes there that is not handed in, in one message.
type Reminder struct {
	PlanID   int64      `json:"plan_id"`
	PeriodID int64      `json:"period_id"`
	UnitID   int64      `json:"unit_id"`
	Period   string     `json:"period"`
	Due      duban.Date `json:"due"`
	// Offset is the rule: days relative to the due date (-3 three days
	// before, 1 the day after); Day is the day it is for, Due plus Offset.
	Offset int          `json:"offset"`
	Day    duban.Date   `json:"day"`
	Owed   []Obligation `json:"owed"`
	Text   string       `json:"text"`
	TextEN string       `json:"text_en"`
}

// Rule names the reminder's rule for once-only keys: d-3, d+1.
func (r *Reminder) Rule() string { return fmt.Sprintf("d%+d", r.Offset) }

// Key is the reminder's once-only key for a channel and a target (a unit, a
// webhook, an address): it is sent at most once under it, whichever server
// sends it.
func (r *Reminder) Key(channel, target string) string {
	return ReminderKey(r.PeriodID, r.UnitID, r.Rule(), channel, target, r.Day)
}

// ReminderKey is the once-only key of a reminder of what a unit owes in a
// period, by rule, channel, target and day.
func ReminderKey(periodID, unitID int64, rule, channel, target string, day duban.Date) string {
	return fmt.Sprintf("remind/%d/%d/%s/%s/%s/%s", periodID, unitID, rule, channel, target, day)
}

// ObligationKey is the once-only key of a reminder of one obligation, for a
// channel that sends each report owed on its own.
func ObligationKey(o *Obligation, rule, channel, target string, day duban.Date) string {
	return fmt.Sprintf("remind/%d/%d/%d/%s/%s/%s/%s/%s", o.PeriodID, o.TaskID, o.UnitID, o.Kind, rule, channel, target, day)
}

// reminderCatchUp is how many days late a reminder still goes, when no
// server ran on its day.
const reminderCatchUp = 2

// ReminderRule returns the rule (an offset from the due date) of the
// reminder due today of reports due on due: of the rule days that have
// come, the latest, if it came no more than two days ago, so that a server
// down on a reminder's day still sends it and no unit gets a backlog at
// once. ok is false when no reminder of that due date is due today.
func ReminderRule(due duban.Date, offsets []int, today duban.Date) (offset int, ok bool) {
	for _, off := range offsets {
		day := due.AddDays(off)
		if !day.After(today) && today.DaysSince(day) <= reminderCatchUp && (!ok || off > offset) {
			offset, ok = off, true
		}
	}
	return offset, ok
}

// DueReminders returns the reminders due today for obligations not yet
// handed in, one per unit and period, by the rule of ReminderRule.
func DueReminders(obls []Obligation, offsets []int, today duban.Date) []Reminder {
	type key struct{ period, unit int64 }
	byUnit := map[key]*Reminder{}
	var order []key
	for _, o := range obls {
		if o.Done() {
			continue
		}
		best, found := ReminderRule(o.Due, offsets, today)
		if !found {
			continue
		}
		k := key{o.PeriodID, o.UnitID}
		r := byUnit[k]
		if r == nil {
			r = &Reminder{PlanID: o.PlanID, PeriodID: o.PeriodID, UnitID: o.UnitID, Period: o.Period, Due: o.Due, Offset: best, Day: o.Due.AddDays(best)}
			byUnit[k] = r
			order = append(order, k)
		}
		r.Owed = append(r.Owed, o)
	}
	out := make([]Reminder, 0, len(order))
	for _, k := range order {
		r := byUnit[k]
		r.Text, r.TextEN = reminderText(r, today)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b Reminder) int {
		return cmp.Or(cmp.Compare(a.PeriodID, b.PeriodID), cmp.Compare(a.UnitID, b.UnitID))
	})
	return out
}

// Subject is the reminder's title in a message sent out of duban, naming
// the unit, since a channel may carry several units' messages:
// 督办提醒：区财政局 2022年7月报告还有 3 天到期（7月25日）.
func (r *Reminder) Subject(unit string, today duban.Date) string {
	switch left := r.Due.DaysSince(today); {
	case left < 0:
		return fmt.Sprintf("督办催报：%s %s报告已逾期 %d 天", unit, r.Period, -left)
	case left == 0:
		return fmt.Sprintf("督办提醒：%s %s报告今天到期", unit, r.Period)
	default:
		return fmt.Sprintf("督办提醒：%s %s报告还有 %d 天到期（%s）", unit, r.Period, left, r.Due.Label())
	}
}

// reminderText says what a unit owes: 提醒：2022年7月的报告应于 7月25日 前报送（还有
// 3 天），尚有 2 项未报送：任务 1.2.3 任务报告、任务 2.1.1 分项报告。
func reminderText(r *Reminder, today duban.Date) (string, string) {
	items := make([]string, len(r.Owed))
	for i, o := range r.Owed {
		items[i] = "任务 " + o.TaskNo + " " + o.Kind.Label()
		if o.State == ReportReturned {
			items[i] += "（已退回）"
		}
	}
	list := strings.Join(items, "、")
	if len(items) > 10 {
		list = strings.Join(items[:10], "、") + fmt.Sprintf("等 %d 项", len(items))
	}
	left := r.Due.DaysSince(today)
	switch {
	case left > 0:
		return fmt.Sprintf("提醒：%s的报告应于 %s 前报送（还有 %d 天），尚有 %d 项未报送：%s。", r.Period, r.Due.Label(), left, len(items), list),
			fmt.Sprintf("Reminder: %d reports for %s are due on %s (%d days left).", len(items), r.Period, r.Due.LabelEN(), left)
	case left == 0:
		return fmt.Sprintf("提醒：%s的报告今天（%s）到期，尚有 %d 项未报送：%s。", r.Period, r.Due.Label(), len(items), list),
			fmt.Sprintf("Reminder: %d reports for %s are due today (%s).", len(items), r.Period, r.Due.LabelEN())
	}
	return fmt.Sprintf("催报：%s的报告应于 %s 前报送，已逾期 %d 天，尚有 %d 项未报送：%s。", r.Period, r.Due.Label(), -left, len(items), list),
		fmt.Sprintf("Overdue: %d reports for %s were due on %s, %d days ago.", len(items), r.Period, r.Due.LabelEN(), -left)
}

// ObligationFilter selects obligations. PlanID or PeriodID is needed; Open
// keeps those not handed in.
type ObligationFilter struct {
	PlanID   *int64
	PeriodID *int64
	UnitID   *int64
	TaskID   *int64
	Open     bool
}

// Urge is the office urging (催办) a lagging task or a unit: it reaches the
// unit as a notification and is counted per unit.
type Urge struct {
	ID     int64 `json:"id"`
	PlanID int64 `json:"plan_id"`
	// TaskID is the task urged, 0 when the unit is urged as a whole.
	TaskID   int64     `json:"task_id,omitempty"`
	UnitID   int64     `json:"unit_id"`
	PeriodID int64     `json:"period_id,omitempty"`
	Message  string    `json:"message"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// Validate checks an urge before it is kept.
func (u *Urge) Validate() error {
	switch {
	case u.UnitID == 0:
		return duban.Errorf(duban.EINVALID, "请选择要催办的单位。")
	case utf8.RuneCountInString(u.Message) > MaxReportNote:
		return duban.Errorf(duban.EINVALID, "催办内容过长（超过 %d 字）。", MaxReportNote)
	}
	return nil
}

// UrgeFilter selects urges, newest first.
type UrgeFilter struct {
	PlanID *int64
	TaskID *int64
	UnitID *int64

	Offset int
	Limit  int
}

// UrgeCount is how often a unit was urged, and when last.
type UrgeCount struct {
	UnitID int64     `json:"unit_id"`
	Count  int       `json:"count"`
	Last   time.Time `json:"last"`
}

// ReminderService answers who owes what by when, sends the in-app reminders
// and keeps the office's urges. Each method checks the permission of the
// user in ctx itself.
type ReminderService interface {
	// FindObligations lists what units owe, with the state of each report.
	FindObligations(ctx context.Context, filter ObligationFilter) ([]*Obligation, error)
	// FindReminders returns the reminders due today in the open periods of
	// published plans, by each plan's reminder days: what outbound
	// channels send.
	FindReminders(ctx context.Context) ([]Reminder, error)
	// SendReminders puts today's reminders in each unit's notifications,
	// once per reminder whichever server asks; it returns how many it added.
	SendReminders(ctx context.Context) (int, error)
	// CreateUrge records the office urging a task or a unit and notifies
	// the unit.
	CreateUrge(ctx context.Context, u *Urge) error
	// FindUrges returns urges, newest first, and how many match.
	FindUrges(ctx context.Context, filter UrgeFilter) ([]*Urge, int, error)
	// CountUrges counts the urges matching the filter per unit.
	CountUrges(ctx context.Context, filter UrgeFilter) ([]UrgeCount, error)
}
