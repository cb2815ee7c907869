package accountstore

import (
	"context"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// UserService keeps the accounts.
type UserService struct{ db *sqldb.DB }

// NewUserService returns the accounts of db.
func NewUserService(db *sqldb.DB) *UserService { return &UserService{db: db} }

var _ duban.UserService = (*UserService)(nil)

// canSeeUser lets the office see every account and a user their own.
func canSeeUser(id int64) func(*duban.User) bool {
	return func(u *duban.User) bool { return duban.CanManageUsers(u) || u.ID == id }
}

// FindUserByID returns one user: any user to the office, a user's own
// account to that user.
func (s *UserService) FindUserByID(ctx context.Context, id int64) (*duban.User, error) {
	if _, err := duban.Authorize(ctx, "查看账号", canSeeUser(id)); err != nil {
		return nil, err
	}
	var u *duban.User
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		u, err = findUser(tx, id)
		return err
	})
	return u, err
}

// FindUsers returns accounts by name.
func (s *UserService) FindUsers(ctx context.Context, f duban.UserFilter) ([]*duban.User, int, error) {
	if _, err := duban.Authorize(ctx, "查看账号", duban.CanManageUsers); err != nil {
		return nil, 0, err
	}
	var users []*duban.User
	var total int
	err := s.db.View(ctx, func(tx *Tx) error {
		var err error
		users, total, err = findUsers(tx, f)
		return err
	})
	return users, total, err
}

func findUser(tx *Tx, id int64) (*duban.User, error) {
	users, _, err := findUsers(tx, duban.UserFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, sqldb.NotFound("账号", id)
	}
	return users[0], nil
}

func findUsers(tx *Tx, f duban.UserFilter) ([]*duban.User, int, error) {
	var conds []string
	var args []any
	if f.ID != nil {
		conds, args = append(conds, "id = ?"), append(args, *f.ID)
	}
	if f.Name != nil {
		conds, args = append(conds, "name = ?"), append(args, *f.Name)
	}
	if f.Role != nil {
		conds, args = append(conds, "role = ?"), append(args, string(*f.Role))
	}
	if f.UnitID != nil {
		conds, args = append(conds, "unit_id = ?"), append(args, *f.UnitID)
	}
	total, err := tx.Count("SELECT count(*) FROM users"+sqldb.Where(conds), args...)
	if err != nil {
		return nil, 0, err
	}
	page, pargs := tx.Limit(f.Limit, f.Offset)
	rows, err := tx.Query("SELECT "+userColumns("")+" FROM users"+sqldb.Where(conds)+" ORDER BY name"+page, append(args, pargs...)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*duban.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// userColumns lists the columns scanUser reads, of the table alias a ("u."),
// or unqualified for "". The password hash is not among them: it is read
// only to check a password.
func userColumns(a string) string {
	cols := []string{"id", "name", "display_name", "role", "unit_id", "leader_id", "disabled", "created_at", "updated_at"}
	for i, c := range cols {
		cols[i] = a + c
	}
	return strings.Join(cols, ", ")
}

// scanUser reads the columns of userColumns, and any after them into more.
func scanUser(sc interface{ Scan(...any) error }, more ...any) (*duban.User, error) {
	var u duban.User
	dst := append([]any{&u.ID, &u.Name, &u.DisplayName, &u.Role, sqldb.IDCol(&u.UnitID), sqldb.IDCol(&u.LeaderID), &u.Disabled,
		sqldb.TimeCol(&u.CreatedAt), sqldb.TimeCol(&u.UpdatedAt)}, more...)
	if err := sc.Scan(dst...); err != nil {
		return nil, err
	}
	return &u, nil
}

// checkBindings makes sure a clerk's unit and a leader account's leader
// exist, and that the unit is a single unit in its own right: not merged
// away, not a group term.
func checkBindings(tx *Tx, u *duban.User) error {
	if u.UnitID != 0 {
		unit, err := ledgerstore.FindUnit(tx, u.UnitID)
		if err != nil {
			return err
		}
		if unit.MergedInto != 0 {
			return duban.Errorf(duban.EINVALID, "单位“%s”已合并到单位 #%d：请绑定合并后的单位。", unit.Name, unit.MergedInto)
		}
		if unit.Kind == duban.UnitGroup {
			return duban.Errorf(duban.EINVALID, "“%s”是统称（泛指多个单位），不是一个单位：联络员请绑定具体单位，写给统称的任务会到达它的每个成员。", unit.Name)
		}
	}
	if u.LeaderID != 0 {
		if _, err := ledgerstore.FindLeader(tx, u.LeaderID); err != nil {
			return err
		}
	}
	return nil
}

// CreateUser adds an account.
func (s *UserService) CreateUser(ctx context.Context, u *duban.User) error {
	if _, err := duban.Authorize(ctx, "管理账号", duban.CanManageUsers); err != nil {
		return err
	}
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	if err := u.Validate(); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *Tx) error {
		if err := checkBindings(tx, u); err != nil {
			return err
		}
		if n, err := tx.Count("SELECT count(*) FROM users WHERE name = ?", u.Name); err != nil || n > 0 {
			if err != nil {
				return err
			}
			return duban.Errorf(duban.ECONFLICT, "登录名“%s”已被使用：请换一个。", u.Name)
		}
		u.CreatedAt, u.UpdatedAt = tx.Now(), tx.Now()
		var err error
		if u.ID, err = tx.Insert(`INSERT INTO users (name, display_name, role, unit_id, leader_id, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Name, u.DisplayName, string(u.Role), sqldb.NullID(u.UnitID), sqldb.NullID(u.LeaderID), u.Disabled,
			tx.Time(tx.Now()), tx.Time(tx.Now())); err != nil {
			return err
		}
		return tx.Record("user.create", "user", u.ID, 0, "新建账号："+u.Label()+"，角色"+u.Role.Label(), nil, u)
	})
}

// UpdateUser changes an account.
func (s *UserService) UpdateUser(ctx context.Context, id int64, upd duban.UserUpdate) (*duban.User, error) {
	actor, err := duban.Authorize(ctx, "管理账号", duban.CanManageUsers)
	if err != nil {
		return nil, err
	}
	// An administrator cannot lock themselves out: another one has to.
	if actor.ID == id && ((upd.Disabled != nil && *upd.Disabled) || (upd.Role != nil && *upd.Role != duban.RoleAdmin)) {
		return nil, duban.Errorf(duban.ECONFLICT, "不能停用自己的账号，也不能取消自己的管理员角色：请由另一位管理员操作。")
	}
	var u *duban.User
	err = s.db.Update(ctx, func(tx *Tx) error {
		var err error
		if u, err = findUser(tx, id); err != nil {
			return err
		}
		before := *u
		if upd.DisplayName != nil {
			u.DisplayName = strings.TrimSpace(*upd.DisplayName)
		}
		if upd.Role != nil {
			u.Role = *upd.Role
		}
		if upd.UnitID != nil {
			u.UnitID = *upd.UnitID
		}
		if upd.LeaderID != nil {
			u.LeaderID = *upd.LeaderID
		}
		if upd.Disabled != nil {
			u.Disabled = *upd.Disabled
		}
		if err := u.Validate(); err != nil {
			return err
		}
		if err := checkBindings(tx, u); err != nil {
			return err
		}
		u.UpdatedAt = tx.Now()
		if _, err := tx.Exec("UPDATE users SET display_name = ?, role = ?, unit_id = ?, leader_id = ?, disabled = ?, updated_at = ? WHERE id = ?",
			u.DisplayName, string(u.Role), sqldb.NullID(u.UnitID), sqldb.NullID(u.LeaderID), u.Disabled, tx.Time(tx.Now()), id); err != nil {
			return err
		}
		summary := "修改账号：" + u.Label()
		if u.Disabled && !before.Disabled {
			// A disabled account is signed out everywhere at once, and its
			// tokens end for good.
			if summary, err = endAccess(tx, u, "停用账号："+u.Label()); err != nil {
				return err
			}
		}
		return tx.Record("user.update", "user", id, 0, summary, &before, u)
	})
	return u, err
}
