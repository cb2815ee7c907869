package sqldb

import (
	"context"
	"encoding/json"

	"github.com/dubanhq/duban"
)

// ReadDeadline reads the task's deadline text against its plan's year and
// returns its dated steps as kept (JSON, or "" for none). The ledger's
// writes (sqldb/ledgerstore) and the backfill that Open runs both call it,
// so that a task's deadline columns are filled one way.
func ReadDeadline(tx *Tx, t *duban.Task) (string, error) {
	if t.Year == 0 {
		if err := tx.queryRow("SELECT year FROM plans WHERE id = ?", t.PlanID).Scan(&t.Year); err != nil {
			return "", tx.db.queryError("SELECT year FROM plans", err)
		}
	}
	t.ReadDeadline(t.Year)
	return stepsJSON(t.Milestones)
}

func stepsJSON(steps []duban.Milestone) (string, error) {
	if len(steps) == 0 {
		return "", nil
	}
	b, err := json.Marshal(steps)
	return string(b), err
}

// backfillDeadlines reads the deadline texts of tasks stored before their
// dates were kept beside them (migration 007), once: a task whose text is
// not empty always reads as some kind, so an empty kind marks a row not yet
// read.
func (db *DB) backfillDeadlines(ctx context.Context) error {
	const pending = " FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.deadline <> '' AND t.deadline_kind = ''"
	var n int
	if err := db.view(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.count("SELECT count(*)" + pending)
		return err
	}); err != nil || n == 0 {
		return err
	}
	return db.update(ctx, func(tx *Tx) error {
		rows, err := tx.query("SELECT t.id, t.deadline, p.year" + pending)
		if err != nil {
			return err
		}
		var tasks []*duban.Task
		for rows.Next() {
			t := &duban.Task{}
			if err := rows.Scan(&t.ID, &t.Deadline, &t.Year); err != nil {
				rows.Close()
				return err
			}
			tasks = append(tasks, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, t := range tasks {
			steps, err := ReadDeadline(tx, t)
			if err != nil {
				return err
			}
			if _, err := tx.exec("UPDATE tasks SET deadline_date = ?, deadline_kind = ?, deadline_steps = ? WHERE id = ?",
				t.DeadlineDate.String(), string(t.DeadlineKind), steps, t.ID); err != nil {
				return err
			}
		}
		return nil
	})
}
