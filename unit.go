package duban

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// UnitKind is what sort of body a unit is. Streets are what a group term such
// as 各街道办事处 expands to; a group is a term that stands for several units.
type UnitKind string

// The kinds of unit.
const (
	UnitDepartment UnitKind = "department" // 区直部门、中心、管委会
	UnitStreet     UnitKind = "street"     // 街道办事处
	UnitCompany    UnitKind = "company"    // 区属国有企业（集团、公司）
	UnitGroup      UnitKind = "group"      // 各街道办事处、相关街道办事处、区直各部门（单位）
)

// Valid reports whether k is one of the unit kinds.
func (k UnitKind) Valid() bool {
	return k == UnitDepartment || k == UnitStreet || k == UnitCompany || k == UnitGroup
}

// Label is the kind's name as users read it.
func (k UnitKind) Label() string {
	switch k {
	case UnitDepartment:
		return "部门"
	case UnitStreet:
		return "街道"
	case UnitCompany:
		return "企业"
	case UnitGroup:
		return "泛指多个单位"
	}
	return string(k)
}

// Unit is a body that answers for tasks: a department, a street office, a
// company of the district, or a group term. Units outlive plans: the same unit
// owns tasks year after year, under names that change.
type Unit struct {
	ID   int64    `json:"id"`
	Name string   `json:"name"`
	Kind UnitKind `json:"kind"`
	// Aliases are the other names that mean this unit in notices:
	// abbreviations (区发改局), former names, the names of units merged into
	// it. A name means at most one unit.
	Aliases []string `json:"aliases"`
	// MergedInto is the unit this one was merged into; its tasks and clerks
	// moved there. 0 for a unit in its own right.
	MergedInto int64 `json:"merged_into,omitempty"`
	// Members are the units a group term stands for (各街道办事处: each
	// street), as the office keeps them; a task addressed to the group is
	// each member's. Empty for a unit that is no group, and for a group
	// whose members are not entered yet.
	Members []int64 `json:"members,omitempty"`
	// History lists renames and merges, oldest first. Filled by
	// FindUnitByID.
	History []UnitEvent `json:"history,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// UnitEventKind names a change in a unit's identity.
type UnitEventKind string

// The changes a unit's history records.
const (
	UnitRenamed      UnitEventKind = "renamed"     // From → To
	UnitMergedIn     UnitEventKind = "merged_in"   // unit Other (named From) merged into this one
	UnitMergedInto   UnitEventKind = "merged_into" // this unit merged into Other (named To)
	UnitAliasAdded   UnitEventKind = "alias"       // To became an alias
	UnitEventCreated UnitEventKind = "created"     // the unit was created as To
)

// UnitEvent is one change in a unit's identity, kept so that the unit's
// history across years can be told: which name it had when, what merged
// into it.
type UnitEvent struct {
	At    time.Time     `json:"at"`
	Kind  UnitEventKind `json:"kind"`
	From  string        `json:"from,omitempty"`
	To    string        `json:"to,omitempty"`
	Other int64         `json:"other,omitempty"`
}

// Validate checks a unit's name, kind and aliases.
func (u *Unit) Validate() error {
	if err := validateName("单位名称", u.Name); err != nil {
		return err
	}
	if !u.Kind.Valid() {
		return Errorf(EINVALID, "单位类型 %q 不正确：应为 department（部门）、street（街道）、company（企业）或 group（泛指多个单位，如“各街道办事处”）。", u.Kind)
	}
	seen := map[string]bool{NormalizeName(u.Name): true}
	for _, a := range u.Aliases {
		if err := validateName("别名", a); err != nil {
			return err
		}
		if seen[NormalizeName(a)] {
			return Errorf(EINVALID, "“%s”重复：单位的名称和别名不能相同。", a)
		}
		seen[NormalizeName(a)] = true
	}
	return nil
}

func validateName(what, name string) error {
	switch {
	case NormalizeName(name) == "":
		return Errorf(EINVALID, "%s不能为空。", what)
	case utf8.RuneCountInString(name) > 100:
		return Errorf(EINVALID, "%s“%s”过长（超过 100 字）。", what, name)
	}
	return nil
}

// NormalizeName returns the form under which a unit or leader name is looked
// up: spaces removed and ASCII brackets made full-width, so that 区直各部门(单位)
// and 区直各部门（单位） are one name, as are names copied with stray spaces.
func NormalizeName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '(':
			r = '（'
		case r == ')':
			r = '）'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// GuessUnitKind gives the kind a unit's name suggests, for units that a
// notice names before anyone has entered them. The office corrects it where
// the name misleads.
func GuessUnitKind(name string) UnitKind {
	n := NormalizeName(name)
	switch {
	case isGroupTerm(n):
		return UnitGroup
	case strings.HasSuffix(n, "街道办事处") || strings.HasSuffix(n, "街道") ||
		strings.HasSuffix(n, "镇人民政府") || strings.HasSuffix(n, "乡人民政府"):
		return UnitStreet
	case strings.HasSuffix(n, "集团") || strings.HasSuffix(n, "公司"):
		return UnitCompany
	}
	return UnitDepartment
}

// isGroupTerm reports whether a name stands for several units rather than
// one: 各街道办事处, 相关街道办事处, 区直各有关部门（单位）, …成员单位.
func isGroupTerm(n string) bool {
	for _, p := range []string{"各", "相关", "有关"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	for _, s := range []string{"区直各", "县直各", "市直各", "成员单位", "各部门", "各单位", "各有关"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

// GroupScope is what a group term stands for: units of one kind, either all
// of them (各街道办事处) or some that the notice does not name (相关街道办事处),
// which the office has to choose.
type GroupScope struct {
	Kind UnitKind
	// Choose is true when the term names only some units of Kind.
	Choose bool
}

// ScopeOfGroup reads a group term. ok is false for a name that is not a group
// term.
func ScopeOfGroup(name string) (scope GroupScope, ok bool) {
	n := NormalizeName(name)
	if !isGroupTerm(n) {
		return GroupScope{}, false
	}
	scope.Kind = UnitDepartment
	if strings.Contains(n, "街道") || strings.Contains(n, "镇") {
		scope.Kind = UnitStreet
	} else if strings.Contains(n, "集团") || strings.Contains(n, "企业") || strings.Contains(n, "公司") {
		scope.Kind = UnitCompany
	}
	for _, w := range []string{"相关", "有关", "主管", "承办", "成员", "牵头"} {
		if strings.Contains(n, w) {
			scope.Choose = true
		}
	}
	return scope, true
}

// UnitFilter selects units. Nil and zero fields do not filter; Limit 0 means
// no limit.
type UnitFilter struct {
	ID *int64
	// Name selects the unit that the name (or an alias of it) means.
	Name *string
	Kind *UnitKind
	// Query selects units whose name contains it.
	Query string
	// PlanID selects the units named in the plan's tasks.
	PlanID *int64
	// IncludeMerged adds units that were merged into others.
	IncludeMerged bool

	Offset int
	Limit  int
}

// UnitUpdate changes a unit. A new name is a rename: the old name stays an
// alias, so that older notices still find the unit.
type UnitUpdate struct {
	Name *string   `json:"name,omitempty"`
	Kind *UnitKind `json:"kind,omitempty"`
}

// UnitService keeps the directory of units. Changes are the office's.
type UnitService interface {
	// FindUnitByID returns a unit with its aliases and history.
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	// FindUnits returns the units matching the filter, by name, and how
	// many match in all.
	FindUnits(ctx context.Context, filter UnitFilter) ([]*Unit, int, error)
	// CreateUnit adds a unit to the directory and sets its ID.
	CreateUnit(ctx context.Context, u *Unit) error
	// UpdateUnit renames a unit or changes its kind.
	UpdateUnit(ctx context.Context, id int64, upd UnitUpdate) (*Unit, error)
	// AddUnitAlias makes another name mean the unit (区发改局 for
	// 区发展和改革局). A name that is already another unit's is refused: such
	// units are merged with MergeUnits.
	AddUnitAlias(ctx context.Context, id int64, alias string) (*Unit, error)
	// MergeUnits merges unit from into unit into: from's names become
	// aliases of into, its tasks, clerks and memberships move to into, and
	// both histories record it.
	MergeUnits(ctx context.Context, from, into int64) (*Unit, error)
	// SetGroupMembers sets the units a group term stands for (CheckMembers),
	// replacing those it had: every task addressed to the group becomes
	// theirs.
	SetGroupMembers(ctx context.Context, id int64, members []int64) (*Unit, error)
	// FindGroupMembers returns every group term's members; a group without
	// members is there with none, so that it is known as a group.
	GroupMembers
}
