package cyclestore_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

func TestReports(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		ps := w.mustPeriods(t)
		june, july := ps[5], ps[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)
		lead, partner, other := w.clerk(t, "区科学技术局"), w.clerk(t, "区地方金融监督管理局"), w.clerk(t, "区财政局")
		task := w.tasks["2.1.3"]
		report := func(period *cycle.Period, unit string, kind cycle.ReportKind) *cycle.Report {
			return &cycle.Report{PeriodID: period.ID, TaskID: task.ID, UnitID: w.units[unit], Kind: kind, State: cycle.ReportDraft,
				Progress: "已走访企业 40 家", Completion: 30}
		}

		err := w.reports.CreateReport(as(lead), report(june, "区科学技术局", cycle.ReportTask))
		wantCode(t, "a report in a period not opened", err, duban.ECONFLICT)
		err = w.reports.CreateReport(as(partner), report(july, "区地方金融监督管理局", cycle.ReportTask))
		wantCode(t, "a partner composes", err, duban.EFORBIDDEN)
		if !strings.Contains(duban.ErrorMessage(err), "由牵头单位（区科学技术局）汇总报送") {
			t.Errorf("the refusal names the lead unit: %q", duban.ErrorMessage(err))
		}
		err = w.reports.CreateReport(as(other), report(july, "区财政局", cycle.ReportPart))
		wantCode(t, "a unit the task does not name", err, duban.EFORBIDDEN)
		err = w.reports.CreateReport(as(other), report(july, "区地方金融监督管理局", cycle.ReportPart))
		wantCode(t, "a clerk writes for another unit", err, duban.EFORBIDDEN)

		part := report(july, "区地方金融监督管理局", cycle.ReportPart)
		part.State = cycle.ReportSubmitted
		part.Actuals = []cycle.Actual{{Indicator: 0, Text: "12家"}}
		if err := w.reports.CreateReport(as(partner), part); err != nil {
			t.Fatal(err)
		}
		if part.Version != 1 || part.SubmittedAt.IsZero() || part.Actuals[0].Value == nil || *part.Actuals[0].Value != 12 {
			t.Errorf("the part: got %+v", part)
		}

		// The lead unit keeps a draft with an actual it cannot submit.
		r := report(july, "区科学技术局", cycle.ReportTask)
		r.Actuals = []cycle.Actual{{Indicator: 0, Text: "约四十家"}}
		if err := w.reports.CreateReport(as(lead), r); err != nil {
			t.Fatal(err)
		}
		if r.Actuals[0].Value != nil || r.Actuals[0].Text != "约四十家" || r.Actuals[0].Problem == "" {
			t.Errorf("a draft keeps what was typed: got %+v", r.Actuals[0])
		}
		update := func(u *duban.User, upd cycle.ReportUpdate) (*cycle.Report, error) {
			upd.Version = r.Version
			got, err := w.reports.UpdateReport(as(u), r.ID, upd)
			if err == nil {
				r = got
			}
			return got, err
		}
		_, err = update(lead, cycle.ReportUpdate{State: ptr(cycle.ReportSubmitted)})
		wantCode(t, "submitting an unreadable actual", err, duban.EINVALID)
		if _, err := update(lead, cycle.ReportUpdate{Actuals: &[]string{"45家"}, Completion: ptr(40)}); err != nil {
			t.Fatal(err)
		}
		if _, err := update(lead, cycle.ReportUpdate{State: ptr(cycle.ReportSubmitted)}); err != nil {
			t.Fatal(err)
		}
		_, err = update(lead, cycle.ReportUpdate{Progress: ptr("补充")})
		wantCode(t, "editing a submitted report", err, duban.ECONFLICT)
		_, err = update(lead, cycle.ReportUpdate{State: ptr(cycle.ReportAccepted)})
		wantCode(t, "a clerk accepts", err, duban.EFORBIDDEN)
		_, err = update(office, cycle.ReportUpdate{State: ptr(cycle.ReportReturned)})
		wantCode(t, "returning without a reason", err, duban.EINVALID)
		if _, err := update(office, cycle.ReportUpdate{State: ptr(cycle.ReportReturned), ReturnReason: ptr("请补充新增企业名单")}); err != nil {
			t.Fatal(err)
		}
		if _, err := update(lead, cycle.ReportUpdate{Progress: ptr("已走访企业 40 家，名单见附件")}); err != nil {
			t.Fatal(err)
		}
		if r.State != cycle.ReportReturned || r.ReturnReason != "请补充新增企业名单" {
			t.Errorf("a returned report being revised: got %s %q", r.State, r.ReturnReason)
		}
		if _, err := update(lead, cycle.ReportUpdate{State: ptr(cycle.ReportResubmitted)}); err != nil {
			t.Fatal(err)
		}
		if _, err := update(office, cycle.ReportUpdate{State: ptr(cycle.ReportAccepted)}); err != nil {
			t.Fatal(err)
		}
		if r.State != cycle.ReportAccepted || r.Version != 7 || r.Reviewer != office.Label() {
			t.Errorf("accepted: got %s version %d by %q", r.State, r.Version, r.Reviewer)
		}

		_, err = w.reports.FindReportVersions(as(other), r.ID)
		wantCode(t, "another unit's versions", err, duban.EFORBIDDEN)
		versions, err := w.reports.FindReportVersions(as(partner), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, v := range versions {
			actions = append(actions, v.Action)
		}
		if want := "保存草稿 修改 报送 退回 修改 重新报送 审核通过"; strings.Join(actions, " ") != want {
			t.Errorf("versions: got %q, want %q", actions, want)
		}
		var changes []string
		for _, c := range cycle.DiffReports(&versions[0].Report, &versions[6].Report, task) {
			changes = append(changes, c.Label)
		}
		if want := "状态 进展情况 完成进度 实际完成：新增高新技术企业 退回理由"; strings.Join(changes, " ") != want {
			t.Errorf("first against last version: got %q, want %q", changes, want)
		}

		// The lead unit was told of the return and the acceptance, the
		// office of each submission.
		texts := func(u *duban.User) string {
			ns, _, err := w.notifications.FindNotifications(as(u), cycle.NotificationFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range ns {
				out = append(out, n.Text)
			}
			return strings.Join(out, "\n")
		}
		if got := texts(lead); !strings.Contains(got, "督查室退回了任务 2.1.3 的2022年7月任务报告：请补充新增企业名单。") ||
			!strings.Contains(got, "任务 2.1.3 的2022年7月任务报告已审核通过。") || !strings.Contains(got, "区地方金融监督管理局报送了任务 2.1.3 的2022年7月分项报告") {
			t.Errorf("the lead unit's notifications:\n%s", got)
		}
		if got := texts(office); !strings.Contains(got, "区科学技术局重新报送了任务 2.1.3 的2022年7月任务报告，请审核。") {
			t.Errorf("the office's notifications:\n%s", got)
		}
		if got := texts(partner); strings.Contains(got, "退回") {
			t.Errorf("another unit sees the lead unit's notifications:\n%s", got)
		}

		// A closed period is read-only.
		if _, err := w.periods.UpdatePeriod(as(office), july.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodClosed)}); err != nil {
			t.Fatal(err)
		}
		_, err = w.reports.UpdateReport(as(partner), part.ID, cycle.ReportUpdate{Progress: ptr("补报"), Version: part.Version})
		wantCode(t, "a change in a closed period", err, duban.ECONFLICT)

		list, n, err := w.reports.FindReports(as(office), cycle.ReportFilter{PeriodID: &july.ID})
		if err != nil || n != 2 || list[0].Kind != cycle.ReportTask {
			t.Errorf("July's reports: got %d (%v), the task's report first", n, err)
		}
	})
}

func TestEvidence(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		july := w.mustPeriods(t)[6]
		w.clock.Set("2022-07-10")
		w.mustOpenPeriod(t, july)
		clerk := w.clerk(t, "区人力资源和社会保障局")
		ref := cycle.EvidenceRef{SHA256: strings.Repeat("ab", 32), Name: "招聘会名单.pdf", Size: 1024, Type: "application/pdf"}
		r := &cycle.Report{PeriodID: july.ID, TaskID: w.tasks["0.0.4"].ID, UnitID: clerk.UnitID, Kind: cycle.ReportTask,
			State: cycle.ReportDraft, Progress: "举办招聘会", Evidence: []cycle.EvidenceRef{ref}}
		wantCode(t, "a file never uploaded", w.reports.CreateReport(as(clerk), r), duban.EINVALID)
		viewer := &duban.User{ID: 9, Name: "viewer", Role: duban.RoleViewer}
		wantCode(t, "a viewer uploads", w.evidence.CreateEvidence(as(viewer), &cycle.Evidence{EvidenceRef: ref}), duban.EFORBIDDEN)
		if err := w.evidence.CreateEvidence(as(clerk), &cycle.Evidence{EvidenceRef: ref}); err != nil {
			t.Fatal(err)
		}
		again := ref
		again.Name = "另一个名字.pdf"
		if err := w.evidence.CreateEvidence(as(office), &cycle.Evidence{EvidenceRef: again}); err != nil {
			t.Fatal(err)
		}
		e, err := w.evidence.FindEvidence(as(viewer), ref.SHA256)
		if err != nil || e.Name != "招聘会名单.pdf" || e.UploadedBy != clerk.Label() {
			t.Errorf("the first upload is kept: got %+v (%v)", e, err)
		}
		if err := w.reports.CreateReport(as(clerk), r); err != nil {
			t.Fatal(err)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("evidence")})
		if err != nil || len(events) != 1 {
			t.Errorf("uploads logged: got %d (%v), want 1", len(events), err)
		}
	})
}
