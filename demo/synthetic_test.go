package demo_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// TestLoadSynthetic loads a small made-up ledger: a plan a year, each with
// its tasks, and the units and leaders they name in the directory; a unit
// has tasks in every year.
func TestLoadSynthetic(t *testing.T) {
	db, err := sqldb.Open(context.Background(), filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := duban.NewContextWithUser(context.Background(), office)
	svc := demo.Services{Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: ledgerstore.NewUnitService(db)}
	size := demo.Size{Plans: 3, Tasks: 40, Units: 12}
	plans, err := demo.LoadSynthetic(ctx, svc, size)
	if err != nil {
		t.Fatal(err)
	}
	_, units, err := svc.Units.FindUnits(ctx, duban.UnitFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	unit, _, err := svc.Units.FindUnits(ctx, duban.UnitFilter{Name: ptr(demo.SyntheticUnit(0, size.Units))})
	if err != nil || len(unit) != 1 {
		t.Fatalf("unit %s: got %d (%v), want 1", demo.SyntheticUnit(0, size.Units), len(unit), err)
	}
	_, unitTasks, err := svc.Tasks.FindTasks(ctx, duban.TaskFilter{UnitID: &unit[0].ID, Year: ptr(demo.FirstSyntheticYear + 2)})
	if err != nil {
		t.Fatal(err)
	}
	// The unit's tasks as the reading names them, led or shared.
	want := 0
	for _, rt := range demo.SyntheticReading(demo.FirstSyntheticYear+2, size.Tasks, size.Units).Tasks {
		if slices.Contains(append(rt.LeadUnits, rt.ResponsibleUnits...), unit[0].Name) {
			want++
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"plans", len(plans), 3},
		{"tasks of the last plan", plans[2].TaskCount, 40},
		{"last plan's year", plans[2].Year, demo.FirstSyntheticYear + 2},
		{"units", units, 12},
		{"the first unit's tasks in the last year", unitTasks, want},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
	if _, err := demo.LoadSynthetic(ctx, svc, size); duban.ErrorCode(err) != duban.ECONFLICT {
		t.Errorf("loading twice: got %v, want a conflict", err)
	}
}

func ptr[T any](v T) *T { return &v }
