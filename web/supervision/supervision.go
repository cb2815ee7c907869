package supervision

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// supervisionRoutes are the supervision notices (督办单): the list, issuing
// one, a notice with what its unit and the office do with it, and its
// printed page.
func (s *server) supervisionRoutes() []web.Route {
	const see, issue, answer = "查看督办单", "下发督办单", "办理督办单"
	return []web.Route{
		{Method: "GET", Pattern: "/supervisions", Allow: duban.CanRead, Action: see, Handler: s.supervisions},
		{Method: "GET", Pattern: "/supervisions/new", Allow: cycle.CanSupervise, Action: issue, Handler: s.newSupervision},
		{Method: "POST", Pattern: "/supervisions", Allow: cycle.CanSupervise, Action: issue, Changes: true, Handler: s.issueSupervision},
		{Method: "GET", Pattern: "/supervisions/{supervision}", Allow: duban.CanRead, Action: see, Handler: s.supervision},
		{Method: "GET", Pattern: "/supervisions/{supervision}/print", Allow: duban.CanRead, Action: see, Handler: s.printSupervision},
		{Method: "POST", Pattern: "/supervisions/{supervision}/acknowledge", Allow: cycle.CanAnswerSupervisions, Action: answer, Changes: true,
			Handler: s.stepSupervision(cycle.SupervisionAcknowledged)},
		{Method: "POST", Pattern: "/supervisions/{supervision}/answer", Allow: cycle.CanAnswerSupervisions, Action: answer, Changes: true,
			MaxBody: s.EvidenceBody(), TooLarge: s.EvidenceTooLarge(), Handler: s.stepSupervision(cycle.SupervisionAnswered)},
		{Method: "GET", Pattern: "/supervisions/{supervision}/files/{file}", Allow: duban.CanRead, Action: "下载附件", Handler: s.supervisionFile},
		{Method: "POST", Pattern: "/supervisions/{supervision}/close", Allow: cycle.CanSupervise, Action: "办结督办单", Changes: true,
			Handler: s.stepSupervision(cycle.SupervisionClosed)},
		{Method: "POST", Pattern: "/supervisions/{supervision}/reissue", Allow: cycle.CanSupervise, Action: "再督办", Changes: true,
			Handler: s.reissueSupervision},
	}
}

// supervisionItem is a notice with what a page shows of it: its tasks and
// how late its answer is.
type supervisionItem struct {
	*cycle.Supervision
	Tasks []*duban.Task
	// Late is how many days the answer is (or came) late; 0 on time.
	Late int
}

// TaskNumbers lists the notice's tasks by number: 1.2.3、2.1.4.
func (it *supervisionItem) TaskNumbers() string {
	nos := make([]string, len(it.Tasks))
	for i, t := range it.Tasks {
		nos[i] = t.No
	}
	return strings.Join(nos, "、")
}

// supervisionItems reads the tasks of notices, each task once, and works
// out their lateness on today.
func (s *server) supervisionItems(r *http.Request, svs []*cycle.Supervision) ([]*supervisionItem, error) {
	tasks := map[int64]*duban.Task{}
	today := s.Today()
	out := make([]*supervisionItem, len(svs))
	for i, sv := range svs {
		it := &supervisionItem{Supervision: sv, Late: sv.DaysLate(today)}
		for _, id := range sv.TaskIDs {
			t, ok := tasks[id]
			if !ok {
				var err error
				if t, err = s.svc.Tasks.FindTaskByID(r.Context(), id); err != nil {
					return nil, err
				}
				tasks[id] = t
			}
			it.Tasks = append(it.Tasks, t)
		}
		out[i] = it
	}
	return out, nil
}

// supervisionsPage lists the notices with their state and lateness.
type supervisionsPage struct {
	web.Base
	Items []*supervisionItem
	// The filter: a state (or "open", or "late"), a unit, a year.
	State string
	Unit  int64
	Year  int64
	Units []*duban.Unit
	Years []int
	Pager web.Pager
	// CanIssue says the user may issue notices (from a task's page or the
	// list of lagging tasks).
	CanIssue bool
}

func (*supervisionsPage) TemplateName() string { return "supervisions.html" }

// States are the filter's choices of state, with their labels.
func (*supervisionsPage) States() []cycle.SupervisionState {
	return []cycle.SupervisionState{cycle.SupervisionIssued, cycle.SupervisionAcknowledged, cycle.SupervisionAnswered,
		cycle.SupervisionClosed, cycle.SupervisionReissued}
}

// UnitSelected reports whether a unit is the filter's.
func (p *supervisionsPage) UnitSelected(id int64) bool { return p.Unit == id }

func (s *server) supervisions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	u := duban.UserFromContext(ctx)
	p := &supervisionsPage{State: q.Get("state"), CanIssue: cycle.CanSupervise(u)}
	p.Title = web.Lang(r).T("督办单")
	f := cycle.SupervisionFilter{}
	switch p.State {
	case "", "late":
	case "open":
		f.Open = true
	default:
		st := cycle.SupervisionState(p.State)
		if !st.Valid() {
			return duban.Errorf(duban.EINVALID, "督办单状态“%s”不正确：请从页面上的筛选条件重新选择。", p.State)
		}
		f.State = &st
	}
	if p.State == "late" {
		f.Open = true
	}
	unit, err := web.QueryInt(q, "unit")
	if err != nil {
		return err
	}
	if unit == nil && u.Role == duban.RoleClerk && !q.Has("unit") {
		// A clerk sees its own unit's notices first.
		unit = &u.UnitID
	}
	if unit != nil && *unit != 0 {
		f.UnitID, p.Unit = unit, *unit
	}
	year, err := web.QueryInt(q, "year")
	if err != nil {
		return err
	}
	if year != nil && *year != 0 {
		y := int(*year)
		f.Year, p.Year = &y, *year
	}
	pg := web.ReadPager(q)
	f.Offset, f.Limit = pg.Offset(), pg.Size
	if p.State == "late" {
		// Lateness is worked out on today, not kept: read every open
		// notice and page them here.
		f.Offset, f.Limit = 0, 0
	}
	svs, total, err := s.svc.Supervisions.FindSupervisions(ctx, f)
	if err != nil {
		return err
	}
	if p.Items, err = s.supervisionItems(r, svs); err != nil {
		return err
	}
	if p.State == "late" {
		p.Items = slices.DeleteFunc(p.Items, func(it *supervisionItem) bool { return it.Late == 0 })
		total = len(p.Items)
		p.Items = p.Items[min(pg.Offset(), total):min(pg.Offset()+pg.Size, total)]
	}
	pg.Total = total
	pg.Link = pageLink("/supervisions", q)
	p.Pager = pg
	c, err := s.Choices(r)
	if err != nil {
		return err
	}
	p.Units, p.Years = c.Units, c.Years
	return s.Render(w, r, p)
}

// supervisionForm is a notice being written: issued anew, or issued again.
type supervisionForm struct {
	Tasks       []*duban.Task
	Unit        *duban.Unit
	Reason      string
	Requirement string
	Due         string
	// Error says why the office's last try was refused; the form keeps
	// what was typed.
	Error string
}

// newSupervisionPage is the form issuing a notice on one or more tasks;
// without tasks, the form choosing them by number in a plan.
type newSupervisionPage struct {
	web.Base
	Form supervisionForm
	// Plans are the published plans to choose tasks in, by number (Nos).
	Plans []*duban.Plan
	Nos   string
}

func (*newSupervisionPage) TemplateName() string { return "supervision_new.html" }

// defaultRequirement is what a notice asks unless the office writes more.
const defaultRequirement = "请认真分析原因，提出整改措施，于反馈时限前书面反馈整改情况，并附佐证材料。"

// defaultAnswerDays is how many days a new notice gives for its answer.
const defaultAnswerDays = 7

// formTasks reads the tasks a form or a query names by ID (task=…, each
// once).
func (s *server) formTasks(r *http.Request, vals url.Values) ([]*duban.Task, error) {
	var out []*duban.Task
	seen := map[int64]bool{}
	for _, v := range vals["task"] {
		id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || id <= 0 {
			return nil, duban.Errorf(duban.EINVALID, "任务编号“%s”不正确：请从任务页面或滞后任务列表中选择。", v)
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		t, err := s.svc.Tasks.FindTaskByID(r.Context(), id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, duban.Errorf(duban.EINVALID, "请选择督办的任务：从任务页面或滞后任务列表中点“下发督办单”。")
	}
	return out, nil
}

// taskIDsByNumber finds tasks of a plan by their numbers (2.1.3、2.1.4),
// and returns their IDs as a query gives them.
func (s *server) taskIDsByNumber(r *http.Request, planID int64, nos string) ([]string, error) {
	tasks, _, err := s.svc.Tasks.FindTasks(r.Context(), duban.TaskFilter{PlanID: &planID})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, no := range strings.FieldsFunc(nos, func(r rune) bool { return strings.ContainsRune(" ,，、;；\t\n", r) }) {
		i := slices.IndexFunc(tasks, func(t *duban.Task) bool { return t.No == no })
		if i < 0 {
			return nil, duban.Errorf(duban.ENOTFOUND, "文件中没有任务 %s：请核对任务编号（如 2.1.3）。", no)
		}
		ids = append(ids, strconv.FormatInt(tasks[i].ID, 10))
	}
	return ids, nil
}

// leadUnit returns the unit that composes a task's reports, to which its
// notices go, or nil when it names none of the directory.
func (s *server) leadUnit(r *http.Request, t *duban.Task) (*duban.Unit, error) {
	groups, err := s.svc.Units.FindGroupMembers(r.Context())
	if err != nil {
		return nil, err
	}
	composer, _ := cycle.ReportingUnits(t, groups)
	if composer == 0 {
		return nil, nil
	}
	return s.svc.Units.FindUnitByID(r.Context(), composer)
}

func (s *server) newSupervision(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &newSupervisionPage{Nos: q.Get("nos")}
	p.Title = web.Lang(r).T("下发督办单")
	if len(q["task"]) == 0 && strings.TrimSpace(p.Nos) == "" {
		// No task chosen yet: the form choosing them by number.
		c, err := s.Choices(r)
		if err != nil {
			return err
		}
		for _, pl := range c.Plans {
			if pl.State == duban.PlanPublished {
				p.Plans = append(p.Plans, pl)
			}
		}
		return s.Render(w, r, p)
	}
	if p.Nos != "" {
		plan, err := web.QueryInt(q, "plan")
		if err != nil {
			return err
		}
		if plan == nil {
			return duban.Errorf(duban.EINVALID, "请选择任务所在的文件。")
		}
		ids, err := s.taskIDsByNumber(r, *plan, p.Nos)
		if err != nil {
			return err
		}
		q["task"] = append(q["task"], ids...)
	}
	tasks, err := s.formTasks(r, q)
	if err != nil {
		return err
	}
	p.Form = supervisionForm{Tasks: tasks, Requirement: defaultRequirement, Due: s.Today().AddDays(defaultAnswerDays).String()}
	if p.Form.Unit, err = s.leadUnit(r, tasks[0]); err != nil {
		return err
	}
	p.Form.Reason = s.lagReason(r, tasks)
	return s.Render(w, r, p)
}

// lagReason suggests a notice's 事由 from its tasks' latest lights: each
// lagging task's light and its reason.
func (s *server) lagReason(r *http.Request, tasks []*duban.Task) string {
	var parts []string
	for _, t := range tasks {
		ls, _, err := s.svc.Lights.FindLights(r.Context(), cycle.LightFilter{TaskID: &t.ID, Latest: true})
		if err != nil || len(ls) == 0 {
			continue
		}
		switch l := ls[0]; l.Status {
		case cycle.LightLagging, cycle.LightSevere, cycle.LightMissing, cycle.LightNotStarted:
			parts = append(parts, fmt.Sprintf("任务 %s %s：%s", t.No, l.Status.Label(), l.Reason))
		}
	}
	return strings.Join(parts, "；")
}

// readSupervisionForm reads the fields a notice is issued with.
func readSupervisionForm(r *http.Request) (reason, requirement string, due duban.Date, err error) {
	reason = strings.TrimSpace(r.PostForm.Get("reason"))
	requirement = strings.TrimSpace(r.PostForm.Get("requirement"))
	v := strings.TrimSpace(r.PostForm.Get("due"))
	if v == "" {
		return reason, requirement, due, duban.Errorf(duban.EINVALID, "请给出反馈时限。")
	}
	due, err = duban.ParseDate(v)
	return reason, requirement, due, err
}

func (s *server) issueSupervision(w http.ResponseWriter, r *http.Request) error {
	tasks, err := s.formTasks(r, r.PostForm)
	if err != nil {
		return err
	}
	reason, requirement, due, err := readSupervisionForm(r)
	sv := &cycle.Supervision{Reason: reason, Requirement: requirement, Due: due}
	for _, t := range tasks {
		sv.TaskIDs = append(sv.TaskIDs, t.ID)
	}
	if err == nil {
		err = s.svc.Supervisions.CreateSupervision(r.Context(), sv)
	}
	if err != nil {
		if duban.ErrorCode(err) != duban.EINVALID && duban.ErrorCode(err) != duban.ECONFLICT {
			return err
		}
		// Refused: the form again, with what was typed and why.
		p := &newSupervisionPage{Form: supervisionForm{Tasks: tasks, Reason: reason, Requirement: requirement,
			Due: r.PostForm.Get("due"), Error: duban.ErrorMessage(err)}}
		p.Title = web.Lang(r).T("下发督办单")
		if p.Form.Unit, err = s.leadUnit(r, tasks[0]); err != nil {
			return err
		}
		return s.RenderStatus(w, r, http.StatusUnprocessableEntity, p)
	}
	return s.Redirect(w, r, fmt.Sprintf("/supervisions/%d", sv.ID), web.Lang(r).T("已下发%s。", sv.Number()))
}

// supervisionPage is one notice, with the forms of what the user may do
// with it now.
type supervisionPage struct {
	web.Base
	Item *supervisionItem
	// RepeatOf and RepeatedBy are the notices this one issues again and
	// the one that issued it again.
	RepeatOf, RepeatedBy *cycle.Supervision
	// What the user may do: acknowledge or answer (its unit's clerk, or the
	// office for an answer given on paper), close or issue it again (the
	// office).
	CanAcknowledge, CanAnswer, CanClose, CanReissue bool
	// Reissue is the form issuing it again, with a new deadline.
	Reissue supervisionForm
	// EvidenceLimit is the size limit of an answer's files, as the form
	// says it.
	EvidenceLimit string
}

func (*supervisionPage) TemplateName() string { return "supervision.html" }

// FileLink is the address of the answer's i-th file (from 0).
func (p *supervisionPage) FileLink(i int) string {
	return fmt.Sprintf("/supervisions/%d/files/%d", p.Item.ID, i+1)
}

// MaxFiles is how many files one answer may bring.
func (*supervisionPage) MaxFiles() int { return web.MaxEvidenceFiles }

func (s *server) findSupervision(r *http.Request) (*supervisionItem, error) {
	id, err := web.PathID(r, "supervision")
	if err != nil {
		return nil, err
	}
	sv, err := s.svc.Supervisions.FindSupervisionByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	items, err := s.supervisionItems(r, []*cycle.Supervision{sv})
	if err != nil {
		return nil, err
	}
	return items[0], nil
}

func (s *server) supervision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	it, err := s.findSupervision(r)
	if err != nil {
		return err
	}
	u := duban.UserFromContext(ctx)
	p := &supervisionPage{Item: it}
	p.Title = it.Number()
	st := it.State
	p.CanAcknowledge = cycle.CanAnswerSupervision(u, it.Supervision) && cycle.SupervisionStep(st, cycle.SupervisionAcknowledged, false) == nil
	p.CanAnswer = cycle.CanAnswerSupervision(u, it.Supervision) && cycle.SupervisionStep(st, cycle.SupervisionAnswered, false) == nil
	p.CanClose = cycle.CanSupervise(u) && cycle.SupervisionStep(st, cycle.SupervisionClosed, true) == nil
	p.CanReissue = cycle.CanSupervise(u) && cycle.SupervisionStep(st, cycle.SupervisionReissued, true) == nil
	p.EvidenceLimit = s.EvidenceLimit()
	p.Reissue = supervisionForm{Reason: it.Reason, Requirement: it.Requirement,
		Due: s.Today().AddDays(defaultAnswerDays).String()}
	for _, link := range []struct {
		id  int64
		dst **cycle.Supervision
	}{{it.RepeatOf, &p.RepeatOf}, {it.RepeatedBy, &p.RepeatedBy}} {
		if link.id == 0 {
			continue
		}
		if *link.dst, err = s.svc.Supervisions.FindSupervisionByID(ctx, link.id); err != nil {
			return err
		}
	}
	return s.Render(w, r, p)
}

// supervisionPrint is a notice as one A4 page, without the site's bar.
type supervisionPrint struct {
	web.Base
	Item *supervisionItem
}

func (*supervisionPrint) TemplateName() string { return "supervision_print.html" }

// Day writes a time's day as a paper form does: 2022年8月1日.
func (*supervisionPrint) Day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return duban.Today(t).LabelYear()
}

func (s *server) printSupervision(w http.ResponseWriter, r *http.Request) error {
	it, err := s.findSupervision(r)
	if err != nil {
		return err
	}
	p := &supervisionPrint{Item: it}
	p.Title, p.Bare = it.Number(), true
	return s.Render(w, r, p)
}

// stepSupervision makes the handler of a step of a notice: acknowledged,
// answered (with the answer typed), closed. The form carries the version
// it was shown at, so that a step on a notice changed since is refused.
func (s *server) stepSupervision(to cycle.SupervisionState) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "supervision")
		if err != nil {
			return err
		}
		version, err := formVersion(r)
		if err != nil {
			return err
		}
		upd := cycle.SupervisionUpdate{State: &to, Version: version}
		if to == cycle.SupervisionAnswered {
			answer := r.PostForm.Get("answer")
			upd.Answer = &answer
			refs, err := s.answerEvidence(r, id)
			if err != nil {
				return err
			}
			if refs != nil {
				upd.Evidence = &refs
			}
		}
		sv, err := s.svc.Supervisions.UpdateSupervision(r.Context(), id, upd)
		if err != nil {
			return err
		}
		tr := web.Lang(r)
		msg := map[cycle.SupervisionState]string{cycle.SupervisionAcknowledged: tr.T("已签收%s。", sv.Number()),
			cycle.SupervisionAnswered: tr.T("已反馈%s。", sv.Number()), cycle.SupervisionClosed: tr.T("%s已办结。", sv.Number())}[to]
		return s.Redirect(w, r, fmt.Sprintf("/supervisions/%d", sv.ID), msg)
	}
}

// answerEvidence keeps the evidence files an answer brings, with the
// reports' upload, and returns the notice's files with them added; nil,
// when none came, leaves the notice's files as they are.
func (s *server) answerEvidence(r *http.Request, id int64) ([]cycle.EvidenceRef, error) {
	added, err := s.ReadEvidence(r, web.EvidenceField)
	if err != nil || len(added) == 0 {
		return nil, err
	}
	sv, err := s.svc.Supervisions.FindSupervisionByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	refs := slices.Clone(sv.Evidence)
	for _, a := range added {
		if !slices.ContainsFunc(refs, func(e cycle.EvidenceRef) bool { return e.SHA256 == a.SHA256 }) {
			refs = append(refs, a)
		}
	}
	return refs, nil
}

// supervisionFile serves the n-th file (from 1) of a notice's answer, to
// whoever may read the notice.
func (s *server) supervisionFile(w http.ResponseWriter, r *http.Request) error {
	it, err := s.findSupervision(r)
	if err != nil {
		return err
	}
	n, err := web.PathID(r, "file")
	if err != nil {
		return err
	}
	if int(n) > len(it.Evidence) {
		return duban.Errorf(duban.ENOTFOUND, "%s没有第 %d 个附件。", it.Number(), n)
	}
	return s.ServeEvidence(w, r, it.Evidence[n-1])
}

// pageLink returns the link to another page of a list at path, with the
// query's filters.
func pageLink(path string, q url.Values) func(int) string {
	return func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return path + "?" + v.Encode()
	}
}

// formVersion reads the version a form was shown at; a form without one
// (not sent from the page) says 0, which the service refuses as changed
// since, once it has checked who may do it.
func formVersion(r *http.Request) (int, error) {
	s := strings.TrimSpace(r.PostForm.Get("version"))
	if s == "" {
		return 0, nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, duban.Errorf(duban.EINVALID, "表单中的版本号“%s”不正确：请刷新页面后重新提交。", s)
	}
	return v, nil
}

func (s *server) reissueSupervision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "supervision")
	if err != nil {
		return err
	}
	reason, requirement, due, err := readSupervisionForm(r)
	if err != nil {
		return err
	}
	sv := &cycle.Supervision{RepeatOf: id, Reason: reason, Requirement: requirement, Due: due}
	if err := s.svc.Supervisions.CreateSupervision(r.Context(), sv); err != nil {
		return err
	}
	return s.Redirect(w, r, fmt.Sprintf("/supervisions/%d", sv.ID), web.Lang(r).T("已再督办：下发%s。", sv.Number()))
}
