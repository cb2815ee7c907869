package demo_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

var office = &duban.User{Name: "office", Role: duban.RoleAdmin}

func load(tb testing.TB, path string) *demo.Result {
	tb.Helper()
	db, err := sqldb.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	return loadInto(tb, db)
}

func loadInto(tb testing.TB, db *sqldb.DB) *demo.Result {
	tb.Helper()
	res, err := demo.Load(duban.NewContextWithUser(context.Background(), office), demo.Services{
		Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: ledgerstore.NewUnitService(db),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func TestLoad(t *testing.T) {
	res := load(t, filepath.Join(t.TempDir(), "duban.db"))
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"sections", len(res.Plan.Sections), 8},
		{"areas", len(res.Plan.Areas), 24},
		{"tasks", res.Plan.TaskCount, 88},
		{"units", res.Units, 57},
		{"leaders", res.NewLeaders, 12},
		{"statements dismissed", res.Dismissed, 9},
		{"groups given members", res.Groups, 8},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	if got, want := res.Plan.State, duban.PlanPublished; got != want {
		t.Errorf("state: got %q, want %q", got, want)
	}
}

// TestLoadGroups publishes the sample with every group term reaching its
// units: a street's tasks are the 23 the notice addresses to the streets
// and the one it names it in.
func TestLoadGroups(t *testing.T) {
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res := loadInto(t, db)
	ctx := duban.NewContextWithUser(context.Background(), office)
	units, tasks := ledgerstore.NewUnitService(db), ledgerstore.NewTaskService(db)
	groups, err := units.FindGroupMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &res.Plan.ID})
	if err != nil {
		t.Fatal(err)
	}
	if missing := duban.MembersMissing(all, groups); len(missing) != 0 {
		t.Errorf("groups reaching nobody: %v", duban.OwnerNames(missing))
	}
	for _, c := range []struct {
		street string
		want   int
	}{{"解放路街道办事处", 23}, {"泉城路街道办事处", 24}} {
		found, _, err := units.FindUnits(ctx, duban.UnitFilter{Name: &c.street})
		if err != nil || len(found) != 1 || found[0].Kind != duban.UnitStreet {
			t.Fatalf("%s: got %v (%v)", c.street, found, err)
		}
		if _, n, err := tasks.FindTasks(ctx, duban.TaskFilter{UnitID: &found[0].ID}); err != nil || n != c.want {
			t.Errorf("%s's tasks: got %d (%v), want %d", c.street, n, err, c.want)
		}
	}
}

// BenchmarkLoad reads the sample notice, imports it, enters the district's
// units with the groups' members and publishes it into a fresh SQLite file:
// what duban demo does. Target: ≤ 100 ms for reading, importing and
// publishing; entering the directory is some 80 transactions more.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		load(b, filepath.Join(dir, fmt.Sprintf("%d.db", i)))
	}
}

// TestYear walks the sample through its year to AsOf: every colour of
// light, reports waiting for the office, a 督办单 open for 区财政局, and
// its clerk's bell unread.
func TestYear(t *testing.T) {
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var now time.Time
	db.Now = func() time.Time { return now }
	now = demo.PublishedAt
	ctx := duban.NewContextWithUser(context.Background(), office)
	s := demo.Services{Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: ledgerstore.NewUnitService(db)}
	loaded, err := demo.Load(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	c := demo.Cycle{Periods: cyclestore.NewPeriodService(db), Reports: cyclestore.NewReportService(db, s.Units),
		Lights: cyclestore.NewLightService(db), Reminders: cyclestore.NewReminderService(db, s.Units),
		Supervisions: cyclestore.NewSupervisionService(db, s.Units), Notifications: cyclestore.NewNotificationService(db)}
	res, err := demo.Year(ctx, loaded.Plan, s, c, func(t time.Time) { now = t }, "区财政局")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d periods opened, %d closed; %d reports, %d waiting; lights %v; %d urges; took %s",
		res.Periods, res.Closed, res.Reports, res.Waiting, res.Lights, res.Urges, res.Took)
	for _, st := range cycle.LightStatuses {
		if res.Lights[st] == 0 {
			t.Errorf("no task's light is %s", st.Label())
		}
	}
	if res.Periods != 4 || res.Closed != 3 || res.Waiting == 0 || res.Urges == 0 {
		t.Errorf("periods %d opened, %d closed; %d reports waiting; %d urges: want 4, 3 and some", res.Periods, res.Closed, res.Waiting, res.Urges)
	}
	sv := res.Supervision
	if sv == nil || sv.Unit != "区财政局" || !sv.State.Open() {
		t.Fatalf("the 督办单: %+v, want one open for 区财政局", sv)
	}
	clerk := &duban.User{ID: 9, Name: "caizheng", Role: duban.RoleClerk, UnitID: sv.UnitID}
	unread, err := c.Notifications.CountUnreadNotifications(duban.NewContextWithUser(context.Background(), clerk), 0)
	if err != nil || unread == 0 {
		t.Errorf("区财政局's bell: %d unread (%v), want some", unread, err)
	}
	if !now.Equal(demo.AsOf) {
		t.Errorf("the clock stopped at %s, want %s", now, demo.AsOf)
	}
}
