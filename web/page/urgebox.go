package page

import (
	"fmt"
	"net/http"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// The urging a task's or a unit's page shows beside it.

// urgeBox is the urging a task's or a unit's page shows: how often it was
// urged and, for the office, the button that urges it again.
type urgeBox struct {
	// Action is the address the button posts to; empty for those who may
	// not urge.
	Action string
	// Plans are the plans a unit may be urged about (a task's is its own).
	Plans []*duban.Plan
	Count int
	Last  time.Time
	// Supervise links to issuing a 督办单 on the task.
	Supervise string
}

// taskUrgeBox reads the urges of a task.
func (s *Server) taskUrgeBox(r *http.Request, t *duban.Task, plan *duban.Plan) (*urgeBox, error) {
	urges, n, err := s.svc.Reminders.FindUrges(r.Context(), cycle.UrgeFilter{TaskID: &t.ID, Limit: 1})
	if err != nil {
		return nil, err
	}
	b := &urgeBox{Count: n}
	if len(urges) > 0 {
		b.Last = urges[0].At
	}
	if cycle.CanUrge(duban.UserFromContext(r.Context())) && plan.State == duban.PlanPublished && t.State == duban.TaskActive {
		b.Action = fmt.Sprintf("/tasks/%d/urge", t.ID)
		b.Supervise = fmt.Sprintf("/supervisions/new?task=%d", t.ID)
	}
	return b, nil
}

// unitUrgeBox reads the urges of a unit across plans.
func (s *Server) unitUrgeBox(r *http.Request, unitID int64) (*urgeBox, error) {
	counts, err := s.svc.Reminders.CountUrges(r.Context(), cycle.UrgeFilter{UnitID: &unitID})
	if err != nil {
		return nil, err
	}
	b := &urgeBox{}
	for _, n := range counts {
		b.Count += n.Count
		if n.Last.After(b.Last) {
			b.Last = n.Last
		}
	}
	if cycle.CanUrge(duban.UserFromContext(r.Context())) {
		c, err := s.Choices(r)
		if err != nil {
			return nil, err
		}
		for _, p := range c.Plans {
			if p.State == duban.PlanPublished {
				b.Plans = append(b.Plans, p)
			}
		}
		if len(b.Plans) > 0 {
			b.Action = fmt.Sprintf("/units/%d/urge", unitID)
		}
	}
	return b, nil
}
