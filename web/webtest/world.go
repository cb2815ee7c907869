package webtest

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/evidence"
	"github.com/dubanhq/duban/notice"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/accountstore"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/deliverystore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/api"
	"github.com/dubanhq/duban/web/outputs"
	"github.com/dubanhq/duban/web/page"
	"github.com/dubanhq/duban/web/reporting"
	"github.com/dubanhq/duban/web/review"
	"github.com/dubanhq/duban/web/supervision"
)

// fastHasher hashes passwords with argon2id at its lowest cost.
var fastHasher = auth.NewHasher(auth.Params{Time: 1, Memory: 64, Threads: 1})

// TestPolicy throttles after 3 failures per account and address pair,
// 30 per address.
var TestPolicy = func() duban.AuthPolicy {
	p := duban.DefaultAuthPolicy
	p.MaxPairFailures, p.MaxAddressFailures = 3, 30
	return p
}()

// The roles the tests act as, by account name. Clerk reports for the unit
// of World.Task; OtherClerk for a unit with no part in it.
const (
	Admin      = "office"
	Leader     = "wuyi"
	Clerk      = "caizheng"
	OtherClerk = "jiaoti"
	Viewer     = "viewer"
	Nobody     = ""
)

// Roles lists the roles, Nobody first.
var Roles = []string{Nobody, Viewer, OtherClerk, Clerk, Leader, Admin}

// Password is the password of a test account.
func Password(name string) string { return "password-of-" + name }

// World is one test's server and what is in its store.
type World struct {
	T      *testing.T
	DB     *sqldb.DB
	DSN    string // DB's, for a second server over the same store
	Server *web.Server
	HTTP   *httptest.Server
	Log    *Buffer // the server's log

	Plan      *duban.Plan // the published sample
	Draft     *duban.Plan // a draft of the sample under another title
	Task      *duban.Task // a task of the published plan that 区财政局 leads or shares
	OtherTask *duban.Task // a task of the published plan 区财政局 has no part in
	Users     map[string]*duban.User
	Token     *duban.APIToken // an API token of the viewer
	Secret    string          // its secret
	Statement *duban.Statement
	// Supervision is a notice issued on Task to Clerk's unit and answered
	// with a file (version 2), Notification
	// the urge on Task in Clerk's unit's bell, Channel a webhook carrying
	// every message (to an address where nothing listens).
	Supervision  *cycle.Supervision
	Notification *cycle.Notification
	Channel      *duban.Channel

	// Period is the published plan's July, open; PendingPeriod its August,
	// not yet. Report is the task report the other clerk's unit handed in
	// on OtherTask in July, waiting for review; Closure its request to
	// close that task.
	Period        *cycle.Period
	PendingPeriod *cycle.Period
	Report        *cycle.Report
	Closure       *cycle.Closure
}

// fixture is what the template store holds, by ID.
type fixture struct {
	Plan, Draft, Task, OtherTask, Statement int64
	Period, PendingPeriod, Report, Closure  int64
	Users                                   map[string]int64
	Token                                   int64
	Secret                                  string
	Supervision, Notification, Channel      int64
}

var templateDB struct {
	once sync.Once
	path string
	fix  fixture
	err  error
}

// OfficeCtx acts as the office, which sees drafts too; ReaderCtx as a
// reader, who sees what is published.
var (
	OfficeCtx = duban.NewContextWithUser(context.Background(), &duban.User{ID: 1 << 40, Name: "test", Role: duban.RoleAdmin})
	ReaderCtx = duban.NewContextWithUser(context.Background(), &duban.User{ID: 1<<40 + 1, Name: "reader", Role: duban.RoleViewer})
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
	fix, err = populate(Services(db))
	return path, fix, err
}

// populate fills an empty store with the world's things.
func populate(svc web.Services) (fixture, error) {
	var fix fixture
	res, err := demo.Load(OfficeCtx, demo.Services{Plans: svc.Plans, Tasks: svc.Tasks, Units: svc.Units})
	if err != nil {
		return fix, err
	}
	fix.Plan = res.Plan.ID
	// The draft: the sample's reading under another title.
	r, err := readSample()
	if err != nil {
		return fix, err
	}
	r.Document.Title, r.Document.DocNumber = "草稿：2022 年任务分解（复核中）", "历下政办字〔2022〕99号"
	data, _ := json.Marshal(r)
	imp, err := svc.Plans.ImportPlan(OfficeCtx, duban.ImportInput{Name: "draft.json", Data: data, Reading: r})
	if err != nil {
		return fix, err
	}
	fix.Draft = imp.Plan.ID
	open := duban.StatementOpen
	sts, _, err := svc.Tasks.FindStatements(OfficeCtx, duban.StatementFilter{PlanID: &fix.Draft, State: &open, Limit: 1})
	if err != nil {
		return fix, err
	}
	fix.Statement = sts[0].ID

	caizheng, err := unitNamed(svc, "区财政局")
	if err != nil {
		return fix, err
	}
	tasks, _, err := svc.Tasks.FindTasks(OfficeCtx, duban.TaskFilter{PlanID: &fix.Plan})
	if err != nil {
		return fix, err
	}
	groups, err := svc.Units.FindGroupMembers(OfficeCtx)
	if err != nil {
		return fix, err
	}
	// The other clerk's unit is a single unit that leads a task 区财政局
	// has no part in, and has no part in the task of 区财政局.
	var other *duban.Unit
	for _, t := range tasks {
		if fix.Task == 0 && t.HasUnit(caizheng.ID) {
			fix.Task = t.ID
		}
	}
	task := tasks[slices.IndexFunc(tasks, func(t *duban.Task) bool { return t.ID == fix.Task })]
	for _, t := range tasks {
		if fix.OtherTask != 0 || t.Reaches(caizheng.ID, groups) || len(t.LeadUnits) == 0 || t.LeadUnits[0].ID == 0 {
			continue
		}
		lead := t.LeadUnits[0].ID
		if _, group := groups[lead]; group || task.Reaches(lead, groups) {
			continue
		}
		fix.OtherTask = t.ID
		if other, err = svc.Units.FindUnitByID(OfficeCtx, lead); err != nil {
			return fix, err
		}
	}
	leaders, _, err := svc.Leaders.FindLeaders(OfficeCtx, duban.LeaderFilter{Name: ref("武毅")})
	if err != nil {
		return fix, err
	}
	fix.Users = map[string]int64{}
	for _, u := range []*duban.User{
		{Name: Admin, DisplayName: "督查室", Role: duban.RoleAdmin},
		{Name: Leader, DisplayName: "武毅", Role: duban.RoleLeader, LeaderID: leaders[0].ID},
		{Name: Clerk, DisplayName: "区财政局联络员", Role: duban.RoleClerk, UnitID: caizheng.ID},
		{Name: OtherClerk, DisplayName: other.Name + "联络员", Role: duban.RoleClerk, UnitID: other.ID},
		{Name: Viewer, DisplayName: "查看者", Role: duban.RoleViewer},
	} {
		if err := svc.Users.CreateUser(OfficeCtx, u); err != nil {
			return fix, err
		}
		if err := svc.Auth.SetPassword(OfficeCtx, u.ID, Password(u.Name)); err != nil {
			return fix, err
		}
		fix.Users[u.Name] = u.ID
	}
	tok := &duban.APIToken{UserID: fix.Users[Viewer], Name: "测试脚本"}
	if fix.Secret, err = svc.Auth.CreateAPIToken(OfficeCtx, tok); err != nil {
		return fix, err
	}
	fix.Token = tok.ID
	if err := buildCycle(svc, &fix, other); err != nil {
		return fix, err
	}
	return fix, buildSupervision(svc, &fix, caizheng.ID)
}

// SamplePDF is a small PDF file, evidence the tests upload.
const SamplePDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// buildCycle starts the published plan's reporting: its periods made and
// July's open, the other unit's task report on the other task handed in,
// and its request to close that task, each with a file.
func buildCycle(svc web.Services, fix *fixture, other *duban.Unit) error {
	periods, err := svc.Periods.CreatePeriods(OfficeCtx, fix.Plan)
	if err != nil {
		return err
	}
	july := periods[6]
	if _, err := svc.Periods.UpdatePeriod(OfficeCtx, july.ID, cycle.PeriodUpdate{State: ref(cycle.PeriodOpen)}); err != nil {
		return err
	}
	fix.Period, fix.PendingPeriod = july.ID, periods[7].ID
	clerk := duban.NewContextWithUser(context.Background(), &duban.User{ID: fix.Users[OtherClerk], Name: OtherClerk,
		DisplayName: other.Name + "联络员", Role: duban.RoleClerk, UnitID: other.ID})
	file, err := svc.Files.Put(strings.NewReader(SamplePDF), "七月工作台账.pdf", "application/pdf")
	if err != nil {
		return err
	}
	if err := svc.Evidence.CreateEvidence(clerk, &cycle.Evidence{EvidenceRef: file}); err != nil {
		return err
	}
	r := &cycle.Report{PeriodID: july.ID, TaskID: fix.OtherTask, UnitID: other.ID, Kind: cycle.ReportTask,
		State: cycle.ReportSubmitted, Progress: "已完成七月工作。", Completion: 60, Evidence: []cycle.EvidenceRef{file}}
	if err := svc.Reports.CreateReport(clerk, r); err != nil {
		return err
	}
	fix.Report = r.ID
	c := &cycle.Closure{TaskID: fix.OtherTask, Note: "任务已全部完成。", Evidence: []cycle.EvidenceRef{file}}
	if err := svc.Reports.CreateClosure(clerk, c); err != nil {
		return err
	}
	fix.Closure = c.ID
	return nil
}

// buildSupervision issues a supervision notice on Task to the clerk's
// unit, which answers it with a file; urges the unit (a notification in the
// clerk's bell); and sets a webhook channel carrying every message.
func buildSupervision(svc web.Services, fix *fixture, unit int64) error {
	sv := &cycle.Supervision{TaskIDs: []int64{fix.Task}, UnitID: unit, Reason: "进度滞后", Requirement: "请书面反馈整改措施",
		Due: duban.Today(time.Now()).AddDays(30)}
	if err := svc.Supervisions.CreateSupervision(OfficeCtx, sv); err != nil {
		return err
	}
	fix.Supervision = sv.ID
	clerkCtx := duban.NewContextWithUser(context.Background(), &duban.User{ID: fix.Users[Clerk], Name: Clerk, Role: duban.RoleClerk, UnitID: unit})
	file, err := svc.Files.Put(strings.NewReader(SamplePDF), "整改情况报告.pdf", "application/pdf")
	if err != nil {
		return err
	}
	if err := svc.Evidence.CreateEvidence(clerkCtx, &cycle.Evidence{EvidenceRef: file}); err != nil {
		return err
	}
	if _, err := svc.Supervisions.UpdateSupervision(clerkCtx, sv.ID, cycle.SupervisionUpdate{State: ref(cycle.SupervisionAnswered),
		Answer: ref("已召开推进会，整改措施见附件。"), Evidence: &[]cycle.EvidenceRef{file}, Version: sv.Version}); err != nil {
		return err
	}
	if err := svc.Reminders.CreateUrge(OfficeCtx, &cycle.Urge{TaskID: fix.Task, UnitID: unit}); err != nil {
		return err
	}
	ns, _, err := svc.Notifications.FindNotifications(clerkCtx, cycle.NotificationFilter{Limit: 1})
	if err != nil || len(ns) == 0 {
		return fmt.Errorf("webtest: the clerk's notification: %v", err)
	}
	fix.Notification = ns[0].ID
	ch := &duban.Channel{Name: "督查室接口", Kind: duban.ChannelWebhook, URL: "http://127.0.0.1:9/hook", Enabled: true}
	if err := svc.Deliveries.CreateChannel(OfficeCtx, ch); err != nil {
		return err
	}
	fix.Channel = ch.ID
	return nil
}

// readSample reads the sample notice as demo.Load does.
func readSample() (*duban.Reading, error) { return notice.Read(demo.SampleName, demo.Sample()) }

func unitNamed(svc web.Services, name string) (*duban.Unit, error) {
	units, _, err := svc.Units.FindUnits(OfficeCtx, duban.UnitFilter{Name: &name})
	if err != nil {
		return nil, err
	}
	if len(units) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "no unit %s", name)
	}
	return units[0], nil
}

// Services are the services of a store, with passwords hashed at the
// lowest cost and sign-in throttled by TestPolicy.
// Evidence files go to one folder for the test binary, which Main
// removes; files are kept by content, so tests share it safely.
func Services(db *sqldb.DB) web.Services {
	deliveries, units := deliverystore.NewDeliveryService(db), ledgerstore.NewUnitService(db)
	return web.Services{
		Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: units,
		Leaders: ledgerstore.NewLeaderService(db), Users: accountstore.NewUserService(db), Audit: sqldb.NewAuditService(db),
		Auth: accountstore.NewAuthService(db, fastHasher, TestPolicy), Comments: ledgerstore.NewCommentService(db),

		Periods: cyclestore.NewPeriodService(db), Reports: cyclestore.NewReportService(db, units),
		Lights: cyclestore.NewLightService(db), Reminders: cyclestore.NewReminderService(db, units),
		Evidence: cyclestore.NewEvidenceService(db), Files: evidenceFiles(),
		Supervisions: cyclestore.NewSupervisionService(db, units), Overview: cyclestore.NewOverviewService(db),
		Bulletins: cyclestore.NewBulletinService(db), Publications: cyclestore.NewPublicationService(db),
		Notifications: cyclestore.NewNotificationService(db), Deliveries: deliveries,
		Tester: notify.NewDrainer(deliveries, &notify.Senders{Timeout: 5 * time.Second},
			notify.Options{Owner: "webtest", Logger: slog.New(slog.DiscardHandler)}),
	}
}

// EvidenceMax is the cap on an evidence file of the test servers: small,
// so that a test can pass it.
const EvidenceMax = 1 << 20

// testFiles is the evidence folder of the test binary.
var testFiles struct {
	once  sync.Once
	dir   string
	store *evidence.Store
}

// evidenceFiles returns the test binary's evidence folder, made once.
func evidenceFiles() *evidence.Store {
	testFiles.once.Do(func() {
		dir, err := os.MkdirTemp("", "duban-evidence-")
		if err == nil {
			testFiles.dir = dir
			testFiles.store, err = evidence.Open(dir, EvidenceMax)
		}
		if err != nil {
			panic(err) // the temporary folder is unusable: no test can run
		}
	})
	return testFiles.store
}

// Parts are the server's parts, the pages of each area and the API, as
// the command joins them.
func Parts() []web.Part {
	return []web.Part{page.Part(), review.Part(), reporting.Part(), supervision.Part(), outputs.Part(), api.Part()}
}

// NewServer assembles the whole server, the pages and the API, as the
// command does.
func NewServer(cfg web.Config, svc web.Services) (*web.Server, error) {
	return web.New(cfg, svc, Parts()...)
}

// NewWorld serves a copy of the store every test starts from: the sample
// notice, published, and a draft of it, with an account for each role. The
// store is built once per test binary and copied for each test, so that a
// test may change what it likes.
func NewWorld(t *testing.T) *World {
	t.Helper()
	return NewWorldWith(t, web.Config{})
}

// NewWorldWith is NewWorld with a configuration of the server.
func NewWorldWith(t *testing.T, cfg web.Config) *World {
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
	w := serveWorld(t, db, templateDB.fix, cfg)
	w.DSN = path
	return w
}

// Stores names the stores a world can be made on, for tests that check
// the server answers alike on both.
var Stores = []string{"sqlite", "postgres"}

// NewWorldOn is NewWorld on the store named: "sqlite", a copy of the
// store NewWorld copies, or "postgres", a schema of its own on the test
// server (package sqldbtest), filled afresh.
func NewWorldOn(t *testing.T, store string) *World {
	t.Helper()
	if store != "postgres" {
		return NewWorld(t)
	}
	dsn := sqldbtest.PostgresDSN(t)
	db, err := sqldb.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	fix, err := populate(Services(db))
	if err != nil {
		t.Fatal(err)
	}
	w := serveWorld(t, db, fix, web.Config{})
	w.DSN = dsn
	return w
}

// serveWorld serves a store holding a world's things.
func serveWorld(t *testing.T, db *sqldb.DB, fix fixture, cfg web.Config) *World {
	t.Helper()
	var err error
	w := &World{T: t, DB: db, Log: &Buffer{}, Users: map[string]*duban.User{}}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(w.Log, nil))
	}
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return db.Now() } // a test that sets the store's clock sets the pages' too
	}
	svc := Services(db)
	if w.Server, err = NewServer(cfg, svc); err != nil {
		t.Fatal(err)
	}
	w.HTTP = httptest.NewServer(w.Server.Handler())
	t.Cleanup(w.HTTP.Close)
	get := func(dst **duban.Plan, id int64) {
		if *dst, err = svc.Plans.FindPlanByID(OfficeCtx, id); err != nil {
			t.Fatal(err)
		}
	}
	get(&w.Plan, fix.Plan)
	get(&w.Draft, fix.Draft)
	if w.Task, err = svc.Tasks.FindTaskByID(OfficeCtx, fix.Task); err != nil {
		t.Fatal(err)
	}
	if w.OtherTask, err = svc.Tasks.FindTaskByID(OfficeCtx, fix.OtherTask); err != nil {
		t.Fatal(err)
	}
	for name, id := range fix.Users {
		if w.Users[name], err = svc.Users.FindUserByID(OfficeCtx, id); err != nil {
			t.Fatal(err)
		}
	}
	w.Token, w.Secret = &duban.APIToken{ID: fix.Token, UserID: fix.Users[Viewer]}, fix.Secret
	w.Statement = &duban.Statement{ID: fix.Statement, PlanID: fix.Draft}
	if w.Period, err = svc.Periods.FindPeriodByID(OfficeCtx, fix.Period); err != nil {
		t.Fatal(err)
	}
	if w.PendingPeriod, err = svc.Periods.FindPeriodByID(OfficeCtx, fix.PendingPeriod); err != nil {
		t.Fatal(err)
	}
	if w.Report, err = svc.Reports.FindReportByID(OfficeCtx, fix.Report); err != nil {
		t.Fatal(err)
	}
	closures, _, err := svc.Reports.FindClosures(OfficeCtx, cycle.ClosureFilter{ID: &fix.Closure})
	if err != nil || len(closures) != 1 {
		t.Fatalf("the fixture's request to close: %v", err)
	}
	w.Closure = closures[0]
	if w.Supervision, err = svc.Supervisions.FindSupervisionByID(OfficeCtx, fix.Supervision); err != nil {
		t.Fatal(err)
	}
	w.Notification = &cycle.Notification{ID: fix.Notification, UnitID: w.Users[Clerk].UnitID}
	if w.Channel, err = svc.Deliveries.FindChannelByID(OfficeCtx, fix.Channel); err != nil {
		t.Fatal(err)
	}
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
// for Nobody.
func (w *World) Client(role string) *Client {
	w.T.Helper()
	c := NewClient(w.T, w.HTTP.URL)
	if role != Nobody {
		c.Login(role, Password(role))
	}
	return c
}

// AuditHead returns the number of events in the audit log: every change
// writes one, in its own transaction, so an unchanged count means nothing
// changed.
func (w *World) AuditHead() int64 {
	w.T.Helper()
	v, err := sqldb.NewAuditService(w.DB).VerifyAudit(OfficeCtx)
	if err != nil {
		w.T.Fatal(err)
	}
	if !v.OK() {
		w.T.Fatalf("audit chain broken: %+v", v.Problems)
	}
	return v.LastSeq
}

// Services returns the store's services, to check what a request did.
func (w *World) Services() web.Services { return Services(w.DB) }

// Main runs a package's tests and removes the store NewWorld copies: a
// package using NewWorld calls it from its TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if templateDB.path != "" {
		os.RemoveAll(filepath.Dir(templateDB.path))
	}
	if testFiles.store != nil {
		testFiles.store.Close()
		os.RemoveAll(testFiles.dir)
	}
	os.Exit(code)
}

// ref returns a pointer to v, for the filters' optional fields.
func ref[T any](v T) *T { return &v }

// TaskPath is the address of a task's page.
func TaskPath(t *duban.Task) string { return "/tasks/" + strconv.FormatInt(t.ID, 10) }

// Groups returns the directory's group terms with their members, as the
// store has them now.
func (w *World) Groups() duban.Groups {
	w.T.Helper()
	g, err := w.Services().Units.FindGroupMembers(OfficeCtx)
	if err != nil {
		w.T.Fatal(err)
	}
	return g
}
