package duban

import "context"

// The permission rules. Each is a named function of the user (and the thing
// acted on), so that the services, the web middleware and the pages ask the
// same question in the same words and a rule changes in one place. A nil or
// disabled user may do nothing.

func active(u *User) bool { return u != nil && !u.Disabled }

func isAdmin(u *User) bool { return active(u) && u.Role == RoleAdmin }

// CanRead reports whether u may read the published ledger: every signed-in
// user may.
func CanRead(u *User) bool { return active(u) }

// CanViewDrafts reports whether u may see plans still in review; only the
// office may, since a draft is not yet what units answer for.
func CanViewDrafts(u *User) bool { return isAdmin(u) }

// CanViewPlan reports whether u may see plan p.
func CanViewPlan(u *User, p *Plan) bool {
	return active(u) && (p.State != PlanDraft || CanViewDrafts(u))
}

// CanImportPlan reports whether u may import a notice as a new plan or a new
// issue of one.
func CanImportPlan(u *User) bool { return isAdmin(u) }

// CanReviewPlan reports whether u may correct a plan's structure: split and
// merge tasks, decide unassigned statements, expand groups, publish, apply a
// re-issue, archive. It is the office's work.
func CanReviewPlan(u *User) bool { return isAdmin(u) }

// CanEditTask reports whether u may change what task t says: its text,
// owners, deadline and targets. The wording is the government's decision, so
// only the office corrects it; units report on tasks (CanReportOnTask).
func CanEditTask(u *User, t *Task) bool { return isAdmin(u) && t != nil }

// CanReportOnTask reports whether u may write a unit's work on task t: the
// office, or the clerk of a unit that leads or shares it.
func CanReportOnTask(u *User, t *Task) bool {
	return isAdmin(u) || (active(u) && u.Role == RoleClerk && t.HasUnit(u.UnitID))
}

// CanCommentOnTask reports whether u may comment on task t: the office and
// leaders on any task, a clerk on its unit's tasks.
func CanCommentOnTask(u *User, t *Task) bool {
	return CanReportOnTask(u, t) || (active(u) && u.Role == RoleLeader)
}

// CanComment reports whether u may comment on any task at all: the office,
// leaders and clerks, not viewers. It guards the comment form's route; which
// tasks a clerk may comment on is CanCommentOnTask, which the service checks.
func CanComment(u *User) bool {
	return active(u) && (u.Role == RoleAdmin || u.Role == RoleLeader || u.Role == RoleClerk)
}

// CanManageDirectory reports whether u may add, rename, alias and merge units
// and leaders.
func CanManageDirectory(u *User) bool { return isAdmin(u) }

// CanManageUsers reports whether u may create accounts and give roles.
func CanManageUsers(u *User) bool { return isAdmin(u) }

// CanReadAudit reports whether u may read and verify the audit log.
func CanReadAudit(u *User) bool { return isAdmin(u) }

// CanManagePeriods reports whether u may set a plan's reporting schedule,
// thresholds and reminder days, and open, close and reopen its periods.
func CanManagePeriods(u *User) bool { return isAdmin(u) }

// CanManageCalendar reports whether u may override days of the calendar.
func CanManageCalendar(u *User) bool { return isAdmin(u) }

// CanWriteReport reports whether u may write unit's report of kind on task
// t: the office, or the clerk of that unit when the task reaches it (named,
// or through a group it belongs to) and, for the task's report, the unit
// composes it. A clerk never writes for another unit.
func CanWriteReport(u *User, t *Task, unitID int64, kind ReportKind, groups Groups) bool {
	if isAdmin(u) {
		return t != nil
	}
	if !active(u) || u.Role != RoleClerk || t == nil || u.UnitID == 0 || u.UnitID != unitID || !t.Reaches(unitID, groups) {
		return false
	}
	composer, _ := ReportingUnits(t, groups)
	return (kind == ReportTask) == (composer == unitID)
}

// CanUploadEvidence reports whether u may upload evidence files: those who
// write reports and answers, the office and the clerks.
func CanUploadEvidence(u *User) bool {
	return active(u) && (u.Role == RoleAdmin || u.Role == RoleClerk)
}

// CanReviewReport reports whether u may accept or return a task's report:
// the office's work.
func CanReviewReport(u *User) bool { return isAdmin(u) }

// CanRequestClosure reports whether u may ask for task t to be closed as
// done (申请办结): the office, or the clerk of the unit that composes its
// reports.
func CanRequestClosure(u *User, t *Task, groups Groups) bool {
	if isAdmin(u) {
		return t != nil
	}
	composer, _ := ReportingUnits(t, groups)
	return active(u) && u.Role == RoleClerk && composer != 0 && u.UnitID == composer
}

// CanCloseTask reports whether u may decide a request to close a task (办结).
func CanCloseTask(u *User) bool { return isAdmin(u) }

// CanSupervise reports whether u may issue, close and reissue supervision
// notices (督办单).
func CanSupervise(u *User) bool { return isAdmin(u) }

// CanAnswerSupervision reports whether u may acknowledge and answer notice
// s: the clerk of the unit it was issued to, or the office entering an
// answer given on paper.
func CanAnswerSupervision(u *User, s *Supervision) bool {
	return isAdmin(u) || (active(u) && u.Role == RoleClerk && s != nil && u.UnitID != 0 && u.UnitID == s.UnitID)
}

// CanUrge reports whether u may urge a task or a unit (催办).
func CanUrge(u *User) bool { return isAdmin(u) }

// CanReadNotification reports whether notification n is for u: addressed
// to u, to u's unit (u a clerk), or to the office (u of it).
func CanReadNotification(u *User, n *Notification) bool {
	switch {
	case !active(u) || n == nil:
		return false
	case n.UserID != 0:
		return n.UserID == u.ID
	case n.UnitID != 0:
		return u.Role == RoleClerk && u.UnitID == n.UnitID
	}
	return n.Office && isAdmin(u)
}

// Authorize returns the user in ctx when allowed says yes for them, and
// otherwise the error to show: EUNAUTHORIZED when nobody (or a disabled
// account) is signed in, EFORBIDDEN naming the action and the user's role.
// action is what the user tried, in Chinese (审核计划).
func Authorize(ctx context.Context, action string, allowed func(*User) bool) (*User, error) {
	u := UserFromContext(ctx)
	if !active(u) {
		return nil, Unauthorized(u)
	}
	if !allowed(u) {
		return nil, Forbidden(u, action)
	}
	return u, nil
}

// Unauthorized is the error for a request without a usable account.
func Unauthorized(u *User) *Error {
	if u != nil && u.Disabled {
		return Errorf(EUNAUTHORIZED, "账号“%s”已停用：如需使用，请联系督办室。", u.Name)
	}
	return Errorf(EUNAUTHORIZED, "请先登录。")
}

// Forbidden is the error for a user whose role does not allow the action.
func Forbidden(u *User, action string) *Error {
	return Errorf(EFORBIDDEN, "您的角色（%s）不能%s：如需办理，请联系督办室。", u.Role.Label(), action)
}
