package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

// TestAPIChanges checks the endpoints that change something as every role:
// the office may, the others are refused by the route's rule or by the
// service's rule about the thing, and a refused request changes nothing.
// The roles run in order, the office first.
func TestAPIChanges(t *testing.T) {
	f := newAPIFixture(t, true)
	led, _ := f.mustTasks(duban.TaskFilter{UnitID: &f.unit.ID, UnitRole: duban.UnitLeads})
	task := led[0]
	other := f.otherUnitsTask()
	taskPath := fmt.Sprintf("/api/v1/tasks/%d", task.ID)
	// Units and leaders to rename, alias and merge.
	spare := []*duban.Unit{{Name: "区甲局", Kind: duban.UnitDepartment}, {Name: "区乙局", Kind: duban.UnitDepartment}}
	for _, u := range spare {
		if err := f.svc.Units.CreateUnit(f.office, u); err != nil {
			t.Fatal(err)
		}
	}
	commenters := map[duban.Role]int{duban.RoleViewer: 403}
	cases := []apiCase{
		{name: "correct a task's text", req: func(*apiFixture) apiRequest {
			return reqSend("PATCH", taskPath, map[string]any{"text": "更正后的任务内容", "deadline": "2022年12月底前"})
		}, want: 200, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var got duban.Task
			r.decode(t, &got)
			if got.Text != "更正后的任务内容" || got.Deadline != "2022年12月底前" || len(got.LeadUnits) != len(task.LeadUnits) {
				t.Errorf("corrected task: got %q, %q, %d lead units", got.Text, got.Deadline, len(got.LeadUnits))
			}
		}},
		{name: "give a task owners by name", req: func(f *apiFixture) apiRequest {
			return reqSend("PATCH", taskPath, map[string]any{"lead_units": []map[string]any{{"name": "区甲局"}}, "responsible_units": []map[string]any{{"id": f.unit.ID}}})
		}, want: 200, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var got duban.Task
			r.decode(t, &got)
			if len(got.LeadUnits) != 1 || got.LeadUnits[0].ID != spare[0].ID || len(got.ResponsibleUnits) != 1 || got.ResponsibleUnits[0].Name != f.unit.Name {
				t.Errorf("owners: got %+v and %+v", got.LeadUnits, got.ResponsibleUnits)
			}
		}},
		{name: "set a task's targets", req: func(*apiFixture) apiRequest {
			return reqSend("PATCH", taskPath, map[string]any{"indicators": []map[string]any{
				{"text": "新增企业 10 家", "metric": "新增企业", "value": 10, "unit": "家", "cmp": ">="},
				{"text": "2 至 3 所", "metric": "新建学校", "value": 2, "upper": 3, "unit": "所", "cmp": "range"}}})
		}, want: 200, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var got duban.Task
			r.decode(t, &got)
			if len(got.Indicators) != 2 || got.Indicators[1].Upper == nil || *got.Indicators[1].Upper != 3 {
				t.Errorf("targets: got %+v", got.Indicators)
			}
		}},
		{name: "a target without a comparison", req: func(*apiFixture) apiRequest {
			return reqSend("PATCH", taskPath, map[string]any{"indicators": []map[string]any{{"metric": "新增企业", "value": 10, "cmp": "≥"}}})
		}, want: 400, roles: officeOnly, check: wantCode(duban.EINVALID)},
		{name: "empty a task's text", req: func(*apiFixture) apiRequest { return reqSend("PATCH", taskPath, map[string]any{"text": " "}) },
			want: 400, roles: officeOnly, check: wantCode(duban.EINVALID)},
		{name: "a misspelt field", req: func(*apiFixture) apiRequest { return reqSend("PATCH", taskPath, map[string]any{"txt": "x"}) },
			want: 400, roles: officeOnly, check: wantMessage("txt")},
		{name: "a body that is not JSON", req: func(*apiFixture) apiRequest {
			return apiRequest{method: "PATCH", path: taskPath, raw: []byte(`{"text": `), contentType: "application/json"}
		}, want: 400, roles: officeOnly, check: wantCode(duban.EINVALID)},
		{name: "a form for a body", req: func(*apiFixture) apiRequest {
			return apiRequest{method: "PATCH", path: taskPath, raw: []byte("text=x"), contentType: "application/x-www-form-urlencoded"}
		}, want: 400, roles: officeOnly, check: wantMessage("application/json")},
		{name: "comment on the clerk's unit's task", req: func(*apiFixture) apiRequest {
			return reqSend("POST", taskPath+"/comments", map[string]any{"text": "请抓紧推进。"})
		}, want: 201, roles: commenters, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var c duban.Comment
			r.decode(t, &c)
			if c.TaskID != task.ID || c.AuthorID != f.users[role].ID || c.AuthorRole != role || c.Text != "请抓紧推进。" {
				t.Errorf("comment: got %+v", c)
			}
		}},
		{name: "comment on another unit's task", req: func(*apiFixture) apiRequest {
			return reqSend("POST", fmt.Sprintf("/api/v1/tasks/%d/comments", other.ID), map[string]any{"text": "已阅。"})
		}, want: 201, roles: map[duban.Role]int{duban.RoleClerk: 403, duban.RoleViewer: 403}},
		{name: "an empty comment", req: func(*apiFixture) apiRequest { return reqSend("POST", taskPath+"/comments", map[string]any{"text": ""}) },
			want: 400, roles: commenters},
		{name: "comments listed", req: func(*apiFixture) apiRequest { return reqGet(taskPath + "/comments") }, want: 200, check: wantTotal(3)},
		{name: "add a unit", req: func(*apiFixture) apiRequest {
			return reqSend("POST", "/api/v1/units", map[string]any{"name": "东风街道办事处"})
		},
			want: 201, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var u duban.Unit
				r.decode(t, &u)
				if u.ID == 0 || u.Kind != duban.UnitStreet {
					t.Errorf("new unit: got #%d of kind %s, want a street", u.ID, u.Kind)
				}
			}},
		{name: "add a unit twice", req: func(*apiFixture) apiRequest {
			return reqSend("POST", "/api/v1/units", map[string]any{"name": "东风街道办事处"})
		},
			want: 409, roles: officeOnly, check: wantCode(duban.ECONFLICT)},
		{name: "rename a unit", req: func(*apiFixture) apiRequest {
			return reqSend("PATCH", fmt.Sprintf("/api/v1/units/%d", spare[1].ID), map[string]any{"name": "区丙局"})
		}, want: 200, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var u duban.Unit
			r.decode(t, &u)
			if u.Name != "区丙局" || !strings.Contains(strings.Join(u.Aliases, "、"), "区乙局") {
				t.Errorf("renamed unit: got %s with aliases %v", u.Name, u.Aliases)
			}
		}},
		{name: "alias a unit", req: func(*apiFixture) apiRequest {
			return reqSend("POST", fmt.Sprintf("/api/v1/units/%d/aliases", spare[0].ID), map[string]any{"alias": "甲局"})
		}, want: 200, roles: officeOnly},
		{name: "merge a unit", req: func(*apiFixture) apiRequest {
			return reqSend("POST", fmt.Sprintf("/api/v1/units/%d/merge", spare[1].ID), map[string]any{"into": spare[0].ID})
		}, want: 200, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
			var u duban.Unit
			r.decode(t, &u)
			if u.ID != spare[0].ID || !strings.Contains(strings.Join(u.Aliases, "、"), "区丙局") {
				t.Errorf("merged into: got #%d with aliases %v", u.ID, u.Aliases)
			}
		}},
		{name: "merge without a target", req: func(*apiFixture) apiRequest {
			return reqSend("POST", fmt.Sprintf("/api/v1/units/%d/merge", spare[0].ID), nil)
		}, want: 400, roles: officeOnly},
		{name: "add a leader", req: func(*apiFixture) apiRequest {
			return reqSend("POST", "/api/v1/leaders", map[string]any{"name": "张三", "title": "副区长"})
		},
			want: 201, roles: officeOnly},
		{name: "correct a leader", req: func(f *apiFixture) apiRequest {
			return reqSend("PATCH", fmt.Sprintf("/api/v1/leaders/%d", f.leader.ID), map[string]any{"title": "区委常委、副区长"})
		}, want: 200, roles: officeOnly},
		{name: "add an account", req: func(*apiFixture) apiRequest {
			return reqSend("POST", "/api/v1/users", map[string]any{"name": "li.si", "display_name": "李四", "role": "viewer", "password": apiPassword})
		}, want: 201, roles: officeOnly},
		{name: "add an account with a short password", req: func(*apiFixture) apiRequest {
			return reqSend("POST", "/api/v1/users", map[string]any{"name": "wang.wu", "role": "viewer", "password": "short"})
		}, want: 400, roles: officeOnly},
		{name: "bind a clerk to nothing", req: func(f *apiFixture) apiRequest {
			return reqSend("PATCH", fmt.Sprintf("/api/v1/users/%d", f.users[duban.RoleViewer].ID), map[string]any{"role": "clerk"})
		}, want: 400, roles: officeOnly},
		{name: "make a viewer a clerk", req: func(f *apiFixture) apiRequest {
			return reqSend("PATCH", fmt.Sprintf("/api/v1/users/%d", f.users[duban.RoleViewer].ID), map[string]any{"role": "clerk", "unit_id": spare[0].ID, "display_name": "甲局联络员"})
		}, want: 200, roles: officeOnly},
		// The account added above: a reset revokes the account's tokens,
		// and the leader's is used by the cases below.
		{name: "reset a password", req: func(f *apiFixture) apiRequest {
			name := "li.si"
			users, _, err := f.svc.Users.FindUsers(f.office, duban.UserFilter{Name: &name})
			if err != nil || len(users) != 1 {
				f.t.Fatalf("the account added: got %v, %v", users, err)
			}
			return reqSend("POST", fmt.Sprintf("/api/v1/users/%d/password", users[0].ID), map[string]any{"password": "另一个足够长的密码"})
		}, want: 204, roles: officeOnly},
		{name: "make a token", req: func(*apiFixture) apiRequest {
			return reqSend("POST", "/api/v1/tokens", map[string]any{"name": "导出脚本"})
		},
			want: 201, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var nt struct {
					Token  duban.APIToken
					Secret string
				}
				r.decode(t, &nt)
				if !strings.HasPrefix(nt.Secret, duban.APITokenPrefix) || !strings.HasPrefix(nt.Secret, nt.Token.Prefix) || nt.Token.UserID != f.users[role].ID {
					t.Errorf("new token: got %+v", nt)
				}
			}},
		{name: "publish a published plan", req: func(f *apiFixture) apiRequest {
			return reqSend("POST", fmt.Sprintf("/api/v1/plans/%d/publish", f.plan.ID), nil)
		},
			want: 409, roles: officeOnly},
		{name: "split a published plan's task", req: func(*apiFixture) apiRequest { return reqSend("POST", taskPath+"/split", map[string]any{"at": 3}) },
			want: 409, roles: officeOnly},
		{name: "archive the plan", req: func(f *apiFixture) apiRequest {
			return reqSend("POST", fmt.Sprintf("/api/v1/plans/%d/archive", f.plan.ID), nil)
		},
			want: 200, roles: officeOnly, check: func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
				var p duban.Plan
				r.decode(t, &p)
				if p.State != duban.PlanArchived {
					t.Errorf("archived plan: got state %s", p.State)
				}
			}},
	}
	runAPICases(t, f, cases)
}

// otherUnitsTask is a task of the sample that the clerk's unit neither
// leads nor shares.
func (f *apiFixture) otherUnitsTask() *duban.Task {
	f.t.Helper()
	tasks, _ := f.mustTasks(duban.TaskFilter{})
	for _, t := range tasks {
		if !t.HasUnit(f.unit.ID) {
			return t
		}
	}
	f.t.Fatal("every task of the sample is the clerk's unit's")
	return nil
}

func wantMessage(part string) func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
	return func(t *testing.T, f *apiFixture, role duban.Role, r *apiResponse) {
		if !strings.Contains(string(r.Body), part) {
			t.Errorf("the message does not name %s:\n%s", part, r.Body)
		}
	}
}

// TestAPITokens checks signing in with an API token: a working token acts
// as its account, anything else is refused with 401 and the JSON error,
// and a token revoked or of a disabled account stops working at once.
func TestAPITokens(t *testing.T) {
	f := newAPIFixture(t, true)
	me := func(authorization string) *apiResponse {
		f.t.Helper()
		h := http.Header{}
		if authorization != "" {
			h.Set("Authorization", authorization)
		}
		return f.do("", apiRequest{method: "GET", path: "/api/v1/me", header: h})
	}
	clerk := f.tokens[duban.RoleClerk]
	for _, c := range []struct {
		name, authorization string
		want                int
	}{
		{"a working token", "Bearer " + clerk, 200},
		{"no token", "", 401},
		{"a wrong token", "Bearer " + duban.APITokenPrefix + strings.Repeat("x", 43), 401},
		{"a token without its prefix", "Bearer " + strings.TrimPrefix(clerk, duban.APITokenPrefix), 401},
		{"a password for a token", "Basic " + apiPassword, 401},
		{"an empty bearer", "Bearer ", 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.t = t
			r := me(c.authorization)
			if r.Status != c.want {
				t.Fatalf("got %d, want %d:\n%s", r.Status, c.want, r.Body)
			}
			if c.want == 401 && r.errorCode() != duban.EUNAUTHORIZED {
				t.Errorf("got %s, want the JSON error with code unauthorized", r.Body)
			}
		})
	}
	t.Run("revoked", func(t *testing.T) {
		f.t = t
		var nt struct {
			Token  duban.APIToken
			Secret string
		}
		f.must(duban.RoleAdmin, 201, reqSend("POST", "/api/v1/tokens", map[string]any{"name": "一次性脚本"})).decode(t, &nt)
		if r := me("Bearer " + nt.Secret); r.Status != 200 {
			t.Fatalf("new token: got %d", r.Status)
		}
		f.must(duban.RoleAdmin, 200, reqSend("DELETE", fmt.Sprintf("/api/v1/tokens/%d", nt.Token.ID), nil))
		if r := me("Bearer " + nt.Secret); r.Status != 401 || r.errorCode() != duban.EUNAUTHORIZED {
			t.Errorf("revoked token: got %d %s, want 401", r.Status, r.Body)
		}
		var l apiList
		f.must(duban.RoleAdmin, 200, reqGet("/api/v1/tokens?revoked=yes")).decode(t, &l)
		if l.Total != 2 {
			t.Errorf("the office's tokens with the revoked: got %d, want 2", l.Total)
		}
	})
	t.Run("another account's token", func(t *testing.T) {
		f.t = t
		var l struct{ Items []duban.APIToken }
		f.must(duban.RoleClerk, 200, reqGet("/api/v1/tokens")).decode(t, &l)
		if len(l.Items) != 1 || l.Items[0].UserID != f.users[duban.RoleClerk].ID {
			t.Fatalf("the clerk's tokens: got %+v", l.Items)
		}
		r := f.must(duban.RoleAdmin, 404, reqSend("DELETE", fmt.Sprintf("/api/v1/tokens/%d", l.Items[0].ID), nil))
		if r.errorCode() != duban.ENOTFOUND {
			t.Errorf("got %s", r.Body)
		}
		if r := me("Bearer " + clerk); r.Status != 200 {
			t.Errorf("the clerk's token stopped working: %d", r.Status)
		}
	})
	t.Run("disabled account", func(t *testing.T) {
		f.t = t
		f.must(duban.RoleAdmin, 200, reqSend("PATCH", fmt.Sprintf("/api/v1/users/%d", f.users[duban.RoleViewer].ID), map[string]any{"disabled": true}))
		if r := f.do(duban.RoleViewer, reqGet("/api/v1/me")); r.Status != 401 || r.errorCode() != duban.EUNAUTHORIZED {
			t.Errorf("disabled account's token: got %d %s, want 401", r.Status, r.Body)
		}
	})
}

// TestAPISession checks the API called by a signed-in browser: reads need
// only the session, changes the CSRF token in the X-CSRF-Token header too.
func TestAPISession(t *testing.T) {
	f := newAPIFixture(t, true)
	b := f.browser(t, duban.RoleLeader)
	tasks, _ := f.mustTasks(duban.TaskFilter{Limit: 1})
	comment := reqSend("POST", fmt.Sprintf("/api/v1/tasks/%d/comments", tasks[0].ID), map[string]any{"text": "请督查室跟进。"})
	if r := f.send(b.client, reqGet("/api/v1/me")); r.Status != 200 {
		t.Fatalf("me with a session: got %d %s", r.Status, r.Body)
	}
	if r := f.send(b.client, comment); r.Status != 403 || r.errorCode() != duban.EFORBIDDEN {
		t.Errorf("a change without the CSRF header: got %d %s, want 403", r.Status, r.Body)
	}
	comment.header = http.Header{"X-Csrf-Token": {"wrong" + b.csrf}}
	if r := f.send(b.client, comment); r.Status != 403 {
		t.Errorf("a change with a wrong CSRF header: got %d %s, want 403", r.Status, r.Body)
	}
	comment.header = http.Header{"X-Csrf-Token": {b.csrf}}
	if r := f.send(b.client, comment); r.Status != 201 {
		t.Errorf("a change with the CSRF header: got %d %s, want 201", r.Status, r.Body)
	}
	if r := f.send(http.DefaultClient, comment); r.Status != 401 {
		t.Errorf("the same change without the session: got %d %s, want 401", r.Status, r.Body)
	}
}
