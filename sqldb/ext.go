package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/dubanhq/duban"
)

// The few exported pieces through which packages storing other parts of the
// domain (sqldb/cyclestore, the reporting cycle) share a DB: its transactions,
// each with its one "now", its user and its place in the audit chain, the
// helpers that hide the two dialects, and the readers of plans, tasks and
// units they build on. Their tables are created by this package's
// migrations, so that a database has one numbered history.

// Update runs fn in a write transaction, committed when fn returns nil; see
// update for how writers queue.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error { return db.update(ctx, fn) }

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error { return db.view(ctx, fn) }

// Exec runs a statement written with '?' placeholders.
func (tx *Tx) Exec(q string, args ...any) (sql.Result, error) { return tx.exec(q, args...) }

// Query runs a query written with '?' placeholders.
func (tx *Tx) Query(q string, args ...any) (*sql.Rows, error) { return tx.query(q, args...) }

// QueryRow runs a query that returns one row.
func (tx *Tx) QueryRow(q string, args ...any) *sql.Row { return tx.queryRow(q, args...) }

// Prepare prepares a statement written with '?' placeholders, to run many
// times in the transaction; the caller closes it.
func (tx *Tx) Prepare(q string) (*sql.Stmt, error) {
	st, err := tx.tx.PrepareContext(tx.ctx, tx.db.dialect.rebind(q))
	if err != nil {
		return nil, tx.db.queryError(q, err)
	}
	return st, nil
}

// Insert runs an INSERT and returns the new row's id.
func (tx *Tx) Insert(q string, args ...any) (int64, error) { return tx.insert(q, args...) }

// Count runs a SELECT count(*).
func (tx *Tx) Count(q string, args ...any) (int, error) { return tx.count(q, args...) }

// Record appends the audit event of a change made in tx (see record).
func (tx *Tx) Record(action, entity string, entityID, planID int64, summary string, before, after any) error {
	return tx.record(action, entity, entityID, planID, summary, before, after)
}

// Now is the transaction's one time.
func (tx *Tx) Now() time.Time { return tx.now }

// User is the user on whose behalf the transaction runs, or nil.
func (tx *Tx) User() *duban.User { return tx.user }

// Actor names the transaction's user in what it saves.
func (tx *Tx) Actor() string { return tx.actor() }

// Time is how a time is passed as a parameter (NULL for the zero time).
func (tx *Tx) Time(t time.Time) any { return tx.ts(t) }

// Postgres reports whether the database is PostgreSQL.
func (tx *Tx) Postgres() bool { return tx.db.dialect == dialectPostgres }

// Limit returns the LIMIT/OFFSET clause of a page and its arguments.
func (tx *Tx) Limit(limit, offset int) (string, []any) { return tx.db.dialect.limit(limit, offset) }

// QueryError maps a database error as the store's own methods do: a broken
// uniqueness rule is a conflict, anything else internal.
func (tx *Tx) QueryError(q string, err error) error { return tx.db.queryError(q, err) }

// FindPlan returns a plan without its sections, areas and counts, or
// ENOTFOUND; users who may not see drafts do not find them.
func (tx *Tx) FindPlan(id int64) (*duban.Plan, error) {
	plans, _, err := findPlans(tx, duban.PlanFilter{ID: &id, WithoutCounts: true})
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, notFound("计划", id)
	}
	return plans[0], nil
}

// FindTask returns a task with its owners and targets, or ENOTFOUND.
func (tx *Tx) FindTask(id int64) (*duban.Task, error) { return findTask(tx, id) }

// FindTasks returns the tasks of a filter with their owners and targets.
func (tx *Tx) FindTasks(f duban.TaskFilter) ([]*duban.Task, error) {
	tasks, _, err := findTasks(tx, f, false)
	return tasks, err
}

// FindUnit returns a unit, or ENOTFOUND.
func (tx *Tx) FindUnit(id int64) (*duban.Unit, error) { return findUnit(tx, id) }

// TimeCol scans a time column of either dialect; NULL is the zero time.
func TimeCol(t *time.Time) sql.Scanner { return timeCol{t} }

// DateCol scans a YYYY-MM-DD column; "" and NULL are the zero date.
func DateCol(d *duban.Date) sql.Scanner { return dateCol{d} }

// IDCol scans an optional reference; NULL is 0.
func IDCol(id *int64) sql.Scanner { return idCol{id} }

// NullID passes an optional reference: NULL for 0.
func NullID(id int64) any { return nullID(id) }

// Where joins conditions with AND, or returns "" for none.
func Where(conds []string) string { return where(conds) }

// Placeholders returns "?, ?, …" for n values.
func Placeholders(n int) string { return placeholders(n) }

// NotFound is the error for a missing thing, named in Chinese (报告 #3).
func NotFound(what string, id int64) error { return notFound(what, id) }

// EnqueueDelivery adds a delivery job in tx unless one with its key exists
// (whichever server made it), and reports whether it did: a change that
// sends a message (a reminder, an urge) enqueues it in its own transaction,
// so that the message exists exactly when the change does.
func (tx *Tx) EnqueueDelivery(d *duban.Delivery) (bool, error) { return tx.enqueueDelivery(d) }

// ChannelsFor returns, redacted, the enabled channels a message about a
// unit in a plan goes through (duban.Channel.Matches).
func (tx *Tx) ChannelsFor(unitID, planID int64) ([]*duban.Channel, error) {
	return channelsFor(tx, unitID, planID)
}
