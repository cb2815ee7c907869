package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web/webtest"
)

// TestBrowserPeriod goes through one reporting period in a real browser:
// the office opens July; a co-unit's clerk reports its part of task
// 2.1.3; the lead unit's clerk composes the task's report beside it; the
// office returns it; the clerk revises it with a file; the office accepts
// it, and the task's light turns from 未报送 to 正常推进. The report form is
// looked at on a phone and the review queue on the office's screen.
func TestBrowserPeriod(t *testing.T) {
	chromium := chromiumPath(t)
	shots := artifactsDir(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	root := startChromium(t, ctx, chromium)
	m := newTestMain(t, sqldbtest.SQLiteDSN(t), duban.DefaultAuthPolicy)
	origin := m.URL()

	admin := &duban.User{Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}
	makeAccount(t, m, admin, "office-password-1")
	officeCtx := duban.NewContextWithUser(context.Background(), admin)
	res, err := demo.Load(officeCtx, demo.Services{Plans: ledgerstore.NewPlanService(m.DB), Tasks: ledgerstore.NewTaskService(m.DB), Units: ledgerstore.NewUnitService(m.DB)})
	if err != nil {
		t.Fatal(err)
	}
	plan := res.Plan
	unitID := func(name string) int64 {
		units, _, err := ledgerstore.NewUnitService(m.DB).FindUnits(officeCtx, duban.UnitFilter{Name: &name})
		if err != nil || len(units) != 1 {
			t.Fatalf("unit %s: %v", name, err)
		}
		return units[0].ID
	}
	makeAccount(t, m, &duban.User{Name: "keji", DisplayName: "科技局联络员", Role: duban.RoleClerk, UnitID: unitID("区科学技术局")}, "lead-password-1")
	makeAccount(t, m, &duban.User{Name: "jinrong", DisplayName: "金融局联络员", Role: duban.RoleClerk, UnitID: unitID("区地方金融监督管理局")}, "part-password-1")
	tasks, _, err := ledgerstore.NewTaskService(m.DB).FindTasks(officeCtx, duban.TaskFilter{PlanID: &plan.ID, Query: "新增高新技术企业"})
	if err != nil || len(tasks) != 1 || tasks[0].No != "2.1.3" {
		t.Fatalf("task 2.1.3: %v (%v)", tasks, err)
	}
	task := "/tasks/" + strconv.FormatInt(tasks[0].ID, 10)

	// The office makes the year's periods and opens July.
	office := newPerson(t, root, "office", origin, shots)
	office.signIn("office", "office-password-1")
	office.open("/plans/" + strconv.FormatInt(plan.ID, 10) + "/cycle")
	office.click(`form[action$="/periods"] button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "已生成 12 个填报周期") {
		t.Fatalf("making the periods: the page says %q", got)
	}
	if got := office.text("#main"); !strings.Contains(got, "9月25日为星期日，顺延至9月26日") {
		t.Errorf("the cycle page does not say a due date moved off a Sunday")
	}
	periods, _, err := cyclestore.NewPeriodService(m.DB).FindPeriods(officeCtx, cycle.PeriodFilter{PlanID: &plan.ID})
	if err != nil || len(periods) != 12 {
		t.Fatalf("the periods: %d (%v)", len(periods), err)
	}
	july := periods[6]
	office.click(`#p` + strconv.FormatInt(july.ID, 10) + ` form button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "2022年7月：填报中") {
		t.Fatalf("opening July: the page says %q", got)
	}
	office.open(task)
	before := office.text("#cycle .current .light")
	if before != "未报送" {
		t.Errorf("the light before any report: got %q, want 未报送", before)
	}

	// The co-unit's clerk finds its part in its to-do list and hands it in.
	part := newPerson(t, root, "part clerk", origin, shots)
	part.signIn("jinrong", "part-password-1")
	part.open("/todo")
	part.click(`a.what[href^="` + task + `/report"]`)
	part.do("writing the part",
		chromedp.SendKeys(chromedp.CSS(`textarea[name=progress]`), "配合走访科技型企业 30 家，推荐融资对接 12 家。"),
		chromedp.SetValue(chromedp.CSS(`input[name=completion]`), "50"),
		chromedp.SendKeys(chromedp.CSS(`input[name="actual.0"]`), "12家"))
	part.click(`button[name=action][value=submit]`)
	if got := part.flash(); !strings.Contains(got, "已报送任务 2.1.3 的2022年7月分项报告") {
		t.Fatalf("handing in the part: the page says %q", got)
	}

	// The lead unit's clerk composes the task's report beside the part.
	lead := newPerson(t, root, "lead clerk", origin, shots)
	lead.signIn("keji", "lead-password-1")
	// Its home opens with what the unit owes.
	lead.open("/")
	if got := lead.text(".todo"); !strings.Contains(got, "任务 2.1.3") || !strings.Contains(got, "任务报告") {
		t.Errorf("the clerk's home does not list the report owed: %q", got)
	}
	lead.screenshot("home-todo", phoneWidth, phoneHeight)
	lead.click(`a.what[href^="` + task + `/report"]`)
	if got := lead.text("aside.parts"); !strings.Contains(got, "配合走访科技型企业 30 家") || !strings.Contains(got, "已报送 1 / 2") {
		t.Errorf("the parts beside the form: got %q", got)
	}
	if got := lead.text("fieldset.targets"); !strings.Contains(got, "区地方金融监督管理局：12家") {
		t.Errorf("the part's actual beside the target: got %q", got)
	}
	lead.do("writing the report",
		chromedp.SendKeys(chromedp.CSS(`textarea[name=progress]`), "全区新认定高新技术企业 70 家，融资对接 12 家。"),
		chromedp.SetValue(chromedp.CSS(`input[name=completion]`), "60"),
		chromedp.SendKeys(chromedp.CSS(`input[name="actual.0"]`), "约七十家"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=problems]`), "部分企业材料尚未齐全。"))
	lead.click(`button[name=action][value=save]`)
	lead.screenshot("report-form", phoneWidth, phoneHeight)
	if got := lead.text(".problem"); !strings.Contains(got, "不是确切的数字") {
		t.Errorf("an unreadable actual kept as a draft: the form says %q", got)
	}
	lead.do("correcting the actual", chromedp.SetValue(chromedp.CSS(`input[name="actual.0"]`), "70家"))
	lead.click(`button[name=action][value=submit]`)
	if got := lead.flash(); !strings.Contains(got, "已报送任务 2.1.3 的2022年7月任务报告") {
		t.Fatalf("handing in the report: the page says %q", got)
	}

	// The office returns it from the queue, with a reason.
	office.open("/reports")
	office.screenshot("review-queue", deskWidth, deskHeight)
	office.do("choosing the report and saying why",
		chromedp.Click(chromedp.CSS(`table.queue input[data-check-all]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name=reason]`), "请附新认定企业名单。"))
	office.click(`button[name=action][value=return]`)
	if got := office.flash(); !strings.Contains(got, "已退回 1 份报告") { // chosen by "all", the queue's one
		t.Fatalf("returning: the page says %q", got)
	}

	// The clerk sees it returned, revises it with the list, hands it in.
	lead.open("/todo")
	if got := lead.text(".todo .returned"); !strings.Contains(got, "请附新认定企业名单。") {
		t.Errorf("the returned report in the to-do list: got %q", got)
	}
	lead.screenshot("todo", phoneWidth, phoneHeight)
	lead.click(`.todo .returned a.what`)
	file := filepath.Join(t.TempDir(), "新认定企业名单.pdf")
	if err := os.WriteFile(file, []byte(webtest.SamplePDF), 0o644); err != nil {
		t.Fatal(err)
	}
	lead.do("attaching the list",
		chromedp.SetValue(chromedp.CSS(`textarea[name=progress]`), "全区新认定高新技术企业 70 家（名单附后），融资对接 12 家。"),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file][name=files]`), []string{file}))
	lead.click(`button[name=action][value=submit]`)
	if got := lead.flash(); !strings.Contains(got, "已报送") {
		t.Fatalf("handing in again: the page says %q", got)
	}

	// The office accepts it; the light changes, and says why.
	office.open("/reports")
	office.click(`table.queue td.no a`)
	if got := office.text("#main"); !strings.Contains(got, "新认定企业名单.pdf") || !strings.Contains(got, "已重新报送") {
		t.Errorf("the report the office reviews: got %q", got)
	}
	office.click(`form.review button[name=action][value=accept]`)
	if got := office.flash(); !strings.Contains(got, "已审核通过 1 份报告") {
		t.Fatalf("accepting: the page says %q", got)
	}
	office.open(task)
	after, reason := office.text("#cycle .current .light"), office.text("#cycle .current .reason")
	if after != "正常推进" || !strings.Contains(reason, "按序时应达 58%（截至 7月31日）") {
		t.Errorf("the light after the period: got %q (%q), want 正常推进 with its reason", after, reason)
	}
	office.open("/tasks?unit=" + strconv.FormatInt(unitID("区科学技术局"), 10))
	if got := office.text("table.tasks"); !strings.Contains(got, "正常推进") {
		t.Errorf("the ledger does not show the light")
	}
	office.screenshot("ledger-lights", deskWidth, deskHeight)
	lead.open(task)
	lead.screenshot("task-light", phoneWidth, phoneHeight)

	for _, p := range []*person{office, part, lead} {
		p.check("at the end")
	}
}
