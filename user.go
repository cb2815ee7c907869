package duban

import (
	"context"
	"regexp"
	"time"
	"unicode/utf8"
)

// Role is what a user may do. The office runs the ledger; leaders read it and
// comment; a unit clerk reports for one unit; a viewer only reads.
type Role string

// The roles.
const (
	RoleAdmin  Role = "admin"  // 督查室管理员: everything
	RoleLeader Role = "leader" // 领导: reads everything, comments
	RoleClerk  Role = "clerk"  // 单位联络员: reads everything, writes only its unit's work
	RoleViewer Role = "viewer" // 查看者: reads
)

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleLeader || r == RoleClerk || r == RoleViewer
}

// Label is the role's name as users read it.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "督查室管理员"
	case RoleLeader:
		return "领导"
	case RoleClerk:
		return "单位联络员"
	case RoleViewer:
		return "查看者"
	}
	return string(r)
}

// User is someone who signs in. A clerk is bound to the unit it reports for
// and a leader account to the leader it is, so that permissions follow from
// the tasks' owners.
type User struct {
	ID int64 `json:"id"`
	// Name is the sign-in name: letters, digits, '.', '_' or '-'.
	Name string `json:"name"`
	// DisplayName is how the user is shown, usually a person's name.
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	UnitID      int64  `json:"unit_id,omitempty"`   // clerks only
	LeaderID    int64  `json:"leader_id,omitempty"` // leader accounts only
	Disabled    bool   `json:"disabled,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

var userNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$`)

// Validate checks a user's names, role and bindings.
func (u *User) Validate() error {
	switch {
	case !userNameRE.MatchString(u.Name):
		return Errorf(EINVALID, "登录名“%s”不正确：请用 2 到 64 个字母、数字、点、下划线或连字符，以字母或数字开头。", u.Name)
	case utf8.RuneCountInString(u.DisplayName) > 100:
		return Errorf(EINVALID, "显示名称过长（超过 100 字）。")
	case !u.Role.Valid():
		return Errorf(EINVALID, "角色 %q 不正确：应为 admin（督查室管理员）、leader（领导）、clerk（单位联络员）或 viewer（查看者）。", u.Role)
	case u.Role == RoleClerk && u.UnitID == 0:
		return Errorf(EINVALID, "单位联络员需要指定所属单位。")
	case u.Role != RoleClerk && u.UnitID != 0:
		return Errorf(EINVALID, "只有单位联络员可以绑定单位。")
	case u.Role == RoleLeader && u.LeaderID == 0:
		return Errorf(EINVALID, "领导账号需要对应一位领导。")
	case u.Role != RoleLeader && u.LeaderID != 0:
		return Errorf(EINVALID, "只有领导账号可以对应领导。")
	}
	return nil
}

// Label is how the user is named in lists and the audit log.
func (u *User) Label() string {
	if u.DisplayName != "" {
		return u.DisplayName + "（" + u.Name + "）"
	}
	return u.Name
}

type userKey struct{}

// NewContextWithUser returns a context carrying the user on whose behalf a
// request runs. Services read it to check permissions and to record who made
// each change.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFromContext returns the user in ctx, or nil when nobody is signed in.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// UserFilter selects users. Nil fields do not filter; Limit 0 means no limit.
type UserFilter struct {
	ID     *int64
	Name   *string
	Role   *Role
	UnitID *int64

	Offset int
	Limit  int
}

// UserUpdate changes a user. Nil fields are left as they are; the result is
// validated as a whole, so a role and its binding change together.
type UserUpdate struct {
	DisplayName *string `json:"display_name,omitempty"`
	Role        *Role   `json:"role,omitempty"`
	UnitID      *int64  `json:"unit_id,omitempty"`
	LeaderID    *int64  `json:"leader_id,omitempty"`
	Disabled    *bool   `json:"disabled,omitempty"`
}

// UserService keeps the accounts. Changes are the office's.
type UserService interface {
	// FindUserByID returns one user.
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// FindUsers returns the users matching the filter, by name, and how many
	// match in all.
	FindUsers(ctx context.Context, filter UserFilter) ([]*User, int, error)
	// CreateUser adds a user and sets its ID.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser changes a user's name shown, role, binding or access.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)
}
