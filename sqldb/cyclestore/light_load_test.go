package cyclestore

import (
	"reflect"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestLightTasksAsStored: the tasks the lights are computed from, read
// with their deadline and targets packed in a few texts, are the tasks as
// the ledger keeps them: every kind of deadline (a date, steps, ongoing,
// words read as no date, none) and targets whose unit, comparison and
// metric hold spaces and digits.
func TestLightTasksAsStored(t *testing.T) {
	sqldbtest.ForEachDB(t, func(t *testing.T, db *sqldb.DB) {
		office := sqldbtest.Office
		p := sqldbtest.MustImport(t, db, office, sqldbtest.MustReadGold(t), "lixia.json")
		tasks := ledgerstore.NewTaskService(db)
		all, _, err := tasks.FindTasks(sqldbtest.As(office), duban.TaskFilter{PlanID: &p.ID})
		if err != nil || len(all) < 5 {
			t.Fatalf("the plan's tasks: %d (%v)", len(all), err)
		}
		upper := 3.5
		edits := []duban.TaskUpdate{
			{Deadline: new("尽快")},
			{Deadline: new("长期坚持")},
			{Deadline: new("")},
			{Deadline: new("2022年3月底前完成方案，6月底前全面推开"), Indicators: &[]duban.Indicator{
				{Text: "两项", Metric: "新增 12 家 企业", Value: 2, Unit: "万 平方米", Cmp: duban.CmpRange, Upper: &upper},
				{Text: "一项", Metric: "率", Value: 0.1, Unit: "", Cmp: duban.CmpAtLeast},
			}},
		}
		for i, u := range edits {
			if _, err := tasks.UpdateTask(sqldbtest.As(office), all[i].ID, u); err != nil {
				t.Fatalf("edit %d: %v", i, err)
			}
		}
		if all, _, err = tasks.FindTasks(sqldbtest.As(office), duban.TaskFilter{PlanID: &p.ID}); err != nil {
			t.Fatal(err)
		}
		lp := &lightPlan{id: p.ID, computed: []*cycle.Period{{ID: 1}}}
		if err := db.View(sqldbtest.As(office), func(tx *Tx) error {
			return loadLightTasks(tx, map[int64]*lightPlan{p.ID: lp}, []int64{p.ID}, 0)
		}); err != nil {
			t.Fatal(err)
		}
		if len(lp.tasks) != len(all) {
			t.Fatalf("%d tasks read for the lights, want %d", len(lp.tasks), len(all))
		}
		byID := map[int64]*duban.Task{}
		for _, tk := range all {
			byID[tk.ID] = tk
		}
		kinds, steps, targets := map[duban.DeadlineKind]bool{}, 0, 0
		for _, got := range lp.tasks {
			want := byID[got.ID]
			if want == nil {
				t.Fatalf("task %d read for the lights, not the plan's", got.ID)
			}
			want.Indicators = append([]duban.Indicator(nil), want.Indicators...)
			for k := range want.Indicators {
				want.Indicators[k].Text = ""
			}
			if want.DeadlineKind != duban.DeadlineUnread {
				want.Deadline = ""
			}
			kinds[want.DeadlineKind] = true
			steps += len(want.Milestones)
			targets += len(want.Indicators)
			if got.Deadline != want.Deadline || got.DeadlineKind != want.DeadlineKind ||
				got.DeadlineDate != want.DeadlineDate || !reflect.DeepEqual(got.Milestones, want.Milestones) ||
				!reflect.DeepEqual(got.Indicators, want.Indicators) && len(got.Indicators)+len(want.Indicators) > 0 {
				t.Errorf("task %d read for the lights:\n%+v %v\nwant\n%+v %v", want.ID, *got, got.Indicators, *want, want.Indicators)
			}
		}
		if len(kinds) != 4 || steps == 0 || targets < 2 {
			t.Errorf("the tasks compared have deadline kinds %v, %d steps and %d targets: want all four kinds, steps and targets", kinds, steps, targets)
		}
	})
}

func TestReadLightTarget(t *testing.T) {
	var in duban.Indicator
	if err := readLightTarget(&in, "6 5 万 m2range新增 1 家"); err != nil || in.Unit != "万 m2" || in.Cmp != "range" || in.Metric != "新增 1 家" {
		t.Errorf("got %+v (%v)", in, err)
	}
	for _, bad := range []string{"", "1", "1 x", "x 1 ab", "3 3 ab", "-1 1 ab"} {
		if err := readLightTarget(&in, bad); err == nil {
			t.Errorf("%q: read, want an error", bad)
		}
	}
}
