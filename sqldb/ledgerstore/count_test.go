package ledgerstore_test

import (
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// TestCountTasksByOwner checks each owner's counts against the lists the
// same filter gives, on a plan where one unit is named both among a task's
// lead units and among its responsible ones: that unit leads the task and
// does not share it, in the counts and in the lists alike, so that what a
// unit leads and what it shares add up to all of its tasks. A unit in the
// filter is counted alone.
func TestCountTasksByOwner(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		ts := ledgerstore.NewTaskService(db)
		both := MustFindTask(t, db, p.ID, "1.1.1")
		if len(both.LeadUnits) == 0 || both.LeadUnits[0].ID == 0 {
			t.Fatalf("task 1.1.1 has no lead unit in the directory: %+v", both.LeadUnits)
		}
		lead := both.LeadUnits[0]
		responsible := append(slices.Clone(both.ResponsibleUnits), lead)
		if _, err := ts.UpdateTask(as(office), both.ID, duban.TaskUpdate{ResponsibleUnits: &responsible}); err != nil {
			t.Fatal(err)
		}

		counts, err := ts.CountTasksByOwner(as(viewer), duban.TaskFilter{PlanID: &p.ID, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var units, leaders int
		for _, c := range counts {
			id := c.ID
			f := duban.TaskFilter{PlanID: &p.ID}
			if c.Leader {
				leaders++
				f.LeaderID = &id
			} else {
				units++
				f.UnitID = &id
			}
			f.UnitRole = duban.UnitLeads
			led, nLead, _ := ts.FindTasks(as(viewer), f)
			f.UnitRole = duban.UnitShares
			shared, nShared, _ := ts.FindTasks(as(viewer), f)
			f.UnitRole = duban.UnitAnyRole
			_, all, _ := ts.FindTasks(as(viewer), f)
			if c.Leader {
				nShared, all = 0, nLead
			}
			if c.Lead != nLead || c.Shared != nShared {
				t.Errorf("%+v: lists give lead %d, shared %d", c, nLead, nShared)
			}
			if all != nLead+nShared {
				t.Errorf("%+v: all %d tasks, but %d led and %d shared", c, all, nLead, nShared)
			}
			if !c.Leader && id == lead.ID {
				inLed := slices.ContainsFunc(led, func(t *duban.Task) bool { return t.ID == both.ID })
				inShared := slices.ContainsFunc(shared, func(t *duban.Task) bool { return t.ID == both.ID })
				if !inLed || inShared {
					t.Errorf("%s, lead and responsible in task 1.1.1: in its led tasks %v, in its shared ones %v; want led only", lead.Name, inLed, inShared)
				}
			}
		}
		// A unit in the filter is counted alone, whatever its role says.
		i := slices.IndexFunc(counts, func(c duban.OwnerCount) bool { return !c.Leader && c.ID == lead.ID })
		one, err := ts.CountTasksByOwner(as(viewer), duban.TaskFilter{PlanID: &p.ID, UnitID: &lead.ID, UnitRole: duban.UnitShares})
		if err != nil || i < 0 || len(one) != 1 || one[0] != counts[i] {
			t.Errorf("counting %s alone: got %+v (%v), want its row of all the counts", lead.Name, one, err)
		}
		idle := &duban.Unit{Name: "区无任务局", Kind: duban.UnitDepartment}
		if err := ledgerstore.NewUnitService(db).CreateUnit(as(office), idle); err != nil {
			t.Fatal(err)
		}
		if none, err := ts.CountTasksByOwner(as(viewer), duban.TaskFilter{UnitID: &idle.ID}); err != nil || len(none) != 0 {
			t.Errorf("counting a unit without tasks: got %+v (%v), want no row", none, err)
		}
		if units != 57 || leaders != 12 {
			t.Errorf("got %d units and %d leaders, want 57 and 12", units, leaders)
		}
		if _, err := ts.CountTasksByOwner(as(nil), duban.TaskFilter{}); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("nobody counting: got %v", err)
		}
	})
}
