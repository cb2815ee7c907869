package cyclestore_test

import (
	"encoding/json"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/demo"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestRecomputeEveryPlan recomputes the lights of every published plan in
// one call (plan 0), as the daily pass does: a day later every light of
// the open periods moves on, in each plan, and is logged per plan; a second
// pass the same day changes nothing; a clerk may not recompute.
func TestRecomputeEveryPlan(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		w := newWorld(t, db, nil)
		// A second published plan of 2022, of a few tasks.
		r := demo.SyntheticReading(2022, 8, 5)
		r.Document.Region = "历下区第二"
		data, _ := json.Marshal(r)
		res, err := sqldb.NewPlanService(db).ImportPlan(as(office), duban.ImportInput{Name: "second.json", Data: data, Reading: r})
		if err != nil {
			t.Fatal(err)
		}
		second := sqldbtest.MustPublish(t, db, office, res.Plan.ID)
		w.clock.Set("2022-07-05")
		july := w.mustPeriods(t)[6]
		w.mustOpenPeriod(t, july)
		secondJuly, err := w.periods.CreatePeriods(as(office), second.ID)
		if err != nil {
			t.Fatal(err)
		}
		w.mustOpenPeriod(t, secondJuly[6])

		count := func(planID int64) int {
			ls, n, err := w.lights.FindLights(as(office), cycle.LightFilter{PlanID: &planID, Limit: 1})
			if err != nil || len(ls) != 1 {
				t.Fatalf("lights of plan %d: %v", planID, err)
			}
			return n
		}
		first, other := count(w.plan.ID), count(second.ID)

		w.clock.Set("2022-07-06")
		if _, err := w.lights.RecomputeLights(as(w.clerk(t, "区财政局")), 0); duban.ErrorCode(err) != duban.EFORBIDDEN {
			t.Errorf("a clerk recomputing: got %v, want forbidden", err)
		}
		n, err := w.lights.RecomputeLights(as(office), 0)
		if err != nil {
			t.Fatal(err)
		}
		if n != first+other {
			t.Errorf("a day later: %d lights changed, want every open period's %d + %d", n, first, other)
		}
		for _, p := range []*duban.Plan{w.plan, second} {
			ls, _, err := w.lights.FindLights(as(office), cycle.LightFilter{PlanID: &p.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range ls {
				if l.AsOf != date("2022-07-06") {
					t.Fatalf("plan %d: a light as of %s, want 2022-07-06", p.ID, l.AsOf)
				}
			}
			events, _, err := sqldb.NewAuditService(db).FindAuditEvents(as(office), duban.AuditFilter{Entity: ptr("plan"), EntityID: &p.ID, Limit: 1})
			if err != nil || len(events) != 1 || events[0].Action != "plan.lights" {
				t.Errorf("plan %d: latest event %+v (%v), want plan.lights", p.ID, events, err)
			}
		}
		if n, err := w.lights.RecomputeLights(as(office), 0); err != nil || n != 0 {
			t.Errorf("again the same day: %d changed (%v), want 0", n, err)
		}
		if _, err := w.lights.RecomputeLights(as(office), 999999); duban.ErrorCode(err) != duban.ENOTFOUND {
			t.Errorf("a plan that is not there: got %v, want not found", err)
		}
	})
}
