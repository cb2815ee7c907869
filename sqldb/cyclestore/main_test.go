package cyclestore_test

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// The contract tests of the cycle run every case on both stores: SQLite in
// a temporary file and PostgreSQL in a schema of its own.

func forEachDB(t *testing.T, test func(t *testing.T, db *sqldb.DB)) {
	t.Helper()
	sqldbtest.ForEachDB(t, test)
}

func mustOpen(t testing.TB, dsn string) *sqldb.DB {
	t.Helper()
	return sqldbtest.MustOpen(t, dsn)
}

// mustReopen opens a test database a second time, with the clock of the
// first.
func mustReopen(t testing.TB, db *sqldb.DB) *sqldb.DB {
	t.Helper()
	other := mustOpen(t, sqldbtest.DSNOf(db))
	other.Now = db.Now
	return other
}

// office acts for the 督查室 in the tests; its ID is no stored account's.
var (
	office   = sqldbtest.Office
	reader   = &duban.User{ID: 9, Name: "reader", Role: duban.RoleViewer}
	as       = sqldbtest.As
	wantCode = sqldbtest.WantCode
)

// clock is the injected time of a test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to a day at 10:00 in Beijing.
func (c *clock) Set(day string) {
	d, err := duban.ParseDate(day)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, duban.Beijing)
	c.mu.Unlock()
}

// world is the sample plan published in a store, with the cycle's services
// and a clock.
type world struct {
	services
	db    *sqldb.DB
	clock *clock
	plan  *duban.Plan
	tasks map[string]*duban.Task
	units map[string]int64
}

// services are the cycle's services of a store.
type services struct {
	periods       *cyclestore.PeriodService
	reports       *cyclestore.ReportService
	lights        *cyclestore.LightService
	reminders     *cyclestore.ReminderService
	supervisions  *cyclestore.SupervisionService
	notifications *cyclestore.NotificationService
	evidence      *cyclestore.EvidenceService
}

func newServices(db *sqldb.DB, groups cycle.GroupMembers) services {
	return services{cyclestore.NewPeriodService(db), cyclestore.NewReportService(db, groups), cyclestore.NewLightService(db),
		cyclestore.NewReminderService(db, groups), cyclestore.NewSupervisionService(db, groups), cyclestore.NewNotificationService(db),
		cyclestore.NewEvidenceService(db)}
}

// groupsOf answers group membership from a map, as the directory will.
type groupsOf cycle.Groups

func (g groupsOf) FindGroupMembers(context.Context) (cycle.Groups, error) {
	return cycle.Groups(g), nil
}

// newWorld imports the hand-checked reading of the sample notice into db,
// publishes it on 2022-04-22 and sets up the cycle's services.
func newWorld(t testing.TB, db *sqldb.DB, groups cycle.GroupMembers) *world {
	t.Helper()
	w := &world{db: db, clock: &clock{}, tasks: map[string]*duban.Task{}, units: map[string]int64{}}
	w.clock.Set("2022-04-22")
	db.Now = w.clock.Now
	data, err := os.ReadFile("../../testdata/lixia-2022.reading.json")
	if err != nil {
		t.Fatal(err)
	}
	var r duban.Reading
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	res, err := ledgerstore.NewPlanService(db).ImportPlan(as(office), duban.ImportInput{Name: "source.md", Data: data, Reading: &r})
	if err != nil {
		t.Fatal(err)
	}
	w.plan = sqldbtest.MustPublish(t, db, office, res.Plan.ID)
	w.load(t)
	w.services = newServices(db, groups)
	return w
}

// load reads the plan's tasks by number and the units by name.
func (w *world) load(t testing.TB) {
	t.Helper()
	tasks, _, err := ledgerstore.NewTaskService(w.db).FindTasks(as(office), duban.TaskFilter{PlanID: &w.plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range tasks {
		w.tasks[task.No] = task
	}
	units, _, err := ledgerstore.NewUnitService(w.db).FindUnits(as(office), duban.UnitFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		w.units[u.Name] = u.ID
	}
}

// clerk returns a clerk of the unit of that name.
func (w *world) clerk(t testing.TB, unit string) *duban.User {
	t.Helper()
	id, ok := w.units[unit]
	if !ok {
		t.Fatalf("no unit %s", unit)
	}
	return &duban.User{ID: 2000 + id, Name: "clerk-" + unit, DisplayName: unit + "联络员", Role: duban.RoleClerk, UnitID: id}
}

// mustPeriods creates the plan's periods and returns them.
func (w *world) mustPeriods(t testing.TB) []*cycle.Period {
	t.Helper()
	ps, err := w.periods.CreatePeriods(as(office), w.plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

// mustOpenPeriod opens a period.
func (w *world) mustOpenPeriod(t testing.TB, p *cycle.Period) {
	t.Helper()
	if _, err := w.periods.UpdatePeriod(as(office), p.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodOpen)}); err != nil {
		t.Fatal(err)
	}
}

// mustReport saves a report, submitted unless draft.
func (w *world) mustReport(t testing.TB, u *duban.User, p *cycle.Period, no, unit string, kind cycle.ReportKind, completion int, draft bool, actuals ...string) *cycle.Report {
	t.Helper()
	r := &cycle.Report{PeriodID: p.ID, TaskID: w.tasks[no].ID, UnitID: w.units[unit], Kind: kind, State: cycle.ReportSubmitted,
		Progress: "按计划推进，" + unit + "完成了本月工作。", Completion: completion}
	if draft {
		r.State = cycle.ReportDraft
	}
	for i, a := range actuals {
		r.Actuals = append(r.Actuals, cycle.Actual{Indicator: i, Text: a})
	}
	if err := w.reports.CreateReport(as(u), r); err != nil {
		t.Fatalf("report on %s by %s: %v", no, unit, err)
	}
	return r
}

// mustLight returns the kept light of a task in a period.
func (w *world) mustLight(t testing.TB, p *cycle.Period, no string) *cycle.Light {
	t.Helper()
	ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PeriodID: &p.ID, TaskID: &w.tasks[no].ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 1 {
		t.Fatalf("lights of %s in %s: got %d, want 1", no, p.Label, len(ls))
	}
	return ls[0]
}

func ptr[T any](v T) *T { return &v }

func date(s string) duban.Date {
	d, err := duban.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}
