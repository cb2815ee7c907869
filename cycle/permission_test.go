package cycle_test

import (
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

func TestCyclePermissions(t *testing.T) {
	const lead, partner, street, other = 1, 2, 51, 9
	groups := cycle.Groups{50: {51, 52}}
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
	notice := &cycle.Supervision{UnitID: lead}
	toUnit := &cycle.Notification{UnitID: lead}
	toUser := &cycle.Notification{UserID: 4}
	toOffice := &cycle.Notification{Office: true}

	rules := []struct {
		name string
		can  func(*duban.User) bool
		// in the order admin, leader, clerkLead, clerkPartner, clerkStreet, clerkOther, viewer, disabled, nobody
		want [9]bool
	}{
		{"CanManagePeriods", cycle.CanManagePeriods, [9]bool{true}},
		{"CanManageCalendar", cycle.CanManageCalendar, [9]bool{true}},
		{"CanWriteReport task, lead unit", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, lead, cycle.ReportTask, groups) },
			[9]bool{true, false, true}},
		{"CanWriteReport part, lead unit", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, lead, cycle.ReportPart, groups) },
			[9]bool{true}},
		{"CanWriteReport part, partner", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, partner, cycle.ReportPart, groups) },
			[9]bool{true, false, false, true}},
		{"CanWriteReport task, partner", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, partner, cycle.ReportTask, groups) },
			[9]bool{true}},
		{"CanWriteReport part, street through its group", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, street, cycle.ReportPart, groups) },
			[9]bool{true, false, false, false, true}},
		{"CanWriteReport part, street without membership", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, street, cycle.ReportPart, nil) },
			[9]bool{true}},
		{"CanWriteReport part, other unit", func(u *duban.User) bool { return cycle.CanWriteReport(u, task, other, cycle.ReportPart, groups) },
			[9]bool{true}},
		{"CanReport", cycle.CanReport, [9]bool{true, false, true, true, true, true}},
		{"OwesReports", cycle.OwesReports, [9]bool{false, false, true, true, true, true}},
		{"CanViewReports", func(u *duban.User) bool { return cycle.CanViewReports(u, task, groups) }, [9]bool{true, true, true, true, true, false, true}},
		{"CanViewReports without membership", func(u *duban.User) bool { return cycle.CanViewReports(u, task, nil) }, [9]bool{true, true, true, true, false, false, true}},
		{"CanReviewReport", cycle.CanReviewReport, [9]bool{true}},
		{"CanRequestClosure", func(u *duban.User) bool { return cycle.CanRequestClosure(u, task, groups) }, [9]bool{true, false, true}},
		{"CanCloseTask", cycle.CanCloseTask, [9]bool{true}},
		{"CanSupervise", cycle.CanSupervise, [9]bool{true}},
		{"CanAnswerSupervision", func(u *duban.User) bool { return cycle.CanAnswerSupervision(u, notice) }, [9]bool{true, false, true}},
		{"CanAnswerSupervisions", cycle.CanAnswerSupervisions, [9]bool{true, false, true, true, true, true}},
		{"CanUrge", cycle.CanUrge, [9]bool{true}},
		{"CanReadNotification unit", func(u *duban.User) bool { return cycle.CanReadNotification(u, toUnit) }, [9]bool{false, false, true}},
		{"CanReadNotification user", func(u *duban.User) bool { return cycle.CanReadNotification(u, toUser) }, [9]bool{false, false, false, true}},
		{"CanReadNotification office", func(u *duban.User) bool { return cycle.CanReadNotification(u, toOffice) }, [9]bool{true}},
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
