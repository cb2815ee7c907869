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
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	if got, want := res.Plan.State, duban.PlanPublished; got != want {
		t.Errorf("state: got %q, want %q", got, want)
	}
}

// BenchmarkLoad reads the sample notice, imports it and publishes it into a
// fresh SQLite file: what duban demo does. Target: ≤ 100 ms.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		load(b, filepath.Join(dir, fmt.Sprintf("%d.db", i)))
	}
}
