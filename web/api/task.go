package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// apiTaskRoutes are the ledger's tasks: the list with the ledger's filters,
// one task, the office's corrections, and comments.
func (s *server) apiTaskRoutes() []web.Route {
	// The services are reached when a request comes (see apiPlanRoutes).
	tasks := func() duban.TaskService { return s.svc.Tasks }
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/tasks", Allow: duban.CanRead, Action: "查看台账", Handler: s.apiTasks},
		{Method: "GET", Pattern: "/api/v1/tasks/{task}", Allow: duban.CanRead, Action: "查看任务",
			Handler: apiGet("task", func(ctx context.Context, id int64) (*duban.Task, error) { return tasks().FindTaskByID(ctx, id) })},
		{Method: "PATCH", Pattern: "/api/v1/tasks/{task}", Allow: duban.CanReviewPlan, Action: "修改任务", Changes: true,
			Handler: apiDo("task", http.StatusOK, func(ctx context.Context, id int64, upd duban.TaskUpdate) (*duban.Task, error) {
				return tasks().UpdateTask(ctx, id, upd)
			})},
		{Method: "POST", Pattern: "/api/v1/tasks/{task}/split", Allow: duban.CanReviewPlan, Action: "拆分任务", Changes: true,
			Handler: apiDo("task", http.StatusCreated, func(ctx context.Context, id int64, req splitRequest) (splitResponse, error) {
				first, second, err := tasks().SplitTask(ctx, id, req.At)
				return splitResponse{First: first, Second: second}, err
			})},
		{Method: "POST", Pattern: "/api/v1/tasks/{task}/merge", Allow: duban.CanReviewPlan, Action: "合并任务", Changes: true,
			Handler: apiDo("task", http.StatusOK, func(ctx context.Context, id int64, req mergeRequest) (*duban.Task, error) {
				if req.Other <= 0 {
					return nil, duban.Errorf(duban.EINVALID, "请在 other 中给出要并入的任务编号。")
				}
				return tasks().MergeTasks(ctx, id, req.Other)
			})},
		{Method: "GET", Pattern: "/api/v1/tasks/{task}/comments", Allow: duban.CanRead, Action: "查看进展情况与意见",
			Handler: apiListOf(s.readCommentFilter, func(ctx context.Context, f duban.CommentFilter) ([]*duban.Comment, int, error) {
				return s.svc.Comments.FindComments(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/tasks/{task}/comments", Allow: duban.CanComment, Action: "填写进展情况或意见", Changes: true,
			Handler: apiDo("task", http.StatusCreated, func(ctx context.Context, id int64, req commentRequest) (*duban.Comment, error) {
				c := &duban.Comment{TaskID: id, Text: req.Text}
				return c, s.svc.Comments.CreateComment(ctx, c)
			})},
	}
}

// apiTasks lists the tasks the ledger's filter selects. The query is the
// ledger page's (plan, year, section, area, leader, unit, role, targets,
// q, sort, order, page, size), so that a ledger address with /api/v1 put
// before it answers the same tasks; offset and limit page it too.
func (s *server) apiTasks(w http.ResponseWriter, r *http.Request) error {
	return s.apiTaskList(w, r, r.URL.Query())
}

// apiTaskList answers the tasks of a ledger query.
func (s *server) apiTaskList(w http.ResponseWriter, r *http.Request, q url.Values) error {
	if err := checkLedgerQuery(q); err != nil {
		return err
	}
	_, f, err := web.ParseLedgerQuery(q)
	if err != nil {
		return err
	}
	pg, err := readAPIPage(q)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = pg.Offset, pg.Limit
	tasks, total, err := s.svc.Tasks.FindTasks(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, tasks, total, pg)
}

// checkLedgerQuery refuses what the ledger page quietly drops: a page
// resets a stale filter, a script is told of its mistake.
func checkLedgerQuery(q url.Values) error {
	for _, c := range []struct {
		name    string
		allowed []string
	}{
		{"role", []string{"lead", "shared"}},
		{"targets", []string{"yes", "no"}},
		{"order", []string{"asc", "desc"}},
		{"sort", []string{string(duban.TaskSortDeadline), string(duban.TaskSortLeadUnit), string(duban.TaskSortLeader), string(duban.TaskSortUpdated)}},
	} {
		if v := q.Get(c.name); v != "" && !slices.Contains(c.allowed, v) {
			return duban.Errorf(duban.EINVALID, "参数“%s=%s”不正确：应为 %s 之一。", c.name, v, strings.Join(c.allowed, "、"))
		}
	}
	if q.Get("plan") == "" && (q.Get("section") != "" || q.Get("area") != "") {
		return duban.Errorf(duban.EINVALID, "行动（section）和重点领域（area）在文件内编号：请同时给出 plan。")
	}
	if q.Get("section") == "" && q.Get("area") != "" {
		return duban.Errorf(duban.EINVALID, "重点领域（area）在行动内编号：请同时给出 section。")
	}
	if q.Get("unit") == "" && q.Get("role") != "" {
		return duban.Errorf(duban.EINVALID, "参数 role 说明单位的分工：请同时给出 unit。")
	}
	return nil
}

// splitRequest says where to cut a task's text, in characters from 0.
type splitRequest struct {
	At int `json:"at"`
}

// splitResponse is the two tasks a split makes.
type splitResponse struct {
	First  *duban.Task `json:"first"`
	Second *duban.Task `json:"second"`
}

// mergeRequest names the task joined into the task of the path.
type mergeRequest struct {
	Other int64 `json:"other"`
}

// readCommentFilter reads the filter of a task's comments. The task is
// looked up first, so that the comments of a task the caller may not see
// (a draft's) are refused as the task would be.
func (s *server) readCommentFilter(r *http.Request, q url.Values, pg apiPage) (duban.CommentFilter, error) {
	id, err := web.PathID(r, "task")
	if err != nil {
		return duban.CommentFilter{}, err
	}
	_, err = s.svc.Tasks.FindTaskByID(r.Context(), id)
	return duban.CommentFilter{TaskID: &id, Offset: pg.Offset, Limit: pg.Limit}, err
}

// commentRequest is a new comment.
type commentRequest struct {
	Text string `json:"text"`
}
