package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/notify/notifytest"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestBrowserSupervision follows a reminder into the clerk's bell, after
// the server's jobs ran with the clock moved to three days before July's
// due date; the office issuing a 督办单 from a task's page, its list and
// its printed page (one A4 sheet); and the clerk opening it from the bell
// and acknowledging it, in a real browser.
func TestBrowserSupervision(t *testing.T) {
	chromium := chromiumPath(t)
	shots := artifactsDir(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	root := startChromium(t, ctx, chromium)

	clk := notifytest.NewClock(time.Date(2022, time.July, 1, 9, 0, 0, 0, duban.Beijing))
	m := NewMain(Config{DB: sqldbtest.SQLiteDSN(t), Data: t.TempDir(), Addr: "127.0.0.1:0", Init: true}, io.Discard)
	m.Passwords = auth.Params{Time: 1, Memory: 64, Threads: 1}
	// Sessions outlast the days the test's clock jumps.
	m.Policy = duban.DefaultAuthPolicy
	m.Policy.SessionIdle, m.Policy.SessionMax = 60*24*time.Hour, 60*24*time.Hour
	// The test runs the jobs itself, at the moments it moves the clock to.
	m.Now, m.JobInterval = clk.Now, time.Hour
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	origin := m.URL()

	admin := &duban.User{Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}
	makeAccount(t, m, admin, "office-password-1")
	officeCtx := duban.NewContextWithUser(context.Background(), admin)
	svc := demo.Services{Plans: sqldb.NewPlanService(m.DB), Tasks: sqldb.NewTaskService(m.DB), Units: sqldb.NewUnitService(m.DB)}
	res, err := demo.Load(officeCtx, svc)
	if err != nil {
		t.Fatal(err)
	}
	periods, err := cyclestore.NewPeriodService(m.DB).CreatePeriods(officeCtx, res.Plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cyclestore.NewPeriodService(m.DB).UpdatePeriod(officeCtx, periods[6].ID, cycle.PeriodUpdate{State: new(cycle.PeriodOpen)}); err != nil {
		t.Fatal(err)
	}
	units, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Name: new("区财政局")})
	if err != nil || len(units) != 1 {
		t.Fatalf("区财政局: %v (%v)", units, err)
	}
	fin := units[0]
	makeAccount(t, m, &duban.User{Name: "caizheng", DisplayName: "区财政局联络员", Role: duban.RoleClerk, UnitID: fin.ID}, "clerk-password-1")
	led, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{UnitID: &fin.ID, UnitRole: duban.UnitLeads})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := svc.Units.FindGroupMembers(officeCtx)
	if err != nil {
		t.Fatal(err)
	}
	var task *duban.Task
	for _, tk := range led {
		if composer, _ := cycle.ReportingUnits(tk, groups); composer == fin.ID && task == nil {
			task = tk
		}
	}
	if task == nil {
		t.Fatal("no task whose reports 区财政局 composes")
	}

	// The clerk's bell is quiet; three days before the due date the jobs
	// remind the unit, and the bell shows it.
	clerk := newPerson(t, root, "clerk", origin, shots)
	clerk.signIn("caizheng", "clerk-password-1")
	if clerk.has(".bell .badge") {
		t.Errorf("the clerk's bell before any reminder: %q, want no count", clerk.text(".bell .badge"))
	}
	clk.Set(time.Date(2022, time.July, 22, 9, 0, 0, 0, duban.Beijing))
	if round, err := m.Jobs.RunOnce(context.Background()); err != nil || round.Reminders == 0 {
		t.Fatalf("the jobs three days before the due date: %+v (%v), want reminders", round, err)
	}
	clerk.open("/tasks")
	if got := clerk.text(".bell .badge"); got != "1" {
		t.Errorf("the clerk's bell after the reminder: %q, want 1", got)
	}
	clerk.click(".bell")
	if got := clerk.text(".notifications li.unread"); !strings.Contains(got, "提醒：2022年7月的报告应于 7月25日 前报送（还有 3 天）") {
		t.Errorf("the clerk's notifications: %q, want the reminder", got)
	}
	// Opening it leads to what the unit owes, and quiets the bell.
	if got := clerk.click(`.notifications li.unread form button.link`); got != "/todo" {
		t.Errorf("opening the reminder: got %s, want the to-do list", got)
	}
	if clerk.has(".bell .badge") {
		t.Errorf("the bell after reading the reminder: %q, want no count", clerk.text(".bell .badge"))
	}

	// The office issues a 督办单 from the task's page.
	clk.Set(time.Date(2022, time.July, 26, 10, 0, 0, 0, duban.Beijing))
	office := newPerson(t, root, "office", origin, shots)
	office.signIn("office", "office-password-1")
	office.open(fmt.Sprintf("/tasks/%d", task.ID))
	office.click(`.urge a[href^="/supervisions/new"]`)
	office.do("writing the notice",
		chromedp.SetValue(chromedp.CSS(`textarea[name=reason]`), "7月报告逾期未报，进度不明。"),
		chromedp.SetValue(chromedp.CSS(`input[name=due]`), "2022-08-02"))
	path := office.click(`form[action="/supervisions"] button[type=submit]`)
	if !strings.HasPrefix(path, "/supervisions/") || office.flash() != "已下发督办〔2022〕第 1 号。" {
		t.Fatalf("issuing: got %s saying %q", path, office.flash())
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/supervisions/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	office.open("/supervisions")
	if got := office.text("table.supervisions tbody"); !strings.Contains(got, "督办〔2022〕第 1 号") || !strings.Contains(got, "区财政局") ||
		!strings.Contains(got, "已下发") {
		t.Errorf("the list of notices: %q", got)
	}
	office.screenshot("supervisions", deskWidth, deskHeight)
	office.screenshot("supervisions", phoneWidth, phoneHeight)

	// Its printed page: no bar, one A4 sheet.
	office.open(fmt.Sprintf("/supervisions/%d/print", id))
	if office.has("header.top") || !strings.Contains(office.text(".sheet"), "督办〔2022〕第 1 号") {
		t.Errorf("the print view: the bar shows, or the notice does not")
	}
	office.screenshot("supervision-print", 794, 1123)
	pdf, err := chromedp.Call(office.ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: new(true), PrintBackground: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf.Data, -1)); n != 1 {
		t.Errorf("the notice printed on %d pages, want one", n)
	}
	if err := os.WriteFile(filepath.Join(shots, "supervision-print.pdf"), pdf.Data, 0o644); err != nil {
		t.Fatal(err)
	}

	// The clerk opens it from the bell and acknowledges it.
	clerk.open("/tasks")
	if got := clerk.text(".bell .badge"); got != "1" {
		t.Errorf("the clerk's bell after the notice: %q, want 1", got)
	}
	clerk.open("/notifications")
	if got := clerk.click(`.notifications li.unread form button.link`); got != path {
		t.Fatalf("opening the newest notification: got %s, want %s", got, path)
	}
	clerk.click(`form[action$="/acknowledge"] button[type=submit]`)
	if got := clerk.flash(); got != "已签收督办〔2022〕第 1 号。" || !strings.Contains(clerk.text(".head"), "已签收") {
		t.Errorf("acknowledging: flash %q, head %q", got, clerk.text(".head"))
	}
	if clerk.has(".bell .badge") {
		t.Errorf("the clerk's bell after opening the notice: %q, want no count", clerk.text(".bell .badge"))
	}
	clerk.screenshot("supervision", phoneWidth, phoneHeight)
	sv, err := cyclestore.NewSupervisionService(m.DB, nil).FindSupervisionByID(officeCtx, id)
	if err != nil || sv.State != cycle.SupervisionAcknowledged || sv.AcknowledgedBy != "区财政局联络员（caizheng）" {
		t.Errorf("the notice after acknowledging: %+v (%v)", sv, err)
	}
	office.check("the end")
	clerk.check("the end")
}
