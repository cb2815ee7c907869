package cyclestore

import (
	"context"
	"fmt"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/deliverystore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// ReminderService answers who owes what by when, sends the in-app
// reminders and keeps the office's urges (催办).
type ReminderService struct{ base }

// NewReminderService returns the reminders of db; groups tells which units
// a task addressed to a group reaches (nil: none).
func NewReminderService(db *sqldb.DB, groups cycle.GroupMembers) *ReminderService {
	return &ReminderService{base{db: db, groups: groups}}
}

var _ cycle.ReminderService = (*ReminderService)(nil)

// FindObligations lists what units owe in a period, or in every begun
// period of a plan, with the state of each report.
// A clerk finds its own unit's only.
func (s *ReminderService) FindObligations(ctx context.Context, f cycle.ObligationFilter) ([]*cycle.Obligation, error) {
	u, err := duban.Authorize(ctx, "查看待报事项", duban.CanRead)
	if err != nil {
		return nil, err
	}
	if f.PlanID == nil && f.PeriodID == nil {
		return nil, duban.Errorf(duban.EINVALID, "请指明文件或填报周期。")
	}
	if u.Role == duban.RoleClerk {
		if f.UnitID != nil && *f.UnitID != u.UnitID {
			return nil, duban.Errorf(duban.EFORBIDDEN, "您只能查看本单位的待报事项。")
		}
		f.UnitID = &u.UnitID
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []*cycle.Obligation
	err = s.db.View(ctx, func(tx *Tx) error {
		var periods []*cycle.Period
		if f.PeriodID != nil {
			q, err := findPeriod(tx, *f.PeriodID)
			if err != nil {
				return err
			}
			periods = []*cycle.Period{q}
		} else {
			all, _, err := findPeriods(tx, cycle.PeriodFilter{PlanID: f.PlanID})
			if err != nil {
				return err
			}
			for _, q := range all {
				if q.State != cycle.PeriodPending {
					periods = append(periods, q)
				}
			}
		}
		obls, err := obligations(tx, periods, f.TaskID, groups, true)
		if err != nil {
			return err
		}
		for i := range obls {
			o := &obls[i]
			if (f.UnitID != nil && o.UnitID != *f.UnitID) || (f.Open && o.Done()) {
				continue
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// obligations lists what is owed in periods (of one plan or several), for
// one task when taskID is not nil, with the reasons of returned reports
// when reasons is true.
func obligations(tx *Tx, periods []*cycle.Period, taskID *int64, groups cycle.Groups, reasons bool) ([]cycle.Obligation, error) {
	tasksOf := map[int64][]*duban.Task{}
	var out []cycle.Obligation
	for _, q := range periods {
		tasks, ok := tasksOf[q.PlanID]
		if !ok {
			var err error
			if tasks, err = ledgerstore.FindTaskUnits(tx, duban.TaskFilter{PlanID: &q.PlanID, ID: taskID}); err != nil {
				return nil, err
			}
			tasksOf[q.PlanID] = tasks
		}
		reports, err := reportStates(tx, q.ID, reasons)
		if err != nil {
			return nil, err
		}
		out = append(out, cycle.Obligations(q, tasks, reports, groups)...)
	}
	return out, nil
}

// reportStates reads what obligations need of a period's reports, and
// the reasons of those returned when reasons is true. Without them the
// columns read are an index's (reports_period_state), and the reports
// themselves are not read.
func reportStates(tx *Tx, periodID int64, reasons bool) ([]*cycle.Report, error) {
	columns := "id, task_id, unit_id, kind, state"
	if reasons {
		columns += ", return_reason"
	}
	rows, err := tx.Query("SELECT "+columns+" FROM reports WHERE period_id = ?", periodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*cycle.Report
	for rows.Next() {
		r := cycle.Report{PeriodID: periodID}
		dest := []any{&r.ID, &r.TaskID, &r.UnitID, &r.Kind, &r.State}
		if reasons {
			dest = append(dest, &r.ReturnReason)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// FindReminders returns the reminders due today in the open periods of
// published plans, by each plan's reminder days.
func (s *ReminderService) FindReminders(ctx context.Context) ([]cycle.Reminder, error) {
	if _, err := duban.Authorize(ctx, "查看待发提醒", cycle.CanManagePeriods); err != nil {
		return nil, err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return nil, err
	}
	var out []cycle.Reminder
	err = s.db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = dueReminders(tx, groups, true)
		return err
	})
	return out, err
}

// dueReminders works out the reminders due today, the reasons of returned
// reports in what they list when reasons is true.
func dueReminders(tx *Tx, groups cycle.Groups, reasons bool) ([]cycle.Reminder, error) {
	open := cycle.PeriodOpen
	periods, _, err := findPeriods(tx, cycle.PeriodFilter{State: &open})
	if err != nil {
		return nil, err
	}
	byPlan := map[int64][]*cycle.Period{}
	var plans []int64
	for _, q := range periods {
		if byPlan[q.PlanID] == nil {
			plans = append(plans, q.PlanID)
		}
		byPlan[q.PlanID] = append(byPlan[q.PlanID], q)
	}
	today := duban.Today(tx.Now())
	var out []cycle.Reminder
	for _, id := range plans {
		p, err := ledgerstore.FindPlan(tx, id)
		if err != nil {
			return nil, err
		}
		if p.State != duban.PlanPublished {
			continue
		}
		c, err := loadSettings(tx, p, nil)
		if err != nil {
			return nil, err
		}
		// A period with no reminder due today is not read: on most days
		// none of a plan's periods has one.
		var due []*cycle.Period
		for _, q := range byPlan[id] {
			if _, ok := cycle.ReminderRule(q.Due, c.Reminders, today); ok {
				due = append(due, q)
			}
		}
		if len(due) == 0 {
			continue
		}
		obls, err := obligations(tx, due, nil, groups, reasons)
		if err != nil {
			return nil, err
		}
		out = append(out, cycle.DueReminders(obls, c.Reminders, today)...)
	}
	return out, nil
}

// SendReminders puts today's reminders in each unit's notifications and on
// the channels that carry the unit's messages, each once under its key
// whichever server sends it, and returns how many notifications it added.
//
// What is due is worked out in a read transaction, which holds up no
// writer; the write transaction is taken only when a key is new, and adds
// what is missing. Every round but the first of a reminder's day, on every
// server, finds everything sent and writes nothing, so that the job may
// run often without slowing the reports of a deadline rush.
func (s *ReminderService) SendReminders(ctx context.Context) (int, error) {
	if _, err := duban.Authorize(ctx, "发送提醒", cycle.CanManagePeriods); err != nil {
		return 0, err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return 0, err
	}
	var due []cycle.Reminder
	err = s.db.View(ctx, func(tx *Tx) error {
		// What is sent says which reports were returned, not why.
		rs, err := dueReminders(tx, groups, false)
		if err != nil {
			return err
		}
		due, err = unsentReminders(tx, rs)
		return err
	})
	if err != nil || len(due) == 0 {
		return 0, err
	}
	var added, jobs int
	err = s.db.Update(ctx, func(tx *Tx) error {
		added, jobs = 0, 0
		today := duban.Today(tx.Now())
		for i := range due {
			r := &due[i]
			ok, err := notify(tx, &cycle.Notification{UnitID: r.UnitID, Kind: cycle.NotifyReminder, Text: r.Text, TextEN: r.TextEN,
				Link: reminderPath(r), Key: appReminderKey(r)})
			if err != nil {
				return err
			}
			if ok {
				added++
			}
			unit := unitName(tx, r.UnitID)
			n, err := s.send(tx, &outbound{Event: "reminder", UnitID: r.UnitID, PlanID: r.PlanID, Subject: r.Subject(unit, today),
				Body: "【" + unit + "】" + r.Text, Path: reminderPath(r),
				Key: func(ch *duban.Channel) string { return r.Key(string(ch.Kind), channelTarget(ch)) }})
			if err != nil {
				return err
			}
			jobs += n
		}
		if added == 0 && jobs == 0 {
			return nil
		}
		return tx.Record("reminder.send", "reminder", 0, 0, fmt.Sprintf("发送提醒：站内通知 %d 条，外发消息 %d 条", added, jobs), nil, nil)
	})
	return added, err
}

// reminderPath is the page a reminder links to: the unit's to-do list,
// where what it owes is.
func reminderPath(*cycle.Reminder) string { return "/todo" }

// appReminderKey is the once-only key of a reminder's in-app notification.
func appReminderKey(r *cycle.Reminder) string { return r.Key("app", fmt.Sprintf("unit:%d", r.UnitID)) }

// unsentReminders keeps, of the reminders due, those with a message not
// yet made: the unit's notification, or a job on a channel that carries
// its messages.
func unsentReminders(tx *Tx, rs []cycle.Reminder) ([]cycle.Reminder, error) {
	if len(rs) == 0 {
		return nil, nil
	}
	// The channels are read once, not once a reminder: there are few, and
	// a round may have a reminder for every unit of every plan.
	enabled, err := deliverystore.EnabledChannels(tx)
	if err != nil {
		return nil, err
	}
	chans := make([][]*duban.Channel, len(rs))
	var appKeys, jobKeys []string
	for i := range rs {
		r := &rs[i]
		appKeys = append(appKeys, appReminderKey(r))
		for _, ch := range enabled {
			if ch.Matches(r.UnitID, r.PlanID) {
				chans[i] = append(chans[i], ch)
				jobKeys = append(jobKeys, r.Key(string(ch.Kind), channelTarget(ch)))
			}
		}
	}
	apps, err := existingKeys(tx, "notifications", appKeys)
	if err != nil {
		return nil, err
	}
	jobs, err := existingKeys(tx, "deliveries", jobKeys)
	if err != nil {
		return nil, err
	}
	var out []cycle.Reminder
	for i := range rs {
		r := &rs[i]
		missing := !apps[appReminderKey(r)]
		for _, ch := range chans[i] {
			missing = missing || !jobs[r.Key(string(ch.Kind), channelTarget(ch))]
		}
		if missing {
			out = append(out, *r)
		}
	}
	return out, nil
}

// keyBatch bounds the keys one query looks up, well within both
// databases' limits on parameters.
const keyBatch = 500

// existingKeys returns which of keys a table (notifications, deliveries)
// holds in its dedup_key column.
func existingKeys(tx *Tx, table string, keys []string) (map[string]bool, error) {
	found := map[string]bool{}
	for start := 0; start < len(keys); start += keyBatch {
		batch := keys[start:min(start+keyBatch, len(keys))]
		args := make([]any, len(batch))
		for i, k := range batch {
			args[i] = k
		}
		rows, err := tx.Query("SELECT dedup_key FROM "+table+" WHERE dedup_key IN ("+sqldb.Placeholders(len(batch))+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			found[k] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// CreateUrge records the office urging a task (its lead unit unless another
// of its units is named) or a unit of a plan, and notifies the unit.
func (s *ReminderService) CreateUrge(ctx context.Context, ug *cycle.Urge) error {
	if _, err := duban.Authorize(ctx, "催办", cycle.CanUrge); err != nil {
		return err
	}
	groups, err := s.loadGroups(ctx)
	if err != nil {
		return err
	}
	ug.Message = strings.TrimSpace(ug.Message)
	if ug.Message == "" {
		ug.Message = "请抓紧推进，按时报送进展。"
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		var t *duban.Task
		if ug.TaskID != 0 {
			var err error
			if t, err = ledgerstore.FindTask(tx, ug.TaskID); err != nil {
				return err
			}
			ug.PlanID = t.PlanID
			if ug.UnitID == 0 {
				ug.UnitID, _ = cycle.ReportingUnits(t, groups)
			}
			if !t.Reaches(ug.UnitID, groups) {
				return duban.Errorf(duban.EINVALID, "任务 %s 不由%s承担，不能向其催办。", t.No, unitName(tx, ug.UnitID))
			}
		}
		if err := ug.Validate(); err != nil {
			return err
		}
		if _, err := planInCycle(tx, ug.PlanID); err != nil {
			return err
		}
		unit, err := ledgerstore.FindUnit(tx, ug.UnitID)
		if err != nil {
			return err
		}
		if ug.PeriodID != 0 {
			q, err := findPeriod(tx, ug.PeriodID)
			if err != nil {
				return err
			}
			if q.PlanID != ug.PlanID {
				return duban.Errorf(duban.EINVALID, "填报周期“%s”不属于这个文件。", q.Label)
			}
		}
		ug.By, ug.At = tx.Actor(), tx.Now()
		if ug.ID, err = tx.Insert("INSERT INTO urges (plan_id, task_id, unit_id, period_id, message, by_id, by_name, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			ug.PlanID, sqldb.NullID(ug.TaskID), ug.UnitID, sqldb.NullID(ug.PeriodID), ug.Message, sqldb.NullID(tx.User().ID), ug.By, tx.Time(ug.At)); err != nil {
			return err
		}
		text, textEN, link := "督查室催办："+ug.Message, "The office urges: "+ug.Message, fmt.Sprintf("/units/%d", unit.ID)
		entity, entityID, summary := "unit", unit.ID, "催办"+unit.Name
		if t != nil {
			text, textEN, link = fmt.Sprintf("督查室催办任务 %s：%s", t.No, ug.Message), fmt.Sprintf("The office urges task %s: %s", t.No, ug.Message), fmt.Sprintf("/tasks/%d", t.ID)
			entity, entityID, summary = "task", t.ID, fmt.Sprintf("催办任务 %s（%s）", t.No, unit.Name)
		}
		if _, err := notify(tx, &cycle.Notification{UnitID: unit.ID, Kind: cycle.NotifyUrge, Text: text, TextEN: textEN, Link: link}); err != nil {
			return err
		}
		if _, err := s.send(tx, &outbound{Event: "urge", UnitID: unit.ID, PlanID: ug.PlanID, Subject: "督查室催办：" + strings.TrimPrefix(summary, "催办"),
			Body: "【" + unit.Name + "】" + text, Path: link,
			Key: func(ch *duban.Channel) string { return fmt.Sprintf("urge/%d/%s", ug.ID, channelTarget(ch)) }}); err != nil {
			return err
		}
		return tx.Record("urge.create", entity, entityID, ug.PlanID, summary, nil, ug)
	})
}

func urgeConditions(f cycle.UrgeFilter) *condition {
	var c condition
	if f.PlanID != nil {
		c.add("g.plan_id = ?", *f.PlanID)
	}
	if f.TaskID != nil {
		c.add("g.task_id = ?", *f.TaskID)
	}
	if f.UnitID != nil {
		c.add("g.unit_id = ?", *f.UnitID)
	}
	return &c
}

// FindUrges returns urges, newest first.
func (s *ReminderService) FindUrges(ctx context.Context, f cycle.UrgeFilter) ([]*cycle.Urge, int, error) {
	if _, err := duban.Authorize(ctx, "查看催办记录", duban.CanRead); err != nil {
		return nil, 0, err
	}
	c := urgeConditions(f)
	var out []*cycle.Urge
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		draftsHidden(tx, c)
		from := " FROM urges g JOIN plans p ON p.id = g.plan_id" + c.where()
		var err error
		if total, err = tx.Count("SELECT count(*)"+from, c.args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		rows, err := tx.Query("SELECT g.id, g.plan_id, g.task_id, g.unit_id, g.period_id, g.message, g.by_name, g.at"+from+
			" ORDER BY g.id DESC"+page, append(c.args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var g cycle.Urge
			if err := rows.Scan(&g.ID, &g.PlanID, sqldb.IDCol(&g.TaskID), &g.UnitID, sqldb.IDCol(&g.PeriodID), &g.Message, &g.By,
				sqldb.TimeCol(&g.At)); err != nil {
				return err
			}
			out = append(out, &g)
		}
		return rows.Err()
	})
	return out, total, err
}

// CountUrges counts the urges of the filter per unit, most urged first.
func (s *ReminderService) CountUrges(ctx context.Context, f cycle.UrgeFilter) ([]cycle.UrgeCount, error) {
	if _, err := duban.Authorize(ctx, "查看催办记录", duban.CanRead); err != nil {
		return nil, err
	}
	c := urgeConditions(f)
	var out []cycle.UrgeCount
	err := s.db.View(ctx, func(tx *Tx) error {
		draftsHidden(tx, c)
		rows, err := tx.Query("SELECT g.unit_id, count(*), max(g.at) FROM urges g JOIN plans p ON p.id = g.plan_id"+c.where()+
			" GROUP BY g.unit_id ORDER BY count(*) DESC, g.unit_id", c.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n cycle.UrgeCount
			if err := rows.Scan(&n.UnitID, &n.Count, sqldb.TimeCol(&n.Last)); err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, err
}
