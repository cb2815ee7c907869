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
		{"CanReportOnTask", func(u *duban.User) bool { return duban.CanReportOnTask(u, task) }, [7]bool{true, false, true, false, false, false, false}},
		{"CanCommentOnTask", func(u *duban.User) bool { return duban.CanCommentOnTask(u, task) }, [7]bool{true, true, true, false, false, false, false}},
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

func TestCyclePermissions(t *testing.T) {
	const lead, partner, street, other = 1, 2, 51, 9
	groups := duban.Groups{50: {51, 52}}
	admin := &duban.User{ID: 1, Name: "office", Role: duban.RoleAdmin}
	leader := &duban.User{ID: 2, Name: "leader", Role: duban.RoleLeader, LeaderID: 7}
	clerkLead := &duban.User{ID: 3, Name: "clerk-lead", Role: duban.RoleClerk, UnitID: lead}
	clerkPartner := &duban.User{ID: 4, Name: "clerk-partner", Role: duban.RoleClerk, UnitID: partner}
	clerkStreet := &duban.User{ID: 5, Name: "clerk-street", Role: duban.RoleClerk, UnitID: street}
	clerkOther := &duban.User{ID: 6, Name: "clerk-other", Role: duban.RoleClerk, UnitID: other}
	viewer := &duban.User{ID: 7, Name: "viewer", Role: duban.RoleViewer}
	disabled := &duban.User{ID: 8, Name: "gone", Role: duban.RoleAdmin, Disabled: true}
	task := &duban.Task{LeadUnits: []duban.Owner{{ID: lead, Name: "A"}},
		ResponsibleUnits: []duban.Owner{{ID: partner, Name: "B"}, {ID: 50, Name: "各街道办事处"}}}
	notice := &duban.Supervision{UnitID: lead}
	toUnit := &duban.Notification{UnitID: lead}
	toUser := &duban.Notification{UserID: 4}
	toOffice := &duban.Notification{Office: true}

	rules := []struct {
		name string
		can  func(*duban.User) bool
		// in the order admin, leader, clerkLead, clerkPartner, clerkStreet, clerkOther, viewer, disabled, nobody
		want [9]bool
	}{
		{"CanManagePeriods", duban.CanManagePeriods, [9]bool{true}},
		{"CanManageCalendar", duban.CanManageCalendar, [9]bool{true}},
		{"CanWriteReport task, lead unit", func(u *duban.User) bool { return duban.CanWriteReport(u, task, lead, duban.ReportTask, groups) },
			[9]bool{true, false, true}},
		{"CanWriteReport part, lead unit", func(u *duban.User) bool { return duban.CanWriteReport(u, task, lead, duban.ReportPart, groups) },
			[9]bool{true}},
		{"CanWriteReport part, partner", func(u *duban.User) bool { return duban.CanWriteReport(u, task, partner, duban.ReportPart, groups) },
			[9]bool{true, false, false, true}},
		{"CanWriteReport task, partner", func(u *duban.User) bool { return duban.CanWriteReport(u, task, partner, duban.ReportTask, groups) },
			[9]bool{true}},
		{"CanWriteReport part, street through its group", func(u *duban.User) bool { return duban.CanWriteReport(u, task, street, duban.ReportPart, groups) },
			[9]bool{true, false, false, false, true}},
		{"CanWriteReport part, street without membership", func(u *duban.User) bool { return duban.CanWriteReport(u, task, street, duban.ReportPart, nil) },
			[9]bool{true}},
		{"CanWriteReport part, other unit", func(u *duban.User) bool { return duban.CanWriteReport(u, task, other, duban.ReportPart, groups) },
			[9]bool{true}},
		{"CanReviewReport", duban.CanReviewReport, [9]bool{true}},
		{"CanRequestClosure", func(u *duban.User) bool { return duban.CanRequestClosure(u, task, groups) }, [9]bool{true, false, true}},
		{"CanCloseTask", duban.CanCloseTask, [9]bool{true}},
		{"CanSupervise", duban.CanSupervise, [9]bool{true}},
		{"CanAnswerSupervision", func(u *duban.User) bool { return duban.CanAnswerSupervision(u, notice) }, [9]bool{true, false, true}},
		{"CanUrge", duban.CanUrge, [9]bool{true}},
		{"CanReadNotification unit", func(u *duban.User) bool { return duban.CanReadNotification(u, toUnit) }, [9]bool{false, false, true}},
		{"CanReadNotification user", func(u *duban.User) bool { return duban.CanReadNotification(u, toUser) }, [9]bool{false, false, false, true}},
		{"CanReadNotification office", func(u *duban.User) bool { return duban.CanReadNotification(u, toOffice) }, [9]bool{true}},
	}
	users := []*duban.User{admin, leader, clerkLead, clerkPartner, clerkStreet, clerkOther, viewer, disabled, nil}
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
