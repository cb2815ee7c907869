package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/docx/docxtest"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// The screen sizes of the overview: the meeting room's display and a
// leader's phone.
const wallWidth, wallHeight = 1920, 1080

// TestBrowserOutputs opens the overview in Chromium on the sample plan seven
// months into its year, as its lead leader: its main figures are the
// store's, it fits the meeting room's screen full screen and a phone's
// width, and nothing on it breaks the Content-Security-Policy; and prints
// the ledger task by task and the bulletin to PDF, which are A4 with a page
// for each task and no navigation. Screenshots go to DUBAN_TEST_ARTIFACTS.
func TestBrowserOutputs(t *testing.T) {
	chromium := chromiumPath(t)
	shots := artifactsDir(t)
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	root := startChromium(t, ctx, chromium)
	m := newTestMain(t, sqldbtest.SQLiteDSN(t), duban.DefaultAuthPolicy)
	office := &duban.User{Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}
	makeAccount(t, m, office, "office-password-1")
	officeCtx := duban.NewContextWithUser(context.Background(), office)
	plans, tasks, units := sqldb.NewPlanService(m.DB), sqldb.NewTaskService(m.DB), sqldb.NewUnitService(m.DB)
	res, err := demo.Load(officeCtx, demo.Services{Plans: plans, Tasks: tasks, Units: units})
	if err != nil {
		t.Fatal(err)
	}
	plan := res.Plan
	if err := demo.SyntheticCycle(officeCtx, demo.CycleServices{Tasks: tasks, Periods: cyclestore.NewPeriodService(m.DB),
		Reports: cyclestore.NewReportService(m.DB, units)}, []*duban.Plan{plan}, 7); err != nil {
		t.Fatal(err)
	}
	leaders, _, err := sqldb.NewLeaderService(m.DB).FindLeaders(officeCtx, duban.LeaderFilter{Name: ptrTo("武毅")})
	if err != nil || len(leaders) != 1 {
		t.Fatalf("the sample's leader 武毅: %v", err)
	}
	makeAccount(t, m, &duban.User{Name: "wuyi", DisplayName: "武毅", Role: duban.RoleLeader, LeaderID: leaders[0].ID}, "leader-password-1")

	// What the overview must say, from the store.
	all, _, err := tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	f, err := cyclestore.NewOverviewService(m.DB).FindFigures(officeCtx, cycle.FiguresFilter{PlanID: plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := units.FindGroupMembers(officeCtx)
	if err != nil {
		t.Fatal(err)
	}
	want := cycle.BuildOverview(plan, all, groups, f, leaders[0].ID)

	lead := newPerson(t, root, "leader", m.URL(), shots)
	lead.signIn("wuyi", "leader-password-1")
	lead.click(`.top .nav a[href="/overview"]`)
	if got := lead.text(".ov-mine h2"); !strings.Contains(got, fmt.Sprintf("武毅 牵头的任务（%d 项）", len(want.Mine))) {
		t.Errorf("the leader's tasks: %q, want %d of them first", got, len(want.Mine))
	}
	tiles := eval[[]string](lead, `[...document.querySelectorAll(".ov-totals li strong")].map(e => e.textContent)`)
	wantTiles := []int{want.Tasks}
	for _, st := range cycle.LightStatuses {
		wantTiles = append(wantTiles, want.Totals.Of(st))
	}
	wantTiles = append(wantTiles, want.OverdueReports, len(want.Supervisions))
	if len(tiles) != len(wantTiles) {
		t.Fatalf("%d tiles, want %d", len(tiles), len(wantTiles))
	}
	for i, w := range wantTiles {
		if tiles[i] != strconv.Itoa(w) {
			t.Errorf("tile %d: shows %s, the store counts %d", i, tiles[i], w)
		}
	}
	if n := eval[int](lead, `document.querySelectorAll(".ov-units tbody tr").length`); n != len(want.Units) {
		t.Errorf("%d units listed, the store has %d", n, len(want.Units))
	}
	if got := lead.text(".ov-panel:nth-child(3) h2"); !strings.Contains(got, fmt.Sprintf("%d 个", len(want.Targets))) {
		t.Errorf("targets: %q, want %d", got, len(want.Targets))
	}
	if n := eval[int](lead, `document.querySelectorAll(".ov-panel svg").length`); n < 4 {
		t.Errorf("%d charts drawn, want the actions', the trend's, the targets' and the leaders'", n)
	}
	// A tile leads to the ledger, whose count is the tile's.
	lead.click(`.ov-totals li.light-severe a`)
	if got := lead.text(".head .count"); got != fmt.Sprintf("共 %d 项任务", want.Totals.Of(cycle.LightSevere)) {
		t.Errorf("the seriously lagging tiles' ledger: %q", got)
	}
	lead.open(fmt.Sprintf("/overview?plan=%d", plan.ID))
	lead.screenshot("overview", wallWidth, wallHeight)
	lead.screenshot("overview", phoneWidth, phoneHeight)

	// Full screen on the meeting room's display: no top bar, every panel
	// on the screen, the page reloading itself.
	lead.click(`.ov-links a[href*="full=1"]`)
	lead.do("sizing the screen", chromedp.EmulateViewport(wallWidth, wallHeight))
	if lead.has(".top") {
		t.Error("full screen shows the top bar")
	}
	if over := eval[int](lead, "document.documentElement.scrollHeight - window.innerHeight"); over > 0 {
		t.Errorf("full screen at %d×%d: the page is %d px taller than the screen", wallWidth, wallHeight, over)
	}
	lead.screenshot("overview-full", wallWidth, wallHeight)

	// The ledger task by task, and the bulletin, printed to PDF.
	printed := func(path string) (pages int, text string) {
		t.Helper()
		lead.open(path)
		if lead.has(".top") || lead.has("nav.nav") {
			t.Errorf("%s prints the navigation", path)
		}
		res, err := chromedp.Call(lead.ctx, cdpage.PrintToPDF, cdpage.PrintToPDFParams{PreferCSSPageSize: ptrTo(true), PrintBackground: ptrTo(true)})
		if err != nil {
			t.Fatal(err)
		}
		pdf := res.Data
		file := filepath.Join(shots, "print-"+regexp.MustCompile(`\W+`).ReplaceAllString(path, "-")+".pdf")
		if err := os.WriteFile(file, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		n, w, h := docxtest.Info(t, file)
		if w < 594 || w > 596.5 || h < 841 || h > 843 {
			t.Errorf("%s prints on %.1f × %.1f pt, want A4", path, w, h)
		}
		return n, docxtest.Text(t, file)
	}
	pages, text := printed(fmt.Sprintf("/tasks/print?plan=%d&section=1&reports=1", plan.ID))
	section1 := 0
	for _, task := range all {
		if task.Section == 1 {
			section1++
		}
	}
	if pages < section1 || strings.Contains(text, "退出") {
		t.Errorf("the ledger's first action printed on %d pages for %d tasks (a task a page), navigation %v", pages, section1, strings.Contains(text, "退出"))
	}
	periods, _, err := cyclestore.NewPeriodService(m.DB).FindPeriods(officeCtx, cycle.PeriodFilter{PlanID: &plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, text := printed(fmt.Sprintf("/periods/%d/bulletin?print=1", periods[6].ID)); !strings.Contains(strings.Join(strings.Fields(text), ""), "总体情况") {
		t.Errorf("the printed bulletin lacks its sections:\n%s", text)
	}
	lead.check("printing")

	// The public page, from the sign-in page, as anybody.
	public := true
	if _, err := cyclestore.NewPublicationService(m.DB).UpdatePublication(officeCtx, plan.ID, cycle.PublicationUpdate{Public: &public}); err != nil {
		t.Fatal(err)
	}
	anyone := newPerson(t, root, "anyone", m.URL(), shots)
	anyone.open("/login")
	anyone.click(`a[href="/public"]`)
	anyone.click(fmt.Sprintf(`a[href="/public/plans/%d"]`, plan.ID))
	if n := eval[int](anyone, `document.querySelectorAll(".ptask").length`); n != want.Tasks {
		t.Errorf("the public page shows %d tasks, the plan has %d", n, want.Tasks)
	}
	anyone.screenshot("public", deskWidth, deskHeight)
	anyone.screenshot("public", phoneWidth, phoneHeight)
}

func ptrTo[T any](v T) *T { return &v }
