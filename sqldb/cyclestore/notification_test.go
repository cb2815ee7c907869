package cyclestore

import (
	"context"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestUnreadCountedToMax counts an office's unread notifications, more than
// the bell shows, exactly and up to a bound, before and after some are
// read, on both stores.
func TestUnreadCountedToMax(t *testing.T) {
	sqldbtest.ForEachDB(t, func(t *testing.T, db *sqldb.DB) {
		office := sqldbtest.As(sqldbtest.Office)
		clerk := sqldbtest.As(&duban.User{ID: 2, Name: "clerk", Role: duban.RoleClerk, UnitID: 7})
		if err := db.Update(office, func(tx *Tx) error {
			for i := range 150 {
				if _, err := notify(tx, &cycle.Notification{Office: true, Kind: cycle.NotifyReminder, Text: "提醒"}); err != nil {
					return err
				}
				if i < 60 {
					if _, err := tx.Exec("UPDATE notifications SET read_at = created_at WHERE id = (SELECT max(id) FROM notifications)"); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		bell := NewNotificationService(db)
		for _, c := range []struct {
			name      string
			ctx       context.Context
			max, want int
		}{
			{"the office, exactly", office, 0, 90},
			{"the office, up to 50", office, 50, 50},
			{"the office, up to 100", office, 100, 90},
			{"a clerk of another unit", clerk, 100, 0},
		} {
			if n, err := bell.CountUnreadNotifications(c.ctx, c.max); err != nil || n != c.want {
				t.Errorf("%s: got %d (%v), want %d", c.name, n, err, c.want)
			}
		}
	})
}
