package duban

import "context"

// The permission rules. Each is a named function of the user (and the thing
// acted on), so that the services, the web middleware and the pages ask the
// same question in the same words and a rule changes in one place. A nil or
// disabled user may do nothing.

// Active reports whether u is a signed-in user whose account is enabled: the
// first condition of every rule, here and in the cycle's rules.
func Active(u *User) bool { return u != nil && !u.Disabled }

// IsOffice reports whether u is an active account of the supervision office
// (督查室), which does the office's work in every rule.
func IsOffice(u *User) bool { return Active(u) && u.Role == RoleAdmin }

// CanRead reports whether u may read the published ledger: every signed-in
// user may.
func CanRead(u *User) bool { return Active(u) }

// CanViewDrafts reports whether u may see plans still in review; only the
// office may, since a draft is not yet what units answer for.
func CanViewDrafts(u *User) bool { return IsOffice(u) }

// CanViewPlan reports whether u may see plan p.
func CanViewPlan(u *User, p *Plan) bool {
	return Active(u) && (p.State != PlanDraft || CanViewDrafts(u))
}

// CanImportPlan reports whether u may import a notice as a new plan or a new
// issue of one.
func CanImportPlan(u *User) bool { return IsOffice(u) }

// CanReviewPlan reports whether u may correct a plan's structure: split and
// merge tasks, decide unassigned statements, expand groups, publish, apply a
// re-issue, archive. It is the office's work.
func CanReviewPlan(u *User) bool { return IsOffice(u) }

// CanEditTask reports whether u may change what task t says: its text,
// owners, deadline and targets. The wording is the government's decision, so
// only the office corrects it; units report on tasks (CanReportOnTask).
func CanEditTask(u *User, t *Task) bool { return IsOffice(u) && t != nil }

// CanReportOnTask reports whether u may write a unit's work on task t: the
// office, or the clerk of a unit the task reaches, named in it or through a
// group it belongs to (groups, the directory's membership).
func CanReportOnTask(u *User, t *Task, groups Groups) bool {
	return IsOffice(u) || (Active(u) && u.Role == RoleClerk && t.Reaches(u.UnitID, groups))
}

// CanCommentOnTask reports whether u may write on task t: the office and
// leaders on any task, a clerk its unit's progress (进展情况) on the tasks
// that reach its unit.
func CanCommentOnTask(u *User, t *Task, groups Groups) bool {
	return CanReportOnTask(u, t, groups) || (Active(u) && u.Role == RoleLeader)
}

// CanComment reports whether u may comment on any task at all: the office,
// leaders and clerks, not viewers. It guards the comment form's route; which
// tasks a clerk may write on is CanCommentOnTask, which the service checks.
func CanComment(u *User) bool {
	return Active(u) && (u.Role == RoleAdmin || u.Role == RoleLeader || u.Role == RoleClerk)
}

// CanManageDirectory reports whether u may add, rename, alias and merge units
// and leaders.
func CanManageDirectory(u *User) bool { return IsOffice(u) }

// CanManageUsers reports whether u may create accounts and give roles.
func CanManageUsers(u *User) bool { return IsOffice(u) }

// CanReadAudit reports whether u may read and verify the audit log.
func CanReadAudit(u *User) bool { return IsOffice(u) }

// Authorize returns the user in ctx when allowed says yes for them, and
// otherwise the error to show: EUNAUTHORIZED when nobody (or a disabled
// account) is signed in, EFORBIDDEN naming the action and the user's role.
// action is what the user tried, in Chinese (审核计划).
func Authorize(ctx context.Context, action string, allowed func(*User) bool) (*User, error) {
	u := UserFromContext(ctx)
	if !Active(u) {
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
		return Errorf(EUNAUTHORIZED, "账号“%s”已停用：如需使用，请联系督查室。", u.Name)
	}
	return Errorf(EUNAUTHORIZED, "请先登录。")
}

// Forbidden is the error for a user whose role does not allow the action.
func Forbidden(u *User, action string) *Error {
	return Errorf(EFORBIDDEN, "您的角色（%s）不能%s：如需办理，请联系督查室。", u.Role.Label(), action)
}
