package ledgerstore_test

import (
	"database/sql"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// The contract tests run every case on both stores: SQLite in a temporary
// file, and PostgreSQL in a schema of its own (package sqldbtest).

// forEachDB runs a test on a fresh SQLite database and a fresh PostgreSQL
// schema, as parallel subtests.
func forEachDB(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.ForEachDB(t, test)
}

func mustOpen(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	return sqldbtest.MustOpen(t, dsn)
}

// MustRawDB opens a plain database/sql handle on a test database, bypassing
// the store.
func MustRawDB(t testing.TB, db *sqldb.DB) *sql.DB {
	t.Helper()
	dsn := sqldbtest.DSNOf(db)
	driver := "sqlite"
	if db.Dialect() == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// The users the tests act as, and the helpers every store's tests share,
// said shortly.
var (
	office   = sqldbtest.Office
	viewer   = sqldbtest.Viewer
	as       = sqldbtest.As
	wantCode = sqldbtest.WantCode
)

// MustReadGold returns the hand-checked reading of the sample notice.
func MustReadGold(t testing.TB) *duban.Reading {
	t.Helper()
	return sqldbtest.MustReadGold(t)
}

// MustImport imports a reading as a new draft and returns it.
func MustImport(t testing.TB, db *sqldb.DB, r *duban.Reading, name string) *duban.Plan {
	t.Helper()
	return sqldbtest.MustImport(t, db, office, r, name)
}

// MustPublish dismisses a draft's open statements and publishes it.
func MustPublish(t testing.TB, db *sqldb.DB, planID int64) *duban.Plan {
	t.Helper()
	return sqldbtest.MustPublish(t, db, office, planID)
}

// MustFindTask returns the task of a plan with the given number.
func MustFindTask(t testing.TB, db *sqldb.DB, planID int64, no string) *duban.Task {
	t.Helper()
	return sqldbtest.MustFindTask(t, db, office, planID, no)
}

// MustCreateUser stores an account with a password and returns it.
func MustCreateUser(t testing.TB, db *sqldb.DB, u *duban.User, pw string) *duban.User {
	t.Helper()
	return sqldbtest.MustCreateUser(t, db, office, u, pw)
}

// MustVerifyAudit checks the audit chain and returns how many events it has.
func MustVerifyAudit(t testing.TB, db *sqldb.DB) int64 {
	t.Helper()
	return sqldbtest.MustVerifyAudit(t, db, office)
}

func ptr[T any](v T) *T { return &v }
