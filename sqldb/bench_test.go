package sqldb_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"duban"
	"duban/sqldb"
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
	for year := 2006; year < 2026; year++ {
		p := MustImport(b, db, syntheticReading(year, 300, 150), fmt.Sprintf("%d.md", year))
		MustPublish(b, db, p.ID)
	}
	units, n, err := sqldb.NewUnitService(db).FindUnits(as(office), duban.UnitFilter{})
	if err != nil || n != 150 {
		b.Fatalf("units: got %d (%v), want 150", n, err)
	}
	tasks := sqldb.NewTaskService(db)
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

// syntheticReading is a notice of the given year with tasks spread over 7
// sections of 3 areas, each led by one of the units and shared by two to
// four others, and led by one of 12 leaders.
func syntheticReading(year, tasks, units int) *duban.Reading {
	r := &duban.Reading{
		Schema: duban.ReadingSchema,
		Document: duban.DocumentInfo{
			Region: "济南市历下区", Year: year, DocNumber: fmt.Sprintf("历下政办字〔%d〕3号", year),
			Title: fmt.Sprintf("关于印发 %d 年《政府工作报告》目标任务分解的通知", year),
		},
	}
	for s := 1; s <= 7; s++ {
		r.Sections = append(r.Sections, duban.ReadSection{No: s, Title: fmt.Sprintf("第%d项行动", s)})
		for a := 1; a <= 3; a++ {
			r.Areas = append(r.Areas, duban.ReadArea{Section: s, No: a, Title: fmt.Sprintf("重点%d-%d", s, a)})
		}
	}
	unit := func(i int) string { return fmt.Sprintf("区第%03d局", i%units) }
	for i := range tasks {
		s, a := 1+i%7, 1+(i/7)%3
		t := duban.ReadTask{
			No: fmt.Sprintf("%d.%d.%d", s, a, 1+i/21), Section: s, Area: a,
			Text:        fmt.Sprintf("%d 年第 %d 项任务：推进重点项目建设，新增市场主体 %d 家", year, i, 100+i),
			LeadLeaders: []string{fmt.Sprintf("领导%d", i%12)},
			LeadUnits:   []string{unit(i * 7)},
		}
		for k := 1; k <= 2+i%3; k++ {
			t.ResponsibleUnits = append(t.ResponsibleUnits, unit(i*7+k*31))
		}
		t.Indicators = []duban.Indicator{{Text: fmt.Sprintf("新增市场主体 %d 家", 100+i), Metric: "新增市场主体", Value: float64(100 + i), Unit: "家", Cmp: duban.CmpEqual}}
		r.Tasks = append(r.Tasks, t)
	}
	return r
}
