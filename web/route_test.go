package web_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// TestRouteTable checks the route table of the assembled server: only the
// sign-in routes and the public page (政务公开) are public, and every route
// that changes something says so.
func TestRouteTable(t *testing.T) {
	w := newWorld(t)
	var public []string
	for _, rt := range w.Server.Routes() {
		if rt.Allow == nil {
			public = append(public, rt.String())
		}
	}
	slices.Sort(public)
	want := []string{"GET /login", "GET /public", "GET /public/plans/{plan}", "POST /lang", "POST /login", "POST /logout"}
	if !slices.Equal(public, want) {
		t.Errorf("public routes: got %q, want %q: every other route needs a permission rule", public, want)
	}
}

// TestRouteChecks: a route table with a mistake stops the server at start,
// saying which route and what is wrong with it.
func TestRouteChecks(t *testing.T) {
	w := newWorld(t)
	ok := func(http.ResponseWriter, *http.Request) error { return nil }
	for _, tc := range []struct {
		route web.Route
		want  string
	}{
		{web.Route{Method: "GET", Pattern: "/x", Allow: duban.CanRead, Action: "查看"}, "no handler"},
		{web.Route{Method: "GET", Pattern: "x", Allow: duban.CanRead, Action: "查看", Handler: ok}, "must start with /"},
		{web.Route{Method: "POST", Pattern: "/x", Allow: duban.CanRead, Action: "修改", Handler: ok}, "Changes must be set"},
		{web.Route{Method: "GET", Pattern: "/x", Allow: duban.CanRead, Action: "查看", Changes: true, Handler: ok}, "Changes must be set"},
		{web.Route{Method: "GET", Pattern: "/x", Allow: duban.CanRead, Handler: ok}, "needs an Action"},
		{web.Route{Method: "GET", Pattern: "/api/v1/x", Allow: duban.CanRead, Action: "查看", Handler: ok}, "API must be set"},
		{web.Route{Method: "GET", Pattern: "/x", Allow: duban.CanRead, Action: "查看", API: true, Handler: ok}, "API must be set"},
		{web.Route{Method: "GET", Pattern: "/tasks", Allow: duban.CanRead, Action: "查看", Handler: ok}, "listed twice"},
	} {
		extra := web.Part{Routes: func(*web.Server) []web.Route { return []web.Route{tc.route} }}
		_, err := web.New(web.Config{}, w.Services(), append(webtest.Parts(), extra)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("route %s: got %v, want an error saying %q", &tc.route, err, tc.want)
		}
	}
}

// TestWrongMethod: a path that exists asked with a method it does not take
// answers 405 with the methods it takes in Allow (as JSON for the API), not
// 404; a path that does not exist stays 404.
func TestWrongMethod(t *testing.T) {
	w := newWorld(t)
	c := w.Client(admin)
	for _, tc := range []struct {
		method, path string
		status       int
		allow        string
		json         bool
	}{
		{"DELETE", "/tasks", http.StatusMethodNotAllowed, "GET, HEAD", false},
		{"POST", "/tasks", http.StatusMethodNotAllowed, "GET, HEAD", false},
		{"GET", "/logout", http.StatusMethodNotAllowed, "POST", false},
		{"PUT", "/accounts", http.StatusMethodNotAllowed, "GET, HEAD, POST", false},
		{"PUT", "/api/v1/tasks/" + strconv.FormatInt(w.Task.ID, 10), http.StatusMethodNotAllowed, "GET, HEAD, PATCH", true},
		{"DELETE", "/api/v1/me", http.StatusMethodNotAllowed, "GET, HEAD", true},
		{"GET", "/no/such/page", http.StatusNotFound, "", false},
		{"DELETE", "/api/v1/no-such", http.StatusNotFound, "", true},
	} {
		req, err := http.NewRequest(tc.method, c.URL(tc.path), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-CSRF-Token", c.CSRF())
		r := c.Do(req)
		if r.Status != tc.status || r.Header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: got %d with Allow %q, want %d with Allow %q:\n%s", tc.method, tc.path, r.Status, r.Header.Get("Allow"), tc.status, tc.allow, short(r.Body))
		}
		isJSON := strings.HasPrefix(r.Header.Get("Content-Type"), "application/json")
		if isJSON != tc.json || (tc.json && !strings.Contains(r.Body, `"error"`)) {
			t.Errorf("%s %s: got Content-Type %q, want JSON %v:\n%s", tc.method, tc.path, r.Header.Get("Content-Type"), tc.json, short(r.Body))
		}
	}
}
