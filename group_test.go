package duban_test

import (
	"slices"
	"testing"

	"github.com/dubanhq/duban"
)

// The sample's streets and group terms, as a directory keeps them.
const (
	jiefanglu, longdong, caizheng = 1, 2, 3
	streets, related, allDepts    = 10, 11, 12
)

var groups = duban.Groups{streets: {jiefanglu, longdong}, related: nil, allDepts: {caizheng}}

func TestTaskReaches(t *testing.T) {
	task := &duban.Task{
		LeadUnits:        []duban.Owner{{ID: caizheng, Name: "区财政局"}},
		ResponsibleUnits: []duban.Owner{{ID: streets, Name: "各街道办事处"}, {ID: related, Name: "相关街道办事处"}},
	}
	for _, c := range []struct {
		unit   int64
		groups duban.Groups
		want   bool
	}{
		{caizheng, nil, true},     // named
		{jiefanglu, groups, true}, // through 各街道办事处
		{longdong, groups, true},  // the same
		{jiefanglu, nil, false},   // no membership known: the group reaches nobody
		{4, groups, false},        // another unit
		{0, groups, false},        // no unit
		{streets, groups, true},   // the group itself is named
		{allDepts, groups, false}, // a group the task does not name
	} {
		if got := task.Reaches(c.unit, c.groups); got != c.want {
			t.Errorf("Reaches(%d, %v): got %v, want %v", c.unit, c.groups != nil, got, c.want)
		}
	}
	if got := groups.GroupsOf(caizheng); !slices.Equal(got, []int64{allDepts}) {
		t.Errorf("GroupsOf(caizheng): got %v", got)
	}
	if got := groups.GroupsOf(99); got != nil {
		t.Errorf("GroupsOf(a unit in no group): got %v, want none", got)
	}
}

// TestMembersMissing names each group term whose tasks reach nobody: a
// group without members and a term never made a unit, each once, in the
// tasks' order; a group with members and a single unit are not named.
func TestMembersMissing(t *testing.T) {
	tasks := []*duban.Task{
		{LeadUnits: []duban.Owner{{ID: caizheng, Name: "区财政局"}}, ResponsibleUnits: []duban.Owner{{ID: related, Name: "相关街道办事处"}}},
		{ResponsibleUnits: []duban.Owner{{ID: streets, Name: "各街道办事处"}, {Name: "区直各部门（单位）"}}},
		{ResponsibleUnits: []duban.Owner{{ID: related, Name: "相关街道办事处"}}},
	}
	got := duban.OwnerNames(duban.MembersMissing(tasks, groups))
	if want := []string{"相关街道办事处", "区直各部门（单位）"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := duban.MembersMissing(tasks[:1], duban.Groups{related: {jiefanglu}}); len(got) != 0 {
		t.Errorf("every group with members: got %v, want none", got)
	}
}

func TestCheckMembers(t *testing.T) {
	g := &duban.Unit{ID: streets, Name: "各街道办事处", Kind: duban.UnitGroup}
	street := &duban.Unit{ID: jiefanglu, Name: "解放路街道办事处", Kind: duban.UnitStreet}
	for _, c := range []struct {
		name    string
		group   *duban.Unit
		members []*duban.Unit
		code    string
	}{
		{"streets", g, []*duban.Unit{street, {ID: longdong, Name: "龙洞街道办事处", Kind: duban.UnitStreet}}, ""},
		{"none", g, nil, ""},
		{"not a group", street, []*duban.Unit{g}, duban.EINVALID},
		{"a merged group", &duban.Unit{ID: 9, Name: "旧统称", Kind: duban.UnitGroup, MergedInto: streets}, nil, duban.ECONFLICT},
		{"itself", g, []*duban.Unit{g}, duban.EINVALID},
		{"a group as a member", g, []*duban.Unit{{ID: related, Name: "相关街道办事处", Kind: duban.UnitGroup}}, duban.EINVALID},
		{"a merged member", g, []*duban.Unit{{ID: 7, Name: "旧街道", Kind: duban.UnitStreet, MergedInto: jiefanglu}}, duban.EINVALID},
		{"twice", g, []*duban.Unit{street, street}, duban.EINVALID},
	} {
		if got := duban.ErrorCode(c.group.CheckMembers(c.members)); got != c.code {
			t.Errorf("%s: got %q, want %q", c.name, got, c.code)
		}
	}
}

func TestCheckKindAndMerge(t *testing.T) {
	g := &duban.Unit{ID: streets, Name: "各街道办事处", Kind: duban.UnitGroup}
	empty := &duban.Unit{ID: related, Name: "相关街道办事处", Kind: duban.UnitGroup}
	street := &duban.Unit{ID: jiefanglu, Name: "解放路街道办事处", Kind: duban.UnitStreet}
	other := &duban.Unit{ID: 4, Name: "区新设局", Kind: duban.UnitDepartment}
	for _, c := range []struct {
		name string
		err  error
		code string
	}{
		{"a group with members stays one", g.CheckKind(duban.UnitStreet, groups), duban.ECONFLICT},
		{"a group without members may change", empty.CheckKind(duban.UnitDepartment, groups), ""},
		{"a member does not become a group", street.CheckKind(duban.UnitGroup, groups), duban.ECONFLICT},
		{"a unit in no group may", other.CheckKind(duban.UnitGroup, groups), ""},
		{"the same kind", g.CheckKind(duban.UnitGroup, groups), ""},
		{"merge into itself", duban.CheckMerge(street, street), duban.EINVALID},
		{"merge a group into a unit", duban.CheckMerge(g, other), duban.EINVALID},
		{"merge a unit into a group", duban.CheckMerge(other, g), duban.EINVALID},
		{"merge two groups", duban.CheckMerge(empty, g), ""},
		{"merge two units", duban.CheckMerge(other, street), ""},
	} {
		if got := duban.ErrorCode(c.err); got != c.code {
			t.Errorf("%s: got %q (%v), want %q", c.name, got, c.err, c.code)
		}
	}
}
