package duban_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

func TestTaskSplit(t *testing.T) {
	base := func() *duban.Task {
		return &duban.Task{
			ID: 1, PlanID: 2, Section: 1, Area: 2, Seq: 3, State: duban.TaskActive,
			Text:        "新增高新技术企业 119 家，发挥省信用增进投资公司作用，新增上云企业 2000 家",
			LeadUnits:   []duban.Owner{{ID: 5, Name: "区科学技术局"}},
			Deadline:    "年底前",
			Indicators:  []duban.Indicator{{Text: "新增高新技术企业 119 家"}, {Text: "新增上云企业 2000 家"}},
			LeadLeaders: []duban.Owner{{Name: "洪露"}},
		}
	}
	for _, c := range []struct {
		name      string
		at        int
		wantFirst string
		wantNext  string
		wantCode  string
	}{
		{"before the comma", 14, "新增高新技术企业 119 家", "发挥省信用增进投资公司作用，新增上云企业 2000 家", ""},
		{"at the start", 0, "", "", duban.EINVALID},
		{"past the end", 1000, "", "", duban.EINVALID},
		{"after the comma", 15, "新增高新技术企业 119 家", "发挥省信用增进投资公司作用，新增上云企业 2000 家", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			task := base()
			next, err := task.Split(c.at)
			if got := duban.ErrorCode(err); got != c.wantCode {
				t.Fatalf("got code %q (%v), want %q", got, err, c.wantCode)
			}
			if err != nil {
				return
			}
			if got := task.Text; got != c.wantFirst {
				t.Errorf("first: got %q, want %q", got, c.wantFirst)
			}
			if got := next.Text; got != c.wantNext {
				t.Errorf("second: got %q, want %q", got, c.wantNext)
			}
			if got, want := len(task.Indicators), 1; got != want {
				t.Errorf("first's targets: got %d, want %d", got, want)
			}
			if got, want := len(next.Indicators), 1; got != want {
				t.Errorf("second's targets: got %d, want %d", got, want)
			}
			if got, want := next.No, "1.2.4"; got != want {
				t.Errorf("second's number: got %q, want %q", got, want)
			}
			if next.Issued != nil {
				t.Errorf("second's issued: got %+v, want nil (the office made it)", next.Issued)
			}
			if got, want := duban.OwnerNames(next.LeadUnits), []string{"区科学技术局"}; !equal(got, want) {
				t.Errorf("second's lead units: got %q, want %q", got, want)
			}
			if got, want := next.Deadline, "年底前"; got != want {
				t.Errorf("second's deadline: got %q, want %q", got, want)
			}
		})
	}
}

func TestTaskMerge(t *testing.T) {
	a := &duban.Task{
		Text:             "加快推进中央商务区西片区，",
		LeadUnits:        []duban.Owner{{ID: 1, Name: "区住房和城市建设局"}},
		ResponsibleUnits: []duban.Owner{{ID: 2, Name: "区自然资源局"}},
	}
	b := &duban.Task{
		Text:             "中建八局地块等4个项目征收",
		LeadUnits:        []duban.Owner{{ID: 1, Name: "区住房和城市建设局"}},
		ResponsibleUnits: []duban.Owner{{ID: 3, Name: "历下控股集团"}, {ID: 2, Name: "区自然资源局"}},
		Deadline:         "6月底前",
		Indicators:       []duban.Indicator{{Text: "4个项目", Metric: "项目", Value: 4, Unit: "个", Cmp: duban.CmpEqual}},
	}
	a.Merge(b)
	if got, want := a.Text, "加快推进中央商务区西片区；中建八局地块等4个项目征收"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	if got, want := duban.OwnerNames(a.LeadUnits), []string{"区住房和城市建设局"}; !equal(got, want) {
		t.Errorf("lead units: got %q, want %q", got, want)
	}
	if got, want := duban.OwnerNames(a.ResponsibleUnits), []string{"区自然资源局", "历下控股集团"}; !equal(got, want) {
		t.Errorf("responsible units: got %q, want %q", got, want)
	}
	if got, want := a.Deadline, "6月底前"; got != want {
		t.Errorf("deadline: got %q, want %q", got, want)
	}
	if got, want := len(a.Indicators), 1; got != want {
		t.Errorf("targets: got %d, want %d", got, want)
	}
}

func TestTaskValidate(t *testing.T) {
	upper := 3.0
	valid := func() *duban.Task {
		return &duban.Task{No: "1.1.1", Section: 1, Area: 1, Seq: 1, State: duban.TaskActive, Text: "任务", LeadUnits: []duban.Owner{{Name: "区财政局"}}}
	}
	for _, c := range []struct {
		name   string
		change func(t *duban.Task)
		want   string
	}{
		{"valid", func(t *duban.Task) {}, ""},
		{"empty text", func(t *duban.Task) { t.Text = "  " }, duban.EINVALID},
		{"too long", func(t *duban.Task) { t.Text = strings.Repeat("字", duban.MaxTaskText+1) }, duban.EINVALID},
		{"no owners", func(t *duban.Task) { t.LeadUnits = nil }, duban.EINVALID},
		{"empty owner name", func(t *duban.Task) { t.ResponsibleUnits = []duban.Owner{{Name: " "}} }, duban.EINVALID},
		{"owner twice", func(t *duban.Task) { t.LeadUnits = append(t.LeadUnits, duban.Owner{Name: "区财政局 "}) }, duban.EINVALID},
		{"owner in two lists", func(t *duban.Task) { t.ResponsibleUnits = []duban.Owner{{Name: "区财政局"}} }, ""},
		{"bad state", func(t *duban.Task) { t.State = "lost" }, duban.EINVALID},
		{"bad seq", func(t *duban.Task) { t.Seq = 0 }, duban.EINVALID},
		{"target without metric", func(t *duban.Task) { t.Indicators = []duban.Indicator{{Cmp: duban.CmpEqual}} }, duban.EINVALID},
		{"target with bad comparison", func(t *duban.Task) { t.Indicators = []duban.Indicator{{Metric: "m", Cmp: "≈"}} }, duban.EINVALID},
		{"range without upper", func(t *duban.Task) { t.Indicators = []duban.Indicator{{Metric: "m", Cmp: duban.CmpRange, Value: 2}} }, duban.EINVALID},
		{"range", func(t *duban.Task) {
			t.Indicators = []duban.Indicator{{Metric: "m", Cmp: duban.CmpRange, Value: 2, Upper: &upper}}
		}, ""},
		{"upper without range", func(t *duban.Task) {
			t.Indicators = []duban.Indicator{{Metric: "m", Cmp: duban.CmpEqual, Upper: &upper}}
		}, duban.EINVALID},
	} {
		t.Run(c.name, func(t *testing.T) {
			task := valid()
			c.change(task)
			if got := duban.ErrorCode(task.Validate()); got != c.want {
				t.Errorf("got %q (%v), want %q", got, task.Validate(), c.want)
			}
		})
	}
}

func TestTaskUpdateApply(t *testing.T) {
	task := &duban.Task{Text: "旧", Deadline: "旧", LeadUnits: []duban.Owner{{Name: "甲"}}}
	text, units := " 新 ", []duban.Owner{{Name: "乙"}}
	duban.TaskUpdate{Text: &text, ResponsibleUnits: &units}.Apply(task)
	if got, want := task.Text, "新"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	if got, want := task.Deadline, "旧"; got != want {
		t.Errorf("deadline (not given): got %q, want %q", got, want)
	}
	if got, want := duban.OwnerNames(task.LeadUnits), []string{"甲"}; !equal(got, want) {
		t.Errorf("lead units (not given): got %q, want %q", got, want)
	}
	if got, want := duban.OwnerNames(task.ResponsibleUnits), []string{"乙"}; !equal(got, want) {
		t.Errorf("responsible units: got %q, want %q", got, want)
	}
}

func TestTaskHasUnit(t *testing.T) {
	task := &duban.Task{LeadUnits: []duban.Owner{{ID: 1}}, ResponsibleUnits: []duban.Owner{{ID: 2}, {Name: "未映射"}}, LeadLeaders: []duban.Owner{{ID: 9}}}
	for _, c := range []struct {
		id   int64
		want bool
	}{{1, true}, {2, true}, {3, false}, {0, false}} {
		if got := task.HasUnit(c.id); got != c.want {
			t.Errorf("HasUnit(%d): got %v, want %v", c.id, got, c.want)
		}
	}
	if !task.HasLeader(9) || task.HasLeader(0) || task.HasLeader(1) {
		t.Errorf("HasLeader: got 9=%v 0=%v 1=%v, want true false false", task.HasLeader(9), task.HasLeader(0), task.HasLeader(1))
	}
}

func TestTaskClone(t *testing.T) {
	task := &duban.Task{LeadUnits: []duban.Owner{{Name: "甲"}}, Issued: &duban.IssuedTask{Text: "原文"}}
	c := task.Clone()
	task.LeadUnits[0].ID = 7
	task.Issued.Text = "改"
	if got := c.LeadUnits[0].ID; got != 0 {
		t.Errorf("clone's owner ID changed with the original: got %d, want 0", got)
	}
	if got, want := c.Issued.Text, "原文"; got != want {
		t.Errorf("clone's issued text: got %q, want %q", got, want)
	}
}
