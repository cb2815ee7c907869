package duban

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TaskState says whether a task is in force. A task that a re-issued notice
// drops is withdrawn rather than deleted, so that its history and the work
// reported on it stay readable.
type TaskState string

// The states of a task.
const (
	TaskActive    TaskState = "active"
	TaskWithdrawn TaskState = "withdrawn"
)

// Owner is a leader or unit named in a task's attribution. Name is the name as
// the notice (or the office) wrote it; ID points at the directory entry it
// stands for, and is 0 while the name is not mapped yet (in a draft).
type Owner struct {
	ID   int64  `json:"id,omitempty"`
	Name string `json:"name"`
}

// OwnerNames returns the names of owners, in order.
func OwnerNames(owners []Owner) []string {
	names := make([]string, len(owners))
	for i, o := range owners {
		names[i] = o.Name
	}
	return names
}

// OwnersNamed returns owners with the given names and no directory entries,
// as a notice or a command line gives them.
func OwnersNamed(names []string) []Owner {
	owners := make([]Owner, 0, len(names))
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			owners = append(owners, Owner{Name: n})
		}
	}
	return owners
}

// Task is one attributed task of a plan: its text, who leads it and who shares
// it, in the order the notice lists them, its deadline and its quantitative
// targets.
type Task struct {
	ID     int64 `json:"id"`
	PlanID int64 `json:"plan_id"`
	// Year is the plan's year, filled by queries so that a list of tasks
	// across plans can show it.
	Year    int `json:"year"`
	Section int `json:"section"`
	Area    int `json:"area"`
	Seq     int `json:"seq"`
	// No is the task's number as the office cites it, section.area.seq;
	// stores derive it from the three numbers (see TaskNo).
	No       string `json:"no"`
	Text     string `json:"text"`
	Deadline string `json:"deadline"` // as written, such as 2022年6月底前; "" when none
	// DeadlineDate, DeadlineKind and Milestones are the deadline read as a
	// date (ParseDeadline), kept beside the text so that lists sort and
	// filter by it; stores fill them whenever the text is set.
	DeadlineDate Date         `json:"deadline_date"`
	DeadlineKind DeadlineKind `json:"deadline_kind"`
	Milestones   []Milestone  `json:"milestones,omitempty"`
	Line         int          `json:"line"` // where the text starts in the notice, from 1; 0 when not from a notice
	State        TaskState    `json:"state"`

	LeadLeaders      []Owner     `json:"lead_leaders"`
	LeadUnits        []Owner     `json:"lead_units"`
	ResponsibleUnits []Owner     `json:"responsible_units"`
	Indicators       []Indicator `json:"indicators"`

	// Issued is the task as the latest notice states it, before any
	// correction by the office. A re-issued notice is compared with it, so
	// that the office's corrections do not show as changes. Nil for tasks the
	// office made (by splitting a task or assigning a statement).
	Issued *IssuedTask `json:"issued,omitempty"`

	// Version counts the task's saves, from 1; a correction made from an
	// older version is refused (Conflict). UpdatedBy is who saved last.
	Version   int       `json:"version"`
	UpdatedBy string    `json:"updated_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ReadDeadline fills the task's deadline date, kind and steps from its text,
// for a plan of year.
func (t *Task) ReadDeadline(year int) {
	d := ParseDeadline(t.Deadline, year)
	t.DeadlineDate, t.DeadlineKind, t.Milestones = d.Date, d.Kind, d.Milestones
}

// Due returns the task's deadline as read, without reading the text again.
func (t *Task) Due() Deadline {
	return Deadline{Text: t.Deadline, Kind: t.DeadlineKind, Date: t.DeadlineDate, Milestones: t.Milestones}
}

// IssuedTask is a task as a notice states it.
type IssuedTask struct {
	Text             string   `json:"text"`
	LeadLeaders      []string `json:"lead_leaders"`
	LeadUnits        []string `json:"lead_units"`
	ResponsibleUnits []string `json:"responsible_units"`
	Deadline         string   `json:"deadline"`
}

// TaskNo formats a task's number from its position.
func TaskNo(section, area, seq int) string {
	return fmt.Sprintf("%d.%d.%d", section, area, seq)
}

// Clone returns a deep copy of t, so that a task's state before a change can
// be kept (for the audit log) while the change is made.
func (t *Task) Clone() *Task {
	c := *t
	c.LeadLeaders = slices.Clone(t.LeadLeaders)
	c.LeadUnits = slices.Clone(t.LeadUnits)
	c.ResponsibleUnits = slices.Clone(t.ResponsibleUnits)
	c.Indicators = slices.Clone(t.Indicators)
	c.Milestones = slices.Clone(t.Milestones)
	if t.Issued != nil {
		is := *t.Issued
		c.Issued = &is
	}
	return &c
}

// HasUnit reports whether the unit leads or shares the task, which is what
// gives its clerk the right to report on it.
func (t *Task) HasUnit(unitID int64) bool {
	if unitID == 0 {
		return false
	}
	has := func(o Owner) bool { return o.ID == unitID }
	return slices.ContainsFunc(t.LeadUnits, has) || slices.ContainsFunc(t.ResponsibleUnits, has)
}

// HasLeader reports whether the leader leads the task.
func (t *Task) HasLeader(leaderID int64) bool {
	return leaderID != 0 && slices.ContainsFunc(t.LeadLeaders, func(o Owner) bool { return o.ID == leaderID })
}

// MaxTaskText is the longest task text accepted, in characters. Real tasks
// run to a few hundred; the bound catches a whole section pasted by mistake.
const MaxTaskText = 4000

// Validate checks what every stored task must have: text, someone who answers
// for it, and well-formed targets.
func (t *Task) Validate() error {
	switch {
	case strings.TrimSpace(t.Text) == "":
		return Errorf(EINVALID, "任务内容不能为空。")
	case utf8.RuneCountInString(t.Text) > MaxTaskText:
		return Errorf(EINVALID, "任务内容过长（超过 %d 字）：请拆分任务。", MaxTaskText)
	case t.State != TaskActive && t.State != TaskWithdrawn:
		return Errorf(EINVALID, "任务状态 %q 不正确。", t.State)
	case t.Section < 0 || t.Area < 0 || t.Seq < 1:
		return Errorf(EINVALID, "任务编号 %s 不正确。", TaskNo(t.Section, t.Area, t.Seq))
	case len(t.LeadLeaders)+len(t.LeadUnits)+len(t.ResponsibleUnits) == 0:
		return Errorf(EINVALID, "任务 %s 没有牵头领导、牵头单位或责任单位：请至少指定一个。", t.No)
	case utf8.RuneCountInString(t.Deadline) > 100:
		return Errorf(EINVALID, "完成时限过长（超过 100 字）。")
	}
	for _, list := range [][]Owner{t.LeadLeaders, t.LeadUnits, t.ResponsibleUnits} {
		seen := map[string]bool{}
		for _, o := range list {
			name := NormalizeName(o.Name)
			if name == "" {
				return Errorf(EINVALID, "任务 %s 的分工中有空的名称。", t.No)
			}
			if seen[name] {
				return Errorf(EINVALID, "任务 %s 的分工中“%s”重复出现。", t.No, o.Name)
			}
			seen[name] = true
		}
	}
	for i := range t.Indicators {
		if err := ValidateIndicator(&t.Indicators[i]); err != nil {
			return err
		}
	}
	return nil
}

// ValidateIndicator checks a quantitative target, so that a target entered by
// hand has the same shape as one the reader found.
func ValidateIndicator(in *Indicator) error {
	switch {
	case strings.TrimSpace(in.Metric) == "":
		return Errorf(EINVALID, "目标缺少指标名称：如“新增高新技术企业”。")
	case !slices.Contains([]Comparison{CmpEqual, CmpAtLeast, CmpMore, CmpAtMost, CmpAbout, CmpRange}, in.Cmp):
		return Errorf(EINVALID, "目标“%s”的比较方式 %q 不正确：应为 =、>=、>、<=、~ 或 range。", in.Metric, in.Cmp)
	case in.Cmp == CmpRange && (in.Upper == nil || *in.Upper < in.Value):
		return Errorf(EINVALID, "目标“%s”是区间，需要不小于下限的上限。", in.Metric)
	case in.Cmp != CmpRange && in.Upper != nil:
		return Errorf(EINVALID, "目标“%s”不是区间，不能有上限。", in.Metric)
	}
	return nil
}

// NewTask makes a task from a task of a reading, with its owners as named and
// not yet mapped to the directory.
func NewTask(rt *ReadTask) *Task {
	t := &Task{
		Section:          rt.Section,
		Area:             rt.Area,
		Text:             rt.Text,
		Deadline:         rt.Deadline,
		Line:             rt.Line,
		State:            TaskActive,
		LeadLeaders:      OwnersNamed(rt.LeadLeaders),
		LeadUnits:        OwnersNamed(rt.LeadUnits),
		ResponsibleUnits: OwnersNamed(rt.ResponsibleUnits),
		Indicators:       slices.Clone(rt.Indicators),
		Issued:           Issued(rt),
	}
	t.Seq = readSeq(rt)
	t.No = TaskNo(t.Section, t.Area, t.Seq)
	return t
}

// readSeq returns a read task's sequence number within its area, from the
// last part of its number.
func readSeq(rt *ReadTask) int {
	var sec, area, seq int
	if _, err := fmt.Sscanf(rt.No, "%d.%d.%d", &sec, &area, &seq); err != nil || seq < 1 {
		return 1
	}
	return seq
}

// Issued returns the notice's statement of a read task.
func Issued(rt *ReadTask) *IssuedTask {
	return &IssuedTask{
		Text:             rt.Text,
		LeadLeaders:      slices.Clone(rt.LeadLeaders),
		LeadUnits:        slices.Clone(rt.LeadUnits),
		ResponsibleUnits: slices.Clone(rt.ResponsibleUnits),
		Deadline:         rt.Deadline,
	}
}

// Split cuts the task's text before the character at offset at (counted in
// characters, from 0) and returns the second part as a new task with the same
// owners and deadline. Each target goes with the part whose text states it.
// The new task follows t (its Seq is t.Seq+1; the store renumbers the rest).
func (t *Task) Split(at int) (*Task, error) {
	runes := []rune(t.Text)
	if at <= 0 || at >= len(runes) {
		return nil, Errorf(EINVALID, "拆分位置不正确：应在任务内容的第 1 到第 %d 个字之间。", len(runes)-1)
	}
	first := trimTaskText(string(runes[:at]))
	second := trimTaskText(string(runes[at:]))
	if first == "" || second == "" {
		return nil, Errorf(EINVALID, "拆分后两部分都应有内容：请换一个拆分位置。")
	}
	n := &Task{
		PlanID:           t.PlanID,
		Year:             t.Year,
		Section:          t.Section,
		Area:             t.Area,
		Seq:              t.Seq + 1,
		Text:             second,
		Deadline:         t.Deadline,
		Line:             t.Line,
		State:            TaskActive,
		LeadLeaders:      slices.Clone(t.LeadLeaders),
		LeadUnits:        slices.Clone(t.LeadUnits),
		ResponsibleUnits: slices.Clone(t.ResponsibleUnits),
	}
	n.No = TaskNo(n.Section, n.Area, n.Seq)
	var keep []Indicator
	for _, in := range t.Indicators {
		if in.Text != "" && !strings.Contains(first, in.Text) && strings.Contains(second, in.Text) {
			n.Indicators = append(n.Indicators, in)
		} else {
			keep = append(keep, in)
		}
	}
	t.Text, t.Indicators = first, keep
	return n, nil
}

// Merge joins o into t: o's text follows t's after a semicolon, owners not
// already named are appended in order, targets are joined, and t keeps its
// deadline unless it has none.
func (t *Task) Merge(o *Task) {
	t.Text = trimTaskText(t.Text) + "；" + trimTaskText(o.Text)
	t.LeadLeaders = unionOwners(t.LeadLeaders, o.LeadLeaders)
	t.LeadUnits = unionOwners(t.LeadUnits, o.LeadUnits)
	t.ResponsibleUnits = unionOwners(t.ResponsibleUnits, o.ResponsibleUnits)
	t.Indicators = append(slices.Clone(t.Indicators), o.Indicators...)
	if t.Deadline == "" {
		t.Deadline = o.Deadline
	}
}

func unionOwners(a, b []Owner) []Owner {
	out := slices.Clone(a)
	for _, o := range b {
		if !slices.ContainsFunc(out, func(x Owner) bool { return NormalizeName(x.Name) == NormalizeName(o.Name) }) {
			out = append(out, o)
		}
	}
	return out
}

// trimTaskText removes the spaces and punctuation that a cut or a join leaves
// at either end of a task's text.
func trimTaskText(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return strings.ContainsRune(" \t\n\u3000，,；;、。.：:", r)
	})
}

// TaskUpdate is a correction of a task. Nil fields are left as they are.
type TaskUpdate struct {
	Text             *string      `json:"text,omitempty"`
	Deadline         *string      `json:"deadline,omitempty"`
	Indicators       *[]Indicator `json:"indicators,omitempty"`
	LeadLeaders      *[]Owner     `json:"lead_leaders,omitempty"`
	LeadUnits        *[]Owner     `json:"lead_units,omitempty"`
	ResponsibleUnits *[]Owner     `json:"responsible_units,omitempty"`
	// Version is the version the correction was made from (an API's
	// If-Match); when given, a task saved since is not changed.
	Version *int `json:"version,omitempty"`
}

// Apply sets the given fields on t. It does not validate; the caller does.
func (u TaskUpdate) Apply(t *Task) {
	if u.Text != nil {
		t.Text = strings.TrimSpace(*u.Text)
	}
	if u.Deadline != nil {
		t.Deadline = strings.TrimSpace(*u.Deadline)
	}
	if u.Indicators != nil {
		t.Indicators = slices.Clone(*u.Indicators)
	}
	if u.LeadLeaders != nil {
		t.LeadLeaders = slices.Clone(*u.LeadLeaders)
	}
	if u.LeadUnits != nil {
		t.LeadUnits = slices.Clone(*u.LeadUnits)
	}
	if u.ResponsibleUnits != nil {
		t.ResponsibleUnits = slices.Clone(*u.ResponsibleUnits)
	}
}

// UnitRole narrows a unit's tasks to those it leads or those it shares.
// A unit named both among the lead units and the responsible ones leads
// the task, so that the tasks a unit leads and those it shares add up to
// all of its tasks, as OwnerCount counts them.
type UnitRole string

// Unit roles in a task.
const (
	UnitAnyRole UnitRole = ""       // leads or shares
	UnitLeads   UnitRole = "lead"   // among the lead units
	UnitShares  UnitRole = "shared" // among the responsible units, not the lead ones
)

// TaskFilter selects tasks. Nil and zero fields do not filter; Limit 0 means
// no limit. Users other than the office see tasks of published and archived
// plans only.
type TaskFilter struct {
	ID     *int64
	PlanID *int64
	// PlanState selects the tasks of plans in that state: the published
	// ones are the work in hand.
	PlanState *PlanState
	Year      *int
	Section   *int
	Area      *int
	// UnitID selects the tasks a unit leads or shares, narrowed by UnitRole:
	// those that name it and those that name a group it belongs to.
	UnitID   *int64
	UnitRole UnitRole
	// LeaderID selects the tasks a leader leads.
	LeaderID *int64
	// DueFrom and DueTo select the tasks whose deadline date falls between
	// them (both included): due this month, overdue. Tasks without a date
	// are left out when either is given.
	DueFrom *Date
	DueTo   *Date
	// DeadlineKind selects the tasks whose deadline reads so (ongoing,
	// unread…).
	DeadlineKind *DeadlineKind
	HasTargets   *bool
	// Light selects the tasks whose status light (the cycle's, by its
	// name: severe, lagging…) is this in period LightPeriod, or, when it
	// is 0, in the latest period of their plan that has lights. A task
	// without a light there counts as not_started, as the overview counts
	// it.
	Light       string
	LightPeriod int64
	// Query selects tasks whose text contains it.
	Query string
	// IncludeWithdrawn adds tasks that a re-issued notice dropped.
	IncludeWithdrawn bool
	// Sort orders the tasks, plan order (newest year first) when empty;
	// Desc reverses it.
	Sort TaskSort
	Desc bool

	Offset int
	Limit  int
}

// TaskSort names an order of a list of tasks: the columns of the ledger a
// user may sort by.
type TaskSort string

// The orders of tasks. Ties keep plan order.
const (
	TaskSortPlan     TaskSort = ""         // year (newest first), plan, number
	TaskSortDeadline TaskSort = "deadline" // the deadline's date, then as written; tasks without a date last
	TaskSortLeadUnit TaskSort = "unit"     // the first lead unit's name
	TaskSortLeader   TaskSort = "leader"   // the first lead leader's name
	TaskSortUpdated  TaskSort = "updated"  // last changed first
)

// Valid reports whether s is one of the orders, so that an order taken from
// an address is checked before it reaches a store.
func (s TaskSort) Valid() bool {
	switch s {
	case TaskSortPlan, TaskSortDeadline, TaskSortLeadUnit, TaskSortLeader, TaskSortUpdated:
		return true
	}
	return false
}

// OwnerCount is how many tasks a unit or a leader answers for.
type OwnerCount struct {
	// Leader tells a leader's count from a unit's; ID is the directory's.
	Leader bool  `json:"leader,omitempty"`
	ID     int64 `json:"id"`
	Lead   int   `json:"lead"`
	Shared int   `json:"shared"` // units only: tasks it is responsible for without leading
}

// StatementState is what the office decided about an unassigned statement.
type StatementState string

// The states of an unassigned statement.
const (
	StatementOpen      StatementState = "open"
	StatementAssigned  StatementState = "assigned"
	StatementDismissed StatementState = "dismissed"
)

// Statement is text of the notice that no attribution closes. The office gives
// it owners (it becomes a task) or dismisses it, before publishing.
type Statement struct {
	ID      int64          `json:"id"`
	PlanID  int64          `json:"plan_id"`
	Section int            `json:"section"`
	Area    int            `json:"area"`
	Text    string         `json:"text"`
	Line    int            `json:"line"`
	State   StatementState `json:"state"`
	// TaskID is the task made from the statement when it was assigned.
	TaskID int64 `json:"task_id,omitempty"`
	// Note says why the statement was dismissed.
	Note      string    `json:"note,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a statement before it is stored.
func (s *Statement) Validate() error {
	switch {
	case strings.TrimSpace(s.Text) == "":
		return Errorf(EINVALID, "无人认领的段落的内容不能为空。")
	case s.State != StatementOpen && s.State != StatementAssigned && s.State != StatementDismissed:
		return Errorf(EINVALID, "无人认领的段落的状态 %q 不正确。", s.State)
	case s.State == StatementAssigned && s.TaskID == 0:
		return Errorf(EINVALID, "已认领的段落应对应一项任务。")
	case utf8.RuneCountInString(s.Note) > 500:
		return Errorf(EINVALID, "说明过长（超过 500 字）。")
	}
	return nil
}

// StatementFilter selects unassigned statements. Limit 0 means no limit.
type StatementFilter struct {
	ID     *int64
	PlanID *int64
	State  *StatementState

	Offset int
	Limit  int
}

// StatementAssignment gives an unassigned statement its owners, making it a
// task.
type StatementAssignment struct {
	LeadLeaders      []Owner `json:"lead_leaders"`
	LeadUnits        []Owner `json:"lead_units"`
	ResponsibleUnits []Owner `json:"responsible_units"`
	Deadline         string  `json:"deadline"`
}

// GroupExpansion replaces a group term in tasks' attributions (各街道办事处,
// 相关街道办事处) by the units it stands for.
type GroupExpansion struct {
	PlanID int64 `json:"plan_id"`
	// Group is the term as the tasks name it.
	Group string `json:"group"`
	// TaskIDs limits the expansion to these tasks; empty means every task of
	// the plan that names the group.
	TaskIDs []int64 `json:"task_ids,omitempty"`
	// UnitIDs are the units the group stands for. Empty means every unit the
	// term names (每个街道 for 各街道办事处); a term such as 相关街道办事处 does
	// not say which, and needs them.
	UnitIDs []int64 `json:"unit_ids,omitempty"`
}

// TaskService reads and corrects the tasks of plans and decides unassigned
// statements. Each method checks the permission of the user in ctx itself.
type TaskService interface {
	// FindTaskByID returns a task with its owners and targets.
	FindTaskByID(ctx context.Context, id int64) (*Task, error)
	// FindTasks returns the tasks matching the filter, in plan order, and
	// how many match in all.
	FindTasks(ctx context.Context, filter TaskFilter) ([]*Task, int, error)
	// UpdateTask corrects a task's text, owners, deadline or targets.
	UpdateTask(ctx context.Context, id int64, upd TaskUpdate) (*Task, error)
	// SplitTask cuts a draft's task in two at a character offset of its text.
	SplitTask(ctx context.Context, id int64, at int) (first, second *Task, err error)
	// MergeTasks joins a draft's task other into task id and deletes other.
	MergeTasks(ctx context.Context, id, other int64) (*Task, error)
	// CountTasksByOwner counts, among the tasks matching the filter (its
	// paging aside), how many each unit leads and shares and each leader
	// leads, for lists of units and leaders. A filter naming a unit counts
	// that unit alone (its role aside): the ledger's tabs for it.
	CountTasksByOwner(ctx context.Context, filter TaskFilter) ([]OwnerCount, error)
	// ExpandGroup replaces a group term by the units it stands for.
	ExpandGroup(ctx context.Context, exp GroupExpansion) ([]*Task, error)

	// FindStatements returns unassigned statements and how many match.
	FindStatements(ctx context.Context, filter StatementFilter) ([]*Statement, int, error)
	// AssignStatement gives a statement owners: it becomes a task at the end
	// of its area.
	AssignStatement(ctx context.Context, id int64, a StatementAssignment) (*Task, error)
	// DismissStatement records that a statement needs no owner, and why.
	DismissStatement(ctx context.Context, id int64, note string) (*Statement, error)
}
