package duban

import (
	"cmp"
	"slices"
	"strings"
)

// Directory looks up the names written in attributions among the known units
// and leaders. Stores build one from their tables inside a transaction and use
// it to map a task's owners, so that the rules of what a name means live here.
type Directory struct {
	units       map[string]*Unit // by normalised name and alias
	byID        map[int64]*Unit
	leaders     map[string]*Leader
	leadersByID map[int64]*Leader
}

// NewDirectory indexes units (with their aliases) and leaders.
func NewDirectory(units []*Unit, leaders []*Leader) *Directory {
	d := &Directory{
		units: map[string]*Unit{}, byID: map[int64]*Unit{},
		leaders: map[string]*Leader{}, leadersByID: map[int64]*Leader{},
	}
	for _, u := range units {
		d.byID[u.ID] = u
		d.units[NormalizeName(u.Name)] = u
		for _, a := range u.Aliases {
			d.units[NormalizeName(a)] = u
		}
	}
	for _, l := range leaders {
		d.leaders[NormalizeName(l.Name)] = l
		d.leadersByID[l.ID] = l
	}
	return d
}

// Unit returns the unit a name means, following merges to the unit that
// carries on, or nil.
func (d *Directory) Unit(name string) *Unit {
	return d.heir(d.units[NormalizeName(name)])
}

// UnitByID returns a unit by its ID, following merges, or nil.
func (d *Directory) UnitByID(id int64) *Unit {
	return d.heir(d.byID[id])
}

func (d *Directory) heir(u *Unit) *Unit {
	for i := 0; u != nil && u.MergedInto != 0 && i < 100; i++ {
		u = d.byID[u.MergedInto]
	}
	return u
}

// Leader returns the leader of that name, or nil.
func (d *Directory) Leader(name string) *Leader {
	return d.leaders[NormalizeName(name)]
}

// Map sets the directory ID of each of t's owners that the directory knows,
// by ID when the owner has one (a choice made in a form) and otherwise by
// name, fills in names left empty, moves owners of merged units to the unit
// that carries on, and returns the unit and leader names it does not know,
// each once, in order.
func (d *Directory) Map(t *Task) (units, leaders []string) {
	for i := range t.LeadLeaders {
		o := &t.LeadLeaders[i]
		l := d.leadersByID[o.ID]
		if l == nil {
			l = d.Leader(o.Name)
		}
		leaders = mapOwner(o, l != nil, func() (int64, string) { return l.ID, l.Name }, leaders)
	}
	for _, list := range [][]Owner{t.LeadUnits, t.ResponsibleUnits} {
		for i := range list {
			o := &list[i]
			u := d.UnitByID(o.ID)
			if u == nil {
				u = d.Unit(o.Name)
			}
			units = mapOwner(o, u != nil, func() (int64, string) { return u.ID, u.Name }, units)
		}
	}
	return units, leaders
}

// mapOwner points o at the entry found, or records its name as unknown.
func mapOwner(o *Owner, found bool, entry func() (int64, string), unknown []string) []string {
	if found {
		id, name := entry()
		o.ID = id
		if strings.TrimSpace(o.Name) == "" {
			o.Name = name
		}
		return unknown
	}
	o.ID = 0
	if o.Name != "" && !slices.ContainsFunc(unknown, func(n string) bool { return NormalizeName(n) == NormalizeName(o.Name) }) {
		unknown = append(unknown, o.Name)
	}
	return unknown
}

// Members returns the units a group term stands for, by name. A term that
// names only some units (相关街道办事处) returns ECONFLICT saying the office has
// to choose them; a name that is no group term returns EINVALID.
func (d *Directory) Members(group string) ([]*Unit, error) {
	scope, ok := ScopeOfGroup(group)
	if !ok {
		return nil, Errorf(EINVALID, "“%s”不是统称，不能展开：统称如“各街道办事处”“相关街道办事处”。", group)
	}
	var members []*Unit
	for _, u := range d.byID {
		if u.Kind == scope.Kind && u.MergedInto == 0 {
			members = append(members, u)
		}
	}
	slices.SortFunc(members, func(a, b *Unit) int { return cmp.Compare(a.ID, b.ID) })
	if len(members) == 0 {
		return nil, Errorf(ENOTFOUND, "名录中还没有%s单位，“%s”无法展开：请先在单位名录中添加这些单位。", scope.Kind.Label(), group)
	}
	if scope.Choose {
		return members, Errorf(ECONFLICT, "“%s”没有说明是哪些单位：请从 %d 个%s单位中选择。", group, len(members), scope.Kind.Label())
	}
	return members, nil
}
