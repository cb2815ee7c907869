package page

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice/decode"
	"github.com/dubanhq/duban/web"
)

// taskRoutes are a task's page and the comments on it.
func (s *server) taskRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/tasks/{task}", Allow: duban.CanRead, Action: "查看任务", Handler: s.task},
		{Method: "POST", Pattern: "/tasks/{task}/comments", Allow: duban.CanComment, Action: "发表意见", Changes: true, Handler: s.comment},
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
	History    []*duban.AuditEvent
	Comments   []*duban.Comment
	// CanComment shows the comment form (CanCommentOnTask).
	CanComment bool
	// Cycle is the task's light, reports and requests to close; nil for a
	// draft's task.
	Cycle *taskCycle
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

// sourceAround is how many paragraphs of the notice show before and after
// the task's.
const sourceAround = 2

// historyLimit is how many of a task's changes its page lists.
const historyLimit = 50

func (s *server) task(w http.ResponseWriter, r *http.Request) error {
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
	if p.History, _, err = s.svc.Audit.FindAuditEvents(ctx, duban.AuditFilter{Entity: &entity, EntityID: &id, Limit: historyLimit}); err != nil {
		return err
	}
	if p.Comments, _, err = s.svc.Comments.FindComments(ctx, duban.CommentFilter{TaskID: &id}); err != nil {
		return err
	}
	p.CanComment = duban.CanCommentOnTask(duban.UserFromContext(ctx), t) && p.Plan.State != duban.PlanDraft
	if p.Cycle, err = s.findTaskCycle(r, t, p.Plan); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// loadSource finds the task's paragraph in the plan's latest notice and
// keeps it with the paragraphs around it.
func (s *server) loadSource(r *http.Request, p *taskPage) error {
	if p.Task.Line == 0 {
		p.SourceNote = web.Lang(r).T("这项任务由督办室新增，不在通知原文中。")
		return nil
	}
	name, paras, note, err := s.planNotice(r, p.Plan.ID)
	if err != nil || note != "" {
		p.SourceName, p.SourceNote = name, note
		return err
	}
	p.SourceName = name
	paras = slices.Clone(paras)
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
	paras[here].Here = true
	p.Source = paras[max(0, here-sourceAround):min(len(paras), here+sourceAround+1)]
	return nil
}

// planNotice returns the file name and the paragraphs of a plan's latest
// notice, or, when they cannot be shown, a note saying why (a reading
// imported as JSON has no notice; a PDF on a server without pdftotext cannot
// be read again). The paragraphs are shared: the caller must not change them.
func (s *server) planNotice(r *http.Request, planID int64) (name string, paras []sourceParagraph, note string, err error) {
	tr := web.Lang(r)
	src, err := s.svc.Plans.FindPlanSource(r.Context(), planID)
	if err != nil {
		return "", nil, "", err
	}
	if isReadingJSON(src.Data) {
		return src.Name, nil, tr.T("这个计划是从读取结果（JSON）导入的，没有通知原文。"), nil
	}
	paras, err = s.sources.paragraphs(src)
	if err != nil {
		// The notice was read once; if it cannot be now, the page goes on
		// without it.
		s.Log().Warn("decoding a plan's notice", "plan", planID, "error", err)
		return src.Name, nil, tr.T("无法显示通知原文：%s", duban.ErrorMessage(err)), nil
	}
	return src.Name, paras, "", nil
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
func (c *sourceCache) paragraphs(src *duban.PlanSource) ([]sourceParagraph, error) {
	c.mu.Lock()
	paras, ok := c.items[src.SHA256]
	c.mu.Unlock()
	if ok {
		return paras, nil
	}
	blocks, err := decode.File(src.Name, src.Data)
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
func (s *server) comment(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "task")
	if err != nil {
		return err
	}
	c := &duban.Comment{TaskID: id, Text: r.PostForm.Get("text")}
	if err := s.svc.Comments.CreateComment(r.Context(), c); err != nil {
		return err
	}
	return s.Redirect(w, r, "/tasks/"+strconv.FormatInt(id, 10)+"#comments", web.Lang(r).T("意见已发表。"))
}
