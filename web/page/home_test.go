package page_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// rowsOf counts the rows of the tables of tasks in a page.
func rowsOf(body string) int { return strings.Count(mainPart(body), `<td class="no">`) }

// signIn makes an account and a browser signed in to it.
func signIn(t *testing.T, w *world, u *duban.User) *webtest.Client {
	t.Helper()
	svc := w.Services()
	if err := svc.Users.CreateUser(officeCtx, u); err != nil {
		t.Fatal(err)
	}
	if err := svc.Auth.SetPassword(officeCtx, u.ID, password(u.Name)); err != nil {
		t.Fatal(err)
	}
	c := webtest.NewClient(t, w.HTTP.URL)
	c.Login(u.Name, password(u.Name))
	return c
}

// TestHomes signs in as each role and finds its own work first: a clerk its
// unit's tasks (a street's those addressed to the streets), a leader the
// tasks the leader leads by unit, the office what waits on it, a viewer the
// documents in hand. Signing in leads there.
func TestHomes(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	published := duban.PlanPublished
	count := func(f duban.TaskFilter) int {
		f.PlanState = &published
		_, n, err := svc.Tasks.FindTasks(officeCtx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	// A department's clerk: its unit, the tasks it leads and shares.
	unit := w.Users[clerk].UnitID
	lead, shared := count(duban.TaskFilter{UnitID: &unit, UnitRole: duban.UnitLeads}), count(duban.TaskFilter{UnitID: &unit, UnitRole: duban.UnitShares})
	r := w.Client(clerk).MustGet("/", http.StatusOK, "区财政局", fmt.Sprintf("本单位的任务：牵头 %d 项，参与 %d 项", lead, shared))
	if got := rowsOf(r.Body); got != lead+shared {
		t.Errorf("the clerk's home lists %d tasks, want %d", got, lead+shared)
	}

	// A street's clerk: the 23 tasks the notice addresses to the streets,
	// by the groups its unit belongs to.
	name := "解放路街道办事处"
	streets, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Name: &name})
	if err != nil || len(streets) != 1 {
		t.Fatalf("%s: %v (%v)", name, streets, err)
	}
	street := signIn(t, w, &duban.User{Name: "jiefanglu", Role: duban.RoleClerk, UnitID: streets[0].ID})
	r = street.MustGet("/", http.StatusOK, name, "本单位属于“", "各街道办事处", "相关街道办事处", "牵头 0 项，参与 23 项")
	if got := rowsOf(r.Body); got != 23 {
		t.Errorf("the street's home lists %d tasks, want 23", got)
	}
	// It may write on them: the task page offers the form, saying how the
	// task reaches its unit.
	task := regexp.MustCompile(`href="/tasks/(\d+)"`).FindStringSubmatch(mainPart(r.Body))
	if task == nil {
		t.Fatal("no task on the street's home")
	}
	street.MustGet("/tasks/"+task[1], http.StatusOK, `/comments"`, "经由“", "填报进展情况")
	street.MustPost("/tasks/"+task[1]+"/comments", url.Values{"text": {"街道已完成摸排。"}}, http.StatusSeeOther)

	// The leader: the tasks the leader leads, by lead unit, all of them.
	leaderID := w.Users[leader].LeaderID
	n := count(duban.TaskFilter{LeaderID: &leaderID})
	r = w.Client(leader).MustGet("/", http.StatusOK, "武毅", fmt.Sprintf("牵头的任务共 %d 项", n), "按牵头单位", "区发展和改革局")
	if got := rowsOf(r.Body); got != n {
		t.Errorf("the leader's home lists %d tasks, want %d", got, n)
	}

	// The office: the draft to review, the progress just reported, and no
	// group reaching nobody, until one is emptied.
	office := w.Client(admin)
	office.MustGet("/", http.StatusOK, "督查室待办", w.Draft.Title, "9 段无人认领的段落待处理", "最近的进展情况", "街道已完成摸排。")
	if r := office.Get("/"); strings.Contains(r.Body, "还没有成员的统称") {
		t.Error("the office is told of groups without members, though every group has some")
	}
	group := "各承办单位"
	g, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Name: &group})
	if err != nil || len(g) != 1 {
		t.Fatal(err)
	}
	if _, err := svc.Units.SetGroupMembers(officeCtx, g[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	office.MustGet("/", http.StatusOK, "还没有成员的统称（1 个）", fmt.Sprintf(`href="/units/%d/edit#members">各承办单位`, g[0].ID))

	// The viewer: the documents in hand.
	w.Client(viewer).MustGet("/", http.StatusOK, "在执行的文件", w.Plan.Title)

	// Signing in leads home, and the name in the top bar to the account.
	c := webtest.NewClient(t, w.HTTP.URL)
	c.MustGet("/", http.StatusSeeOther)
	if r := c.Post("/login", url.Values{"name": {leader}, "password": {password(leader)}, "next": {"/"}}); r.Location() != "/" {
		t.Errorf("signing in: sent to %q, want home", r.Location())
	}
	c.MustGet("/", http.StatusOK, `<a class="user" href="/me"`)
}

// TestOwnPassword changes the signed-in person's password from the own
// account page: the current one is asked for, the new one twice; this
// browser stays signed in and the others are signed out.
func TestOwnPassword(t *testing.T) {
	w := newWorld(t)
	here, elsewhere := w.Client(clerk), w.Client(clerk)
	here.MustGet("/me", http.StatusOK, "caizheng", "区财政局", `action="/me/password"`)
	for _, c := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"current_password": {"wrong-password"}, "new_password": {"new-password-1"}, "repeat_password": {"new-password-1"}}, "当前的密码不正确"},
		{url.Values{"current_password": {password(clerk)}, "new_password": {"new-password-1"}, "repeat_password": {"new-password-2"}}, "两次输入的新密码不一致"},
		{url.Values{"current_password": {password(clerk)}, "new_password": {"short"}, "repeat_password": {"short"}}, "密码太短"},
	} {
		here.MustPost("/me/password", c.form, http.StatusBadRequest, c.want, `action="/me/password"`)
	}
	here.MustPost("/me/password", url.Values{"current_password": {password(clerk)}, "new_password": {"new-password-1"}, "repeat_password": {"new-password-1"}},
		http.StatusSeeOther)
	here.MustGet("/me", http.StatusOK, "密码已修改")
	elsewhere.MustGet("/me", http.StatusSeeOther)
	c := webtest.NewClient(t, w.HTTP.URL)
	c.Login(clerk, "new-password-1")
}

// TestDraftAfterSessionEnds sends a form after its session ended: nothing is
// written, the person is sent to sign in, told that what was typed is kept,
// and after signing in is back on the form's page with it, on any server of
// the store; another account signing in there gets nothing.
func TestDraftAfterSessionEnds(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	c := w.Client(clerk)
	page := taskPath(w.Task)
	c.MustGet(page, http.StatusOK, `action="`+page+`/comments"`)
	// The session ends on the server; the browser still sends its cookie.
	if err := svc.Auth.Logout(officeCtx, c.Cookie("duban_session")); err != nil {
		t.Fatal(err)
	}
	before := w.AuditHead()
	text := "本月完成了第一阶段，正在推进第二阶段。"
	// The same form sent by another site leaves no draft: nothing can be
	// planted in a form the person will send.
	req, err := http.NewRequest(http.MethodPost, c.URL(page+"/comments"), strings.NewReader(url.Values{"text": {"别处网站填的字"}, "csrf": {c.CSRF()}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", c.URL(page))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.Do(req); r.Status != http.StatusSeeOther || c.Cookie("duban_draft") != "" {
		t.Fatalf("a form another site sent after the session ended: got %d, draft cookie %q; want sent to sign in with no draft", r.Status, c.Cookie("duban_draft"))
	}
	req, err = http.NewRequest(http.MethodPost, c.URL(page+"/comments"), strings.NewReader(url.Values{"text": {text}, "csrf": {c.CSRF()}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", c.URL(page))
	r := c.Do(req)
	if r.Status != http.StatusSeeOther || r.Location() != "/login?next="+url.QueryEscape(page) {
		t.Fatalf("a form after the session ended: got %d to %q, want sent to sign in and back to %s", r.Status, r.Location(), page)
	}
	if w.AuditHead() != before {
		t.Error("a form without a session changed something")
	}
	if strings.Contains(r.Location(), url.QueryEscape(text)) || strings.Contains(c.Cookie("duban_draft"), url.QueryEscape(text)) {
		t.Error("what was typed travels in an address or a cookie")
	}
	c.MustGet(r.Location(), http.StatusOK, "您刚才填写的内容已经保存")

	// Another server of the same store signs the person in and gives the
	// draft back: nothing of it was kept in the first server's memory.
	second, err := webtest.NewServer(web.Config{}, svc)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(second.Handler())
	t.Cleanup(hs.Close)
	other := webtest.NewClient(t, w.HTTP.URL)
	other.SetCookie("duban_draft", c.Cookie("duban_draft"))
	moved := webtest.NewClient(t, hs.URL)
	for _, name := range []string{"duban_session", "duban_csrf", "duban_draft"} {
		moved.SetCookie(name, c.Cookie(name))
	}
	c = moved
	if r := c.Post("/login", url.Values{"name": {clerk}, "password": {password(clerk)}, "next": {page}}); r.Location() != page {
		t.Fatalf("signing in again: sent to %q, want %s", r.Location(), page)
	}
	r = c.MustGet(page, http.StatusOK, "登录已恢复", "data-draft=")
	draft := regexp.MustCompile(`data-draft="([^"]*)"`).FindStringSubmatch(r.Body)
	if draft == nil || !strings.Contains(unescape(draft[1]), text) || !strings.Contains(unescape(draft[1]), page+"/comments") {
		t.Errorf("the page gives back %v, want the comment form's text", draft)
	}
	// Once given back, it is gone; another account with the same cookie
	// gets nothing.
	if r := c.MustGet(page, http.StatusOK); strings.Contains(r.Body, "data-draft=") {
		t.Error("the draft is given back twice")
	}
	other.Login(viewer, password(viewer))
	if r := other.MustGet(page, http.StatusOK); strings.Contains(r.Body, "data-draft=") {
		t.Error("another account gets the draft")
	}
}

// unescape undoes the HTML escaping of an attribute's value.
func unescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

// TestHistoryValues shows what each change of a task did: the field, what
// it was and what it became, who and when.
func TestHistoryValues(t *testing.T) {
	w := newWorld(t)
	old := w.Task.Deadline
	next := "2022年9月底前"
	if _, err := w.Services().Tasks.UpdateTask(officeCtx, w.Task.ID, duban.TaskUpdate{Deadline: &next}); err != nil {
		t.Fatal(err)
	}
	want := "<dt>完成时限</dt><dd><del>" + old + "</del> → <ins>" + next + "</ins></dd>"
	if old == "" {
		want = "<dt>完成时限</dt><dd><span class=\"muted\">（无）</span> → <ins>" + next + "</ins></dd>"
	}
	w.Client(viewer).MustGet(taskPath(w.Task), http.StatusOK, "修改任务 "+w.Task.No, want, "test")
}

// TestDirectoryForms keeps the directory on the web: the office adds,
// renames, aliases and gives members to units, merges one, and adds and
// orders leaders, each with the CLI's rules; a refused form comes back with
// what was typed; the lists say what their columns hold; a clerk's unit is
// chosen among single units only.
func TestDirectoryForms(t *testing.T) {
	w := newWorld(t)
	office := w.Client(admin)
	svc := w.Services()

	office.MustGet("/units", http.StatusOK, `href="/units/new"`, "单位名称", "类型与别名")
	office.MustGet("/units/new", http.StatusOK, `action="/units"`)
	r := office.MustPost("/units", url.Values{"name": {"区新设局"}, "kind": {""}, "aliases": {"新设局"}}, http.StatusSeeOther)
	added, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Name: ref("新设局")})
	if err != nil || len(added) != 1 || added[0].Kind != duban.UnitDepartment || r.Location() != fmt.Sprintf("/units/%d/edit", added[0].ID) {
		t.Fatalf("adding a unit: got %v (%v), sent to %s", added, err, r.Location())
	}
	id := added[0].ID
	edit := fmt.Sprintf("/units/%d", id)
	office.MustPost("/units", url.Values{"name": {"区新设局"}}, http.StatusConflict, "已是单位“区新设局”", `value="区新设局"`)
	office.MustPost(edit, url.Values{"name": {"区新设管理局"}, "kind": {"department"}}, http.StatusSeeOther)
	office.MustPost(edit+"/aliases", url.Values{"alias": {"区财政局"}}, http.StatusConflict, "已是单位“区财政局”", `value="区财政局"`)
	office.MustPost(edit+"/aliases", url.Values{"alias": {"新设管理局"}}, http.StatusSeeOther)
	u, err := svc.Units.FindUnitByID(officeCtx, id)
	if err != nil || u.Name != "区新设管理局" || !strings.Contains(strings.Join(u.Aliases, " "), "新设管理局") {
		t.Errorf("after the rename and the alias: got %+v (%v)", u, err)
	}

	// A group's members: every street by the button, then the ones ticked.
	group := &duban.Unit{Name: "各有关街道", Kind: duban.UnitGroup}
	if err := svc.Units.CreateUnit(officeCtx, group); err != nil {
		t.Fatal(err)
	}
	gpath := fmt.Sprintf("/units/%d", group.ID)
	office.MustGet(gpath+"/edit", http.StatusOK, `id="members"`, `name="fill" value="street"`)
	office.MustPost(gpath+"/members", url.Values{"fill": {"street"}}, http.StatusSeeOther)
	streets, n, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Kind: ref(duban.UnitStreet)})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := svc.Units.FindUnitByID(officeCtx, group.ID); len(g.Members) != n {
		t.Errorf("members by the button: got %d, want every street, %d", len(g.Members), n)
	}
	office.MustPost(gpath+"/members", url.Values{"member": {strconv.FormatInt(streets[0].ID, 10), strconv.FormatInt(group.ID, 10)}}, http.StatusBadRequest,
		"不能是它自己的成员")
	office.MustPost(gpath+"/members", url.Values{"member": {strconv.FormatInt(streets[0].ID, 10)}}, http.StatusSeeOther)
	office.MustGet(gpath, http.StatusOK, "泛指 1 个单位", streets[0].Name)
	office.MustGet(fmt.Sprintf("/units/%d", streets[0].ID), http.StatusOK, "属于", "各有关街道")
	office.MustPost(edit+"/members", url.Values{"member": {strconv.FormatInt(streets[0].ID, 10)}}, http.StatusBadRequest, "不是统称")

	// A merge: the unit's tasks and clerks move, and its page says so.
	into := w.Users[clerk].UnitID
	office.MustPost(edit+"/merge", url.Values{"into": {strconv.FormatInt(into, 10)}}, http.StatusSeeOther)
	office.MustGet(edit, http.StatusOK, "该单位已并入")
	office.MustGet(edit+"/edit", http.StatusConflict, "已合并")

	// Leaders: added with a post and a place, the list in that order, its
	// columns named for what they hold.
	office.MustGet("/leaders", http.StatusOK, `href="/leaders/new"`, "<th>姓名</th><th>职务</th>")
	office.MustPost("/leaders", url.Values{"name": {"张区长"}, "title": {"区长"}, "order": {"1"}}, http.StatusSeeOther)
	office.MustPost("/leaders", url.Values{"name": {"李某"}, "order": {"第一"}}, http.StatusBadRequest, "排序号“第一”不正确", `value="李某"`)
	leaders, _, err := svc.Leaders.FindLeaders(officeCtx, duban.LeaderFilter{})
	if err != nil || leaders[0].Name != "张区长" || leaders[0].Title != "区长" {
		t.Errorf("the leaders' order: got %v first (%v), want 张区长", leaders[0], err)
	}
	office.MustPost(fmt.Sprintf("/leaders/%d", leaders[0].ID), url.Values{"name": {"张区长"}, "title": {"区长"}, "order": {""}}, http.StatusSeeOther)
	if l, _ := svc.Leaders.FindLeaderByID(officeCtx, leaders[0].ID); l.Order != 0 {
		t.Errorf("order cleared: got %d", l.Order)
	}

	// The accounts' unit list offers single units only.
	r = office.MustGet("/accounts", http.StatusOK, "区财政局")
	if strings.Contains(r.Body, ">各街道办事处<") || strings.Contains(r.Body, ">各有关街道<") {
		t.Error("the accounts page offers a group as a clerk's unit")
	}

	// Nobody else sees the forms.
	for _, role := range []string{viewer, clerk, leader} {
		c := w.Client(role)
		c.MustGet("/units/new", http.StatusForbidden)
		if r := c.Get("/units"); strings.Contains(r.Body, `href="/units/new"`) {
			t.Errorf("%s is offered to add a unit", role)
		}
	}
}

// TestLedgerDeadlines sorts the ledger by the date a deadline is read as,
// not by its text, filters what is due this month, overdue, ongoing or not
// read, shows each deadline as written with its date behind it, and counts
// what is due and overdue on the homes.
func TestLedgerDeadlines(t *testing.T) {
	w := newWorld(t)
	svc := w.Services()
	now := duban.Today(time.Now())
	thisMonth := fmt.Sprintf("%d年%d月底前", now.Year, now.Month)
	tasks, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID, Limit: 6})
	if err != nil {
		t.Fatal(err)
	}
	deadlines := []string{"2023年12月底前", "2023年8月底前", "9月底前", "长期坚持", thisMonth, "视情况而定"}
	no := map[string]string{}
	for i, d := range deadlines {
		if _, err := svc.Tasks.UpdateTask(officeCtx, tasks[i].ID, duban.TaskUpdate{Deadline: &d}); err != nil {
			t.Fatal(err)
		}
		no[d] = tasks[i].No
	}
	c := w.Client(viewer)
	plan := strconv.FormatInt(w.Plan.ID, 10)
	order := func(path string) []string {
		r := c.MustGet(path, http.StatusOK)
		var got []string
		for _, m := range regexp.MustCompile(`<td class="no"><a href="/tasks/\d+">([\d.]+)</a>`).FindAllStringSubmatch(r.Body, -1) {
			got = append(got, m[1])
		}
		return got
	}
	got := order("/tasks?plan=" + plan + "&sort=deadline&size=200")
	want := []string{no["9月底前"], no["2023年8月底前"], no["2023年12月底前"], no[thisMonth]}
	if len(got) < 4 || !slices.Equal(got[:4], want) {
		t.Errorf("sorted by deadline: got %v first, want %v (by date: 2022-09-30, 2023-08-31, 2023-12-31, this month)", got[:min(4, len(got))], want)
	}
	for _, c := range []struct {
		due  string
		want []string
	}{
		{"month", []string{no[thisMonth]}},
		{"overdue", []string{no["9月底前"], no["2023年8月底前"], no["2023年12月底前"]}},
		{"ongoing", []string{no["长期坚持"]}},
		{"unread", []string{no["视情况而定"]}},
	} {
		if got := order("/tasks?plan=" + plan + "&sort=deadline&due=" + c.due); !slices.Equal(got, c.want) {
			t.Errorf("due=%s: got %v, want %v", c.due, got, c.want)
		}
	}
	r := c.MustGet("/tasks?plan="+plan+"&due=overdue", http.StatusOK, `<option value="overdue" selected>已过完成时限</option>`,
		`<td class="overdue" data-label="完成时限">2023年8月底前<small class="due">8月31日</small></td>`)
	if strings.Contains(r.Body, "视情况而定") {
		t.Error("a deadline not read is among the overdue")
	}
	c.MustGet("/tasks?plan="+plan+"&due=unread", http.StatusOK, `视情况而定<small class="due warn">未能识别</small>`)
	c.MustGet(taskPath(tasks[1]), http.StatusOK, "2023年8月底前 <small class=\"due\">2023年8月31日</small>", "已过完成时限")
	// The homes count them, and lead to the ledger's list of them.
	w.Client(admin).MustGet("/", http.StatusOK, "本月到期：1 项", "已过完成时限：3 项", `href="/tasks?due=overdue&amp;state=published"`)
	w.Client(viewer).MustGet("/", http.StatusOK, "本月到期：1 项", "已过完成时限：3 项")
}
