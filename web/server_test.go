package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// TestSignIn follows a person from a bookmarked page through the sign-in
// form and back, and checks the cookies the server sets.
func TestSignIn(t *testing.T) {
	w := newWorld(t)
	c := webtest.NewClient(t, w.HTTP.URL)
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
		c2 := webtest.NewClient(t, w.HTTP.URL)
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
		b := webtest.NewClient(t, w.HTTP.URL)
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
	victim := webtest.NewClient(t, w.HTTP.URL)
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
	if r := webtest.NewClient(t, w.HTTP.URL).PostRaw("/login", url.Values{"name": {admin}, "password": {password(admin)}}); r.Status != http.StatusForbidden {
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

// TestThrottle pauses sign-in after repeated wrong passwords for one
// account from one address, even for the right one, and says how long to
// wait, in the page and in Retry-After.
func TestThrottle(t *testing.T) {
	w := newWorld(t)
	for i := range testPolicy.MaxPairFailures {
		r := webtest.NewClient(t, w.HTTP.URL).Post("/login", url.Values{"name": {leader}, "password": {fmt.Sprint("guess", i)}})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d", i+1, r.Status)
		}
	}
	b := webtest.NewClient(t, w.HTTP.URL)
	r := b.MustPost("/login", url.Values{"name": {leader}, "password": {password(leader)}}, http.StatusTooManyRequests, "后再试")
	if secs, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || secs <= 0 {
		t.Errorf("429: Retry-After %q, want a number of seconds", r.Header.Get("Retry-After"))
	}
	// Another account from the same address still signs in.
	b.Login(viewer, password(viewer))
}

// TestLockoutNotAWeapon: wrong passwords sent from one address slow down
// that address's attempts at that account only. The account's owner signs
// in from elsewhere, the people behind one address (an office behind a
// NAT) are not locked out by a few failures there, and a password reset or
// the office on the account page lifts the pause.
func TestLockoutNotAWeapon(t *testing.T) {
	w := newWorldWith(t, web.Config{TrustProxy: true})
	from := func(addr string) *webtest.Client {
		c := webtest.NewClient(t, w.HTTP.URL)
		c.Header = http.Header{"X-Forwarded-For": {addr}}
		return c
	}
	guess := func(addr, name string, n int) {
		t.Helper()
		for i := range n {
			r := from(addr).Post("/login", url.Values{"name": {name}, "password": {fmt.Sprint("guess", i)}})
			if r.Status != http.StatusUnauthorized && r.Status != http.StatusTooManyRequests {
				t.Fatalf("guess %d at %s from %s: got %d", i+1, name, addr, r.Status)
			}
		}
	}
	// An attacker at 10.0.0.66 tries the leader's account.
	guess("10.0.0.66", leader, testPolicy.MaxPairFailures+2)
	from("10.0.0.66").MustPost("/login", url.Values{"name": {leader}, "password": {password(leader)}}, http.StatusTooManyRequests, "后再试")
	// The leader signs in from the office.
	from("10.0.0.7").Login(leader, password(leader))

	// Someone behind the office's NAT fails at many names; the others
	// behind it still sign in.
	for i := range 10 {
		from("10.0.0.8").Post("/login", url.Values{"name": {fmt.Sprint("no.such", i)}, "password": {"guess"}})
	}
	from("10.0.0.8").Login(viewer, password(viewer))

	// The office resets the leader's password: the pause is lifted.
	office := w.Client(admin)
	office.MustPost(fmt.Sprintf("/accounts/%d/password", w.Users[leader].ID), url.Values{"password": {"a-new-password-1"}}, http.StatusSeeOther)
	from("10.0.0.66").Login(leader, "a-new-password-1")

	// The office lifts a pause on the account page.
	guess("10.0.0.67", clerk, testPolicy.MaxPairFailures+1)
	from("10.0.0.67").MustPost("/login", url.Values{"name": {clerk}, "password": {password(clerk)}}, http.StatusTooManyRequests)
	office.MustPost(fmt.Sprintf("/accounts/%d/unlock", w.Users[clerk].ID), nil, http.StatusSeeOther)
	from("10.0.0.67").Login(clerk, password(clerk))
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
	for _, rt := range w.Server.Routes() {
		if rt.Method != "GET" || rt.Allow == nil || rt.API || strings.Contains(path.Base(rt.Pattern), ".") {
			continue // the files to download are TestDownloads'
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
			case !allowed(rt, w.Users[role], w):
				want = http.StatusForbidden
			}
			if r.Status != want {
				t.Errorf("%s as %s: got %d, want %d:\n%s", path, roleName(role), r.Status, want, short(r.Body))
			}
			if r.Status == http.StatusOK && strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") && !strings.Contains(r.Body, "</html>") {
				t.Errorf("%s as %s: the page is cut short", path, roleName(role))
			}
			if got := r.Header.Get("Content-Length"); strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") && got != strconv.Itoa(len(r.Body)) {
				t.Errorf("%s as %s: Content-Length %q for a page of %d bytes", path, roleName(role), got, len(r.Body))
			}
		}
	}
	if pages < 9 {
		t.Errorf("opened %d pages; the table has more", pages)
	}
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

// TestNavBar: the navigation bar shows the entries a user may follow, the
// current section marked, in the user's language, though its links are
// rendered once for all alike.
func TestNavBar(t *testing.T) {
	w := newWorld(t)
	nav := regexp.MustCompile(`(?s)<nav class="nav"[^>]*>(.*?)</nav>`)
	bar := func(c *webtest.Client, path string) string {
		m := nav.FindStringSubmatch(c.MustGet(path, http.StatusOK).Body)
		if m == nil {
			t.Fatalf("%s: no navigation bar", path)
		}
		return m[1]
	}
	office, clerkC := w.Client(admin), w.Client(clerk)
	for _, c := range []struct {
		client       *webtest.Client
		path         string
		current      string
		shown, other []string
	}{
		{office, "/tasks", `<a href="/tasks" aria-current="page">台账</a>`, []string{`href="/accounts"`, `href="/reports"`}, []string{`href="/todo"`}},
		{office, "/accounts", `<a href="/accounts" aria-current="page">账号</a>`, []string{`<a href="/tasks">台账</a>`}, nil},
		{clerkC, "/tasks", `<a href="/tasks" aria-current="page">台账</a>`, []string{`href="/todo"`}, []string{`href="/accounts"`, `href="/reports"`}},
		{clerkC, "/units/" + strconv.FormatInt(w.Users[clerk].UnitID, 10), `<a href="/units" aria-current="page">单位</a>`, nil, nil},
	} {
		got := bar(c.client, c.path)
		if strings.Count(got, "aria-current") != 1 || !strings.Contains(got, c.current) {
			t.Errorf("%s: want %s marked alone, got %s", c.path, c.current, got)
		}
		for _, s := range c.shown {
			if !strings.Contains(got, s) {
				t.Errorf("%s: lacks %s: %s", c.path, s, got)
			}
		}
		for _, s := range c.other {
			if strings.Contains(got, s) {
				t.Errorf("%s: shows %s to this user: %s", c.path, s, got)
			}
		}
	}
	clerkC.MustPost("/lang", url.Values{"lang": {"en"}}, http.StatusSeeOther)
	if got := bar(clerkC, "/tasks"); !strings.Contains(got, `<a href="/tasks" aria-current="page">Ledger</a>`) {
		t.Errorf("in English: %s", got)
	}
}

// TestInternalError shows a generic message for a failure inside the
// server and logs the cause in full.
func TestInternalError(t *testing.T) {
	w := newWorld(t)
	c := w.Client(viewer)
	w.DB.Close()
	r := c.MustGet("/units", http.StatusInternalServerError, "服务器内部错误")
	if strings.Contains(r.Body, "sql") || strings.Contains(r.Body, "closed") {
		t.Errorf("the page shows the cause:\n%s", short(r.Body))
	}
	if !strings.Contains(w.Log.String(), "internal error") || !strings.Contains(w.Log.String(), "closed") {
		t.Errorf("the log lacks the cause:\n%s", w.Log.String())
	}
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
	if r := reader.MustGet(path, http.StatusOK); strings.Contains(r.Body, "督查室") {
		t.Error("the viewer's page names the office's account")
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

// TestCSRFBound: the CSRF token is bound to the session. A pair of cookie
// and field that match but were not made for the session is refused, and
// so is one of another length or another session's token; signed out, the
// pair must be of the token's exact length.
func TestCSRFBound(t *testing.T) {
	w := newWorld(t)
	c := w.Client(admin)
	other := w.Client(viewer)
	path := taskPath(w.Task) + "/comments"
	before := w.AuditHead()
	planted := "0123456789abcdef0123456789abcdef0123456789a" // 43 characters, as a token has
	for _, tc := range []struct {
		name, cookie, field string
	}{
		{"a planted pair", planted, planted},
		{"a longer pair", planted + planted, planted + planted},
		{"another session's token", other.CSRF(), other.CSRF()},
	} {
		c.SetCookie("duban_csrf", tc.cookie)
		if r := c.PostRaw(path, url.Values{"text": {tc.name}, "csrf": {tc.field}}); r.Status != http.StatusForbidden {
			t.Errorf("%s: got %d, want 403:\n%s", tc.name, r.Status, short(r.Body))
		}
	}
	if got := w.AuditHead(); got != before {
		t.Errorf("refused forms changed the audit log from %d to %d events", before, got)
	}
	// Signed out, a pair of another length is refused.
	b := webtest.NewClient(t, w.HTTP.URL)
	long := strings.Repeat("x", 200)
	b.SetCookie("duban_csrf", long)
	if r := b.PostRaw("/login", url.Values{"name": {viewer}, "password": {password(viewer)}, "csrf": {long}}); r.Status != http.StatusForbidden {
		t.Errorf("sign-in with a 200-character pair: got %d, want 403", r.Status)
	}
	// The page gives the session's own token, which passes.
	c = w.Client(admin)
	page := c.MustGet(taskPath(w.Task), http.StatusOK)
	token := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.Body)
	if token == nil || len(token[1]) != 43 {
		t.Fatalf("the page's forms carry no CSRF token of 43 characters: %q", token)
	}
	c.MustPost(path, url.Values{"text": {"有令牌"}, "csrf": {token[1]}}, http.StatusSeeOther)
}

// TestCrossOrigin: a change another site asks a browser to make is
// refused by its Sec-Fetch-Site or Origin even with the right token;
// same-origin requests, requests a person typed (Sec-Fetch-Site: none) and
// scripts sending neither header pass; behind a trusted balancer the
// Origin is compared with the forwarded host and scheme.
func TestCrossOrigin(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trust   bool
		headers map[string]string
		want    int
	}{
		{"cross-site", false, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"same-site", false, map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"another Origin", false, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"an opaque Origin", false, map[string]string{"Origin": "null"}, http.StatusForbidden},
		{"same-origin", false, map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "{self}"}, http.StatusSeeOther},
		{"typed", false, map[string]string{"Sec-Fetch-Site": "none"}, http.StatusSeeOther},
		{"our Origin", false, map[string]string{"Origin": "{self}"}, http.StatusSeeOther},
		{"no header", false, nil, http.StatusSeeOther},
		{"forwarded, same", true, map[string]string{"Origin": "https://duban.example.gov", "X-Forwarded-Host": "duban.example.gov", "X-Forwarded-Proto": "https"}, http.StatusSeeOther},
		{"forwarded, another host", true, map[string]string{"Origin": "https://evil.example", "X-Forwarded-Host": "duban.example.gov", "X-Forwarded-Proto": "https"}, http.StatusForbidden},
		{"forwarded, another scheme", true, map[string]string{"Origin": "http://duban.example.gov", "X-Forwarded-Host": "duban.example.gov", "X-Forwarded-Proto": "https"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorldWith(t, web.Config{TrustProxy: tc.trust})
			c := w.Client(admin)
			form := url.Values{"text": {"跨站测试"}, "csrf": {c.CSRF()}}
			req, _ := http.NewRequest("POST", c.URL(taskPath(w.Task)+"/comments"), strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.headers {
				req.Header.Set(k, strings.ReplaceAll(v, "{self}", w.HTTP.URL))
			}
			before := w.AuditHead()
			r := c.Do(req)
			if r.Status != tc.want {
				t.Errorf("got %d, want %d:\n%s", r.Status, tc.want, short(r.Body))
			}
			if changed := w.AuditHead() != before; changed != (tc.want < 400) {
				t.Errorf("changed %v, want %v", changed, tc.want < 400)
			}
		})
	}
	// A script with an API token sends neither header, and passes.
	w := newWorld(t)
	req, _ := http.NewRequest("POST", w.HTTP.URL+"/api/v1/tasks/"+fmt.Sprint(w.Task.ID)+"/comments", strings.NewReader(`{"text": "脚本"}`))
	req.Header.Set("Authorization", "Bearer "+w.Secret)
	req.Header.Set("Content-Type", "application/json")
	if r := webtest.NewClient(t, w.HTTP.URL).Do(req); r.Status == http.StatusForbidden && strings.Contains(r.Body, "来源") {
		t.Errorf("a script's change with a token: got %d:\n%s", r.Status, r.Body)
	}
}
