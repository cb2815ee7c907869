// Package duban is the domain of the supervision ledger: plans read from a
// district government's decomposition notice, their sections, areas and
// tasks, the units and leaders who own the tasks, the users who work on them
// and the audit log of every change. The year's reporting cycle over a
// published ledger is package cycle.
//
// The package holds types, their validation, the rules of who may do what,
// the pure logic that turns a reading into a plan and compares a re-issued
// notice with a published plan, and the service interfaces that storage
// packages implement. It imports only the standard library, so that every
// other package can depend on it and it depends on none of them.
package duban

import "time"

// Timestamp returns t in UTC, truncated to the microsecond. Every store keeps
// times at that precision (PostgreSQL's timestamptz cannot hold more), so a
// service takes its one "now" through Timestamp and what it reads back equals
// what it wrote; the audit log's hashes depend on that.
func Timestamp(t time.Time) time.Time {
	return t.UTC().Truncate(time.Microsecond)
}
