package review

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// The office keeps the directory on the web as on the command line: units
// added, renamed, given a kind, aliases and members, merged; leaders added,
// given their post and their place in lists. Each form calls the service
// the command line calls, so that the rules and the audit log are one. The
// lists and pages of units and leaders are shown to many alike (cached), so
// the forms are on pages of their own.

// directoryEditRoutes are the office's forms for the directory.
func (s *server) directoryEditRoutes() []web.Route {
	const units, leaders = "管理单位名录", "管理领导名录"
	allow := duban.CanManageDirectory
	return []web.Route{
		{Method: "GET", Pattern: "/units/new", Allow: allow, Action: units, Handler: s.newUnitForm},
		{Method: "POST", Pattern: "/units", Allow: allow, Action: units, Changes: true, Handler: s.createUnit},
		{Method: "GET", Pattern: "/units/{unit}/edit", Allow: allow, Action: units, Handler: s.editUnitForm},
		{Method: "POST", Pattern: "/units/{unit}", Allow: allow, Action: units, Changes: true, Handler: s.updateUnit},
		{Method: "POST", Pattern: "/units/{unit}/aliases", Allow: allow, Action: units, Changes: true, Handler: s.addUnitAlias},
		{Method: "POST", Pattern: "/units/{unit}/merge", Allow: allow, Action: units, Changes: true, Handler: s.mergeUnit},
		{Method: "POST", Pattern: "/units/{unit}/members", Allow: allow, Action: units, Changes: true, Handler: s.setMembers},
		{Method: "GET", Pattern: "/leaders/new", Allow: allow, Action: leaders, Handler: s.newLeaderForm},
		{Method: "POST", Pattern: "/leaders", Allow: allow, Action: leaders, Changes: true, Handler: s.createLeader},
		{Method: "GET", Pattern: "/leaders/{leader}/edit", Allow: allow, Action: leaders, Handler: s.editLeaderForm},
		{Method: "POST", Pattern: "/leaders/{leader}", Allow: allow, Action: leaders, Changes: true, Handler: s.updateLeader},
	}
}

// refusal is a form the service refused, shown again with what was typed
// and why.
type refusal struct {
	// Form names the refused form of the page (name, alias, merge,
	// members, new).
	Form   string
	Error  string
	Values url.Values
}

// On reports whether the refused form is form.
func (f refusal) On(form string) bool { return f.Form == form }

// Value is what an input of form shows: what was submitted when the form
// comes back refused, otherwise current.
func (f refusal) Value(form, field, current string) string {
	if f.Form == form && f.Values != nil {
		return f.Values.Get(field)
	}
	return current
}

// refused makes the refusal of a form, or returns err when it is not the
// form's to show (not found, forbidden, internal).
func refused(r *http.Request, form string, err error) (refusal, error) {
	if !page.FormError(err) {
		return refusal{}, err
	}
	return refusal{Form: form, Error: duban.ErrorMessage(err), Values: r.PostForm}, nil
}

// unitFormPage adds a unit.
type unitFormPage struct {
	web.Base
	Kinds   []duban.UnitKind
	Refusal refusal
}

func (*unitFormPage) TemplateName() string { return "unit_new.html" }

func (s *server) newUnitForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderNewUnit(w, r, refusal{}, http.StatusOK)
}

func (s *server) renderNewUnit(w http.ResponseWriter, r *http.Request, f refusal, status int) error {
	p := &unitFormPage{Kinds: page.UnitKinds, Refusal: f}
	p.Title = web.Lang(r).T("添加单位")
	return s.RenderStatus(w, r, status, p)
}

// createUnit adds a unit with its aliases; a kind left to guess is guessed
// from the name, as for the names a notice brings.
func (s *server) createUnit(w http.ResponseWriter, r *http.Request) error {
	f := r.PostForm
	u := &duban.Unit{Name: strings.TrimSpace(f.Get("name")), Kind: duban.UnitKind(f.Get("kind")), Aliases: splitNames(f.Get("aliases"))}
	if u.Kind == "" {
		u.Kind = duban.GuessUnitKind(u.Name)
	}
	if err := s.svc.Units.CreateUnit(r.Context(), u); err != nil {
		ref, ferr := refused(r, "new", err)
		if ferr != nil {
			return ferr
		}
		return s.renderNewUnit(w, r, ref, web.ErrorStatus(err))
	}
	return s.Redirect(w, r, unitEditURL(u.ID), web.Lang(r).T("已添加单位“%s”（%s）。", u.Name, web.Lang(r).T(u.Kind.Label())))
}

func unitEditURL(id int64) string { return "/units/" + strconv.FormatInt(id, 10) + "/edit" }

// unitEditPage is a unit's forms: its name and kind, its aliases, a merge
// into another unit, and a group's members.
type unitEditPage struct {
	web.Base
	Unit  *duban.Unit
	Kinds []duban.UnitKind
	// Units are the single units in their own right, for the merge and the
	// members: by kind, in the order they entered the directory.
	Units []*duban.Unit
	// Groups are the other groups, for merging a group.
	Groups []*duban.Unit
	// Scope is what the group's name says it stands for, when it says.
	Scope   duban.GroupScope
	Scoped  bool
	Refusal refusal
}

func (*unitEditPage) TemplateName() string { return "unit_edit.html" }

// Member reports whether unit id is ticked among the group's members: as
// submitted after a refusal, otherwise as the directory has it.
func (p *unitEditPage) Member(id int64) bool {
	if p.Refusal.On("members") {
		return slices.Contains(p.Refusal.Values["member"], strconv.FormatInt(id, 10))
	}
	return slices.Contains(p.Unit.Members, id)
}

// OfKind returns the single units of a kind, for the members' choice.
func (p *unitEditPage) OfKind(k duban.UnitKind) []*duban.Unit {
	var out []*duban.Unit
	for _, u := range p.Units {
		if u.Kind == k {
			out = append(out, u)
		}
	}
	return out
}

// MergeChoices are the units this one may be merged into: of its sort.
func (p *unitEditPage) MergeChoices() []*duban.Unit {
	if p.Unit.Kind == duban.UnitGroup {
		return p.Groups
	}
	return p.Units
}

func (s *server) editUnitForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderEditUnit(w, r, refusal{}, http.StatusOK)
}

func (s *server) renderEditUnit(w http.ResponseWriter, r *http.Request, f refusal, status int) error {
	ctx := r.Context()
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	p := &unitEditPage{Kinds: page.UnitKinds, Refusal: f}
	if p.Unit, err = s.svc.Units.FindUnitByID(ctx, id); err != nil {
		return err
	}
	if p.Unit.MergedInto != 0 {
		return duban.Errorf(duban.ECONFLICT, "单位“%s”已合并到单位 #%d，不能再修改：请修改合并后的单位。", p.Unit.Name, p.Unit.MergedInto)
	}
	units, _, err := s.svc.Units.FindUnits(ctx, duban.UnitFilter{})
	if err != nil {
		return err
	}
	for _, u := range units {
		switch {
		case u.ID == id:
		case u.Kind == duban.UnitGroup:
			p.Groups = append(p.Groups, u)
		default:
			p.Units = append(p.Units, u)
		}
	}
	p.Scope, p.Scoped = duban.ScopeOfGroup(p.Unit.Name)
	p.Title = web.Lang(r).T("修改单位：%s", p.Unit.Name)
	return s.RenderStatus(w, r, status, p)
}

// refuseUnit shows the unit's forms again with the refused one's reason,
// or returns err when it is not the form's to show.
func (s *server) refuseUnit(w http.ResponseWriter, r *http.Request, form string, err error) error {
	ref, ferr := refused(r, form, err)
	if ferr != nil {
		return ferr
	}
	return s.renderEditUnit(w, r, ref, web.ErrorStatus(err))
}

// updateUnit renames a unit (its old name stays an alias) or changes its
// kind: only what differs is changed, so that the history says exactly what.
func (s *server) updateUnit(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	u, err := s.svc.Units.FindUnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	var upd duban.UnitUpdate
	if name := strings.TrimSpace(r.PostForm.Get("name")); name != "" && name != u.Name {
		upd.Name = &name
	}
	if k := duban.UnitKind(r.PostForm.Get("kind")); k != "" && k != u.Kind {
		upd.Kind = &k
	}
	if upd.Name == nil && upd.Kind == nil {
		return s.Redirect(w, r, unitEditURL(id), tr.T("单位“%s”没有改动。", u.Name))
	}
	if u, err = s.svc.Units.UpdateUnit(r.Context(), id, upd); err != nil {
		return s.refuseUnit(w, r, "name", err)
	}
	return s.Redirect(w, r, unitEditURL(id), tr.T("单位“%s”已保存。", u.Name))
}

// addUnitAlias makes another name mean the unit.
func (s *server) addUnitAlias(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	alias := strings.TrimSpace(r.PostForm.Get("alias"))
	u, err := s.svc.Units.AddUnitAlias(r.Context(), id, alias)
	if err != nil {
		return s.refuseUnit(w, r, "alias", err)
	}
	return s.Redirect(w, r, unitEditURL(id), web.Lang(r).T("“%s”已对应到单位“%s”，以后的通知也会这样识别。", alias, u.Name))
}

// mergeUnit merges the unit into the one chosen.
func (s *server) mergeUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	into, err := web.FormID(r, "into", "合并到的单位")
	if err != nil {
		return s.refuseUnit(w, r, "merge", err)
	}
	u, err := s.svc.Units.MergeUnits(r.Context(), id, into)
	if err != nil {
		return s.refuseUnit(w, r, "merge", err)
	}
	return s.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10), web.Lang(r).T("已并入单位“%s”：任务和联络员随之转移，原名称保留为别名。", u.Name))
}

// setMembers sets a group's members: the units ticked, or, by the button
// that says so, every unit of the kind the group's name names.
func (s *server) setMembers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "unit")
	if err != nil {
		return err
	}
	var members []int64
	if fill := duban.UnitKind(r.PostForm.Get("fill")); fill != "" {
		if !fill.Valid() || fill == duban.UnitGroup {
			return s.refuseUnit(w, r, "members", duban.Errorf(duban.EINVALID, "单位类型“%s”不正确：请从页面上选择。", fill))
		}
		units, _, err := s.svc.Units.FindUnits(ctx, duban.UnitFilter{Kind: &fill})
		if err != nil {
			return err
		}
		for _, u := range units {
			members = append(members, u.ID)
		}
	} else {
		for _, v := range r.PostForm["member"] {
			m, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return s.refuseUnit(w, r, "members", duban.Errorf(duban.EINVALID, "表单中的编号“%s”不正确：请从页面上提交。", v))
			}
			members = append(members, m)
		}
	}
	g, err := s.svc.Units.SetGroupMembers(ctx, id, members)
	if err != nil {
		return s.refuseUnit(w, r, "members", err)
	}
	tr := web.Lang(r)
	msg := tr.T("“%s”现有 %d 个成员：写给它的任务，各成员都能看到。", g.Name, len(g.Members))
	if len(g.Members) == 0 {
		msg = tr.T("“%s”现在没有成员：写给它的任务没有单位看得到。", g.Name)
	}
	return s.Redirect(w, r, unitEditURL(id)+"#members", msg)
}

// leaderFormPage adds a leader or corrects one.
type leaderFormPage struct {
	web.Base
	// Leader is the leader corrected; nil for a new one.
	Leader  *duban.Leader
	Refusal refusal
}

func (*leaderFormPage) TemplateName() string { return "leader_edit.html" }

// Value is what an input of the form shows.
func (p *leaderFormPage) Value(field string) string {
	current := ""
	if l := p.Leader; l != nil {
		switch field {
		case "name":
			current = l.Name
		case "title":
			current = l.Title
		case "order":
			if l.Order != 0 {
				current = strconv.Itoa(l.Order)
			}
		}
	}
	return p.Refusal.Value("leader", field, current)
}

func (s *server) newLeaderForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderLeaderForm(w, r, nil, refusal{}, http.StatusOK)
}

func (s *server) editLeaderForm(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathLeader(r)
	if err != nil {
		return err
	}
	return s.renderLeaderForm(w, r, l, refusal{}, http.StatusOK)
}

func (s *server) pathLeader(r *http.Request) (*duban.Leader, error) {
	id, err := web.PathID(r, "leader")
	if err != nil {
		return nil, err
	}
	return s.svc.Leaders.FindLeaderByID(r.Context(), id)
}

func (s *server) renderLeaderForm(w http.ResponseWriter, r *http.Request, l *duban.Leader, f refusal, status int) error {
	p := &leaderFormPage{Leader: l, Refusal: f}
	p.Title = web.Lang(r).T("添加领导")
	if l != nil {
		p.Title = web.Lang(r).T("修改领导：%s", l.Name)
	}
	return s.RenderStatus(w, r, status, p)
}

// leaderOrder reads the order field: empty is 0, no place.
func leaderOrder(r *http.Request) (int, error) {
	v := strings.TrimSpace(r.PostForm.Get("order"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, duban.Errorf(duban.EINVALID, "排序号“%s”不正确：应为整数，小的在前；留空表示不排序。", v)
	}
	return n, nil
}

func (s *server) createLeader(w http.ResponseWriter, r *http.Request) error {
	l := &duban.Leader{Name: r.PostForm.Get("name"), Title: r.PostForm.Get("title")}
	var err error
	if l.Order, err = leaderOrder(r); err == nil {
		err = s.svc.Leaders.CreateLeader(r.Context(), l)
	}
	if err != nil {
		ref, ferr := refused(r, "leader", err)
		if ferr != nil {
			return ferr
		}
		return s.renderLeaderForm(w, r, nil, ref, web.ErrorStatus(err))
	}
	return s.Redirect(w, r, "/leaders", web.Lang(r).T("已添加领导“%s”。", l.Name))
}

func (s *server) updateLeader(w http.ResponseWriter, r *http.Request) error {
	l, err := s.pathLeader(r)
	if err != nil {
		return err
	}
	name, title := r.PostForm.Get("name"), r.PostForm.Get("title")
	order, err := leaderOrder(r)
	if err == nil {
		_, err = s.svc.Leaders.UpdateLeader(r.Context(), l.ID, duban.LeaderUpdate{Name: &name, Title: &title, Order: &order})
	}
	if err != nil {
		ref, ferr := refused(r, "leader", err)
		if ferr != nil {
			return ferr
		}
		return s.renderLeaderForm(w, r, l, ref, web.ErrorStatus(err))
	}
	return s.Redirect(w, r, "/leaders", web.Lang(r).T("领导“%s”已保存。", strings.TrimSpace(name)))
}
