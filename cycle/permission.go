package cycle

import "github.com/dubanhq/duban"

// The cycle's permission rules, named functions of the user like the
// ledger's in package duban, asked by the store and the pages alike.

// CanManagePeriods reports whether u may set a plan's reporting schedule,
// thresholds and reminder days, and open, close and reopen its periods.
func CanManagePeriods(u *duban.User) bool { return duban.IsOffice(u) }

// CanManageCalendar reports whether u may override days of the calendar.
func CanManageCalendar(u *duban.User) bool { return duban.IsOffice(u) }

// CanWriteReport reports whether u may write unit's report of kind on task
// t: the office, or the clerk of that unit when the task reaches it (named,
// or through a group it belongs to) and, for the task's report, the unit
// composes it. A clerk never writes for another unit.
func CanWriteReport(u *duban.User, t *duban.Task, unitID int64, kind ReportKind, groups Groups) bool {
	if duban.IsOffice(u) {
		return t != nil
	}
	if !duban.Active(u) || u.Role != duban.RoleClerk || t == nil || u.UnitID == 0 || u.UnitID != unitID || !t.Reaches(unitID, groups) {
		return false
	}
	composer, _ := ReportingUnits(t, groups)
	return (kind == ReportTask) == (composer == unitID)
}

// CanReport reports whether u may write reports at all: the office, or the
// clerk of a unit. It guards the report forms' routes; which reports a clerk
// may write is CanWriteReport, which the service checks.
func CanReport(u *duban.User) bool { return duban.IsOffice(u) || OwesReports(u) }

// OwesReports reports whether u reports for a unit: a clerk with its unit,
// whose work the to-do list is.
func OwesReports(u *duban.User) bool {
	return duban.Active(u) && u.Role == duban.RoleClerk && u.UnitID != 0
}

// CanViewReports reports whether u may read the reports, the requests to
// close and the evidence files of task t: the office, leaders and viewers on
// every task, a clerk on its unit's tasks only (named, or through a group it
// belongs to), so that no unit reads what another wrote about its own work.
func CanViewReports(u *duban.User, t *duban.Task, groups Groups) bool {
	switch {
	case !duban.Active(u) || t == nil:
		return false
	case u.Role != duban.RoleClerk:
		return true
	}
	return t.Reaches(u.UnitID, groups)
}

// CanUploadEvidence reports whether u may upload evidence files: those who
// write reports and answers, the office and the clerks.
func CanUploadEvidence(u *duban.User) bool {
	return duban.Active(u) && (u.Role == duban.RoleAdmin || u.Role == duban.RoleClerk)
}

// CanReviewReport reports whether u may accept or return a task's report:
// the office's work.
func CanReviewReport(u *duban.User) bool { return duban.IsOffice(u) }

// CanRequestClosure reports whether u may ask for task t to be closed as
// done (申请办结): the office, or the clerk of the unit that composes its
// reports.
func CanRequestClosure(u *duban.User, t *duban.Task, groups Groups) bool {
	if duban.IsOffice(u) {
		return t != nil
	}
	composer, _ := ReportingUnits(t, groups)
	return duban.Active(u) && u.Role == duban.RoleClerk && composer != 0 && u.UnitID == composer
}

// CanCloseTask reports whether u may decide a request to close a task (办结).
func CanCloseTask(u *duban.User) bool { return duban.IsOffice(u) }

// CanSupervise reports whether u may issue, close and reissue supervision
// notices (督办单).
func CanSupervise(u *duban.User) bool { return duban.IsOffice(u) }

// CanAnswerSupervision reports whether u may acknowledge and answer notice
// s: the clerk of the unit it was issued to, or the office entering an
// answer given on paper.
func CanAnswerSupervision(u *duban.User, s *Supervision) bool {
	return duban.IsOffice(u) || (duban.Active(u) && u.Role == duban.RoleClerk && s != nil && u.UnitID != 0 && u.UnitID == s.UnitID)
}

// CanAnswerSupervisions reports whether u may acknowledge and answer
// supervision notices at all: the office and the clerks, a clerk those of
// its own unit (CanAnswerSupervision). It guards the routes; the store
// checks the notice.
func CanAnswerSupervisions(u *duban.User) bool {
	return duban.IsOffice(u) || (duban.Active(u) && u.Role == duban.RoleClerk && u.UnitID != 0)
}

// CanUrge reports whether u may urge a task or a unit (催办).
func CanUrge(u *duban.User) bool { return duban.IsOffice(u) }

// CanReadNotification reports whether notification n is for u: addressed
// to u, to u's unit (u a clerk), or to the office (u of it).
func CanReadNotification(u *duban.User, n *Notification) bool {
	switch {
	case !duban.Active(u) || n == nil:
		return false
	case n.UserID != 0:
		return n.UserID == u.ID
	case n.UnitID != 0:
		return u.Role == duban.RoleClerk && u.UnitID == n.UnitID
	}
	return n.Office && duban.IsOffice(u)
}
