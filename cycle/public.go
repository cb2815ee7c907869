package cycle

import (
	"context"
	"time"

	"github.com/dubanhq/duban"
)

// The public page (政务公开): a plan's targets and tasks with their progress
// and lights, for anyone, without signing in. The office decides which
// plans are shown and keeps tasks off it. A PublicPlan holds nothing but
// what the page may show, so that no internal word (a comment, a returned
// report, a clerk's name, an evidence file, a light's reason) can reach it.

// Publication is what a plan shows the public.
type Publication struct {
	PlanID int64 `json:"plan_id"`
	Public bool  `json:"public"`
	// Hidden are the tasks kept off the public page, by ID.
	Hidden    []int64   `json:"hidden"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// PublicationUpdate changes what a plan shows: nil fields are left as they
// are; Hide and Show keep tasks off the page or put them back.
type PublicationUpdate struct {
	Public *bool   `json:"public,omitempty"`
	Hide   []int64 `json:"hide,omitempty"`
	Show   []int64 `json:"show,omitempty"`
}

// PublicPlan is a plan as the public page shows it.
type PublicPlan struct {
	ID        int64  `json:"id"`
	Year      int    `json:"year"`
	Title     string `json:"title"`
	DocNumber string `json:"doc_number,omitempty"`
	Issuer    string `json:"issuer,omitempty"`
	// Period names the period the lights are of; AsOf is their day. Both
	// are empty before reporting begins.
	Period string     `json:"period,omitempty"`
	AsOf   duban.Date `json:"as_of,omitzero"`
	// Counts are the lights of the tasks shown.
	Counts   LightCounts     `json:"counts"`
	Sections []PublicSection `json:"sections"`
}

// PublicSection is an action of a public plan and its tasks shown.
type PublicSection struct {
	No    int          `json:"no"`
	Title string       `json:"title"`
	Tasks []PublicTask `json:"tasks"`
}

// PublicTask is a task as the public page shows it: what the notice says
// of it, its light and completion, its targets against what they reached,
// and the progress of its latest report the office accepted.
type PublicTask struct {
	ID         int64            `json:"id"`
	No         string           `json:"no"`
	Text       string           `json:"text"`
	Leaders    []string         `json:"leaders"`
	LeadUnits  []string         `json:"lead_units"`
	Units      []string         `json:"units"`
	Deadline   string           `json:"deadline"`
	Light      LightStatus      `json:"light"`
	Completion int              `json:"completion"` // -1 when none was reported
	Targets    []TargetProgress `json:"targets"`
	// Progress is the 进展情况 of the task's latest accepted report.
	Progress string `json:"progress,omitempty"`
}

// PublicPlanSummary is a public plan in the list of them.
type PublicPlanSummary struct {
	ID    int64  `json:"id"`
	Year  int    `json:"year"`
	Title string `json:"title"`
}

// CanPublish reports whether u may decide what the public page shows: the
// office's work.
func CanPublish(u *duban.User) bool { return duban.IsOffice(u) }

// PublicationService keeps what each plan shows the public and reads the
// public page. The public reads need no user: they return only what the
// office made public.
type PublicationService interface {
	// FindPublication returns what a plan shows; a plan never set is not
	// public.
	FindPublication(ctx context.Context, planID int64) (*Publication, error)
	// UpdatePublication changes what a plan shows.
	UpdatePublication(ctx context.Context, planID int64, upd PublicationUpdate) (*Publication, error)
	// FindPublicPlans returns the plans on the public page, newest year
	// first.
	FindPublicPlans(ctx context.Context) ([]PublicPlanSummary, error)
	// FindPublicPlan returns what the public page shows of a plan, or
	// ENOTFOUND when it is not public.
	FindPublicPlan(ctx context.Context, planID int64) (*PublicPlan, error)
}
