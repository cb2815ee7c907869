package accountstore_test

import (
	"context"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// The contract tests run every case on both stores: SQLite in a temporary
// file, and PostgreSQL in a schema of its own (package sqldbtest).

func forEachDB(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.ForEachDB(t, test)
}

// The users the tests act as.
var (
	office = &duban.User{ID: 1000, Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin} // an ID no stored account has
	viewer = &duban.User{ID: 2, Name: "viewer", Role: duban.RoleViewer}
)

// as returns a context acting as u.
func as(u *duban.User) context.Context {
	return duban.NewContextWithUser(context.Background(), u)
}

// MustVerifyAudit checks the audit chain and returns how many events it has.
func MustVerifyAudit(t testing.TB, db *sqldb.DB) int64 {
	t.Helper()
	return sqldbtest.MustVerifyAudit(t, db, office)
}

// wantCode fails the test unless err has the code.
func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := duban.ErrorCode(err); got != code {
		t.Errorf("%s: got code %q (%v), want %q", what, got, err, code)
	}
}

func ptr[T any](v T) *T { return &v }
