package page

import (
	"context"
	"net/http"
	"slices"
	"sync"

	"github.com/dubanhq/duban"
)

// choices are the lists the filter forms offer: the plans and their years,
// the leaders, the units. They are the same for everyone but drafts, so
// they are read once per version of the tasks and the directory and
// shared, read only, by every request at that version.
type choices struct {
	Plans   []*duban.Plan // newest year first
	Years   []int         // the plans' years, newest first
	Leaders []*duban.Leader
	Units   []*duban.Unit // the units not merged into another
	units   map[int64]*duban.Unit
	plans   map[int64]*duban.Plan
}

// Unit returns a unit of the list, or nil for one merged into another or
// not in the directory.
func (c *choices) Unit(id int64) *duban.Unit { return c.units[id] }

// PlanOf returns a plan as the lists offer it (without its sections,
// areas and counts), read once per version and shared: it must not be
// changed.
func (s *Server) PlanOf(r *http.Request, id int64) (*duban.Plan, error) {
	ch, err := s.Choices(r)
	if err != nil {
		return nil, err
	}
	if p := ch.plans[id]; p != nil {
		return p, nil
	}
	return s.svc.Plans.FindPlanByID(r.Context(), id)
}

// choiceCache keeps the choices read at the newest version of the tasks
// and the directory (web.Server.TasksHead, which reports and comments do not
// move) seen: one set for those who see drafts, one for the others.
// Requests arriving while a version is being read wait for it rather than
// read it again.
type choiceCache struct {
	mu      sync.Mutex
	entries [2]*choiceEntry // by whether the user sees drafts
}

// choiceEntry is the choices of one version, being read until ready is
// closed.
type choiceEntry struct {
	head  int64
	ready chan struct{}
	c     *choices
	err   error
}

// Choices returns the filter forms' lists at the version of the tasks and
// the directory that the request reads.
func (s *Server) Choices(r *http.Request) (*choices, error) {
	head, err := s.TasksHead(r)
	if err != nil {
		return nil, err
	}
	drafts := 0
	if duban.CanViewDrafts(duban.UserFromContext(r.Context())) {
		drafts = 1
	}
	cc := &s.choiceCache
	cc.mu.Lock()
	e := cc.entries[drafts]
	// Lists read at a newer head than the request's are newer than it
	// needs, never older: they do.
	if e == nil || e.head < head {
		e = &choiceEntry{head: head, ready: make(chan struct{})}
		cc.entries[drafts] = e
		cc.mu.Unlock()
		s.readEntry(r, e, drafts)
		return e.c, e.err
	}
	cc.mu.Unlock()
	select {
	case <-e.ready:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	if e.c == nil {
		// Whatever failed another request's reading, this one tries its own.
		return s.readChoices(r.Context())
	}
	return e.c, nil
}

// readEntry reads the choices of an entry for everyone waiting on it: a
// request that goes away does not end the reading. An entry whose reading
// failed is dropped, so that the next request tries again, and those
// waiting on it read their own.
func (s *Server) readEntry(r *http.Request, e *choiceEntry, drafts int) {
	cc := &s.choiceCache
	defer close(e.ready)
	defer func() {
		if e.c == nil {
			cc.mu.Lock()
			if cc.entries[drafts] == e {
				cc.entries[drafts] = nil
			}
			cc.mu.Unlock()
		}
	}()
	e.c, e.err = s.readChoices(context.WithoutCancel(r.Context()))
}

// readChoices reads the lists as the context's user sees them.
func (s *Server) readChoices(ctx context.Context) (*choices, error) {
	c := &choices{units: map[int64]*duban.Unit{}, plans: map[int64]*duban.Plan{}}
	var err error
	if c.Plans, _, err = s.svc.Plans.FindPlans(ctx, duban.PlanFilter{WithoutCounts: true}); err != nil {
		return nil, err
	}
	for _, p := range c.Plans {
		c.plans[p.ID] = p
		if !slices.Contains(c.Years, p.Year) {
			c.Years = append(c.Years, p.Year)
		}
	}
	if c.Leaders, _, err = s.svc.Leaders.FindLeaders(ctx, duban.LeaderFilter{}); err != nil {
		return nil, err
	}
	if c.Units, _, err = s.svc.Units.FindUnits(ctx, duban.UnitFilter{}); err != nil {
		return nil, err
	}
	for _, u := range c.Units {
		c.units[u.ID] = u
	}
	return c, nil
}
