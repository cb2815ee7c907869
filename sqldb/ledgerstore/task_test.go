package ledgerstore_test

import (
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

func TestTaskSort(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		ts := ledgerstore.NewTaskService(db)
		first := func(owners []duban.Owner) string {
			if len(owners) == 0 {
				return ""
			}
			return owners[0].Name
		}
		for _, c := range []struct {
			sort duban.TaskSort
			key  func(*duban.Task) string
		}{
			{duban.TaskSortDeadline, func(t *duban.Task) string { return t.Deadline }},
			{duban.TaskSortLeadUnit, func(t *duban.Task) string { return first(t.LeadUnits) }},
			{duban.TaskSortLeader, func(t *duban.Task) string { return first(t.LeadLeaders) }},
		} {
			for _, desc := range []bool{false, true} {
				tasks, n, err := ts.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, Sort: c.sort, Desc: desc})
				if err != nil || n != 88 {
					t.Fatalf("%s: got %d, %v", c.sort, n, err)
				}
				for i := 1; i < len(tasks); i++ {
					a, b := c.key(tasks[i-1]), c.key(tasks[i])
					inOrder := a == b || b == "" || (a != "" && (a < b) != desc)
					if !inOrder {
						t.Errorf("sort %s desc=%v: %q before %q", c.sort, desc, a, b)
						break
					}
				}
			}
		}
		// Plan order reversed is the plan order backwards.
		asc, _, _ := ts.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID})
		desc, _, _ := ts.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, Desc: true})
		if asc[0].ID != desc[len(desc)-1].ID || asc[len(asc)-1].ID != desc[0].ID {
			t.Error("plan order descending is not plan order reversed")
		}
		// The last changed comes first.
		text := "最近修改的任务"
		if _, err := ts.UpdateTask(as(office), asc[40].ID, duban.TaskUpdate{Text: &text}); err != nil {
			t.Fatal(err)
		}
		upd, _, _ := ts.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, Sort: duban.TaskSortUpdated, Limit: 1})
		if upd[0].ID != asc[40].ID {
			t.Errorf("sorted by update: got task %s first, want %s", upd[0].No, asc[40].No)
		}
	})
}

// TestFindTaskUnits reads the tasks of FindTasks, in its order, with the
// same lead and responsible units.
func TestFindTaskUnits(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		ts := ledgerstore.NewTaskService(db)
		one := MustFindTask(t, db, p.ID, "6.1.1").ID
		for _, f := range []duban.TaskFilter{{PlanID: &p.ID}, {PlanID: &p.ID, Sort: duban.TaskSortLeadUnit, Desc: true}, {ID: &one}} {
			want, _, err := ts.FindTasks(as(office), f)
			if err != nil {
				t.Fatal(err)
			}
			var got []*duban.Task
			if err := db.View(as(office), func(tx *sqldb.Tx) error {
				got, err = ledgerstore.FindTaskUnits(tx, f)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%+v: got %d tasks, want %d", f, len(got), len(want))
			}
			for i, w := range want {
				g := got[i]
				if g.ID != w.ID || g.PlanID != w.PlanID || g.No != w.No || g.State != w.State ||
					!slices.Equal(g.LeadUnits, w.LeadUnits) || !slices.Equal(g.ResponsibleUnits, w.ResponsibleUnits) {
					t.Errorf("task %s: got %+v, want %+v", w.No, g, w)
				}
			}
		}
	})
}
