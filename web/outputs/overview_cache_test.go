package outputs_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/webtest"
)

// countingFigures counts the overview's figures read, to tell an overview
// kept from one read afresh.
type countingFigures struct {
	cycle.OverviewService
	reads atomic.Int64
}

func (c *countingFigures) FindFigures(ctx context.Context, ff cycle.FiguresFilter) (*cycle.Figures, error) {
	c.reads.Add(1)
	return c.OverviewService.FindFigures(ctx, ff)
}

func (c *countingFigures) count() int64 { return c.reads.Load() }

// countingTasks counts the lists of a plan's tasks read, which the
// overview keeps apart from its figures.
type countingTasks struct {
	duban.TaskService
	reads atomic.Int64
}

func (c *countingTasks) FindTasks(ctx context.Context, f duban.TaskFilter) ([]*duban.Task, int, error) {
	if f.PlanID != nil {
		c.reads.Add(1)
	}
	return c.TaskService.FindTasks(ctx, f)
}

// TestOverviewFollowsChanges: the overview is kept while nothing it shows
// changes, on every server of one store, and a change made on one server
// (a report handed in and accepted, a light recomputed by a task's closing,
// a task's targets, a 督办单 issued and closed) shows on the next read on
// another, which then shows what a server keeping nothing shows. A
// leader's overview, with the leader's tasks first, is not another
// reader's, and the full screen comes back from the cache alone and
// reloading itself.
func TestOverviewFollowsChanges(t *testing.T) {
	for _, store := range webtest.Stores {
		t.Run(store, func(t *testing.T) {
			w := webtest.NewWorldOn(t, store)
			// Two more servers over the same store: one keeping pages,
			// its figures counted, and one keeping none, to compare with.
			serve := func(cfg web.Config) (*webtest.Client, *webtest.Client, *countingFigures, *countingTasks) {
				db := sqldbtest.MustOpen(t, w.DSN)
				db.Now = w.DB.Now
				svc := webtest.Services(db)
				figures, tasks := &countingFigures{OverviewService: svc.Overview}, &countingTasks{TaskService: svc.Tasks}
				svc.Overview, svc.Tasks = figures, tasks
				cfg.Logger, cfg.Now = slog.New(slog.DiscardHandler), w.DB.Now
				srv, err := webtest.NewServer(cfg, svc)
				if err != nil {
					t.Fatal(err)
				}
				hs := httptest.NewServer(srv.Handler())
				t.Cleanup(hs.Close)
				v, l := webtest.NewClient(t, hs.URL), webtest.NewClient(t, hs.URL)
				v.Login(viewer, password(viewer))
				l.Login(leader, password(leader))
				return v, l, figures, tasks
			}
			reader, leaderClient, figures, _ := serve(web.Config{})
			fresh, _, _, planTasks := serve(web.Config{PageCache: -1})
			path := fmt.Sprintf("/overview?plan=%d", w.Plan.ID)
			read := func(c *webtest.Client) string {
				t.Helper()
				return webtest.MainPart(c.MustGet(path, http.StatusOK, "按单位").Body)
			}

			// Read twice, the overview is read once.
			before := read(reader)
			n := figures.count()
			if again := read(reader); again != before || figures.count() != n {
				t.Fatalf("a second read with nothing changed: figures read %d more times, same page %v", figures.count()-n, again == before)
			}
			if want := read(fresh); before != want {
				t.Fatal("the kept overview is not the one read afresh")
			}

			// Each change, made on the world's server, shows on the next
			// read on the other.
			office := webtest.Services(w.DB)
			clerkCtx := duban.NewContextWithUser(context.Background(), w.Users[clerk])
			// shows says the change shows on the overview; one that does
			// not must leave it as the one read afresh.
			// tasks says it changes the plan's tasks, which a server keeping
			// no page reads again only then.
			changes := []struct {
				name   string
				shows  bool
				tasks  bool
				change func() error
			}{
				{"a report handed in", true, false, func() error {
					return office.Reports.CreateReport(clerkCtx, &cycle.Report{PeriodID: w.Period.ID, TaskID: w.Task.ID, UnitID: w.Users[clerk].UnitID,
						Kind: cycle.ReportTask, State: cycle.ReportSubmitted, Progress: "本月完成三成。", Completion: 30})
				}},
				{"a report returned", true, false, func() error {
					_, err := office.Reports.UpdateReport(officeCtx, w.Report.ID, cycle.ReportUpdate{State: ref(cycle.ReportReturned),
						ReturnReason: ref("请补充七月数据。"), Version: w.Report.Version})
					return err
				}},
				{"a report accepted", false, false, func() error {
					rs, _, err := office.Reports.FindReports(officeCtx, cycle.ReportFilter{TaskID: &w.Task.ID, PeriodID: &w.Period.ID})
					if err != nil || len(rs) != 1 {
						return fmt.Errorf("the report handed in: %d, %v", len(rs), err)
					}
					_, err = office.Reports.UpdateReport(officeCtx, rs[0].ID, cycle.ReportUpdate{State: ref(cycle.ReportAccepted), Version: rs[0].Version})
					return err
				}},
				{"lights recomputed by new thresholds", true, true, func() error {
					_, err := office.Periods.UpdateCycleSettings(officeCtx, w.Plan.ID, cycle.CycleSettingsUpdate{Thresholds: &cycle.Thresholds{Lag: 40, Severe: 50}})
					return err
				}},
				// The plan's tasks, kept apart from the figures, follow a
				// change to a task's targets, made while reports arrive.
				{"a task's target added", true, true, func() error {
					t, err := office.Tasks.FindTaskByID(officeCtx, w.OtherTask.ID)
					if err != nil {
						return err
					}
					ins := append(t.Indicators, duban.Indicator{Text: "新增就业岗位 500 个以上", Metric: "新增就业岗位", Value: 500, Unit: "个", Cmp: duban.CmpAtLeast})
					_, err = office.Tasks.UpdateTask(officeCtx, t.ID, duban.TaskUpdate{Indicators: &ins})
					return err
				}},
				{"a 督办单 issued", true, true, func() error {
					return office.Supervisions.CreateSupervision(officeCtx, &cycle.Supervision{TaskIDs: []int64{w.OtherTask.ID},
						UnitID: w.Report.UnitID, Reason: "报送材料不全", Requirement: "请补充佐证材料", Due: duban.Today(w.DB.Now()).AddDays(30)})
				}},
				{"a 督办单 closed", true, true, func() error {
					sv, err := office.Supervisions.FindSupervisionByID(officeCtx, w.Supervision.ID)
					if err != nil {
						return err
					}
					_, err = office.Supervisions.UpdateSupervision(officeCtx, sv.ID, cycle.SupervisionUpdate{State: ref(cycle.SupervisionClosed), Version: sv.Version})
					return err
				}},
			}
			for _, c := range changes {
				if err := c.change(); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				n := figures.count()
				got := read(reader)
				if figures.count() == n {
					t.Errorf("%s: the overview stayed kept", c.name)
				}
				if c.shows && got == before {
					t.Errorf("%s: the overview did not change", c.name)
				}
				k := planTasks.reads.Load()
				if want := read(fresh); got != want {
					t.Errorf("%s: the overview differs from the one read afresh", c.name)
				}
				if read := planTasks.reads.Load() > k; read != c.tasks {
					t.Errorf("%s: the plan's tasks read again %v, want %v", c.name, read, c.tasks)
				}
				before = got
			}

			// A comment changes nothing the overview shows: it stays kept.
			w.Client(admin).MustPost(fmt.Sprintf("/tasks/%d/comments", w.Task.ID), url.Values{"text": {"请关注进度。"}}, http.StatusSeeOther)
			n = figures.count()
			if read(reader); figures.count() != n {
				t.Error("a comment read the overview afresh")
			}

			// The leader's overview, with the leader's tasks first, is the
			// leader's alone.
			if lead := read(leaderClient); !strings.Contains(lead, "牵头的任务") {
				t.Error("the leader's overview does not show the leader's tasks")
			}
			if strings.Contains(read(reader), "牵头的任务") {
				t.Error("the viewer is shown the leader's overview")
			}

			// The full screen, kept, is shown alone and reloads itself.
			for range 2 {
				full := reader.MustGet(path+"&full=1", http.StatusOK, "退出全屏")
				if full.Header.Get("Refresh") == "" || !strings.Contains(full.Body, `<body class="bare">`) {
					t.Errorf("full screen: Refresh %q, bare %v", full.Header.Get("Refresh"), strings.Contains(full.Body, `<body class="bare">`))
				}
			}
		})
	}
}
