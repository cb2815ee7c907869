package cyclestore

import (
	"context"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
)

// NotificationService is the bell of the user in the context. Reading a
// notification is the user's own state, like a session, not a change of
// the ledger: it writes no audit event, and lists cached on the audit head
// stay cached.
type NotificationService struct{ base }

// NewNotificationService returns the notifications of db.
func NewNotificationService(db *sqldb.DB) *NotificationService {
	return &NotificationService{base{db: db}}
}

var _ cycle.NotificationService = (*NotificationService)(nil)

// audience is the condition selecting the notifications addressed to u:
// theirs, their unit's (a clerk), the office's (the office).
func audience(u *duban.User) *condition {
	var c condition
	parts := []string{"n.user_id = ?"}
	args := []any{u.ID}
	if u.Role == duban.RoleClerk && u.UnitID != 0 {
		parts, args = append(parts, "n.unit_id = ?"), append(args, u.UnitID)
	}
	if u.Role == duban.RoleAdmin {
		parts, args = append(parts, "n.office = ?"), append(args, true)
	}
	c.add("("+strings.Join(parts, " OR ")+")", args...)
	return &c
}

const notificationColumns = "n.id, n.user_id, n.unit_id, n.office, n.kind, n.text, n.text_en, n.link, n.created_at, n.read_at"

func scanNotification(sc interface{ Scan(...any) error }) (*cycle.Notification, error) {
	var n cycle.Notification
	err := sc.Scan(&n.ID, sqldb.IDCol(&n.UserID), sqldb.IDCol(&n.UnitID), &n.Office, &n.Kind, &n.Text, &n.TextEN, &n.Link,
		sqldb.TimeCol(&n.CreatedAt), sqldb.TimeCol(&n.ReadAt))
	return &n, err
}

// FindNotifications returns the user's notifications, newest first.
func (s *NotificationService) FindNotifications(ctx context.Context, f cycle.NotificationFilter) ([]*cycle.Notification, int, error) {
	u, err := duban.Authorize(ctx, "查看通知", duban.CanRead)
	if err != nil {
		return nil, 0, err
	}
	c := audience(u)
	if f.Unread {
		c.add("n.read_at IS NULL")
	}
	var out []*cycle.Notification
	var total int
	err = s.db.View(ctx, func(tx *Tx) error {
		from := " FROM notifications n" + c.where()
		var err error
		if total, err = tx.Count("SELECT count(*)"+from, c.args...); err != nil {
			return err
		}
		page, pargs := tx.Limit(f.Limit, f.Offset)
		rows, err := tx.Query("SELECT "+notificationColumns+from+" ORDER BY n.id DESC"+page, append(c.args, pargs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return rows.Err()
	})
	return out, total, err
}

// CountUnreadNotifications returns how many of the user's notifications are
// unread, at most max when max is above 0: the bell's count. The unread
// notifications are found in indexes of their own (migration 014).
func (s *NotificationService) CountUnreadNotifications(ctx context.Context, max int) (int, error) {
	u, err := duban.Authorize(ctx, "查看通知", duban.CanRead)
	if err != nil {
		return 0, err
	}
	c := audience(u)
	c.add("n.read_at IS NULL")
	q, args := "SELECT count(*) FROM notifications n"+c.where(), c.args
	if max > 0 {
		q, args = "SELECT count(*) FROM (SELECT 1 FROM notifications n"+c.where()+" LIMIT ?) unread", append(c.args, max)
	}
	var n int
	err = s.db.ViewRow(ctx, q, args...).Scan(&n)
	return n, err
}

// UpdateNotification marks one of the user's notifications read or unread.
func (s *NotificationService) UpdateNotification(ctx context.Context, id int64, upd cycle.NotificationUpdate) (*cycle.Notification, error) {
	u, err := duban.Authorize(ctx, "查看通知", duban.CanRead)
	if err != nil {
		return nil, err
	}
	var n *cycle.Notification
	err = s.db.Update(ctx, func(tx *Tx) error {
		var err error
		n, err = scanNotification(tx.QueryRow("SELECT "+notificationColumns+" FROM notifications n WHERE n.id = ?", id))
		if isNoRows(err) || (err == nil && !cycle.CanReadNotification(u, n)) {
			return sqldb.NotFound("通知", id)
		}
		if err != nil || upd.Read == nil || *upd.Read == n.Read() {
			return err
		}
		if *upd.Read {
			n.ReadAt = tx.Now()
		} else {
			n.ReadAt = time.Time{}
		}
		_, err = tx.Exec("UPDATE notifications SET read_at = ? WHERE id = ?", tx.Time(n.ReadAt), id)
		return err
	})
	return n, err
}

// MarkNotificationsRead marks all of the user's notifications read.
func (s *NotificationService) MarkNotificationsRead(ctx context.Context) (int, error) {
	u, err := duban.Authorize(ctx, "查看通知", duban.CanRead)
	if err != nil {
		return 0, err
	}
	c := audience(u)
	c.add("n.read_at IS NULL")
	var n int64
	err = s.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.Exec("UPDATE notifications SET read_at = ? WHERE id IN (SELECT n.id FROM notifications n"+c.where()+")",
			append([]any{tx.Time(tx.Now())}, c.args...)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
