package page

import (
	"cmp"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// homeRoutes are each person's home, their own account and its password.
func (s *Server) homeRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/{$}", Allow: duban.CanRead, Action: "查看首页", Handler: s.home},
		{Method: "GET", Pattern: "/me", Allow: duban.CanRead, Action: "查看本人账号", Handler: s.me},
		{Method: "POST", Pattern: "/me/password", Allow: duban.CanRead, Action: "修改本人密码", Changes: true, Handler: s.changePassword},
	}
}

// homeTasksLimit is how many tasks of each list a home shows; the rest are
// a click away in the ledger.
const homeTasksLimit = 50

// homePage is what a person meets first, by role: a clerk its unit's
// tasks, a leader the tasks the leader leads by unit, the office what waits
// on it, a viewer the plans in hand. Every list is of published plans: the
// work in hand.
type homePage struct {
	web.Base
	Role duban.Role

	// A clerk's: the unit, the tasks it leads and shares (those addressed to
	// a group it belongs to too), and those groups.
	Unit   *duban.Unit
	Lead   *taskList
	Shared *taskList
	Groups []*duban.Unit
	// Todo is what the unit owes in the open periods (report.go).
	Todo *TodoList

	// A leader's: the leader and the tasks the leader leads, by lead unit.
	Leader      *duban.Leader
	ByUnit      []*unitTasks
	LeaderTotal int
	LeaderAll   string

	// The office's queue: drafts to review, group terms whose tasks reach
	// nobody, the latest progress the units reported.
	Drafts   []*duban.Plan
	Missing  []duban.Owner
	Progress []*duban.Comment
	// TaskNos numbers the tasks the progress is about, by ID.
	TaskNos map[int64]string

	// Everyone's: the tasks in hand due this month and overdue (theirs, or
	// all for the office and viewers), and the plans in hand.
	Due   []dueCount
	Plans []*duban.Plan
	// Empty says the directory holds no plan at all: a fresh install.
	Empty bool
}

func (*homePage) TemplateName() string { return "home.html" }

// unitTasks is a unit with the tasks it leads among a leader's.
type unitTasks struct {
	ID    int64
	Name  string
	Tasks []*duban.Task
	tr    web.Translator
}

// Rows are the rows of the unit's table of tasks.
func (u *unitTasks) Rows() template.HTML { return taskTable{tr: u.tr}.rows(u.Tasks) }

// dueCount is how many tasks in hand a deadline choice selects, with the
// ledger's address listing them.
type dueCount struct {
	Choice duban.DueChoice
	Count  int
	URL    string
}

// progressLimit is how many of the latest progress reports the office's
// home lists.
const progressLimit = 10

// home shows the signed-in person's home.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	tr := web.Lang(r)
	p := &homePage{Role: u.Role, TaskNos: map[int64]string{}}
	p.Title = tr.T("首页")
	published := duban.PlanPublished
	var err error
	if p.Plans, _, err = s.svc.Plans.FindPlans(ctx, duban.PlanFilter{State: &published}); err != nil {
		return err
	}
	_, all, err := s.svc.Plans.FindPlans(ctx, duban.PlanFilter{Limit: 1, WithoutCounts: true})
	if err != nil {
		return err
	}
	p.Empty = all == 0
	if err := s.dueCounts(r, p, u); err != nil {
		return err
	}
	switch u.Role {
	case duban.RoleClerk:
		err = s.clerkHome(r, p, u)
	case duban.RoleLeader:
		err = s.leaderHome(r, p, u)
	case duban.RoleAdmin:
		err = s.officeHome(r, p)
	}
	if err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// dueCounts counts the person's tasks in hand due this month and overdue:
// a clerk's unit's, a leader's, everyone's for the others.
func (s *Server) dueCounts(r *http.Request, p *homePage, u *duban.User) error {
	q := url.Values{"state": {string(duban.PlanPublished)}}
	switch u.Role {
	case duban.RoleClerk:
		q.Set("unit", strconv.FormatInt(u.UnitID, 10))
	case duban.RoleLeader:
		q.Set("leader", strconv.FormatInt(u.LeaderID, 10))
	}
	for _, c := range []duban.DueChoice{duban.DueThisMonth, duban.DueOverdue} {
		q.Set("due", string(c))
		lq, f, err := web.ParseLedgerQuery(q)
		if err != nil {
			return err
		}
		f.Limit = 1
		_, n, err := s.svc.Tasks.FindTasks(r.Context(), f)
		if err != nil {
			return err
		}
		p.Due = append(p.Due, dueCount{Choice: c, Count: n, URL: lq.URL()})
	}
	return nil
}

// clerkHome fills a clerk's home: the unit's tasks in hand, led and shared.
func (s *Server) clerkHome(r *http.Request, p *homePage, u *duban.User) error {
	ctx := r.Context()
	var err error
	if p.Unit, err = s.svc.Units.FindUnitByID(ctx, u.UnitID); err != nil {
		return err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	for _, g := range groups.GroupsOf(u.UnitID) {
		gu, err := s.svc.Units.FindUnitByID(ctx, g)
		if err != nil {
			return err
		}
		p.Groups = append(p.Groups, gu)
	}
	published := duban.PlanPublished
	unit := strconv.FormatInt(u.UnitID, 10)
	for _, l := range []struct {
		role duban.UnitRole
		dst  **taskList
	}{{duban.UnitLeads, &p.Lead}, {duban.UnitShares, &p.Shared}} {
		f := duban.TaskFilter{UnitID: &u.UnitID, UnitRole: l.role, PlanState: &published}
		if *l.dst, err = s.findTaskList(r, f, url.Values{"unit": {unit}, "role": {string(l.role)}}, homeTasksLimit); err != nil {
			return err
		}
	}
	p.Todo, err = s.FindTodo(r, p.Unit)
	return err
}

// leaderHome fills a leader's home: the tasks the leader leads in the plans
// in hand, by their first lead unit.
func (s *Server) leaderHome(r *http.Request, p *homePage, u *duban.User) error {
	ctx := r.Context()
	var err error
	if p.Leader, err = s.svc.Leaders.FindLeaderByID(ctx, u.LeaderID); err != nil {
		return err
	}
	published := duban.PlanPublished
	tasks, total, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{LeaderID: &u.LeaderID, PlanState: &published})
	if err != nil {
		return err
	}
	p.LeaderTotal = total
	p.LeaderAll = "/tasks?" + url.Values{"leader": {strconv.FormatInt(u.LeaderID, 10)}}.Encode()
	p.ByUnit = byLeadUnit(tasks, web.Lang(r))
	return nil
}

// byLeadUnit groups tasks by their first lead unit (or, without one, their
// first responsible unit), the units with most tasks first.
func byLeadUnit(tasks []*duban.Task, tr web.Translator) []*unitTasks {
	var out []*unitTasks
	index := map[string]*unitTasks{}
	for _, t := range tasks {
		key, ut := "", &unitTasks{Name: tr.T("未指定牵头单位"), tr: tr}
		for _, list := range [][]duban.Owner{t.LeadUnits, t.ResponsibleUnits} {
			if len(list) > 0 {
				key, ut.ID, ut.Name = duban.NormalizeName(list[0].Name), list[0].ID, list[0].Name
				break
			}
		}
		if have := index[key]; have != nil {
			ut = have
		} else {
			index[key] = ut
			out = append(out, ut)
		}
		ut.Tasks = append(ut.Tasks, t)
	}
	slices.SortStableFunc(out, func(a, b *unitTasks) int { return cmp.Compare(len(b.Tasks), len(a.Tasks)) })
	return out
}

// officeHome fills the office's home: drafts to review, groups whose tasks
// reach nobody yet, and the latest progress the units reported.
func (s *Server) officeHome(r *http.Request, p *homePage) error {
	ctx := r.Context()
	draft := duban.PlanDraft
	var err error
	if p.Drafts, _, err = s.svc.Plans.FindPlans(ctx, duban.PlanFilter{State: &draft}); err != nil {
		return err
	}
	if len(p.Plans) > 0 {
		published := duban.PlanPublished
		tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanState: &published})
		if err != nil {
			return err
		}
		groups, err := s.svc.Units.FindGroupMembers(ctx)
		if err != nil {
			return err
		}
		p.Missing = duban.MembersMissing(tasks, groups)
	}
	_, n, err := s.svc.Comments.FindComments(ctx, duban.CommentFilter{Limit: 1})
	if err != nil {
		return err
	}
	comments, _, err := s.svc.Comments.FindComments(ctx, duban.CommentFilter{Offset: max(0, n-progressLimit), Limit: progressLimit})
	if err != nil {
		return err
	}
	slices.Reverse(comments)
	for _, c := range comments {
		if c.AuthorRole == duban.RoleClerk {
			p.Progress = append(p.Progress, c)
		}
	}
	for _, c := range p.Progress {
		if _, ok := p.TaskNos[c.TaskID]; ok {
			continue
		}
		t, err := s.svc.Tasks.FindTaskByID(ctx, c.TaskID)
		if err != nil {
			return err
		}
		p.TaskNos[c.TaskID] = t.No
	}
	return nil
}

// Short cuts a text to its opening, for a list.
func (*homePage) Short(text string) string {
	if r := []rune(text); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return text
}

// GroupNames names the groups a clerk's unit belongs to, each in quotes.
func (p *homePage) GroupNames() string {
	names := make([]string, len(p.Groups))
	for i, g := range p.Groups {
		names[i] = "“" + g.Name + "”"
	}
	return strings.Join(names, "")
}

// mePage is the signed-in person's own account: who they are, what they
// are bound to, and the form to change their password.
type mePage struct {
	web.Base
	Unit   *duban.Unit
	Leader *duban.Leader
	// Error is the refusal of the password form, shown beside it.
	Error string
}

func (*mePage) TemplateName() string { return "me.html" }

// me shows the signed-in person's account.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	p, err := s.mePage(r)
	if err != nil {
		return err
	}
	return s.Render(w, r, p)
}

func (s *Server) mePage(r *http.Request) (*mePage, error) {
	ctx := r.Context()
	u := duban.UserFromContext(ctx)
	p := &mePage{}
	p.Title = web.Lang(r).T("我的账号")
	var err error
	if u.UnitID != 0 {
		if p.Unit, err = s.svc.Units.FindUnitByID(ctx, u.UnitID); err != nil {
			return nil, err
		}
	}
	if u.LeaderID != 0 {
		if p.Leader, err = s.svc.Leaders.FindLeaderByID(ctx, u.LeaderID); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// changePassword changes the signed-in person's own password: this
// browser stays signed in, the others are signed out. A refusal is shown
// beside the form.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	f := r.PostForm
	var err error = duban.Errorf(duban.EINVALID, "两次输入的新密码不一致：请重新输入。")
	if f.Get("new_password") == f.Get("repeat_password") {
		err = s.ChangePassword(r, f.Get("current_password"), f.Get("new_password"))
	}
	if err == nil {
		return s.Redirect(w, r, "/me", tr.T("密码已修改；其他地方的登录已退出，API 令牌已吊销。"))
	}
	if !FormError(err) {
		return err
	}
	p, perr := s.mePage(r)
	if perr != nil {
		return perr
	}
	p.Error = duban.ErrorMessage(err)
	return s.RenderStatus(w, r, web.ErrorStatus(err), p)
}
