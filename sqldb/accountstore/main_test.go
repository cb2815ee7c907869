package accountstore_test

import (
	"testing"

	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// The contract tests run every case on both stores: SQLite in a temporary
// file, and PostgreSQL in a schema of its own (package sqldbtest).

func forEachDB(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.ForEachDB(t, test)
}

// The users the tests act as, and the helpers every store's tests share,
// said shortly.
var (
	office   = sqldbtest.Office
	viewer   = sqldbtest.Viewer
	as       = sqldbtest.As
	wantCode = sqldbtest.WantCode
)

// MustVerifyAudit checks the audit chain and returns how many events it has.
func MustVerifyAudit(t testing.TB, db *sqldb.DB) int64 {
	t.Helper()
	return sqldbtest.MustVerifyAudit(t, db, office)
}

func ptr[T any](v T) *T { return &v }
