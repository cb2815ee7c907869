package cycle

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// SupervisionState is where a supervision notice (督办单) is.
type SupervisionState string

// The states of a supervision notice: issued to the lead unit, acknowledged
// by it (签收), answered with evidence (反馈), then closed by the office (办结)
// or issued again with a new deadline (再督办), which supersedes it.
const (
	SupervisionIssued       SupervisionState = "issued"
	SupervisionAcknowledged SupervisionState = "acknowledged"
	SupervisionAnswered     SupervisionState = "answered"
	SupervisionClosed       SupervisionState = "closed"
	SupervisionReissued     SupervisionState = "reissued"
)

// Valid reports whether s is one of the states.
func (s SupervisionState) Valid() bool {
	switch s {
	case SupervisionIssued, SupervisionAcknowledged, SupervisionAnswered, SupervisionClosed, SupervisionReissued:
		return true
	}
	return false
}

// Label is the state as users read it.
func (s SupervisionState) Label() string {
	switch s {
	case SupervisionIssued:
		return "已下发"
	case SupervisionAcknowledged:
		return "已签收"
	case SupervisionAnswered:
		return "已反馈"
	case SupervisionClosed:
		return "已办结"
	case SupervisionReissued:
		return "已再督办"
	}
	return string(s)
}

// Open reports whether the notice still waits on someone.
func (s SupervisionState) Open() bool { return s != SupervisionClosed && s != SupervisionReissued }

// Supervision is a supervision notice (督办单): the office's written demand to
// a task's lead unit to act on one or more tasks by a date, numbered per
// year (督办〔2022〕第 3 号).
type Supervision struct {
	ID     int64 `json:"id"`
	PlanID int64 `json:"plan_id"`
	// Year and Seq number it: Seq counts the notices of the year from 1.
	Year    int     `json:"year"`
	Seq     int     `json:"seq"`
	TaskIDs []int64 `json:"task_ids"`
	UnitID  int64   `json:"unit_id"`
	Unit    string  `json:"unit"` // the unit's name when issued

	Reason      string           `json:"reason"`      // 事由
	Requirement string           `json:"requirement"` // 要求
	Due         duban.Date       `json:"due"`         // 反馈时限
	State       SupervisionState `json:"state"`

	Answer   string        `json:"answer,omitempty"` // 反馈内容
	Evidence []EvidenceRef `json:"evidence"`

	// RepeatOf is the notice this one issues again (再督办); RepeatedBy the
	// one that issued this one again.
	RepeatOf   int64 `json:"repeat_of,omitempty"`
	RepeatedBy int64 `json:"repeated_by,omitempty"`

	IssuedBy       string    `json:"issued_by"`
	IssuedAt       time.Time `json:"issued_at"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	AnsweredBy     string    `json:"answered_by,omitempty"`
	AnsweredAt     time.Time `json:"answered_at,omitzero"`
	ClosedBy       string    `json:"closed_by,omitempty"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`

	Version   int       `json:"version"`
	UpdatedBy string    `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Number is how the notice is cited: 督办〔2022〕第 3 号.
func (s *Supervision) Number() string { return fmt.Sprintf("督办〔%d〕第 %d 号", s.Year, s.Seq) }

// DaysLate returns how many days the answer came (or, unanswered, has been)
// later than the deadline on today; 0 when on time.
func (s *Supervision) DaysLate(today duban.Date) int {
	if !s.AnsweredAt.IsZero() {
		return max(0, duban.Today(s.AnsweredAt).DaysSince(s.Due))
	}
	if !s.State.Open() {
		return 0
	}
	return max(0, today.DaysSince(s.Due))
}

// Validate checks a notice before it is issued.
func (s *Supervision) Validate() error {
	switch {
	case len(s.TaskIDs) == 0:
		return duban.Errorf(duban.EINVALID, "请选择督办的任务。")
	case len(s.TaskIDs) > 50:
		return duban.Errorf(duban.EINVALID, "一份督办单最多督办 50 项任务。")
	case strings.TrimSpace(s.Reason) == "":
		return duban.Errorf(duban.EINVALID, "请填写督办事由。")
	case strings.TrimSpace(s.Requirement) == "":
		return duban.Errorf(duban.EINVALID, "请填写督办要求。")
	case utf8.RuneCountInString(s.Reason) > MaxReportNote || utf8.RuneCountInString(s.Requirement) > MaxReportNote:
		return duban.Errorf(duban.EINVALID, "督办事由和要求各不超过 %d 字。", MaxReportNote)
	case s.Due.IsZero():
		return duban.Errorf(duban.EINVALID, "请给出反馈时限。")
	case utf8.RuneCountInString(s.Answer) > MaxReportText:
		return duban.Errorf(duban.EINVALID, "反馈内容过长（超过 %d 字）。", MaxReportText)
	case len(s.Evidence) > MaxEvidenceRef:
		return duban.Errorf(duban.EINVALID, "附件最多 %d 个。", MaxEvidenceRef)
	}
	seen := map[int64]bool{}
	for _, id := range s.TaskIDs {
		if seen[id] {
			return duban.Errorf(duban.EINVALID, "督办的任务重复。")
		}
		seen[id] = true
	}
	for _, e := range s.Evidence {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// SupervisionStep checks that a notice may go from one state to another,
// by the office (review) or by its unit, and says why not.
func SupervisionStep(from, to SupervisionState, office bool) error {
	ok := false
	switch to {
	case SupervisionAcknowledged:
		ok = from == SupervisionIssued
	case SupervisionAnswered:
		ok = from == SupervisionIssued || from == SupervisionAcknowledged || from == SupervisionAnswered
	case SupervisionClosed:
		ok = office && from == SupervisionAnswered
	case SupervisionReissued:
		ok = office && from.Open()
	}
	switch {
	case ok:
		return nil
	case !from.Open():
		return duban.Errorf(duban.ECONFLICT, "督办单%s，不能再办理。", from.Label())
	case to == SupervisionClosed && from != SupervisionAnswered:
		return duban.Errorf(duban.ECONFLICT, "督办单尚未反馈，不能办结：请等待责任单位反馈，或再督办。")
	case (to == SupervisionClosed || to == SupervisionReissued) && !office:
		return duban.Errorf(duban.EFORBIDDEN, "只有督查室可以办结或再督办督办单。")
	}
	return duban.Errorf(duban.EINVALID, "督办单不能从“%s”变为“%s”。", from.Label(), to.Label())
}

// SupervisionUpdate acknowledges, answers or closes a notice. Version is the
// version the change was made from.
type SupervisionUpdate struct {
	State    *SupervisionState `json:"state,omitempty"`
	Answer   *string           `json:"answer,omitempty"`
	Evidence *[]EvidenceRef    `json:"evidence,omitempty"`
	Version  int               `json:"version"`
}

// SupervisionFilter selects notices, newest first. Nil fields do not filter;
// Open keeps those still waiting on someone.
type SupervisionFilter struct {
	ID     *int64
	PlanID *int64
	UnitID *int64
	TaskID *int64
	Year   *int
	State  *SupervisionState
	Open   bool

	Offset int
	Limit  int
}

// HasTask reports whether the notice is about task id.
func (s *Supervision) HasTask(id int64) bool { return slices.Contains(s.TaskIDs, id) }

// SupervisionService keeps the supervision notices. Each method checks the
// permission of the user in ctx itself.
type SupervisionService interface {
	// FindSupervisionByID returns one notice.
	FindSupervisionByID(ctx context.Context, id int64) (*Supervision, error)
	// FindSupervisions returns notices, newest first, and how many match.
	FindSupervisions(ctx context.Context, filter SupervisionFilter) ([]*Supervision, int, error)
	// CreateSupervision issues a notice to the lead unit of its tasks,
	// numbering it in its year. A notice with RepeatOf set issues that one
	// again (再督办) with a new deadline, and supersedes it.
	CreateSupervision(ctx context.Context, s *Supervision) error
	// UpdateSupervision acknowledges, answers or closes a notice.
	UpdateSupervision(ctx context.Context, id int64, upd SupervisionUpdate) (*Supervision, error)
}
