package review

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// The review's forms: each reads what was typed, asks the service, and
// returns to the same place of the review page with a flash; a refusal
// the user can act on comes back in its form (see refuse).

// refuse shows the plan page again with the refused form open, as though at
// its own address (so that the language switch leads back there rather
// than to the form's), or returns err when it is not the form's to show.
func (s *server) refuse(w http.ResponseWriter, r *http.Request, planID int64, focus reviewFocus, err error) error {
	if !page.FormError(err) {
		return err
	}
	focus.Error, focus.Values = duban.ErrorMessage(err), r.PostForm
	if focus.Values == nil {
		focus.Values = url.Values{}
	}
	r2 := r.Clone(r.Context())
	r2.URL = &url.URL{Path: fmt.Sprintf("/plans/%d/review", planID)}
	return s.renderPlan(w, r2, planID, focus, web.ErrorStatus(err))
}

// backTo is the address of a place on the plan page: #t7 for a task, #s3
// for a statement, with a form to open. An item's page of a paged plan is
// found by ?at=, which the fragment never reaches the server to say.
func backTo(planID int64, query url.Values, fragment string) string {
	if anchorRE.MatchString(fragment) && len(query) == 0 {
		query = url.Values{"at": {fragment}}
	}
	u := url.URL{Path: fmt.Sprintf("/plans/%d/review", planID), RawQuery: query.Encode(), Fragment: fragment}
	return u.String()
}

// splitNames reads a list of names as people type it: separated by the
// enumeration comma, commas, semicolons or new lines.
func splitNames(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune("、，,;；\n\r", r) })
}

// namesChanged reports whether a list typed in a form names other owners
// than the task has, in another order, or other spellings.
func namesChanged(owners []duban.Owner, typed []string) bool {
	return !slices.EqualFunc(duban.OwnerNames(owners), typed, func(a, b string) bool {
		return duban.NormalizeName(a) == duban.NormalizeName(b)
	})
}

// ownerField is one of a task's three owner lists in the task form: the
// input's name, its label, the list in a task and in an update.
type ownerField struct {
	name, label string
	list        func(*duban.Task) *[]duban.Owner
	upd         **[]duban.Owner
}

// ownerFields are the owner lists of the task form, in its order, bound
// to an update.
func ownerFields(upd *duban.TaskUpdate) []ownerField {
	return []ownerField{
		{"lead_leaders", "牵头领导", func(t *duban.Task) *[]duban.Owner { return &t.LeadLeaders }, &upd.LeadLeaders},
		{"lead_units", "牵头单位", func(t *duban.Task) *[]duban.Owner { return &t.LeadUnits }, &upd.LeadUnits},
		{"units", "责任单位", func(t *duban.Task) *[]duban.Owner { return &t.ResponsibleUnits }, &upd.ResponsibleUnits},
	}
}

// editTask corrects a task from its form: only what differs from the task
// is changed, so that its history says exactly what was corrected.
func (s *server) editTask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := web.Lang(r)
	t, err := s.pathTask(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	focus := reviewFocus{Kind: "edit", ID: t.ID, Field: f.Get("field")}
	// A field the form does not carry is left as it is.
	var upd duban.TaskUpdate
	var changed []string
	if _, ok := f["text"]; ok {
		if text := strings.TrimSpace(f.Get("text")); text != t.Text {
			upd.Text = &text
			changed = append(changed, tr.T("内容"))
		}
	}
	for _, of := range ownerFields(&upd) {
		if _, ok := f[of.name]; !ok {
			continue
		}
		typed := duban.OwnersNamed(splitNames(f.Get(of.name)))
		if namesChanged(*of.list(t), duban.OwnerNames(typed)) {
			*of.upd = &typed
			changed = append(changed, tr.T(of.label))
		}
	}
	if _, ok := f["deadline"]; ok {
		if d := strings.TrimSpace(f.Get("deadline")); d != t.Deadline {
			upd.Deadline = &d
			changed = append(changed, tr.T("完成时限"))
		}
	}
	if _, ok := f["target_text"]; ok {
		targets, err := formTargets(f)
		if err != nil {
			focus.Field = "targets"
			return s.refuse(w, r, t.PlanID, focus, err)
		}
		if !sameTargets(targets, t.Indicators) {
			upd.Indicators = &targets
			changed = append(changed, tr.T("量化指标"))
		}
	}
	back := backTo(t.PlanID, nil, fmt.Sprintf("t%d", t.ID))
	if len(changed) == 0 {
		return s.Redirect(w, r, back, tr.T("任务 %s 没有改动。", t.No))
	}
	if _, err := s.svc.Tasks.UpdateTask(ctx, t.ID, upd); err != nil {
		if fld := fieldOf(err); fld != "" {
			focus.Field = fld
		}
		return s.refuse(w, r, t.PlanID, focus, err)
	}
	return s.Redirect(w, r, back, tr.T("已修改任务 %s：%s。", t.No, strings.Join(changed, "、")))
}

// fieldOf guesses which input of the task form a refusal is about, from
// the check that refused it, so that the cursor lands there.
func fieldOf(err error) string {
	msg := duban.ErrorMessage(err)
	for _, c := range []struct{ says, field string }{
		{"任务内容", "text"}, {"完成时限", "deadline"}, {"目标", "targets"}, {"指标", "targets"},
		{"牵头领导、牵头单位或责任单位", "lead_units"},
	} {
		if strings.Contains(msg, c.says) {
			return c.field
		}
	}
	return ""
}

// targetRow is a row of the targets table of the task form, as typed.
type targetRow struct{ Text, Metric, Cmp, Value, Unit, Upper string }

func (r targetRow) empty() bool {
	return r.Text == "" && r.Metric == "" && r.Value == "" && r.Unit == "" && r.Upper == ""
}

// formTargetRows reads the targets table's rows, left out those marked for
// deletion.
func formTargetRows(f url.Values) []targetRow {
	var rows []targetRow
	texts := f["target_text"]
	get := func(name string, i int) string {
		if v := f[name]; i < len(v) {
			return strings.TrimSpace(v[i])
		}
		return ""
	}
	for i := range texts {
		if slices.Contains(f["target_delete"], strconv.Itoa(i)) {
			continue
		}
		rows = append(rows, targetRow{
			Text: get("target_text", i), Metric: get("target_metric", i), Cmp: get("target_cmp", i),
			Value: get("target_value", i), Unit: get("target_unit", i), Upper: get("target_upper", i),
		})
	}
	return rows
}

// formTargets reads the targets table as targets; empty rows are left out
// and the service checks the rest.
func formTargets(f url.Values) ([]duban.Indicator, error) {
	out := []duban.Indicator{}
	for i, r := range formTargetRows(f) {
		if r.empty() {
			continue
		}
		v, err := strconv.ParseFloat(r.Value, 64)
		if err != nil {
			return nil, duban.Errorf(duban.EINVALID, "第 %d 个量化指标的数值“%s”不正确：应为数字，如 119 或 8.5。", i+1, r.Value)
		}
		in := duban.Indicator{Text: r.Text, Metric: r.Metric, Cmp: duban.Comparison(r.Cmp), Value: v, Unit: r.Unit}
		if r.Upper != "" {
			upper, err := strconv.ParseFloat(r.Upper, 64)
			if err != nil {
				return nil, duban.Errorf(duban.EINVALID, "第 %d 个量化指标的上限“%s”不正确：应为数字。", i+1, r.Upper)
			}
			in.Upper = &upper
		}
		if in.Text == "" {
			in.Text = strings.TrimSpace(in.Metric + " " + r.Value + " " + in.Unit)
		}
		out = append(out, in)
	}
	return out, nil
}

// sameTargets reports whether two lists of targets say the same.
func sameTargets(a, b []duban.Indicator) bool {
	return slices.EqualFunc(a, b, func(x, y duban.Indicator) bool {
		return x.Text == y.Text && x.Metric == y.Metric && x.Value == y.Value && x.Unit == y.Unit && x.Cmp == y.Cmp &&
			(x.Upper == nil) == (y.Upper == nil) && (x.Upper == nil || *x.Upper == *y.Upper)
	})
}

// formatNumber writes a target's number as people write it: 119, 8.5.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// splitTask cuts a task in two at a split point of its text, or before the
// first place where typed words occur.
func (s *server) splitTask(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := web.Lang(r)
	t, err := s.pathTask(r)
	if err != nil {
		return err
	}
	focus := reviewFocus{Kind: "split", ID: t.ID}
	var at int
	if words := strings.TrimSpace(r.PostForm.Get("at_text")); words != "" {
		i := strings.Index(t.Text, words)
		if i < 0 {
			return s.refuse(w, r, t.PlanID, focus, duban.Errorf(duban.EINVALID, "任务 %s 的内容中没有“%s”：请输入第二项任务开头的几个字，照原文抄写。", t.No, words))
		}
		at = len([]rune(t.Text[:i]))
	} else if at, err = strconv.Atoi(r.PostForm.Get("at")); err != nil {
		return s.refuse(w, r, t.PlanID, focus, duban.Errorf(duban.EINVALID, "请选择拆分的位置，或输入第二项任务开头的几个字。"))
	}
	first, second, err := s.svc.Tasks.SplitTask(ctx, t.ID, at)
	if err != nil {
		return s.refuse(w, r, t.PlanID, focus, err)
	}
	return s.Redirect(w, r, backTo(t.PlanID, nil, fmt.Sprintf("t%d", second.ID)),
		tr.T("已把任务 %s 拆分为 %s 和 %s；其后的任务编号顺延。", t.No, first.No, second.No))
}

// mergeTasks joins the chosen task into this one.
func (s *server) mergeTasks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := web.Lang(r)
	t, err := s.pathTask(r)
	if err != nil {
		return err
	}
	focus := reviewFocus{Kind: "merge", ID: t.ID}
	other, err := web.FormID(r, "other", "要并入的任务")
	if err != nil {
		return s.refuse(w, r, t.PlanID, focus, err)
	}
	o, err := s.svc.Tasks.FindTaskByID(ctx, other)
	if err != nil {
		return s.refuse(w, r, t.PlanID, focus, err)
	}
	merged, err := s.svc.Tasks.MergeTasks(ctx, t.ID, other)
	if err != nil {
		return s.refuse(w, r, t.PlanID, focus, err)
	}
	return s.Redirect(w, r, backTo(t.PlanID, nil, fmt.Sprintf("t%d", t.ID)),
		tr.T("已把任务 %s 并入任务 %s（现为 %s）；其后的任务编号前移。", o.No, t.No, merged.No))
}

// pathTask returns the task the path names.
func (s *server) pathTask(r *http.Request) (*duban.Task, error) {
	id, err := web.PathID(r, "task")
	if err != nil {
		return nil, err
	}
	return s.svc.Tasks.FindTaskByID(r.Context(), id)
}

// pathPlan returns the plan the path names.
func (s *server) pathPlan(r *http.Request) (*duban.Plan, error) {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return nil, err
	}
	return s.svc.Plans.FindPlanByID(r.Context(), id)
}

// statementFor returns the statement of the path.
func (s *server) statementFor(r *http.Request) (*duban.Statement, error) {
	id, err := web.PathID(r, "statement")
	if err != nil {
		return nil, err
	}
	sts, _, err := s.svc.Tasks.FindStatements(r.Context(), duban.StatementFilter{ID: &id})
	if err != nil {
		return nil, err
	}
	if len(sts) == 0 {
		return nil, duban.Errorf(duban.ENOTFOUND, "没有编号为 %d 的无人认领的段落：它可能已随更正后的通知删除。", id)
	}
	return sts[0], nil
}

// assignStatement gives an unassigned statement owners: it becomes a task.
func (s *server) assignStatement(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	st, err := s.statementFor(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	a := duban.StatementAssignment{
		LeadLeaders:      duban.OwnersNamed(splitNames(f.Get("lead_leaders"))),
		LeadUnits:        duban.OwnersNamed(splitNames(f.Get("lead_units"))),
		ResponsibleUnits: duban.OwnersNamed(splitNames(f.Get("units"))),
		Deadline:         f.Get("deadline"),
	}
	t, err := s.svc.Tasks.AssignStatement(r.Context(), st.ID, a)
	if err != nil {
		return s.refuse(w, r, st.PlanID, reviewFocus{Kind: "assign", ID: st.ID, Field: "lead_units"}, err)
	}
	return s.Redirect(w, r, s.nextStatement(r, st, t.ID), tr.T("第 %d 行的段落已成为任务 %s。", st.Line, t.No))
}

// dismissStatement records that a statement needs no owner.
func (s *server) dismissStatement(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	st, err := s.statementFor(r)
	if err != nil {
		return err
	}
	if _, err := s.svc.Tasks.DismissStatement(r.Context(), st.ID, r.PostForm.Get("note")); err != nil {
		return s.refuse(w, r, st.PlanID, reviewFocus{Kind: "dismiss", ID: st.ID, Field: "note"}, err)
	}
	return s.Redirect(w, r, s.nextStatement(r, st, 0), tr.T("第 %d 行的段落已标记为无需分配。", st.Line))
}

// nextStatement is where to go once a statement is decided: the next
// statement still open, its form ready, or else the task it became (or the
// statement itself).
func (s *server) nextStatement(r *http.Request, st *duban.Statement, taskID int64) string {
	open := duban.StatementOpen
	sts, _, err := s.svc.Tasks.FindStatements(r.Context(), duban.StatementFilter{PlanID: &st.PlanID, State: &open, Limit: 1})
	if err == nil && len(sts) > 0 {
		return backTo(st.PlanID, url.Values{"assign": {strconv.FormatInt(sts[0].ID, 10)}}, fmt.Sprintf("s%d", sts[0].ID))
	}
	if taskID != 0 {
		return backTo(st.PlanID, nil, fmt.Sprintf("t%d", taskID))
	}
	return backTo(st.PlanID, nil, fmt.Sprintf("s%d", st.ID))
}

// nextName is where to go once an unknown name is decided: the next one's
// form, or the list.
func nextName(planID int64, next string) string {
	if next == "" {
		return backTo(planID, nil, "names")
	}
	return backTo(planID, url.Values{"name": {next}}, "names")
}

// mapName makes an unknown name an alias of the unit typed, so that this
// and later notices find the unit by it.
func (s *server) mapName(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tr := web.Lang(r)
	planID, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	alias := strings.TrimSpace(r.PostForm.Get("name"))
	target := strings.TrimSpace(r.PostForm.Get("unit"))
	focus := reviewFocus{Kind: "name", Name: alias}
	if alias == "" {
		return duban.Errorf(duban.EINVALID, "没有要对应的名称：请从文件页面提交。")
	}
	if target == "" {
		return s.refuse(w, r, planID, focus, duban.Errorf(duban.EINVALID, "请输入“%s”所指的已有单位的名称。", alias))
	}
	units, _, err := s.svc.Units.FindUnits(ctx, duban.UnitFilter{Name: &target})
	if err != nil {
		return err
	}
	if len(units) == 0 {
		return s.refuse(w, r, planID, focus, duban.Errorf(duban.EINVALID,
			"名录中没有单位“%s”：请从提示的单位中选择；如果“%s”是一个新单位，请把它加入名录。", target, alias))
	}
	u, err := s.svc.Units.AddUnitAlias(ctx, units[0].ID, alias)
	if err != nil {
		return s.refuse(w, r, planID, focus, err)
	}
	return s.Redirect(w, r, nextName(planID, r.PostForm.Get("next")), tr.T("“%s”已对应到单位“%s”，以后的通知也会这样识别。", alias, u.Name))
}

// acceptName adds an unknown name to the directory as a new unit of the
// kind chosen.
func (s *server) acceptName(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	planID, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostForm.Get("name"))
	u := &duban.Unit{Name: name, Kind: duban.UnitKind(r.PostForm.Get("kind"))}
	if err := s.svc.Units.CreateUnit(r.Context(), u); err != nil {
		return s.refuse(w, r, planID, reviewFocus{Kind: "name", Name: name}, err)
	}
	return s.Redirect(w, r, nextName(planID, r.PostForm.Get("next")), tr.T("已把“%s”加入单位名录（%s）。", u.Name, tr.T(u.Kind.Label())))
}

// expandGroup replaces a group term by the units it stands for, in the
// tasks ticked (all that name it when none is) and by the units ticked
// (every unit of its kind when none is and the term means all of them).
func (s *server) expandGroup(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	planID, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	exp := duban.GroupExpansion{PlanID: planID, Group: strings.TrimSpace(r.PostForm.Get("group"))}
	focus := reviewFocus{Kind: "group", Name: exp.Group}
	for _, list := range []struct {
		field string
		dst   *[]int64
	}{{"task", &exp.TaskIDs}, {"unit", &exp.UnitIDs}} {
		for _, v := range r.PostForm[list.field] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return s.refuse(w, r, planID, focus, duban.Errorf(duban.EINVALID, "表单中的编号“%s”不正确：请从文件页面提交。", v))
			}
			*list.dst = append(*list.dst, id)
		}
	}
	// The form that lists the tasks says so: none ticked there is a slip,
	// not "all of them".
	if r.PostForm.Get("tasks_listed") != "" && len(exp.TaskIDs) == 0 {
		return s.refuse(w, r, planID, focus, duban.Errorf(duban.EINVALID, "请勾选要展开“%s”的任务。", exp.Group))
	}
	changed, err := s.svc.Tasks.ExpandGroup(r.Context(), exp)
	if err != nil {
		return s.refuse(w, r, planID, focus, err)
	}
	return s.Redirect(w, r, backTo(planID, nil, "groups"), tr.T("已在 %d 项任务中展开“%s”。", len(changed), exp.Group))
}

// publishPlan publishes a reviewed draft. While statements are undecided
// the refusal is shown where the publish button is, with a way to the
// first of them.
func (s *server) publishPlan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	p, err := s.svc.Plans.PublishPlan(ctx, id)
	if err == nil {
		return s.Redirect(w, r, backTo(id, nil, ""), s.publishedMessage(r, p))
	}
	if q, ferr := s.svc.Plans.FindPlanByID(ctx, id); ferr == nil && q.OpenStatements > 0 && duban.ErrorCode(err) == duban.EINVALID {
		// The store's message names the command line's verbs; here the
		// forms are on the page.
		err = duban.Errorf(duban.EINVALID, "还有 %d 段无人认领的段落没有处理：请为每段指定责任，或标记为无需分配，然后再发布。", q.OpenStatements)
	}
	return s.refuse(w, r, id, reviewFocus{Kind: "publish"}, err)
}

// archivePlan ends the supervision of a published plan; its tasks stay to
// be read.
func (s *server) archivePlan(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	p, err := s.svc.Plans.ArchivePlan(r.Context(), id)
	if err != nil {
		return s.refuse(w, r, id, reviewFocus{Kind: "publish"}, err)
	}
	return s.Redirect(w, r, backTo(id, nil, ""), web.Lang(r).T("文件“%s”已归档：任务仍可查看，不再督办。", p.Title))
}

// publishedMessage says what publishing did: every unit sees its tasks,
// or, plainly, which group terms reach no unit yet.
func (s *server) publishedMessage(r *http.Request, p *duban.Plan) string {
	tr := web.Lang(r)
	missing, err := duban.PlanMembersMissing(r.Context(), s.svc.Tasks, s.svc.Units, p.ID)
	if err != nil {
		s.Log().Warn("finding the groups without members", "plan", p.ID, "error", err)
	}
	switch {
	case err != nil:
		return tr.T("文件已发布：%d 项任务。", p.TaskCount)
	case len(missing) == 0:
		return tr.T("文件已发布：%d 项任务，各单位现在可以在台账中看到自己的任务。", p.TaskCount)
	}
	return tr.T("文件已发布：%d 项任务。以下统称还没有成员，写给它们的任务暂时没有单位看得到：%s。请在单位名录中设置它们的成员。",
		p.TaskCount, strings.Join(duban.OwnerNames(missing), "、"))
}
