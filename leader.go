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
	// Order places the leader in lists as the government ranks its leaders
	// (区长, then 常务副区长…): smaller first, then by name's entry; 0 for
	// leaders not yet placed, after the placed ones.
	Order int `json:"order"`

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
	if l.Order < 0 || l.Order > MaxLeaderOrder {
		return Errorf(EINVALID, "排序号 %d 不正确：应为 0 到 %d 之间的整数，小的在前，0 表示不排序。", l.Order, MaxLeaderOrder)
	}
	return nil
}

// MaxLeaderOrder is the largest order number a leader may have.
const MaxLeaderOrder = 9999

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
	Order *int    `json:"order,omitempty"`
}

// LeaderService keeps the directory of leaders. Changes are the office's.
type LeaderService interface {
	// FindLeaderByID returns one leader.
	FindLeaderByID(ctx context.Context, id int64) (*Leader, error)
	// FindLeaders returns the leaders matching the filter, in their order
	// (Order, those without one last), and how many match in all.
	FindLeaders(ctx context.Context, filter LeaderFilter) ([]*Leader, int, error)
	// CreateLeader adds a leader and sets its ID.
	CreateLeader(ctx context.Context, l *Leader) error
	// UpdateLeader corrects a leader's name, title or order.
	UpdateLeader(ctx context.Context, id int64, upd LeaderUpdate) (*Leader, error)
}
