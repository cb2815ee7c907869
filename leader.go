package duban

import (
	"context"
	"time"
	"unicode/utf8"
)

// Leader is a district leader named in attributions (牵头领导). Leaders outlive
// plans, so that a leader's tasks can be listed for any year.
type Leader struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Title is the leader's post (副区长), shown beside the name.
	Title string `json:"title,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a leader's name and title.
func (l *Leader) Validate() error {
	if err := validateName("领导姓名", l.Name); err != nil {
		return err
	}
	if utf8.RuneCountInString(l.Title) > 100 {
		return Errorf(EINVALID, "职务过长（超过 100 字）。")
	}
	return nil
}

// LeaderFilter selects leaders. Nil and zero fields do not filter; Limit 0
// means no limit.
type LeaderFilter struct {
	ID   *int64
	Name *string
	// Query selects leaders whose name contains it.
	Query string

	Offset int
	Limit  int
}

// LeaderUpdate changes a leader. Nil fields are left as they are.
type LeaderUpdate struct {
	Name  *string `json:"name,omitempty"`
	Title *string `json:"title,omitempty"`
}

// LeaderService keeps the directory of leaders. Changes are the office's.
type LeaderService interface {
	// FindLeaderByID returns one leader.
	FindLeaderByID(ctx context.Context, id int64) (*Leader, error)
	// FindLeaders returns the leaders matching the filter, by name, and how
	// many match in all.
	FindLeaders(ctx context.Context, filter LeaderFilter) ([]*Leader, int, error)
	// CreateLeader adds a leader and sets its ID.
	CreateLeader(ctx context.Context, l *Leader) error
	// UpdateLeader corrects a leader's name or title.
	UpdateLeader(ctx context.Context, id int64, upd LeaderUpdate) (*Leader, error)
}
