package cycle

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// ReportKind tells a unit's part of a task's work from the task's report.
type ReportKind string

// The kinds of report.
const (
	// ReportPart is one unit's part of a task in a period (分项报告): each
	// unit the task names writes its own, except the one that composes.
	ReportPart ReportKind = "part"
	// ReportTask is the task's report in a period, composed by its lead
	// unit from the parts (汇总报告), which the office accepts or returns.
	ReportTask ReportKind = "task"
)

// Valid reports whether k is one of the kinds.
func (k ReportKind) Valid() bool { return k == ReportPart || k == ReportTask }

// Label is the kind as users read it.
func (k ReportKind) Label() string {
	if k == ReportPart {
		return "分项报告"
	}
	return "任务报告"
}

// ReportState is where a report is. A part is a draft until its unit
// submits it. A task's report goes draft → submitted → accepted, or
// submitted → returned (with a reason) → resubmitted → accepted.
type ReportState string

// The states of a report.
const (
	ReportDraft       ReportState = "draft"
	ReportSubmitted   ReportState = "submitted"
	ReportReturned    ReportState = "returned"
	ReportResubmitted ReportState = "resubmitted"
	ReportAccepted    ReportState = "accepted"
)

// Valid reports whether s is one of the states.
func (s ReportState) Valid() bool {
	switch s {
	case ReportDraft, ReportSubmitted, ReportReturned, ReportResubmitted, ReportAccepted:
		return true
	}
	return false
}

// Label is the state as users read it.
func (s ReportState) Label() string {
	switch s {
	case ReportDraft:
		return "草稿"
	case ReportSubmitted:
		return "已报送"
	case ReportReturned:
		return "已退回"
	case ReportResubmitted:
		return "已重新报送"
	case ReportAccepted:
		return "已审核通过"
	}
	return string(s)
}

// Reported reports whether a report in state s counts as handed in: what a
// unit owes is done, and what it says counts for the task's light.
func (s ReportState) Reported() bool {
	return s == ReportSubmitted || s == ReportResubmitted || s == ReportAccepted
}

// Report is what a unit says of a task in a period: its part, or the task's
// report the lead unit composes. Every saved version is kept.
type Report struct {
	ID       int64       `json:"id"`
	PlanID   int64       `json:"plan_id"`
	PeriodID int64       `json:"period_id"`
	TaskID   int64       `json:"task_id"`
	UnitID   int64       `json:"unit_id"`
	Kind     ReportKind  `json:"kind"`
	State    ReportState `json:"state"`

	// Progress is 进展情况 (for a task's report, the narrative of the whole).
	Progress string `json:"progress"`
	// Completion is how much of the unit's part (or of the task) is done,
	// in percent.
	Completion int           `json:"completion"`
	Actuals    []Actual      `json:"actuals"`
	Problems   string        `json:"problems"`   // 存在问题
	NextSteps  string        `json:"next_steps"` // 下一步打算
	Evidence   []EvidenceRef `json:"evidence"`
	// ReturnReason is why the office returned it, kept while it is revised.
	ReturnReason string `json:"return_reason,omitempty"`

	// Version counts the saves, from 1; a save made from an older version
	// is refused (see Conflict).
	Version int `json:"version"`
	// SubmittedAt is when it was first handed in, which says if it was late.
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	ReviewedAt  time.Time `json:"reviewed_at,omitzero"`
	Reviewer    string    `json:"reviewer,omitempty"`
	UpdatedByID int64     `json:"updated_by_id,omitempty"`
	UpdatedBy   string    `json:"updated_by"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Limits of a report's texts, in characters, and of its files.
const (
	MaxReportText  = 5000
	MaxReportNote  = 2000
	MaxEvidenceRef = 20
)

// Validate checks what every saved report must be: the texts within bounds,
// completion a percentage, the actuals of distinct targets.
func (r *Report) Validate() error {
	switch {
	case !r.Kind.Valid():
		return duban.Errorf(duban.EINVALID, "报告类型 %q 不正确。", r.Kind)
	case !r.State.Valid():
		return duban.Errorf(duban.EINVALID, "报告状态 %q 不正确。", r.State)
	case r.Completion < 0 || r.Completion > 100:
		return duban.Errorf(duban.EINVALID, "完成进度应在 0%% 到 100%% 之间，填写的是 %d%%。", r.Completion)
	case utf8.RuneCountInString(r.Progress) > MaxReportText:
		return duban.Errorf(duban.EINVALID, "进展情况过长（超过 %d 字）：请精简，详细材料可作为附件上传。", MaxReportText)
	case utf8.RuneCountInString(r.Problems) > MaxReportNote:
		return duban.Errorf(duban.EINVALID, "存在问题过长（超过 %d 字）。", MaxReportNote)
	case utf8.RuneCountInString(r.NextSteps) > MaxReportNote:
		return duban.Errorf(duban.EINVALID, "下一步打算过长（超过 %d 字）。", MaxReportNote)
	case len(r.Evidence) > MaxEvidenceRef:
		return duban.Errorf(duban.EINVALID, "附件最多 %d 个。", MaxEvidenceRef)
	}
	seen := map[int]bool{}
	for _, a := range r.Actuals {
		if seen[a.Indicator] || a.Indicator < 0 {
			return duban.Errorf(duban.EINVALID, "同一个目标填写了两个实际完成数：请刷新后重新填写。")
		}
		seen[a.Indicator] = true
	}
	for _, e := range r.Evidence {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// CheckSubmit checks what a report handed in must have beyond Validate: the
// progress written, and every actual read.
func (r *Report) CheckSubmit(t *duban.Task) error {
	if strings.TrimSpace(r.Progress) == "" {
		return duban.Errorf(duban.EINVALID, "请填写进展情况后再报送。")
	}
	for _, a := range r.Actuals {
		if a.Problem != "" {
			return duban.Errorf(duban.EINVALID, "目标“%s”的实际完成数无法读取，不能报送：%s", indicatorName(t, a.Indicator), a.Problem)
		}
	}
	return nil
}

func indicatorName(t *duban.Task, i int) string {
	if t != nil && i >= 0 && i < len(t.Indicators) {
		return t.Indicators[i].Metric
	}
	return strconv.Itoa(i + 1)
}

// Clone returns a deep copy of r, to keep its state before a change.
func (r *Report) Clone() *Report {
	c := *r
	c.Actuals = slices.Clone(r.Actuals)
	c.Evidence = slices.Clone(r.Evidence)
	return &c
}

// DaysLate returns how many days after due r was first handed in (in
// Beijing's days), 0 when on time or not handed in yet.
func (r *Report) DaysLate(due duban.Date) int {
	if r.SubmittedAt.IsZero() {
		return 0
	}
	return max(0, duban.Today(r.SubmittedAt).DaysSince(due))
}

// ReportUpdate changes a report. Content fields are set if given; State asks
// for a step (submitting is the unit's; accepting and returning, with
// ReturnReason, the office's). Version is the version the change was made
// from, and must be the report's current one.
type ReportUpdate struct {
	Progress   *string `json:"progress,omitempty"`
	Completion *int    `json:"completion,omitempty"`
	// Actuals are the texts typed for the task's targets, in their order;
	// "" leaves a target unreported.
	Actuals      *[]string      `json:"actuals,omitempty"`
	Problems     *string        `json:"problems,omitempty"`
	NextSteps    *string        `json:"next_steps,omitempty"`
	Evidence     *[]EvidenceRef `json:"evidence,omitempty"`
	State        *ReportState   `json:"state,omitempty"`
	ReturnReason *string        `json:"return_reason,omitempty"`
	Version      int            `json:"version"`
}

// Edits reports whether the update changes what the report says.
func (u ReportUpdate) Edits() bool {
	return u.Progress != nil || u.Completion != nil || u.Actuals != nil || u.Problems != nil ||
		u.NextSteps != nil || u.Evidence != nil
}

// Apply sets the content fields on r, reading the actuals against the
// task's targets. It does not validate.
func (u ReportUpdate) Apply(r *Report, t *duban.Task) error {
	trim := func(p *string, dst *string) {
		if p != nil {
			*dst = strings.TrimSpace(*p)
		}
	}
	trim(u.Progress, &r.Progress)
	trim(u.Problems, &r.Problems)
	trim(u.NextSteps, &r.NextSteps)
	if u.Completion != nil {
		r.Completion = *u.Completion
	}
	if u.Evidence != nil {
		r.Evidence = slices.Clone(*u.Evidence)
	}
	if u.Actuals != nil {
		actuals, err := ReadActuals(*u.Actuals, t.Indicators)
		if err != nil {
			return err
		}
		r.Actuals = actuals
	}
	return nil
}

// Reread reads the report's typed actuals again against the task's targets,
// as a report made in a form or by a script is checked: each keeps its text,
// and a value or the reason it has none.
func (r *Report) Reread(t *duban.Task) error {
	texts := make([]string, 0, len(r.Actuals))
	for _, a := range r.Actuals {
		if a.Indicator < 0 || a.Indicator >= len(t.Indicators) {
			return duban.Errorf(duban.EINVALID, "任务 %s 没有第 %d 个目标：请刷新后重新填写。", t.No, a.Indicator+1)
		}
		for len(texts) < a.Indicator {
			texts = append(texts, "")
		}
		if len(texts) > a.Indicator {
			return duban.Errorf(duban.EINVALID, "同一个目标填写了两个实际完成数：请刷新后重新填写。")
		}
		texts = append(texts, a.Text)
	}
	actuals, err := ReadActuals(texts, t.Indicators)
	if err != nil {
		return err
	}
	r.Actuals = actuals
	return nil
}

// ReportStep checks that a report of kind may go from one state to another
// by the hand of the office (review) or of its unit, and says why not.
// From "" is a report not yet saved.
func ReportStep(kind ReportKind, from, to ReportState, review bool) error {
	ok := false
	switch {
	case review:
		ok = kind == ReportTask && (from == ReportSubmitted || from == ReportResubmitted) &&
			(to == ReportAccepted || to == ReportReturned)
	case kind == ReportPart:
		ok = (from == "" || from == ReportDraft) && (to == ReportDraft || to == ReportSubmitted) ||
			from == ReportSubmitted && to == ReportSubmitted
	default:
		switch from {
		case "", ReportDraft:
			ok = to == ReportDraft || to == ReportSubmitted
		case ReportReturned:
			ok = to == ReportReturned || to == ReportResubmitted
		}
	}
	if ok {
		return nil
	}
	switch {
	case review && from == ReportAccepted:
		return duban.Errorf(duban.ECONFLICT, "报告已审核通过，不能再退回或重复审核。")
	case review:
		return duban.Errorf(duban.ECONFLICT, "报告%s，不能审核：只有已报送的任务报告可以审核通过或退回。", from.Label())
	case from == ReportAccepted:
		return duban.Errorf(duban.ECONFLICT, "报告已审核通过，不能再修改。")
	case from == ReportSubmitted || from == ReportResubmitted:
		return duban.Errorf(duban.ECONFLICT, "报告已报送，正等待督查室审核，不能再修改；如需更正，请联系督查室退回。")
	}
	return duban.Errorf(duban.EINVALID, "报告不能从“%s”变为“%s”。", from.Label(), to.Label())
}

// ReportFilter selects reports, in plan order of their tasks. Nil fields do
// not filter; Limit 0 means no limit.
type ReportFilter struct {
	ID       *int64
	PlanID   *int64
	PeriodID *int64
	TaskID   *int64
	UnitID   *int64
	Kind     *ReportKind
	State    *ReportState

	Offset int
	Limit  int
}

// ReportSave is one save of a batch: a new report (Report), or a change
// to the saved report ID (Update).
type ReportSave struct {
	ID     int64        `json:"id,omitempty"`
	Report *Report      `json:"report,omitempty"`
	Update ReportUpdate `json:"update"`
}

// MaxReportSaves bounds a batch: more than any unit reports in a period.
const MaxReportSaves = 2000

// ReportVersion is a report as one save left it, kept so that any two
// versions can be compared.
type ReportVersion struct {
	ReportID int64     `json:"report_id"`
	Version  int       `json:"version"`
	Action   string    `json:"action"` // 保存, 报送, 退回, 审核通过…
	Report   Report    `json:"report"`
	SavedBy  string    `json:"saved_by"`
	SavedAt  time.Time `json:"saved_at"`
}

// FieldChange is one field that differs between two versions of a thing.
type FieldChange struct {
	Field  string `json:"field"`
	Label  string `json:"label"` // 进展情况
	Before string `json:"before"`
	After  string `json:"after"`
}

// DiffReports lists what differs between two versions of a report, field by
// field, as a person reads them.
func DiffReports(a, b *Report, t *duban.Task) []FieldChange {
	var out []FieldChange
	add := func(field, label, before, after string) {
		if before != after {
			out = append(out, FieldChange{Field: field, Label: label, Before: before, After: after})
		}
	}
	add("state", "状态", a.State.Label(), b.State.Label())
	add("progress", "进展情况", a.Progress, b.Progress)
	add("completion", "完成进度", fmt.Sprintf("%d%%", a.Completion), fmt.Sprintf("%d%%", b.Completion))
	n := 0
	for _, r := range []*Report{a, b} {
		for _, x := range r.Actuals {
			n = max(n, x.Indicator+1)
		}
	}
	for i := range n {
		add(fmt.Sprintf("actual.%d", i), "实际完成："+indicatorName(t, i), actualText(a, i), actualText(b, i))
	}
	add("problems", "存在问题", a.Problems, b.Problems)
	add("next_steps", "下一步打算", a.NextSteps, b.NextSteps)
	add("evidence", "附件", evidenceNames(a.Evidence), evidenceNames(b.Evidence))
	add("return_reason", "退回理由", a.ReturnReason, b.ReturnReason)
	return out
}

func actualText(r *Report, i int) string {
	for _, a := range r.Actuals {
		if a.Indicator == i {
			return a.Text
		}
	}
	return ""
}

func evidenceNames(refs []EvidenceRef) string {
	names := make([]string, len(refs))
	for i, e := range refs {
		names[i] = e.Name
	}
	return strings.Join(names, "、")
}

// ClosureState is where a request to close a task (申请办结) is.
type ClosureState string

// The states of a request to close a task.
const (
	ClosureRequested ClosureState = "requested"
	ClosureClosed    ClosureState = "closed"
	ClosureDeclined  ClosureState = "declined"
)

// Label is the state as users read it.
func (s ClosureState) Label() string {
	switch s {
	case ClosureRequested:
		return "申请办结"
	case ClosureClosed:
		return "已办结"
	case ClosureDeclined:
		return "未同意办结"
	}
	return string(s)
}

// Closure is a lead unit's request that a task be closed as done, with its
// evidence, and the office's decision.
type Closure struct {
	ID          int64         `json:"id"`
	PlanID      int64         `json:"plan_id"`
	TaskID      int64         `json:"task_id"`
	UnitID      int64         `json:"unit_id"`
	State       ClosureState  `json:"state"`
	Note        string        `json:"note"`
	Evidence    []EvidenceRef `json:"evidence"`
	Reason      string        `json:"reason,omitempty"` // why it was declined
	RequestedBy string        `json:"requested_by"`
	RequestedAt time.Time     `json:"requested_at"`
	DecidedBy   string        `json:"decided_by,omitempty"`
	DecidedAt   time.Time     `json:"decided_at,omitzero"`
}

// Validate checks a request before it is kept.
func (c *Closure) Validate() error {
	switch {
	case strings.TrimSpace(c.Note) == "":
		return duban.Errorf(duban.EINVALID, "请说明任务完成的情况，再申请办结。")
	case utf8.RuneCountInString(c.Note) > MaxReportText:
		return duban.Errorf(duban.EINVALID, "办结说明过长（超过 %d 字）。", MaxReportText)
	case len(c.Evidence) > MaxEvidenceRef:
		return duban.Errorf(duban.EINVALID, "附件最多 %d 个。", MaxEvidenceRef)
	case utf8.RuneCountInString(c.Reason) > MaxReportNote:
		return duban.Errorf(duban.EINVALID, "理由过长（超过 %d 字）。", MaxReportNote)
	}
	for _, e := range c.Evidence {
		if err := e.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// ClosureFilter selects requests to close tasks, newest first.
type ClosureFilter struct {
	ID     *int64
	PlanID *int64
	TaskID *int64
	State  *ClosureState

	Offset int
	Limit  int
}

// ClosureUpdate is the office's decision on a request: closed, or declined
// with a reason.
type ClosureUpdate struct {
	State  *ClosureState `json:"state,omitempty"`
	Reason string        `json:"reason,omitempty"`
}

// ReportService keeps the reports of the cycle and the requests to close
// tasks. Each method checks the permission of the user in ctx itself.
type ReportService interface {
	// FindReportByID returns one report.
	FindReportByID(ctx context.Context, id int64) (*Report, error)
	// FindReports returns the reports matching the filter and how many
	// match in all.
	FindReports(ctx context.Context, filter ReportFilter) ([]*Report, int, error)
	// CreateReport saves a unit's first version of its part or of a task's
	// report in an open period (State draft or submitted) and sets its ID.
	CreateReport(ctx context.Context, r *Report) error
	// UpdateReport saves a new version: the unit's edits and submission,
	// the office's acceptance or return. A save from an old version is
	// refused with Conflict.
	UpdateReport(ctx context.Context, id int64, upd ReportUpdate) (*Report, error)
	// FindReportVersions returns every version of a report, oldest first.
	FindReportVersions(ctx context.Context, id int64) ([]*ReportVersion, error)
	// SaveReports saves a batch of reports (a unit's workbook filled in
	// offline) in one transaction, each as CreateReport or UpdateReport
	// would with its version and audit event: all of them, or, when one
	// is refused, none, with the error naming it.
	SaveReports(ctx context.Context, saves []ReportSave) ([]*Report, error)

	// FindClosures returns requests to close tasks, newest first.
	FindClosures(ctx context.Context, filter ClosureFilter) ([]*Closure, int, error)
	// CreateClosure records a lead unit's request to close a task.
	CreateClosure(ctx context.Context, c *Closure) error
	// UpdateClosure records the office's decision on a request.
	UpdateClosure(ctx context.Context, id int64, upd ClosureUpdate) (*Closure, error)
}
