package sqldb_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"duban"
	"duban/sqldb"
)

// The contract tests run every case on both stores: SQLite in a temporary
// file, and PostgreSQL in a schema of its own on the server that
// DUBAN_TEST_POSTGRES names, so that tests run in parallel without seeing
// each other. In CI (CI=true) a PostgreSQL that is not configured or not
// reachable fails the run; elsewhere those tests are skipped with a note.

const postgresHint = "PostgreSQL 测试已跳过：设置 DUBAN_TEST_POSTGRES=postgres://用户:密码@主机:5432/数据库?sslmode=disable 以运行它们（.ci/run 会启动 PostgreSQL 并设置它）。"

// forEachDB runs a test on a fresh SQLite database and a fresh PostgreSQL
// schema, as parallel subtests.
func forEachDB(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var db *sqldb.DB
			if name == "sqlite" {
				db = MustOpenSQLite(t)
			} else {
				db = MustOpenPostgres(t)
			}
			test(t, db)
		})
	}
}

// dsns remembers the DSN each test database was opened with, so that a test
// can reach it with plain SQL (to tamper with the audit log).
var dsns sync.Map // *sqldb.DB → string

// MustOpenSQLite opens a new SQLite database in a temporary folder.
func MustOpenSQLite(t testing.TB) *sqldb.DB {
	t.Helper()
	return mustOpen(t, filepath.Join(t.TempDir(), "duban.db"))
}

func mustOpen(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	dsns.Store(db, dsn)
	t.Cleanup(func() { db.Close() })
	return db
}

// MustRawDB opens a plain database/sql handle on a test database, bypassing
// the store.
func MustRawDB(t testing.TB, db *sqldb.DB) *sql.DB {
	t.Helper()
	dsn, _ := dsns.Load(db)
	driver := "sqlite"
	if db.Dialect() == "postgres" {
		driver = "pgx"
	}
	raw, err := sql.Open(driver, dsn.(string))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// postgresServer is the connection to the test server, made once.
var postgresServer struct {
	once sync.Once
	url  string
	db   *sql.DB
	err  error
}

// MustPostgresURL returns the test server's URL, failing in CI and skipping
// elsewhere when there is none.
func MustPostgresURL(t testing.TB) (string, *sql.DB) {
	t.Helper()
	s := &postgresServer
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
		t.Fatal("CI=true 但没有设置 DUBAN_TEST_POSTGRES：CI 必须在 PostgreSQL 上运行存储测试。")
	case s.url == "":
		t.Skip(postgresHint)
	case s.err != nil && ci:
		t.Fatalf("无法连接 DUBAN_TEST_POSTGRES（%s）：%v", sqldb.RedactDSN(s.url), s.err)
	case s.err != nil:
		t.Skipf("无法连接 DUBAN_TEST_POSTGRES（%s）：%v。%s", sqldb.RedactDSN(s.url), s.err, postgresHint)
	}
	return s.url, s.db
}

// MustOpenPostgres opens the test server in a new schema of its own, dropped
// when the test ends.
func MustOpenPostgres(t testing.TB) *sqldb.DB {
	t.Helper()
	base, admin := MustPostgresURL(t)
	schema := "test_" + randomHex(8)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return mustOpen(t, withSearchPath(t, base, schema))
}

func withSearchPath(t testing.TB, base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// The users the tests act as.
var (
	office = &duban.User{ID: 1, Name: "office", DisplayName: "督办室", Role: duban.RoleAdmin}
	viewer = &duban.User{ID: 2, Name: "viewer", Role: duban.RoleViewer}
)

// as returns a context acting as u.
func as(u *duban.User) context.Context {
	return duban.NewContextWithUser(context.Background(), u)
}

// MustReadGold returns the hand-checked reading of the sample notice.
func MustReadGold(t testing.TB) *duban.Reading {
	t.Helper()
	data, err := os.ReadFile("../testdata/lixia-2022.reading.json")
	if err != nil {
		t.Fatal(err)
	}
	var r duban.Reading
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// MustImport imports a reading as a new draft and returns it.
func MustImport(t testing.TB, db *sqldb.DB, r *duban.Reading, name string) *duban.Plan {
	t.Helper()
	data, _ := json.Marshal(r)
	res, err := sqldb.NewPlanService(db).ImportPlan(as(office), duban.ImportInput{Name: name, Data: data, Reading: r})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != duban.ImportCreated {
		t.Fatalf("import %s: got outcome %q, want created", name, res.Outcome)
	}
	return res.Plan
}

// MustPublish dismisses a draft's open statements and publishes it.
func MustPublish(t testing.TB, db *sqldb.DB, planID int64) *duban.Plan {
	t.Helper()
	tasks := sqldb.NewTaskService(db)
	open := duban.StatementOpen
	sts, _, err := tasks.FindStatements(as(office), duban.StatementFilter{PlanID: &planID, State: &open})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sts {
		if _, err := tasks.DismissStatement(as(office), st.ID, "测试：无需分配"); err != nil {
			t.Fatal(err)
		}
	}
	p, err := sqldb.NewPlanService(db).PublishPlan(as(office), planID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// MustFindTask returns the task of a plan with the given number.
func MustFindTask(t testing.TB, db *sqldb.DB, planID int64, no string) *duban.Task {
	t.Helper()
	tasks, _, err := sqldb.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &planID})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		if task.No == no {
			return task
		}
	}
	t.Fatalf("plan %d has no task %s", planID, no)
	return nil
}

// MustVerifyAudit checks the audit chain and returns how many events it has.
func MustVerifyAudit(t testing.TB, db *sqldb.DB) int64 {
	t.Helper()
	v, err := sqldb.NewAuditService(db).VerifyAudit(as(office))
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() {
		t.Fatalf("audit chain broken: %+v", v.Problems)
	}
	return v.Events
}

// wantCode fails the test unless err has the code.
func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if got := duban.ErrorCode(err); got != code {
		t.Errorf("%s: got code %q (%v), want %q", what, got, err, code)
	}
}

func ptr[T any](v T) *T { return &v }
