package sqldb_test

import (
	"testing"

	"duban"
	"duban/sqldb"
)

// TestCountTasksByOwner checks each owner's counts against the lists the
// same filter gives.
func TestCountTasksByOwner(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		ts := sqldb.NewTaskService(db)
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
			_, lead, _ := ts.FindTasks(as(viewer), f)
			f.UnitRole = duban.UnitShares
			_, shared, _ := ts.FindTasks(as(viewer), f)
			if c.Leader {
				shared = 0
			}
			if c.Lead != lead || c.Shared != shared {
				t.Errorf("%+v: lists give lead %d, shared %d", c, lead, shared)
			}
		}
		if units != 57 || leaders != 12 {
			t.Errorf("got %d units and %d leaders, want 57 and 12", units, leaders)
		}
		if _, err := ts.CountTasksByOwner(as(nil), duban.TaskFilter{}); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("nobody counting: got %v", err)
		}
	})
}
