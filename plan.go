package duban

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// PlanState is where a plan is in its life. The office corrects a draft, units
// work to a published plan, and an archived plan is kept for the record but no
// longer supervised.
type PlanState string

// The states of a plan.
const (
	PlanDraft     PlanState = "draft"
	PlanPublished PlanState = "published"
	PlanArchived  PlanState = "archived"
)

// Label is the state's name as users read it.
func (s PlanState) Label() string {
	switch s {
	case PlanDraft:
		return "草稿"
	case PlanPublished:
		return "已发布"
	case PlanArchived:
		return "已归档"
	}
	return string(s)
}

// Valid reports whether s is one of the plan states, so that a state taken
// from a form or a command line can be checked before it reaches a store.
func (s PlanState) Valid() bool {
	return s == PlanDraft || s == PlanPublished || s == PlanArchived
}

// Plan is one decomposition notice as the office runs it: the document's
// identity, its actions (sections) and focus areas, and, through its tasks,
// who answers for what. A plan is built from a notice's reading and may be
// re-issued when the government corrects the notice.
type Plan struct {
	ID        int64     `json:"id"`
	Region    string    `json:"region"`
	Year      int       `json:"year"`
	DocNumber string    `json:"doc_number"`
	Title     string    `json:"title"`
	Issuer    string    `json:"issuer"`
	Date      string    `json:"date"` // YYYY-MM-DD as the notice gives it, or ""
	State     PlanState `json:"state"`

	// Sections, Areas and Warnings are filled by FindPlanByID; lists of plans
	// leave them empty.
	Sections []Section `json:"sections,omitempty"`
	Areas    []Area    `json:"areas,omitempty"`
	// Warnings are the reader's remarks on the latest notice imported for
	// the plan, kept so that the office can check those places.
	Warnings []Warning `json:"warnings,omitempty"`

	// Counts computed by the store's queries, never kept by hand.
	Issues         int `json:"issues"`          // notice files imported: 1, or more after re-issues
	TaskCount      int `json:"task_count"`      // tasks in force
	OpenStatements int `json:"open_statements"` // unassigned statements not yet decided

	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// Section is one action of the plan (（一）…). Section 0 holds the main
// expected targets.
type Section struct {
	No    int    `json:"no"`
	Title string `json:"title"`
}

// Area is a focus heading inside a section, numbered from 1 within it.
type Area struct {
	Section int    `json:"section"`
	No      int    `json:"no"`
	Title   string `json:"title"`
}

// Name is how the plan is called in lists and messages: the year and the
// title, with the document number when there is one.
func (p *Plan) Name() string {
	s := p.Title
	if p.DocNumber != "" {
		s += "（" + p.DocNumber + "）"
	}
	return s
}

// SectionWords are the words a notice may call its top-level headings by,
// when every heading uses it (大力实施城市更新行动…: 行动); SectionWord falls
// back to the last, a word that fits any notice.
var SectionWords = []string{"行动", "工程", "攻坚", "部分"}

// SectionWord is what the plan's notice calls its top-level headings, for
// labels: the word every heading of the notice uses, or 部分 when they share
// none, so that a label fits the notice rather than another one.
func (p *Plan) SectionWord() string {
	for _, w := range SectionWords[:len(SectionWords)-1] {
		all, some := true, false
		for _, s := range p.Sections {
			if s.No == 0 {
				continue
			}
			some = true
			all = all && strings.Contains(s.Title, w)
		}
		if some && all {
			return w
		}
	}
	return SectionWords[len(SectionWords)-1]
}

// Validate checks what every stored plan must have, so that a reading missing
// its year or title is stopped at import with a message saying what to fix.
func (p *Plan) Validate() error {
	switch {
	case strings.TrimSpace(p.Title) == "":
		return Errorf(EINVALID, "文件缺少标题：请检查通知的标题行。")
	case utf8.RuneCountInString(p.Title) > 500:
		return Errorf(EINVALID, "文件标题过长（超过 500 字）：请检查通知的标题行。")
	case p.Year < 2000 || p.Year > 2100:
		return Errorf(EINVALID, "文件年份 %d 不正确：通知中没有读到年份时，请在导入时指定年份。", p.Year)
	case !p.State.Valid():
		return Errorf(EINVALID, "文件状态 %q 不正确：应为草稿、已发布或已归档。", p.State)
	}
	for i, s := range p.Sections {
		if strings.TrimSpace(s.Title) == "" {
			return Errorf(EINVALID, "第 %d 个部分缺少标题。", i+1)
		}
	}
	return nil
}

// PlanSource is one notice file imported for a plan, kept so that the office
// can read a task in its place in the notice and the reader can be run again.
type PlanSource struct {
	PlanID     int64     `json:"plan_id"`
	Issue      int       `json:"issue"` // 1 for the first notice, 2 for the first re-issue…
	Name       string    `json:"name"`
	SHA256     string    `json:"sha256"`
	Data       []byte    `json:"-"`
	ImportedAt time.Time `json:"imported_at"`
}

// PlanFilter selects plans. Nil fields do not filter; Limit 0 means no limit.
type PlanFilter struct {
	ID        *int64
	Year      *int
	State     *PlanState
	Region    *string
	DocNumber *string
	// WithoutCounts leaves each plan's counts (Issues, TaskCount,
	// OpenStatements) zero: counting a plan's tasks reads all of them, which
	// a list offering plans to choose from does not show.
	WithoutCounts bool

	Offset int
	Limit  int
}

// ImportInput is a notice to import: its file name and bytes, and its reading.
// The reading is made by the caller (the notice reader), so that the domain and
// the stores stay free of file formats.
type ImportInput struct {
	Name    string
	Data    []byte
	Reading *Reading
}

// ImportOutcome says what an import did, so that a caller can tell the user.
type ImportOutcome string

// Outcomes of an import.
const (
	// ImportCreated: a new draft plan was made from the notice.
	ImportCreated ImportOutcome = "created"
	// ImportUnchanged: the same file had been imported before; nothing new.
	ImportUnchanged ImportOutcome = "unchanged"
	// ImportReissue: the notice is a new issue of a plan already stored. Nothing
	// was changed; Diff lists the changes, which ReissuePlan applies.
	ImportReissue ImportOutcome = "reissue"
)

// ImportResult is the answer to ImportPlan.
type ImportResult struct {
	Outcome ImportOutcome `json:"outcome"`
	Plan    *Plan         `json:"plan"`
	// Diff is set when Outcome is ImportReissue.
	Diff *PlanDiff `json:"diff,omitempty"`
	// NewUnits and NewLeaders are the names in the notice that the directory
	// does not know yet. The office may map them to known units before
	// publishing; those left become new entries when the plan is published.
	NewUnits   []string `json:"new_units"`
	NewLeaders []string `json:"new_leaders"`
}

// PlanService stores plans and runs import, re-issue and publication. Each
// method checks the permission of the user in ctx itself.
type PlanService interface {
	// FindPlanByID returns a plan with its sections, areas and warnings.
	FindPlanByID(ctx context.Context, id int64) (*Plan, error)
	// FindPlans returns the plans matching the filter and how many match in
	// all. Users other than the office see published and archived plans only.
	FindPlans(ctx context.Context, filter PlanFilter) ([]*Plan, int, error)
	// FindPlanSource returns the latest notice file imported for a plan.
	FindPlanSource(ctx context.Context, id int64) (*PlanSource, error)

	// ImportPlan creates a draft plan from a notice. The same file imported
	// twice creates nothing new; a new issue of a stored plan is compared
	// with it and left for ReissuePlan.
	ImportPlan(ctx context.Context, in ImportInput) (*ImportResult, error)
	// DiffPlan compares a new reading of a plan's notice with the plan.
	DiffPlan(ctx context.Context, id int64, r *Reading) (*PlanDiff, error)
	// ReissuePlan applies a new issue of the plan's notice: tasks added,
	// withdrawn, reworded or given other owners, each change in the task's
	// history. It returns the changes it applied.
	ReissuePlan(ctx context.Context, id int64, in ImportInput) (*PlanDiff, error)
	// PublishPlan makes a reviewed draft the plan units work to. Names not
	// yet in the directory become new units and leaders.
	PublishPlan(ctx context.Context, id int64) (*Plan, error)
	// ArchivePlan ends the supervision of a published plan and keeps it.
	ArchivePlan(ctx context.Context, id int64) (*Plan, error)
}
