package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
)

// TestAPIGroupMembers sets a group term's members through the API, as the
// office does on the unit's page, and a member's tasks then include the
// group's; refusals say why.
func TestAPIGroupMembers(t *testing.T) {
	f := newAPIFixture(t, true)
	group := f.mustUnit("各承办单位")
	street := f.mustUnit("解放路街道办事处")
	path := fmt.Sprintf("/api/v1/units/%d/members", group.ID)
	for _, role := range []duban.Role{duban.RoleLeader, duban.RoleClerk, duban.RoleViewer} {
		f.must(role, http.StatusForbidden, reqSend("PUT", path, map[string]any{"members": []int64{street.ID}}))
	}
	f.must(duban.RoleAdmin, http.StatusBadRequest, reqSend("PUT", path, map[string]any{}))
	f.must(duban.RoleAdmin, http.StatusBadRequest, reqSend("PUT", fmt.Sprintf("/api/v1/units/%d/members", street.ID), map[string]any{"members": []int64{}}))
	_, before := f.mustTasks(duban.TaskFilter{UnitID: &street.ID})
	r := f.must(duban.RoleAdmin, http.StatusOK, reqSend("PUT", path, map[string]any{"members": []int64{street.ID}}))
	var u duban.Unit
	if err := json.Unmarshal(r.Body, &u); err != nil || !slices.Equal(u.Members, []int64{street.ID}) {
		t.Fatalf("the group after: got %s (%v)", r.Body, err)
	}
	var list apiList
	r = f.must(duban.RoleClerk, http.StatusOK, reqGet(fmt.Sprintf("/api/v1/units/%d/tasks?limit=1000", street.ID)))
	if err := json.Unmarshal(r.Body, &list); err != nil || list.Total != before+1 {
		t.Errorf("the street's tasks: got %d (%v), want %d, the group's task added", list.Total, err, before+1)
	}
	f.must(duban.RoleAdmin, http.StatusOK, reqSend("PUT", path, map[string]any{"members": []int64{}}))
}

// TestAPILeaderOrderAndPassword places leaders in lists, and the caller
// changes its own password with the current one, which revokes its tokens.
func TestAPILeaderOrderAndPassword(t *testing.T) {
	f := newAPIFixture(t, false)
	r := f.must(duban.RoleAdmin, http.StatusCreated, reqSend("POST", "/api/v1/leaders", map[string]any{"name": "张区长", "title": "区长", "order": 1}))
	var l duban.Leader
	if err := json.Unmarshal(r.Body, &l); err != nil || l.Order != 1 {
		t.Fatalf("a new leader with an order: got %s (%v)", r.Body, err)
	}
	r = f.must(duban.RoleViewer, http.StatusOK, reqGet("/api/v1/leaders"))
	var list apiList
	if err := json.Unmarshal(r.Body, &list); err != nil || len(list.Items) != 2 {
		t.Fatalf("leaders: got %s (%v)", r.Body, err)
	}
	if err := json.Unmarshal(list.Items[0], &l); err != nil || l.Name != "张区长" {
		t.Errorf("the first leader: got %s, want the one placed first", list.Items[0])
	}
	f.must(duban.RoleAdmin, http.StatusBadRequest, reqSend("PATCH", fmt.Sprintf("/api/v1/leaders/%d", l.ID), map[string]any{"order": -1}))

	f.must("", http.StatusUnauthorized, reqSend("POST", "/api/v1/me/password", map[string]any{"current_password": apiPassword, "new_password": "another-password"}))
	f.must(duban.RoleViewer, http.StatusBadRequest, reqSend("POST", "/api/v1/me/password", map[string]any{"current_password": "wrong-password", "new_password": "another-password"}))
	f.must(duban.RoleViewer, http.StatusNoContent, reqSend("POST", "/api/v1/me/password", map[string]any{"current_password": apiPassword, "new_password": "another-password"}))
	// Whoever knew the old password may have made a token with it: the
	// account's tokens, the caller's own among them, are revoked.
	f.must(duban.RoleViewer, http.StatusUnauthorized, reqGet("/api/v1/me"))
}
