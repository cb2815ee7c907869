package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/export"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// The files' benchmarks, over the made-up ledger of 20 plans × 300 tasks ×
// 150 units seven months into each plan's year, in SQLite: the task table of
// a 300-task plan, the progress book of the 20 plans' seventh month, and a
// unit's workbook of 300 rows checked and saved.

var office = duban.NewContextWithUser(context.Background(), &duban.User{ID: 1 << 40, Name: "bench", Role: duban.RoleAdmin})

// services are the store's services as package export takes them.
func services(db *sqldb.DB) *export.Services {
	units := ledgerstore.NewUnitService(db)
	return &export.Services{
		Plans: ledgerstore.NewPlanService(db), Tasks: ledgerstore.NewTaskService(db), Units: units, Leaders: ledgerstore.NewLeaderService(db),
		Periods: cyclestore.NewPeriodService(db), Reports: cyclestore.NewReportService(db, units), Lights: cyclestore.NewLightService(db),
		Reminders: cyclestore.NewReminderService(db, units), Bulletins: cyclestore.NewBulletinService(db), Groups: units,
	}
}

func BenchmarkFiles(b *testing.B) {
	db, err := sqldb.Open(b.Context(), filepath.Join(b.TempDir(), "duban.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s := services(db)
	plans, err := demo.LoadSynthetic(office, demo.Services{Plans: s.Plans, Tasks: s.Tasks, Units: s.Units}, demo.FullSize)
	if err != nil {
		b.Fatal(err)
	}
	if err := demo.SyntheticCycle(office, demo.CycleServices{Tasks: s.Tasks, Periods: s.Periods, Reports: s.Reports}, plans, 7); err != nil {
		b.Fatal(err)
	}
	var julys []int64
	for _, p := range plans {
		ps, _, err := s.Periods.FindPeriods(office, cycle.PeriodFilter{PlanID: &p.ID})
		if err != nil {
			b.Fatal(err)
		}
		julys = append(julys, ps[6].ID)
	}
	b.Run("task table of 300 tasks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			f, err := export.TaskTable(office, s, export.TaskTableQuery{PlanID: plans[0].ID})
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("progress book of 20 plans × 300 tasks", func(b *testing.B) {
		// B/op is every byte the book allocates, which bounds the memory it
		// holds at once; peak-MB is the heap at its largest, sampled.
		b.ReportAllocs()
		var peak uint64
		for b.Loop() {
			runtime.GC()
			stop := sampleHeap(&peak)
			f, err := export.ProgressBook(office, s, export.ProgressQuery{PeriodIDs: julys})
			if err != nil {
				b.Fatal(err)
			}
			if err := f.Write(io.Discard); err != nil {
				b.Fatal(err)
			}
			stop()
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	})
}

// sampleHeap records the heap's largest size until stopped, every
// millisecond: ReadMemStats stops the world, so sampling it back to back
// would stall the work it measures.
func sampleHeap(peak *uint64) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			*peak = max(*peak, m.HeapInuse)
			select {
			case <-done:
				runtime.ReadMemStats(&m)
				*peak = max(*peak, m.HeapInuse)
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// BenchmarkFillIn300 checks and saves a unit's workbook of 300 rows: a unit
// leading every task of a 300-task plan fills each row in offline, and the
// upload is read, checked row by row and saved as its 300 reports in one
// transaction. Each round starts from a copy of the store before the
// upload.
func BenchmarkFillIn300(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "template.db")
	db, err := sqldb.Open(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	s := services(db)
	// The made-up plan, every task led by one unit alone.
	r := demo.SyntheticReading(2022, 300, 150)
	for i := range r.Tasks {
		r.Tasks[i].LeadUnits, r.Tasks[i].ResponsibleUnits = []string{"区财政局"}, nil
	}
	data, _ := json.Marshal(r)
	imp, err := s.Plans.ImportPlan(office, duban.ImportInput{Name: "plan.json", Data: data, Reading: r})
	if err != nil {
		b.Fatal(err)
	}
	plan, err := s.Plans.PublishPlan(office, imp.Plan.ID)
	if err != nil {
		b.Fatal(err)
	}
	plans := []*duban.Plan{plan}
	periods, err := s.Periods.CreatePeriods(office, plans[0].ID)
	if err != nil {
		b.Fatal(err)
	}
	july := periods[6]
	open := cycle.PeriodOpen
	if _, err := s.Periods.UpdatePeriod(office, july.ID, cycle.PeriodUpdate{State: &open}); err != nil {
		b.Fatal(err)
	}
	units, _, err := s.Units.FindUnits(office, duban.UnitFilter{PlanID: &plans[0].ID})
	if err != nil || len(units) != 1 {
		b.Fatalf("units: %d, %v", len(units), err)
	}
	unit := units[0].ID
	clerk := duban.NewContextWithUser(context.Background(), &duban.User{ID: 1 << 41, Name: "clerk", DisplayName: "联络员", Role: duban.RoleClerk, UnitID: unit})
	f, err := export.FillInBook(clerk, s, july.ID, unit)
	if err != nil {
		b.Fatal(err)
	}
	var book bytes.Buffer
	if err := f.Write(&book); err != nil {
		b.Fatal(err)
	}
	filled := fillAll(b, book.Bytes())
	db.Close()
	for b.Loop() {
		b.StopTimer()
		copyPath := filepath.Join(dir, fmt.Sprintf("copy-%d.db", b.N))
		copyFile(b, path, copyPath)
		db, err := sqldb.Open(b.Context(), copyPath)
		if err != nil {
			b.Fatal(err)
		}
		s := services(db)
		b.StartTimer()
		res, err := export.ApplyFillIn(clerk, s, july.ID, unit, bytes.NewReader(filled))
		b.StopTimer()
		if err != nil || len(res.Errors) > 0 || res.Created != 300 {
			b.Fatalf("applied %+v, %v", res, err)
		}
		db.Close()
		os.Remove(copyPath)
		b.StartTimer()
	}
}

// fillAll fills in every row of a workbook: progress, completion and the
// actual of each target.
func fillAll(b *testing.B, data []byte) []byte {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		b.Fatal(err)
	}
	rows, err := f.GetRows("填报")
	if err != nil {
		b.Fatal(err)
	}
	cols := map[string]int{}
	n := 0
	for i, r := range rows {
		if len(cols) == 0 {
			for j, title := range r {
				if title == "duban-fillin/1" {
					for k, t := range r {
						cols[t] = k + 1
					}
				}
				_ = j
			}
			continue
		}
		if cols["duban-fillin/1"] > len(r) || !strings.Contains(r[cols["duban-fillin/1"]-1], ":") {
			continue
		}
		set := func(title string, v any) {
			name, _ := excelize.CoordinatesToCellName(cols[title], i+1)
			if err := f.SetCellValue("填报", name, v); err != nil {
				b.Fatal(err)
			}
		}
		set("进展情况", fmt.Sprintf("第 %d 项：本月完成节点任务。", n))
		set("完成进度(%)", 40+n%50)
		set("实际完成", fmt.Sprintf("%d家", 10+n%20))
		n++
	}
	if n != 300 {
		b.Fatalf("filled %d rows, want 300", n)
	}
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}

func copyFile(b *testing.B, from, to string) {
	data, err := os.ReadFile(from)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		b.Fatal(err)
	}
}
