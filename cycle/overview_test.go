package cycle

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
)

// overviewTasks are four tasks: 1.1.1 led by 甲局 with the street group
// responsible and a target, seriously behind; 0.0.1 led by 乙街道, done;
// 1.1.2 withdrawn; 1.1.3 led by 丙街道 without a light yet.
func overviewTasks() []*duban.Task {
	return []*duban.Task{
		{ID: 1, No: "1.1.1", Section: 1, State: duban.TaskActive, Text: "推进城市更新。再推进。",
			LeadLeaders: []duban.Owner{{ID: 10, Name: "武毅"}}, LeadUnits: []duban.Owner{{ID: 1, Name: "甲局"}},
			ResponsibleUnits: []duban.Owner{{ID: 9, Name: "各街道办事处"}},
			Indicators:       []duban.Indicator{{Metric: "新增企业", Value: 100, Unit: "家", Cmp: duban.CmpAtLeast}}},
		{ID: 2, No: "0.0.1", Section: 0, State: duban.TaskActive, Text: "地区生产总值增长",
			LeadLeaders: []duban.Owner{{ID: 11, Name: "王若曦"}}, LeadUnits: []duban.Owner{{ID: 2, Name: "乙街道"}},
			ResponsibleUnits: []duban.Owner{{ID: 1, Name: "甲局"}}},
		{ID: 3, No: "1.1.2", Section: 1, State: duban.TaskWithdrawn, LeadUnits: []duban.Owner{{ID: 1, Name: "甲局"}}},
		{ID: 4, No: "1.1.3", Section: 1, State: duban.TaskActive, Text: "建设学校",
			LeadLeaders: []duban.Owner{{ID: 10, Name: "武毅"}}, LeadUnits: []duban.Owner{{ID: 3, Name: "丙街道"}}},
	}
}

var overviewPlan = &duban.Plan{ID: 1, Year: 2022, Title: "关于印发 2022 年《政府工作报告》目标任务分解的通知",
	Sections: []duban.Section{{No: 0, Title: "主要预期目标"}, {No: 1, Title: "城市更新行动"}}}

// overviewGroups: the street group (9) stands for 乙街道 (2) and 丙街道 (3).
var overviewGroups = Groups{9: {2, 3}}

func TestBuildOverview(t *testing.T) {
	july := &Period{ID: 7, PlanID: 1, Seq: 7, Label: "2022年7月", Start: duban.NewDate(2022, 7, 1), End: duban.NewDate(2022, 7, 31),
		Due: duban.NewDate(2022, 7, 25)}
	forty := 40.0
	f := &Figures{PlanID: 1, Today: duban.NewDate(2022, 7, 27), Period: july,
		Lights: map[int64]*Light{
			1: {TaskID: 1, Status: LightSevere, Reason: "落后", Reached: []Actual{{Indicator: 0, Value: &forty}}},
			2: {TaskID: 2, Status: LightDone},
		},
		Trend:  []PeriodCounts{{Period: july, Counts: LightCounts{0, 1, 0, 0, 1, 0, 0}}},
		Handed: []HandedReport{{TaskID: 2, UnitID: 2, Kind: ReportTask}},
	}
	o := BuildOverview(overviewPlan, overviewTasks(), overviewGroups, f, 10)
	if o.Tasks != 3 || o.Totals.Of(LightSevere) != 1 || o.Totals.Of(LightDone) != 1 || o.Totals.Of(LightNotStarted) != 1 || o.Totals.Total() != 3 {
		t.Errorf("totals: %d tasks, %v", o.Tasks, o.Totals)
	}
	if got := o.Totals.Behind(); got != 1 {
		t.Errorf("behind: got %d, want 1", got)
	}
	rows := func(rs []OverviewRow) map[string]OverviewRow {
		m := map[string]OverviewRow{}
		for _, r := range rs {
			m[r.Name] = r
		}
		return m
	}
	sec := rows(o.Sections)
	if sec["城市更新行动"].Counts.Total() != 2 || sec["主要预期目标"].Counts.Of(LightDone) != 1 || len(o.Sections) != 2 {
		t.Errorf("sections: %+v", o.Sections)
	}
	lead := rows(o.Leaders)
	if w := lead["武毅"]; w.Counts.Of(LightSevere) != 1 || w.Counts.Of(LightNotStarted) != 1 || lead["王若曦"].Counts.Total() != 1 {
		t.Errorf("leaders: %+v", o.Leaders)
	}
	// The group reaches its members and is no row of its own; a unit
	// counts a task once however often the task names it.
	units := map[int64]OverviewRow{}
	for _, r := range o.Units {
		units[r.ID] = r
	}
	for id, want := range map[int64][2]int{1: {2, 1}, 2: {2, 1}, 3: {2, 1}} {
		if r := units[id]; r.Counts.Total() != want[0] || r.Lead != want[1] {
			t.Errorf("unit %d: %d tasks, leads %d; want %v", id, r.Counts.Total(), r.Lead, want)
		}
	}
	if _, ok := units[9]; ok || len(o.Units) != 3 {
		t.Errorf("units: %+v, want the group's members, not the group", o.Units)
	}
	if len(o.Targets) != 1 || o.Targets[0].Progress.Ratio != 0.4 || o.Targets[0].Light != LightSevere || o.Targets[0].TaskNo != "1.1.1" {
		t.Errorf("targets: %+v", o.Targets)
	}
	if len(o.Mine) != 2 || o.Mine[0].Task.ID != 1 || o.Mine[1].Task.ID != 4 {
		t.Errorf("the leader's tasks: %+v, want 1.1.1 (seriously behind) before 1.1.3 (not started)", o.Mine)
	}
	// Owed after the due date: 甲局 1.1.1's report and its part of 0.0.1;
	// 乙街道 and 丙街道 their parts of 1.1.1, 丙街道 also 1.1.3's report.
	if o.OverdueReports != 5 {
		t.Errorf("overdue reports: got %d, want 5", o.OverdueReports)
	}
	var got []int64
	for _, u := range o.Overdue {
		got = append(got, u.UnitID)
	}
	if !slices.Equal(got, []int64{3, 1, 2}) {
		t.Errorf("overdue units: %v, want the most first, then by name (丙街道 before 甲局)", got)
	}
	if o.Overdue[0].Reports != 2 || o.Overdue[len(o.Overdue)-1].Reports != 1 {
		t.Errorf("overdue: %+v", o.Overdue)
	}

	// Before the due date nothing is overdue; a reader who leads nothing
	// has no tasks of their own.
	f.Today = duban.NewDate(2022, 7, 20)
	o = BuildOverview(overviewPlan, overviewTasks(), overviewGroups, f, 0)
	if o.OverdueReports != 0 || len(o.Overdue) != 0 || len(o.Mine) != 0 {
		t.Errorf("before the due date: %d overdue, %d of mine", o.OverdueReports, len(o.Mine))
	}
	// No period begun: every task not started.
	o = BuildOverview(overviewPlan, overviewTasks(), nil, &Figures{PlanID: 1, Today: f.Today}, 0)
	if o.Totals.Of(LightNotStarted) != 3 || o.Period != nil {
		t.Errorf("nothing begun: %v", o.Totals)
	}
}

// TestLedBy lists the tasks an overview lists first for a leader: those
// in force the leader leads, none for no leader, never nil.
func TestLedBy(t *testing.T) {
	ix := NewPlanIndex(overviewPlan, overviewTasks(), overviewGroups)
	for _, c := range []struct {
		leader int64
		want   []int64
	}{{10, []int64{1, 4}}, {11, []int64{2}}, {0, []int64{}}, {99, []int64{}}} {
		if got := ix.LedBy(c.leader); got == nil || !slices.Equal(got, c.want) {
			t.Errorf("LedBy(%d) = %v, want %v", c.leader, got, c.want)
		}
	}
}

func TestMakeBulletin(t *testing.T) {
	july := &Period{ID: 7, PlanID: 1, Seq: 7, Label: "2022年7月", Start: duban.NewDate(2022, 7, 1), End: duban.NewDate(2022, 7, 31),
		Due: duban.NewDate(2022, 7, 25)}
	tasks := overviewTasks()
	late := time.Date(2022, 7, 26, 9, 0, 0, 0, duban.Beijing)
	hundred := 120.0
	in := &BulletinInput{Plan: overviewPlan, Period: july, Text: DefaultBulletinText(overviewPlan, july), Tasks: tasks, Groups: overviewGroups,
		Today: duban.NewDate(2022, 7, 28),
		Lights: []*Light{
			{TaskID: 1, Status: LightLagging, Reason: "完成 30%，按序时应达 58%", AsOf: duban.NewDate(2022, 7, 28),
				Reached: []Actual{{Indicator: 0, Value: &hundred}}},
			{TaskID: 2, Status: LightDone, AsOf: duban.NewDate(2022, 7, 28)},
			{TaskID: 4, Status: LightSevere, Reason: "已过完成时限", AsOf: duban.NewDate(2022, 7, 28)},
		},
		Reports: []*Report{
			{PeriodID: 7, TaskID: 2, UnitID: 2, Kind: ReportTask, State: ReportAccepted, Completion: 100,
				Progress: "上半年增长 8.5%。下半年继续。", SubmittedAt: late},
			{PeriodID: 7, TaskID: 1, UnitID: 1, Kind: ReportTask, State: ReportDraft, Progress: "草稿不算"},
			{PeriodID: 6, TaskID: 1, UnitID: 1, Kind: ReportTask, State: ReportAccepted, Progress: "上月的"},
		},
	}
	b := MakeBulletin(in)
	if !strings.Contains(b.Title, "《政府工作报告》") || !strings.Contains(b.Title, "2022年7月") {
		t.Errorf("title: %q", b.Title)
	}
	if len(b.Severe) != 1 || b.Severe[0].TaskNo != "1.1.3" || b.Severe[0].Note != "已过完成时限" ||
		len(b.Lagging) != 1 || b.Lagging[0].TaskNo != "1.1.1" || b.Lagging[0].Units != "甲局" {
		t.Errorf("red %+v, yellow %+v", b.Severe, b.Lagging)
	}
	if b.Tasks != 3 || b.Targets != 1 || b.Met != 1 {
		t.Errorf("%d tasks, %d targets, %d met; want 3, 1, 1", b.Tasks, b.Targets, b.Met)
	}
	// Owed: 1.1.1's report and two parts, 0.0.1's report and a part,
	// 1.1.3's report; one handed in, late.
	if b.Owed != 6 || b.Handed != 1 || b.Late != 1 {
		t.Errorf("owed %d, handed %d, late %d; want 6, 1, 1", b.Owed, b.Handed, b.Late)
	}
	if len(b.Overdue) != 3 || b.Overdue[0].Name == "" {
		t.Errorf("overdue: %+v", b.Overdue)
	}
	if len(b.Highlights) != 1 || b.Highlights[0].Title != "主要预期目标" || b.Highlights[0].Items[0].Note != "上半年增长 8.5%。" {
		t.Errorf("highlights: %+v", b.Highlights)
	}
	if b.AsOf != duban.NewDate(2022, 7, 28) {
		t.Errorf("as of %s", b.AsOf)
	}
}

func TestBulletinTextValidate(t *testing.T) {
	ok := func() *BulletinText {
		return DefaultBulletinText(overviewPlan, &Period{ID: 1, Label: "2022年7月"})
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("the defaults: %v", err)
	}
	for name, change := range map[string]func(*BulletinText){
		"no opening":         func(b *BulletinText) { b.Opening = " " },
		"no closing":         func(b *BulletinText) { b.Closing = "" },
		"no signature":       func(b *BulletinText) { b.Signature = "" },
		"a number of 2 rows": func(b *BulletinText) { b.Number = "一\n二" },
		"a long addressee":   func(b *BulletinText) { b.To = strings.Repeat("单", MaxBulletinLine+1) },
		"a long opening":     func(b *BulletinText) { b.Opening = strings.Repeat("段", MaxBulletinParagraph+1) },
	} {
		b := ok()
		change(b)
		if err := b.Validate(); duban.ErrorCode(err) != duban.EINVALID {
			t.Errorf("%s: got %v, want invalid", name, err)
		}
	}
	b := ok()
	BulletinTextUpdate{Opening: ptrTo(" 开头\r\n第二段 "), Number: ptrTo("历下督字〔2022〕5号")}.Apply(b)
	if b.Opening != "开头\n第二段" || b.Number != "历下督字〔2022〕5号" || b.Closing == "" {
		t.Errorf("applied: %+v", b)
	}
}

func TestReachedText(t *testing.T) {
	a, b := 38700.0, -1.5
	in := []Actual{{Indicator: 0, Value: &a}, {Indicator: 1}, {Indicator: 2, Value: &b}}
	text := ReachedText(in)
	if text != "0=38700;2=-1.5" {
		t.Errorf("got %q", text)
	}
	out, err := ParseReached(text)
	if err != nil || len(out) != 2 || *out[0].Value != a || out[1].Indicator != 2 || *out[1].Value != b {
		t.Errorf("read back %+v, %v", out, err)
	}
	for _, bad := range []string{"x", "0=", "=1", "-1=2", "0=1;;"} {
		if _, err := ParseReached(bad); err == nil {
			t.Errorf("%q read without error", bad)
		}
	}
}

// TestReachedReader reads many lights' texts into shared arrays: each
// reads as ParseReached reads it alone, and appending to one leaves the
// next as it was.
func TestReachedReader(t *testing.T) {
	texts := []string{"0=38700;2=-1.5", "", "1=1e3", "0=1;1=2;2=3", "4=0.5;"}
	r := NewReachedReader(3)
	var got [][]Actual
	for _, s := range texts {
		a, err := r.Read(s)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		got = append(got, a)
	}
	extra := 9.0
	got[0] = append(got[0], Actual{Indicator: 7, Value: &extra})
	for i, s := range texts {
		want, _ := ParseReached(s)
		if i == 0 {
			want = append(want, Actual{Indicator: 7, Value: &extra})
		}
		if ReachedText(got[i]) != ReachedText(want) || len(got[i]) != len(want) {
			t.Errorf("%q read %q, want %q", s, ReachedText(got[i]), ReachedText(want))
		}
	}
	if _, err := r.Read("0=1;;"); err == nil {
		t.Error("0=1;; read without error")
	}
}

func TestFirstSentence(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"完成了。还有", 10, "完成了。"},
		{"第一行\n第二行", 10, "第一行"},
		{"很长很长很长的一句话", 5, "很长很长…"},
		{"  短  ", 5, "短"},
	} {
		if got := FirstSentence(c.in, c.n); got != c.want {
			t.Errorf("FirstSentence(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// FuzzParseReached reads what a store keeps of a light's targets: what it
// reads, written again, reads the same.
func FuzzParseReached(f *testing.F) {
	for _, s := range []string{"", "0=38700;2=-1.5", "1=1e3", "x", "0=", "0=1;;", "9=NaN", "3=+Inf"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseReached(s)
		if err != nil {
			return
		}
		b, err := ParseReached(ReachedText(a))
		if err != nil || len(a) != len(b) {
			t.Fatalf("%q read %v, written %q, read again %v, %v", s, a, ReachedText(a), b, err)
		}
		for i := range a {
			if a[i].Indicator != b[i].Indicator || (*a[i].Value != *b[i].Value && *a[i].Value == *a[i].Value) {
				t.Fatalf("%q: %v became %v", s, a, b)
			}
		}
	})
}
