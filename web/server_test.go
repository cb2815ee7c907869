package web_test

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

func taskPath(t *duban.Task) string { return "/tasks/" + strconv.FormatInt(t.ID, 10) }

// TestSignIn follows a person from a bookmarked page through the sign-in
// form and back, and checks the cookies the server sets.
func TestSignIn(t *testing.T) {
	w := newWorld(t)
	c := webtest.NewClient(t, w.http.URL)
	r := c.MustGet("/tasks?unit=3", http.StatusSeeOther)
	if got, want := r.Location(), "/login?next=%2Ftasks%3Funit%3D3"; got != want {
		t.Errorf("a page signed out: got redirect %q, want %q", got, want)
	}
	c.MustGet("/login?next=%2Ftasks%3Funit%3D3", http.StatusOK, `name="next" value="/tasks?unit=3"`, "登录名")

	for _, bad := range []struct {
		name, password string
		status         int
		says           string
	}{
		{viewer, "wrong", http.StatusUnauthorized, "登录名或密码不正确"},
		{"nobody-such", "wrong", http.StatusUnauthorized, "登录名或密码不正确"},
		{viewer, "", http.StatusBadRequest, "请输入登录名和密码"},
	} {
		r := c.Post("/login", url.Values{"name": {bad.name}, "password": {bad.password}, "next": {"/tasks"}})
		if r.Status != bad.status || !strings.Contains(r.Body, bad.says) || !strings.Contains(r.Body, `value="`+bad.name+`"`) {
			t.Errorf("sign in %s/%s: got %d, want %d saying %q with the name kept:\n%s", bad.name, bad.password, r.Status, bad.status, bad.says, short(r.Body))
		}
	}
	r = c.Post("/login", url.Values{"name": {viewer}, "password": {password(viewer)}, "next": {"/tasks?unit=3"}})
	if r.Status != http.StatusSeeOther || r.Location() != "/tasks?unit=3" {
		t.Fatalf("sign in: got %d to %q, want 303 back to the bookmark", r.Status, r.Location())
	}
	cookie := setCookie(r, "duban_session")
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Expires.IsZero() {
		t.Errorf("session cookie: got %+v, want HttpOnly, SameSite=Lax, not Secure over plain HTTP, with an end", cookie)
	}
	c.MustGet("/tasks", http.StatusOK, "查看者")
	// The sign-in form sends a signed-in user on.
	c.MustGet("/login?next=/units", http.StatusSeeOther)

	// Another site's address after sign-in is not followed.
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"} {
		c2 := webtest.NewClient(t, w.http.URL)
		r := c2.Post("/login", url.Values{"name": {viewer}, "password": {password(viewer)}, "next": {next}})
		if r.Location() != "/" {
			t.Errorf("next=%q: got redirect to %q, want /", next, r.Location())
		}
	}

	// Signing out ends the session on the server: the old cookie is
	// worthless.
	old := c.Cookie("duban_session")
	c.MustPost("/logout", nil, http.StatusSeeOther)
	c.MustGet("/tasks", http.StatusSeeOther)
	c.SetCookie("duban_session", old)
	c.MustGet("/tasks", http.StatusSeeOther)
}

func setCookie(r *webtest.Response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestSecureCookies marks cookies Secure when the request came over HTTPS,
// behind a balancer that says so, and only when the server trusts it.
func TestSecureCookies(t *testing.T) {
	for _, c := range []struct {
		trust      bool
		forwarded  string
		wantSecure bool
	}{
		{false, "", false},
		{false, "https", false},
		{true, "http", false},
		{true, "https", true},
	} {
		w := newWorldWith(t, web.Config{TrustProxy: c.trust})
		b := webtest.NewClient(t, w.http.URL)
		form := url.Values{"name": {viewer}, "password": {password(viewer)}, "csrf": {b.CSRF()}}
		req, _ := http.NewRequest("POST", b.URL("/login"), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-Proto", c.forwarded)
		r := b.Do(req)
		cookie := setCookie(r, "duban_session")
		if cookie == nil || cookie.Secure != c.wantSecure {
			t.Errorf("trust %v, X-Forwarded-Proto %q: got cookie %+v, want Secure=%v", c.trust, c.forwarded, cookie, c.wantSecure)
		}
		if hsts := r.Header.Get("Strict-Transport-Security"); (hsts != "") != c.wantSecure {
			t.Errorf("trust %v, X-Forwarded-Proto %q: Strict-Transport-Security %q", c.trust, c.forwarded, hsts)
		}
	}
}

// TestSessionRotation: a session token planted in a browser before sign-in
// (session fixation) is replaced at sign-in and ends, and so is the CSRF
// token.
func TestSessionRotation(t *testing.T) {
	w := newWorld(t)
	attacker := w.Client(viewer)
	planted := attacker.Cookie("duban_session")
	victim := webtest.NewClient(t, w.http.URL)
	victim.SetCookie("duban_session", planted)
	csrfBefore := victim.CSRF()
	victim.Login(leader, password(leader))
	if got := victim.Cookie("duban_session"); got == planted || got == "" {
		t.Errorf("session after sign-in: got %q, want a new one", got)
	}
	if got := victim.Cookie("duban_csrf"); got == csrfBefore {
		t.Error("the CSRF token was not renewed at sign-in")
	}
	victim.MustGet("/tasks", http.StatusOK, "武毅")
	// The planted session was the one the browser had: it ended.
	attacker.MustGet("/tasks", http.StatusSeeOther)
}

// TestCSRF refuses a change whose form lacks the browser's CSRF token, as a
// form on another site would, and changes nothing.
func TestCSRF(t *testing.T) {
	w := newWorld(t)
	c := w.Client(admin)
	path := taskPath(w.Task) + "/comments"
	before := w.AuditHead()
	for _, form := range []url.Values{
		{"text": {"没有令牌"}},
		{"text": {"错误的令牌"}, "csrf": {"0123456789abcdef0123456789abcdef0123456789a"}},
		{"text": {"空令牌"}, "csrf": {""}},
	} {
		r := c.PostRaw(path, form)
		if r.Status != http.StatusForbidden || !strings.Contains(r.Body, "请刷新页面后重试") {
			t.Errorf("form %v: got %d, want 403:\n%s", form, r.Status, short(r.Body))
		}
	}
	// Sign-in needs it too: another site cannot sign a browser in.
	if r := webtest.NewClient(t, w.http.URL).PostRaw("/login", url.Values{"name": {admin}, "password": {password(admin)}}); r.Status != http.StatusForbidden {
		t.Errorf("sign-in without the token: got %d, want 403", r.Status)
	}
	if got := w.AuditHead(); got != before {
		t.Errorf("refused forms changed the audit log from %d to %d events", before, got)
	}
	// The page's own form carries it, and passes.
	page := c.MustGet(taskPath(w.Task), http.StatusOK)
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if token == nil || token[1] != c.Cookie("duban_csrf") {
		t.Fatalf("the page's forms carry no CSRF token")
	}
	c.MustPost(path, url.Values{"text": {"有令牌"}, "csrf": {token[1]}}, http.StatusSeeOther)
}

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

// TestThrottle pauses sign-in after repeated wrong passwords, even for the
// right one, and says how long to wait.
func TestThrottle(t *testing.T) {
	w := newWorld(t)
	for i := range testPolicy.MaxAccountFailures {
		r := webtest.NewClient(t, w.http.URL).Post("/login", url.Values{"name": {leader}, "password": {fmt.Sprint("guess", i)}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d", i+1, r.Status)
		}
	}
	b := webtest.NewClient(t, w.http.URL)
	b.MustPost("/login", url.Values{"name": {leader}, "password": {password(leader)}}, http.StatusTooManyRequests, "分钟后再试")
	// Another account from the same address still signs in.
	b.Login(viewer, password(viewer))
}

// TestBodyLimit refuses a form larger than the route accepts, saying so.
func TestBodyLimit(t *testing.T) {
	w := newWorld(t)
	c := w.Client(admin)
	before := w.AuditHead()
	c.MustPost(taskPath(w.Task)+"/comments", url.Values{"text": {strings.Repeat("长", 1<<19)}}, http.StatusRequestEntityTooLarge, "过大")
	if w.AuditHead() != before {
		t.Error("a refused body changed something")
	}
}

// TestPages opens every page without a changing effect, as every role:
// the roles the route's rule allows see it (200), the others are refused
// (403), and nobody is sent to sign in.
func TestPages(t *testing.T) {
	w := newWorld(t)
	clients := map[string]*webtest.Client{}
	for _, role := range roles {
		clients[role] = w.Client(role)
	}
	var pages int
	for _, rt := range w.server.Routes() {
		if rt.Method != "GET" || rt.Allow == nil || rt.API {
			continue
		}
		pages++
		path := wildcardRE.ReplaceAllStringFunc(rt.Pattern, func(m string) string {
			name := wildcardRE.FindStringSubmatch(m)[1]
			id, ok := walkIDs[name]
			if !ok {
				t.Fatalf("%s: no ID for {%s}: add it to walkIDs", rt.String(), name)
			}
			if name == "plan" {
				return strconv.FormatInt(w.Plan.ID, 10) // the published plan, which every role sees
			}
			return strconv.FormatInt(id(w), 10)
		})
		path = strings.TrimSuffix(path, "{$}")
		for _, role := range roles {
			r := clients[role].Get(path)
			want := http.StatusOK
			switch {
			case role == nobody:
				want = http.StatusSeeOther
			case !rt.Allow(w.Users[role]):
				want = http.StatusForbidden
			case path == "/":
				want = http.StatusSeeOther
			}
			if r.Status != want {
				t.Errorf("%s as %s: got %d, want %d:\n%s", path, roleName(role), r.Status, want, short(r.Body))
			}
			if r.Status == http.StatusOK && !strings.Contains(r.Body, "</html>") {
				t.Errorf("%s as %s: the page is cut short", path, roleName(role))
			}
		}
	}
	if pages < 9 {
		t.Errorf("opened %d pages; the table has more", pages)
	}
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
	c.MustGet(taskPath(w.Task), http.StatusOK, "本单位已完成第一阶段。", "意见已发表。", "对任务 "+w.Task.No+" 发表意见")
	// Another unit's clerk reads the task but gets no form, and is refused.
	o := w.Client(otherClerk)
	if r := o.MustGet(taskPath(w.Task), http.StatusOK); strings.Contains(r.Body, `/comments"`) {
		t.Error("another unit's clerk gets a comment form")
	}
	o.MustPost(taskPath(w.Task)+"/comments", url.Values{"text": {"越权"}}, http.StatusForbidden, "不能对其他单位的任务发表意见")
	c.MustGet("/tasks/999999", http.StatusNotFound, "不存在")
	c.MustGet("/tasks/abc", http.StatusNotFound)
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
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

	li := webtest.NewClient(t, w.http.URL)
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
		req, _ := http.NewRequest("GET", w.http.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+secret[1])
		return webtest.NewClient(t, w.http.URL).Do(req).Status
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

// TestHeaders checks the security headers of pages and the caching of the
// static files, and that no page refers to anything off the server.
func TestHeaders(t *testing.T) {
	w := newWorld(t)
	c := w.Client(admin)
	r := c.MustGet("/tasks", http.StatusOK)
	for name, want := range map[string]string{
		"Content-Security-Policy": "default-src 'none'; script-src 'self'",
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "same-origin",
		"Cache-Control":           "private",
	} {
		if got := r.Header.Get(name); !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); strings.Contains(csp, "http") || strings.Contains(csp, "unsafe") {
		t.Errorf("the policy allows another origin or inline code: %s", csp)
	}
	// Every asset is the server's own.
	assets := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(r.Body, -1)
	for _, a := range assets {
		if strings.Contains(a[1], "//") {
			t.Errorf("the page refers to %s, off the server", a[1])
		}
	}
	css := regexp.MustCompile(`href="(/static/app\.css\?v=[0-9a-f]+)"`).FindStringSubmatch(r.Body)
	if css == nil {
		t.Fatal("no versioned style sheet in the page")
	}
	s := c.MustGet(strings.ReplaceAll(css[1], "&amp;", "&"), http.StatusOK, "--accent")
	if got := s.Header.Get("Cache-Control"); !strings.Contains(got, "immutable") || !strings.HasPrefix(s.Header.Get("Content-Type"), "text/css") {
		t.Errorf("style sheet: Cache-Control %q, Content-Type %q", got, s.Header.Get("Content-Type"))
	}
	c.MustGet("/static/nothing.css", http.StatusNotFound)
	c.MustGet("/no/such/page", http.StatusNotFound, "页面不存在")
}

// TestLanguage switches to English and back; the choice is kept in a
// cookie.
func TestLanguage(t *testing.T) {
	w := newWorld(t)
	c := w.Client(clerk)
	c.MustGet("/tasks", http.StatusOK, "台账", `lang="zh-CN"`)
	r := c.MustPost("/lang", url.Values{"lang": {"en"}, "next": {"/units"}}, http.StatusSeeOther)
	if r.Location() != "/units" {
		t.Errorf("after the switch: got %q, want back to /units", r.Location())
	}
	c.MustGet("/tasks", http.StatusOK, "Ledger", "Lead units", `lang="en"`, "Unit clerk")
	c.MustPost("/lang", url.Values{"lang": {"zh"}}, http.StatusSeeOther)
	c.MustGet("/tasks", http.StatusOK, "台账")
}

// TestInternalError shows a generic message for a failure inside the
// server and logs the cause in full.
func TestInternalError(t *testing.T) {
	w := newWorld(t)
	c := w.Client(viewer)
	w.db.Close()
	r := c.MustGet("/units", http.StatusInternalServerError, "服务器内部错误")
	if strings.Contains(r.Body, "sql") || strings.Contains(r.Body, "closed") {
		t.Errorf("the page shows the cause:\n%s", short(r.Body))
	}
	if !strings.Contains(w.log.String(), "internal error") || !strings.Contains(w.log.String(), "closed") {
		t.Errorf("the log lacks the cause:\n%s", w.log.String())
	}
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

// TestPageCache: a page many ask for alike is rendered once per version of
// the data, and shows a change at once; people of other roles or languages
// get theirs.
func TestPageCache(t *testing.T) {
	w := newWorld(t)
	unit := w.Users[clerk].UnitID
	path := fmt.Sprintf("/tasks?unit=%d", unit)
	office, reader := w.Client(admin), w.Client(viewer)
	first := office.MustGet(path, http.StatusOK, w.Draft.Title)
	again := office.MustGet(path, http.StatusOK)
	if mainPart(first.Body) != mainPart(again.Body) {
		t.Error("the same page at the same version differs")
	}
	// Another role does not get the office's page (the draft is the
	// office's only).
	if r := reader.MustGet(path, http.StatusOK); strings.Contains(r.Body, w.Draft.Title) {
		t.Error("a viewer got the office's cached page, with the draft")
	}
	// A change shows at once.
	text := "缓存之后修改的任务内容"
	if _, err := w.Services().Tasks.UpdateTask(officeCtx, w.Task.ID, duban.TaskUpdate{Text: &text}); err != nil {
		t.Fatal(err)
	}
	reader.MustGet(path, http.StatusOK, text)
	office.MustGet(path, http.StatusOK, text)
	// Each language has its own.
	reader.MustPost("/lang", url.Values{"lang": {"en"}}, http.StatusSeeOther)
	reader.MustGet(path, http.StatusOK, "Lead units", text)
	// The user's own part of the page is never another's.
	if r := reader.MustGet(path, http.StatusOK); strings.Contains(r.Body, "督办室") {
		t.Error("the viewer's page names the office's account")
	}
}

// mainPart returns a page's main part, without the header that names the user.
func mainPart(body string) string {
	if i := strings.Index(body, "<main"); i >= 0 {
		return body[i:]
	}
	return body
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
			srv, err := web.New(web.Config{Logger: slog.New(slog.DiscardHandler), PageCache: cache}, svc)
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

// TestShortAddress: a page asked for with empty parameters, as a filter
// form sends its fields left empty, answers with a redirect to its address
// without them, the one to bookmark and share; an address with none is
// served as it is, and the API answers scripts as they asked.
func TestShortAddress(t *testing.T) {
	w := newWorld(t)
	c := w.Client(viewer)
	unit := w.Users[clerk].UnitID
	for _, tc := range []struct{ from, to string }{
		{fmt.Sprintf("/tasks?plan=&year=&leader=&unit=%d&role=lead&targets=&q=", unit), fmt.Sprintf("/tasks?role=lead&unit=%d", unit)},
		{"/tasks?plan=&q=", "/tasks"},
		{"/tasks?q=" + url.QueryEscape("企业") + "&q=", "/tasks?q=" + url.QueryEscape("企业")},
		{"/units?kind=&q=&year=2022", "/units?year=2022"},
		{fmt.Sprintf("/units/%d?year=", unit), fmt.Sprintf("/units/%d", unit)},
	} {
		if r := c.MustGet(tc.from, http.StatusFound); r.Location() != tc.to {
			t.Errorf("GET %s: redirected to %q, want %q", tc.from, r.Location(), tc.to)
		}
		c.MustGet(tc.to, http.StatusOK)
	}
	c.MustGet("/api/v1/tasks?q=&unit=", http.StatusOK)
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
	text := "本月节点任务已完成，请督办室核实。"
	c.MustPost(fmt.Sprintf("/tasks/%d/comments", w.Task.ID), url.Values{"text": {text}}, http.StatusSeeOther)
	c.MustGet(fmt.Sprintf("/tasks/%d", w.Task.ID), http.StatusOK, text)
	for _, p := range pages {
		if after := mainPart(c.MustGet(p, http.StatusOK).Body); after != before[p] {
			t.Errorf("a comment changed %s, a page kept until a list changes: show comments on pages rendered anew, or let them move ListsHead", p)
		}
	}
}
