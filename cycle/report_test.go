package cycle_test

import (
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

func TestReportStep(t *testing.T) {
	S := func(s cycle.ReportState) cycle.ReportState { return s }
	for _, tc := range []struct {
		kind     cycle.ReportKind
		from, to cycle.ReportState
		review   bool
		code     string
	}{
		{cycle.ReportTask, "", S(cycle.ReportDraft), false, ""},
		{cycle.ReportTask, "", S(cycle.ReportSubmitted), false, ""},
		{cycle.ReportTask, cycle.ReportDraft, cycle.ReportSubmitted, false, ""},
		{cycle.ReportTask, cycle.ReportSubmitted, cycle.ReportSubmitted, false, duban.ECONFLICT},
		{cycle.ReportTask, cycle.ReportSubmitted, cycle.ReportReturned, true, ""},
		{cycle.ReportTask, cycle.ReportSubmitted, cycle.ReportAccepted, true, ""},
		{cycle.ReportTask, cycle.ReportReturned, cycle.ReportReturned, false, ""},
		{cycle.ReportTask, cycle.ReportReturned, cycle.ReportResubmitted, false, ""},
		{cycle.ReportTask, cycle.ReportReturned, cycle.ReportAccepted, true, duban.ECONFLICT},
		{cycle.ReportTask, cycle.ReportResubmitted, cycle.ReportAccepted, true, ""},
		{cycle.ReportTask, cycle.ReportAccepted, cycle.ReportReturned, true, duban.ECONFLICT},
		{cycle.ReportTask, cycle.ReportAccepted, cycle.ReportDraft, false, duban.ECONFLICT},
		{cycle.ReportTask, cycle.ReportDraft, cycle.ReportAccepted, false, duban.EINVALID},
		{cycle.ReportPart, "", cycle.ReportSubmitted, false, ""},
		{cycle.ReportPart, cycle.ReportSubmitted, cycle.ReportSubmitted, false, ""},
		{cycle.ReportPart, cycle.ReportSubmitted, cycle.ReportAccepted, true, duban.ECONFLICT},
	} {
		err := cycle.ReportStep(tc.kind, tc.from, tc.to, tc.review)
		if got := duban.ErrorCode(err); got != tc.code {
			t.Errorf("%s %q → %q (review %v): got %q (%v), want %q", tc.kind, tc.from, tc.to, tc.review, got, err, tc.code)
		}
	}
}

func TestReportValidate(t *testing.T) {
	task := &duban.Task{No: "1.1.1", Indicators: []duban.Indicator{{Metric: "新增城镇就业", Cmp: duban.CmpEqual, Value: 3.87, Unit: "万人"}}}
	good := func() *cycle.Report {
		return &cycle.Report{Kind: cycle.ReportTask, State: cycle.ReportDraft, Progress: "已完成招聘会 3 场", Completion: 40}
	}
	for _, tc := range []struct {
		name   string
		change func(*cycle.Report)
		msg    string
	}{
		{"completion", func(r *cycle.Report) { r.Completion = 120 }, "0% 到 100%"},
		{"progress too long", func(r *cycle.Report) { r.Progress = strings.Repeat("字", cycle.MaxReportText+1) }, "进展情况过长"},
		{"bad evidence", func(r *cycle.Report) { r.Evidence = []cycle.EvidenceRef{{SHA256: "xyz", Name: "a.pdf"}} }, "摘要不正确"},
		{"two actuals of one target", func(r *cycle.Report) { r.Actuals = []cycle.Actual{{Indicator: 0}, {Indicator: 0}} }, "两个实际完成数"},
	} {
		r := good()
		tc.change(r)
		if err := r.Validate(); !strings.Contains(duban.ErrorMessage(err), tc.msg) {
			t.Errorf("%s: got %v, want a message with %q", tc.name, err, tc.msg)
		}
	}
	r := good()
	if err := (cycle.ReportUpdate{Actuals: &[]string{"约四万"}}).Apply(r, task); err != nil {
		t.Fatal(err)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("a draft keeps an unreadable actual: %v", err)
	}
	if err := r.CheckSubmit(task); !strings.Contains(duban.ErrorMessage(err), "目标“新增城镇就业”的实际完成数无法读取") {
		t.Errorf("submitting an unreadable actual: got %v", err)
	}
	r.Progress = " "
	if err := r.CheckSubmit(task); !strings.Contains(duban.ErrorMessage(err), "进展情况") {
		t.Errorf("submitting without progress: got %v", err)
	}
}

func TestDiffReports(t *testing.T) {
	task := &duban.Task{Indicators: []duban.Indicator{{Metric: "新增城镇就业", Unit: "万人"}}}
	a := &cycle.Report{State: cycle.ReportSubmitted, Progress: "甲", Completion: 40, Actuals: []cycle.Actual{{Indicator: 0, Text: "2万人"}}}
	b := a.Clone()
	b.State, b.Progress, b.Completion, b.ReturnReason = cycle.ReportReturned, "乙", 45, "请补充数据"
	b.Actuals[0].Text = "2.1万人"
	var got []string
	for _, c := range cycle.DiffReports(a, b, task) {
		got = append(got, c.Label+":"+c.Before+"→"+c.After)
	}
	want := []string{"状态:已报送→已退回", "进展情况:甲→乙", "完成进度:40%→45%", "实际完成：新增城镇就业:2万人→2.1万人", "退回理由:→请补充数据"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	if a.Actuals[0].Text != "2万人" {
		t.Error("Clone shares the actuals")
	}
}

func TestConflict(t *testing.T) {
	at := time.Date(2022, 7, 20, 7, 4, 0, 0, time.UTC)
	err := duban.Conflict("报告", 3, "张三（zhang）", at)
	if err.Code != duban.ECONFLICT || !strings.Contains(err.Message, "该报告已由张三（zhang）于 2022-07-20 15:04 保存（第 3 版）") ||
		!strings.Contains(err.Message, "您填写的内容仍在表单中") {
		t.Errorf("got %v", err)
	}
}

func TestDaysLate(t *testing.T) {
	due := d("2022-07-25")
	r := &cycle.Report{}
	if r.DaysLate(due) != 0 {
		t.Error("not handed in is not late yet")
	}
	r.SubmittedAt = time.Date(2022, 7, 25, 15, 0, 0, 0, time.UTC) // 23:00 in Beijing
	if r.DaysLate(due) != 0 {
		t.Errorf("on the due day: got %d", r.DaysLate(due))
	}
	r.SubmittedAt = time.Date(2022, 7, 25, 16, 30, 0, 0, time.UTC) // 00:30 on the 26th
	if r.DaysLate(due) != 1 {
		t.Errorf("after midnight in Beijing: got %d", r.DaysLate(due))
	}
}

func TestSupervision(t *testing.T) {
	s := &cycle.Supervision{Year: 2022, Seq: 3, TaskIDs: []int64{1}, Reason: "进度滞后", Requirement: "七日内反馈", Due: d("2022-08-10"), State: cycle.SupervisionIssued}
	if got, want := s.Number(), "督办〔2022〕第 3 号"; got != want {
		t.Errorf("Number: got %q, want %q", got, want)
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if got := s.DaysLate(d("2022-08-13")); got != 3 {
		t.Errorf("unanswered, 3 days after: got %d", got)
	}
	s.AnsweredAt = time.Date(2022, 8, 11, 2, 0, 0, 0, time.UTC)
	if got := s.DaysLate(d("2022-09-01")); got != 1 {
		t.Errorf("answered a day late: got %d", got)
	}
	for _, tc := range []struct {
		from, to cycle.SupervisionState
		office   bool
		code     string
	}{
		{cycle.SupervisionIssued, cycle.SupervisionAcknowledged, false, ""},
		{cycle.SupervisionIssued, cycle.SupervisionAnswered, false, ""},
		{cycle.SupervisionAcknowledged, cycle.SupervisionAnswered, false, ""},
		{cycle.SupervisionAnswered, cycle.SupervisionClosed, true, ""},
		{cycle.SupervisionAnswered, cycle.SupervisionClosed, false, duban.EFORBIDDEN},
		{cycle.SupervisionAcknowledged, cycle.SupervisionClosed, true, duban.ECONFLICT},
		{cycle.SupervisionAcknowledged, cycle.SupervisionReissued, true, ""},
		{cycle.SupervisionClosed, cycle.SupervisionAnswered, false, duban.ECONFLICT},
		{cycle.SupervisionReissued, cycle.SupervisionAcknowledged, false, duban.ECONFLICT},
		{cycle.SupervisionAcknowledged, cycle.SupervisionAcknowledged, false, duban.EINVALID},
	} {
		if got := duban.ErrorCode(cycle.SupervisionStep(tc.from, tc.to, tc.office)); got != tc.code {
			t.Errorf("%s → %s (office %v): got %q, want %q", tc.from, tc.to, tc.office, got, tc.code)
		}
	}
	bad := *s
	bad.TaskIDs = []int64{1, 1}
	if err := bad.Validate(); duban.ErrorCode(err) != duban.EINVALID {
		t.Errorf("repeated task: got %v", err)
	}
}
