package api

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// apiPlanRoutes are the plans: reading them, importing a notice, comparing
// and applying a re-issue, publishing and archiving, and the unassigned
// statements and group terms that review decides.
func (s *server) apiPlanRoutes() []web.Route {
	// The services are reached when a request comes rather than when the
	// table is built, since a table built to be checked has none.
	plans := func() duban.PlanService { return s.svc.Plans }
	tasks := func() duban.TaskService { return s.svc.Tasks }
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/plans", Allow: duban.CanRead, Action: "查看文件",
			Handler: apiListOf(readPlanFilter, func(ctx context.Context, f duban.PlanFilter) ([]*duban.Plan, int, error) {
				return plans().FindPlans(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/plans", Allow: duban.CanImportPlan, Action: "导入通知", Changes: true, MaxBody: web.MaxUpload, Handler: s.apiImportPlan},
		{Method: "GET", Pattern: "/api/v1/plans/{plan}", Allow: duban.CanRead, Action: "查看文件",
			Handler: apiGet("plan", func(ctx context.Context, id int64) (*duban.Plan, error) { return plans().FindPlanByID(ctx, id) })},
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/source", Allow: duban.CanRead, Action: "查看通知原文", Handler: s.apiPlanSource},
		{Method: "POST", Pattern: "/api/v1/plans/{plan}/diff", Allow: duban.CanReviewPlan, Action: "比较更正通知", Changes: true, MaxBody: web.MaxUpload,
			Handler: s.apiUpload(func(ctx context.Context, id int64, in duban.ImportInput) (*duban.PlanDiff, error) {
				return plans().DiffPlan(ctx, id, in.Reading)
			})},
		{Method: "POST", Pattern: "/api/v1/plans/{plan}/reissue", Allow: duban.CanReviewPlan, Action: "应用更正通知", Changes: true, MaxBody: web.MaxUpload,
			Handler: s.apiUpload(func(ctx context.Context, id int64, in duban.ImportInput) (*duban.PlanDiff, error) {
				return plans().ReissuePlan(ctx, id, in)
			})},
		{Method: "POST", Pattern: "/api/v1/plans/{plan}/publish", Allow: duban.CanReviewPlan, Action: "发布文件", Changes: true,
			Handler: apiDo("plan", http.StatusOK, s.publishPlan)},
		{Method: "POST", Pattern: "/api/v1/plans/{plan}/archive", Allow: duban.CanReviewPlan, Action: "归档文件", Changes: true,
			Handler: apiDo("plan", http.StatusOK, func(ctx context.Context, id int64, _ struct{}) (*duban.Plan, error) {
				return plans().ArchivePlan(ctx, id)
			})},
		{Method: "POST", Pattern: "/api/v1/plans/{plan}/expand", Allow: duban.CanReviewPlan, Action: "展开统称", Changes: true, Handler: s.apiExpandGroup},
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/statements", Allow: duban.CanRead, Action: "查看无人认领的段落",
			Handler: apiListOf(s.readStatementFilter, func(ctx context.Context, f duban.StatementFilter) ([]*duban.Statement, int, error) {
				return tasks().FindStatements(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/statements/{statement}/assign", Allow: duban.CanReviewPlan, Action: "分配表述", Changes: true,
			Handler: apiDo("statement", http.StatusCreated, func(ctx context.Context, id int64, a duban.StatementAssignment) (*duban.Task, error) {
				return tasks().AssignStatement(ctx, id, a)
			})},
		{Method: "POST", Pattern: "/api/v1/statements/{statement}/dismiss", Allow: duban.CanReviewPlan, Action: "处理无人认领的段落", Changes: true,
			Handler: apiDo("statement", http.StatusOK, func(ctx context.Context, id int64, d dismissRequest) (*duban.Statement, error) {
				return tasks().DismissStatement(ctx, id, d.Note)
			})},
	}
}

// readPlanFilter reads a list of plans' filter: ?year=, ?state=, ?region=
// and ?doc_number=.
func readPlanFilter(r *http.Request, q url.Values, pg apiPage) (duban.PlanFilter, error) {
	f := duban.PlanFilter{Offset: pg.Offset, Limit: pg.Limit}
	if y, err := web.QueryYear(q); err != nil {
		return f, err
	} else if y != 0 {
		f.Year = &y
	}
	if v := q.Get("state"); v != "" {
		st := duban.PlanState(v)
		if !st.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 draft、published 或 archived。", v)
		}
		f.State = &st
	}
	if v := strings.TrimSpace(q.Get("region")); v != "" {
		f.Region = &v
	}
	if v := strings.TrimSpace(q.Get("doc_number")); v != "" {
		f.DocNumber = &v
	}
	return f, nil
}

// readStatementFilter reads the filter of a plan's unassigned statements,
// by ?state=. The plan is looked up first, so that an unknown plan is a 404
// rather than an empty list, and a draft's statements are refused as the
// draft is.
func (s *server) readStatementFilter(r *http.Request, q url.Values, pg apiPage) (duban.StatementFilter, error) {
	f := duban.StatementFilter{Offset: pg.Offset, Limit: pg.Limit}
	id, err := web.PathID(r, "plan")
	if err != nil {
		return f, err
	}
	f.PlanID = &id
	if v := q.Get("state"); v != "" {
		st := duban.StatementState(v)
		if st != duban.StatementOpen && st != duban.StatementAssigned && st != duban.StatementDismissed {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 open、assigned 或 dismissed。", v)
		}
		f.State = &st
	}
	_, err = s.svc.Plans.FindPlanByID(r.Context(), id)
	return f, err
}

// dismissRequest says why a statement needs no owner.
type dismissRequest struct {
	Note string `json:"note,omitempty"`
}

// apiPlanSource answers the latest notice file imported for a plan, as it
// was uploaded, with its issue and hash in headers.
func (s *server) apiPlanSource(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	src, err := s.svc.Plans.FindPlanSource(r.Context(), id)
	if err != nil {
		return err
	}
	ct := mime.TypeByExtension(path.Ext(src.Name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": src.Name}))
	h.Set("Content-Length", strconv.Itoa(len(src.Data)))
	h.Set("X-Duban-Issue", strconv.Itoa(src.Issue))
	h.Set("X-Duban-SHA256", src.SHA256)
	w.Write(src.Data)
	return nil
}

// apiImportPlan imports a notice: a new draft plan (201), the same file
// again (200, nothing new), or a new issue of a stored plan (200, with the
// changes that POST …/reissue applies).
func (s *server) apiImportPlan(w http.ResponseWriter, r *http.Request) error {
	in, err := web.ReadNoticeUpload(r)
	if err != nil {
		return err
	}
	res, err := s.svc.Plans.ImportPlan(r.Context(), in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Outcome == duban.ImportCreated {
		status = http.StatusCreated
	}
	web.WriteJSON(w, status, res)
	return nil
}

// apiUpload makes the handler of a route that compares or applies a
// corrected notice the request carries to the plan of the path. A notice
// that states no year is the plan's year's, as on the review page.
func (s *server) apiUpload(act func(ctx context.Context, id int64, in duban.ImportInput) (*duban.PlanDiff, error)) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "plan")
		if err != nil {
			return err
		}
		p, err := s.svc.Plans.FindPlanByID(r.Context(), id)
		if err != nil {
			return err
		}
		in, err := web.ReadNoticeUpload(r)
		if err != nil {
			return err
		}
		web.SameYear(in.Reading, p)
		v, err := act(r.Context(), id, in)
		if err != nil {
			return err
		}
		return apiOK(w, v)
	}
}

// apiExpandGroup replaces a group term in a plan's tasks by the units it
// stands for, and answers the tasks changed.
func (s *server) apiExpandGroup(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	var exp duban.GroupExpansion
	if err := decodeJSON(r, &exp); err != nil {
		return err
	}
	if exp.PlanID != 0 && exp.PlanID != id {
		return duban.Errorf(duban.EINVALID, "请求体中的 plan_id %d 与地址中的文件 #%d 不同。", exp.PlanID, id)
	}
	exp.PlanID = id
	tasks, err := s.svc.Tasks.ExpandGroup(r.Context(), exp)
	if err != nil {
		return err
	}
	return writeList(w, tasks, len(tasks), apiPage{Limit: len(tasks)})
}

// publishedPlan is what publishing answers: the plan, and the group terms
// its tasks are addressed to that reach no unit yet, which the office must
// give members before those tasks are anyone's.
type publishedPlan struct {
	Plan                 *duban.Plan `json:"plan"`
	GroupsWithoutMembers []string    `json:"groups_without_members"`
}

// publishPlan publishes a plan and names the groups it leaves without
// members.
func (s *server) publishPlan(ctx context.Context, id int64, _ struct{}) (*publishedPlan, error) {
	p, err := s.svc.Plans.PublishPlan(ctx, id)
	if err != nil {
		return nil, err
	}
	missing, err := duban.PlanMembersMissing(ctx, s.svc.Tasks, s.svc.Units, id)
	if err != nil {
		return nil, err
	}
	return &publishedPlan{Plan: p, GroupsWithoutMembers: duban.OwnerNames(missing)}, nil
}
