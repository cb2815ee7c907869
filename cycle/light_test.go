package cycle_test

import (
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

func d(s string) duban.Date {
	v, err := duban.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func TestExpected(t *testing.T) {
	steps := duban.ParseDeadline("6月底前开工、12月底前竣工", 2022).Milestones
	for _, tc := range []struct {
		end, day string
		steps    []duban.Milestone
		want     float64
	}{
		{"2022-12-31", "2022-07-31", nil, 58.08},
		{"2022-12-31", "2021-12-31", nil, 0},
		{"2022-12-31", "2023-01-10", nil, 100},
		{"2022-09-30", "2022-09-30", nil, 100},
		{"2022-12-31", "2022-06-30", steps, 50},
		{"2022-12-31", "2022-07-31", steps, 58.42},
		{"2022-12-31", "2022-03-31", steps, 24.86},
	} {
		got := cycle.Expected(d("2022-01-01"), d(tc.end), d(tc.day), tc.steps)
		if math.Abs(got-tc.want) > 0.01 {
			t.Errorf("Expected(to %s, on %s, %d steps): got %.2f, want %.2f", tc.end, tc.day, len(tc.steps), got, tc.want)
		}
	}
}

func TestComputeLight(t *testing.T) {
	base := func() cycle.LightInput {
		return cycle.LightInput{
			Year: 2022, Start: d("2022-01-01"), AsOf: d("2022-07-31"),
			Thresholds: cycle.DefaultThresholds(), Deadline: duban.ParseDeadline("", 2022),
			Reported: true, Completion: 50, Period: "2022年7月", Due: d("2022-07-25"),
		}
	}
	firms := duban.Indicator{Metric: "新增高新技术企业", Cmp: duban.CmpEqual, Value: 119, Unit: "家"}
	growth := duban.Indicator{Metric: "地区生产总值增长", Cmp: duban.CmpAtLeast, Value: 8, Unit: "%"}
	for _, tc := range []struct {
		name     string
		change   func(*cycle.LightInput)
		status   cycle.LightStatus
		reason   string
		reasonEN string
	}{
		{"normal", func(in *cycle.LightInput) {}, cycle.LightNormal, "完成 50%，按序时应达 58%（截至 7月31日）", "50% done; 58% expected by 31 July"},
		{"lagging", func(in *cycle.LightInput) { in.Completion = 45 }, cycle.LightLagging, "完成 45%，按序时应达 58%（截至 7月31日）", ""},
		{"severe", func(in *cycle.LightInput) { in.Completion = 30 }, cycle.LightSevere, "完成 30%，按序时应达 58%（截至 7月31日）", ""},
		{"not started", func(in *cycle.LightInput) { in.Completion = 0 }, cycle.LightNotStarted, "完成 0%，按序时应达 58%（截至 7月31日）", ""},
		{"nothing reported", func(in *cycle.LightInput) { in.Reported = false }, cycle.LightNotStarted, "尚未报送进展", "No progress reported yet"},
		{"missing", func(in *cycle.LightInput) { in.Owed, in.AsOf = true, d("2022-08-02") }, cycle.LightMissing, "2022年7月的报告应于 7月25日 前报送，已逾期 8 天", "The report for 2022年7月 was due on 25 July; 8 days overdue"},
		{"missing within grace", func(in *cycle.LightInput) { in.Owed = true; in.Thresholds.Grace = 10 }, cycle.LightNormal, "", ""},
		{"owed, not yet due", func(in *cycle.LightInput) { in.Owed, in.AsOf = true, d("2022-07-25") }, cycle.LightNormal, "", ""},
		{"returned", func(in *cycle.LightInput) { in.Owed, in.Returned, in.AsOf = true, true, d("2022-08-02") }, cycle.LightMissing, "2022年7月的报告被退回后尚未重新报送（应于 7月25日 前报送，已逾期 8 天）", ""},
		{"closed", func(in *cycle.LightInput) { in.Closed = d("2022-07-10"); in.Owed = true }, cycle.LightClosed, "已于 2022年7月10日 办结", "Closed on 10 July 2022"},
		{"closed later", func(in *cycle.LightInput) { in.Closed = d("2022-08-10") }, cycle.LightNormal, "", ""},
		{"done", func(in *cycle.LightInput) { in.Completion = 100 }, cycle.LightDone, "完成 100%", "100% done"},
		{"done with targets", func(in *cycle.LightInput) {
			in.Completion = 100
			in.Targets = []cycle.TargetProgress{cycle.Progress(&firms, 0, 119), cycle.Progress(&growth, 1, 8.2)}
		}, cycle.LightDone, "完成 100%，目标均已达成", ""},
		{"done but a target short", func(in *cycle.LightInput) {
			in.Completion = 100
			in.Targets = []cycle.TargetProgress{cycle.Progress(&firms, 0, 30)}
		}, cycle.LightSevere, "目标“新增高新技术企业”完成 25%，按序时应达 58%（截至 7月31日）", "target “新增高新技术企业” 25% reached; 58% expected by 31 July"},
		{"a rate short", func(in *cycle.LightInput) {
			in.Targets = []cycle.TargetProgress{cycle.Progress(&growth, 0, 7.6)}
		}, cycle.LightNormal, "完成 50%，按序时应达 58%（截至 7月31日）", ""},
		{"a rate well short", func(in *cycle.LightInput) {
			in.Completion = 58
			in.Targets = []cycle.TargetProgress{cycle.Progress(&growth, 0, 6)}
		}, cycle.LightSevere, "目标“地区生产总值增长”完成 75%，按序时应达 58%（截至 7月31日）", ""},
		{"past deadline", func(in *cycle.LightInput) { in.Deadline = duban.ParseDeadline("6月底前", 2022); in.Completion = 90 },
			cycle.LightSevere, "已过完成时限（6月30日），完成 90%", "past its deadline (30 June); 90% done"},
		{"milestones", func(in *cycle.LightInput) {
			in.Deadline = duban.ParseDeadline("6月底前开工、12月底前竣工", 2022)
			in.Completion = 30
		}, cycle.LightSevere, "完成 30%，按节点（12月底前竣工）应达 58%（截至 7月31日）", ""},
		{"unread deadline", func(in *cycle.LightInput) { in.Deadline = duban.ParseDeadline("尽快", 2022) },
			cycle.LightNormal, "完成 50%，按序时应达 58%（截至 7月31日）（完成时限“尽快”未能识别，按年底计）", ""},
		{"ongoing", func(in *cycle.LightInput) { in.Deadline = duban.ParseDeadline("长期坚持", 2022) },
			cycle.LightNormal, "完成 50%，按序时应达 58%（截至 7月31日）（长期任务，按年度计）", ""},
	} {
		in := base()
		tc.change(&in)
		l := cycle.ComputeLight(&in)
		l.Expand(in.Due)
		if l.Status != tc.status {
			t.Errorf("%s: got %s (%s), want %s", tc.name, l.Status, l.Reason, tc.status)
		}
		if tc.reason != "" && l.Reason != tc.reason {
			t.Errorf("%s: got reason %q, want %q", tc.name, l.Reason, tc.reason)
		}
		if tc.reasonEN != "" && l.ReasonEN != tc.reasonEN {
			t.Errorf("%s: got English reason %q, want %q", tc.name, l.ReasonEN, tc.reasonEN)
		}
		if l.Reason == "" || l.ReasonEN == "" {
			t.Errorf("%s: every light needs its reason in both languages: %+v", tc.name, l)
		}
	}
}

// TestLightDayMarked checks that a light's reasons name its day through
// marks, so that the same light a day later has the same digest (a store
// rewrites none of it) and reads with the later day once expanded.
func TestLightDayMarked(t *testing.T) {
	in := cycle.LightInput{Year: 2022, Start: d("2022-01-01"), Thresholds: cycle.DefaultThresholds(), Deadline: duban.ParseDeadline("", 2022),
		Reported: true, Completion: 50, Period: "2022年7月", Due: d("2022-07-25")}
	steps := in
	steps.Deadline = duban.ParseDeadline("6月底前开工、12月底前竣工", 2022)
	overdue := in
	overdue.Deadline, overdue.Owed = duban.ParseDeadline("6月底前", 2022), true
	for _, tc := range []struct {
		name       string
		in         cycle.LightInput
		days       [2]string
		reasons    [2]string
		reasonsEN  [2]string
		wantStatus cycle.LightStatus
	}{
		{"on track", in, [2]string{"2022-07-31", "2022-08-01"},
			[2]string{"完成 50%，按序时应达 58%（截至 7月31日）", "完成 50%，按序时应达 58%（截至 8月1日）"},
			[2]string{"50% done; 58% expected by 31 July", "50% done; 58% expected by 1 August"}, cycle.LightNormal},
		// Five days later the share expected has moved, with nothing to
		// rewrite: the light counts it over its time line.
		{"on track, the share expected moved", in, [2]string{"2022-07-31", "2022-08-05"},
			[2]string{"完成 50%，按序时应达 58%（截至 7月31日）", "完成 50%，按序时应达 59%（截至 8月5日）"},
			[2]string{"50% done; 58% expected by 31 July", "50% done; 59% expected by 5 August"}, cycle.LightNormal},
		{"in steps", steps, [2]string{"2022-07-31", "2022-08-02"},
			[2]string{"完成 50%，按节点（12月底前竣工）应达 58%（截至 7月31日）", "完成 50%，按节点（12月底前竣工）应达 59%（截至 8月2日）"},
			[2]string{"50% done; 58% expected by 31 July (step: 12月底前竣工)", "50% done; 59% expected by 2 August (step: 12月底前竣工)"},
			cycle.LightNormal},
		{"overdue", overdue, [2]string{"2022-08-02", "2022-08-03"},
			[2]string{"2022年7月的报告应于 7月25日 前报送，已逾期 8 天", "2022年7月的报告应于 7月25日 前报送，已逾期 9 天"},
			[2]string{"The report for 2022年7月 was due on 25 July; 8 days overdue", "The report for 2022年7月 was due on 25 July; 9 days overdue"},
			cycle.LightMissing},
	} {
		var digests [2]int64
		for i, day := range tc.days {
			tc.in.AsOf = d(day)
			l := cycle.ComputeLight(&tc.in)
			digests[i] = l.Digest()
			if strings.Contains(l.Reason, "日") && !strings.Contains(l.Reason, "7月25日") {
				t.Errorf("%s on %s: the reason as computed names a day: %q", tc.name, day, l.Reason)
			}
			l.Expand(tc.in.Due)
			if want := int(math.Round(cycle.Expected(tc.in.Start, tc.in.Deadline.End(2022), d(day), tc.in.Deadline.Milestones))); l.Expected != want {
				t.Errorf("%s on %s: expected %d%%, want %d%%", tc.name, day, l.Expected, want)
			}
			if l.Status != tc.wantStatus || l.Reason != tc.reasons[i] || l.ReasonEN != tc.reasonsEN[i] {
				t.Errorf("%s on %s: got %s %q %q, want %s %q %q", tc.name, day, l.Status, l.Reason, l.ReasonEN, tc.wantStatus, tc.reasons[i], tc.reasonsEN[i])
			}
		}
		if digests[0] != digests[1] {
			t.Errorf("%s: the digest moved with the day alone", tc.name)
		}
	}
	if got := cycle.ExpandReason("已于 2022年7月10日 办结", false, d("2022-08-01"), d("2022-07-25"), 58); got != "已于 2022年7月10日 办结" {
		t.Errorf("a reason without marks: got %q", got)
	}
}

func TestPlanLights(t *testing.T) {
	task := &duban.Task{ID: 7, PlanID: 1, Indicators: []duban.Indicator{{Metric: "新增高新技术企业", Cmp: duban.CmpEqual, Value: 119, Unit: "家"}}}
	settings := cycle.DefaultCycleSettings(&duban.Plan{ID: 1, Year: 2022})
	periods, err := cycle.GeneratePeriods(2022, settings.Schedule, weekends{})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range periods {
		p.ID = int64(100 + i)
	}
	june, july := periods[5], periods[6]
	v := func(x float64) *float64 { return &x }
	reports := []*cycle.Report{
		{PeriodID: july.ID, Kind: cycle.ReportTask, State: cycle.ReportReturned, Completion: 70,
			Actuals: []cycle.Actual{{Indicator: 0, Text: "40家", Value: v(40)}}},
		{PeriodID: june.ID, Kind: cycle.ReportTask, State: cycle.ReportAccepted, Completion: 50,
			Actuals: []cycle.Actual{{Indicator: 0, Text: "40家", Value: v(40)}}},
		{PeriodID: periods[4].ID, Kind: cycle.ReportTask, State: cycle.ReportAccepted, Completion: 40,
			Actuals: []cycle.Actual{{Indicator: 0, Text: "20家", Value: v(20)}}},
	}
	lights := func(today string) *cycle.PlanLights { return cycle.NewPlanLights(2022, settings, periods, d(today)) }
	// In June: 50% reported, targets 60 of 119 (50%), 50% expected.
	l := lights("2022-07-01").Light(task, june, reports, duban.Date{})
	if l.Status != cycle.LightNormal || l.Completion != 50 || l.Expected != 50 || l.PeriodID != june.ID || l.TaskID != 7 {
		t.Errorf("June: got %+v", l)
	}
	// In July the report was returned and the due date passed.
	l = lights("2022-08-01").Light(task, july, reports, duban.Date{})
	if l.Status != cycle.LightMissing {
		t.Errorf("July, returned and overdue: got %s (%s)", l.Status, l.Reason)
	}
	// Targets sum the actuals handed in: 20 in May and 40 in June; July's
	// returned report does not count.
	if tp := lights("2022-08-01").Targets(task, july, reports); len(tp) != 1 || tp[0].Actual != 60 || tp[0].Met || !tp[0].Reported {
		t.Errorf("targets in July: got %+v", tp)
	}
	// Before July's due date, June's report stands.
	l = lights("2022-07-20").Light(task, july, reports, duban.Date{})
	if l.Status != cycle.LightNormal || l.Completion != 50 || l.AsOf != d("2022-07-20") {
		t.Errorf("July before due: got %+v", l)
	}
}

// weekends is a calendar of weekends alone.
type weekends struct{}

func (weekends) IsWorkday(d duban.Date) bool { return d.Weekday() != 0 && d.Weekday() != 6 }
func (weekends) DayOff(d duban.Date) string {
	if (weekends{}).IsWorkday(d) {
		return ""
	}
	return duban.WeekdayLabel(d.Weekday())
}
func (weekends) Known(int) bool { return false }

// TestDigest checks the digest against FNV-1a over the light's parts, each
// followed by a zero byte, as kept in stores: a light that did not change
// keeps its digest, so that a recomputation does not rewrite it. The share
// expected is left out: its time line is in.
func TestDigest(t *testing.T) {
	v1, v2 := 38700.0, 8.1
	for _, l := range []cycle.Light{
		{},
		{Status: cycle.LightNormal, Reason: "完成 30%，按序时应达 58%（截至 7 月 31 日）", ReasonEN: "30% done; 58% expected by Jul 31",
			Completion: 30, Expected: 58, AsOf: d("2022-07-31"), Timeline: "2022-01-01 2022-12-31"},
		{Status: cycle.LightLagging, Reason: "目标“新增企业”完成 40%", Completion: -1, Expected: 100, AsOf: d("2022-12-31"),
			Reached: []cycle.Actual{{Indicator: 0, Value: &v1}, {Indicator: 1}, {Indicator: 2, Value: &v2}}},
	} {
		h := fnv.New64a()
		for _, s := range []string{string(l.Status), l.Reason, l.ReasonEN, strconv.Itoa(l.Completion), l.Timeline,
			cycle.ReachedText(l.Reached)} {
			h.Write([]byte(s))
			h.Write([]byte{0})
		}
		if got, want := l.Digest(), int64(h.Sum64()); got != want {
			t.Errorf("digest of %+v: %d, want %d", l, got, want)
		}
	}
	if got := cycle.ReachedText([]cycle.Actual{{Indicator: 1}, {Indicator: 2, Value: &v2}, {Indicator: 3, Value: &v1}}); got != "2=8.1;3=38700" {
		t.Errorf("reached text: %q", got)
	}
}

// TestTimeline checks that a light's time line reads back as written, with
// or without steps, and that a time line that is not one is refused.
func TestTimeline(t *testing.T) {
	steps := duban.ParseDeadline("6月底前开工、12月底前竣工", 2022).Milestones
	for _, tc := range []struct {
		end   string
		steps []duban.Milestone
		want  string
	}{
		{"2022-12-31", nil, "2022-01-01 2022-12-31"},
		{"2022-12-31", steps[:1], "2022-01-01 2022-12-31"},
		{"2022-12-31", steps, "2022-01-01 2022-06-30 2022-12-31"},
	} {
		text := cycle.TimelineText(d("2022-01-01"), d(tc.end), tc.steps)
		if text != tc.want {
			t.Errorf("TimelineText(to %s, %d steps) = %q, want %q", tc.end, len(tc.steps), text, tc.want)
		}
		start, end, got, err := cycle.ParseTimeline(text)
		if err != nil {
			t.Fatal(err)
		}
		for _, day := range []string{"2022-03-31", "2022-07-31", "2023-01-01"} {
			if a, b := cycle.Expected(start, end, d(day), got), cycle.Expected(d("2022-01-01"), d(tc.end), d(day), tc.steps); a != b {
				t.Errorf("%q on %s: expected %.2f read back, %.2f written", text, day, a, b)
			}
		}
	}
	for _, bad := range []string{"", "2022-01-01", "2022-01-01 2022-13-01", "x y"} {
		if _, _, _, err := cycle.ParseTimeline(bad); err == nil {
			t.Errorf("ParseTimeline(%q): no error", bad)
		}
	}
}

// FuzzParseTimeline reads what a store keeps of a light's time line: what
// it reads, written again, reads the same.
func FuzzParseTimeline(f *testing.F) {
	for _, s := range []string{"", "2022-01-01 2022-12-31", "2022-01-01 2022-06-30 2022-12-31", "2022-01-01", "x y", " 2022-01-01  2022-02-01 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		start, end, steps, err := cycle.ParseTimeline(s)
		if err != nil {
			return
		}
		text := cycle.TimelineText(start, end, steps)
		start2, end2, steps2, err := cycle.ParseTimeline(text)
		if err != nil || start2 != start || end2 != end || len(steps2) != len(steps) {
			t.Fatalf("%q read as %s %s %v, written %q, read again %s %s %v, %v", s, start, end, steps, text, start2, end2, steps2, err)
		}
	})
}
