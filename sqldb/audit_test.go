package sqldb_test

import (
	"fmt"
	"testing"

	"duban"
	"duban/sqldb"
)

// MustWriteEvents makes n changes, each with its audit event.
func MustWriteEvents(t testing.TB, db *sqldb.DB, n int) {
	t.Helper()
	for i := range n {
		if err := sqldb.NewLeaderService(db).CreateLeader(as(office), &duban.Leader{Name: fmt.Sprintf("领导%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditIsAppendOnly(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		MustWriteEvents(t, db, 3)
		raw := MustRawDB(t, db)
		for _, q := range []string{
			"UPDATE audit_events SET summary = 'x' WHERE seq = 2",
			"DELETE FROM audit_events WHERE seq = 2",
			"DELETE FROM audit_head",
		} {
			if _, err := raw.Exec(q); err == nil {
				t.Errorf("%s: got no error, want the trigger to refuse it", q)
			}
		}
		if got, want := MustVerifyAudit(t, db), int64(3); got != want {
			t.Errorf("events: got %d, want %d", got, want)
		}
	})
}

// TestAuditVerifyFindsTampering drops the triggers, as someone with access to
// the database could, and changes the log behind the store's back.
func TestAuditVerifyFindsTampering(t *testing.T) {
	for _, c := range []struct {
		name   string
		tamper []string
	}{
		{"edited summary", []string{"UPDATE audit_events SET summary = '无事发生' WHERE seq = 3"}},
		{"edited actor", []string{"UPDATE audit_events SET actor = '别人' WHERE seq = 1"}},
		{"deleted in the middle", []string{"DELETE FROM audit_events WHERE seq = 3"}},
		{"deleted the newest", []string{"DELETE FROM audit_events WHERE seq = 5"}},
		{"deleted and renumbered", []string{"DELETE FROM audit_events WHERE seq = 5", "UPDATE audit_head SET seq = 4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			forEachDB(t, func(t *testing.T, db *sqldb.DB) {
				MustWriteEvents(t, db, 5)
				raw := MustRawDB(t, db)
				for _, trigger := range []string{"audit_events_no_update", "audit_events_no_delete"} {
					q := "DROP TRIGGER " + trigger
					if db.Dialect() == "postgres" {
						q += " ON audit_events"
					}
					if _, err := raw.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				for _, q := range c.tamper {
					if _, err := raw.Exec(q); err != nil {
						t.Fatal(err)
					}
				}
				v, err := sqldb.NewAuditService(db).VerifyAudit(as(office))
				if err != nil {
					t.Fatal(err)
				}
				if v.OK() {
					t.Errorf("verify after %q: got OK, want a problem found", c.tamper)
				}
			})
		})
	}
}

// TestAuditHead moves with every change and only then.
func TestAuditHead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		audit := sqldb.NewAuditService(db)
		head := func() int64 {
			t.Helper()
			seq, err := audit.AuditHead(as(viewer))
			if err != nil {
				t.Fatal(err)
			}
			return seq
		}
		if got := head(); got != 0 {
			t.Errorf("an empty log: got head %d, want 0", got)
		}
		MustWriteEvents(t, db, 2)
		if got := head(); got != 2 {
			t.Errorf("after two changes: got head %d, want 2", got)
		}
		sqldb.NewLeaderService(db).FindLeaders(as(viewer), duban.LeaderFilter{})
		if got := head(); got != 2 {
			t.Errorf("after a read: got head %d, want 2", got)
		}
		if _, err := audit.AuditHead(as(nil)); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("nobody: got %v, want unauthorized", err)
		}
	})
}
