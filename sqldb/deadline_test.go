package sqldb_test

import (
	"context"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestDeadlineDates checks that each task keeps its deadline read as a date
// beside the text, on correction and on reopening a database whose rows
// were stored before the dates were kept, and that lists sort and filter
// by the date.
func TestDeadlineDates(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		tasks := ledgerstore.NewTaskService(db)
		p := MustImport(t, db, MustReadGold(t), "source.md")
		set := map[string]string{"1.1.1": "2023年8月底前", "1.1.2": "9月底前", "1.2.1": "2023年12月底前", "1.2.2": "长期坚持",
			"1.2.3": "6月底前开工、12月底前竣工", "1.3.1": "尽快"}
		for no, text := range set {
			task := MustFindTask(t, db, p.ID, no)
			if _, err := tasks.UpdateTask(as(office), task.ID, duban.TaskUpdate{Deadline: ptr(text)}); err != nil {
				t.Fatal(err)
			}
		}
		check := func(t *testing.T) {
			t.Helper()
			for _, c := range []struct {
				no, date string
				kind     duban.DeadlineKind
				steps    int
			}{
				{"1.1.1", "2023-08-31", duban.DeadlineDate, 0},
				{"1.1.2", "2022-09-30", duban.DeadlineDate, 0},
				{"1.2.2", "", duban.DeadlineOngoing, 0},
				{"1.2.3", "2022-12-31", duban.DeadlineDate, 2},
				{"1.3.1", "", duban.DeadlineUnread, 0},
				{"1.3.2", "", duban.DeadlineNone, 0},
			} {
				task := MustFindTask(t, db, p.ID, c.no)
				if task.DeadlineDate.String() != c.date || task.DeadlineKind != c.kind || len(task.Milestones) != c.steps {
					t.Errorf("task %s (%q): got %q %q %d steps, want %q %q %d", c.no, task.Deadline, task.DeadlineDate, task.DeadlineKind,
						len(task.Milestones), c.date, c.kind, c.steps)
				}
			}
		}
		check(t)

		// Sorted by date: 2022-09-30, 2022-12-31, 2023-08-31, 2023-12-31,
		// then those without a date by their text.
		sorted, _, err := tasks.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, Sort: duban.TaskSortDeadline, Limit: 6})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, task := range sorted {
			got = append(got, task.Deadline)
		}
		want := []string{"9月底前", "6月底前开工、12月底前竣工", "2023年8月底前", "2023年12月底前", "尽快", "长期坚持"}
		if !slices.Equal(got, want) {
			t.Errorf("sorted by deadline: got %q, want %q", got, want)
		}
		from, to := d("2022-09-01"), d("2022-12-31")
		due, n, err := tasks.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, DueFrom: &from, DueTo: &to})
		if err != nil || n != 2 {
			t.Fatalf("due between %s and %s: got %d (%v), want 2", from, to, n, err)
		}
		for _, task := range due {
			if task.No != "1.1.2" && task.No != "1.2.3" {
				t.Errorf("due between: got task %s", task.No)
			}
		}
		ongoing := duban.DeadlineOngoing
		if _, n, err := tasks.FindTasks(as(office), duban.TaskFilter{PlanID: &p.ID, DeadlineKind: &ongoing}); err != nil || n != 1 {
			t.Errorf("ongoing: got %d (%v), want 1", n, err)
		}

		// Rows stored before the dates were kept are read when the store
		// opens.
		raw := MustRawDB(t, db)
		if _, err := raw.ExecContext(context.Background(), "UPDATE tasks SET deadline_date = '', deadline_kind = '', deadline_steps = ''"); err != nil {
			t.Fatal(err)
		}
		dsn := sqldbtest.DSNOf(db)
		db = mustOpen(t, dsn)
		check(t)
	})
}

func d(s string) duban.Date {
	v, err := duban.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}
