package ledgerstore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// BenchmarkImportPublish imports the sample's reading into a fresh SQLite
// file and publishes it (its 57 units and 12 leaders created on the way).
// Target: ≤ 100 ms.
func BenchmarkImportPublish(b *testing.B) {
	r := MustReadGold(b)
	dir := b.TempDir()
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		db, err := sqldb.Open(context.Background(), filepath.Join(dir, fmt.Sprintf("%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p := MustImport(b, db, r, "source.md")
		MustPublish(b, db, p.ID)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

// BenchmarkUnitTasks lists one unit's tasks among 20 plans × 300 tasks ×
// 150 units in SQLite: those of one year, the first page of 50 across the
// years, and all of them (some 160). Target: ≤ 5 ms.
func BenchmarkUnitTasks(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "duban.db"))
	if _, err := demo.LoadSynthetic(as(office), demo.Services{
		Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: ledgerstore.NewUnitService(db),
	}, demo.FullSize); err != nil {
		b.Fatal(err)
	}
	units, n, err := ledgerstore.NewUnitService(db).FindUnits(as(office), duban.UnitFilter{})
	if err != nil || n != 150 {
		b.Fatalf("units: got %d (%v), want 150", n, err)
	}
	tasks := ledgerstore.NewTaskService(db)
	for _, c := range []struct {
		name  string
		year  int
		limit int
	}{{"one year", 2025, 0}, {"page of 50", 0, 50}, {"all years", 0, 0}} {
		b.Run(c.name, func(b *testing.B) {
			i, listed := 0, 0
			for b.Loop() {
				u := units[i%len(units)]
				i++
				f := duban.TaskFilter{UnitID: &u.ID, Limit: c.limit}
				if c.year != 0 {
					f.Year = &c.year
				}
				got, _, err := tasks.FindTasks(as(viewer), f)
				if err != nil {
					b.Fatal(err)
				}
				listed += len(got)
			}
			b.ReportMetric(float64(listed)/float64(i), "tasks/op")
		})
	}
}
