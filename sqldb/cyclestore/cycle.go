// Package cyclestore stores the year's supervision cycle in the database of
// package sqldb: each plan's reporting settings and periods, the office's
// calendar, reports and their versions, requests to close tasks, the status
// lights of each period, supervision notices, urges, reminders and in-app
// notifications. It shares sqldb's handle through sqldb's small exported API
// (transactions with their one "now", user and audit chain, and the
// dialect helpers), reads plans, tasks and units through sqldb/ledgerstore
// and enqueues messages through sqldb/deliverystore; its tables come from
// sqldb's numbered migrations.
//
// Each service method owns its transaction and writes its audit event in
// it; a change to a task's report recomputes that task's lights in the same
// transaction, so that a light never disagrees with the reports.
package cyclestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/calendar"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// Tx is sqldb's transaction, which every function here works in.
type Tx = sqldb.Tx

// base is what every service of the cycle holds: the database, and where
// group membership comes from (nil: no group has members yet).
type base struct {
	db     *sqldb.DB
	groups cycle.GroupMembers
	// Site is the server's address as people open it
	// (https://duban.example.gov.cn), for the links of the messages sent
	// through channels; empty, messages carry no link.
	Site string
}

// loadGroups returns the directory's group membership, or none.
func (b *base) loadGroups(ctx context.Context) (cycle.Groups, error) {
	if b.groups == nil {
		return nil, nil
	}
	return b.groups.FindGroupMembers(ctx)
}

// planInCycle returns a plan whose cycle may change: published. A draft is
// not yet what units answer for, and an archived plan is kept as it ended.
func planInCycle(tx *Tx, id int64) (*duban.Plan, error) {
	p, err := ledgerstore.FindPlan(tx, id)
	if err != nil {
		return nil, err
	}
	switch p.State {
	case duban.PlanDraft:
		return nil, duban.Errorf(duban.ECONFLICT, "文件“%s”尚未发布：发布后才能开展填报。", p.Title)
	case duban.PlanArchived:
		return nil, duban.Errorf(duban.ECONFLICT, "文件“%s”已归档，不能再填报或修改。", p.Title)
	}
	return p, nil
}

// loadCalendar returns the calendar with the office's overrides.
func loadCalendar(tx *Tx) (*calendar.Calendar, error) {
	overrides, err := findOverrides(tx, cycle.CalendarFilter{})
	if err != nil {
		return nil, err
	}
	return calendar.New(overrides)
}

// loadSettings returns a plan's settings, the defaults when none are kept;
// with a calendar, it says whether the calendar knows the plan's year.
func loadSettings(tx *Tx, p *duban.Plan, cal cycle.Workdays) (*cycle.CycleSettings, error) {
	c := cycle.DefaultCycleSettings(p)
	var data string
	err := tx.QueryRow("SELECT settings, updated_at FROM cycle_settings WHERE plan_id = ?", p.ID).Scan(&data, sqldb.TimeCol(&c.UpdatedAt))
	switch {
	case isNoRows(err):
	case err != nil:
		return nil, tx.QueryError("SELECT cycle_settings", err)
	default:
		if err := json.Unmarshal([]byte(data), c); err != nil {
			return nil, fmt.Errorf("cycle: settings of plan %d: %w", p.ID, err)
		}
	}
	c.PlanID = p.ID
	if cal != nil {
		c.CalendarKnown = cal.Known(p.Year)
	}
	return c, nil
}

// notify adds an in-app notification. One with a key already added (by any
// server) is not added again; added says whether this one was.
func notify(tx *Tx, n *cycle.Notification) (added bool, err error) {
	var key any
	if n.Key != "" {
		key = n.Key
	}
	n.CreatedAt = tx.Now()
	res, err := tx.Exec(`INSERT INTO notifications (user_id, unit_id, office, kind, text, text_en, link, dedup_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING`,
		sqldb.NullID(n.UserID), sqldb.NullID(n.UnitID), n.Office, string(n.Kind), n.Text, n.TextEN, n.Link, key, tx.Time(n.CreatedAt))
	if err != nil {
		return false, err
	}
	rows, err := res.RowsAffected()
	return rows > 0, err
}

// unitName returns a unit's name for messages, or "#id" when it is gone.
func unitName(tx *Tx, id int64) string {
	if u, err := ledgerstore.FindUnit(tx, id); err == nil {
		return u.Name
	}
	return fmt.Sprintf("单位 #%d", id)
}

// toJSON marshals a value kept as JSON text.
func toJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// fromJSON reads a value kept as JSON text; "" leaves v as it is.
func fromJSON(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// checkEvidence refuses references to files that were never recorded.
func checkEvidence(tx *Tx, refs []cycle.EvidenceRef) error {
	for _, e := range refs {
		n, err := tx.Count("SELECT count(*) FROM evidence WHERE sha256 = ?", e.SHA256)
		if err != nil {
			return err
		}
		if n == 0 {
			return duban.Errorf(duban.EINVALID, "附件“%s”没有上传成功：请重新上传。", e.Name)
		}
	}
	return nil
}

// condition gathers the WHERE conditions of a filter and their arguments.
type condition struct {
	conds []string
	args  []any
}

func (c *condition) add(cond string, args ...any) {
	c.conds, c.args = append(c.conds, cond), append(c.args, args...)
}

func (c *condition) where() string { return sqldb.Where(c.conds) }

// countPaged counts the rows of a list's FROM … WHERE when the list is a
// page of them; -1 when it is not, for the caller to count what it read.
func countPaged(tx *Tx, from string, args []any, limit, offset int) (int, error) {
	if limit == 0 && offset == 0 {
		return -1, nil
	}
	return tx.Count("SELECT count(*)"+from, args...)
}

// inIDs returns "(?, ?, …)" and the arguments for ids.
func inIDs(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "(" + sqldb.Placeholders(len(ids)) + ")", args
}

// draftsHidden is the condition hiding drafts from those who may not see
// them, over plans aliased p.
func draftsHidden(tx *Tx, c *condition) {
	if !duban.CanViewDrafts(tx.User()) {
		c.add("p.state <> 'draft'")
	}
}

// joinNames joins names for a sentence: 甲、乙、丙.
func joinNames(names []string) string { return strings.Join(slices.Compact(names), "、") }

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
