package ledgerstore_test

import (
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// TestTaskVersions checks that a correction made from an old version of a
// task is refused naming who saved first, and changes nothing.
func TestTaskVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		tasks := ledgerstore.NewTaskService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		task := MustFindTask(t, db, p.ID, "1.1.1")
		if task.Version != 1 {
			t.Fatalf("a new task's version: got %d, want 1", task.Version)
		}
		first, err := tasks.UpdateTask(as(office), task.ID, duban.TaskUpdate{Text: ptr("第一次修改"), Version: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		if first.Version != 2 || first.UpdatedBy != office.Label() {
			t.Errorf("after a save: got version %d by %q", first.Version, first.UpdatedBy)
		}
		other := &duban.User{ID: 1001, Name: "li", DisplayName: "李四", Role: duban.RoleAdmin}
		_, err = tasks.UpdateTask(as(other), task.ID, duban.TaskUpdate{Text: ptr("第二次修改"), Version: ptr(1)})
		wantCode(t, "stale save", err, duban.ECONFLICT)
		if msg := duban.ErrorMessage(err); !strings.Contains(msg, office.Label()) || !strings.Contains(msg, "第 2 版") {
			t.Errorf("the conflict names who saved first: %q", msg)
		}
		stored := MustFindTask(t, db, p.ID, "1.1.1")
		if stored.Text != "第一次修改" || stored.Version != 2 {
			t.Errorf("after the refused save: got %q version %d", stored.Text, stored.Version)
		}
	})
}
