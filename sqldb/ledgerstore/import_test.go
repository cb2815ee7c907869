package ledgerstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// largeReading is a made-up reading of n tasks over ten sections, each
// task with three units, a leader and a target, and a statement every
// twentieth task: a notice as large as a real one may be and more.
func largeReading(n int, title string) *duban.Reading {
	r := &duban.Reading{Schema: duban.ReadingSchema,
		Document: duban.DocumentInfo{Title: title, Year: 2022, Region: "某区", Issuer: "某区人民政府办公室"}}
	for s := 1; s <= 10; s++ {
		r.Sections = append(r.Sections, duban.ReadSection{No: s, Title: fmt.Sprintf("第%d项行动", s)})
		r.Areas = append(r.Areas, duban.ReadArea{Section: s, No: 1, Title: "重点领域"})
	}
	for i := range n {
		s := 1 + i%10
		r.Tasks = append(r.Tasks, duban.ReadTask{
			No: fmt.Sprintf("%d.1.%d", s, 1+i/10), Section: s, Area: 1, Line: 10 + i,
			Text:        fmt.Sprintf("推进第%d号重点项目建设，新增高新技术企业 %d 家", i, 10+i%90),
			LeadLeaders: []string{"张三"}, LeadUnits: []string{fmt.Sprintf("区第%d局", i%40)},
			ResponsibleUnits: []string{fmt.Sprintf("区第%d局", (i+1)%40), fmt.Sprintf("区第%d局", (i+2)%40)},
			Deadline:         "2022年底前",
			Indicators:       []duban.Indicator{{Text: fmt.Sprintf("新增高新技术企业 %d 家", 10+i%90), Metric: "新增高新技术企业", Value: float64(10 + i%90), Unit: "家", Cmp: duban.CmpEqual}},
		})
		if i%20 == 0 {
			r.Unassigned = append(r.Unassigned, duban.ReadStatement{Section: s, Area: 1, Text: fmt.Sprintf("第%d段总括性表述。", i), Line: 10 + i})
		}
	}
	return r
}

// rowCounts counts the rows a plan's import writes, in every table.
func rowCounts(t *testing.T, raw *sql.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"plans", "sections", "areas", "plan_sources", "plan_warnings", "tasks", "task_owners", "task_indicators", "statements"} {
		var n int
		if err := raw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// TestLargeImport imports a large notice while a clerk comments: each
// comment's wait for the write lock is reported (the figure, not a bound:
// speed is for benchmarks). An import stopped part way, as by a client
// that went away, leaves nothing behind, and nothing of it is ever seen
// before it is whole.
func TestLargeImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		const n = 5000
		clerk := MustCreateUser(t, db, &duban.User{Name: "clerk", Role: duban.RoleAdmin}, "")
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		task := MustFindTask(t, db, p.ID, "1.1.1")
		raw := MustRawDB(t, db)
		plans := ledgerstore.NewPlanService(db)

		// A comment every few milliseconds while the import runs.
		r := largeReading(n, "大型通知")
		data, _ := json.Marshal(r)
		done := make(chan struct{})
		var worst atomic.Int64
		var comments atomic.Int64
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				case <-time.After(5 * time.Millisecond):
				}
				start := time.Now()
				if err := ledgerstore.NewCommentService(db).CreateComment(as(clerk), &duban.Comment{TaskID: task.ID, Text: "进展顺利。"}); err != nil {
					t.Errorf("a comment during the import: %v", err)
					return
				}
				comments.Add(1)
				if d := time.Since(start); int64(d) > worst.Load() {
					worst.Store(int64(d))
				}
			}
		})
		// Readers never see the plan part made.
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				list, _, err := plans.FindPlans(as(office), duban.PlanFilter{})
				if err != nil {
					t.Errorf("listing plans during the import: %v", err)
					return
				}
				for _, pl := range list {
					if pl.Title == "大型通知" && pl.TaskCount != n {
						t.Errorf("during the import: the plan is seen with %d of its %d tasks", pl.TaskCount, n)
						return
					}
				}
			}
		})
		start := time.Now()
		res, err := plans.ImportPlan(as(office), duban.ImportInput{Name: "large.json", Data: data, Reading: r})
		took := time.Since(start)
		close(done)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if res.Plan.TaskCount != n {
			t.Errorf("imported: got %d tasks, want %d", res.Plan.TaskCount, n)
		}
		// The chunks are dated as the import, as one transaction would
		// be: no task reads as changed since its notice was imported.
		var later int
		if err := raw.QueryRow(`SELECT count(*) FROM tasks t JOIN plan_sources s ON s.plan_id = t.plan_id
			WHERE t.plan_id = $1 AND (t.updated_at <> s.imported_at OR t.created_at <> s.imported_at)`, res.Plan.ID).Scan(&later); err != nil {
			t.Fatal(err)
		} else if later != 0 {
			t.Errorf("%d tasks are dated apart from their notice's import", later)
		}
		t.Logf("%s: %d tasks imported in %v; %d comments meanwhile, the longest waited %v",
			db.Dialect(), n, took.Round(time.Millisecond), comments.Load(), time.Duration(worst.Load()).Round(time.Millisecond))

		// An import stopped part way leaves nothing.
		before := rowCounts(t, raw)
		listed, _, err := plans.FindPlans(as(office), duban.PlanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(as(office))
		var stopped sync.WaitGroup
		stopped.Go(func() {
			// Stop it once some of its tasks are written.
			for {
				var k int
				raw.QueryRow("SELECT count(*) FROM tasks").Scan(&k)
				if k > before["tasks"] || ctx.Err() != nil {
					cancel()
					return
				}
				time.Sleep(time.Millisecond)
			}
		})
		r2 := largeReading(n, "中途停止的通知")
		data2, _ := json.Marshal(r2)
		_, err = plans.ImportPlan(ctx, duban.ImportInput{Name: "stopped.json", Data: data2, Reading: r2})
		cancel()
		stopped.Wait()
		if err == nil {
			t.Skip("the import finished before it could be stopped")
		}
		if after := rowCounts(t, raw); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("an import stopped part way (%v) left rows:\nbefore %v\nafter  %v", err, before, after)
		}
		if list, _, err := plans.FindPlans(as(office), duban.PlanFilter{}); err != nil || len(list) != len(listed) {
			t.Errorf("plans after the stopped import: got %d, %v; want the %d before", len(list), err, len(listed))
		}
	})
}

// TestStaleImport: a plan an import left incomplete when its process died
// is never seen, and the next import removes it once it is an hour old.
func TestStaleImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := sqldbtest.UseClock(db)
		raw := MustRawDB(t, db)
		before := rowCounts(t, raw)
		dead := MustImport(t, db, largeReading(30, "进程中断的导入"), "dead.json")
		// As the process died before the last transaction.
		q := "UPDATE plans SET complete = false WHERE id = $1"
		if db.Dialect() == "sqlite" {
			q = "UPDATE plans SET complete = 0 WHERE id = ?"
		}
		if _, err := raw.Exec(q, dead.ID); err != nil {
			t.Fatal(err)
		}
		plans := ledgerstore.NewPlanService(db)
		if _, err := plans.FindPlanByID(as(office), dead.ID); duban.ErrorCode(err) != duban.ENOTFOUND {
			t.Errorf("an incomplete plan: got %v, want not found", err)
		}
		if tasks, n, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &dead.ID}); err != nil || n != 0 {
			t.Errorf("an incomplete plan's tasks: got %d (%d), %v, want none", len(tasks), n, err)
		}
		clk.Advance(2 * time.Hour)
		next := MustImport(t, db, largeReading(20, "下一份通知"), "next.json")
		after := rowCounts(t, raw)
		if after["plans"] != before["plans"]+1 || after["tasks"] != before["tasks"]+20 {
			t.Errorf("after the next import: got %v, want only plan #%d's rows added to %v", after, next.ID, before)
		}
	})
}
