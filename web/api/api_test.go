package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// The API's tests run the real server on a real SQLite database with the
// sample notice, and talk to it over HTTP as a script does: with an API
// token per role, or with a browser's session. Every JSON answer any test
// gets is checked against the schema openapi.json documents for its route
// and status, and every request the server accepts (its query parameters
// and JSON body) against the operation's, so that the document cannot
// drift from what the server does.

// apiRoles are the roles the tests act as; "" is nobody.
var apiRoles = []duban.Role{duban.RoleAdmin, duban.RoleLeader, duban.RoleClerk, duban.RoleViewer, ""}

// apiPassword is every test account's password.
const apiPassword = "正确的密码 correct horse"

func TestMain(m *testing.M) { webtest.Main(m) }

// apiFixture is a running server with its store, an account and an API
// token per role, and the sample notice imported (and published, unless
// the fixture was asked for a bare store).
type apiFixture struct {
	t      *testing.T
	url    string
	svc    web.Services
	office context.Context // acts as the office, for setting up
	users  map[duban.Role]*duban.User
	tokens map[duban.Role]string
	doc    *apiSchemas

	plan   *duban.Plan   // the published sample
	unit   *duban.Unit   // a unit that leads tasks: the clerk's
	leader *duban.Leader // a leader who leads tasks: the leader account's
}

// newAPIFixture starts a server on a new database; with sample, the sample
// notice is imported and published through the services first.
func newAPIFixture(t *testing.T, sample bool) *apiFixture {
	t.Helper()
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newAPIFixtureOn(t, db, sample)
}

// newAPIFixtureOn is newAPIFixture on a store of the caller's.
func newAPIFixtureOn(t *testing.T, db *sqldb.DB, sample bool) *apiFixture {
	t.Helper()
	ctx := context.Background()
	svc := webtest.Services(db)
	svc.Auth = accountstore.NewAuthService(db, auth.NewHasher(auth.Params{Time: 1, Memory: 64, Threads: 1}), duban.DefaultAuthPolicy)
	srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler)}, svc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	f := &apiFixture{
		t: t, url: ts.URL, svc: svc,
		office: duban.NewContextWithUser(ctx, &duban.User{Name: "setup", DisplayName: "测试", Role: duban.RoleAdmin}),
		users:  map[duban.Role]*duban.User{}, tokens: map[duban.Role]string{},
		doc: loadAPISchemas(t),
	}
	if sample {
		res, err := demo.Load(f.office, demo.Services{Plans: svc.Plans, Tasks: svc.Tasks, Units: svc.Units})
		if err != nil {
			t.Fatal(err)
		}
		f.plan = res.Plan
		f.unit = f.mustUnit("区财政局")
		leaders, _, err := svc.Leaders.FindLeaders(f.office, duban.LeaderFilter{Name: ptr("武毅")})
		if err != nil || len(leaders) != 1 {
			t.Fatalf("the sample's leader 武毅: %v %v", leaders, err)
		}
		f.leader = leaders[0]
	} else {
		f.unit = &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}
		f.leader = &duban.Leader{Name: "武毅"}
		if err := svc.Units.CreateUnit(f.office, f.unit); err != nil {
			t.Fatal(err)
		}
		if err := svc.Leaders.CreateLeader(f.office, f.leader); err != nil {
			t.Fatal(err)
		}
	}
	for _, role := range apiRoles[:4] {
		u := &duban.User{Name: "api-" + string(role), DisplayName: string(role), Role: role}
		switch role {
		case duban.RoleClerk:
			u.UnitID = f.unit.ID
		case duban.RoleLeader:
			u.LeaderID = f.leader.ID
		}
		if err := svc.Users.CreateUser(f.office, u); err != nil {
			t.Fatal(err)
		}
		if err := svc.Auth.SetPassword(f.office, u.ID, apiPassword); err != nil {
			t.Fatal(err)
		}
		secret, err := svc.Auth.CreateAPIToken(f.office, &duban.APIToken{UserID: u.ID, Name: "测试脚本"})
		if err != nil {
			t.Fatal(err)
		}
		f.users[role], f.tokens[role] = u, secret
	}
	return f
}

func ptr[T any](v T) *T { return &v }

// mustUnit finds a unit of the sample by name.
func (f *apiFixture) mustUnit(name string) *duban.Unit {
	f.t.Helper()
	units, _, err := f.svc.Units.FindUnits(f.office, duban.UnitFilter{Name: &name})
	if err != nil || len(units) != 1 {
		f.t.Fatalf("unit %s: %v %v", name, units, err)
	}
	return units[0]
}

// mustTasks finds tasks through the service, as the office.
func (f *apiFixture) mustTasks(filter duban.TaskFilter) ([]*duban.Task, int) {
	f.t.Helper()
	tasks, total, err := f.svc.Tasks.FindTasks(f.office, filter)
	if err != nil {
		f.t.Fatal(err)
	}
	return tasks, total
}

// apiResponse is an answer of the API.
type apiResponse struct {
	Status int
	Header http.Header
	Body   []byte
}

// decode reads the answer's JSON into v.
func (r *apiResponse) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, r.Body)
	}
}

// errorCode is the code of an error answer, "" for another answer.
func (r *apiResponse) errorCode() string {
	var e web.APIError
	json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

// apiRequest is a request to send: method and path, and a body (a value
// encoded as JSON, or raw bytes with their content type).
type apiRequest struct {
	method, path string
	body         any
	raw          []byte
	contentType  string
	header       http.Header
}

// do sends a request with the role's API token (none for nobody) and checks
// any JSON answer against the document.
func (f *apiFixture) do(role duban.Role, req apiRequest) *apiResponse {
	f.t.Helper()
	h := http.Header{}
	if role != "" {
		h.Set("Authorization", "Bearer "+f.tokens[role])
	}
	for k, v := range req.header {
		h[k] = v
	}
	req.header = h
	return f.send(http.DefaultClient, req)
}

// send sends a request with a client and checks its answer against the
// document.
func (f *apiFixture) send(c *http.Client, req apiRequest) *apiResponse {
	f.t.Helper()
	body, ct := req.raw, req.contentType
	if req.body != nil {
		var err error
		if body, err = json.Marshal(req.body); err != nil {
			f.t.Fatal(err)
		}
		ct = "application/json"
	}
	hr, err := http.NewRequest(req.method, f.url+req.path, bytes.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range req.header {
		hr.Header[k] = v
	}
	if ct != "" {
		hr.Header.Set("Content-Type", ct)
	}
	resp, err := c.Do(hr)
	if err != nil {
		f.t.Fatalf("%s %s: %v", req.method, req.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatal(err)
	}
	r := &apiResponse{Status: resp.StatusCode, Header: resp.Header, Body: data}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		for _, p := range f.doc.check(req.method, hr.URL.Path, resp.StatusCode, data) {
			f.t.Errorf("%s %s → %d does not match openapi.json: %s", req.method, req.path, resp.StatusCode, p)
		}
	}
	if resp.StatusCode < 300 {
		if req.body == nil {
			body = nil
		}
		for _, p := range f.doc.checkRequest(req.method, hr.URL, body) {
			f.t.Errorf("%s %s: the request the server accepted does not match openapi.json: %s", req.method, req.path, p)
		}
	}
	return r
}

// must sends a request as a role and fails the test unless the status is
// want; it returns the answer.
func (f *apiFixture) must(role duban.Role, want int, req apiRequest) *apiResponse {
	f.t.Helper()
	r := f.do(role, req)
	if r.Status != want {
		f.t.Fatalf("%s %s as %q: got %d, want %d:\n%s", req.method, req.path, role, r.Status, want, r.Body)
	}
	return r
}

func reqGet(path string) apiRequest { return apiRequest{method: "GET", path: path} }

func reqSend(method, path string, body any) apiRequest {
	return apiRequest{method: method, path: path, body: body}
}

// apiList is a list answer, its items left to decode.
type apiList struct {
	Items  []json.RawMessage `json:"items"`
	Total  int               `json:"total"`
	Offset int               `json:"offset"`
	Limit  int               `json:"limit"`
}

// apiCase is one request as some roles, with the status each should get;
// roles not listed get want.
type apiCase struct {
	name  string
	req   func(f *apiFixture) apiRequest
	want  int
	roles map[duban.Role]int
	// check checks the answer of the roles that get want.
	check func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse)
}

// statusFor is the status a role should get.
func (c *apiCase) statusFor(role duban.Role) int {
	if s, ok := c.roles[role]; ok {
		return s
	}
	if role == "" {
		return http.StatusUnauthorized
	}
	return c.want
}

// officeOnly is the answer of a route only the office may call.
var officeOnly = map[duban.Role]int{duban.RoleLeader: 403, duban.RoleClerk: 403, duban.RoleViewer: 403}

// TestAPIRead checks the reading endpoints as every role: what they answer,
// and that they agree with the services and the ledger.
func TestAPIRead(t *testing.T) {
	f := newAPIFixture(t, true)
	planPath := fmt.Sprintf("/api/v1/plans/%d", f.plan.ID)
	led, ledTotal := f.mustTasks(duban.TaskFilter{UnitID: &f.unit.ID, UnitRole: duban.UnitLeads})
	_, unitTotal := f.mustTasks(duban.TaskFilter{UnitID: &f.unit.ID})
	_, allTotal := f.mustTasks(duban.TaskFilter{})
	_, leaderTotal := f.mustTasks(duban.TaskFilter{LeaderID: &f.leader.ID})
	task := led[0]
	cases := []apiCase{
		{name: "me", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/me") }, want: 200,
			check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var u duban.User
				r.decode(t, &u)
				if u.Role != role || u.ID != f.users[role].ID {
					t.Errorf("me: got %s #%d, want %s #%d", u.Role, u.ID, role, f.users[role].ID)
				}
			}},
		{name: "openapi", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/openapi.json") }, want: 200},
		{name: "plans", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/plans?year=2022&state=published") }, want: 200,
			check: wantTotal(1)},
		{name: "plans of another year", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/plans?year=2021") }, want: 200, check: wantTotal(0)},
		{name: "plans in a bad state", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/plans?state=done") }, want: 400,
			roles: map[duban.Role]int{"": 401}},
		{name: "plan", req: func(*apiFixture) apiRequest { return reqGet(planPath) }, want: 200,
			check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var p duban.Plan
				r.decode(t, &p)
				if p.ID != f.plan.ID || len(p.Sections) == 0 || len(p.Areas) == 0 || p.TaskCount != f.plan.TaskCount {
					t.Errorf("plan: got #%d with %d sections, %d areas, %d tasks", p.ID, len(p.Sections), len(p.Areas), p.TaskCount)
				}
			}},
		{name: "no such plan", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/plans/99999") }, want: 404, roles: map[duban.Role]int{"": 401},
			check: wantCode(duban.ENOTFOUND)},
		{name: "plan source", req: func(*apiFixture) apiRequest { return reqGet(planPath + "/source") }, want: 200,
			check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				if !bytes.Equal(r.Body, demo.Sample()) || r.Header.Get("X-Duban-Issue") != "1" {
					t.Errorf("source: got %d bytes (issue %s), want the sample's %d", len(r.Body), r.Header.Get("X-Duban-Issue"), len(demo.Sample()))
				}
			}},
		{name: "statements", req: func(*apiFixture) apiRequest { return reqGet(planPath + "/statements?state=dismissed") }, want: 200},
		{name: "ledger", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks") }, want: 200, check: wantTotal(allTotal)},
		{name: "ledger by unit, led", req: func(f *apiFixture) apiRequest {
			return reqGet(fmt.Sprintf("/api/v1/tasks?unit=%d&role=lead&sort=deadline&order=desc", f.unit.ID))
		}, want: 200, check: wantTotal(ledTotal)},
		{name: "ledger by section", req: func(f *apiFixture) apiRequest {
			return reqGet(fmt.Sprintf("/api/v1/tasks?plan=%d&section=1&targets=yes&q=%s", f.plan.ID, url.QueryEscape("推进")))
		}, want: 200, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var l struct{ Items []duban.Task }
			r.decode(t, &l)
			if len(l.Items) == 0 {
				t.Error("no task matches the filter: the case tests nothing")
			}
			for _, tk := range l.Items {
				if tk.Section != 1 || len(tk.Indicators) == 0 || !strings.Contains(tk.Text, "推进") {
					t.Errorf("task %s (section %d, %d targets) does not match the filter", tk.No, tk.Section, len(tk.Indicators))
				}
			}
		}},
		{name: "ledger paged by offset", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks?offset=5&limit=5") }, want: 200,
			check: wantPage(5, 5, 5)},
		{name: "ledger paged as the page is", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks?page=2&size=20") }, want: 200,
			check: wantPage(20, 20, 20)},
		{name: "ledger with a bad sort", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks?sort=colour") }, want: 400,
			roles: map[duban.Role]int{"": 401}, check: wantCode(duban.EINVALID)},
		{name: "ledger with a role but no unit", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks?role=lead") }, want: 400,
			roles: map[duban.Role]int{"": 401}},
		{name: "ledger with too large a page", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks?limit=5000") }, want: 400,
			roles: map[duban.Role]int{"": 401}},
		{name: "task", req: func(*apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/tasks/%d", task.ID)) }, want: 200,
			check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var got duban.Task
				r.decode(t, &got)
				if got.ID != task.ID || got.Text != task.Text || !got.HasUnit(f.unit.ID) {
					t.Errorf("task: got #%d %q", got.ID, got.Text)
				}
			}},
		{name: "task with a bad ID", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tasks/abc") }, want: 404, roles: map[duban.Role]int{"": 401}},
		{name: "comments", req: func(*apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/tasks/%d/comments", task.ID)) }, want: 200},
		{name: "units", req: func(*apiFixture) apiRequest {
			return reqGet(fmt.Sprintf("/api/v1/units?plan=%d&q=%s", f.plan.ID, url.QueryEscape("财政")))
		}, want: 200,
			check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var l struct{ Items []duban.Unit }
				r.decode(t, &l)
				if !slices.ContainsFunc(l.Items, func(u duban.Unit) bool { return u.ID == f.unit.ID }) {
					t.Errorf("units named 财政: %s is missing", f.unit.Name)
				}
			}},
		{name: "unit", req: func(f *apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/units/%d", f.unit.ID)) }, want: 200},
		{name: "unit's tasks", req: func(f *apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/units/%d/tasks", f.unit.ID)) }, want: 200,
			check: wantTotal(unitTotal)},
		{name: "unit's led tasks", req: func(f *apiFixture) apiRequest {
			return reqGet(fmt.Sprintf("/api/v1/units/%d/tasks?role=lead&year=2022", f.unit.ID))
		}, want: 200,
			check: wantTotal(ledTotal)},
		{name: "no such unit's tasks", req: func(f *apiFixture) apiRequest { return reqGet("/api/v1/units/99999/tasks") }, want: 404, roles: map[duban.Role]int{"": 401}},
		{name: "leaders", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/leaders?q=" + url.QueryEscape("武")) }, want: 200},
		{name: "leader", req: func(f *apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/leaders/%d", f.leader.ID)) }, want: 200},
		{name: "leader's tasks", req: func(f *apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/leaders/%d/tasks", f.leader.ID)) }, want: 200,
			check: wantTotal(leaderTotal)},
		{name: "users", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/users?role=clerk") }, want: 200, roles: officeOnly, check: wantTotal(1)},
		{name: "user", req: func(f *apiFixture) apiRequest {
			return reqGet(fmt.Sprintf("/api/v1/users/%d", f.users[duban.RoleClerk].ID))
		}, want: 200, roles: officeOnly},
		{name: "own tokens", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/tokens") }, want: 200, check: wantTotal(1)},
		{name: "audit", req: func(f *apiFixture) apiRequest { return reqGet(fmt.Sprintf("/api/v1/audit?plan=%d&limit=3", f.plan.ID)) }, want: 200, roles: officeOnly},
		{name: "audit verified", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/audit/verify") }, want: 200, roles: officeOnly,
			check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var v duban.AuditVerification
				r.decode(t, &v)
				if !v.OK() || v.Events == 0 {
					t.Errorf("audit: %d events, problems %v", v.Events, v.Problems)
				}
			}},
		{name: "no such route", req: func(*apiFixture) apiRequest { return reqGet("/api/v1/nothing") }, want: 404, roles: map[duban.Role]int{"": 404},
			check: wantCode(duban.ENOTFOUND)},
		{name: "no such method", req: func(*apiFixture) apiRequest { return reqSend("DELETE", "/api/v1/plans", nil) }, want: 405, roles: map[duban.Role]int{"": 405},
			check: wantMessage("GET, HEAD, POST")},
	}
	runAPICases(t, f, cases)
}

// runAPICases runs each case as every role.
func runAPICases(t *testing.T, f *apiFixture, cases []apiCase) {
	t.Helper()
	for _, c := range cases {
		for _, role := range apiRoles {
			name := string(role)
			if name == "" {
				name = "nobody"
			}
			t.Run(c.name+"/"+name, func(t *testing.T) {
				f.t = t
				r := f.must(role, c.statusFor(role), c.req(f))
				if r.Status == http.StatusUnauthorized && r.errorCode() != duban.EUNAUTHORIZED {
					t.Errorf("401 with code %q", r.errorCode())
				}
				if r.Status == http.StatusForbidden && r.errorCode() != duban.EFORBIDDEN {
					t.Errorf("403 with code %q", r.errorCode())
				}
				if c.check != nil && r.Status == c.want {
					c.check(t, f, role, r)
				}
			})
		}
	}
}

func wantTotal(n int) func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
	return func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
		var l apiList
		r.decode(t, &l)
		if l.Total != n || len(l.Items) != min(n, l.Limit) {
			t.Errorf("got %d items of %d, want %d", len(l.Items), l.Total, n)
		}
	}
}

func wantPage(offset, limit, items int) func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
	return func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
		var l apiList
		r.decode(t, &l)
		if l.Offset != offset || l.Limit != limit || len(l.Items) != items {
			t.Errorf("got offset %d, limit %d, %d items; want %d, %d, %d", l.Offset, l.Limit, len(l.Items), offset, limit, items)
		}
	}
}

func wantCode(code string) func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
	return func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
		if got := r.errorCode(); got != code {
			t.Errorf("error code: got %q, want %q:\n%s", got, code, r.Body)
		}
	}
}
