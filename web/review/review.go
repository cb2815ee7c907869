package review

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// The plan page: a notice's reading beside its source, and for the office
// the review of a draft — correcting, splitting and merging tasks, deciding
// unassigned statements, mapping unknown names, expanding group terms and
// publishing. Each action is a form that returns to the same place of the
// page with a flash; a form the service refuses is shown again, open, with
// what was typed, the refusal beside it and the field to fix focused.

// reviewRoutes are importing a notice (import.go), the review page and
// the review's actions.
func (s *server) reviewRoutes() []web.Route {
	return append(s.importRoutes(), []web.Route{
		{Method: "GET", Pattern: "/plans/{plan}/review", Allow: duban.CanRead, Action: "查看文件", Handler: s.review},
		{Method: "POST", Pattern: "/plans/{plan}/publish", Allow: duban.CanReviewPlan, Action: "发布文件", Changes: true, Handler: s.publishPlan},
		{Method: "POST", Pattern: "/plans/{plan}/archive", Allow: duban.CanReviewPlan, Action: "归档文件", Changes: true, Handler: s.archivePlan},
		{Method: "POST", Pattern: "/plans/{plan}/aliases", Allow: duban.CanManageDirectory, Action: "把名称对应到单位", Changes: true, Handler: s.mapName},
		{Method: "POST", Pattern: "/plans/{plan}/units", Allow: duban.CanManageDirectory, Action: "新建单位", Changes: true, Handler: s.acceptName},
		{Method: "POST", Pattern: "/plans/{plan}/groups", Allow: duban.CanReviewPlan, Action: "展开统称", Changes: true, Handler: s.expandGroup},
		// Correcting a task's wording is CanEditTask, which the service
		// applies per task; CanReviewPlan is its coarse form.
		{Method: "POST", Pattern: "/review/tasks/{task}/edit", Allow: duban.CanReviewPlan, Action: "修改任务", Changes: true, Handler: s.editTask},
		{Method: "POST", Pattern: "/review/tasks/{task}/split", Allow: duban.CanReviewPlan, Action: "拆分任务", Changes: true, Handler: s.splitTask},
		{Method: "POST", Pattern: "/review/tasks/{task}/merge", Allow: duban.CanReviewPlan, Action: "合并任务", Changes: true, Handler: s.mergeTasks},
		{Method: "POST", Pattern: "/review/statements/{statement}/assign", Allow: duban.CanReviewPlan, Action: "分配无人认领的段落", Changes: true, Handler: s.assignStatement},
		{Method: "POST", Pattern: "/review/statements/{statement}/dismiss", Allow: duban.CanReviewPlan, Action: "处理无人认领的段落", Changes: true, Handler: s.dismissStatement},
	}...)
}

// reviewFocus says which form of the plan page is open: the one a link
// asked for (?edit=7&field=deadline) or the one the service refused.
type reviewFocus struct {
	// Kind is edit, split, merge (a task), assign, dismiss (a statement),
	// group (a group term), name (an unknown unit name) or publish.
	Kind string
	ID   int64
	// Field is the input to focus in an edit form: text, lead_leaders,
	// lead_units, units, deadline or targets.
	Field string
	// Name is the group term or unit name the form is about.
	Name string
	// Task narrows a group expansion to the task it was asked from.
	Task int64
	// Error is the service's refusal of the submitted form.
	Error string
	// Values are what was submitted, shown again after a refusal.
	Values url.Values
	// At is the item (t7, s3) whose page to show when no form is open on
	// one: where a form sends the user back to.
	At string
}

// focusKinds are the forms that open on one task or statement.
var focusKinds = []string{"edit", "split", "merge", "assign", "dismiss"}

// readFocus reads the open form from the plan page's address.
func readFocus(q url.Values) reviewFocus {
	var f reviewFocus
	for _, k := range focusKinds {
		if id, err := strconv.ParseInt(q.Get(k), 10, 64); err == nil && id > 0 {
			f.Kind, f.ID = k, id
			break
		}
	}
	if at := q.Get("at"); anchorRE.MatchString(at) {
		f.At = at
	}
	f.Field = q.Get("field")
	if !slices.Contains(editFields, f.Field) {
		f.Field = ""
	}
	switch {
	case f.Kind != "":
	case q.Get("group") != "":
		f.Kind, f.Name = "group", q.Get("group")
		f.Task, _ = strconv.ParseInt(q.Get("task"), 10, 64)
	case q.Get("name") != "":
		f.Kind, f.Name = "name", q.Get("name")
	}
	return f
}

// anchorRE matches an item's anchor on the plan page: t7 (a task), s3 (a
// statement).
var anchorRE = regexp.MustCompile(`^[ts][1-9][0-9]{0,17}$`)

// anchor is the item a form is open on, t7 or s3, or "".
func (f reviewFocus) anchor() string {
	switch f.Kind {
	case "edit", "split", "merge":
		return "t" + strconv.FormatInt(f.ID, 10)
	case "assign", "dismiss":
		return "s" + strconv.FormatInt(f.ID, 10)
	}
	return f.At
}

// editFields are the inputs of the task form, in tab order.
var editFields = []string{"text", "lead_leaders", "lead_units", "units", "deadline", "targets"}

// planPageData is the plan page.
type planPageData struct {
	web.Base
	Plan *duban.Plan
	// Sections are the reading: sections, their areas, and in each the
	// tasks and unassigned statements, with owners mapped to the directory
	// as it is now.
	Sections []*reviewSection
	// Source is the notice's text, paragraph by paragraph; SourceError says
	// why it cannot be shown.
	Source      []*sourceBlock
	SourceName  string
	SourceError string
	// Names are the unit names the directory does not know, group terms
	// aside; Leaders the leaders' names it does not know.
	Names   []*nameRef
	Leaders []string
	// Groups are the group terms the tasks name; Missing those among them
	// that reach no unit yet: no member in the directory.
	Groups  []*groupRef
	Missing []duban.Owner
	// Warnings are the reader's warnings still to check; Handled counts
	// those the office has dealt with: the paragraph's text given an owner
	// or dismissed, the task read there corrected.
	Warnings []duban.Warning
	Handled  int
	// ReadAt is when the latest notice was imported: a task changed since
	// was corrected by the office.
	ReadAt time.Time
	// Units are the directory's units, for choosing one by name.
	Units []*duban.Unit
	// Tasks are the plan's tasks in force, in order, for the merge form.
	Tasks []*duban.Task
	// Open counts the statements still to decide; FirstOpen is the first.
	Open      int
	FirstOpen int64
	Withdrawn int

	// What the user may do here, by the named rules; MayEdit says it of
	// each task.
	CanReview bool // split, merge, statements, groups, publish, re-issue
	CanMap    bool // map names to units
	Draft     bool

	Focus reviewFocus

	// Pager pages a plan larger than reviewPageSize items; Sections,
	// Source and PageWarnings (of Warnings) hold the current page's part
	// only.
	Pager        web.Pager
	PageWarnings []duban.Warning
	// pageOf is the page of each item, by its anchor (t7, s3).
	pageOf map[string]int
}

// reviewPageSize is how many tasks and statements a page of the review
// shows. A real notice's fit on one; a larger plan is paged, so that a
// page's size and what it costs to make stay bounded however large the
// plan.
const reviewPageSize = 250

// Paged says the plan is shown a page at a time.
func (p *planPageData) Paged() bool { return p.Pager.Size > 0 && p.Pager.Pages() > 1 }

// Href is the link to an item of the plan (t7, s3): its anchor, on the
// page that shows it.
func (p *planPageData) Href(anchor string) string {
	if n, ok := p.pageOf[anchor]; ok && p.Paged() {
		return "?page=" + strconv.Itoa(n) + "#" + anchor
	}
	return "#" + anchor
}

// TaskHref is the link to a task of the plan.
func (p *planPageData) TaskHref(id int64) string { return p.Href("t" + strconv.FormatInt(id, 10)) }

// StatementHref is the link to a statement of the plan.
func (p *planPageData) StatementHref(id int64) string {
	return p.Href("s" + strconv.FormatInt(id, 10))
}

func (*planPageData) TemplateName() string { return "review.html" }

// reviewSection is a section of the reading with its areas. The items the
// section holds outside any area come first, as an area numbered 0.
type reviewSection struct {
	duban.Section
	Areas []*reviewArea
}

// reviewArea is an area of the reading with its items.
type reviewArea struct {
	duban.Area
	Items []*reviewItem
}

// reviewItem is a task or an unassigned statement where the notice has it,
// with the reader's warnings on its line and the paragraph it is read from.
type reviewItem struct {
	Task      *duban.Task
	Statement *duban.Statement
	// TaskNo numbers the task a statement became.
	TaskNo   string
	Warnings []duban.Warning
	// Src is the line of the source paragraph the item is read from, 0 when
	// the source is not shown.
	Src int
	// page is the page of the review that shows the item.
	page int
}

// anchor is the item's anchor on the page: t7 or s3.
func (it *reviewItem) anchor() string {
	if it.Task != nil {
		return "t" + strconv.FormatInt(it.Task.ID, 10)
	}
	return "s" + strconv.FormatInt(it.Statement.ID, 10)
}

// line is where the item stands in the notice.
func (it *reviewItem) line() int {
	if it.Task != nil {
		return it.Task.Line
	}
	return it.Statement.Line
}

// sourceBlock is a paragraph of the notice (a table gives one a row), with
// the warnings on it and the tasks and statements read from it.
type sourceBlock struct {
	Line       int
	Text       string
	Warnings   []duban.Warning
	Tasks      []*duban.Task
	Statements []*duban.Statement
	// Partial says items read from the paragraph are on other pages: only
	// the part around this page's items is shown.
	Partial bool
	// items counts the items read from the paragraph, on any page.
	items int
}

// sourceSpan is a piece of a paragraph: the words of a task or a statement
// read from it (Item is its anchor on the page, t7 or s3; Open marks a
// statement nobody owns yet), or the text between them.
type sourceSpan struct {
	Text string
	Item string
	Open bool
}

// Spans cuts the paragraph where the texts of its tasks and statements
// stand, so that the page can mark an item's own words; an item whose text
// is not found as written (the office corrected it) is left unmarked. Items
// stand in the paragraph in their order, so each is looked for after the
// one before, which keeps a paragraph of many items linear; a few are
// looked for from the start too. A paragraph shown in part (Partial) is
// cut to the span of its items here.
func (b *sourceBlock) Spans() []sourceSpan {
	type mark struct {
		at, end int
		sourceSpan
	}
	var marks []mark
	rescans := maxRescans
	find := func(texts []string, item func(i int) (string, bool)) {
		from := 0
		for i, text := range texts {
			if text == "" {
				continue
			}
			at := strings.Index(b.Text[from:], text)
			if at >= 0 {
				at += from
			} else if rescans > 0 {
				rescans--
				at = strings.Index(b.Text, text)
			}
			if at < 0 {
				continue
			}
			anchor, open := item(i)
			marks = append(marks, mark{at, at + len(text), sourceSpan{Text: text, Item: anchor, Open: open}})
			from = at + len(text)
		}
	}
	texts := make([]string, len(b.Tasks))
	for i, t := range b.Tasks {
		texts[i] = t.Text
	}
	find(texts, func(i int) (string, bool) { return "t" + strconv.FormatInt(b.Tasks[i].ID, 10), false })
	texts = make([]string, len(b.Statements))
	for i, st := range b.Statements {
		texts[i] = st.Text
	}
	find(texts, func(i int) (string, bool) {
		st := b.Statements[i]
		return "s" + strconv.FormatInt(st.ID, 10), st.State == duban.StatementOpen
	})
	slices.SortStableFunc(marks, func(x, y mark) int { return x.at - y.at })
	var out []sourceSpan
	pos, start, end := 0, 0, len(b.Text)
	if b.Partial && len(marks) > 0 {
		start, end = marks[0].at, marks[len(marks)-1].end
		pos = start
		if start > 0 {
			out = append(out, sourceSpan{Text: "…"})
		}
	}
	for _, m := range marks {
		if m.at < pos {
			continue // overlaps the mark before
		}
		if m.at > pos {
			out = append(out, sourceSpan{Text: b.Text[pos:m.at]})
		}
		out = append(out, m.sourceSpan)
		pos = m.end
	}
	if pos < end {
		out = append(out, sourceSpan{Text: b.Text[pos:end]})
	}
	if end < len(b.Text) {
		out = append(out, sourceSpan{Text: "…"})
	}
	return out
}

// maxRescans bounds how many items of a paragraph not found after the one
// before are looked for from its start.
const maxRescans = 20

// nameRef is a unit name the directory does not know, with the tasks that
// name it.
type nameRef struct {
	Name  string
	Kind  duban.UnitKind // the kind the name suggests
	Tasks []*duban.Task
	// Next is the name after it in the list, whose form opens once this one
	// is decided.
	Next string
}

// groupRef is a group term the tasks name, with what it stands for.
type groupRef struct {
	Name  string
	Scope duban.GroupScope
	Tasks []*duban.Task
	// Members are the units of the term's kind in the directory, to expand
	// it into.
	Members []*duban.Unit
	// Unit is the term's entry in the directory, 0 before there is one;
	// Kept counts the members the directory keeps of it.
	Unit int64
	Kept int
}

// Is reports whether the open form is of the kind, on the task or
// statement id.
func (f reviewFocus) Is(kind string, id int64) bool { return f.Kind == kind && f.ID == id }

// On reports whether the open form is of the kind, about the name.
func (f reviewFocus) On(kind, name string) bool { return f.Kind == kind && f.Name == name }

// Autofocus says whether the input named field of the open form is the one
// to focus: the field asked for, or the form's first.
func (f reviewFocus) Autofocus(field string) bool {
	if f.Field == "" {
		return field == "text"
	}
	return f.Field == field
}

// Value is what the open form shows in an input: what was submitted when
// the form comes back refused, otherwise the current value.
func (f reviewFocus) Value(field, current string) string {
	if f.Values != nil {
		return f.Values.Get(field)
	}
	return current
}

// Checked says whether a checkbox of the open form is ticked: as submitted
// after a refusal, otherwise as def says.
func (f reviewFocus) Checked(field string, value int64, def bool) bool {
	if f.Values != nil {
		return slices.Contains(f.Values[field], strconv.FormatInt(value, 10))
	}
	return def
}

// MayEdit reports whether the user may correct the task here: one in force,
// of a plan not archived, by CanEditTask.
func (p *planPageData) MayEdit(t *duban.Task) bool {
	return t.State == duban.TaskActive && p.Plan.State != duban.PlanArchived && duban.CanEditTask(p.User, t)
}

// SrcOf is the line of the source paragraph holding a line, for a link to
// it; 0 when the source is not shown.
func (p *planPageData) SrcOf(line int) int {
	if b := p.block(line); b != nil {
		return b.Line
	}
	return 0
}

// Short cuts a task's text to its opening, for a list to choose from.
func (*planPageData) Short(text string) string {
	if r := []rune(text); len(r) > 32 {
		return string(r[:32]) + "…"
	}
	return text
}

// MergeChoice is the task the merge form has chosen: as submitted after a
// refusal, otherwise MergeDefault.
func (p *planPageData) MergeChoice(t *duban.Task) int64 {
	if v := p.Focus.Values; v != nil {
		id, _ := strconv.ParseInt(v.Get("other"), 10, 64)
		return id
	}
	return p.MergeDefault(t)
}

// OwnerList is an owner list of a task as the "owners" template shows it:
// kind is "units" or "leaders", the address of their pages.
func (p *planPageData) OwnerList(owners []duban.Owner, kind string, taskID int64) ownerList {
	return ownerList{Page: p, Owners: owners, Kind: kind, Task: taskID}
}

// ownerList is what the "owners" template shows.
type ownerList struct {
	Page   *planPageData
	Owners []duban.Owner
	Kind   string
	Task   int64
}

// Group reports whether an owner's name is a group term.
func (*planPageData) Group(o duban.Owner) bool {
	_, ok := duban.ScopeOfGroup(o.Name)
	return ok
}

// Clauses cuts a task's text where it may be split: after each full stop
// or semicolon. Each clause but the last carries the offset, in
// characters, at which the text after it begins.
func (*planPageData) Clauses(text string) []clause {
	var out []clause
	runes := []rune(text)
	start := 0
	for i, r := range runes {
		if strings.ContainsRune("；。;", r) && i+1 < len(runes) {
			out = append(out, clause{Text: string(runes[start : i+1]), At: i + 1})
			start = i + 1
		}
	}
	return append(out, clause{Text: string(runes[start:])})
}

// clause is a piece of a task's text and the split point after it.
type clause struct {
	Text string
	At   int // 0 for the last piece
}

// MergeDefault is the task a merge form offers first: the next task in the
// same area, or else the one before.
func (p *planPageData) MergeDefault(t *duban.Task) int64 {
	i := slices.IndexFunc(p.Tasks, func(x *duban.Task) bool { return x.ID == t.ID })
	switch {
	case i < 0:
		return 0
	case i+1 < len(p.Tasks) && p.Tasks[i+1].Section == t.Section && p.Tasks[i+1].Area == t.Area:
		return p.Tasks[i+1].ID
	case i > 0:
		return p.Tasks[i-1].ID
	case i+1 < len(p.Tasks):
		return p.Tasks[i+1].ID
	}
	return 0
}

// TargetRows are the rows of the targets table of a task's form: its
// targets (or what was submitted) and an empty row for a new one.
func (p *planPageData) TargetRows(t *duban.Task) []targetRow {
	if v := p.Focus.Values; v != nil {
		rows := formTargetRows(v)
		if len(rows) == 0 || !rows[len(rows)-1].empty() {
			rows = append(rows, targetRow{Cmp: string(duban.CmpAtLeast)})
		}
		return rows
	}
	var rows []targetRow
	for _, in := range t.Indicators {
		r := targetRow{Text: in.Text, Metric: in.Metric, Cmp: string(in.Cmp), Value: formatNumber(in.Value), Unit: in.Unit}
		if in.Upper != nil {
			r.Upper = formatNumber(*in.Upper)
		}
		rows = append(rows, r)
	}
	return append(rows, targetRow{Cmp: string(duban.CmpAtLeast)})
}

// review shows a plan's reading beside its notice, with the review's forms
// for the office.
func (s *server) review(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	return s.renderPlan(w, r, id, readFocus(r.URL.Query()), http.StatusOK)
}

// renderPlan builds and shows the plan page with a form open.
func (s *server) renderPlan(w http.ResponseWriter, r *http.Request, id int64, focus reviewFocus, status int) error {
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	p, err := s.svc.Plans.FindPlanByID(ctx, id)
	if err != nil {
		return err
	}
	tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &id, IncludeWithdrawn: true})
	if err != nil {
		return err
	}
	sts, _, err := s.svc.Tasks.FindStatements(ctx, duban.StatementFilter{PlanID: &id})
	if err != nil {
		return err
	}
	units, _, err := s.svc.Units.FindUnits(ctx, duban.UnitFilter{IncludeMerged: true})
	if err != nil {
		return err
	}
	leaders, _, err := s.svc.Leaders.FindLeaders(ctx, duban.LeaderFilter{})
	if err != nil {
		return err
	}
	pg := &planPageData{
		Plan: p, Focus: focus, Draft: p.State == duban.PlanDraft,
		CanReview: duban.CanReviewPlan(u) && p.State != duban.PlanArchived,
		CanMap:    duban.CanManageDirectory(u) && p.State != duban.PlanArchived,
	}
	pg.Title = p.Title
	for _, un := range units {
		if un.MergedInto == 0 {
			pg.Units = append(pg.Units, un)
		}
	}
	if err := s.readSource(r, pg); err != nil {
		return err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	pg.mapOwners(duban.NewDirectory(units, leaders), tasks)
	pg.Missing = duban.MembersMissing(pg.Tasks, groups)
	for _, g := range pg.Groups {
		for _, t := range g.Tasks {
			for _, o := range slices.Concat(t.LeadUnits, t.ResponsibleUnits) {
				if duban.NormalizeName(o.Name) == duban.NormalizeName(g.Name) && o.ID != 0 {
					g.Unit, g.Kept = o.ID, len(groups[o.ID])
				}
			}
		}
	}
	// The warnings dealt with leave the page: the list, the paragraphs
	// and the items they were on (paginate places the rest).
	pg.sortWarnings(tasks, sts)
	pg.arrange(tasks, sts)
	pg.paginate(focus.anchor(), web.ReadPager(r.URL.Query()).Page)
	return s.RenderStatus(w, r, status, pg)
}

// MissingNames names the group terms whose tasks reach no unit yet.
func (pg *planPageData) MissingNames() string {
	return strings.Join(duban.OwnerNames(pg.Missing), "、")
}

// sortWarnings keeps the reader's warnings still to check and counts the
// ones dealt with: a warning that a paragraph has no owner once no open
// statement is left on its line, any other once a task read from its
// paragraph was changed since the notice was imported. The lines and
// paragraphs are gathered first, so the cost grows with the tasks plus the
// warnings, not their product.
func (pg *planPageData) sortWarnings(tasks []*duban.Task, sts []*duban.Statement) {
	open := map[int]bool{}
	for _, st := range sts {
		if st.State == duban.StatementOpen {
			open[st.Line] = true
		}
	}
	changedLines, changedBlocks := map[int]bool{}, map[*sourceBlock]bool{}
	for _, t := range tasks {
		if t.UpdatedAt.After(pg.ReadAt) {
			changedLines[t.Line] = true
			if b := pg.block(t.Line); b != nil {
				changedBlocks[b] = true
			}
		}
	}
	for _, wn := range pg.Plan.Warnings {
		var handled bool
		switch b := pg.block(wn.Line); {
		case wn.Code == unassignedWarning:
			handled = !open[wn.Line]
		case b != nil:
			handled = changedBlocks[b]
		default:
			handled = changedLines[wn.Line]
		}
		if handled {
			pg.Handled++
		} else {
			pg.Warnings = append(pg.Warnings, wn)
		}
	}
}

// readSource shows the plan's latest notice paragraph by paragraph, as the
// task page does. A notice that cannot be shown (a reading imported as
// JSON, a PDF on a server without pdftotext) leaves a note instead.
func (s *server) readSource(r *http.Request, pg *planPageData) error {
	src, paras, note, err := s.PlanNotice(r, pg.Plan.ID)
	if err != nil {
		return err
	}
	pg.SourceName, pg.SourceError, pg.ReadAt = src.Name, note, src.ImportedAt
	for _, para := range paras {
		pg.Source = append(pg.Source, &sourceBlock{Line: para.Line, Text: para.Text})
	}
	return nil
}

// block returns the source paragraph holding a line: the last that starts
// at or before it.
func (pg *planPageData) block(line int) *sourceBlock {
	i := sort.Search(len(pg.Source), func(i int) bool { return pg.Source[i].Line > line })
	if i == 0 || line <= 0 {
		return nil
	}
	return pg.Source[i-1]
}

// mapOwners maps the tasks' owners to the directory as it is now, so that a
// name mapped a moment ago shows as known, and lists the names it does not
// know and the group terms.
func (pg *planPageData) mapOwners(dir *duban.Directory, tasks []*duban.Task) {
	names := map[string]*nameRef{}
	groups := map[string]*groupRef{}
	for _, t := range tasks {
		if t.State != duban.TaskActive {
			continue
		}
		pg.Tasks = append(pg.Tasks, t)
		units, leaders := dir.Map(t)
		for _, n := range leaders {
			if !slices.Contains(pg.Leaders, n) {
				pg.Leaders = append(pg.Leaders, n)
			}
		}
		for _, o := range slices.Concat(t.LeadUnits, t.ResponsibleUnits) {
			key := duban.NormalizeName(o.Name)
			if scope, ok := duban.ScopeOfGroup(o.Name); ok {
				g := groups[key]
				if g == nil {
					g = &groupRef{Name: o.Name, Scope: scope}
					groups[key] = g
					pg.Groups = append(pg.Groups, g)
				}
				g.Tasks = appendTask(g.Tasks, t)
				continue
			}
			if !slices.Contains(units, o.Name) {
				continue
			}
			n := names[key]
			if n == nil {
				n = &nameRef{Name: o.Name, Kind: duban.GuessUnitKind(o.Name)}
				names[key] = n
				pg.Names = append(pg.Names, n)
			}
			n.Tasks = appendTask(n.Tasks, t)
		}
	}
	for i, n := range pg.Names {
		if i+1 < len(pg.Names) {
			n.Next = pg.Names[i+1].Name
		}
	}
	for _, g := range pg.Groups {
		for _, u := range pg.Units {
			if u.Kind == g.Scope.Kind {
				g.Members = append(g.Members, u)
			}
		}
	}
}

func appendTask(list []*duban.Task, t *duban.Task) []*duban.Task {
	if len(list) > 0 && list[len(list)-1] == t {
		return list
	}
	return append(list, t)
}

// unassignedWarning is the code of the reader's warning that a text has no
// owner: an unassigned statement.
const unassignedWarning = "unassigned"

// arrange puts the tasks and statements in their sections and areas, and
// each beside its source paragraph.
func (pg *planPageData) arrange(tasks []*duban.Task, sts []*duban.Statement) {
	type key struct{ section, area int }
	sections := map[int]*reviewSection{}
	areas := map[key]*reviewArea{}
	section := func(no int) *reviewSection {
		if sec := sections[no]; sec != nil {
			return sec
		}
		sec := &reviewSection{Section: duban.Section{No: no}}
		sections[no] = sec
		pg.Sections = append(pg.Sections, sec)
		return sec
	}
	for _, sec := range pg.Plan.Sections {
		section(sec.No).Title = sec.Title
	}
	for _, a := range pg.Plan.Areas {
		ar := &reviewArea{Area: a}
		areas[key{a.Section, a.No}] = ar
		sec := section(a.Section)
		sec.Areas = append(sec.Areas, ar)
	}
	place := func(sec, area int, it *reviewItem) {
		ar := areas[key{sec, area}]
		if ar == nil {
			ar = &reviewArea{Area: duban.Area{Section: sec, No: area}}
			areas[key{sec, area}] = ar
			s := section(sec)
			if area == 0 {
				s.Areas = slices.Insert(s.Areas, 0, ar)
			} else {
				s.Areas = append(s.Areas, ar)
			}
		}
		ar.Items = append(ar.Items, it)
		if b := pg.block(it.line()); b != nil {
			it.Src = b.Line
			if it.Statement != nil || it.Task.State == duban.TaskActive {
				b.items++
			}
		}
	}
	numbers := map[int64]string{}
	for _, t := range tasks {
		numbers[t.ID] = t.No
		if t.State != duban.TaskActive {
			pg.Withdrawn++
		}
		place(t.Section, t.Area, &reviewItem{Task: t})
	}
	for _, st := range sts {
		if st.State == duban.StatementOpen {
			pg.Open++
			if pg.FirstOpen == 0 {
				pg.FirstOpen = st.ID
			}
		}
		place(st.Section, st.Area, &reviewItem{Statement: st, TaskNo: numbers[st.TaskID]})
	}
	slices.SortStableFunc(pg.Sections, func(a, b *reviewSection) int { return a.No - b.No })
}

// taskNoRE finds the task a reader's warning names (任务 1.2.3).
var taskNoRE = regexp.MustCompile(`任务 ?(\d+\.\d+\.\d+)`)

// warningOwners gives each warning still to check the item it is
// about: the task it names, or else the first item of its line (a
// statement for a warning that text has no owner, a task for the others);
// nil for a warning no item stands on. Each warning is thus shown with one
// item, however many items share its line.
func (pg *planPageData) warningOwners(items []*reviewItem) []*reviewItem {
	type key struct {
		line      int
		statement bool
	}
	first := map[key]*reviewItem{}
	byNo := map[string]*reviewItem{}
	for _, it := range items {
		k := key{it.line(), it.Statement != nil}
		if first[k] == nil {
			first[k] = it
		}
		if t := it.Task; t != nil && (byNo[t.No] == nil || t.State == duban.TaskActive) {
			byNo[t.No] = it
		}
	}
	owners := make([]*reviewItem, len(pg.Warnings))
	for i, wn := range pg.Warnings {
		if wn.Line <= 0 {
			continue
		}
		statement := wn.Code == unassignedWarning
		if m := taskNoRE.FindStringSubmatch(wn.Message); m != nil && !statement {
			if it := byNo[m[1]]; it != nil && it.line() == wn.Line {
				owners[i] = it
				continue
			}
		}
		owners[i] = first[key{wn.Line, statement}]
	}
	return owners
}

// paginate keeps of the plan the page that shows the item at (t7, s3),
// or else page n: its items in their sections and areas, the paragraphs
// of the notice they are read from (and those between them), and the
// reader's warnings about them. A plan of up to reviewPageSize items is
// one page.
func (pg *planPageData) paginate(at string, n int) {
	var items []*reviewItem
	for _, sec := range pg.Sections {
		for _, ar := range sec.Areas {
			items = append(items, ar.Items...)
		}
	}
	pg.pageOf = make(map[string]int, len(items))
	for i, it := range items {
		it.page = 1 + i/reviewPageSize
		pg.pageOf[it.anchor()] = it.page
	}
	id := pg.Plan.ID
	pg.Pager = web.Pager{Page: 1, Size: reviewPageSize, Total: len(items), Link: func(n int) string {
		return fmt.Sprintf("/plans/%d/review?page=%d", id, n)
	}}
	pages := pg.Pager.Pages()
	if p, ok := pg.pageOf[at]; ok {
		n = p
	}
	page := min(max(n, 1), pages)
	pg.Pager.Page = page

	owners := pg.warningOwners(items)
	for i, wn := range pg.Warnings {
		if it := owners[i]; it != nil {
			it.Warnings = append(it.Warnings, wn)
		}
	}

	// The page's items, in their sections and areas; an area without
	// items stays with the page of the item before it.
	last := 1
	sections := pg.Sections[:0]
	for _, sec := range pg.Sections {
		bare := len(sec.Areas) == 0
		areas := sec.Areas[:0]
		for _, ar := range sec.Areas {
			if len(ar.Items) == 0 {
				if last == page {
					areas = append(areas, ar)
				}
				continue
			}
			kept := ar.Items[:0]
			for _, it := range ar.Items {
				if it.page == page {
					kept = append(kept, it)
				}
				last = it.page
			}
			if ar.Items = kept; len(kept) > 0 {
				areas = append(areas, ar)
			}
		}
		if sec.Areas = areas; len(areas) > 0 || (bare && last == page) {
			sections = append(sections, sec)
		}
	}
	pg.Sections = sections

	// The paragraphs from the page's first item (the notice's start on the
	// first page) to the next page's (the notice's end on the last), and
	// always those its items are read from.
	lo, hi := 0, math.MaxInt
	srcOf := func(p int) (lo, hi int) {
		lo, hi = math.MaxInt, 0
		for _, it := range items[(p-1)*reviewPageSize : min(p*reviewPageSize, len(items))] {
			if it.Src > 0 {
				lo, hi = min(lo, it.Src), max(hi, it.Src)
			}
		}
		return lo, hi
	}
	first, lastSrc := srcOf(page)
	if page > 1 && first != math.MaxInt {
		lo = first
	}
	if page < pages {
		if next, _ := srcOf(page + 1); next != math.MaxInt {
			hi = max(next, lastSrc+1)
		}
	}
	shown := func(line int) bool { return line >= lo && line < hi }
	for _, sec := range pg.Sections {
		for _, ar := range sec.Areas {
			for _, it := range ar.Items {
				b := pg.block(it.line())
				switch {
				case b == nil:
				case it.Statement != nil:
					b.Statements = append(b.Statements, it.Statement)
				case it.Task.State == duban.TaskActive:
					b.Tasks = append(b.Tasks, it.Task)
				}
			}
		}
	}
	for i, wn := range pg.Warnings {
		b := pg.block(wn.Line)
		on := owners[i] != nil && owners[i].page == page
		if owners[i] == nil {
			on = (b == nil && page == 1) || (b != nil && shown(b.Line))
		}
		if !on {
			continue
		}
		pg.PageWarnings = append(pg.PageWarnings, wn)
		if b != nil {
			b.Warnings = append(b.Warnings, wn)
		}
	}
	source := pg.Source[:0]
	for _, b := range pg.Source {
		if shown(b.Line) {
			b.Partial = b.items > len(b.Tasks)+len(b.Statements)
			source = append(source, b)
		}
	}
	pg.Source = source
}
