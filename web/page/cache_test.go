package page_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// countingTasks counts the lists of tasks read, to tell a page kept from a
// page read afresh.
type countingTasks struct {
	duban.TaskService
	lists atomic.Int64
}

func (c *countingTasks) FindTasks(ctx context.Context, f duban.TaskFilter) ([]*duban.Task, int, error) {
	c.lists.Add(1)
	return c.TaskService.FindTasks(ctx, f)
}

func (c *countingTasks) count() int64 { return c.lists.Load() }

// countingLights notes the tasks whose lights lists read, to tell a page
// lit afresh from a page whose moved lights alone were read again.
type countingLights struct {
	cycle.LightService
	mu   sync.Mutex
	read [][]int64
}

func (c *countingLights) FindLights(ctx context.Context, f cycle.LightFilter) ([]*cycle.Light, int, error) {
	if f.TaskIDs != nil {
		c.mu.Lock()
		c.read = append(c.read, f.TaskIDs)
		c.mu.Unlock()
	}
	return c.LightService.FindLights(ctx, f)
}

// since returns the tasks read since the n-th list, and how many lists.
func (c *countingLights) since(n int) ([][]int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.read[n:]), len(c.read)
}

// TestUnitPagesFollowLights: the pages of a unit's tasks (its page, the
// ledger filtered by it) are kept until the tasks or their lights change,
// on every server of one store. A clerk hands in a task's report on one
// server and its light shows on the next read on the other, which reads
// the lights alone; the pages of a unit the task does not reach stay kept
// there, and a part, which changes no light, leaves every unit's pages
// kept. An urge of a unit shows on its page there at once.
func TestUnitPagesFollowLights(t *testing.T) {
	for _, store := range webtest.Stores {
		t.Run(store, func(t *testing.T) {
			w := webtest.NewWorldOn(t, store)
			// A second server over the same store, its lists of tasks
			// counted.
			db := sqldbtest.MustOpen(t, w.DSN)
			db.Now = w.DB.Now
			svc := webtest.Services(db)
			tasks := &countingTasks{TaskService: svc.Tasks}
			svc.Tasks = tasks
			lights := &countingLights{LightService: svc.Lights}
			svc.Lights = lights
			srv, err := webtest.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), Now: w.DB.Now}, svc)
			if err != nil {
				t.Fatal(err)
			}
			other := httptest.NewServer(srv.Handler())
			t.Cleanup(other.Close)
			reader := webtest.NewClient(t, other.URL)
			reader.Login(viewer, password(viewer))

			// A task the clerk's unit composes the report of, with a
			// co-unit, and a unit it does not reach.
			clerkUnit := w.Users[clerk].UnitID
			list, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID, UnitID: &clerkUnit})
			if err != nil {
				t.Fatal(err)
			}
			var task *duban.Task
			var coUnit int64
			for _, tk := range list {
				if composer, parts := cycle.ReportingUnits(tk, nil); composer == clerkUnit && len(parts) > 0 && task == nil {
					task, coUnit = tk, parts[0]
				}
			}
			if task == nil {
				t.Fatal("no task the clerk's unit composes, with a co-unit")
			}
			all, _, err := svc.Tasks.FindTasks(officeCtx, duban.TaskFilter{PlanID: &w.Plan.ID})
			if err != nil {
				t.Fatal(err)
			}
			var farUnit int64
			for _, tk := range all {
				if composer, _ := cycle.ReportingUnits(tk, nil); composer != 0 && !task.HasUnit(composer) && farUnit == 0 {
					farUnit = composer
				}
			}
			pages := func(unit int64) []string {
				return []string{fmt.Sprintf("/units/%d", unit), fmt.Sprintf("/tasks?unit=%d", unit)}
			}
			read := func(unit int64, texts ...string) map[string]string {
				t.Helper()
				out := map[string]string{}
				for _, p := range pages(unit) {
					out[p] = mainPart(reader.MustGet(p, http.StatusOK, texts...).Body)
				}
				return out
			}
			co := &duban.User{Name: "co-clerk", DisplayName: "协办联络员", Role: duban.RoleClerk, UnitID: coUnit}
			if err := svc.Users.CreateUser(officeCtx, co); err != nil {
				t.Fatal(err)
			}
			before := read(clerkUnit)
			read(coUnit)
			far := read(farUnit)

			// A part changes no light: every page stays kept.
			n := tasks.count()
			part := &cycle.Report{PeriodID: w.Period.ID, TaskID: task.ID, UnitID: coUnit, Kind: cycle.ReportPart,
				State: cycle.ReportSubmitted, Progress: "协办部分已完成。", Completion: 50}
			if err := svc.Reports.CreateReport(duban.NewContextWithUser(context.Background(), co), part); err != nil {
				t.Fatal(err)
			}
			read(clerkUnit)
			read(coUnit)
			read(farUnit)
			if got := tasks.count(); got != n {
				t.Errorf("after a part: %d lists of tasks read afresh, want none", got-n)
			}

			// The task's report, handed in on the first server, shows on
			// the other at once, on the pages of the units it reaches, read
			// afresh from the tasks kept there and the lights.
			c := w.Client(clerk)
			c.MustPost(fmt.Sprintf("/tasks/%d/report", task.ID), url.Values{"period": {fmt.Sprint(w.Period.ID)}, "action": {"submit"},
				"progress": {"本月工作全部完成。"}, "completion": {"100"}}, http.StatusSeeOther)
			ls, _, err := svc.Lights.FindLights(officeCtx, cycle.LightFilter{TaskID: &task.ID, PeriodID: &w.Period.ID})
			if err != nil || len(ls) != 1 {
				t.Fatalf("the task's light: %v", err)
			}
			reason := ls[0].Reason
			n = tasks.count()
			_, lit := lights.since(0)
			read(clerkUnit, reason)
			read(coUnit, reason)
			if got := tasks.count(); got != n {
				t.Errorf("after the report: %d lists of tasks read afresh, want none (only the lights)", got-n)
			}
			// Of the pages' lights, those of the task alone were read again.
			if again, _ := lights.since(lit); len(again) != 4 || slices.ContainsFunc(again, func(ids []int64) bool {
				return !slices.Equal(ids, []int64{task.ID})
			}) {
				t.Errorf("after the report: the four pages read the lights of tasks %v, want each the task's (%d) alone", again, task.ID)
			}
			for _, p := range pages(clerkUnit) {
				if strings.Contains(before[p], reason) {
					t.Fatalf("%s showed %q before the report", p, reason)
				}
			}
			n = tasks.count()
			if got := read(farUnit); got[pages(farUnit)[0]] != far[pages(farUnit)[0]] || tasks.count() != n {
				t.Errorf("the far unit's pages after the report: read afresh %d times", tasks.count()-n)
			}

			// An urge of the far unit, sent on the first server, shows on
			// its page on the other.
			w.Client(admin).MustPost(fmt.Sprintf("/units/%d/urge", farUnit), url.Values{"plan": {fmt.Sprint(w.Plan.ID)},
				"message": {"请抓紧报送。"}}, http.StatusSeeOther)
			reader.MustGet(pages(farUnit)[0], http.StatusOK, "已催办 1 次")

			// A change to the tasks reads every unit's pages afresh.
			text := "缓存之后修改的任务内容"
			if _, err := svc.Tasks.UpdateTask(officeCtx, task.ID, duban.TaskUpdate{Text: &text}); err != nil {
				t.Fatal(err)
			}
			read(clerkUnit, text)
			if read(farUnit); tasks.count() == n {
				t.Error("a task's correction left the far unit's pages kept")
			}
		})
	}
}
