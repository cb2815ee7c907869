package api

import (
	"context"
	"net/http"
	"net/url"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// apiSupervisionRoutes are the supervision notices (督办单), the urges
// (催办) and the caller's notifications.
func (s *server) apiSupervisionRoutes() []web.Route {
	// The services are reached when a request comes (see apiPlanRoutes).
	svs := func() cycle.SupervisionService { return s.svc.Supervisions }
	reminders := func() cycle.ReminderService { return s.svc.Reminders }
	bell := func() cycle.NotificationService { return s.svc.Notifications }
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/supervisions", Allow: duban.CanRead, Action: "查看督办单",
			Handler: apiListOf(readSupervisionFilter, func(ctx context.Context, f cycle.SupervisionFilter) ([]*cycle.Supervision, int, error) {
				return svs().FindSupervisions(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/supervisions", Allow: cycle.CanSupervise, Action: "下发督办单", Changes: true,
			Handler: apiDo("", http.StatusCreated, func(ctx context.Context, _ int64, req supervisionRequest) (*cycle.Supervision, error) {
				sv := &cycle.Supervision{TaskIDs: req.TaskIDs, UnitID: req.UnitID, Reason: req.Reason, Requirement: req.Requirement,
					Due: req.Due, RepeatOf: req.RepeatOf}
				return sv, svs().CreateSupervision(ctx, sv)
			})},
		{Method: "GET", Pattern: "/api/v1/supervisions/{supervision}", Allow: duban.CanRead, Action: "查看督办单", Handler: s.apiSupervision},
		{Method: "PATCH", Pattern: "/api/v1/supervisions/{supervision}", Allow: cycle.CanAnswerSupervisions, Action: "办理督办单",
			Changes: true, Handler: s.apiUpdateSupervision},

		{Method: "GET", Pattern: "/api/v1/urges", Allow: duban.CanRead, Action: "查看催办记录",
			Handler: apiListOf(readUrgeFilter, func(ctx context.Context, f cycle.UrgeFilter) ([]*cycle.Urge, int, error) {
				return reminders().FindUrges(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/urges", Allow: cycle.CanUrge, Action: "催办", Changes: true,
			Handler: apiDo("", http.StatusCreated, func(ctx context.Context, _ int64, req urgeRequest) (*cycle.Urge, error) {
				ug := &cycle.Urge{TaskID: req.TaskID, UnitID: req.UnitID, PlanID: req.PlanID, PeriodID: req.PeriodID, Message: req.Message}
				return ug, reminders().CreateUrge(ctx, ug)
			})},
		{Method: "GET", Pattern: "/api/v1/urges/counts", Allow: duban.CanRead, Action: "查看催办记录", Handler: s.apiUrgeCounts},

		{Method: "GET", Pattern: "/api/v1/notifications", Allow: duban.CanRead, Action: "查看通知",
			Handler: apiListOf(readNotificationFilter, func(ctx context.Context, f cycle.NotificationFilter) ([]*cycle.Notification, int, error) {
				return bell().FindNotifications(ctx, f)
			})},
		{Method: "GET", Pattern: "/api/v1/notifications/unread", Allow: duban.CanRead, Action: "查看通知",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				n, err := bell().CountUnreadNotifications(r.Context(), 0)
				if err != nil {
					return err
				}
				return apiOK(w, unreadCount{Unread: n})
			}},
		{Method: "PATCH", Pattern: "/api/v1/notifications/{notification}", Allow: duban.CanRead, Action: "标记通知已读", Changes: true,
			Handler: apiDo("notification", http.StatusOK, func(ctx context.Context, id int64, upd cycle.NotificationUpdate) (*cycle.Notification, error) {
				return bell().UpdateNotification(ctx, id, upd)
			})},
		{Method: "POST", Pattern: "/api/v1/notifications/read-all", Allow: duban.CanRead, Action: "标记通知已读", Changes: true,
			Handler: apiDo("", http.StatusOK, func(ctx context.Context, _ int64, _ struct{}) (markedRead, error) {
				n, err := bell().MarkNotificationsRead(ctx)
				return markedRead{Marked: n}, err
			})},
	}
}

// supervisionRequest is a notice to issue: on tasks of one plan, to their
// lead unit unless another of their units is named; with repeat_of, issued
// again in place of that notice (再督办), its tasks and unit unless given.
type supervisionRequest struct {
	TaskIDs     []int64    `json:"task_ids,omitempty"`
	UnitID      int64      `json:"unit_id,omitempty"`
	Reason      string     `json:"reason"`
	Requirement string     `json:"requirement"`
	Due         duban.Date `json:"due"`
	RepeatOf    int64      `json:"repeat_of,omitempty"`
}

// urgeRequest urges a task (its lead unit unless unit_id names another of
// its units) or a unit in a plan.
type urgeRequest struct {
	TaskID   int64  `json:"task_id,omitempty"`
	UnitID   int64  `json:"unit_id,omitempty"`
	PlanID   int64  `json:"plan_id,omitempty"`
	PeriodID int64  `json:"period_id,omitempty"`
	Message  string `json:"message,omitempty"`
}

// supervisionPatch is a step of a notice: acknowledged, answered (with the
// answer and the hashes of files uploaded to /api/v1/evidence), closed.
type supervisionPatch struct {
	State    *cycle.SupervisionState `json:"state,omitempty"`
	Answer   *string                 `json:"answer,omitempty"`
	Evidence *[]string               `json:"evidence,omitempty"`
}

// unreadCount is the bell's count.
type unreadCount struct {
	Unread int `json:"unread"`
}

// markedRead says how many notifications were marked read.
type markedRead struct {
	Marked int `json:"marked"`
}

// readSupervisionFilter reads a list of notices' filter: ?plan=, ?unit=,
// ?task=, ?year=, ?state= (a state, or open for those not closed).
func readSupervisionFilter(r *http.Request, q url.Values, pg apiPage) (cycle.SupervisionFilter, error) {
	f := cycle.SupervisionFilter{Offset: pg.Offset, Limit: pg.Limit}
	var err error
	if f.PlanID, err = optionalID(q, "plan"); err != nil {
		return f, err
	}
	if f.UnitID, err = optionalID(q, "unit"); err != nil {
		return f, err
	}
	if f.TaskID, err = optionalID(q, "task"); err != nil {
		return f, err
	}
	year, err := optionalID(q, "year")
	if err != nil {
		return f, err
	}
	if year != nil {
		y := int(*year)
		f.Year = &y
	}
	switch v := q.Get("state"); v {
	case "":
	case "open":
		f.Open = true
	default:
		st := cycle.SupervisionState(v)
		if !st.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“state=%s”不正确：应为 open、issued、acknowledged、answered、closed 或 reissued。", v)
		}
		f.State = &st
	}
	return f, nil
}

// readUrgeFilter reads a list of urges' filter: ?plan=, ?task=, ?unit=.
func readUrgeFilter(r *http.Request, q url.Values, pg apiPage) (cycle.UrgeFilter, error) {
	f := cycle.UrgeFilter{Offset: pg.Offset, Limit: pg.Limit}
	var err error
	if f.PlanID, err = optionalID(q, "plan"); err != nil {
		return f, err
	}
	if f.TaskID, err = optionalID(q, "task"); err != nil {
		return f, err
	}
	f.UnitID, err = optionalID(q, "unit")
	return f, err
}

// readNotificationFilter reads the caller's notifications' filter:
// ?unread=yes.
func readNotificationFilter(r *http.Request, q url.Values, pg apiPage) (cycle.NotificationFilter, error) {
	return cycle.NotificationFilter{Unread: q.Get("unread") == "yes", Offset: pg.Offset, Limit: pg.Limit}, nil
}

// apiUrgeCounts answers how often each unit was urged, most first.
func (s *server) apiUrgeCounts(w http.ResponseWriter, r *http.Request) error {
	f, err := readUrgeFilter(r, r.URL.Query(), apiPage{})
	if err != nil {
		return err
	}
	counts, err := s.svc.Reminders.CountUrges(r.Context(), f)
	if err != nil {
		return err
	}
	return writeList(w, counts, len(counts), apiPage{Limit: len(counts)})
}

// apiSupervision answers a notice with its version as the ETag.
func (s *server) apiSupervision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "supervision")
	if err != nil {
		return err
	}
	sv, err := s.svc.Supervisions.FindSupervisionByID(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(sv.Version))
	return apiOK(w, sv)
}

// apiUpdateSupervision acknowledges, answers or closes a notice at the
// version If-Match names, as a report is changed.
func (s *server) apiUpdateSupervision(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "supervision")
	if err != nil {
		return err
	}
	// The notice is read and its rule asked first, so that one the caller
	// may not handle is refused as such before anything is said of
	// versions; the service asks again.
	sv, err := s.svc.Supervisions.FindSupervisionByID(r.Context(), id)
	if err != nil {
		return err
	}
	if u := duban.UserFromContext(r.Context()); !cycle.CanAnswerSupervision(u, sv) {
		return duban.Forbidden(u, "办理督办单")
	}
	var req supervisionPatch
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	upd := cycle.SupervisionUpdate{State: req.State, Answer: req.Answer}
	if req.Evidence != nil {
		files, err := s.evidenceOf(r.Context(), *req.Evidence, nil)
		if err != nil {
			return err
		}
		upd.Evidence = &files
	}
	if upd.Version, err = ifMatch(r, "督办单", func() (int, error) { return sv.Version, nil }); err != nil {
		return err
	}
	if sv, err = s.svc.Supervisions.UpdateSupervision(r.Context(), id, upd); err != nil {
		return stale(err)
	}
	w.Header().Set("ETag", etag(sv.Version))
	return apiOK(w, sv)
}
