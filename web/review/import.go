package review

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/notice"
	"github.com/dubanhq/duban/web"
)

// Importing a notice and re-issuing one. The plans service decides what an
// upload is: a new draft, a file imported before, or a new issue of a
// stored plan, shown as its change list. The notice travels in the
// confirmation form, so that the server keeps nothing between showing the
// changes and applying them.

// importRoutes are the import form and the re-issue of a plan's notice.
func (s *server) importRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/plans/import", Allow: duban.CanImportPlan, Action: "导入通知", Handler: s.importForm},
		{Method: "POST", Pattern: "/plans/import", Allow: duban.CanImportPlan, Action: "导入通知", Changes: true, MaxBody: web.MaxUpload, Handler: s.importNotice},
		{Method: "POST", Pattern: "/plans/{plan}/reissue", Allow: duban.CanReviewPlan, Action: "比较更正通知", Changes: true, MaxBody: web.MaxUpload, Handler: s.compareReissue},
		{Method: "POST", Pattern: "/plans/{plan}/reissue/apply", Allow: duban.CanReviewPlan, Action: "应用更正通知", Changes: true, MaxBody: maxCarried, Handler: s.applyReissue},
	}
}

// maxCarried bounds the confirmation of a re-issue, which carries the
// notice in base64: a third larger than the file.
const maxCarried = web.MaxUpload/3*4 + 1<<20

// noticeTypes are the file types the import form offers to choose; the
// reader takes other names too, since the content decides.
const noticeTypes = ".docx,.doc,.wps,.xlsx,.xls,.pdf,.html,.htm,.txt,.md,.text,.markdown," +
	"text/plain,text/html,text/markdown,application/pdf,application/msword,application/vnd.ms-excel," +
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document," +
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importPage is the upload form, with the reason a file was refused.
type importPage struct {
	web.Base
	Error string
	Year  string
	Types string
	MaxMB int
}

func (*importPage) TemplateName() string { return "import.html" }

func newImportPage(r *http.Request) *importPage {
	p := &importPage{Types: noticeTypes, MaxMB: notice.MaxInput >> 20}
	p.Title = web.Lang(r).T("导入通知")
	return p
}

func (s *server) importForm(w http.ResponseWriter, r *http.Request) error {
	return s.Render(w, r, newImportPage(r))
}

// importResultPage says that a file had been imported before.
type importResultPage struct {
	web.Base
	Plan *duban.Plan
	Name string
}

func (*importResultPage) TemplateName() string { return "import_result.html" }

// importNotice reads an uploaded notice and imports it. A file the reader
// or the service refuses comes back to the form with the reason.
func (s *server) importNotice(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	page := newImportPage(r)
	page.Year = r.PostForm.Get("year")
	in, err := readPageUpload(r)
	var res *duban.ImportResult
	if err == nil {
		res, err = s.svc.Plans.ImportPlan(r.Context(), in)
	}
	switch code := duban.ErrorCode(err); code {
	case "":
	case duban.EINVALID, duban.ETOOLARGE, duban.ECONFLICT:
		page.Error = duban.ErrorMessage(err)
		return s.RenderStatus(w, r, web.ErrorStatus(err), page)
	default:
		return err
	}
	p := res.Plan
	switch res.Outcome {
	case duban.ImportCreated:
		return s.Redirect(w, r, fmt.Sprintf("/plans/%d/review", p.ID), tr.T("已导入为草稿：%d 项任务，%d 段无人认领的段落，%d 条读取提示，%d 个名称不在名录中。请对照原文审核后发布。",
			p.TaskCount, p.OpenStatements, len(p.Warnings), len(res.NewUnits)+len(res.NewLeaders)))
	case duban.ImportReissue:
		return s.renderReissue(w, r, res.Diff, in, true)
	}
	rp := &importResultPage{Plan: p, Name: in.Name}
	rp.Title = tr.T("这个文件已经导入过")
	return s.Render(w, r, rp)
}

// readPageUpload reads the notice of an upload form, saying plainly when
// no file was chosen.
func readPageUpload(r *http.Request) (duban.ImportInput, error) {
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		return duban.ImportInput{}, duban.Errorf(duban.EINVALID, "请选择要导入的通知文件。")
	}
	return web.ReadNoticeUpload(r)
}

// compareReissue compares a corrected notice uploaded for a plan with it
// and shows the change list; nothing changes until it is confirmed.
func (s *server) compareReissue(w http.ResponseWriter, r *http.Request) error {
	p, err := s.pathPlan(r)
	if err != nil {
		return err
	}
	in, err := readPageUpload(r)
	if err != nil {
		return err
	}
	web.SameYear(in.Reading, p)
	d, err := s.svc.Plans.DiffPlan(r.Context(), p.ID, in.Reading)
	if err != nil {
		return err
	}
	return s.renderReissue(w, r, d, in, false)
}

// applyReissue applies the change list of the notice the confirmation form
// carries, reading it again: the reader is pure, so the reading is the one
// the list was made from.
func (s *server) applyReissue(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	p, err := s.pathPlan(r)
	if err != nil {
		return err
	}
	data, err := base64.StdEncoding.DecodeString(r.PostForm.Get("data"))
	if err != nil || len(data) == 0 {
		return duban.Errorf(duban.EINVALID, "确认表单中没有更正后的通知：请重新导入通知文件。")
	}
	in := duban.ImportInput{Name: r.PostForm.Get("name"), Data: data}
	if in.Reading, err = notice.Read(in.Name, data); err != nil {
		return err
	}
	web.SameYear(in.Reading, p)
	d, err := s.svc.Plans.ReissuePlan(r.Context(), p.ID, in)
	if err != nil {
		return err
	}
	n := d.Counts()
	return s.Redirect(w, r, fmt.Sprintf("/plans/%d/review", p.ID),
		tr.T("已应用更正后的通知：新增 %d 项，撤销 %d 项，改写 %d 项，责任变更 %d 项，时限变更 %d 项；每项变更已记入任务的历史。",
			n.Added, n.Removed, n.Reworded, n.OwnersChanged, n.DeadlineChanged))
}

// reissuePage is the change list of a corrected notice, to confirm.
type reissuePage struct {
	web.Base
	Plan    *duban.Plan
	Diff    *duban.PlanDiff
	Counts  duban.DiffCounts
	Changes []changeView
	// Imported says the notice came through the import form and was found
	// to be a new issue of the plan.
	Imported bool
	// Name and Data carry the notice to the confirmation.
	Name string
	Data string
}

func (*reissuePage) TemplateName() string { return "reissue.html" }

// changeView is one change of the list, ready to show: the texts as a
// difference, the owners list by list.
type changeView struct {
	Kind  duban.ChangeKind
	No    string // the number in the new notice (the old one for a removed task)
	OldNo string // the number before, when it changes
	// TaskID is the plan's task (0 for an added one).
	TaskID                                   int64
	Reworded, OwnersChanged, DeadlineChanged bool
	Text                                     []diffSpan
	Owners                                   []ownerChange
	OldDeadline, NewDeadline                 string
}

// ownerChange is one owner list of a task before and after.
type ownerChange struct {
	Label string
	Names []diffSpan // each name, kept (=), added (+) or dropped (-)
}

func (s *server) renderReissue(w http.ResponseWriter, r *http.Request, d *duban.PlanDiff, in duban.ImportInput, imported bool) error {
	p := &reissuePage{
		Plan: d.Plan, Diff: d, Counts: d.Counts(), Imported: imported,
		Name: in.Name, Data: base64.StdEncoding.EncodeToString(in.Data),
	}
	p.Title = web.Lang(r).T("更正后的通知")
	for _, c := range d.Changes {
		p.Changes = append(p.Changes, newChangeView(c))
	}
	return s.Render(w, r, p)
}

// newChangeView lays out a change: an added task's text and owners as new,
// a removed task's as dropped, a changed task's as the difference between
// what the notice said and what it says now.
func newChangeView(c duban.TaskChange) changeView {
	v := changeView{Kind: c.Kind, Reworded: c.Reworded, OwnersChanged: c.OwnersChanged, DeadlineChanged: c.DeadlineChanged}
	var before, after duban.IssuedTask
	if c.Task != nil {
		v.TaskID, v.No = c.Task.ID, c.Task.No
		if c.Task.Issued != nil {
			before = *c.Task.Issued
		}
	}
	if c.New != nil {
		after = *duban.Issued(c.New)
		if v.No != "" && v.No != c.New.No {
			v.OldNo = v.No
		}
		v.No = c.New.No
	}
	switch c.Kind {
	case duban.ChangeAdded:
		v.Text = []diffSpan{{Op: "+", Text: after.Text}}
	case duban.ChangeRemoved:
		v.Text = []diffSpan{{Op: "-", Text: c.Task.Text}}
	default:
		v.Text = diffText(before.Text, after.Text)
	}
	if c.Kind != duban.ChangeModified || c.OwnersChanged {
		for _, l := range []struct {
			label         string
			before, after []string
		}{
			{"牵头领导", before.LeadLeaders, after.LeadLeaders},
			{"牵头单位", before.LeadUnits, after.LeadUnits},
			{"责任单位", before.ResponsibleUnits, after.ResponsibleUnits},
		} {
			if c.Kind == duban.ChangeRemoved {
				l.after = nil
			}
			if names := diffNames(l.before, l.after); len(names) > 0 {
				v.Owners = append(v.Owners, ownerChange{Label: l.label, Names: names})
			}
		}
	}
	v.OldDeadline, v.NewDeadline = before.Deadline, after.Deadline
	return v
}

// diffNames lists the names of an owner list after a change, in their new
// order, then those it dropped.
func diffNames(before, after []string) []diffSpan {
	has := func(list []string, n string) bool {
		return slices.ContainsFunc(list, func(x string) bool { return duban.NormalizeName(x) == duban.NormalizeName(n) })
	}
	var out []diffSpan
	for _, n := range after {
		op := "="
		if !has(before, n) {
			op = "+"
		}
		out = append(out, diffSpan{Op: op, Text: n})
	}
	for _, n := range before {
		if !has(after, n) {
			out = append(out, diffSpan{Op: "-", Text: n})
		}
	}
	return out
}
