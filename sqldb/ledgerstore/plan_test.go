package ledgerstore_test

import (
	"reflect"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

func TestImportAndPublish(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		plans := ledgerstore.NewPlanService(db)
		r := MustReadGold(t)
		in := duban.ImportInput{Name: "source.md", Data: []byte("原文"), Reading: r}
		res, err := plans.ImportPlan(as(office), in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := res.Outcome, duban.ImportCreated; got != want {
			t.Fatalf("outcome: got %q, want %q", got, want)
		}
		if got, want := len(res.NewUnits), 57; got != want {
			t.Errorf("new units: got %d, want %d", got, want)
		}
		if got, want := len(res.NewLeaders), 12; got != want {
			t.Errorf("new leaders: got %d, want %d", got, want)
		}
		p, err := plans.FindPlanByID(as(office), res.Plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what      string
			got, want int
		}{
			{"sections", len(p.Sections), 8},
			{"areas", len(p.Areas), 24},
			{"tasks", p.TaskCount, 88},
			{"open statements", p.OpenStatements, 9},
			{"issues", p.Issues, 1},
		} {
			if c.got != c.want {
				t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
			}
		}
		if got, want := p.State, duban.PlanDraft; got != want {
			t.Errorf("state: got %q, want %q", got, want)
		}

		// The same file again creates nothing.
		again, err := plans.ImportPlan(as(office), in)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := again.Outcome, duban.ImportUnchanged; got != want {
			t.Errorf("second import: got %q, want %q", got, want)
		}
		if _, n, _ := plans.FindPlans(as(office), duban.PlanFilter{}); n != 1 {
			t.Errorf("plans after importing twice: got %d, want 1", n)
		}
		// A list without counts is the same list, its counts zero.
		counted, _, err := plans.FindPlans(as(office), duban.PlanFilter{})
		if err != nil {
			t.Fatal(err)
		}
		bare, total, err := plans.FindPlans(as(office), duban.PlanFilter{WithoutCounts: true})
		if err != nil || total != 1 || len(bare) != 1 {
			t.Fatalf("plans without counts: got %d of %d (%v), want 1", len(bare), total, err)
		}
		want := *counted[0]
		want.Issues, want.TaskCount, want.OpenStatements = 0, 0, 0
		if got := *bare[0]; !reflect.DeepEqual(got, want) {
			t.Errorf("plan without counts: got %+v, want %+v", got, want)
		}

		// Publishing waits for every statement to be decided.
		_, err = plans.PublishPlan(as(office), p.ID)
		wantCode(t, "publish with open statements", err, duban.EINVALID)

		p = MustPublish(t, db, p.ID)
		if got, want := p.State, duban.PlanPublished; got != want {
			t.Errorf("state: got %q, want %q", got, want)
		}
		tasks, _, err := ledgerstore.NewTaskService(db).FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasks {
			for _, o := range append(append(task.LeadLeaders, task.LeadUnits...), task.ResponsibleUnits...) {
				if o.ID == 0 {
					t.Errorf("task %s: owner %q not mapped after publishing", task.No, o.Name)
				}
			}
		}
		_, n, _ := ledgerstore.NewUnitService(db).FindUnits(as(office), duban.UnitFilter{})
		if got, want := n, 57; got != want {
			t.Errorf("units after publishing: got %d, want %d", got, want)
		}
		_, err = plans.PublishPlan(as(office), p.ID)
		wantCode(t, "publish twice", err, duban.ECONFLICT)
		MustVerifyAudit(t, db)
	})
}
