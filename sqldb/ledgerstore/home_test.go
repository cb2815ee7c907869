package ledgerstore_test

import (
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// publishedSample imports the sample's reading and publishes it, so that
// its units and group terms are in the directory.
func publishedSample(t *testing.T, db *sqldb.DB) *duban.Plan {
	t.Helper()
	return MustPublish(t, db, MustImport(t, db, MustReadGold(t), "lixia.json").ID)
}

// mustStreets adds streets to the directory and returns their IDs.
func mustStreets(t *testing.T, db *sqldb.DB, names ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, n := range names {
		u := &duban.Unit{Name: n, Kind: duban.UnitStreet}
		if err := ledgerstore.NewUnitService(db).CreateUnit(as(office), u); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	return ids
}

// TestGroupMembersReach keeps the members of group terms and follows every
// task addressed to a group to its members: in the unit filter and its
// roles, in the counts by owner, and in a clerk's right to write on it.
func TestGroupMembersReach(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := publishedSample(t, db)
		units, tasks := ledgerstore.NewUnitService(db), ledgerstore.NewTaskService(db)
		streets := MustUnit(t, db, "各街道办事处")
		related := MustUnit(t, db, "相关街道办事处")
		if streets.Kind != duban.UnitGroup || len(streets.Members) != 0 {
			t.Fatalf("各街道办事处 after publishing: got %+v, want a group without members", streets)
		}
		ids := mustStreets(t, db, "解放路街道办事处", "千佛山街道办事处")
		jiefanglu := ids[0]
		longdong := MustUnit(t, db, "龙洞街道办事处").ID
		g, err := units.SetGroupMembers(as(office), streets.ID, append(ids, longdong))
		if err != nil {
			t.Fatal(err)
		}
		if want := []int64{ids[0], ids[1], longdong}; !slices.Equal(sorted64(g.Members), sorted64(want)) {
			t.Errorf("members: got %v, want %v", g.Members, want)
		}
		if _, err := units.SetGroupMembers(as(office), related.ID, ids[:1]); err != nil {
			t.Fatal(err)
		}
		groups, err := units.FindGroupMembers(as(viewer))
		if err != nil {
			t.Fatal(err)
		}
		if got := groups[streets.ID]; len(got) != 3 {
			t.Errorf("FindGroupMembers: 各街道办事处 has %v, want 3 members", got)
		}
		if _, ok := groups[MustUnit(t, db, "各承办单位").ID]; !ok {
			t.Error("FindGroupMembers: a group without members is not known as a group")
		}
		if got := groups.GroupsOf(jiefanglu); !slices.Equal(got, sorted64([]int64{streets.ID, related.ID})) {
			t.Errorf("the groups of 解放路: got %v", got)
		}

		// Every task addressed to either group is 解放路's, and only those.
		all, _, err := tasks.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		var want, wantLead []int64
		for _, task := range all {
			if task.Reaches(jiefanglu, groups) {
				want = append(want, task.ID)
				if slices.ContainsFunc(task.LeadUnits, func(o duban.Owner) bool { return o.ID == streets.ID || o.ID == related.ID }) {
					wantLead = append(wantLead, task.ID)
				}
			}
		}
		if len(want) < 20 {
			t.Fatalf("the sample addresses %d tasks to the streets, want 20 or more", len(want))
		}
		ids64 := func(f duban.TaskFilter) []int64 {
			got, n, err := tasks.FindTasks(as(viewer), f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, task := range got {
				out = append(out, task.ID)
			}
			if n != len(out) {
				t.Errorf("%+v: total %d for %d tasks", f, n, len(out))
			}
			return sorted64(out)
		}
		if got := ids64(duban.TaskFilter{UnitID: &jiefanglu}); !slices.Equal(got, sorted64(want)) {
			t.Errorf("解放路's tasks: got %d, want %d (those addressed to its groups)", len(got), len(want))
		}
		lead := ids64(duban.TaskFilter{UnitID: &jiefanglu, UnitRole: duban.UnitLeads})
		shared := ids64(duban.TaskFilter{UnitID: &jiefanglu, UnitRole: duban.UnitShares})
		if !slices.Equal(lead, sorted64(wantLead)) || len(lead)+len(shared) != len(want) {
			t.Errorf("解放路 leads %d and shares %d, want %d led of %d", len(lead), len(shared), len(wantLead), len(want))
		}
		// The counts say the same, for the unit alone and in the list of
		// every owner.
		counts, err := tasks.CountTasksByOwner(as(viewer), duban.TaskFilter{UnitID: &jiefanglu})
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != 1 || counts[0].Lead != len(lead) || counts[0].Shared != len(shared) {
			t.Errorf("counts of 解放路 alone: got %+v, want %d led, %d shared", counts, len(lead), len(shared))
		}
		counts, err = tasks.CountTasksByOwner(as(viewer), duban.TaskFilter{})
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(counts, func(c duban.OwnerCount) bool { return !c.Leader && c.ID == jiefanglu })
		if i < 0 || counts[i].Lead != len(lead) || counts[i].Shared != len(shared) {
			t.Errorf("counts of 解放路 among all: got %v, want %d led, %d shared", counts, len(lead), len(shared))
		}

		// 解放路's clerk writes on those tasks and no other; 千佛山's, in
		// 各街道办事处 but not 相关街道办事处, on those addressed to the
		// first.
		clerk := MustCreateUser(t, db, &duban.User{Name: "jiefanglu", Role: duban.RoleClerk, UnitID: jiefanglu}, "")
		comments := ledgerstore.NewCommentService(db)
		for _, task := range all {
			err := comments.CreateComment(as(clerk), &duban.Comment{TaskID: task.ID, Text: "已完成本月节点。"})
			switch {
			case task.Reaches(jiefanglu, groups) && err != nil:
				t.Errorf("task %s, addressed to 解放路's groups: %v", task.No, err)
			case !task.Reaches(jiefanglu, groups):
				wantCode(t, "task "+task.No+", not 解放路's", err, duban.EFORBIDDEN)
			}
		}

		// Refused: members of what is no group, a group as a member, a
		// clerk of a group, a change by a viewer, a group with members
		// changing its kind, a member becoming a group.
		_, err = units.SetGroupMembers(as(office), jiefanglu, ids[1:])
		wantCode(t, "members of a street", err, duban.EINVALID)
		_, err = units.SetGroupMembers(as(office), streets.ID, []int64{related.ID})
		wantCode(t, "a group as a member", err, duban.EINVALID)
		_, err = units.SetGroupMembers(as(viewer), streets.ID, nil)
		wantCode(t, "as a viewer", err, duban.EFORBIDDEN)
		_, err = units.SetGroupMembers(as(office), streets.ID, []int64{99999})
		wantCode(t, "an unknown member", err, duban.ENOTFOUND)
		_, err = units.UpdateUnit(as(office), streets.ID, duban.UnitUpdate{Kind: ptr(duban.UnitStreet)})
		wantCode(t, "a group with members made a street", err, duban.ECONFLICT)
		_, err = units.UpdateUnit(as(office), jiefanglu, duban.UnitUpdate{Kind: ptr(duban.UnitGroup)})
		wantCode(t, "a member made a group", err, duban.ECONFLICT)
		err = accountstore.NewUserService(db).CreateUser(as(office), &duban.User{Name: "streets", Role: duban.RoleClerk, UnitID: streets.ID})
		wantCode(t, "a clerk of a group", err, duban.EINVALID)

		// A merge moves the memberships: 千佛山 merged into 解放路 leaves
		// 解放路 in its groups once; a group merged into another brings its
		// members.
		if _, err := units.MergeUnits(as(office), ids[1], jiefanglu); err != nil {
			t.Fatal(err)
		}
		if _, err := units.MergeUnits(as(office), related.ID, streets.ID); err != nil {
			t.Fatal(err)
		}
		groups, err = units.FindGroupMembers(as(office))
		if err != nil {
			t.Fatal(err)
		}
		if got := groups[streets.ID]; !slices.Equal(sorted64(got), sorted64([]int64{jiefanglu, longdong})) {
			t.Errorf("after the merges: 各街道办事处 has %v, want 解放路 and 龙洞", got)
		}
		if _, ok := groups[related.ID]; ok {
			t.Error("a group merged away is still a group of its own")
		}
		_, err = units.MergeUnits(as(office), longdong, streets.ID)
		wantCode(t, "a street merged into a group", err, duban.EINVALID)

		// Emptied, a group reaches nobody, and may change kind.
		if _, err := units.SetGroupMembers(as(office), streets.ID, nil); err != nil {
			t.Fatal(err)
		}
		if got := ids64(duban.TaskFilter{UnitID: &jiefanglu}); len(got) >= len(want) {
			t.Errorf("after emptying the group: 解放路 has %d tasks, want fewer than %d", len(got), len(want))
		}
		MustVerifyAudit(t, db)
	})
}

func sorted64(s []int64) []int64 {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// TestLeaderOrder lists leaders in their order, those without one after,
// and says in the log what a correction changed.
func TestLeaderOrder(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		leaders := ledgerstore.NewLeaderService(db)
		for _, l := range []*duban.Leader{{Name: "甲"}, {Name: "乙", Order: 2}, {Name: "丙", Order: 1}, {Name: "丁"}} {
			if err := leaders.CreateLeader(as(office), l); err != nil {
				t.Fatal(err)
			}
		}
		names := func() []string {
			ls, _, err := leaders.FindLeaders(as(viewer), duban.LeaderFilter{})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, l := range ls {
				out = append(out, l.Name)
			}
			return out
		}
		if got, want := names(), []string{"丙", "乙", "甲", "丁"}; !slices.Equal(got, want) {
			t.Errorf("order: got %v, want %v", got, want)
		}
		jia, _, _ := leaders.FindLeaders(as(office), duban.LeaderFilter{Name: ptr("甲")})
		if _, err := leaders.UpdateLeader(as(office), jia[0].ID, duban.LeaderUpdate{Order: ptr(1), Title: ptr("区长")}); err != nil {
			t.Fatal(err)
		}
		if got, want := names(), []string{"甲", "丙", "乙", "丁"}; !slices.Equal(got, want) {
			t.Errorf("order after a change: got %v, want %v (ties in the order of entry)", got, want)
		}
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("leader"), EntityID: &jia[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		if want := "修改领导 甲：职务 无 → 区长，排序 0 → 1"; len(events) == 0 || events[0].Summary != want {
			t.Errorf("the log: got %v, want %q", events, want)
		}
		_, err = leaders.UpdateLeader(as(office), jia[0].ID, duban.LeaderUpdate{Order: ptr(-1)})
		wantCode(t, "a negative order", err, duban.EINVALID)
		err = leaders.CreateLeader(as(office), &duban.Leader{Name: "戊", Order: duban.MaxLeaderOrder + 1})
		wantCode(t, "an order too large", err, duban.EINVALID)
	})
}
