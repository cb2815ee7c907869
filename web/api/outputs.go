package api

import (
	"context"
	"mime"
	"net/http"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/export"
	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/xlsx"
)

// apiOutputRoutes are the cycle's outputs: a plan's overview, the files
// (task table, progress book, fill-in workbook, bulletin) with the fill-in's
// upload, the bulletin's words and what a plan shows the public.
func (s *server) apiOutputRoutes() []web.Route {
	bulletins := func() cycle.BulletinService { return s.svc.Bulletins }
	publications := func() cycle.PublicationService { return s.svc.Publications }
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/overview", Allow: duban.CanRead, Action: "查看一屏统览", Handler: s.apiOverview},
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/tasktable.xlsx", Allow: duban.CanRead, Action: "导出任务分解表", Handler: s.apiTaskTable},
		{Method: "GET", Pattern: "/api/v1/periods/{period}/progress.xlsx", Allow: duban.CanRead, Action: "导出进展台账",
			Handler: s.apiFile(func(ctx context.Context, r *http.Request, id int64) (*export.File, error) {
				return export.ProgressBook(ctx, s.Exports(), export.ProgressQuery{PeriodIDs: []int64{id}})
			})},
		{Method: "GET", Pattern: "/api/v1/periods/{period}/fillin.xlsx", Allow: cycle.CanFillInAny, Action: "下载填报表",
			Handler: s.apiFile(func(ctx context.Context, r *http.Request, id int64) (*export.File, error) {
				unit, err := unitParam(r)
				if err != nil {
					return nil, err
				}
				return export.FillInBook(ctx, s.Exports(), id, unit)
			})},
		{Method: "POST", Pattern: "/api/v1/periods/{period}/fillin", Allow: cycle.CanFillInAny, Action: "上传填报表", Changes: true,
			MaxBody: xlsx.MaxUpload + 1<<20, Handler: s.apiFillIn},
		{Method: "GET", Pattern: "/api/v1/periods/{period}/bulletin", Allow: duban.CanRead, Action: "查看通报",
			Handler: apiGet("period", func(ctx context.Context, id int64) (*cycle.Bulletin, error) {
				return export.Bulletin(ctx, s.Exports(), id)
			})},
		{Method: "PATCH", Pattern: "/api/v1/periods/{period}/bulletin", Allow: cycle.CanWriteBulletin, Action: "编辑通报", Changes: true,
			Handler: apiDo("period", http.StatusOK, func(ctx context.Context, id int64, upd cycle.BulletinTextUpdate) (*cycle.BulletinText, error) {
				return bulletins().UpdateBulletinText(ctx, id, upd)
			})},
		{Method: "GET", Pattern: "/api/v1/periods/{period}/bulletin.docx", Allow: duban.CanRead, Action: "下载通报",
			Handler: s.apiFile(func(ctx context.Context, r *http.Request, id int64) (*export.File, error) {
				return export.BulletinFile(ctx, s.Exports(), id)
			})},
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/publication", Allow: duban.CanRead, Action: "查看公开设置",
			Handler: apiGet("plan", func(ctx context.Context, id int64) (*cycle.Publication, error) {
				return publications().FindPublication(ctx, id)
			})},
		{Method: "PATCH", Pattern: "/api/v1/plans/{plan}/publication", Allow: cycle.CanPublish, Action: "设置政务公开", Changes: true,
			Handler: apiDo("plan", http.StatusOK, func(ctx context.Context, id int64, upd cycle.PublicationUpdate) (*cycle.Publication, error) {
				return publications().UpdatePublication(ctx, id, upd)
			})},
	}
}

// apiOverview answers a plan's overview: of ?period=, or of its latest
// period with lights.
func (s *server) apiOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	ff := cycle.FiguresFilter{PlanID: id}
	if period, err := optionalID(r.URL.Query(), "period"); err != nil {
		return err
	} else if period != nil {
		ff.PeriodID = *period
	}
	p, err := s.svc.Plans.FindPlanByID(ctx, id)
	if err != nil {
		return err
	}
	tasks, _, err := s.svc.Tasks.FindTasks(ctx, duban.TaskFilter{PlanID: &id})
	if err != nil {
		return err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	var leader int64
	if u := duban.UserFromContext(ctx); u.Role == duban.RoleLeader {
		leader = u.LeaderID
	}
	// The reasons of the leader's own tasks only, which the overview lists.
	ix := cycle.NewPlanIndex(p, tasks, groups)
	ff.Reasons = ix.LedBy(leader)
	f, err := s.svc.Overview.FindFigures(ctx, ff)
	if err != nil {
		return err
	}
	return apiOK(w, ix.Overview(f, leader))
}

// apiTaskTable answers a plan's task table, filtered by ?unit= or
// ?leader=.
func (s *server) apiTaskTable(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	q := export.TaskTableQuery{PlanID: id}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"unit", &q.UnitID}, {"leader", &q.LeaderID}} {
		v, err := optionalID(r.URL.Query(), p.name)
		if err != nil {
			return err
		}
		if v != nil {
			*p.dst = *v
		}
	}
	f, err := export.TaskTable(r.Context(), s.Exports(), q)
	if err != nil {
		return err
	}
	return web.Download(w, f.Name, f.ContentType, f.Write)
}

// apiFile makes the handler of a route that answers a file made for the
// thing of its {period} wildcard.
func (s *server) apiFile(make func(ctx context.Context, r *http.Request, id int64) (*export.File, error)) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, "period")
		if err != nil {
			return err
		}
		f, err := make(r.Context(), r, id)
		if err != nil {
			return err
		}
		return web.Download(w, f.Name, f.ContentType, f.Write)
	}
}

// unitParam reads ?unit=, or the clerk's own unit.
func unitParam(r *http.Request) (int64, error) {
	v, err := optionalID(r.URL.Query(), "unit")
	if err != nil {
		return 0, err
	}
	if v != nil {
		return *v, nil
	}
	if u := duban.UserFromContext(r.Context()); u.UnitID != 0 {
		return u.UnitID, nil
	}
	return 0, duban.Errorf(duban.EINVALID, "请用参数 unit 指明填报的单位。")
}

// apiFillIn reads an uploaded workbook (the body, or a multipart form's
// "file") and, when every row is right, saves its changed rows as the
// unit's reports; a workbook with errors is refused with every error's row
// and column, and nothing saved.
func (s *server) apiFillIn(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "period")
	if err != nil {
		return err
	}
	unit, err := unitParam(r)
	if err != nil {
		return err
	}
	body := r.Body
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		f, _, err := r.FormFile("file")
		if err != nil {
			return duban.Errorf(duban.EINVALID, "表单中没有填报表：请在字段“file”中上传。")
		}
		defer f.Close()
		body = f
	}
	res, err := export.ApplyFillIn(r.Context(), s.Exports(), id, unit, body)
	if err != nil {
		return err
	}
	if err := res.Err(); err != nil {
		return err
	}
	return apiOK(w, res)
}
