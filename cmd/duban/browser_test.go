package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web/webtest"
)

// The browser tests drive chromium (DUBAN_TEST_CHROMIUM) against the real
// server: the office imports, reviews and publishes the sample notice and
// makes a clerk's account; the clerk finds its tasks, comments on one and
// is refused on another unit's. Every page is checked for requests leaving
// the server and console errors; screenshots go to DUBAN_TEST_ARTIFACTS.

// The sample notice the office uploads.
const browserSample = "../../notice/testdata/corpus/lixia-2022/source.md"

// The screen sizes the pages are looked at: an office's desk and a leader's
// phone.
const (
	deskWidth, deskHeight   = 1366, 768
	phoneWidth, phoneHeight = 390, 844
)

// chromiumPath returns the browser to drive. Without DUBAN_TEST_CHROMIUM
// the test is skipped, saying how to run it, except in CI (CI=true), where
// a missing browser fails it: CI must run these tests.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("DUBAN_TEST_CHROMIUM")
	ci := os.Getenv("CI") == "true"
	if path == "" {
		if ci {
			t.Fatal("CI=true 但没有设置 DUBAN_TEST_CHROMIUM：CI 必须运行浏览器测试（.ci/run 安装 chromium 并设置它）。")
		}
		t.Skip("浏览器测试已跳过：apt-get install chromium 后设置 DUBAN_TEST_CHROMIUM=/usr/bin/chromium 以运行它们（.ci/run 会设置）。")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("DUBAN_TEST_CHROMIUM=%s：%v", path, err)
	}
	return path
}

// artifactsDir is the folder the screenshots are saved in: DUBAN_TEST_ARTIFACTS,
// or a new temporary folder that is kept for a person to look at.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("DUBAN_TEST_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "duban-browser-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startChromium starts one headless browser for the test, with the flags
// this machine's closed network needs (no background connections, no
// component updates, no QUIC) and a fresh profile, and returns its context.
func startChromium(t *testing.T, ctx context.Context, path string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(deskWidth, deskHeight),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelRoot()
		cancelAlloc()
	})
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return root
}

// person is one person at the browser: a tab in a browser context of its
// own (cookies and all), and what its pages did that they must not: a
// request to another origin, a console error, an uncaught exception.
type person struct {
	t      *testing.T
	ctx    context.Context
	name   string
	origin string
	shots  string

	mu       sync.Mutex
	requests int
	problems []string
}

// newPerson opens a tab for someone in a new browser context of root's
// browser. Dialogs (a button's confirmation) are accepted, as the person
// would.
func newPerson(t *testing.T, root context.Context, name, origin, shots string) *person {
	t.Helper()
	p := &person{t: t, name: name, origin: origin, shots: shots}
	ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext(), chromedp.WithListener(p.listen))
	t.Cleanup(cancel)
	p.ctx = ctx
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("%s: opening a tab: %v", name, err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	return p
}

// listen records, as they happen, what the tab's pages must not do. It runs
// in the tab's loop, so it only notes.
func (p *person) listen(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(ev.Request.URL)
		p.mu.Lock()
		p.requests++
		p.mu.Unlock()
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Scheme+"://"+u.Host != p.origin) {
			problem = "a request leaving the server: " + ev.Request.URL
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				var v any
				if err := json.Unmarshal([]byte(a.Value), &v); err == nil && v != nil {
					args = append(args, fmt.Sprint(v))
				} else {
					args = append(args, a.Description)
				}
			}
			problem = "console." + string(ev.Type) + ": " + strings.Join(args, " ")
		}
	case *runtime.EventExceptionThrown:
		problem = "uncaught exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			problem += " " + ev.ExceptionDetails.Exception.Description
		}
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			problem = "console error (" + string(ev.Entry.Source) + "): " + ev.Entry.Text + " " + ev.Entry.URL
		}
	}
	if problem != "" {
		p.mu.Lock()
		p.problems = append(p.problems, problem)
		p.mu.Unlock()
	}
}

// check fails the test for whatever the pages did that they must not, and
// forgets it.
func (p *person) check(where string) {
	p.t.Helper()
	for _, pr := range p.takeProblems() {
		p.t.Errorf("%s, %s: %s", p.name, where, pr)
	}
}

// takeProblems returns what the pages did that they must not, and forgets
// it.
func (p *person) takeProblems() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	problems := p.problems
	p.problems = nil
	return problems
}

// do runs actions, failing the test on an error.
func (p *person) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
}

// navigate runs an action that leads to a new page (a link, a form), waits
// for the page, and fails the test unless it came with status 200; it
// returns the page's path and query.
func (p *person) navigate(what string, action chromedp.Action[chromedp.Void]) string {
	p.t.Helper()
	resp, err := chromedp.RunResponse(p.ctx, action)
	if err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, what, err)
	}
	if resp.Status != http.StatusOK {
		p.t.Fatalf("%s: %s: got status %d, want 200 (%s)", p.name, what, resp.Status, resp.URL)
	}
	p.check(what)
	u, _ := url.Parse(resp.URL)
	return u.RequestURI()
}

// open goes to a path of the server.
func (p *person) open(path string) string {
	p.t.Helper()
	return p.navigate("opening "+path, chromedp.Navigate(p.origin+path))
}

// click follows a link or submits a form by its button.
func (p *person) click(sel string) string {
	p.t.Helper()
	return p.navigate("clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// eval evaluates an expression in the page.
func eval[T any](p *person, expr string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s: %s: %v", p.name, expr, err)
	}
	return v
}

// has reports whether the page has an element matching sel.
func (p *person) has(sel string) bool {
	p.t.Helper()
	return eval[bool](p, fmt.Sprintf("document.querySelector(%q) !== null", sel))
}

// text is the text of the first element matching sel, "" when there is
// none.
func (p *person) text(sel string) string {
	p.t.Helper()
	return eval[string](p, fmt.Sprintf("(document.querySelector(%q) || {innerText: ''}).innerText", sel))
}

// flash is the message the page shows about what was just done.
func (p *person) flash() string { return p.text(".flash") }

// choose picks an option of a select as a person does, firing its change
// event: the ledger's filters apply a choice at once.
func (p *person) choose(sel, value string) string {
	p.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); })()`, sel, value)
	return p.navigate("choosing "+value+" in "+sel, chromedp.Evaluate[chromedp.Void](js))
}

// signIn signs in through the sign-in form the server sends a visitor to,
// and checks that it leads to the person's home.
func (p *person) signIn(name, password string) string {
	p.t.Helper()
	if path := p.open("/"); !strings.HasPrefix(path, "/login") {
		p.t.Fatalf("%s: a visitor got %s, want the sign-in form", p.name, path)
	}
	path := p.typeSignIn(name, password)
	if path != "/" {
		p.t.Fatalf("%s: signing in led to %s, want the home page", p.name, path)
	}
	return path
}

// typeSignIn fills in the sign-in form the page shows and sends it.
func (p *person) typeSignIn(name, password string) string {
	p.t.Helper()
	p.do("typing the name and password",
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`form[action="/login"] input[name=password]`), password))
	return p.click(`form[action="/login"] button[type=submit]`)
}

// rows counts the rows of the page's tables of tasks.
func (p *person) rows() int {
	p.t.Helper()
	return eval[int](p, `document.querySelectorAll("table.tasks tbody tr").length`)
}

// screenshot saves the page as it shows at a size, as NAME-WxH.png, and
// checks that nothing on it is wider than the screen: a page a person
// must scroll sideways to read is not usable on a phone.
func (p *person) screenshot(name string, width, height int64) {
	p.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if width < 600 {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	p.do("resizing", chromedp.EmulateViewport(width, height, opts...))
	p.navigate("reloading at "+fmt.Sprint(width), chromedp.Reload())
	// The picture shows the page from its top, as a person arriving sees
	// it, whatever place of it the address pointed to.
	p.do("scrolling to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	// The page is measured against the screen's width: on a phone the
	// browser widens its layout to fit a page too wide, so the window's
	// own width would grow with it.
	if over := eval[int](p, "document.documentElement.scrollWidth") - int(width); over > 0 {
		p.t.Errorf("%s at %d×%d: the page is %d px wider than the screen", name, width, height, over)
	}
	// Who is signed in, and as what, shows whole.
	if cut := eval[string](p, `[...document.querySelectorAll(".top .user, .top .user small")]
		.filter(e => e.getClientRects().length > 0 && e.scrollWidth > e.clientWidth).map(e => e.textContent).join("; ")`); cut != "" {
		p.t.Errorf("%s at %d×%d: the top bar cuts %q", name, width, height, cut)
	}
	png, err := chromedp.Run(p.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot of %s: %v", name, err)
	}
	file := filepath.Join(p.shots, fmt.Sprintf("%s-%dx%d.png", name, width, height))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", file)
	p.do("resizing back", chromedp.EmulateViewport(deskWidth, deskHeight))
}

// cookie returns one of the person's cookies for the server, HttpOnly ones
// too, as the person could read them in the browser's tools.
func (p *person) cookie(name string) string {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.origin}})
	if err != nil {
		p.t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c.Value
		}
	}
	p.t.Fatalf("%s has no cookie %s", p.name, name)
	return ""
}

// makeAccount makes an account in the server's store, as duban user add
// does for the first administrator, with a password hashed as the test
// server checks it.
func makeAccount(t *testing.T, m *Main, u *duban.User, password string) {
	t.Helper()
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{Name: "test", Role: duban.RoleAdmin})
	if err := accountstore.NewUserService(m.DB).CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := accountstore.NewAuthService(m.DB, auth.NewHasher(m.Passwords), m.Policy).SetPassword(ctx, u.ID, password); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser follows the office through importing, correcting and
// publishing the sample notice and making a clerk's account, and the clerk
// through finding, commenting on and being refused tasks, in a real
// browser.
func TestBrowser(t *testing.T) {
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
	tasks := ledgerstore.NewTaskService(m.DB)

	// The office imports the sample through the upload form.
	office := newPerson(t, root, "office", origin, shots)
	office.signIn("office", "office-password-1")
	// The watch on the pages works: a console error is seen.
	office.do("writing a console error", chromedp.Evaluate[chromedp.Void](`console.error("自检")`))
	if got := office.takeProblems(); len(got) != 1 || !strings.Contains(got[0], "自检") {
		t.Fatalf("a console error written by the page: got %q, want it seen", got)
	}
	office.open("/plans/import")
	sample, err := filepath.Abs(browserSample)
	if err != nil {
		t.Fatal(err)
	}
	office.do("choosing the notice", chromedp.SetUploadFiles(chromedp.CSS(`form[action="/plans/import"] input[type=file]`), []string{sample}))
	review := office.click(`form[action="/plans/import"] button[type=submit]`)
	if !strings.HasSuffix(review, "/review") || !strings.Contains(office.flash(), "已导入为草稿：88 项任务，9 段无人认领的段落") {
		t.Fatalf("import: got %s saying %q, want the plan's review page saying what was read", review, office.flash())
	}
	plan, err := strconv.ParseInt(strings.Split(review, "/")[2], 10, 64)
	if err != nil {
		t.Fatal(err)
	}

	// It corrects one task's deadline on the review page.
	office.click(`.item.task a[href^="?edit="]`)
	taskID := eval[int64](office, `+document.querySelector("form.edit").action.match(/tasks\/(\d+)\/edit/)[1]`)
	office.do("correcting the deadline", chromedp.SetValue(chromedp.CSS(`form.edit input[name=deadline]`), "2022年9月底前"))
	office.click(`form.edit button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "完成时限") {
		t.Errorf("correcting a task: the page says %q, want the deadline named as changed", got)
	}
	if task, err := tasks.FindTaskByID(officeCtx, taskID); err != nil || task.Deadline != "2022年9月底前" {
		t.Errorf("the corrected task: got %+v (%v), want the deadline 2022年9月底前", task, err)
	}

	// It gives the first unassigned statement an owner, and marks the rest
	// as needing none.
	office.click(`.item.statement a[href^="?assign="]`)
	office.do("naming the owner",
		chromedp.SetValue(chromedp.CSS(`form[action$="/assign"] input[name=lead_units]`), "区财政局"),
		chromedp.SetValue(chromedp.CSS(`form[action$="/assign"] input[name=lead_leaders]`), "武毅"))
	office.click(`form[action$="/assign"] button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "的段落已成为任务") {
		t.Errorf("assigning a statement: the page says %q, want it made a task", got)
	}
	for dismissed := 0; office.has(`.item.statement a[href^="?dismiss="]`); dismissed++ {
		if dismissed == 9 {
			t.Fatal("more statements to dismiss than the notice has")
		}
		office.click(`.item.statement a[href^="?dismiss="]`)
		office.click(`form[action$="/dismiss"] button[type=submit]`)
		if got := office.flash(); !strings.Contains(got, "已标记为无需分配") {
			t.Fatalf("dismissing a statement: the page says %q", got)
		}
	}
	office.screenshot("review", deskWidth, deskHeight)

	// It publishes, confirming the question the button asks.
	office.click(`form[action$="/publish"] button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "文件已发布：89 项任务") {
		t.Fatalf("publishing: the page says %q, want the plan published with its 89 tasks", got)
	}

	// Its home names the group terms whose tasks reach nobody yet; it adds
	// a street to the directory and makes every street a member of the
	// two terms for the streets.
	office.open("/")
	if got := office.text("#main"); !strings.Contains(got, "还没有成员的统称") || !strings.Contains(got, "各街道办事处") {
		t.Errorf("the office's home after publishing: %q, want the groups without members named", got)
	}
	office.open("/units/new")
	office.do("naming the street",
		chromedp.SendKeys(chromedp.CSS(`form[action="/units"] input[name=name]`), "解放路街道办事处"),
		chromedp.SetValue(chromedp.CSS(`form[action="/units"] select[name=kind]`), string(duban.UnitStreet)))
	office.click(`form[action="/units"] button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "已添加单位“解放路街道办事处”（街道）") {
		t.Fatalf("adding a street: the page says %q", got)
	}
	unitsSvc := ledgerstore.NewUnitService(m.DB)
	for _, g := range []string{"各街道办事处", "相关街道办事处"} {
		found, _, err := unitsSvc.FindUnits(officeCtx, duban.UnitFilter{Name: &g})
		if err != nil || len(found) != 1 {
			t.Fatalf("%s after publishing: %v (%v)", g, found, err)
		}
		office.open(fmt.Sprintf("/units/%d/edit", found[0].ID))
		office.click(`form[action$="/members"] button[name=fill][value=street]`)
		if got := office.flash(); !strings.Contains(got, "现有 3 个成员") {
			t.Errorf("making the streets %s's members: the page says %q", g, got)
		}
	}
	office.screenshot("unit-edit", phoneWidth, phoneHeight)
	office.open("/")
	office.screenshot("home-office", deskWidth, deskHeight)
	office.screenshot("home-office", phoneWidth, phoneHeight)

	// On the accounts page it makes the account of 区财政局's clerk, bound
	// to the unit publishing added to the directory.
	name := "区财政局"
	units, _, err := ledgerstore.NewUnitService(m.DB).FindUnits(officeCtx, duban.UnitFilter{Name: &name})
	if err != nil || len(units) != 1 {
		t.Fatalf("unit %s after publishing: got %d (%v)", name, len(units), err)
	}
	unit := units[0]
	office.open("/accounts")
	form := `form[action="/accounts"] `
	office.do("filling in the account",
		chromedp.SendKeys(chromedp.CSS(form+`input[name=name]`), "caizheng"),
		chromedp.SendKeys(chromedp.CSS(form+`input[name=display_name]`), "财政局联络员"),
		chromedp.SetValue(chromedp.CSS(form+`select[name=role]`), string(duban.RoleClerk)),
		chromedp.SetValue(chromedp.CSS(form+`select[name=unit]`), strconv.FormatInt(unit.ID, 10)),
		chromedp.SendKeys(chromedp.CSS(form+`input[name=password]`), "clerk-password-1"))
	office.click(form + `button[type=submit]`)
	if got := office.flash(); !strings.Contains(got, "已创建") {
		t.Fatalf("making the clerk's account: the page says %q", got)
	}
	clerkName := "caizheng"
	if users, _, err := accountstore.NewUserService(m.DB).FindUsers(officeCtx, duban.UserFilter{Name: &clerkName}); err != nil || len(users) != 1 ||
		users[0].Role != duban.RoleClerk || users[0].UnitID != unit.ID {
		t.Fatalf("the clerk's account: got %v (%v), want a clerk of %s", users, err, name)
	}

	// Neither the new account's page nor the list scrolls sideways on a
	// phone.
	office.screenshot("account", phoneWidth, phoneHeight)
	office.open("/accounts")
	office.screenshot("accounts", phoneWidth, phoneHeight)

	// The clerk lands on its unit's tasks, and finds those its unit leads
	// through the ledger's filters.
	clerk := newPerson(t, root, "clerk", origin, shots)
	clerk.signIn("caizheng", "clerk-password-1")
	if got := clerk.text(".head h1"); got != name {
		t.Errorf("the clerk's home is headed %q, want its unit", got)
	}
	published := duban.PlanPublished
	_, mine, err := tasks.FindTasks(officeCtx, duban.TaskFilter{UnitID: &unit.ID, PlanState: &published})
	if err != nil {
		t.Fatal(err)
	}
	if got := clerk.rows(); got != mine {
		t.Errorf("the clerk's home lists %d tasks, want its unit's %d", got, mine)
	}
	clerk.open("/tasks")
	clerk.choose(`form.filters select[name=unit]`, strconv.FormatInt(unit.ID, 10))
	path := clerk.choose(`form.filters select[name=role]`, "lead")
	// The address to share carries the filter and nothing else, though the
	// form sends its empty fields too.
	if want := fmt.Sprintf("/tasks?role=lead&unit=%d", unit.ID); path != want {
		t.Errorf("filtered ledger: the address is %s, want %s", path, want)
	}
	_, lead, err := tasks.FindTasks(officeCtx, duban.TaskFilter{UnitID: &unit.ID, UnitRole: duban.UnitLeads})
	if err != nil || lead == 0 {
		t.Fatalf("the unit's led tasks: %d (%v)", lead, err)
	}
	if got, want := clerk.text(".head .count"), fmt.Sprintf("共 %d 项任务", lead); got != want {
		t.Errorf("the ledger's count: got %q, want %q", got, want)
	}
	if got := eval[int](clerk, `document.querySelectorAll("table.tasks tbody tr").length`); got != lead {
		t.Errorf("rows of the filtered ledger: got %d, want %d", got, lead)
	}
	clerk.screenshot("ledger", deskWidth, deskHeight)
	clerk.screenshot("ledger", phoneWidth, phoneHeight)

	// It opens one and comments on it: what a clerk may write.
	own := clerk.click(`table.tasks tbody tr td.text a`)
	if !clerk.has(`form[action$="/comments"]`) || !strings.Contains(clerk.text(".facts"), name) {
		t.Fatalf("its own unit's task %s: want the unit named and the comment form offered", own)
	}
	clerk.do("writing a comment", chromedp.SetValue(chromedp.CSS(`form[action$="/comments"] textarea[name=text]`), "已完成第一季度节点任务。"))
	clerk.click(`form[action$="/comments"] button[type=submit]`)
	if got := clerk.flash(); got != "进展情况已提交。" || !strings.Contains(clerk.text("#main"), "已完成第一季度节点任务。") {
		t.Errorf("commenting: the page says %q, want the comment published and shown", got)
	}
	clerk.screenshot("task", phoneWidth, phoneHeight)

	// Its session ends while it writes: sending the form leads to the
	// sign-in page, and signing in back to the form, with the text in it.
	typed := "第二季度进展：已完成招标，下月开工。"
	clerk.do("writing more", chromedp.SetValue(chromedp.CSS(`form[action$="/comments"] textarea[name=text]`), typed))
	if err := accountstore.NewAuthService(m.DB, auth.NewHasher(m.Passwords), m.Policy).Logout(officeCtx, clerk.cookie("duban_session")); err != nil {
		t.Fatal(err)
	}
	if path := clerk.click(`form[action$="/comments"] button[type=submit]`); !strings.HasPrefix(path, "/login") ||
		!strings.Contains(clerk.text("#main"), "您刚才填写的内容已经保存") {
		t.Fatalf("sending a form after the session ended: got %s saying %q, want the sign-in page saying the text is kept", path, clerk.text("#main"))
	}
	if path := clerk.typeSignIn("caizheng", "clerk-password-1"); path != own {
		t.Errorf("signing in again led to %s, want the form's page %s", path, own)
	}
	if got := eval[string](clerk, `document.querySelector('form[action$="/comments"] textarea[name=text]').value`); got != typed {
		t.Errorf("the form after signing in again holds %q, want %q", got, typed)
	}
	if got := clerk.flash(); !strings.Contains(got, "登录已恢复") {
		t.Errorf("after signing in again the page says %q", got)
	}
	clerk.click(`form[action$="/comments"] button[type=submit]`)
	if !strings.Contains(clerk.text("#main"), typed) {
		t.Error("the restored text, sent, does not show on the task")
	}

	// Another unit's task offers it nothing to change, here or on the
	// review page.
	all, _, err := tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &plan})
	if err != nil {
		t.Fatal(err)
	}
	var other *duban.Task
	for _, tk := range all {
		if !tk.HasUnit(unit.ID) && len(tk.LeadUnits) > 0 {
			other = tk
			break
		}
	}
	if other == nil {
		t.Fatal("no task of another unit in the sample")
	}
	otherPath := "/tasks/" + strconv.FormatInt(other.ID, 10)
	clerk.open(otherPath)
	if clerk.has(`form[action$="/comments"]`) || clerk.has(`form[method=post] textarea`) {
		t.Errorf("another unit's task %s offers the clerk a form", otherPath)
	}
	clerk.open(fmt.Sprintf("/plans/%d/review", plan))
	if clerk.has(`a[href^="?edit="]`) || clerk.has(`form[action$="/publish"]`) {
		t.Error("the review page offers the clerk corrections")
	}

	// A request forged with the clerk's own session and CSRF token (both
	// can be read in the browser's tools) is refused, and changes nothing.
	forger := webtest.NewClient(t, origin)
	forger.SetCookie("duban_session", clerk.cookie("duban_session"))
	forger.SetCookie("duban_csrf", clerk.cookie("duban_csrf"))
	forger.MustGet("/tasks/"+strconv.FormatInt(other.ID, 10), http.StatusOK, other.No)
	forger.MustPost(otherPath+"/comments", url.Values{"text": {"伪造的意见"}}, http.StatusForbidden, "不能")
	forger.MustPost(fmt.Sprintf("/review/tasks/%d/edit", other.ID), url.Values{"deadline": {"伪造的时限"}}, http.StatusForbidden, "不能")
	clerk.open(otherPath)
	if strings.Contains(clerk.text("#main"), "伪造") {
		t.Error("a forged change shows on the task's page")
	}
	if got, err := tasks.FindTaskByID(officeCtx, other.ID); err != nil || got.Deadline != other.Deadline {
		t.Errorf("after a forged correction: got deadline %q (%v), want %q", got.Deadline, err, other.Deadline)
	}

	// A street's clerk finds on its home the 23 tasks the notice addresses
	// to the streets; the leader the tasks it leads, by unit; a viewer the
	// documents in hand.
	street, _, err := unitsSvc.FindUnits(officeCtx, duban.UnitFilter{Name: ptr("解放路街道办事处")})
	if err != nil || len(street) != 1 {
		t.Fatal(err)
	}
	leaders, _, err := ledgerstore.NewLeaderService(m.DB).FindLeaders(officeCtx, duban.LeaderFilter{Name: ptr("武毅")})
	if err != nil || len(leaders) != 1 {
		t.Fatal(err)
	}
	makeAccount(t, m, &duban.User{Name: "jiefanglu", DisplayName: "解放路街道联络员", Role: duban.RoleClerk, UnitID: street[0].ID}, "street-password-1")
	makeAccount(t, m, &duban.User{Name: "wuyi", DisplayName: "武毅", Role: duban.RoleLeader, LeaderID: leaders[0].ID}, "leader-password-1")
	makeAccount(t, m, &duban.User{Name: "viewer", DisplayName: "查看者", Role: duban.RoleViewer}, "viewer-password-1")
	streetClerk := newPerson(t, root, "street clerk", origin, shots)
	streetClerk.signIn("jiefanglu", "street-password-1")
	if got := streetClerk.rows(); got != 23 || !strings.Contains(streetClerk.text("#main"), "本单位属于") {
		t.Errorf("the street clerk's home lists %d tasks, want the 23 addressed to the streets", got)
	}
	streetClerk.screenshot("home-clerk", deskWidth, deskHeight)
	streetClerk.screenshot("home-clerk", phoneWidth, phoneHeight)
	_, led, err := tasks.FindTasks(officeCtx, duban.TaskFilter{LeaderID: &leaders[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	leader := newPerson(t, root, "leader", origin, shots)
	leader.signIn("wuyi", "leader-password-1")
	if got := leader.rows(); got != led || !strings.Contains(leader.text(".head .count"), fmt.Sprintf("牵头的任务共 %d 项", led)) {
		t.Errorf("the leader's home lists %d tasks, want the %d it leads", got, led)
	}
	leader.screenshot("home-leader", deskWidth, deskHeight)
	leader.screenshot("home-leader", phoneWidth, phoneHeight)
	viewer := newPerson(t, root, "viewer", origin, shots)
	viewer.signIn("viewer", "viewer-password-1")
	if got := viewer.text("#main"); !strings.Contains(got, "在执行的文件") {
		t.Errorf("the viewer's home: %q, want the documents in hand", got)
	}
	viewer.screenshot("home-viewer", deskWidth, deskHeight)
	viewer.screenshot("home-viewer", phoneWidth, phoneHeight)

	for _, p := range []*person{office, clerk, streetClerk, leader, viewer} {
		p.check("at the end")
		p.mu.Lock()
		seen := p.requests
		p.mu.Unlock()
		if seen == 0 {
			t.Errorf("%s: no request was seen, so none was checked", p.name)
		}
	}
}

func ptr[T any](v T) *T { return &v }
