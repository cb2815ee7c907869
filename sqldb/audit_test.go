package sqldb_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
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

// TestListsHead moves with every change but a comment, which moves the
// audit head alone, and changes nothing a list of tasks shows. Heads reads
// it with the head of tasks, which here (no reports) moves with it.
func TestListsHead(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		audit := sqldb.NewAuditService(db)
		heads := func() (all, lists int64) {
			t.Helper()
			var err error
			if all, err = audit.AuditHead(as(viewer)); err != nil {
				t.Fatal(err)
			}
			if lists, err = audit.ListsHead(as(viewer)); err != nil {
				t.Fatal(err)
			}
			h, err := audit.Heads(as(viewer), 1)
			if err != nil {
				t.Fatal(err)
			}
			if want := (duban.Heads{Lists: lists, Tasks: lists}); h != want {
				t.Errorf("heads: got %+v, want %+v", h, want)
			}
			return all, lists
		}
		if all, lists := heads(); all != 0 || lists != 0 {
			t.Errorf("an empty log: got heads %d and %d, want 0", all, lists)
		}
		p := MustPublish(t, db, MustImport(t, db, MustReadGold(t), "source.md").ID)
		all, lists := heads()
		if all == 0 || lists != all {
			t.Errorf("after publishing: got audit head %d, lists head %d, want the same", all, lists)
		}
		task := MustFindTask(t, db, p.ID, "1.1.1")
		tasks := sqldb.NewTaskService(db)
		before, _, err := tasks.FindTasks(as(viewer), duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		author := &duban.User{Name: "office-clerk", Role: duban.RoleAdmin}
		if err := sqldb.NewUserService(db).CreateUser(as(office), author); err != nil {
			t.Fatal(err)
		}
		all, lists = heads()
		if err := sqldb.NewCommentService(db).CreateComment(as(author), &duban.Comment{TaskID: task.ID, Text: "已完成。"}); err != nil {
			t.Fatal(err)
		}
		if a, l := heads(); a != all+1 || l != lists {
			t.Errorf("after a comment: got audit head %d, lists head %d, want %d and %d", a, l, all+1, lists)
		}
		after, _, err := tasks.FindTasks(as(viewer), duban.TaskFilter{PlanID: &p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before, after) {
			t.Error("a comment changed the list of tasks")
		}
		deadline := "年底前"
		if _, err := tasks.UpdateTask(as(office), task.ID, duban.TaskUpdate{Deadline: &deadline}); err != nil {
			t.Fatal(err)
		}
		if a, l := heads(); a != all+2 || l != all+2 {
			t.Errorf("after a correction: got audit head %d, lists head %d, want both %d", a, l, all+2)
		}
		if _, err := audit.ListsHead(as(nil)); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("nobody: got %v, want unauthorized", err)
		}
		if _, err := audit.Heads(as(nil), 0); duban.ErrorCode(err) != duban.EUNAUTHORIZED {
			t.Errorf("nobody's heads: got %v, want unauthorized", err)
		}
	})
}
