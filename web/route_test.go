package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/api"
	"github.com/dubanhq/duban/web/page"
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
		_, err := web.New(web.Config{}, w.Services(), page.Part(), api.Part(), extra)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("route %s: got %v, want an error saying %q", &tc.route, err, tc.want)
		}
	}
}
