// Package jobs runs a server's periodic work on the reporting cycle. Each
// round sends the reminders due (in-app, and on the channels that carry
// each unit's messages) and recomputes the status lights of open periods:
// every published plan's once a day, since days passing turn reports
// overdue with no change made, and a plan's again as soon as its tasks
// changed (a deadline moved). Every server runs one Runner; the store's
// once-only keys make their rounds safe together, so that each reminder
// goes once per obligation and day however many servers run. The clock is
// injected: tests move time and call RunOnce.
package jobs

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
)

// Actor is who the jobs act as: the office's rights, since reminding units
// and recomputing lights is the office's work, under a name no account can
// take (sign-in names start with a letter or a digit), so that the audit
// log shows the system did it.
var Actor = &duban.User{Name: "_system", DisplayName: "系统定时任务", Role: duban.RoleAdmin}

// Services are what the jobs work through.
type Services struct {
	Plans     duban.PlanService
	Reminders cycle.ReminderService
	Lights    cycle.LightService
}

// Options set a Runner; zero fields take the defaults.
type Options struct {
	// Interval is the pause between rounds (one minute): how late a
	// deadline moved shows in the lights, and a reminder of a period just
	// opened goes out.
	Interval time.Duration
	// RemindFrom is the time of day, in Beijing, before which no reminder
	// goes out (8:00), so that a group robot does not ring phones at night;
	// a negative value sends at any hour.
	RemindFrom time.Duration
	// Now is the clock (time.Now). The store's clock must be the same.
	Now func() time.Time
	// Logger logs what each round did and what failed (slog.Default()).
	Logger *slog.Logger
}

// Runner runs the rounds of one server.
type Runner struct {
	svc  Services
	opts Options
	log  *slog.Logger

	// mu keeps two rounds of one server from running at once. What it
	// guards is this server's own bookkeeping of the lights: the day every
	// plan's lights were last recomputed and each plan's change time then.
	// Another server keeps its own, and recomputing twice changes nothing.
	mu        sync.Mutex
	lightsDay duban.Date
	seen      map[int64]time.Time
}

// New returns a runner of the jobs over svc.
func New(svc Services, opts Options) *Runner {
	opts.Interval = cmp.Or(opts.Interval, time.Minute)
	if opts.RemindFrom == 0 {
		opts.RemindFrom = 8 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Runner{svc: svc, opts: opts, log: opts.Logger.With("jobs", "cycle"), seen: map[int64]time.Time{}}
}

// Round says what one round did.
type Round struct {
	// Reminders counts the in-app reminders added (each goes on the
	// channels too).
	Reminders int
	// Plans counts the plans whose lights were recomputed, and Lights the
	// lights that changed.
	Plans  int
	Lights int
}

// RunOnce runs one round as Actor: the reminders due, then the lights due
// for recomputing. A failure of one plan's lights does not stop the
// others'; the first error is returned.
func (r *Runner) RunOnce(ctx context.Context) (Round, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ctx = duban.NewContextWithUser(ctx, Actor)
	var round Round
	now := r.opts.Now()
	var firstErr error
	if r.opts.RemindFrom < 0 || sinceMidnight(now) >= r.opts.RemindFrom {
		n, err := r.svc.Reminders.SendReminders(ctx)
		if err != nil {
			firstErr = err
			r.log.Error("jobs: sending reminders", "err", err)
		}
		round.Reminders = n
	}
	published := duban.PlanPublished
	plans, _, err := r.svc.Plans.FindPlans(ctx, duban.PlanFilter{State: &published, WithoutCounts: true})
	if err != nil {
		r.log.Error("jobs: listing plans", "err", err)
		return round, cmp.Or(firstErr, err)
	}
	today := duban.Today(now)
	daily := today != r.lightsDay
	if daily && len(plans) > 1 {
		// Every plan's in one transaction costs less than a transaction
		// each; should it fail, each plan's is tried alone, so that one
		// plan's failure does not hold back the others'.
		if n, err := r.svc.Lights.RecomputeLights(ctx, 0); err == nil {
			for _, p := range plans {
				r.seen[p.ID] = p.UpdatedAt
			}
			round.Plans, round.Lights = len(plans), n
			plans = nil
		} else {
			r.log.Warn("jobs: recomputing every plan's lights at once; trying each plan's alone", "err", err)
		}
	}
	for _, p := range plans {
		if !daily && p.UpdatedAt.Equal(r.seen[p.ID]) {
			continue
		}
		n, err := r.svc.Lights.RecomputeLights(ctx, p.ID)
		if err != nil {
			r.log.Error("jobs: recomputing lights", "plan", p.ID, "err", err)
			firstErr = cmp.Or(firstErr, err)
			continue
		}
		r.seen[p.ID] = p.UpdatedAt
		round.Plans++
		round.Lights += n
	}
	if daily && firstErr == nil {
		r.lightsDay = today
	}
	if round.Reminders > 0 || round.Lights > 0 {
		r.log.Info("jobs: round", "reminders", round.Reminders, "plans", round.Plans, "lights", round.Lights)
	}
	return round, firstErr
}

// sinceMidnight is the time of day of t in Beijing.
func sinceMidnight(t time.Time) time.Duration {
	b := t.In(duban.Beijing)
	return b.Sub(time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, duban.Beijing))
}

// Start runs a round at once and then after each interval until ctx ends,
// and returns a channel closed when it has stopped. A round that fails is
// logged and the next one runs as usual.
func (r *Runner) Start(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		timer := time.NewTimer(0)
		defer timer.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
			r.RunOnce(ctx)
			timer.Reset(r.opts.Interval)
		}
	}()
	return done
}
