package duban_test

import (
	"context"
	"testing"

	"github.com/dubanhq/duban"
)

func TestPermissions(t *testing.T) {
	const unitA, unitB = 1, 2
	admin := &duban.User{Name: "office", Role: duban.RoleAdmin}
	leader := &duban.User{Name: "leader", Role: duban.RoleLeader, LeaderID: 7}
	clerkA := &duban.User{Name: "clerk-a", Role: duban.RoleClerk, UnitID: unitA}
	clerkB := &duban.User{Name: "clerk-b", Role: duban.RoleClerk, UnitID: unitB}
	viewer := &duban.User{Name: "viewer", Role: duban.RoleViewer}
	disabled := &duban.User{Name: "gone", Role: duban.RoleAdmin, Disabled: true}
	task := &duban.Task{LeadUnits: []duban.Owner{{ID: unitA, Name: "A"}}, ResponsibleUnits: []duban.Owner{{ID: 3, Name: "C"}}}
	const streets = 9
	groupTask := &duban.Task{LeadUnits: []duban.Owner{{ID: 3, Name: "C"}}, ResponsibleUnits: []duban.Owner{{ID: streets, Name: "各街道办事处"}}}
	groups := duban.Groups{streets: {unitB, 4}}
	draft := &duban.Plan{State: duban.PlanDraft}
	published := &duban.Plan{State: duban.PlanPublished}

	rules := []struct {
		name string
		can  func(*duban.User) bool
		// who may, in the order admin, leader, clerkA, clerkB, viewer, disabled, nobody
		want [7]bool
	}{
		{"CanRead", duban.CanRead, [7]bool{true, true, true, true, true, false, false}},
		{"CanViewPlan draft", func(u *duban.User) bool { return duban.CanViewPlan(u, draft) }, [7]bool{true, false, false, false, false, false, false}},
		{"CanViewPlan published", func(u *duban.User) bool { return duban.CanViewPlan(u, published) }, [7]bool{true, true, true, true, true, false, false}},
		{"CanImportPlan", duban.CanImportPlan, [7]bool{true, false, false, false, false, false, false}},
		{"CanReviewPlan", duban.CanReviewPlan, [7]bool{true, false, false, false, false, false, false}},
		{"CanEditTask", func(u *duban.User) bool { return duban.CanEditTask(u, task) }, [7]bool{true, false, false, false, false, false, false}},
		{"CanReportOnTask", func(u *duban.User) bool { return duban.CanReportOnTask(u, task, nil) }, [7]bool{true, false, true, false, false, false, false}},
		{"CanCommentOnTask", func(u *duban.User) bool { return duban.CanCommentOnTask(u, task, nil) }, [7]bool{true, true, true, false, false, false, false}},
		// A task addressed to a group reaches its members: B through the
		// group, not A, which is in no group.
		{"CanReportOnTask group", func(u *duban.User) bool { return duban.CanReportOnTask(u, groupTask, groups) }, [7]bool{true, false, false, true, false, false, false}},
		{"CanCommentOnTask group", func(u *duban.User) bool { return duban.CanCommentOnTask(u, groupTask, groups) }, [7]bool{true, true, false, true, false, false, false}},
		{"CanReportOnTask group without members", func(u *duban.User) bool { return duban.CanReportOnTask(u, groupTask, nil) }, [7]bool{true, false, false, false, false, false, false}},
		{"CanComment", duban.CanComment, [7]bool{true, true, true, true, false, false, false}},
		{"CanManageDirectory", duban.CanManageDirectory, [7]bool{true, false, false, false, false, false, false}},
		{"CanManageUsers", duban.CanManageUsers, [7]bool{true, false, false, false, false, false, false}},
		{"CanReadAudit", duban.CanReadAudit, [7]bool{true, false, false, false, false, false, false}},
	}
	users := []*duban.User{admin, leader, clerkA, clerkB, viewer, disabled, nil}
	for _, r := range rules {
		for i, u := range users {
			name := "nobody"
			if u != nil {
				name = u.Name
			}
			if got := r.can(u); got != r.want[i] {
				t.Errorf("%s(%s): got %v, want %v", r.name, name, got, r.want[i])
			}
		}
	}
}

func TestAuthorize(t *testing.T) {
	for _, c := range []struct {
		name string
		user *duban.User
		want string
	}{
		{"nobody", nil, duban.EUNAUTHORIZED},
		{"disabled", &duban.User{Name: "gone", Role: duban.RoleAdmin, Disabled: true}, duban.EUNAUTHORIZED},
		{"viewer", &duban.User{Name: "v", Role: duban.RoleViewer}, duban.EFORBIDDEN},
		{"admin", &duban.User{Name: "a", Role: duban.RoleAdmin}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			if c.user != nil {
				ctx = duban.NewContextWithUser(ctx, c.user)
			}
			u, err := duban.Authorize(ctx, "审核计划", duban.CanReviewPlan)
			if got := duban.ErrorCode(err); got != c.want {
				t.Errorf("got code %q (%v), want %q", got, err, c.want)
			}
			if (err == nil) != (u != nil) {
				t.Errorf("got user %v with error %v", u, err)
			}
		})
	}
}
