package page

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode"
	"github.com/dubanhq/duban/web"
)

// taskRoutes are a task's page and the comments on it.
func (s *Server) taskRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/tasks/{task}", Allow: duban.CanRead, Action: "查看任务", Handler: s.task},
		{Method: "POST", Pattern: "/tasks/{task}/comments", Allow: duban.CanComment, Action: "填写进展情况或意见", Changes: true, Handler: s.comment},
	}
}

// taskPage is one task: its text in its place in the notice, its owners
// and targets, its history and the comments on it.
type taskPage struct {
	web.Base
	Task    *duban.Task
	Plan    *duban.Plan
	Section string // the section's and the area's titles
	Area    string
	// Source is the notice around the task's text: the paragraphs before
	// and after the one it starts in. SourceNote says why there is none.
	Source     []sourceParagraph
	SourceName string
	SourceNote string
	History    []historyEntry
	Comments   []*duban.Comment
	// CanComment shows the form to write on the task (CanCommentOnTask):
	// a clerk's progress, a leader's or the office's remark.
	CanComment bool
	// Urge is how often the task was urged, with the office's button.
	Urge *urgeBox
	// Cycle is the task's light, reports and requests to close; nil for a
	// draft's task.
	Cycle *taskCycle
	// Via names the groups through which the task reaches the clerk's unit,
	// when it does not name the unit itself.
	Via []string
}

// DueLabel says what the deadline is read as: its date (and, for dated
// steps, each step's), or that it is ongoing or could not be read; "" when
// there is no deadline.
func (p *taskPage) DueLabel() string {
	t := p.Task
	switch t.DeadlineKind {
	case duban.DeadlineDate:
		label := t.DeadlineDate.LabelYear()
		if p.Lang == "en" {
			label = t.DeadlineDate.LabelEN() + " " + strconv.Itoa(t.DeadlineDate.Year)
		}
		for _, m := range t.Milestones {
			if m.Label != "" {
				label += " · " + m.Label + " " + m.Date.String()
			}
		}
		return label
	case duban.DeadlineOngoing, duban.DeadlineUnread:
		return p.T(t.DeadlineKind.Label())
	}
	return ""
}

// Overdue says the task's deadline has passed today.
func (p *taskPage) Overdue() bool { return p.Task.Overdue(duban.Today(time.Now())) }

// historyEntry is one change of the task: the event, and what each field
// was and became.
type historyEntry struct {
	*duban.AuditEvent
	Changes []duban.FieldChange
}

// WriteLabel is what the user's writing on a task is called: a clerk
// reports its unit's progress (进展情况), a leader gives a remark, the
// office a supervision remark.
func (p *taskPage) WriteLabel() string {
	switch {
	case p.User != nil && p.User.Role == duban.RoleClerk:
		return p.T("填报进展情况")
	case p.User != nil && p.User.Role == duban.RoleLeader:
		return p.T("领导意见")
	}
	return p.T("督办意见")
}

// CommentKind is what an entry of the task's record is, by who wrote it.
func (p *taskPage) CommentKind(c *duban.Comment) string {
	switch c.AuthorRole {
	case duban.RoleClerk:
		return p.T("进展情况")
	case duban.RoleLeader:
		return p.T("领导意见")
	}
	return p.T("督办意见")
}

func (*taskPage) TemplateName() string { return "task.html" }

// Mark shows a paragraph of the notice with the task's text marked in it,
// where the notice states it word for word.
func (p *taskPage) Mark(paragraph string) any { return highlight(paragraph, p.Task.Text) }

// sourceParagraph is one paragraph (or table row) of a notice.
type sourceParagraph struct {
	Line int
	Text string
	// Here marks the paragraph the task's text starts in.
	Here bool
}

// maxSourceSpan bounds the paragraphs shown as a task's own: a task is read
// from its text's paragraph and the lines of its owners and deadline after
// it, a handful at most.
const maxSourceSpan = 8

// historyLimit is how many of a task's changes its page lists.
const historyLimit = 50

func (s *Server) task(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "task")
	if err != nil {
		return err
	}
	p := &taskPage{}
	if p.Task, err = s.svc.Tasks.FindTaskByID(ctx, id); err != nil {
		return err
	}
	t := p.Task
	if p.Plan, err = s.svc.Plans.FindPlanByID(ctx, t.PlanID); err != nil {
		return err
	}
	for _, sec := range p.Plan.Sections {
		if sec.No == t.Section {
			p.Section = sec.Title
		}
	}
	for _, a := range p.Plan.Areas {
		if a.Section == t.Section && a.No == t.Area {
			p.Area = a.Title
		}
	}
	tr := web.Lang(r)
	p.Title = tr.T("任务 %s", t.No)
	if err := s.loadSource(r, p); err != nil {
		return err
	}
	entity := "task"
	events, _, err := s.svc.Audit.FindAuditEvents(ctx, duban.AuditFilter{Entity: &entity, EntityID: &id, Limit: historyLimit})
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Action != duban.ActionComment {
			p.History = append(p.History, historyEntry{AuditEvent: e, Changes: e.TaskChanges()})
		}
	}
	if p.Comments, _, err = s.svc.Comments.FindComments(ctx, duban.CommentFilter{TaskID: &id}); err != nil {
		return err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	u := duban.UserFromContext(ctx)
	p.CanComment = duban.CanCommentOnTask(u, t, groups) && p.Plan.State != duban.PlanDraft
	if u.Role == duban.RoleClerk && !t.HasUnit(u.UnitID) {
		for _, o := range slices.Concat(t.LeadUnits, t.ResponsibleUnits) {
			if slices.Contains(groups[o.ID], u.UnitID) {
				p.Via = append(p.Via, o.Name)
			}
		}
	}
	if p.Urge, err = s.taskUrgeBox(r, t, p.Plan); err != nil {
		return err
	}
	if p.Cycle, err = s.findTaskCycle(r, t, p.Plan); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// loadSource finds the task's paragraph in the plan's latest notice and
// keeps it with the paragraphs around it.
func (s *Server) loadSource(r *http.Request, p *taskPage) error {
	if p.Task.Line == 0 {
		p.SourceNote = web.Lang(r).T("这项任务由督查室新增，不在通知原文中。")
		return nil
	}
	src, paras, note, err := s.PlanNotice(r, p.Plan.ID)
	if err != nil {
		return err
	}
	p.SourceName = src.Name
	if note != "" {
		p.SourceNote = note
		return nil
	}
	here := -1
	for i, para := range paras {
		if para.Line <= p.Task.Line {
			here = i
		}
	}
	if here < 0 {
		p.SourceNote = web.Lang(r).T("在通知原文中找不到这项任务的位置。")
		return nil
	}
	// The task is read from its paragraph and, when the notice gives its
	// owners and deadline lines of their own, those lines: the short ones
	// after it, up to the next task, unowned paragraph or heading.
	next, err := s.nextItemLine(r, p)
	if err != nil {
		return err
	}
	// The text may start a paragraph or two after the line the reader
	// gave (a paragraph wrapped in the notice): the first that holds its
	// opening words is the task's.
	opening := string([]rune(p.Task.Text)[:min(12, len([]rune(p.Task.Text)))])
	for i := here; i < len(paras) && i-here < maxSourceSpan && (next == 0 || paras[i].Line < next || i == here); i++ {
		if strings.Contains(paras[i].Text, opening) {
			here = i
			break
		}
	}
	end := here + 1
	for end < len(paras) && end-here < maxSourceSpan && (next == 0 || paras[end].Line < next) &&
		isKeyLine(paras[end].Text) && !isHeading(p.Plan, paras[end].Text) {
		end++
	}
	p.Source = slices.Clone(paras[here:end])
	p.Source[0].Here = true
	return nil
}

// nextItemLine returns the line where the next thing read from the notice
// after the task begins: another task or an unowned paragraph; 0 when
// nothing follows.
func (s *Server) nextItemLine(r *http.Request, p *taskPage) (int, error) {
	ctx := r.Context()
	tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &p.Plan.ID, IncludeWithdrawn: true})
	if err != nil {
		return 0, err
	}
	sts, _, err := s.svc.Tasks.FindStatements(ctx, duban.StatementFilter{PlanID: &p.Plan.ID})
	if err != nil {
		return 0, err
	}
	next := 0
	after := func(line int) {
		if line > p.Task.Line && (next == 0 || line < next) {
			next = line
		}
	}
	for _, t := range tasks {
		after(t.Line)
	}
	for _, st := range sts {
		after(st.Line)
	}
	return next, nil
}

// isKeyLine reports whether a paragraph after a task's text can be one of
// its key lines, as notices set in lines give them (牵头单位：区工信局,
// 2022年12月, 市发改局): short, no sentence of its own, and not the next
// row's number.
func isKeyLine(text string) bool {
	number := strings.Trim(text, "0123456789.、") == ""
	return !number && utf8.RuneCountInString(text) <= 80 && !strings.ContainsAny(text, "。；")
}

// isHeading reports whether a paragraph is a heading of the plan: an
// action's or a focus area's title, which ends the task before it.
func isHeading(p *duban.Plan, text string) bool {
	text = strings.TrimSpace(text)
	for _, sec := range p.Sections {
		if sec.Title != "" && strings.Contains(text, sec.Title) && len([]rune(text)) < len([]rune(sec.Title))+12 {
			return true
		}
	}
	for _, a := range p.Areas {
		if a.Title != "" && strings.Contains(text, a.Title) && len([]rune(text)) < len([]rune(a.Title))+12 {
			return true
		}
	}
	return false
}

// PlanNotice returns a plan's latest notice (its bytes left out) and its
// paragraphs, or, when they cannot be shown, a note saying why (a reading
// imported as JSON has no notice; a PDF on a server without pdftotext
// cannot be read again). The paragraphs are shared: the caller must not
// change them.
func (s *Server) PlanNotice(r *http.Request, planID int64) (src *duban.PlanSource, paras []sourceParagraph, note string, err error) {
	tr := web.Lang(r)
	if src, err = s.svc.Plans.FindPlanSource(r.Context(), planID); err != nil {
		return nil, nil, "", err
	}
	data := src.Data
	src.Data = nil
	if isReadingJSON(data) {
		return src, nil, tr.T("这个文件是从读取结果（JSON）导入的，没有通知原文。"), nil
	}
	paras, err = s.sources.paragraphs(src, data)
	if err != nil {
		// The notice was read once; if it cannot be now, the page goes on
		// without it.
		s.Log().Warn("decoding a plan's notice", "plan", planID, "error", err)
		return src, nil, tr.T("无法显示通知原文：%s", duban.ErrorMessage(err)), nil
	}
	return src, paras, "", nil
}

// sourceCache keeps the paragraphs of the notices last shown, by the
// file's hash: decoding a Word file or running pdftotext for every view of
// a task would cost more than the rest of the page. A notice file never
// changes under its hash, so an entry is never stale; a server without it
// decodes the file again.
type sourceCache struct {
	mu    sync.Mutex
	items map[string][]sourceParagraph
}

// sourceCacheSize is how many notices the cache keeps: a year's plans.
const sourceCacheSize = 32

func newSourceCache() *sourceCache {
	return &sourceCache{items: map[string][]sourceParagraph{}}
}

// paragraphs returns a notice's paragraphs, decoding it unless it was
// decoded before. The slice returned is shared: callers copy it to change
// it.
func (c *sourceCache) paragraphs(src *duban.PlanSource, data []byte) ([]sourceParagraph, error) {
	c.mu.Lock()
	paras, ok := c.items[src.SHA256]
	c.mu.Unlock()
	if ok {
		return paras, nil
	}
	blocks, err := decode.File(src.Name, data)
	if err != nil {
		return nil, err
	}
	paras = paragraphs(blocks)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.items) >= sourceCacheSize {
		for k := range c.items { // any one: the cache is small and cheap to refill
			delete(c.items, k)
			break
		}
	}
	c.items[src.SHA256] = paras
	return paras, nil
}

// paragraphs flattens a notice's blocks into paragraphs, a table into its
// rows (numbered on from the table's line, as the decoders number them),
// so that a task read from a table row finds its row.
func paragraphs(blocks []decode.Block) []sourceParagraph {
	var out []sourceParagraph
	for _, b := range blocks {
		if b.Kind != decode.Table {
			if t := strings.TrimSpace(b.Text); t != "" {
				out = append(out, sourceParagraph{Line: b.Line, Text: t})
			}
			continue
		}
		for i, row := range b.Rows {
			var cells []string
			for _, c := range row {
				if c = strings.TrimSpace(strings.ReplaceAll(c, "\n", " ")); c != "" {
					cells = append(cells, c)
				}
			}
			if len(cells) > 0 {
				out = append(out, sourceParagraph{Line: b.Line + i, Text: strings.Join(cells, " ｜ ")})
			}
		}
	}
	return out
}

// isReadingJSON reports whether a plan's source is a reading imported as
// JSON rather than a notice.
func isReadingJSON(data []byte) bool {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	var r struct {
		Schema string `json:"schema"`
	}
	return json.Unmarshal(data, &r) == nil && r.Schema == duban.ReadingSchema
}

// comment adds a comment to a task. Whether the user may comment on this
// task (a clerk on its own unit's) is the service's to decide.
func (s *Server) comment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "task")
	if err != nil {
		return err
	}
	c := &duban.Comment{TaskID: id, Text: r.PostForm.Get("text")}
	if err := s.svc.Comments.CreateComment(r.Context(), c); err != nil {
		return err
	}
	msg := web.Lang(r).T("意见已发表。")
	if c.AuthorRole == duban.RoleClerk {
		msg = web.Lang(r).T("进展情况已提交。")
	}
	return s.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10)+"#comments", msg)
}
