package cycle

import (
	"context"
	"time"
)

// NotificationKind says what a notification is about.
type NotificationKind string

// The kinds of in-app notification.
const (
	NotifyReminder    NotificationKind = "reminder"    // a report is due or overdue
	NotifyUrge        NotificationKind = "urge"        // the office urged (催办)
	NotifyReview      NotificationKind = "review"      // a report was accepted or returned
	NotifySubmitted   NotificationKind = "submitted"   // a report waits for the office, or a part for its lead unit
	NotifySupervision NotificationKind = "supervision" // a supervision notice was issued, answered, closed
	NotifyClosure     NotificationKind = "closure"     // a request to close a task, or its decision
)

// Notification is a message in the bell of a user, of every clerk of a unit,
// or of the office. Reading it marks it read for all it is addressed to.
type Notification struct {
	ID int64 `json:"id"`
	// One of UserID, UnitID and Office says whom it is for.
	UserID int64            `json:"user_id,omitempty"`
	UnitID int64            `json:"unit_id,omitempty"`
	Office bool             `json:"office,omitempty"`
	Kind   NotificationKind `json:"kind"`
	Text   string           `json:"text"`
	TextEN string           `json:"text_en,omitempty"`
	// Link is the page it is about, a path of the site (/tasks/12).
	Link string `json:"link,omitempty"`
	// Key makes it once-only: a second notification with the same key is
	// not added, whichever server adds it.
	Key       string    `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	ReadAt    time.Time `json:"read_at,omitzero"`
}

// Read reports whether the notification was read.
func (n *Notification) Read() bool { return !n.ReadAt.IsZero() }

// NotificationFilter selects the notifications of the user in the context,
// newest first.
type NotificationFilter struct {
	Unread bool

	Offset int
	Limit  int
}

// NotificationUpdate marks a notification read or unread.
type NotificationUpdate struct {
	Read *bool `json:"read,omitempty"`
}

// NotificationService is the bell: the notifications of the user in the
// context (theirs, their unit's, and the office's for the office).
type NotificationService interface {
	// FindNotifications returns the user's notifications, newest first, and
	// how many match.
	FindNotifications(ctx context.Context, filter NotificationFilter) ([]*Notification, int, error)
	// CountUnreadNotifications returns how many of them are unread,
	// counting no further than max when max is above 0: the bell, on every
	// page, shows "99+" beyond 99, and an office that reads none of its
	// notifications has tens of thousands.
	CountUnreadNotifications(ctx context.Context, max int) (int, error)
	// UpdateNotification marks one of them read or unread.
	UpdateNotification(ctx context.Context, id int64, upd NotificationUpdate) (*Notification, error)
	// MarkNotificationsRead marks all of them read and returns how many.
	MarkNotificationsRead(ctx context.Context) (int, error)
}
