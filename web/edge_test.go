package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/web/webtest"
)

// oddValues are values a careless script or a hostile person sends: a NUL
// byte (PostgreSQL refuses it in text), bytes that are not UTF-8, numbers
// past what a column holds, a search longer than SQLite's LIKE takes.
var oddValues = func() []struct {
	name string
	// method and path, {task} the task, {plan} the published plan,
	// {unit} a unit, {leader} a leader; form for a page's POST, body for
	// the API's.
	method, path string
	form         url.Values
	body         string
	header       string // the Content-Disposition of a notice sent as the body
	role         string
} {
	long := strings.Repeat("财政", 25000)
	return []struct {
		name         string
		method, path string
		form         url.Values
		body         string
		header       string
		role         string
	}{
		{name: "NUL in a comment", method: "POST", path: "/tasks/{task}/comments", form: url.Values{"text": {"进展\x00顺利"}}, role: admin},
		{name: "NUL in a comment (API)", method: "POST", path: "/api/v1/tasks/{task}/comments", body: `{"text": "进展\u0000顺利"}`, role: admin},
		{name: "NUL in a unit name (API)", method: "POST", path: "/api/v1/units", body: `{"name": "区\u0000财政局"}`, role: admin},
		{name: "NUL in a leader name (API)", method: "PATCH", path: "/api/v1/leaders/{leader}", body: `{"title": "副\u0000区长"}`, role: admin},
		{name: "NUL in an account name", method: "POST", path: "/accounts", form: url.Values{"name": {"a\x00b"}, "display_name": {"张\x00三"}, "role": {"viewer"}}, role: admin},
		{name: "NUL in a notice's file name (API)", method: "POST", path: "/api/v1/plans", header: "attachment; filename*=UTF-8''a%00b.md", body: string(demo.Sample()), role: admin},
		{name: "NUL in a search", method: "GET", path: "/tasks?q=%00", role: viewer},
		{name: "NUL in a search (API)", method: "GET", path: "/api/v1/tasks?q=%00", role: viewer},
		{name: "NUL in a units search", method: "GET", path: "/units?q=a%00", role: viewer},
		{name: "not UTF-8 in a search", method: "GET", path: "/tasks?q=%FF%FE", role: viewer},
		{name: "NUL in the sign-in name", method: "POST", path: "/login", form: url.Values{"name": {"office\x00"}, "password": {"whatever-it-is"}}, role: nobody},
		{name: "year past int32", method: "GET", path: "/tasks?year=2147483648", role: viewer},
		{name: "year past int32 (API)", method: "GET", path: "/api/v1/tasks?year=2147483648", role: viewer},
		{name: "year past int32 (plans, API)", method: "GET", path: "/api/v1/plans?year=2147483648", role: viewer},
		{name: "year past int32 (unit page)", method: "GET", path: "/units/{unit}?year=2147483648", role: viewer},
		{name: "section past int32", method: "GET", path: "/tasks?plan={plan}&section=99999999999", role: viewer},
		{name: "section past int32 (API)", method: "GET", path: "/api/v1/tasks?plan={plan}&section=99999999999", role: viewer},
		{name: "offset past int64 (API)", method: "GET", path: "/api/v1/tasks?offset=99999999999999999999", role: viewer},
		{name: "a 50,000-character search", method: "GET", path: "/tasks?q=" + long, role: viewer},
		{name: "a 50,000-character search (API)", method: "GET", path: "/api/v1/tasks?q=" + long, role: viewer},
		{name: "a 50,000-character units search (API)", method: "GET", path: "/api/v1/units?q=" + long, role: viewer},
	}
}()

// TestOddValues sends each odd value to both stores, through the pages and
// the API: each is refused with 400 and a message, never 500, and both
// stores answer alike.
func TestOddValues(t *testing.T) {
	got := map[string]map[string]int{}
	for _, store := range webtest.Stores {
		got[store] = map[string]int{}
		w := webtest.NewWorldOn(t, store)
		clients := map[string]*webtest.Client{}
		for _, tc := range oddValues {
			c := clients[tc.role]
			if c == nil {
				c = w.Client(tc.role)
				clients[tc.role] = c
			}
			path := strings.NewReplacer("{task}", fmt.Sprint(w.Task.ID), "{plan}", fmt.Sprint(w.Plan.ID),
				"{unit}", fmt.Sprint(w.Users[clerk].UnitID), "{leader}", fmt.Sprint(w.Users[leader].LeaderID)).Replace(tc.path)
			var req *http.Request
			var err error
			switch {
			case tc.form != nil:
				f := url.Values{"csrf": {c.CSRF()}}
				for k, v := range tc.form {
					f[k] = v
				}
				req, err = http.NewRequest(tc.method, c.URL(path), strings.NewReader(f.Encode()))
				if err == nil {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
			case tc.header != "":
				req, err = http.NewRequest(tc.method, c.URL(path), strings.NewReader(tc.body))
				if err == nil {
					req.Header.Set("Content-Disposition", tc.header)
				}
			case tc.body != "":
				req, err = http.NewRequest(tc.method, c.URL(path), strings.NewReader(tc.body))
				if err == nil {
					req.Header.Set("Content-Type", "application/json")
				}
			default:
				req, err = http.NewRequest(tc.method, c.URL(path), nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-CSRF-Token", c.CSRF())
			r := c.Do(req)
			got[store][tc.name] = r.Status
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %s: got %d, want 400 with a message:\n%s", store, tc.name, r.Status, short(r.Body))
			}
		}
	}
	for _, tc := range oddValues {
		if a, b := got["sqlite"][tc.name], got["postgres"][tc.name]; a != b {
			t.Errorf("%s: SQLite answers %d, PostgreSQL %d: the stores must answer alike", tc.name, a, b)
		}
	}
}
