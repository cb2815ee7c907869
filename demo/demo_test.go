package demo_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
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
		Plans: sqldb.NewPlanService(db), Tasks: sqldb.NewTaskService(db), Units: sqldb.NewUnitService(db),
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
	units, tasks := sqldb.NewUnitService(db), sqldb.NewTaskService(db)
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
