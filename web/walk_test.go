package web_test

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// The permission walk calls every route of the route table that changes
// something, as every role and as nobody, and checks that the server
// refuses what the role may not do (401 for nobody, 403 for the others)
// with nothing changed, and does not refuse what it may. It reads the
// route table, so a route added to it is walked without a word here; what
// a route may need is said below, by wildcard, by rule and by route.

// walkIDs fills a route's path wildcards with things of the world. A route
// with a wildcard not listed here fails the walk until it is added.
var walkIDs = map[string]func(w *world) int64{
	"task":      func(w *world) int64 { return w.Task.ID },
	"plan":      func(w *world) int64 { return w.Draft.ID },
	"unit":      func(w *world) int64 { return w.Users[clerk].UnitID },
	"leader":    func(w *world) int64 { return w.Users[leader].LeaderID },
	"user":      func(w *world) int64 { return w.Users[viewer].ID },
	"token":     func(w *world) int64 { return w.Token.ID },
	"statement": func(w *world) int64 { return w.Statement.ID },
	"period":    func(w *world) int64 { return w.Period.ID },
	"report":    func(w *world) int64 { return w.Report.ID },
	"closure":   func(w *world) int64 { return w.Closure.ID },
	"file":      func(w *world) int64 { return 1 },
	// The cycle's: a notice to the clerk's unit, answered; the clerk's
	// unit's notification; a channel.
	"supervision":  func(w *world) int64 { return w.Supervision.ID },
	"notification": func(w *world) int64 { return w.Notification.ID },
	"channel":      func(w *world) int64 { return w.Channel.ID },
}

// objectRules narrow a route's rule for the thing it acts on, keyed by the
// route's coarse rule: a route guarded by CanComment lets a clerk comment
// on its own unit's tasks only, which the service decides.
var objectRules = map[uintptr]func(u *duban.User, w *world) bool{
	rulePtr(duban.CanComment): func(u *duban.User, w *world) bool { return duban.CanCommentOnTask(u, w.Task, w.Groups()) },
	rulePtr(cycle.CanAnswerSupervisions): func(u *duban.User, w *world) bool {
		return cycle.CanAnswerSupervision(u, w.Supervision)
	},
}

func rulePtr(rule func(*duban.User) bool) uintptr { return reflect.ValueOf(rule).Pointer() }

// routeRules narrow a route's rule for the thing it acts on when routes of
// one coarse rule differ, by route; they win over objectRules. The world's
// Task is the clerk's unit's; its Report and Closure are on OtherTask, the
// other clerk's unit's.
var routeRules = map[string]func(u *duban.User, w *world) bool{
	// The clerk's unit's workbook, which walkQueries names.
	"GET /api/v1/periods/{period}/fillin.xlsx": func(u *duban.User, w *world) bool { return cycle.CanFillIn(u, w.Users[clerk].UnitID) },
	"GET /tasks/{task}/report":                 reportsOnTask,
	"POST /tasks/{task}/report":                reportsOnTask,
	"POST /tasks/{task}/closure": func(u *duban.User, w *world) bool {
		return cycle.CanRequestClosure(u, w.Task, nil)
	},
	"GET /reports/{report}":                       readsOtherTask,
	"GET /reports/{report}/compare":               readsOtherTask,
	"GET /reports/{report}/files/{file}":          readsOtherTask,
	"GET /closures/{closure}/files/{file}":        readsOtherTask,
	"GET /api/v1/reports/{report}":                readsOtherTask,
	"GET /api/v1/reports/{report}/versions":       readsOtherTask,
	"GET /api/v1/reports/{report}/compare":        readsOtherTask,
	"GET /api/v1/reports/{report}/files/{file}":   readsOtherTask,
	"GET /api/v1/closures/{closure}/files/{file}": readsOtherTask,
	"POST /api/v1/tasks/{task}/closure": func(u *duban.User, w *world) bool {
		return cycle.CanRequestClosure(u, w.Task, nil)
	},
	"POST /api/v1/reports": reportsOnTask,
	"PATCH /api/v1/reports/{report}": func(u *duban.User, w *world) bool {
		return cycle.CanWriteReport(u, w.OtherTask, w.Report.UnitID, w.Report.Kind, nil)
	},
}

// reportsOnTask: the office, or the clerk of a unit of the world's Task.
func reportsOnTask(u *duban.User, w *world) bool {
	return duban.IsOffice(u) || cycle.OwesReports(u) && w.Task.Reaches(u.UnitID, nil)
}

// readsOtherTask: whoever may read the reports on the world's OtherTask.
func readsOtherTask(u *duban.User, w *world) bool { return cycle.CanViewReports(u, w.OtherTask, nil) }

// walkForms are the forms that make a route succeed for a role allowed to
// use it, by route. For these the walk checks that the change is made (an
// answer below 400 and an audit event); for the others only that the
// allowed roles are not refused.
var walkForms = map[string]url.Values{
	"POST /tasks/{task}/comments":                 {"text": {"请按时报送进展。"}},
	"POST /accounts":                              {"name": {"new.user"}, "role": {"viewer"}, "password": {"a-long-password"}},
	"POST /accounts/{user}":                       {"display_name": {"改名"}, "role": {"viewer"}},
	"POST /accounts/{user}/password":              {"password": {"another-password"}},
	"POST /accounts/{user}/unlock":                {},
	"POST /accounts/{user}/tokens":                {"name": {"新脚本"}},
	"POST /accounts/{user}/tokens/{token}/revoke": {},
	"POST /review/tasks/{task}/edit":              {"deadline": {"2022年12月底前（复核）"}},
	"POST /review/statements/{statement}/assign":  {"lead_units": {"区财政局"}},
	"POST /review/statements/{statement}/dismiss": {"note": {"总括性表述"}},
	"POST /plans/{plan}/units":                    {"name": {"区新设单位"}, "kind": {"department"}},
	"POST /plans/{plan}/aliases":                  {"name": {"区财局"}, "unit": {"区财政局"}},
	"POST /plans/{plan}/groups":                   {"group": {"各街道办事处"}},
	"POST /periods/{period}/bulletin":             {"number": {"历下督字〔2022〕5号"}, "opening": {"现将情况通报如下："}, "closing": {"特此通报。"}, "signature": {"区政府督查室"}},
	"POST /units":                                 {"name": {"区新设局"}, "kind": {"department"}},
	"POST /units/{unit}":                          {"name": {"区财政局（新）"}, "kind": {"department"}},
	"POST /units/{unit}/aliases":                  {"alias": {"财政局"}},
	"POST /leaders":                               {"name": {"张三"}, "title": {"副区长"}, "order": {"3"}},
	"POST /leaders/{leader}":                      {"name": {"武毅"}, "title": {"副区长"}, "order": {"2"}},
	"POST /tasks/{task}/report":                   {"progress": {"已完成本月工作。"}, "completion": {"30"}, "action": {"save"}},
	"POST /tasks/{task}/closure":                  {"note": {"任务已全部完成。"}},
	"POST /closures/{closure}":                    {"decision": {"closed"}},
	"POST /periods/{period}":                      {"state": {"closed"}},
	"POST /calendar":                              {"date": {"2031-10-01"}, "name": {"国庆节"}},

	"POST /supervisions/{supervision}/answer":  {"version": {"2"}, "answer": {"已召开推进会，提出整改措施。"}},
	"POST /supervisions/{supervision}/close":   {"version": {"2"}},
	"POST /supervisions/{supervision}/reissue": {"reason": {"逾期未反馈"}, "requirement": {"请立即反馈"}, "due": {walkDue}},
	"POST /tasks/{task}/urge":                  {"message": {"请按时报送。"}},
	"POST /channels":                           {"kind": {"wecom"}, "name": {"区财政局工作群"}, "url": {"http://127.0.0.1:9/send?key=k"}, "enabled": {"1"}},
	"POST /channels/{channel}":                 {"name": {"督查室接口（改）"}, "enabled": {"1"}},
	"POST /channels/{channel}/delete":          {},
}

// walkDue is a deadline a new supervision notice may have: a month on.
var walkDue = time.Now().AddDate(0, 1, 0).Format(time.DateOnly)

// walkFormsOf are forms that name the world's things, as walkForms.
var walkFormsOf = map[string]func(w *world) url.Values{
	"POST /reports/review": func(w *world) url.Values {
		id := strconv.FormatInt(w.Report.ID, 10)
		return url.Values{"report": {id}, "version." + id: {strconv.Itoa(w.Report.Version)}, "action": {"accept"}}
	},
	"POST /supervisions": func(w *world) url.Values {
		return url.Values{"task": {strconv.FormatInt(w.Task.ID, 10)}, "reason": {"进度滞后"}, "requirement": {"请反馈"}, "due": {walkDue}}
	},
	"POST /units/{unit}/urge": func(w *world) url.Values {
		return url.Values{"plan": {strconv.FormatInt(w.Plan.ID, 10)}}
	},
}

// walkBodies are the JSON bodies that make an API route succeed for a role
// allowed to use it, as walkForms are for the pages; the walk sends {} to
// the other API routes.
var walkBodies = map[string]string{
	"POST /api/v1/tasks/{task}/comments":          `{"text": "请按时报送进展。"}`,
	"PATCH /api/v1/tasks/{task}":                  `{"deadline": "2022年12月底前"}`,
	"POST /api/v1/statements/{statement}/dismiss": `{"note": "无需单独分工"}`,
	"POST /api/v1/units":                          `{"name": "区新设局"}`,
	"PATCH /api/v1/units/{unit}":                  `{"name": "区财政局（新）"}`,
	"POST /api/v1/units/{unit}/aliases":           `{"alias": "财政局"}`,
	"POST /api/v1/leaders":                        `{"name": "张三", "title": "副区长", "order": 3}`,
	"PATCH /api/v1/leaders/{leader}":              `{"title": "副区长", "order": 2}`,
	"POST /api/v1/users":                          `{"name": "new.user", "role": "viewer", "password": "a-long-password"}`,
	"PATCH /api/v1/users/{user}":                  `{"display_name": "改名"}`,
	"POST /api/v1/users/{user}/password":          `{"password": "another-password"}`,
	"POST /api/v1/users/{user}/unlock":            `{}`,
	"POST /api/v1/tokens":                         `{"name": "新脚本"}`,
	"POST /api/v1/calendar":                       `{"date": "2031-10-01", "workday": false, "name": "国庆节"}`,
	"PATCH /api/v1/periods/{period}":              `{"state": "closed"}`,
	"PATCH /api/v1/closures/{closure}":            `{"state": "closed"}`,
	"PATCH /api/v1/periods/{period}/bulletin":     `{"number": "历下督字〔2022〕5号", "closing": "特此通报。"}`,
	"POST /api/v1/tasks/{task}/closure":           `{"note": "任务已全部完成。"}`,

	"POST /api/v1/channels":             `{"name": "区财政局工作群", "kind": "wecom", "url": "http://127.0.0.1:9/send?key=k", "enabled": true}`,
	"PATCH /api/v1/channels/{channel}":  `{"name": "督查室接口（改）"}`,
	"DELETE /api/v1/channels/{channel}": `{}`,
}

// walkBodiesOf are JSON bodies that name the world's things, as walkBodies.
var walkBodiesOf = map[string]func(w *world) string{
	"POST /api/v1/reports": func(w *world) string {
		return fmt.Sprintf(`{"task_id": %d, "period_id": %d, "progress": "已完成本月工作。", "completion": 30}`, w.Task.ID, w.Period.ID)
	},
	"POST /api/v1/supervisions": func(w *world) string {
		return fmt.Sprintf(`{"task_ids": [%d], "reason": "进度滞后", "requirement": "请反馈", "due": %q}`, w.Task.ID, walkDue)
	},
	"POST /api/v1/urges": func(w *world) string { return fmt.Sprintf(`{"task_id": %d}`, w.Task.ID) },
}

// wildcardRE finds a pattern's wildcards.
var wildcardRE = regexp.MustCompile(`\{(\w+)(\.\.\.)?\}`)

func TestPermissionWalk(t *testing.T) {
	w := newWorld(t)
	var walked int
	for _, rt := range w.Server.Routes() {
		if !rt.Changes || rt.Allow == nil {
			continue // reads, and the public sign-in routes
		}
		walked++
		t.Run(rt.String(), func(t *testing.T) {
			t.Parallel()
			// The refusals share one world: a refusal changes nothing, which
			// is what is checked. Each allowed role gets a world of its own,
			// since its request may change what the next one finds.
			refused := newWorld(t)
			for _, role := range roles {
				u := refused.Users[role]
				if allowed(rt, u, refused) {
					walkAllowed(t, newWorld(t), rt, role)
					continue
				}
				before := refused.AuditHead()
				resp := walkRequest(t, refused, rt, role)
				want := http.StatusForbidden
				if role == nobody {
					// Nobody is sent to sign in: a script with 401, a
					// person with the sign-in page, what the form carried
					// kept for after it.
					want = http.StatusUnauthorized
					if !rt.API {
						want = http.StatusSeeOther
					}
				}
				if resp.Status != want {
					t.Errorf("as %s: got %d, want %d refused:\n%s", roleName(role), resp.Status, want, short(resp.Body))
				}
				if want == http.StatusSeeOther && !strings.HasPrefix(resp.Location, "/login?next=") {
					t.Errorf("as %s: sent to %q, want the sign-in page", roleName(role), resp.Location)
				}
				if after := refused.AuditHead(); after != before {
					t.Errorf("as %s: refused, but the audit log grew from %d to %d events: something changed", roleName(role), before, after)
				}
			}
		})
	}
	if walked < 7 {
		t.Errorf("walked %d routes; the table has more that change something", walked)
	}
}

// allowed says whether the role may use the route on the world's things:
// the route's rule, narrowed by the object rule of the thing acted on.
func allowed(rt web.Route, u *duban.User, w *world) bool {
	if u == nil || !rt.Allow(u) {
		return false
	}
	if obj, ok := routeRules[rt.String()]; ok {
		return obj(u, w)
	}
	if obj, ok := objectRules[rulePtr(rt.Allow)]; ok {
		return obj(u, w)
	}
	return true
}

// walkAllowed calls a route as a role it allows.
func walkAllowed(t *testing.T, w *world, rt web.Route, role string) {
	t.Helper()
	before := w.AuditHead()
	resp := walkRequest(t, w, rt, role)
	if resp.Status == http.StatusUnauthorized || resp.Status == http.StatusForbidden || resp.Status >= 500 {
		t.Errorf("as %s (allowed): got %d:\n%s", roleName(role), resp.Status, short(resp.Body))
		return
	}
	_, form := walkForms[rt.String()]
	_, formOf := walkFormsOf[rt.String()]
	form = form || formOf
	_, body := walkBodies[rt.String()]
	_, bodyOf := walkBodiesOf[rt.String()]
	body = body || bodyOf
	if form || body {
		if resp.Status >= 400 {
			t.Errorf("as %s with a valid form: got %d, want success:\n%s", roleName(role), resp.Status, short(resp.Body))
		} else if w.AuditHead() == before {
			t.Errorf("as %s with a valid form: the audit log did not grow: nothing was recorded", roleName(role))
		}
	}
}

// walkRequest sends the route's request as a role, its wildcards filled,
// with the CSRF token (in the form for a page, in the header for the API).
func walkRequest(t *testing.T, w *world, rt web.Route, role string) *walkResponse {
	t.Helper()
	path := wildcardRE.ReplaceAllStringFunc(rt.Pattern, func(m string) string {
		name := wildcardRE.FindStringSubmatch(m)[1]
		id, ok := walkIDs[name]
		if !ok {
			t.Fatalf("the walk does not know the wildcard {%s}: add it to walkIDs in walk_test.go", name)
		}
		return strconv.FormatInt(id(w), 10)
	})
	c := w.Client(role)
	form := url.Values{}
	for k, v := range walkForms[rt.String()] {
		form[k] = v
	}
	if of, ok := walkFormsOf[rt.String()]; ok {
		for k, v := range of(w) {
			form[k] = v
		}
	}
	var body string
	contentType := "application/x-www-form-urlencoded"
	if rt.API {
		body, contentType = cmp.Or(walkBodies[rt.String()], "{}"), "application/json"
		if of, ok := walkBodiesOf[rt.String()]; ok {
			body = of(w)
		}
	} else {
		form.Set("csrf", c.CSRF())
		body = form.Encode()
	}
	req, err := http.NewRequest(rt.Method, c.URL(path), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-CSRF-Token", c.CSRF())
	r := c.Do(req)
	return &walkResponse{Status: r.Status, Body: r.Body, Location: r.Location()}
}

type walkResponse struct {
	Status   int
	Body     string
	Location string
}

func roleName(role string) string {
	if role == nobody {
		return "nobody"
	}
	return role
}

// walkQueries are the queries an API read needs to succeed, by route.
var walkQueries = map[string]func(w *world) string{
	"GET /api/v1/obligations":                  func(w *world) string { return "?period=" + strconv.FormatInt(w.Period.ID, 10) },
	"GET /api/v1/periods/{period}/fillin.xlsx": func(w *world) string { return "?unit=" + strconv.FormatInt(w.Users[clerk].UnitID, 10) },
}

// TestAPIReadWalk calls every API route that reads, as every role signed
// in by its session (and as nobody): the roles its rule, narrowed by the
// thing read, allows get their answer; the others are refused, 401 for
// nobody and 403 for the rest.
func TestAPIReadWalk(t *testing.T) {
	w := newWorld(t)
	clients := map[string]*webtest.Client{}
	for _, role := range roles {
		clients[role] = w.Client(role)
	}
	var walked int
	for _, rt := range w.Server.Routes() {
		if rt.Method != "GET" || !rt.API || rt.Allow == nil {
			continue
		}
		walked++
		path := wildcardRE.ReplaceAllStringFunc(rt.Pattern, func(m string) string {
			name := wildcardRE.FindStringSubmatch(m)[1]
			id, ok := walkIDs[name]
			if !ok {
				t.Fatalf("%s: no ID for {%s}: add it to walkIDs", rt.String(), name)
			}
			if name == "plan" {
				return strconv.FormatInt(w.Plan.ID, 10) // the published plan, which every role reads
			}
			return strconv.FormatInt(id(w), 10)
		})
		if q, ok := walkQueries[rt.String()]; ok {
			path += q(w)
		}
		for _, role := range roles {
			r := clients[role].Get(path)
			switch {
			case role == nobody:
				if r.Status != http.StatusUnauthorized {
					t.Errorf("%s as nobody: got %d, want 401", path, r.Status)
				}
			case !allowed(rt, w.Users[role], w):
				if r.Status != http.StatusForbidden {
					t.Errorf("%s as %s: got %d, want 403:\n%s", path, role, r.Status, short(r.Body))
				}
			case r.Status >= 400:
				t.Errorf("%s as %s (allowed): got %d:\n%s", path, role, r.Status, short(r.Body))
			}
		}
	}
	if walked < 20 {
		t.Errorf("walked %d API reads; the table has more", walked)
	}
}
