package jobs_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/jobs"
	"github.com/dubanhq/duban/notify"
	"github.com/dubanhq/duban/notify/notifytest"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/cyclestore"
	"github.com/dubanhq/duban/sqldb/deliverystore"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

var office = &duban.User{ID: 1000, Name: "office", DisplayName: "督查室", Role: duban.RoleAdmin}

func as(u *duban.User) context.Context { return duban.NewContextWithUser(context.Background(), u) }

const hookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// at is a time of day in Beijing.
func at(day string, hour, minute int) time.Time {
	d, err := duban.ParseDate(day)
	if err != nil {
		panic(err)
	}
	return time.Date(d.Year, d.Month, d.Day, hour, minute, 0, 0, duban.Beijing)
}

// server is what one server runs the jobs with: its own handle on the
// shared database, its runner and its drainer.
type server struct {
	db      *sqldb.DB
	runner  *jobs.Runner
	drainer *notify.Drainer
}

func newServer(t *testing.T, db *sqldb.DB, clk *notifytest.Clock, name string) *server {
	t.Helper()
	db.Now = clk.Now
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &server{
		db: db,
		runner: jobs.New(jobs.Services{Plans: ledgerstore.NewPlanService(db), Reminders: cyclestore.NewReminderService(db, nil),
			Lights: cyclestore.NewLightService(db)}, jobs.Options{Now: clk.Now, Logger: quiet}),
		drainer: notify.NewDrainer(deliverystore.NewDeliveryService(db), &notify.Senders{Now: clk.Now, Timeout: 5 * time.Second},
			notify.Options{Owner: name, Batch: 100, Logger: quiet}),
	}
}

// plan imports the hand-checked reading of the sample notice, publishes it
// and makes its periods, and returns the plan and its periods.
func plan(t *testing.T, db *sqldb.DB) (*duban.Plan, []*cycle.Period) {
	t.Helper()
	return numberedPlan(t, db, "")
}

// numberedPlan is plan with suffix added to the notice's number and title,
// which makes it another notice.
func numberedPlan(t *testing.T, db *sqldb.DB, suffix string) (*duban.Plan, []*cycle.Period) {
	t.Helper()
	data, err := os.ReadFile("../testdata/lixia-2022.reading.json")
	if err != nil {
		t.Fatal(err)
	}
	var r duban.Reading
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	r.Document.DocNumber += suffix
	r.Document.Title += suffix
	res, err := ledgerstore.NewPlanService(db).ImportPlan(as(office), duban.ImportInput{Name: "source.md", Data: append(data, suffix...), Reading: &r})
	if err != nil {
		t.Fatal(err)
	}
	p := sqldbtest.MustPublish(t, db, office, res.Plan.ID)
	periods, err := cyclestore.NewPeriodService(db).CreatePeriods(as(office), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p, periods
}

// TestTwoServers runs the jobs of two servers, each with its own handle on
// one database, at the same time and again and again through a reminder's
// days: every unit owing reports is reminded once a rule day, in its bell
// and on the webhook, however many rounds the servers run.
func TestTwoServers(t *testing.T) {
	sqldbtest.ForEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := notifytest.NewClock(at("2022-07-01", 9, 0))
		db.Now = clk.Now
		p, periods := plan(t, db)
		july := periods[6]
		if _, err := cyclestore.NewPeriodService(db).UpdatePeriod(as(office), july.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodOpen)}); err != nil {
			t.Fatal(err)
		}
		hook := notifytest.WebhookReceiver(t, clk.Now, hookSecret)
		if err := deliverystore.NewDeliveryService(db).CreateChannel(as(office), &duban.Channel{Name: "督查室接口", Kind: duban.ChannelWebhook,
			URL: hook.URL, Secret: hookSecret, PlanID: p.ID, Enabled: true}); err != nil {
			t.Fatal(err)
		}
		servers := []*server{newServer(t, db, clk, "one"), newServer(t, sqldbtest.MustOpen(t, sqldbtest.DSNOf(db)), clk, "two")}
		reminders := cyclestore.NewReminderService(db, nil)

		// round runs every server's jobs and drainer three times at once,
		// and returns the in-app reminders they added.
		round := func() int {
			t.Helper()
			var mu sync.Mutex
			var wg sync.WaitGroup
			added := 0
			for range 3 {
				for _, s := range servers {
					wg.Go(func() {
						r, err := s.runner.RunOnce(context.Background())
						if err != nil {
							t.Error(err)
						}
						if _, err := s.drainer.DrainOnce(context.Background()); err != nil {
							t.Error(err)
						}
						mu.Lock()
						added += r.Reminders
						mu.Unlock()
					})
				}
			}
			wg.Wait()
			for _, s := range servers { // what a claim left behind
				if _, err := s.drainer.DrainOnce(context.Background()); err != nil {
					t.Error(err)
				}
			}
			return added
		}
		// byKey counts what the webhook received, by once-only key.
		byKey := func() map[string]int {
			got := map[string]int{}
			for _, m := range hook.Received() {
				got[m.Key]++
			}
			return got
		}

		for _, step := range []struct {
			when time.Time
			// rule is the reminder due then ("" for none), new whether its
			// messages are new then rather than sent already.
			rule string
			new  bool
		}{
			{at("2022-07-21", 10, 0), "", false},    // four days before: none
			{at("2022-07-22", 7, 30), "", false},    // three days before, before 8:00: none yet
			{at("2022-07-22", 8, 0), "d-3", true},   // three days before
			{at("2022-07-22", 16, 0), "d-3", false}, // the same day again: nothing new
			{at("2022-07-23", 9, 0), "d-3", false},  // caught up the next day under the same key: nothing new
			{at("2022-07-24", 9, 0), "d-1", true},   // the day before
			{at("2022-07-26", 9, 0), "d+1", true},   // the day after: overdue
			{at("2022-07-26", 9, 30), "d+1", false}, // again
			{at("2022-08-10", 9, 0), "", false},     // past the last rule's catch-up: none
		} {
			clk.Set(step.when)
			var due []cycle.Reminder
			if step.rule != "" {
				var err error
				if due, err = reminders.FindReminders(as(office)); err != nil || len(due) == 0 {
					t.Fatalf("%s: %d reminders due (%v)", step.when, len(due), err)
				}
			}
			before := len(hook.Received())
			added := round()
			sent := len(hook.Received()) - before
			for _, r := range due {
				if r.Rule() != step.rule {
					t.Errorf("%s: a reminder of rule %s, want %s", step.when, r.Rule(), step.rule)
				}
			}
			if want := map[bool]int{true: len(due)}[step.new]; added != want || sent != want {
				t.Errorf("%s: %d reminders added and %d sent by two servers, want %d", step.when, added, sent, want)
			}
			for key, n := range byKey() {
				if n != 1 {
					t.Errorf("%s: the webhook got %q %d times, want once", step.when, key, n)
				}
			}
		}
		subjects := map[string]bool{}
		for _, m := range hook.Received() {
			subjects[m.Subject] = true
		}
		for _, want := range []string{"督办提醒：区财政局 2022年7月报告还有 3 天到期（7月25日）", "督办提醒：区财政局 2022年7月报告还有 1 天到期（7月25日）",
			"督办催报：区财政局 2022年7月报告已逾期 1 天"} {
			if !subjects[want] {
				t.Errorf("the webhook did not get %q", want)
			}
		}
		failed := duban.DeliveryFailed
		if _, n, err := deliverystore.NewDeliveryService(db).FindDeliveries(as(office), duban.DeliveryFilter{State: &failed}); err != nil || n != 0 {
			t.Errorf("%d deliveries failed (%v)", n, err)
		}

		// The log names the system as who sent them.
		events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("reminder"), Limit: 1})
		if err != nil || len(events) != 1 {
			t.Fatalf("the reminders' audit events: %v (%v)", events, err)
		}
		if events[0].Actor != "系统定时任务（_system）" || events[0].ActorID != 0 || !strings.Contains(events[0].Summary, "外发消息") {
			t.Errorf("the reminders' audit event: %+v", events[0])
		}
		sqldbtest.MustVerifyAudit(t, db, office)
	})
}

// TestLights recomputes the lights of open periods once a day and as soon
// as a plan's task changed, and not otherwise.
func TestLights(t *testing.T) {
	sqldbtest.ForEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := notifytest.NewClock(at("2022-07-01", 9, 0))
		db.Now = clk.Now
		p, periods := plan(t, db)
		july := periods[6]
		if _, err := cyclestore.NewPeriodService(db).UpdatePeriod(as(office), july.ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodOpen)}); err != nil {
			t.Fatal(err)
		}
		s := newServer(t, db, clk, "one")
		run := func(when string) jobs.Round {
			t.Helper()
			r, err := s.runner.RunOnce(context.Background())
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			return r
		}
		if r := run("the first round"); r.Plans != 1 {
			t.Errorf("the first round: recomputed %d plans, want the one", r.Plans)
		}
		if r := run("again"); r.Plans != 0 {
			t.Errorf("again the same day: recomputed %d plans, want none", r.Plans)
		}

		// The day after July's due date, every task unreported turns 未报送.
		clk.Set(at("2022-07-26", 9, 0))
		if r := run("the day after"); r.Plans != 1 || r.Lights == 0 {
			t.Errorf("the day after the due date: %+v, want the plan's lights changed", r)
		}
		tasks, _, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		task := tasks[0]
		light := func() *cycle.Light {
			t.Helper()
			ls, _, err := cyclestore.NewLightService(db).FindLights(as(office), cycle.LightFilter{PeriodID: &july.ID, TaskID: &task.ID})
			if err != nil || len(ls) != 1 {
				t.Fatalf("the light of task %s: %v (%v)", task.No, ls, err)
			}
			return ls[0]
		}
		if l := light(); l.Status != cycle.LightMissing {
			t.Errorf("task %s the day after: %s %q, want 未报送", task.No, l.Status, l.Reason)
		}

		// A report turns it; the office moves its deadline: the next round
		// recomputes the plan, the same day.
		clk.Set(at("2022-07-26", 10, 0))
		composer, _ := cycle.ReportingUnits(task, nil)
		clerk := &duban.User{ID: 3000, Name: "clerk", Role: duban.RoleClerk, UnitID: composer}
		if err := cyclestore.NewReportService(db, nil).CreateReport(as(clerk), &cycle.Report{PeriodID: july.ID, TaskID: task.ID,
			UnitID: composer, Kind: cycle.ReportTask, State: cycle.ReportSubmitted, Progress: "推进中", Completion: 40}); err != nil {
			t.Fatal(err)
		}
		before := light()
		if before.Status == cycle.LightMissing {
			t.Fatalf("after the report: still %s", before.Status)
		}
		clk.Set(at("2022-07-26", 11, 0))
		if _, err := ledgerstore.NewTaskService(db).UpdateTask(as(office), task.ID, duban.TaskUpdate{Deadline: ptr("2022年8月底前")}); err != nil {
			t.Fatal(err)
		}
		if r := run("after the deadline moved"); r.Plans != 1 || r.Lights == 0 {
			t.Errorf("after the deadline moved: %+v, want the plan recomputed and the light changed", r)
		}
		if after := light(); after.Expected <= before.Expected || after.Reason == before.Reason {
			t.Errorf("after the deadline moved to the end of August: expected %d%% (%q), was %d%% (%q): want more asked by now",
				after.Expected, after.Reason, before.Expected, before.Reason)
		}
		if r := run("nothing changed"); r.Plans != 0 {
			t.Errorf("nothing changed: recomputed %d plans", r.Plans)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// TestLightsEveryPlan recomputes every plan's lights in the daily round,
// and when that fails (a plan's settings unreadable), each plan's alone:
// one plan's failure does not hold back the others'.
func TestLightsEveryPlan(t *testing.T) {
	sqldbtest.ForEachDB(t, func(t *testing.T, db *sqldb.DB) {
		clk := notifytest.NewClock(at("2022-07-01", 9, 0))
		db.Now = clk.Now
		var plans []*duban.Plan
		for _, suffix := range []string{"", "（二）"} {
			p, periods := numberedPlan(t, db, suffix)
			if _, err := cyclestore.NewPeriodService(db).UpdatePeriod(as(office), periods[6].ID, cycle.PeriodUpdate{State: ptr(cycle.PeriodOpen)}); err != nil {
				t.Fatal(err)
			}
			plans = append(plans, p)
		}
		// A day after the periods opened, the first round moves the day of
		// both plans' lights, which each plan's audit log shows.
		clk.Set(at("2022-07-02", 9, 0))
		var log strings.Builder
		s := newServer(t, db, clk, "one")
		s.runner = jobs.New(jobs.Services{Plans: ledgerstore.NewPlanService(db), Reminders: cyclestore.NewReminderService(db, nil),
			Lights: cyclestore.NewLightService(db)}, jobs.Options{Now: clk.Now, Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if r, err := s.runner.RunOnce(context.Background()); err != nil || r.Plans != 2 {
			t.Fatalf("the first round: %+v (%v), want both plans recomputed", r, err)
		}
		for _, p := range plans {
			events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("plan"), EntityID: &p.ID})
			n := 0
			for _, e := range events {
				if e.Action == "plan.lights" {
					n++
				}
			}
			if err != nil || n != 1 {
				t.Errorf("plan %d: %d recomputations logged (%v), want 1", p.ID, n, err)
			}
		}

		if err := db.Update(as(office), func(tx *sqldb.Tx) error {
			_, err := tx.Exec(`INSERT INTO cycle_settings (plan_id, settings, updated_at) VALUES (?, '{', ?)
				ON CONFLICT (plan_id) DO UPDATE SET settings = excluded.settings`, plans[0].ID, tx.Time(tx.Now()))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		clk.Set(at("2022-07-26", 9, 0))
		r, err := s.runner.RunOnce(context.Background())
		if err == nil || !strings.Contains(err.Error(), "settings") || r.Plans != 1 || r.Lights == 0 {
			t.Errorf("the day after the due date, plan %d's settings unreadable: %+v (%v), want the other plan's lights changed and the error",
				plans[0].ID, r, err)
		}
		// The round tried every plan's at once before each plan's alone.
		if got := strings.Count(log.String(), "trying each plan's alone"); got != 1 {
			t.Errorf("the log says %d times it tried each plan's alone, want once:\n%s", got, log.String())
		}
	})
}
