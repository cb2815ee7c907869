package ledgerstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// UnitService keeps the directory of units.
type UnitService struct{ db *sqldb.DB }

// NewUnitService returns the units of db.
func NewUnitService(db *sqldb.DB) *UnitService { return &UnitService{db: db} }

var _ duban.UnitService = (*UnitService)(nil)

// FindUnitByID returns a unit with its aliases and history.
func (s *UnitService) FindUnitByID(ctx context.Context, id int64) (*duban.Unit, error) {
	if _, err := duban.Authorize(ctx, "查看单位", duban.CanRead); err != nil {
		return nil, err
	}
	var u *duban.Unit
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		if u, err = findUnit(tx, id); err != nil {
			return err
		}
		u.History, err = unitHistory(tx, id)
		return err
	})
	return u, err
}

// FindUnits returns units in the order they entered the directory.
func (s *UnitService) FindUnits(ctx context.Context, f duban.UnitFilter) ([]*duban.Unit, int, error) {
	if _, err := duban.Authorize(ctx, "查看单位", duban.CanRead); err != nil {
		return nil, 0, err
	}
	var units []*duban.Unit
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		units, total, err = findUnits(tx, f)
		return err
	})
	return units, total, err
}

func findUnit(tx *Tx, id int64) (*duban.Unit, error) {
	units, _, err := findUnits(tx, duban.UnitFilter{ID: &id, IncludeMerged: true})
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, sqldb.NotFound("单位", id)
	}
	return units[0], nil
}

func findUnits(tx *Tx, f duban.UnitFilter) ([]*duban.Unit, int, error) {
	var conds []string
	var args []any
	if f.ID != nil {
		conds, args = append(conds, "u.id = ?"), append(args, *f.ID)
	}
	if f.Name != nil {
		conds, args = append(conds, "u.id IN (SELECT unit_id FROM unit_names WHERE name = ?)"), append(args, duban.NormalizeName(*f.Name))
	}
	if f.Kind != nil {
		conds, args = append(conds, "u.kind = ?"), append(args, string(*f.Kind))
	}
	if f.Query != "" {
		conds, args = append(conds, `u.name LIKE ? ESCAPE '\'`), append(args, likePattern(f.Query))
	}
	if f.PlanID != nil {
		conds = append(conds, "u.id IN (SELECT o.unit_id FROM task_owners o JOIN tasks t ON t.id = o.task_id WHERE t.plan_id = ? AND t.state = 'active')")
		args = append(args, *f.PlanID)
	}
	if !f.IncludeMerged {
		conds = append(conds, "u.merged_into IS NULL")
	}
	total, err := tx.Count("SELECT count(*) FROM units u"+sqldb.Where(conds), args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT u.id, u.name, u.kind, u.merged_into, u.created_at, u.updated_at FROM units u"+
		sqldb.Where(conds)+" ORDER BY u.id"+page, append(args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var units []*duban.Unit
	byID := map[int64]*duban.Unit{}
	for rows.Next() {
		u := &duban.Unit{Aliases: []string{}}
		if err := rows.Scan(&u.ID, &u.Name, &u.Kind, sqldb.IDCol(&u.MergedInto), sqldb.TimeCol(&u.CreatedAt), sqldb.TimeCol(&u.UpdatedAt)); err != nil {
			return nil, 0, err
		}
		units = append(units, u)
		byID[u.ID] = u
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if len(units) == 0 {
		return units, total, nil
	}
	q := "SELECT unit_id, name FROM unit_names WHERE kind = 'alias'"
	var aargs []any
	if len(units) < 500 {
		q += " AND unit_id IN (" + sqldb.Placeholders(len(units)) + ")"
		for _, u := range units {
			aargs = append(aargs, u.ID)
		}
	}
	rows, err = tx.Query(q+" ORDER BY name", aargs...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, 0, err
		}
		if u := byID[id]; u != nil {
			u.Aliases = append(u.Aliases, name)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	groups, err := groupMembers(tx)
	if err != nil {
		return nil, 0, err
	}
	for _, u := range units {
		u.Members = groups[u.ID]
	}
	return units, total, nil
}

// groupMembers reads the membership of every group term: each unit of kind
// group not merged away, with its members (none, for a group whose members
// are not entered yet), in the order the members entered the directory.
func groupMembers(tx *Tx) (duban.Groups, error) {
	rows, err := tx.Query(`SELECT g.id, m.unit_id FROM units g LEFT JOIN unit_members m ON m.group_id = g.id
		WHERE g.kind = 'group' AND g.merged_into IS NULL ORDER BY g.id, m.unit_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	groups := duban.Groups{}
	for rows.Next() {
		var group, member int64
		if err := rows.Scan(&group, sqldb.IDCol(&member)); err != nil {
			return nil, err
		}
		if member == 0 {
			groups[group] = nil
		} else {
			groups[group] = append(groups[group], member)
		}
	}
	return groups, rows.Err()
}

// FindGroupMembers returns every group term's members.
func (s *UnitService) FindGroupMembers(ctx context.Context) (duban.Groups, error) {
	if _, err := duban.Authorize(ctx, "查看单位", duban.CanRead); err != nil {
		return nil, err
	}
	var groups duban.Groups
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		groups, err = groupMembers(tx)
		return err
	})
	return groups, err
}

// SetGroupMembers replaces the members of a group term.
func (s *UnitService) SetGroupMembers(ctx context.Context, id int64, members []int64) (*duban.Unit, error) {
	if _, err := duban.Authorize(ctx, "设置统称的成员", duban.CanManageDirectory); err != nil {
		return nil, err
	}
	var g *duban.Unit
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if g, err = findUnit(tx, id); err != nil {
			return err
		}
		before := *g
		var units []*duban.Unit
		for _, m := range members {
			u, err := findUnit(tx, m)
			if err != nil {
				return err
			}
			units = append(units, u)
		}
		if err := g.CheckMembers(units); err != nil {
			return err
		}
		if _, err := tx.Exec("DELETE FROM unit_members WHERE group_id = ?", id); err != nil {
			return err
		}
		for _, m := range members {
			if _, err := tx.Exec("INSERT INTO unit_members (group_id, unit_id) VALUES (?, ?)", id, m); err != nil {
				return err
			}
		}
		if _, err := tx.Exec("UPDATE units SET updated_at = ? WHERE id = ?", tx.Time(tx.Now()), id); err != nil {
			return err
		}
		if g, err = findUnit(tx, id); err != nil {
			return err
		}
		if err := tx.Record("unit.members", "unit", id, 0, duban.MembersSummary(g, units), before, g); err != nil {
			return err
		}
		g.History, err = unitHistory(tx, id)
		return err
	})
	return g, err
}

func unitHistory(tx *Tx, id int64) ([]duban.UnitEvent, error) {
	rows, err := tx.Query("SELECT at, kind, from_name, to_name, other_id FROM unit_events WHERE unit_id = ? ORDER BY id", id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []duban.UnitEvent
	for rows.Next() {
		var e duban.UnitEvent
		if err := rows.Scan(sqldb.TimeCol(&e.At), &e.Kind, &e.From, &e.To, sqldb.IDCol(&e.Other)); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// likePattern makes a LIKE pattern that finds s anywhere, with LIKE's own
// wildcards in s taken literally.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// CreateUnit adds a unit with its aliases.
func (s *UnitService) CreateUnit(ctx context.Context, u *duban.Unit) error {
	if _, err := duban.Authorize(ctx, "管理单位名录", duban.CanManageDirectory); err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		return createUnit(tx, u, "新建单位")
	})
}

// createUnit inserts a unit, its names and the event of its creation. why
// says what led to it in the audit log (新建单位, 发布计划时新建单位).
func createUnit(tx *Tx, u *duban.Unit, why string) error {
	for _, name := range append([]string{u.Name}, u.Aliases...) {
		if err := nameFree(tx, name, 0); err != nil {
			return err
		}
	}
	var err error
	u.CreatedAt, u.UpdatedAt, u.MergedInto = tx.Now(), tx.Now(), 0
	if u.Aliases == nil {
		u.Aliases = []string{}
	}
	u.ID, err = tx.Insert("INSERT INTO units (name, kind, created_at, updated_at) VALUES (?, ?, ?, ?)",
		u.Name, string(u.Kind), tx.Time(tx.Now()), tx.Time(tx.Now()))
	if err != nil {
		return err
	}
	if _, err := tx.Exec("INSERT INTO unit_names (name, unit_id, kind) VALUES (?, ?, 'name')", duban.NormalizeName(u.Name), u.ID); err != nil {
		return err
	}
	for _, a := range u.Aliases {
		if _, err := tx.Exec("INSERT INTO unit_names (name, unit_id, kind) VALUES (?, ?, 'alias')", duban.NormalizeName(a), u.ID); err != nil {
			return err
		}
	}
	if err := unitEvent(tx, u.ID, duban.UnitEventCreated, "", u.Name, 0); err != nil {
		return err
	}
	return tx.Record("unit.create", "unit", u.ID, 0, why+"："+u.Name, nil, u)
}

// nameFree returns ECONFLICT when name already means a unit other than id.
func nameFree(tx *Tx, name string, id int64) error {
	var owner int64
	var ownerName string
	err := tx.QueryRow("SELECT n.unit_id, u.name FROM unit_names n JOIN units u ON u.id = n.unit_id WHERE n.name = ?",
		duban.NormalizeName(name)).Scan(&owner, &ownerName)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case owner == id:
		return nil
	}
	return duban.Errorf(duban.ECONFLICT, "“%s”已是单位“%s”（#%d）的名称或别名：如果两者是同一单位，请在单位名录中把它们合并。", name, ownerName, owner)
}

func unitEvent(tx *Tx, unitID int64, kind duban.UnitEventKind, from, to string, other int64) error {
	_, err := tx.Exec("INSERT INTO unit_events (unit_id, at, kind, from_name, to_name, other_id) VALUES (?, ?, ?, ?, ?, ?)",
		unitID, tx.Time(tx.Now()), string(kind), from, to, sqldb.NullID(other))
	return err
}

// activeUnit returns a unit that may still change: one not merged into
// another.
func activeUnit(tx *Tx, id int64) (*duban.Unit, error) {
	u, err := findUnit(tx, id)
	if err != nil {
		return nil, err
	}
	if u.MergedInto != 0 {
		return nil, duban.Errorf(duban.ECONFLICT, "单位“%s”已合并到单位 #%d，不能再修改：请对合并后的单位操作。", u.Name, u.MergedInto)
	}
	return u, nil
}

// UpdateUnit renames a unit (the old name stays an alias) or changes its
// kind.
func (s *UnitService) UpdateUnit(ctx context.Context, id int64, upd duban.UnitUpdate) (*duban.Unit, error) {
	if _, err := duban.Authorize(ctx, "管理单位名录", duban.CanManageDirectory); err != nil {
		return nil, err
	}
	var u *duban.Unit
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if u, err = activeUnit(tx, id); err != nil {
			return err
		}
		before := *u
		summary := "修改单位：" + u.Name
		if upd.Kind != nil {
			groups, err := groupMembers(tx)
			if err != nil {
				return err
			}
			if err := u.CheckKind(*upd.Kind, groups); err != nil {
				return err
			}
			u.Kind = *upd.Kind
		}
		if upd.Name != nil && strings.TrimSpace(*upd.Name) != u.Name {
			newName := strings.TrimSpace(*upd.Name)
			if err := nameFree(tx, newName, id); err != nil {
				return err
			}
			oldName := u.Name
			u.Name = newName
			u.Aliases = slices.DeleteFunc(u.Aliases, func(a string) bool { return a == duban.NormalizeName(newName) })
			u.Aliases = append(u.Aliases, duban.NormalizeName(oldName))
			if err := u.Validate(); err != nil {
				return err
			}
			// The old name becomes an alias; the new one may have been one.
			if _, err := tx.Exec("UPDATE unit_names SET kind = 'alias' WHERE unit_id = ? AND kind = 'name'", id); err != nil {
				return err
			}
			if _, err := tx.Exec("DELETE FROM unit_names WHERE name = ?", duban.NormalizeName(newName)); err != nil {
				return err
			}
			if _, err := tx.Exec("INSERT INTO unit_names (name, unit_id, kind) VALUES (?, ?, 'name')", duban.NormalizeName(newName), id); err != nil {
				return err
			}
			if err := unitEvent(tx, id, duban.UnitRenamed, oldName, newName, 0); err != nil {
				return err
			}
			summary = "单位更名：" + oldName + " → " + newName
		}
		if err := u.Validate(); err != nil {
			return err
		}
		u.UpdatedAt = tx.Now()
		if _, err := tx.Exec("UPDATE units SET name = ?, kind = ?, updated_at = ? WHERE id = ?", u.Name, string(u.Kind), tx.Time(tx.Now()), id); err != nil {
			return err
		}
		if err := tx.Record("unit.update", "unit", id, 0, summary, before, u); err != nil {
			return err
		}
		u.History, err = unitHistory(tx, id)
		return err
	})
	return u, err
}

// AddUnitAlias makes another name mean the unit.
func (s *UnitService) AddUnitAlias(ctx context.Context, id int64, alias string) (*duban.Unit, error) {
	if _, err := duban.Authorize(ctx, "管理单位名录", duban.CanManageDirectory); err != nil {
		return nil, err
	}
	var u *duban.Unit
	err := s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if u, err = activeUnit(tx, id); err != nil {
			return err
		}
		key := duban.NormalizeName(alias)
		if key == duban.NormalizeName(u.Name) || slices.Contains(u.Aliases, key) {
			return duban.Errorf(duban.EINVALID, "“%s”已是单位“%s”的名称或别名。", alias, u.Name)
		}
		if err := nameFree(tx, alias, id); err != nil {
			return err
		}
		before := *u
		u.Aliases = append(u.Aliases, key)
		if err := u.Validate(); err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO unit_names (name, unit_id, kind) VALUES (?, ?, 'alias')", key, id); err != nil {
			return err
		}
		if err := unitEvent(tx, id, duban.UnitAliasAdded, "", key, 0); err != nil {
			return err
		}
		if err := tx.Record("unit.alias", "unit", id, 0, "单位别名："+key+" 即 "+u.Name, before, u); err != nil {
			return err
		}
		u.History, err = unitHistory(tx, id)
		return err
	})
	return u, err
}

// MergeUnits merges unit from into unit into. Task owners and clerks move to
// into; the names of from become aliases of into; both histories record it.
func (s *UnitService) MergeUnits(ctx context.Context, from, into int64) (*duban.Unit, error) {
	if _, err := duban.Authorize(ctx, "管理单位名录", duban.CanManageDirectory); err != nil {
		return nil, err
	}
	if from == into {
		return nil, duban.Errorf(duban.EINVALID, "不能把单位合并到它自己。")
	}
	var target *duban.Unit
	err := s.db.Update(ctx, func(tx *Tx) error {
		src, err := activeUnit(tx, from)
		if err != nil {
			return err
		}
		if target, err = activeUnit(tx, into); err != nil {
			return err
		}
		if err := duban.CheckMerge(src, target); err != nil {
			return err
		}
		before := map[string]*duban.Unit{"from": src, "into": target}
		// Memberships move too: the merged unit's place in groups (where into
		// is not a member already), and a merged group's members.
		for _, q := range []string{
			"DELETE FROM unit_members WHERE unit_id = ? AND group_id IN (SELECT group_id FROM unit_members WHERE unit_id = ?)",
			"DELETE FROM unit_members WHERE group_id = ? AND unit_id IN (SELECT unit_id FROM unit_members WHERE group_id = ?)",
		} {
			if _, err := tx.Exec(q, from, into); err != nil {
				return err
			}
		}
		if _, err := tx.Exec("DELETE FROM unit_members WHERE (group_id = ? AND unit_id = ?) OR (group_id = ? AND unit_id = ?)", from, into, into, from); err != nil {
			return err
		}
		for _, q := range []string{
			"UPDATE unit_members SET unit_id = ? WHERE unit_id = ?",
			"UPDATE unit_members SET group_id = ? WHERE group_id = ?",
			"UPDATE unit_names SET unit_id = ?, kind = 'alias' WHERE unit_id = ?",
			"UPDATE task_owners SET unit_id = ? WHERE unit_id = ?",
			"UPDATE users SET unit_id = ? WHERE unit_id = ?",
		} {
			if _, err := tx.Exec(q, into, from); err != nil {
				return err
			}
		}
		if _, err := tx.Exec("UPDATE units SET merged_into = ?, updated_at = ? WHERE id = ?", into, tx.Time(tx.Now()), from); err != nil {
			return err
		}
		if _, err := tx.Exec("UPDATE units SET updated_at = ? WHERE id = ?", tx.Time(tx.Now()), into); err != nil {
			return err
		}
		if err := unitEvent(tx, from, duban.UnitMergedInto, src.Name, target.Name, into); err != nil {
			return err
		}
		if err := unitEvent(tx, into, duban.UnitMergedIn, src.Name, target.Name, from); err != nil {
			return err
		}
		if target, err = findUnit(tx, into); err != nil {
			return err
		}
		if target.History, err = unitHistory(tx, into); err != nil {
			return err
		}
		return tx.Record("unit.merge", "unit", into, 0, "单位合并："+src.Name+" 并入 "+target.Name, before, target)
	})
	return target, err
}
