package duban

import (
	"encoding/json"
	"strings"
)

// Label is the task state's name as users read it.
func (s TaskState) Label() string {
	switch s {
	case TaskActive:
		return "执行中"
	case TaskWithdrawn:
		return "已撤销"
	}
	return string(s)
}

// FieldChange is one field of a task as a change left it: the field's name
// as users read it, what it was and what it became ("" for nothing).
type FieldChange struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// TaskChanges lists the fields that differ between a task before and after
// a change, in the order the task page shows them, so that its history says
// what each change did rather than only that there was one. A creation
// (before nil) lists what the task was given, a deletion (after nil) what
// it had.
func TaskChanges(before, after *Task) []FieldChange {
	if before == nil && after == nil {
		return nil
	}
	empty := &Task{}
	if before == nil {
		before = empty
	}
	if after == nil {
		after = empty
	}
	var out []FieldChange
	add := func(field, from, to string) {
		if from != to {
			out = append(out, FieldChange{Field: field, From: from, To: to})
		}
	}
	no := func(t *Task) string {
		if t == empty {
			return ""
		}
		return TaskNo(t.Section, t.Area, t.Seq)
	}
	owners := func(list []Owner) string { return strings.Join(OwnerNames(list), "、") }
	targets := func(list []Indicator) string {
		texts := make([]string, len(list))
		for i, in := range list {
			texts[i] = in.Text
		}
		return strings.Join(texts, "；")
	}
	state := func(t *Task) string {
		if t == empty || t.State == TaskActive {
			return ""
		}
		return t.State.Label()
	}
	add("编号", no(before), no(after))
	add("任务内容", before.Text, after.Text)
	add("牵头领导", owners(before.LeadLeaders), owners(after.LeadLeaders))
	add("牵头单位", owners(before.LeadUnits), owners(after.LeadUnits))
	add("责任单位", owners(before.ResponsibleUnits), owners(after.ResponsibleUnits))
	add("完成时限", before.Deadline, after.Deadline)
	add("量化指标", targets(before.Indicators), targets(after.Indicators))
	add("状态", state(before), state(after))
	return out
}

// ActionComment is the audit action of a comment on a task: the one event of
// a task's history that carries a comment rather than the task.
const ActionComment = "task.comment"

// TaskChanges lists what an event of a task's history changed, from the
// task before and after it; nil for an event that carries no task (a
// comment) or whose task cannot be read.
func (e *AuditEvent) TaskChanges() []FieldChange {
	if e.Entity != "task" || e.Action == ActionComment {
		return nil
	}
	read := func(raw []byte) (*Task, bool) {
		if len(raw) == 0 {
			return nil, true
		}
		var t Task
		return &t, json.Unmarshal(raw, &t) == nil
	}
	before, ok1 := read(e.Before)
	after, ok2 := read(e.After)
	if !ok1 || !ok2 {
		return nil
	}
	return TaskChanges(before, after)
}
