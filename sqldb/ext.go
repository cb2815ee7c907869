package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/dubanhq/duban"
)

// The few exported pieces through which the store packages (sqldb/ledgerstore,
// sqldb/accountstore, sqldb/deliverystore, sqldb/cyclestore) share a DB: its
// transactions, each with its one "now", its user and its place in the audit
// chain, and the helpers that hide the two dialects. Their tables are
// created by this package's migrations, so that a database has one numbered
// history.

// Update runs fn in a write transaction, committed when fn returns nil; see
// update for how writers queue.
func (db *DB) Update(ctx context.Context, fn func(tx *Tx) error) error { return db.update(ctx, fn) }

// Queue runs fn in a write transaction that leaves the audit chain alone,
// for the server's bookkeeping of its delivery jobs; see queue.
func (db *DB) Queue(ctx context.Context, fn func(tx *Tx) error) error { return db.queue(ctx, fn) }

// View runs fn in a read-only transaction.
func (db *DB) View(ctx context.Context, fn func(tx *Tx) error) error { return db.view(ctx, fn) }

// ViewRow runs a query of one row on its own, outside any transaction, for
// the reads every request makes; see viewRow.
func (db *DB) ViewRow(ctx context.Context, q string, args ...any) *Row {
	return db.viewRow(ctx, q, args...)
}

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

// SetNow makes t the transaction's one time, for a change written in
// several transactions that must all carry the same time (an import's
// chunks).
func (tx *Tx) SetNow(t time.Time) { tx.now = t }

// User is the user on whose behalf the transaction runs, or nil.
func (tx *Tx) User() *duban.User { return tx.user }

// Actor names the transaction's user in what it saves.
func (tx *Tx) Actor() string { return tx.actor() }

// Time is how a time is passed as a parameter (NULL for the zero time).
func (tx *Tx) Time(t time.Time) any { return tx.ts(t) }

// Postgres reports whether the database is PostgreSQL.
func (tx *Tx) Postgres() bool { return tx.db.dialect == dialectPostgres }

// Binary is the collation that compares text by code point, to put after a
// column of ORDER BY.
func (tx *Tx) Binary() string { return tx.db.dialect.binary() }

// Limit returns the LIMIT/OFFSET clause of a page and its arguments.
func (tx *Tx) Limit(limit, offset int) (string, []any) { return tx.db.dialect.limit(limit, offset) }

// QueryError maps a database error as the store's own methods do: a broken
// uniqueness rule is a conflict, anything else internal.
func (tx *Tx) QueryError(q string, err error) error { return tx.db.queryError(q, err) }

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

// Truncate cuts s to at most n characters.
func Truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
