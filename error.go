package duban

import (
	"errors"
	"fmt"
	"time"
)

// Error codes. They are few on purpose: each maps to one HTTP status and one
// kind of reaction from the caller.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	ETOOMANY      = "too_many" // asked too often (sign-in after wrong passwords); the message says when to retry
	EINTERNAL     = "internal"
	// A script's conditional change: the version it named (If-Match) is no
	// longer the current one, or it named none where one is needed.
	EPRECONDITION    = "precondition_failed"
	EPRECONDREQUIRED = "precondition_required"
)

// ErrStale is the cause of a Conflict: a save made from a version that is no
// longer the current one, which the API answers as a failed precondition.
var ErrStale = errors.New("duban: saved from an old version")

// Error is the one error type of the application. Message is written for the
// user (in Chinese) and says what went wrong and what to do about it.
type Error struct {
	Code    string
	Message string
	// Err is the underlying cause, kept for logs; it is never shown to users.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("duban: %s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("duban: %s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an application error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first application error in err's chain,
// EINTERNAL for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Errors that are not
// application errors are internal and get a generic message, so that no
// implementation detail reaches a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误，请稍后重试；如果问题持续，请联系系统管理员。"
}

// RetryAfter is the cause of an ETOOMANY error: how long to wait before
// trying again. The web server sends it as the Retry-After header.
type RetryAfter time.Duration

func (d RetryAfter) Error() string { return "retry after " + time.Duration(d).String() }

// TooMany builds an ETOOMANY error saying, in its message, when to retry,
// and carrying how long to wait.
func TooMany(wait time.Duration, format string, args ...any) *Error {
	return &Error{Code: ETOOMANY, Message: fmt.Sprintf(format, args...), Err: RetryAfter(wait)}
}

// Conflict is the error for a save made from a version that another save
// has replaced: it names who saved first and when, and tells the user that
// what they typed is still in the form. what names the thing (报告, 任务).
func Conflict(what string, version int, by string, at time.Time) *Error {
	if by == "" {
		by = "他人"
	}
	e := Errorf(ECONFLICT, "该%s已由%s于 %s 保存（第 %d 版），您这次的修改没有保存：您填写的内容仍在表单中，请核对最新内容后重新提交。",
		what, by, at.In(Beijing).Format("2006-01-02 15:04"), version)
	e.Err = ErrStale
	return e
}
