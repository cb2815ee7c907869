package page_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// TestEscaping shows text holding markup as text everywhere it appears:
// the ledger, the search highlight, the task page, comments, account names.
func TestEscaping(t *testing.T) {
	w := newWorld(t)
	const script = `<script>alert("督办")</script>`
	text := "推进" + script + "城市更新"
	if _, err := w.Services().Tasks.UpdateTask(officeCtx, w.Task.ID, duban.TaskUpdate{Text: &text}); err != nil {
		t.Fatal(err)
	}
	c := w.Client(admin)
	c.MustPost(taskPath(w.Task)+"/comments", url.Values{"text": {"意见" + script}}, http.StatusSeeOther)
	c.MustPost("/accounts", url.Values{"name": {"x.y"}, "display_name": {script}, "role": {"viewer"}, "password": {"a-long-password"}}, http.StatusSeeOther)
	escaped := `&lt;script&gt;alert(&#34;督办&#34;)&lt;/script&gt;`
	for _, path := range []string{
		"/tasks?q=" + url.QueryEscape("推进<script>"),
		"/tasks?q=" + url.QueryEscape(script),
		taskPath(w.Task),
		"/accounts",
		"/units/" + strconv.FormatInt(w.Users[clerk].UnitID, 10),
	} {
		r := c.MustGet(path, http.StatusOK)
		if strings.Contains(r.Body, "<script>alert") {
			t.Errorf("%s: the script is in the page as markup", path)
		}
		if !strings.Contains(r.Body, escaped) && !strings.Contains(r.Body, "&lt;script&gt;") {
			t.Errorf("%s: the text is not shown escaped", path)
		}
	}
	// The search highlights the match, escaped inside its mark.
	c.MustGet("/tasks?q="+url.QueryEscape("<script>"), http.StatusOK, "<mark>&lt;script&gt;</mark>")
}

// TestLedger checks the ledger's filters against the store's answers to the
// same questions, and that the filter is kept in the address.
func TestLedger(t *testing.T) {
	w := newWorld(t)
	c := w.Client(clerk)
	unit := w.Users[clerk].UnitID
	leaderID := w.Users[leader].LeaderID
	yes, no := true, false
	section, area := 2, 1
	count := func(f duban.TaskFilter) int {
		_, n, err := w.Services().Tasks.FindTasks(readerCtx, f)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, c2 := range []struct {
		query  string
		filter duban.TaskFilter
	}{
		{"", duban.TaskFilter{}},
		{fmt.Sprintf("unit=%d", unit), duban.TaskFilter{UnitID: &unit}},
		{fmt.Sprintf("unit=%d&role=lead", unit), duban.TaskFilter{UnitID: &unit, UnitRole: duban.UnitLeads}},
		{fmt.Sprintf("unit=%d&role=shared", unit), duban.TaskFilter{UnitID: &unit, UnitRole: duban.UnitShares}},
		{fmt.Sprintf("leader=%d", leaderID), duban.TaskFilter{LeaderID: &leaderID}},
		{"targets=yes", duban.TaskFilter{HasTargets: &yes}},
		{"targets=no", duban.TaskFilter{HasTargets: &no}},
		{"q=" + url.QueryEscape("企业"), duban.TaskFilter{Query: "企业"}},
		{fmt.Sprintf("plan=%d&section=2", w.Plan.ID), duban.TaskFilter{PlanID: &w.Plan.ID, Section: &section}},
		{fmt.Sprintf("plan=%d&section=2&area=1", w.Plan.ID), duban.TaskFilter{PlanID: &w.Plan.ID, Section: &section, Area: &area}},
		{"year=2022&sort=unit&order=desc", duban.TaskFilter{Year: ref(2022)}},
		{"year=2021", duban.TaskFilter{Year: ref(2021)}},
	} {
		want := count(c2.filter)
		c.MustGet("/tasks?"+c2.query, http.StatusOK, fmt.Sprintf("共 %d 项任务", want))
	}
	// A unit's counts by part, with the filter's other conditions, whatever
	// part is chosen.
	for _, q := range []struct {
		query   string
		targets *bool
	}{{"", nil}, {"&role=shared", nil}, {"&targets=yes&role=lead", &yes}} {
		f := duban.TaskFilter{UnitID: &unit, HasTargets: q.targets}
		all := count(f)
		f.UnitRole = duban.UnitLeads
		led := count(f)
		f.UnitRole = duban.UnitShares
		shared := count(f)
		c.MustGet(fmt.Sprintf("/tasks?unit=%d%s", unit, q.query), http.StatusOK,
			fmt.Sprintf(">全部 %d<", all), fmt.Sprintf(">牵头 %d<", led), fmt.Sprintf(">参与 %d<", shared))
	}
	// The pages of a long list keep the filter.
	r := c.MustGet("/tasks?size=20&page=2&targets=no", http.StatusOK, "第 2 / 3 页", `rel="prev"`)
	next := regexp.MustCompile(`href="([^"]*)" rel="next"`).FindStringSubmatch(r.Body)
	if next == nil || next[1] != "/tasks?page=3&amp;size=20&amp;targets=no" {
		t.Errorf("the next page's address: got %v, want page 3 with the filter", next)
	}
	// Sorting by a column links to the other direction.
	c.MustGet("/tasks?sort=unit", http.StatusOK, "牵头单位↑", `href="/tasks?order=desc&amp;sort=unit"`)
	// A malformed filter says what is wrong.
	c.MustGet("/tasks?year=abc", http.StatusBadRequest, "year=abc")
	// A draft's tasks are the office's only.
	c.MustGet(fmt.Sprintf("/tasks?plan=%d", w.Draft.ID), http.StatusNotFound)
	w.Client(admin).MustGet(fmt.Sprintf("/tasks?plan=%d", w.Draft.ID), http.StatusOK, "共 88 项任务")
}

// TestTaskPage shows a task in its place in the notice, its owners linked
// to their pages, its history and its comments; the comment form shows for
// those who may comment on it.
func TestTaskPage(t *testing.T) {
	w := newWorld(t)
	c := w.Client(clerk)
	r := c.MustGet(taskPath(w.Task), http.StatusOK, "通知原文", `class="here"`, "变更记录", "lixia-2022.md")
	here := regexp.MustCompile(`(?s)<p class="here">(.*?)</p>`).FindStringSubmatch(r.Body)
	if here == nil || !strings.Contains(here[1], "<mark>"+firstRunes(w.Task.Text, 10)) {
		t.Errorf("the paragraph does not hold the task's text %q, marked:\n%v", firstRunes(w.Task.Text, 10), here)
	}
	if o := w.Task.LeadUnits; len(o) > 0 && !strings.Contains(r.Body, fmt.Sprintf(`href="/units/%d"`, o[0].ID)) {
		t.Error("the lead unit is not linked to its page")
	}
	if !strings.Contains(r.Body, `action="`+taskPath(w.Task)+`/comments"`) {
		t.Error("the clerk of the task's unit gets no comment form")
	}
	c.MustPost(taskPath(w.Task)+"/comments", url.Values{"text": {"本单位已完成第一阶段。"}}, http.StatusSeeOther)
	c.MustGet(taskPath(w.Task), http.StatusOK, "本单位已完成第一阶段。", "进展情况已提交。")
	// Another unit's clerk reads the task but gets no form, and is refused.
	o := w.Client(otherClerk)
	if r := o.MustGet(taskPath(w.Task), http.StatusOK); strings.Contains(r.Body, `/comments"`) {
		t.Error("another unit's clerk gets a comment form")
	}
	o.MustPost(taskPath(w.Task)+"/comments", url.Values{"text": {"越权"}}, http.StatusForbidden, "不能填报其他单位任务的进展情况")
	c.MustGet("/tasks/999999", http.StatusNotFound, "不存在")
	c.MustGet("/tasks/abc", http.StatusNotFound)
}

// TestAccounts: the office makes an account with a random password shown
// once, the account signs in, the office resets its password and disables
// it, and makes and revokes an API token that works in between.
func TestAccounts(t *testing.T) {
	w := newWorld(t)
	office := w.Client(admin)
	unit := strconv.FormatInt(w.Users[clerk].UnitID, 10)
	r := office.MustPost("/accounts", url.Values{"name": {"li.hua"}, "display_name": {"李华"}, "role": {"clerk"}, "unit": {unit}},
		http.StatusOK, "只显示这一次", "李华（li.hua）")
	pw := regexp.MustCompile(`<p class="secret">([^<]+)</p>`).FindStringSubmatch(r.Body)
	if pw == nil || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("no password shown, or the page may be cached:\n%s", short(r.Body))
	}
	office.MustPost("/accounts", url.Values{"name": {"li.hua"}, "role": {"viewer"}}, http.StatusConflict, "已被使用")
	office.MustPost("/accounts", url.Values{"name": {"wang"}, "role": {"clerk"}}, http.StatusBadRequest, "请选择单位联络员所属的单位")
	office.MustPost("/accounts", url.Values{"name": {"wang"}, "role": {"viewer"}, "password": {"short"}}, http.StatusBadRequest, "密码太短")

	li := webtest.NewClient(t, w.HTTP.URL)
	li.Login("li.hua", pw[1])
	li.MustGet("/tasks", http.StatusOK, "李华")
	li.MustGet("/accounts", http.StatusForbidden, "不能管理账号")

	users, _, err := w.Services().Users.FindUsers(officeCtx, duban.UserFilter{Name: ref("li.hua")})
	if err != nil || len(users) != 1 {
		t.Fatal(users, err)
	}
	path := "/accounts/" + strconv.FormatInt(users[0].ID, 10)
	office.MustGet(path, http.StatusOK, "角色与绑定", "API 令牌")
	office.MustPost(path+"/password", url.Values{"password": {"a-password-set-by-hand"}}, http.StatusSeeOther)
	li.MustGet("/tasks", http.StatusSeeOther)
	li.Login("li.hua", "a-password-set-by-hand")

	// A token acts as the account through the API.
	r = office.MustPost(path+"/tokens", url.Values{"name": {"月报脚本"}}, http.StatusOK, "Authorization: Bearer")
	secret := regexp.MustCompile(`<p class="secret">(dbn_[^<]+)</p>`).FindStringSubmatch(r.Body)
	if secret == nil {
		t.Fatalf("no token shown:\n%s", short(r.Body))
	}
	api := func() int {
		req, _ := http.NewRequest("GET", w.HTTP.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret[1])
		return webtest.NewClient(t, w.HTTP.URL).Do(req).Status
	}
	if got := api(); got != http.StatusOK {
		t.Errorf("the new token: got %d, want 200", got)
	}
	tokens, _, _ := w.Services().Auth.FindAPITokens(officeCtx, duban.APITokenFilter{UserID: &users[0].ID})
	office.MustPost(fmt.Sprintf("%s/tokens/%d/revoke", path, tokens[0].ID), nil, http.StatusSeeOther)
	if got := api(); got != http.StatusUnauthorized {
		t.Errorf("the revoked token: got %d, want 401", got)
	}
	// A token of another account cannot be revoked through this one's page.
	office.MustPost(fmt.Sprintf("%s/tokens/%d/revoke", path, w.Token.ID), nil, http.StatusNotFound)

	// Disabling signs the account out at once; the office cannot disable
	// itself.
	office.MustPost(path, url.Values{"display_name": {"李华"}, "role": {"clerk"}, "unit": {unit}, "disabled": {"on"}}, http.StatusSeeOther)
	li.MustGet("/tasks", http.StatusSeeOther)
	self := "/accounts/" + strconv.FormatInt(w.Users[admin].ID, 10)
	office.MustPost(self, url.Values{"role": {"admin"}, "disabled": {"on"}}, http.StatusConflict, "不能停用自己的账号")
	office.MustGet("/accounts", http.StatusOK, "已停用")
}

// TestDirectoryPages: a unit's page lists what it leads and shares with
// counts that agree with the ledger; the lists of units and leaders count
// the same.
func TestDirectoryPages(t *testing.T) {
	w := newWorld(t)
	c := w.Client(leader)
	unit := w.Users[clerk].UnitID
	_, led, _ := w.Services().Tasks.FindTasks(readerCtx, duban.TaskFilter{UnitID: &unit, UnitRole: duban.UnitLeads})
	_, shared, _ := w.Services().Tasks.FindTasks(readerCtx, duban.TaskFilter{UnitID: &unit, UnitRole: duban.UnitShares})
	c.MustGet(fmt.Sprintf("/units/%d", unit), http.StatusOK, "区财政局", fmt.Sprintf("牵头的任务（%d 项）", led), fmt.Sprintf("参与的任务（%d 项）", shared))
	c.MustGet(fmt.Sprintf("/units/%d?year=2021", unit), http.StatusOK, "牵头的任务（0 项）")
	r := c.MustGet("/units", http.StatusOK, "区财政局")
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<a href="/units/%d">区财政局</a>.*?>(\d+)</a>.*?>(\d+)</a>`, unit)).FindStringSubmatch(r.Body)
	if row == nil || row[1] != strconv.Itoa(led) || row[2] != strconv.Itoa(shared) {
		t.Errorf("units list: got %v, want %d led and %d shared", row, led, shared)
	}
	lid := w.Users[leader].LeaderID
	_, leads, _ := w.Services().Tasks.FindTasks(readerCtx, duban.TaskFilter{LeaderID: &lid})
	c.MustGet(fmt.Sprintf("/leaders/%d", lid), http.StatusOK, "武毅", fmt.Sprintf("牵头的任务（%d 项）", leads))
	c.MustGet("/leaders", http.StatusOK, "武毅")
	c.MustGet(fmt.Sprintf("/plans/%d", w.Plan.ID), http.StatusOK, "行动与重点领域", "88 项")
	c.MustGet(fmt.Sprintf("/plans/%d", w.Draft.ID), http.StatusNotFound)
	c.MustGet("/plans", http.StatusOK, w.Plan.Title)
}

// countingUnits counts the full lists of units read, to tell lists shared
// per version of the data from lists read per request.
type countingUnits struct {
	duban.UnitService
	mu    sync.Mutex
	lists int
	fail  bool // the store fails to list them
}

func (u *countingUnits) FindUnits(ctx context.Context, f duban.UnitFilter) ([]*duban.Unit, int, error) {
	if f == (duban.UnitFilter{}) {
		u.mu.Lock()
		u.lists++
		fail := u.fail
		u.mu.Unlock()
		if fail {
			return nil, 0, errors.New("the store is unreachable")
		}
	}
	return u.UnitService.FindUnits(ctx, f)
}

func (u *countingUnits) failing(fail bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.fail = fail
}

func (u *countingUnits) count() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.lists
}

// TestChoices: the filter forms' lists are read once per version of what
// lists show and shared by the pages that offer them, with the page cache
// or without; a comment does not make them read again, a change shows at
// once; a draft is offered to the office only, whoever asked first.
func TestChoices(t *testing.T) {
	for _, cache := range []int{0, -1} {
		t.Run(fmt.Sprintf("page cache %d", cache), func(t *testing.T) {
			w := newWorld(t)
			svc := w.Services()
			units := &countingUnits{UnitService: svc.Units}
			svc.Units = units
			srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), PageCache: cache}, svc)
			if err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			t.Cleanup(hs.Close)
			client := func(role string) *webtest.Client {
				c := webtest.NewClient(t, hs.URL)
				c.Login(role, password(role))
				return c
			}
			reader, office := client(viewer), client(admin)
			unit := w.Users[clerk].UnitID
			if r := reader.MustGet(fmt.Sprintf("/tasks?unit=%d", unit), http.StatusOK, w.Plan.Title); strings.Contains(r.Body, w.Draft.Title) {
				t.Error("a viewer is offered the draft")
			}
			office.MustGet(fmt.Sprintf("/tasks?unit=%d", unit), http.StatusOK, w.Draft.Title)
			reader.MustGet("/tasks", http.StatusOK)
			reader.MustGet(fmt.Sprintf("/units/%d", unit), http.StatusOK)
			// Those who see drafts have lists of their own: two readings.
			if got := units.count(); got != 2 {
				t.Errorf("lists of units read for four pages at one version: got %d, want 2", got)
			}
			// A comment changes no list: they are not read again.
			if err := svc.Comments.CreateComment(duban.NewContextWithUser(context.Background(), w.Users[clerk]),
				&duban.Comment{TaskID: w.Task.ID, Text: "本月节点任务已完成。"}); err != nil {
				t.Fatal(err)
			}
			reader.MustGet(fmt.Sprintf("/tasks?unit=%d", unit), http.StatusOK)
			if got := units.count(); got != 2 {
				t.Errorf("lists of units read after a comment: got %d, want still 2", got)
			}
			// A change shows at once.
			added := &duban.Unit{Name: "区新设局", Kind: duban.UnitDepartment}
			if err := svc.Units.CreateUnit(officeCtx, added); err != nil {
				t.Fatal(err)
			}
			reader.MustGet(fmt.Sprintf("/tasks?unit=%d", unit), http.StatusOK, fmt.Sprintf(`<option value="%d">区新设局</option>`, added.ID))
			if got := units.count(); got != 3 {
				t.Errorf("lists of units read after a change: got %d, want 3", got)
			}
			// Lists that failed to be read are not kept: the next request
			// reads them again.
			if _, err := svc.Units.AddUnitAlias(officeCtx, added.ID, "新设局"); err != nil {
				t.Fatal(err)
			}
			units.failing(true)
			reader.MustGet("/tasks", http.StatusInternalServerError)
			units.failing(false)
			failed := units.count()
			reader.MustGet("/tasks", http.StatusOK, "区新设局")
			reader.MustGet(fmt.Sprintf("/units/%d", unit), http.StatusOK)
			if got := units.count() - failed; got != 1 {
				t.Errorf("lists of units read for two pages after a failed reading: got %d, want 1", got)
			}
		})
	}
}

// TestCachedPagesShowNoComment: the pages kept until what lists show
// changes (renderCached) read the same before and after a comment, which
// does not move that version (ListsHead): a page that showed comments, or
// anything a comment changes, would be kept stale. The task's page, which
// shows them, is rendered anew each time.
func TestCachedPagesShowNoComment(t *testing.T) {
	w := newWorldWith(t, web.Config{PageCache: -1})
	c := w.Client(clerk)
	unit, lid := w.Users[clerk].UnitID, w.Users[leader].LeaderID
	pages := []string{"/tasks", fmt.Sprintf("/tasks?unit=%d", unit), fmt.Sprintf("/tasks?plan=%d&sort=updated", w.Plan.ID),
		fmt.Sprintf("/units/%d", unit), "/units", fmt.Sprintf("/leaders/%d", lid), "/leaders", "/plans", fmt.Sprintf("/plans/%d", w.Plan.ID)}
	before := map[string]string{}
	for _, p := range pages {
		before[p] = mainPart(c.MustGet(p, http.StatusOK).Body)
	}
	text := "本月节点任务已完成，请督查室核实。"
	c.MustPost(fmt.Sprintf("/tasks/%d/comments", w.Task.ID), url.Values{"text": {text}}, http.StatusSeeOther)
	c.MustGet(fmt.Sprintf("/tasks/%d", w.Task.ID), http.StatusOK, text)
	for _, p := range pages {
		if after := mainPart(c.MustGet(p, http.StatusOK).Body); after != before[p] {
			t.Errorf("a comment changed %s, a page kept until a list changes: show comments on pages rendered anew, or let them move ListsHead", p)
		}
	}
}
