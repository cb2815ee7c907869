package duban_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
)

// TestTaskChanges tells each field a change made, with what it was and what
// it became, in the task page's order; an unchanged field is not told.
func TestTaskChanges(t *testing.T) {
	before := &duban.Task{Section: 1, Area: 2, Seq: 3, Text: "推进城市更新", Deadline: "2022年6月底前", State: duban.TaskActive,
		LeadLeaders: []duban.Owner{{ID: 1, Name: "武毅"}}, LeadUnits: []duban.Owner{{ID: 2, Name: "区住建局"}},
		ResponsibleUnits: []duban.Owner{{ID: 3, Name: "区财政局"}, {ID: 4, Name: "区审计局"}},
		Indicators:       []duban.Indicator{{Text: "新增 5 个"}}}
	after := before.Clone()
	after.Deadline = "2022年9月底前"
	after.ResponsibleUnits = after.ResponsibleUnits[:1]
	after.State = duban.TaskWithdrawn
	got := duban.TaskChanges(before, after)
	want := []duban.FieldChange{
		{Field: "责任单位", From: "区财政局、区审计局", To: "区财政局"},
		{Field: "完成时限", From: "2022年6月底前", To: "2022年9月底前"},
		{Field: "状态", From: "", To: "已撤销"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("a change: got %v, want %v", got, want)
	}
	if got := duban.TaskChanges(before, before.Clone()); len(got) != 0 {
		t.Errorf("no change: got %v", got)
	}
	created := duban.TaskChanges(nil, before)
	if len(created) != 7 || created[0] != (duban.FieldChange{Field: "编号", To: "1.2.3"}) || created[1].To != "推进城市更新" {
		t.Errorf("a creation: got %v, want every field given, from nothing", created)
	}
	if got := duban.TaskChanges(before, nil); len(got) != 7 || got[5] != (duban.FieldChange{Field: "完成时限", From: "2022年6月底前"}) {
		t.Errorf("a deletion: got %v", got)
	}

	// An event of a task's history tells the same from its JSON; a
	// comment's event tells no field.
	b, _ := json.Marshal(before)
	a, _ := json.Marshal(after)
	e := &duban.AuditEvent{Action: "task.update", Entity: "task", Before: b, After: a}
	if got := e.TaskChanges(); !slices.Equal(got, want) {
		t.Errorf("an event: got %v, want %v", got, want)
	}
	comment := &duban.AuditEvent{Action: duban.ActionComment, Entity: "task", After: json.RawMessage(`{"text":"已完成"}`)}
	if got := comment.TaskChanges(); got != nil {
		t.Errorf("a comment's event: got %v, want nothing", got)
	}
	broken := &duban.AuditEvent{Action: "task.update", Entity: "task", Before: json.RawMessage(`{`)}
	if got := broken.TaskChanges(); got != nil {
		t.Errorf("an event whose task cannot be read: got %v, want nothing", got)
	}
}

// TestSectionWord labels a plan's top-level headings with the word every
// heading of its notice uses, or 部分.
func TestSectionWord(t *testing.T) {
	for _, c := range []struct {
		titles []string
		want   string
	}{
		{[]string{"主要预期目标", "大力实施城市更新行动，构建区域协调发展新格局", "大力实施产业升级行动，建设新旧动能转换新高地"}, "行动"},
		{[]string{"主要预期目标", "坚持工业强县，推动经济高质量发展", "坚持生态立县，深化“两山”理念实践"}, "部分"},
		{[]string{"实施产业攻坚工程", "实施民生提升工程"}, "工程"},
		{nil, "部分"},
	} {
		p := &duban.Plan{}
		for i, title := range c.titles {
			no := i
			if c.titles[0] != "主要预期目标" {
				no = i + 1
			}
			p.Sections = append(p.Sections, duban.Section{No: no, Title: title})
		}
		if got := p.SectionWord(); got != c.want {
			t.Errorf("%v: got %q, want %q", c.titles, got, c.want)
		}
	}
}

// TestNewFormDraft keeps what was typed, never the CSRF token or a password,
// and nothing when nothing was typed or too much to keep.
func TestNewFormDraft(t *testing.T) {
	d, ok := duban.NewFormDraft("/tasks/7", "/tasks/7/comments", map[string][]string{
		"text": {"本月完成了第一阶段。"}, "csrf": {"token"}, "password": {"secret"}, "current_password": {"old"}})
	if !ok || d.Fields.Get("text") != "本月完成了第一阶段。" || d.Fields.Has("csrf") || d.Fields.Has("password") || d.Fields.Has("current_password") ||
		d.Page != "/tasks/7" || d.Action != "/tasks/7/comments" {
		t.Errorf("a comment: got %+v, %v", d, ok)
	}
	if _, ok := duban.NewFormDraft("/me", "/me/password", map[string][]string{"csrf": {"t"}, "new_password": {"x"}, "repeat_password": {"x"}}); ok {
		t.Error("a form with nothing typed but passwords: kept a draft")
	}
	big := make([]byte, duban.MaxDraft+1)
	for i := range big {
		big[i] = 'a'
	}
	if _, ok := duban.NewFormDraft("/", "/x", map[string][]string{"text": {string(big)}}); ok {
		t.Error("a form too large to keep: kept a draft")
	}
}
