// Package ledgerstore keeps the task ledger in the database of package
// sqldb: plans imported from notices and their review (correcting,
// splitting and merging tasks, deciding unassigned statements), reissues,
// publication and archiving; the tasks with their owners and targets;
// comments on tasks; and the directory of units, group terms and leaders
// that the tasks are assigned to, which an import fills in.
//
// Each service method owns its transaction and writes its audit event in
// it. The readers below let the other stores (sqldb/cyclestore,
// sqldb/accountstore, sqldb/deliverystore) look up plans, tasks, units and
// leaders inside their own transactions; the tables come from sqldb's
// numbered migrations.
package ledgerstore

import (
	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
)

// Tx is sqldb's transaction, which every function here works in.
type Tx = sqldb.Tx

// FindPlan returns a plan without its sections, areas and counts, or
// ENOTFOUND; users who may not see drafts do not find them.
func FindPlan(tx *Tx, id int64) (*duban.Plan, error) {
	plans, _, err := findPlans(tx, duban.PlanFilter{ID: &id, WithoutCounts: true})
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, sqldb.NotFound("文件", id)
	}
	return plans[0], nil
}

// PlanExists returns ENOTFOUND unless the plan exists and the
// transaction's user may see it.
func PlanExists(tx *Tx, id int64) error {
	_, err := findPlan(tx, id, false)
	return err
}

// FindTask returns a task with its owners and targets, or ENOTFOUND.
func FindTask(tx *Tx, id int64) (*duban.Task, error) { return findTask(tx, id) }

// FindTasks returns the tasks of a filter with their owners and targets.
func FindTasks(tx *Tx, f duban.TaskFilter) ([]*duban.Task, error) {
	tasks, _, err := findTasks(tx, f, false)
	return tasks, err
}

// FindTaskUnits returns the tasks of a filter, unpaged, in FindTasks'
// order, with only what says who reports on them: number, state, lead and
// responsible units. It is for a store that works out what many tasks'
// units owe, and reads no text, deadline, leaders or targets.
func FindTaskUnits(tx *Tx, f duban.TaskFilter) ([]*duban.Task, error) { return findTaskUnits(tx, f) }

// FindUnit returns a unit, or ENOTFOUND.
func FindUnit(tx *Tx, id int64) (*duban.Unit, error) { return findUnit(tx, id) }

// ActiveUnit returns a unit that may still change (one not merged into
// another), or ENOTFOUND or ECONFLICT.
func ActiveUnit(tx *Tx, id int64) (*duban.Unit, error) { return activeUnit(tx, id) }

// FindLeader returns a leader, or ENOTFOUND.
func FindLeader(tx *Tx, id int64) (*duban.Leader, error) { return findLeader(tx, id) }
