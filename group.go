package duban

import (
	"context"
	"slices"
	"strconv"
)

// Groups maps a group term's unit (各街道办事处) to the units it stands for,
// as the directory keeps its membership. A task addressed to a group is
// every member's task.
type Groups map[int64][]int64

// GroupsOf returns the groups unit belongs to, in order.
func (g Groups) GroupsOf(unit int64) []int64 {
	var out []int64
	for group, members := range g {
		if slices.Contains(members, unit) {
			out = append(out, group)
		}
	}
	slices.Sort(out)
	return out
}

// GroupMembers is the directory's membership of group terms. The cycle asks
// through it which units a task addressed to a group reaches; a store
// without membership answers no groups, and such tasks reach their named
// units alone.
type GroupMembers interface {
	// FindGroupMembers returns every group term's members.
	FindGroupMembers(ctx context.Context) (Groups, error)
}

// IsGroupOwner reports whether an owner of a task is a group term: one the
// directory keeps members of, or a name that reads as one.
func IsGroupOwner(o Owner, groups Groups) bool {
	if _, ok := groups[o.ID]; ok {
		return true
	}
	return GuessUnitKind(o.Name) == UnitGroup
}

// Reaches reports whether a task is a unit's: the task names it, or a group
// it belongs to.
func (t *Task) Reaches(unitID int64, groups Groups) bool {
	if unitID == 0 {
		return false
	}
	if t.HasUnit(unitID) {
		return true
	}
	for _, list := range [][]Owner{t.LeadUnits, t.ResponsibleUnits} {
		for _, o := range list {
			if slices.Contains(groups[o.ID], unitID) {
				return true
			}
		}
	}
	return false
}

// PlanMembersMissing returns MembersMissing for a plan's tasks and the
// directory's groups, read through the services: what publishing tells
// the office on the page, in the API and on the command line.
func PlanMembersMissing(ctx context.Context, tasks TaskService, units UnitService, planID int64) ([]Owner, error) {
	ts, _, err := tasks.FindTasks(ctx, TaskFilter{PlanID: &planID})
	if err != nil {
		return nil, err
	}
	groups, err := units.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	return MembersMissing(ts, groups), nil
}

// MembersMissing returns the group terms among the tasks' unit owners that
// reach no unit yet, each once, in the order the tasks name them: a group
// the directory keeps no members of (各街道办事处 before the streets are
// entered), or a term that was never made a unit (ID 0). Publishing names
// them, so that the office knows whose tasks nobody sees yet.
func MembersMissing(tasks []*Task, groups Groups) []Owner {
	var out []Owner
	seen := map[string]bool{}
	for _, t := range tasks {
		for _, o := range slices.Concat(t.LeadUnits, t.ResponsibleUnits) {
			if !IsGroupOwner(o, groups) || len(groups[o.ID]) > 0 {
				continue
			}
			if k := NormalizeName(o.Name); !seen[k] {
				seen[k] = true
				out = append(out, o)
			}
		}
	}
	return out
}

// MaxGroupMembers bounds a group's membership: a district has some hundred
// units, far fewer than this.
const MaxGroupMembers = 2000

// CheckMembers checks that the units may be the members of group g: g is a
// group term in its own right, and each member a single unit (not a group,
// not merged into another, not g), named once.
func (g *Unit) CheckMembers(members []*Unit) error {
	switch {
	case g.Kind != UnitGroup:
		return Errorf(EINVALID, "“%s”不是统称（泛指多个单位的名称），不能设置成员：如果它指多个单位，请先把类型改为“统称”。", g.Name)
	case g.MergedInto != 0:
		return Errorf(ECONFLICT, "“%s”已合并到单位 #%d：请对合并后的单位设置成员。", g.Name, g.MergedInto)
	case len(members) > MaxGroupMembers:
		return Errorf(EINVALID, "成员过多（超过 %d 个）。", MaxGroupMembers)
	}
	seen := map[int64]bool{}
	for _, m := range members {
		switch {
		case m.ID == g.ID:
			return Errorf(EINVALID, "“%s”不能是它自己的成员。", g.Name)
		case m.Kind == UnitGroup:
			return Errorf(EINVALID, "“%s”本身是统称：成员只能是具体单位，请选择它所指的单位。", m.Name)
		case m.MergedInto != 0:
			return Errorf(EINVALID, "单位“%s”已合并到单位 #%d：请选择合并后的单位。", m.Name, m.MergedInto)
		case seen[m.ID]:
			return Errorf(EINVALID, "成员中“%s”重复出现。", m.Name)
		}
		seen[m.ID] = true
	}
	return nil
}

// memberNames is how a group's members are listed in messages: the first
// few names and how many in all.
func memberNames(members []*Unit) string {
	s := ""
	for i, m := range members {
		if i == 5 {
			return s + "等 " + strconv.Itoa(len(members)) + " 个单位"
		}
		if i > 0 {
			s += "、"
		}
		s += m.Name
	}
	if s == "" {
		return "无"
	}
	return s
}

// MembersSummary says in a sentence what a group's members became, for the
// audit log and the message shown.
func MembersSummary(g *Unit, members []*Unit) string {
	if len(members) == 0 {
		return "“" + g.Name + "”不再有成员"
	}
	return "“" + g.Name + "”的成员：" + memberNames(members)
}

// CheckKind checks that unit u may become of kind k, given the directory's
// groups: a group with members stays a group until they are taken away, and
// a member of a group cannot become one, so that a group's members are
// always single units.
func (u *Unit) CheckKind(k UnitKind, groups Groups) error {
	switch {
	case k == u.Kind:
		return nil
	case u.Kind == UnitGroup && len(groups[u.ID]) > 0:
		return Errorf(ECONFLICT, "“%s”是统称，有 %d 个成员：请先去掉它的成员，再改类型。", u.Name, len(groups[u.ID]))
	case k == UnitGroup && len(groups.GroupsOf(u.ID)) > 0:
		return Errorf(ECONFLICT, "“%s”是统称的成员，不能改为统称：请先把它从所属统称的成员中去掉。", u.Name)
	}
	return nil
}

// CheckMerge checks that unit from may be merged into unit into: both in
// their own right, and both single units or both groups, so that tasks,
// clerks and memberships move to a unit of the same sort.
func CheckMerge(from, into *Unit) error {
	switch {
	case from.ID == into.ID:
		return Errorf(EINVALID, "不能把单位合并到它自己。")
	case (from.Kind == UnitGroup) != (into.Kind == UnitGroup):
		return Errorf(EINVALID, "“%s”和“%s”一个是统称、一个是具体单位，不能合并：统称的成员在统称的页面设置。", from.Name, into.Name)
	}
	return nil
}
