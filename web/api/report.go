package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// apiCycleRoutes are the reporting cycle: a plan's settings and periods, the
// office's calendar, what units owe, reports with their versions (changed
// with If-Match on the version their ETag names), evidence files, lights,
// and requests to close tasks.
func (s *server) apiCycleRoutes() []web.Route {
	// The services are reached when a request comes (see apiPlanRoutes).
	periods := func() cycle.PeriodService { return s.svc.Periods }
	reports := func() cycle.ReportService { return s.svc.Reports }
	upload, tooLarge := s.EvidenceBody(), s.EvidenceTooLarge()
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/cycle", Allow: duban.CanRead, Action: "查看填报设置",
			Handler: apiGet("plan", func(ctx context.Context, id int64) (*cycle.CycleSettings, error) {
				return periods().FindCycleSettings(ctx, id)
			})},
		{Method: "PATCH", Pattern: "/api/v1/plans/{plan}/cycle", Allow: cycle.CanManagePeriods, Action: "修改填报设置", Changes: true,
			Handler: apiDo("plan", http.StatusOK, func(ctx context.Context, id int64, upd cycle.CycleSettingsUpdate) (*cycle.CycleSettings, error) {
				return periods().UpdateCycleSettings(ctx, id, upd)
			})},
		{Method: "GET", Pattern: "/api/v1/plans/{plan}/periods", Allow: duban.CanRead, Action: "查看填报周期",
			Handler: apiListOf(readPeriodFilter, func(ctx context.Context, f cycle.PeriodFilter) ([]*cycle.Period, int, error) {
				return periods().FindPeriods(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/plans/{plan}/periods", Allow: cycle.CanManagePeriods, Action: "生成填报周期", Changes: true,
			Handler: apiDo("plan", http.StatusCreated, func(ctx context.Context, id int64, _ struct{}) (apiList[*cycle.Period], error) {
				ps, err := periods().CreatePeriods(ctx, id)
				return apiList[*cycle.Period]{Items: ps, Total: len(ps), Limit: len(ps)}, err
			})},
		{Method: "GET", Pattern: "/api/v1/periods/{period}", Allow: duban.CanRead, Action: "查看填报周期",
			Handler: apiGet("period", func(ctx context.Context, id int64) (*cycle.Period, error) { return periods().FindPeriodByID(ctx, id) })},
		{Method: "PATCH", Pattern: "/api/v1/periods/{period}", Allow: cycle.CanManagePeriods, Action: "开启或关闭填报周期", Changes: true,
			Handler: apiDo("period", http.StatusOK, func(ctx context.Context, id int64, upd cycle.PeriodUpdate) (*cycle.Period, error) {
				return periods().UpdatePeriod(ctx, id, upd)
			})},
		{Method: "GET", Pattern: "/api/v1/calendar", Allow: duban.CanRead, Action: "查看节假日设置", Handler: s.apiCalendar},
		{Method: "POST", Pattern: "/api/v1/calendar", Allow: cycle.CanManageCalendar, Action: "调整节假日", Changes: true,
			Handler: apiDo("", http.StatusCreated, func(ctx context.Context, _ int64, o cycle.CalendarOverride) (*cycle.CalendarOverride, error) {
				return &o, periods().SetCalendarOverride(ctx, &o)
			})},
		{Method: "DELETE", Pattern: "/api/v1/calendar", Allow: cycle.CanManageCalendar, Action: "调整节假日", Changes: true, Handler: s.apiDeleteCalendarDay},

		{Method: "GET", Pattern: "/api/v1/obligations", Allow: duban.CanRead, Action: "查看待报事项", Handler: s.apiObligations},
		{Method: "GET", Pattern: "/api/v1/reports", Allow: duban.CanRead, Action: "查看报告",
			Handler: apiListOf(readReportFilter, func(ctx context.Context, f cycle.ReportFilter) ([]*cycle.Report, int, error) {
				return reports().FindReports(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/reports", Allow: cycle.CanReport, Action: "填报报告", Changes: true, Handler: s.apiCreateReport},
		{Method: "GET", Pattern: "/api/v1/reports/{report}", Allow: duban.CanRead, Action: "查看报告", Handler: s.apiReport},
		{Method: "PATCH", Pattern: "/api/v1/reports/{report}", Allow: cycle.CanReport, Action: "填报报告", Changes: true, Handler: s.apiUpdateReport},
		{Method: "GET", Pattern: "/api/v1/reports/{report}/versions", Allow: duban.CanRead, Action: "查看报告",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				id, err := web.PathID(r, "report")
				if err != nil {
					return err
				}
				vs, err := reports().FindReportVersions(r.Context(), id)
				if err != nil {
					return err
				}
				return writeList(w, vs, len(vs), apiPage{Limit: len(vs)})
			}},
		{Method: "GET", Pattern: "/api/v1/reports/{report}/compare", Allow: duban.CanRead, Action: "查看报告",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				c, err := s.CompareReport(r)
				if err != nil {
					return err
				}
				return apiOK(w, c)
			}},
		{Method: "GET", Pattern: "/api/v1/reports/{report}/files/{file}", Allow: duban.CanRead, Action: "下载附件", Handler: s.ServeReportFile},
		{Method: "POST", Pattern: "/api/v1/evidence", Allow: cycle.CanUploadEvidence, Action: "上传附件", Changes: true,
			MaxBody: upload, TooLarge: tooLarge, Handler: s.apiUploadEvidence},
		{Method: "GET", Pattern: "/api/v1/lights", Allow: duban.CanRead, Action: "查看状态灯",
			Handler: apiListOf(readLightFilter, func(ctx context.Context, f cycle.LightFilter) ([]*cycle.Light, int, error) {
				return s.svc.Lights.FindLights(ctx, f)
			})},
		{Method: "GET", Pattern: "/api/v1/closures", Allow: duban.CanRead, Action: "查看办结申请",
			Handler: apiListOf(readClosureFilter, func(ctx context.Context, f cycle.ClosureFilter) ([]*cycle.Closure, int, error) {
				return reports().FindClosures(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/tasks/{task}/closure", Allow: cycle.CanReport, Action: "申请办结", Changes: true,
			Handler: apiDo("task", http.StatusCreated, func(ctx context.Context, id int64, req closureRequest) (*cycle.Closure, error) {
				files, err := s.evidenceOf(ctx, req.Evidence, nil)
				if err != nil {
					return nil, err
				}
				c := &cycle.Closure{TaskID: id, Note: req.Note, Evidence: files}
				return c, reports().CreateClosure(ctx, c)
			})},
		{Method: "PATCH", Pattern: "/api/v1/closures/{closure}", Allow: cycle.CanCloseTask, Action: "审核办结申请", Changes: true,
			Handler: apiDo("closure", http.StatusOK, func(ctx context.Context, id int64, upd cycle.ClosureUpdate) (*cycle.Closure, error) {
				return reports().UpdateClosure(ctx, id, upd)
			})},
		{Method: "GET", Pattern: "/api/v1/closures/{closure}/files/{file}", Allow: duban.CanRead, Action: "下载附件", Handler: s.ServeClosureFile},
	}
}

// idParam is an optional ID of a query and where it goes.
type idParam struct {
	name string
	dst  **int64
}

// readIDs reads optional IDs of a query, in order.
func readIDs(q url.Values, params ...idParam) error {
	for _, p := range params {
		v, err := optionalID(q, p.name)
		if err != nil {
			return err
		}
		*p.dst = v
	}
	return nil
}

// readPeriodFilter reads a plan's periods' filter: ?state=.
func readPeriodFilter(r *http.Request, q url.Values, pg apiPage) (cycle.PeriodFilter, error) {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return cycle.PeriodFilter{}, err
	}
	f := cycle.PeriodFilter{PlanID: &id, Offset: pg.Offset, Limit: pg.Limit}
	if v := q.Get("state"); v != "" {
		st := cycle.PeriodState(v)
		if st != cycle.PeriodPending && st != cycle.PeriodOpen && st != cycle.PeriodClosed {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 pending、open 或 closed。", v)
		}
		f.State = &st
	}
	return f, nil
}

// apiCalendar lists the office's overrides of a year (?year=), or of all.
func (s *server) apiCalendar(w http.ResponseWriter, r *http.Request) error {
	var f cycle.CalendarFilter
	if y, err := web.QueryInt(r.URL.Query(), "year"); err != nil {
		return err
	} else if y != nil {
		year := int(*y)
		f.Year = &year
	}
	list, err := s.svc.Periods.FindCalendarOverrides(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, len(list), apiPage{Limit: len(list)})
}

// apiDeleteCalendarDay removes the override of the day ?date= names.
func (s *server) apiDeleteCalendarDay(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query().Get("date")
	d, err := duban.ParseDate(v)
	if err != nil {
		return duban.Errorf(duban.EINVALID, "参数“date=%s”不正确：应为 2028-10-01 这样的日期。", v)
	}
	if err := s.svc.Periods.DeleteCalendarOverride(r.Context(), d); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiObligations lists what units owe in a plan's begun periods or in one
// period; a clerk's, its unit's.
func (s *server) apiObligations(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f cycle.ObligationFilter
	var err error
	if err = readIDs(q, idParam{"plan", &f.PlanID}, idParam{"period", &f.PeriodID}, idParam{"unit", &f.UnitID}, idParam{"task", &f.TaskID}); err != nil {
		return err
	}
	switch v := q.Get("open"); v {
	case "yes":
		f.Open = true
	case "", "no":
	default:
		return duban.Errorf(duban.EINVALID, "参数“open=%s”不正确：应为 yes 或 no。", v)
	}
	list, err := s.svc.Reminders.FindObligations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, list, len(list), apiPage{Limit: len(list)})
}

// readReportFilter reads the reports' filter: plan, period, task, unit,
// kind, state.
func readReportFilter(r *http.Request, q url.Values, pg apiPage) (cycle.ReportFilter, error) {
	f := cycle.ReportFilter{Offset: pg.Offset, Limit: pg.Limit}
	var err error
	if err = readIDs(q, idParam{"plan", &f.PlanID}, idParam{"period", &f.PeriodID}, idParam{"task", &f.TaskID}, idParam{"unit", &f.UnitID}); err != nil {
		return f, err
	}
	if v := q.Get("kind"); v != "" {
		k := cycle.ReportKind(v)
		if !k.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“kind=%s”不正确：应为 part 或 task。", v)
		}
		f.Kind = &k
	}
	if v := q.Get("state"); v != "" {
		st := cycle.ReportState(v)
		if !st.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 draft、submitted、returned、resubmitted 或 accepted。", v)
		}
		f.State = &st
	}
	return f, nil
}

// readLightFilter reads the lights' filter: plan, period, task, status,
// latest=yes.
func readLightFilter(r *http.Request, q url.Values, pg apiPage) (cycle.LightFilter, error) {
	f := cycle.LightFilter{Offset: pg.Offset, Limit: pg.Limit, Latest: q.Get("latest") == "yes"}
	var err error
	if err = readIDs(q, idParam{"plan", &f.PlanID}, idParam{"period", &f.PeriodID}, idParam{"task", &f.TaskID}); err != nil {
		return f, err
	}
	if v := q.Get("status"); v != "" {
		st := cycle.LightStatus(v)
		if !st.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“status=%s”不正确：应为 closed、done、normal、lagging、severe、missing 或 not_started。", v)
		}
		f.Status = &st
	}
	return f, nil
}

// readClosureFilter reads the requests' filter: plan, task, state.
func readClosureFilter(r *http.Request, q url.Values, pg apiPage) (cycle.ClosureFilter, error) {
	f := cycle.ClosureFilter{Offset: pg.Offset, Limit: pg.Limit}
	var err error
	if err = readIDs(q, idParam{"plan", &f.PlanID}, idParam{"task", &f.TaskID}); err != nil {
		return f, err
	}
	if v := q.Get("state"); v != "" {
		st := cycle.ClosureState(v)
		if st != cycle.ClosureRequested && st != cycle.ClosureClosed && st != cycle.ClosureDeclined {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 requested、closed 或 declined。", v)
		}
		f.State = &st
	}
	return f, nil
}

// reportRequest is a report's first version from a script. The unit and
// kind follow from who writes (a clerk's own unit; the office's choice,
// the composing unit by default); evidence names uploaded files by hash.
type reportRequest struct {
	PeriodID   int64             `json:"period_id"`
	TaskID     int64             `json:"task_id"`
	UnitID     int64             `json:"unit_id,omitempty"`
	State      cycle.ReportState `json:"state,omitempty"`
	Progress   string            `json:"progress"`
	Completion int               `json:"completion"`
	// Actuals are the texts typed for the task's targets, in their order.
	Actuals   []string `json:"actuals,omitempty"`
	Problems  string   `json:"problems,omitempty"`
	NextSteps string   `json:"next_steps,omitempty"`
	Evidence  []string `json:"evidence,omitempty"`
}

// reportPatch changes a report from the version If-Match names: content
// fields set if given, a step (submitted, resubmitted; accepted or
// returned with return_reason by the office).
type reportPatch struct {
	Progress     *string            `json:"progress,omitempty"`
	Completion   *int               `json:"completion,omitempty"`
	Actuals      *[]string          `json:"actuals,omitempty"`
	Problems     *string            `json:"problems,omitempty"`
	NextSteps    *string            `json:"next_steps,omitempty"`
	Evidence     *[]string          `json:"evidence,omitempty"`
	State        *cycle.ReportState `json:"state,omitempty"`
	ReturnReason *string            `json:"return_reason,omitempty"`
}

// closureRequest asks for a task to be closed, with uploaded files.
type closureRequest struct {
	Note     string   `json:"note"`
	Evidence []string `json:"evidence,omitempty"`
}

// evidenceOf resolves hashes of uploaded files to their references, a
// report's own where it has them.
func (s *server) evidenceOf(ctx context.Context, shas []string, r *cycle.Report) ([]cycle.EvidenceRef, error) {
	out := []cycle.EvidenceRef{}
	for _, sha := range shas {
		sha = strings.ToLower(strings.TrimSpace(sha))
		if r != nil {
			if i := slices.IndexFunc(r.Evidence, func(e cycle.EvidenceRef) bool { return e.SHA256 == sha }); i >= 0 {
				out = append(out, r.Evidence[i])
				continue
			}
		}
		e, err := s.svc.Evidence.FindEvidence(ctx, sha)
		if err != nil {
			return nil, err
		}
		out = append(out, e.EvidenceRef)
	}
	return out, nil
}

// etag is the entity tag of a thing's version (a report's, a 督办单's).
func etag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// writeReport answers a report with its ETag.
func writeReport(w http.ResponseWriter, status int, r *cycle.Report) error {
	w.Header().Set("ETag", etag(r.Version))
	web.WriteJSON(w, status, r)
	return nil
}

// ifMatch reads the version an If-Match header names ("v3", as ETag gives
// it) of a thing (报告, 督办单): 428 without one, since a change must say
// what it was made from.
func ifMatch(r *http.Request, what string, current func() (int, error)) (int, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	switch {
	case v == "":
		return 0, duban.Errorf(duban.EPRECONDREQUIRED, "修改%s须在 If-Match 头中给出所依据的版本（GET 时 ETag 头的值，如 \"v3\"），以免覆盖他人的修改。", what)
	case v == "*":
		return current()
	}
	tag := strings.Trim(strings.TrimPrefix(v, "W/"), `"`)
	n, err := strconv.Atoi(strings.TrimPrefix(tag, "v"))
	if err != nil || n < 1 || !strings.HasPrefix(tag, "v") {
		return 0, duban.Errorf(duban.EINVALID, "If-Match 头“%s”不正确：应为%s的 ETag，如 \"v3\"。", v, what)
	}
	return n, nil
}

// stale turns a save refused for another's into a failed precondition,
// with the same message naming who saved first and when.
func stale(err error) error {
	if duban.ErrorCode(err) == duban.ECONFLICT && errors.Is(err, duban.ErrStale) {
		return &duban.Error{Code: duban.EPRECONDITION, Message: duban.ErrorMessage(err), Err: err}
	}
	return err
}

// apiReport answers a report with its version's ETag.
func (s *server) apiReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "report")
	if err != nil {
		return err
	}
	rep, err := s.svc.Reports.FindReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeReport(w, http.StatusOK, rep)
}

// apiCreateReport saves a report's first version.
func (s *server) apiCreateReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var req reportRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if req.TaskID <= 0 || req.PeriodID <= 0 {
		return duban.Errorf(duban.EINVALID, "请给出 task_id 和 period_id（开放填报的周期见 GET /api/v1/plans/{plan}/periods?state=open）。")
	}
	t, err := s.svc.Tasks.FindTaskByID(ctx, req.TaskID)
	if err != nil {
		return err
	}
	groups, err := s.svc.Units.FindGroupMembers(ctx)
	if err != nil {
		return err
	}
	rep := &cycle.Report{PeriodID: req.PeriodID, TaskID: req.TaskID, State: req.State, Progress: req.Progress,
		Completion: req.Completion, Problems: req.Problems, NextSteps: req.NextSteps}
	rep.UnitID, rep.Kind = cycle.WriterOf(duban.UserFromContext(ctx), t, req.UnitID, groups)
	if rep.State == "" {
		rep.State = cycle.ReportDraft
	}
	for i, text := range req.Actuals {
		if strings.TrimSpace(text) != "" {
			rep.Actuals = append(rep.Actuals, cycle.Actual{Indicator: i, Text: text})
		}
	}
	if rep.Evidence, err = s.evidenceOf(ctx, req.Evidence, nil); err != nil {
		return err
	}
	if err := s.svc.Reports.CreateReport(ctx, rep); err != nil {
		return err
	}
	return writeReport(w, http.StatusCreated, rep)
}

// apiUpdateReport saves a new version from the one If-Match names: 428
// without it, 412 when another saved since.
func (s *server) apiUpdateReport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "report")
	if err != nil {
		return err
	}
	// The report is read first, so that one the caller may not see is
	// refused as such before anything is said of versions.
	rep, err := s.svc.Reports.FindReportByID(ctx, id)
	if err != nil {
		return err
	}
	version, err := ifMatch(r, "报告", func() (int, error) { return rep.Version, nil })
	if err != nil {
		return err
	}
	var req reportPatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	upd := cycle.ReportUpdate{Progress: req.Progress, Completion: req.Completion, Actuals: req.Actuals, Problems: req.Problems,
		NextSteps: req.NextSteps, State: req.State, ReturnReason: req.ReturnReason, Version: version}
	if req.Evidence != nil {
		files, err := s.evidenceOf(ctx, *req.Evidence, rep)
		if err != nil {
			return err
		}
		upd.Evidence = &files
	}
	saved, err := s.svc.Reports.UpdateReport(ctx, id, upd)
	if err != nil {
		return stale(err)
	}
	return writeReport(w, http.StatusOK, saved)
}

// apiUploadEvidence keeps the files of a multipart form's "files" field
// and answers their references, whose hashes a report then names.
func (s *server) apiUploadEvidence(w http.ResponseWriter, r *http.Request) error {
	refs, err := s.ReadEvidence(r, web.EvidenceField)
	if err != nil {
		return err
	}
	if len(refs) == 0 {
		return duban.Errorf(duban.EINVALID, "请在 multipart/form-data 的字段“%s”中上传文件（每个不超过 %s，一次最多 %d 个）。",
			web.EvidenceField, s.EvidenceLimit(), web.MaxEvidenceFiles)
	}
	web.WriteJSON(w, http.StatusCreated, apiList[cycle.EvidenceRef]{Items: refs, Total: len(refs), Limit: len(refs)})
	return nil
}
