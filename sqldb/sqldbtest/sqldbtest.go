// Package sqldbtest gives tests real databases: a SQLite file in a
// temporary folder, or a schema of its own on the PostgreSQL server that
// DUBAN_TEST_POSTGRES names, so that tests run in parallel without seeing
// each other; and the steps every store test takes on them (publishing a
// plan, verifying the audit chain). In CI (CI=true) a PostgreSQL that is not configured or not
// reachable fails the test; elsewhere the test is skipped with a note.
package sqldbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

const postgresHint = "PostgreSQL 测试已跳过：设置 DUBAN_TEST_POSTGRES=postgres://用户:密码@主机:5432/数据库?sslmode=disable 以运行它们（.ci/run 会启动 PostgreSQL 并设置它）。"

// server is the connection to the test server, made once per test binary.
var server struct {
	once sync.Once
	url  string
	db   *sql.DB
	err  error
}

// PostgresURL returns the test server's URL and a connection to it, failing
// in CI and skipping elsewhere when there is none.
func PostgresURL(t testing.TB) (string, *sql.DB) {
	t.Helper()
	s := &server
	s.once.Do(func() {
		s.url = os.Getenv("DUBAN_TEST_POSTGRES")
		if s.url == "" {
			return
		}
		if s.db, s.err = sql.Open("pgx", s.url); s.err == nil {
			s.err = s.db.PingContext(context.Background())
		}
	})
	ci := os.Getenv("CI") == "true"
	switch {
	case s.url == "" && ci:
		t.Fatal("CI=true 但没有设置 DUBAN_TEST_POSTGRES：CI 必须在 PostgreSQL 上运行这些测试。")
	case s.url == "":
		t.Skip(postgresHint)
	case s.err != nil && ci:
		t.Fatalf("无法连接 DUBAN_TEST_POSTGRES（%s）：%v", sqldb.RedactDSN(s.url), s.err)
	case s.err != nil:
		t.Skipf("无法连接 DUBAN_TEST_POSTGRES（%s）：%v。%s", sqldb.RedactDSN(s.url), s.err, postgresHint)
	}
	return s.url, s.db
}

// PostgresDSN makes a new schema on the test server, dropped when the test
// ends, and returns a DSN whose connections work in it. Several stores
// opened on the DSN share the schema, as several servers share a database.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base, admin := PostgresURL(t)
	b := make([]byte, 8)
	rand.Read(b)
	schema := "test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// SQLiteDSN returns the path of a new SQLite file in a temporary folder.
func SQLiteDSN(t testing.TB) string {
	return filepath.Join(t.TempDir(), "duban.db")
}

// MustPublish marks a draft's open statements as needing no owner and
// publishes it, acting as office.
func MustPublish(t testing.TB, db *sqldb.DB, office *duban.User, planID int64) *duban.Plan {
	t.Helper()
	ctx := duban.NewContextWithUser(context.Background(), office)
	tasks := sqldb.NewTaskService(db)
	open := duban.StatementOpen
	sts, _, err := tasks.FindStatements(ctx, duban.StatementFilter{PlanID: &planID, State: &open})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if _, err := tasks.DismissStatement(ctx, st.ID, "测试：无需分配"); err != nil {
			t.Fatal(err)
		}
	}
	p, err := sqldb.NewPlanService(db).PublishPlan(ctx, planID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// MustVerifyAudit checks the audit chain, acting as office, and returns how
// many events it has.
func MustVerifyAudit(t testing.TB, db *sqldb.DB, office *duban.User) int64 {
	t.Helper()
	v, err := sqldb.NewAuditService(db).VerifyAudit(duban.NewContextWithUser(context.Background(), office))
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Fatalf("audit chain broken: %+v", v.Problems)
	}
	return v.Events
}

// opened remembers the DSN each store was opened with by MustOpen.
var opened sync.Map // *sqldb.DB → string

// MustOpen opens the store a DSN names, closed when the test ends, and
// remembers the DSN (DSNOf), so that a test can open it again, as a second
// server would, or reach it with plain SQL.
func MustOpen(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	opened.Store(db, dsn)
	t.Cleanup(func() { db.Close() })
	return db
}

// DSNOf returns the DSN a store was opened with by MustOpen.
func DSNOf(db *sqldb.DB) string {
	dsn, _ := opened.Load(db)
	s, _ := dsn.(string)
	return s
}

// ForEachDB runs a contract test on a fresh SQLite file and a fresh
// PostgreSQL schema, as parallel subtests named sqlite and postgres.
func ForEachDB(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var dsn string
			if name == "sqlite" {
				dsn = SQLiteDSN(t)
			} else {
				dsn = PostgresDSN(t)
			}
			test(t, MustOpen(t, dsn))
		})
	}
}

// ReportCPU reports a benchmark's CPU time a loop (cpu-ms/op), from start,
// CPU() read before its loop: on a machine that other programs load the
// wall time grows with their load, the CPU time the work takes much less.
// The process's other goroutines (the garbage collector's too) count.
func ReportCPU(b *testing.B, start time.Duration) {
	if start == 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(CPU()-start)/float64(b.N)/1e6, "cpu-ms/op")
}
