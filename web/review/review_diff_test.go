package review

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

// show writes spans as the change list shows them: [-removed-]{+added+}.
func show(spans []diffSpan) string {
	var b strings.Builder
	for _, s := range spans {
		switch s.Op {
		case "+":
			b.WriteString("{+" + s.Text + "+}")
		case "-":
			b.WriteString("[-" + s.Text + "-]")
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestDiffText(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"新增高新技术企业 119 家", "新增高新技术企业 125 家", "新增高新技术企业 [-119-]{+125+} 家"},
		{"推进城市更新", "推进城市更新", "推进城市更新"},
		{"", "新增任务", "{+新增任务+}"},
		{"删除的任务", "", "[-删除的任务-]"},
		{"完成片区改造，建设公园", "完成片区改造，新建口袋公园 3 处", "完成片区改造，[-建设-]{+新建口袋+}公园{+ 3 处+}"},
		// A single kept character between changes is folded into them.
		{"甲乙丙", "丁乙戊", "[-甲乙丙-]{+丁乙戊+}"},
		{"增长 8.5%以上", "增长 9%以上", "增长 [-8.5%-]{+9%+}以上"},
	} {
		if got := show(diffText(c.a, c.b)); got != c.want {
			t.Errorf("diffText(%q, %q): got %s, want %s", c.a, c.b, got, c.want)
		}
	}
	// Long texts that differ in one place are compared around it; long
	// texts that differ throughout are shown as one replaced by the other.
	long := strings.Repeat("甲", 3000)
	if got := show(diffText(long+"乙"+long, long+"丙"+long)); got != long+"[-乙-]{+丙+}"+long {
		t.Errorf("a change inside long texts: got %.40s…", got)
	}
	if got := diffText("乙"+long, strings.Repeat("丁", 3000)); len(got) != 2 || got[0].Op != "-" || got[1].Op != "+" {
		t.Errorf("long texts with nothing in common: got %d spans, want a removal and an addition", len(got))
	}
}

func TestSourceSpans(t *testing.T) {
	task := func(id int64, text string) *duban.Task { return &duban.Task{ID: id, Text: text} }
	b := &sourceBlock{
		Text:       "开头。任务一的内容，（牵头单位：甲）任务二的内容（牵头单位：乙）没有分工的话。",
		Tasks:      []*duban.Task{task(1, "任务一的内容"), task(2, "任务二的内容"), task(3, "改过的内容")},
		Statements: []*duban.Statement{{ID: 9, Text: "没有分工的话", State: duban.StatementOpen}},
	}
	var got []string
	for _, s := range b.Spans() {
		got = append(got, fmt.Sprintf("%s|%s|%v", s.Text, s.Item, s.Open))
	}
	want := []string{"开头。||false", "任务一的内容|t1|false", "，（牵头单位：甲）||false", "任务二的内容|t2|false",
		"（牵头单位：乙）||false", "没有分工的话|s9|true", "。||false"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("spans:\ngot  %q\nwant %q", got, want)
	}
	// The same words twice mark two items, in order.
	b = &sourceBlock{Text: "同样的话；同样的话", Tasks: []*duban.Task{task(1, "同样的话"), task(2, "同样的话")}}
	if s := b.Spans(); len(s) != 3 || s[0].Item != "t1" || s[2].Item != "t2" {
		t.Errorf("repeated words: got %+v", s)
	}
}

func TestClauses(t *testing.T) {
	p := &planPageData{}
	got := p.Clauses("推进甲；完成乙。建设丙")
	want := []clause{{"推进甲；", 4}, {"完成乙。", 8}, {"建设丙", 0}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("clauses: got %v, want %v", got, want)
	}
	if got := p.Clauses("一句话。"); len(got) != 1 {
		t.Errorf("a text ending with its only full stop: got %v, want one clause", got)
	}
}
