package web

import (
	"slices"
	"testing"
)

// TestRouteTable checks the route table as New builds it: only the sign-in
// routes are public, and every route that changes something says so.
func TestRouteTable(t *testing.T) {
	s := &Server{}
	routes, err := s.buildRoutes()
	if err != nil {
		t.Fatal(err)
	}
	var public []string
	for _, rt := range routes {
		if rt.Allow == nil {
			public = append(public, rt.String())
		}
	}
	slices.Sort(public)
	want := []string{"GET /login", "POST /lang", "POST /login", "POST /logout"}
	if !slices.Equal(public, want) {
		t.Errorf("public routes: got %q, want %q: every other route needs a permission rule", public, want)
	}
}
