package accountstore_test

import (
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

func TestUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		users := accountstore.NewUserService(db)
		unit := &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}
		if err := ledgerstore.NewUnitService(db).CreateUnit(as(office), unit); err != nil {
			t.Fatal(err)
		}
		clerk := &duban.User{Name: "caizheng", DisplayName: "财政局联络员", Role: duban.RoleClerk, UnitID: unit.ID}
		if err := users.CreateUser(as(office), clerk); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			user *duban.User
			code string
		}{
			{"name taken", &duban.User{Name: "caizheng", Role: duban.RoleViewer}, duban.ECONFLICT},
			{"clerk of no unit", &duban.User{Name: "x1", Role: duban.RoleClerk}, duban.EINVALID},
			{"clerk of a missing unit", &duban.User{Name: "x2", Role: duban.RoleClerk, UnitID: 999}, duban.ENOTFOUND},
			{"leader account of a missing leader", &duban.User{Name: "x3", Role: duban.RoleLeader, LeaderID: 999}, duban.ENOTFOUND},
		} {
			wantCode(t, c.name, users.CreateUser(as(office), c.user), c.code)
		}
		wantCode(t, "created by a viewer", users.CreateUser(as(viewer), &duban.User{Name: "v2", Role: duban.RoleViewer}), duban.EFORBIDDEN)

		self := &duban.User{ID: clerk.ID, Name: clerk.Name, Role: duban.RoleClerk, UnitID: unit.ID}
		if got, err := users.FindUserByID(as(self), clerk.ID); err != nil || got.DisplayName != "财政局联络员" {
			t.Errorf("own account: got %+v, %v", got, err)
		}
		_, err := users.FindUserByID(as(viewer), clerk.ID)
		wantCode(t, "another's account", err, duban.EFORBIDDEN)

		got, err := users.UpdateUser(as(office), clerk.ID, duban.UserUpdate{Role: ptr(duban.RoleViewer), UnitID: ptr(int64(0)), Disabled: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Role != duban.RoleViewer || got.UnitID != 0 || !got.Disabled {
			t.Errorf("after update: got %+v", got)
		}
		_, err = users.UpdateUser(as(office), clerk.ID, duban.UserUpdate{Role: ptr(duban.RoleClerk)})
		wantCode(t, "clerk without unit", err, duban.EINVALID)
		list, n, err := users.FindUsers(as(office), duban.UserFilter{Role: ptr(duban.RoleViewer)})
		if err != nil || n != 1 || list[0].Name != "caizheng" {
			t.Errorf("viewers: got %d %+v (%v)", n, list, err)
		}
		MustVerifyAudit(t, db)
	})
}
