package web_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// The tests run the real server over a real SQLite store holding the
// sample notice, published, and a draft of it, with an account for each
// role. The store is built once per test binary and copied for each test,
// so that a test may change what it likes.

// fastHasher hashes passwords with argon2id at its lowest cost.
var fastHasher = auth.NewHasher(auth.Params{Time: 1, Memory: 64, Threads: 1})

// testPolicy throttles after 3 failures per account, 6 per address.
var testPolicy = func() duban.AuthPolicy {
	p := duban.DefaultAuthPolicy
	p.MaxAccountFailures, p.MaxAddressFailures = 3, 6
	return p
}()

// The roles the tests act as, by account name. clerk reports for the unit
// of world.Task; otherClerk for a unit with no part in it.
const (
	admin      = "office"
	leader     = "wuyi"
	clerk      = "caizheng"
	otherClerk = "jiaoti"
	viewer     = "viewer"
	nobody     = ""
)

// roles lists the roles, nobody first.
var roles = []string{nobody, viewer, otherClerk, clerk, leader, admin}

func password(name string) string { return "password-of-" + name }

// world is one test's server and what is in its store.
type world struct {
	t      *testing.T
	db     *sqldb.DB
	server *web.Server
	http   *httptest.Server
	log    *webtest.Buffer

	Plan      *duban.Plan // the published sample
	Draft     *duban.Plan // a draft of the sample under another title
	Task      *duban.Task // a task of the published plan that 区财政局 leads or shares
	OtherTask *duban.Task // a task of the published plan 区财政局 has no part in
	Users     map[string]*duban.User
	Token     *duban.APIToken // an API token of the viewer
	Secret    string          // its secret
	Statement *duban.Statement
}

// fixture is what the template store holds, by ID.
type fixture struct {
	Plan, Draft, Task, OtherTask, Statement int64
	Users                                   map[string]int64
	Token                                   int64
	Secret                                  string
}

var templateDB struct {
	once sync.Once
	path string
	fix  fixture
	err  error
}

// officeCtx acts as the office, which sees drafts too; readerCtx as a
// reader, who sees what is published.
var (
	officeCtx = duban.NewContextWithUser(context.Background(), &duban.User{ID: 1 << 40, Name: "test", Role: duban.RoleAdmin})
	readerCtx = duban.NewContextWithUser(context.Background(), &duban.User{ID: 1<<40 + 1, Name: "reader", Role: duban.RoleViewer})
)

// buildTemplate makes the store every test copies.
func buildTemplate() (string, fixture, error) {
	var fix fixture
	dir, err := os.MkdirTemp("", "duban-web-test-")
	if err != nil {
		return "", fix, err
	}
	path := filepath.Join(dir, "template.db")
	db, err := sqldb.Open(context.Background(), path)
	if err != nil {
		return "", fix, err
	}
	defer db.Close()
	svc := services(db)
	res, err := demo.Load(officeCtx, demo.Services{Plans: svc.Plans, Tasks: svc.Tasks, Units: svc.Units})
	if err != nil {
		return "", fix, err
	}
	fix.Plan = res.Plan.ID
	// The draft: the sample's reading under another title.
	r, err := readSample()
	if err != nil {
		return "", fix, err
	}
	r.Document.Title, r.Document.DocNumber = "草稿：2022 年任务分解（复核中）", "历下政办字〔2022〕99号"
	data, _ := json.Marshal(r)
	imp, err := svc.Plans.ImportPlan(officeCtx, duban.ImportInput{Name: "draft.json", Data: data, Reading: r})
	if err != nil {
		return "", fix, err
	}
	fix.Draft = imp.Plan.ID
	open := duban.StatementOpen
	sts, _, err := svc.Tasks.FindStatements(officeCtx, duban.StatementFilter{PlanID: &fix.Draft, State: &open, Limit: 1})
	if err != nil {
		return "", fix, err
	}
	fix.Statement = sts[0].ID

	caizheng, err := unitNamed(svc, "区财政局")
	if err != nil {
		return "", fix, err
	}
	tasks, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &fix.Plan})
	if err != nil {
		return "", fix, err
	}
	var other *duban.Unit
	for _, t := range tasks {
		switch {
		case fix.Task == 0 && t.HasUnit(caizheng.ID):
			fix.Task = t.ID
		case fix.OtherTask == 0 && !t.HasUnit(caizheng.ID) && len(t.LeadUnits) > 0 && t.LeadUnits[0].ID != 0:
			fix.OtherTask = t.ID
			if other, err = svc.Units.FindUnitByID(officeCtx, t.LeadUnits[0].ID); err != nil {
				return "", fix, err
			}
		}
	}
	leaders, _, err := svc.Leaders.FindLeaders(officeCtx, duban.LeaderFilter{Name: ref("武毅")})
	if err != nil {
		return "", fix, err
	}
	fix.Users = map[string]int64{}
	for _, u := range []*duban.User{
		{Name: admin, DisplayName: "督办室", Role: duban.RoleAdmin},
		{Name: leader, DisplayName: "武毅", Role: duban.RoleLeader, LeaderID: leaders[0].ID},
		{Name: clerk, DisplayName: "区财政局联络员", Role: duban.RoleClerk, UnitID: caizheng.ID},
		{Name: otherClerk, DisplayName: other.Name + "联络员", Role: duban.RoleClerk, UnitID: other.ID},
		{Name: viewer, DisplayName: "查看者", Role: duban.RoleViewer},
	} {
		if err := svc.Users.CreateUser(officeCtx, u); err != nil {
			return "", fix, err
		}
		if err := svc.Auth.SetPassword(officeCtx, u.ID, password(u.Name)); err != nil {
			return "", fix, err
		}
		fix.Users[u.Name] = u.ID
	}
	tok := &duban.APIToken{UserID: fix.Users[viewer], Name: "测试脚本"}
	if fix.Secret, err = svc.Auth.CreateAPIToken(officeCtx, tok); err != nil {
		return "", fix, err
	}
	fix.Token = tok.ID
	return path, fix, nil
}

func readSample() (*duban.Reading, error) {
	data, err := os.ReadFile("../testdata/lixia-2022.reading.json")
	if err != nil {
		return nil, err
	}
	var r duban.Reading
	return &r, json.Unmarshal(data, &r)
}

func unitNamed(svc web.Services, name string) (*duban.Unit, error) {
	units, _, err := svc.Units.FindUnits(officeCtx, duban.UnitFilter{Name: &name})
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "no unit %s", name)
	}
	return units[0], nil
}

func services(db *sqldb.DB) web.Services {
	return web.Services{
		Plans: sqldb.NewPlanService(db), Tasks: sqldb.NewTaskService(db), Units: sqldb.NewUnitService(db),
		Leaders: sqldb.NewLeaderService(db), Users: sqldb.NewUserService(db), Audit: sqldb.NewAuditService(db),
		Auth: sqldb.NewAuthService(db, fastHasher, testPolicy), Comments: sqldb.NewCommentService(db),
	}
}

// newWorld copies the template store and serves it.
func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, web.Config{})
}

func newWorldWith(t *testing.T, cfg web.Config) *world {
	t.Helper()
	templateDB.once.Do(func() { templateDB.path, templateDB.fix, templateDB.err = buildTemplate() })
	if templateDB.err != nil {
		t.Fatal(templateDB.err)
	}
	path := filepath.Join(t.TempDir(), "duban.db")
	if err := copyFile(templateDB.path, path); err != nil {
		t.Fatal(err)
	}
	db, err := sqldb.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	w := &world{t: t, db: db, log: &webtest.Buffer{}, Users: map[string]*duban.User{}}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(w.log, nil))
	}
	svc := services(db)
	if w.server, err = web.New(cfg, svc); err != nil {
		t.Fatal(err)
	}
	w.http = httptest.NewServer(w.server.Handler())
	t.Cleanup(w.http.Close)
	fix := templateDB.fix
	get := func(dst **duban.Plan, id int64) {
		if *dst, err = svc.Plans.FindPlanByID(officeCtx, id); err != nil {
			t.Fatal(err)
		}
	}
	get(&w.Plan, fix.Plan)
	get(&w.Draft, fix.Draft)
	if w.Task, err = svc.Tasks.FindTaskByID(officeCtx, fix.Task); err != nil {
		t.Fatal(err)
	}
	if w.OtherTask, err = svc.Tasks.FindTaskByID(officeCtx, fix.OtherTask); err != nil {
		t.Fatal(err)
	}
	for name, id := range fix.Users {
		if w.Users[name], err = svc.Users.FindUserByID(officeCtx, id); err != nil {
			t.Fatal(err)
		}
	}
	w.Token, w.Secret = &duban.APIToken{ID: fix.Token, UserID: fix.Users[viewer]}, fix.Secret
	w.Statement = &duban.Statement{ID: fix.Statement, PlanID: fix.Draft}
	return w
}

func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o600)
}

// Client returns a browser signed in as the role's account, or signed out
// for nobody.
func (w *world) Client(role string) *webtest.Client {
	w.t.Helper()
	c := webtest.NewClient(w.t, w.http.URL)
	if role != nobody {
		c.Login(role, password(role))
	}
	return c
}

// AuditHead returns the number of events in the audit log: every change
// writes one, in its own transaction, so an unchanged count means nothing
// changed.
func (w *world) AuditHead() int64 {
	w.t.Helper()
	v, err := sqldb.NewAuditService(w.db).VerifyAudit(officeCtx)
	if err != nil {
		w.t.Fatal(err)
	}
	if !v.OK() {
		w.t.Fatalf("audit chain broken: %+v", v.Problems)
	}
	return v.LastSeq
}

// Services returns the store's services, to check what a request did.
func (w *world) Services() web.Services { return services(w.db) }

// TestMain removes the template store when the tests are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if templateDB.path != "" {
		os.RemoveAll(filepath.Dir(templateDB.path))
	}
	os.Exit(code)
}

// ref returns a pointer to v, for the filters' optional fields.
func ref[T any](v T) *T { return &v }
