package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// apiDirectoryRoutes are the units and leaders: reading them and their
// tasks across plans and years, and the office's changes to the directory.
func (s *server) apiDirectoryRoutes() []web.Route {
	// The services are reached when a request comes (see apiPlanRoutes).
	units := func() duban.UnitService { return s.svc.Units }
	leaders := func() duban.LeaderService { return s.svc.Leaders }
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/units", Allow: duban.CanRead, Action: "查看单位",
			Handler: apiListOf(readUnitFilter, func(ctx context.Context, f duban.UnitFilter) ([]*duban.Unit, int, error) {
				return units().FindUnits(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/units", Allow: duban.CanManageDirectory, Action: "添加单位", Changes: true,
			Handler: apiDo("", http.StatusCreated, func(ctx context.Context, _ int64, req unitRequest) (*duban.Unit, error) {
				u := &duban.Unit{Name: req.Name, Kind: req.Kind, Aliases: req.Aliases}
				if u.Kind == "" {
					u.Kind = duban.GuessUnitKind(u.Name)
				}
				return u, units().CreateUnit(ctx, u)
			})},
		{Method: "GET", Pattern: "/api/v1/units/{unit}", Allow: duban.CanRead, Action: "查看单位",
			Handler: apiGet("unit", func(ctx context.Context, id int64) (*duban.Unit, error) { return units().FindUnitByID(ctx, id) })},
		{Method: "PATCH", Pattern: "/api/v1/units/{unit}", Allow: duban.CanManageDirectory, Action: "修改单位", Changes: true,
			Handler: apiDo("unit", http.StatusOK, func(ctx context.Context, id int64, upd duban.UnitUpdate) (*duban.Unit, error) {
				return units().UpdateUnit(ctx, id, upd)
			})},
		{Method: "POST", Pattern: "/api/v1/units/{unit}/aliases", Allow: duban.CanManageDirectory, Action: "添加单位别名", Changes: true,
			Handler: apiDo("unit", http.StatusOK, func(ctx context.Context, id int64, req aliasRequest) (*duban.Unit, error) {
				return units().AddUnitAlias(ctx, id, req.Alias)
			})},
		{Method: "POST", Pattern: "/api/v1/units/{unit}/merge", Allow: duban.CanManageDirectory, Action: "合并单位", Changes: true,
			Handler: apiDo("unit", http.StatusOK, func(ctx context.Context, id int64, req mergeUnitRequest) (*duban.Unit, error) {
				if req.Into <= 0 {
					return nil, duban.Errorf(duban.EINVALID, "请在 into 中给出合并到的单位编号。")
				}
				return units().MergeUnits(ctx, id, req.Into)
			})},
		{Method: "PUT", Pattern: "/api/v1/units/{unit}/members", Allow: duban.CanManageDirectory, Action: "设置统称的成员", Changes: true,
			Handler: apiDo("unit", http.StatusOK, func(ctx context.Context, id int64, req membersRequest) (*duban.Unit, error) {
				if req.Members == nil {
					return nil, duban.Errorf(duban.EINVALID, "请在 members 中给出成员单位的编号（[] 表示去掉全部成员）。")
				}
				return units().SetGroupMembers(ctx, id, req.Members)
			})},
		{Method: "GET", Pattern: "/api/v1/units/{unit}/tasks", Allow: duban.CanRead, Action: "查看单位的任务",
			Handler: s.apiOwnerTasks("unit", func(ctx context.Context, id int64) error {
				_, err := units().FindUnitByID(ctx, id)
				return err
			})},
		{Method: "GET", Pattern: "/api/v1/leaders", Allow: duban.CanRead, Action: "查看领导",
			Handler: apiListOf(readLeaderFilter, func(ctx context.Context, f duban.LeaderFilter) ([]*duban.Leader, int, error) {
				return leaders().FindLeaders(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/leaders", Allow: duban.CanManageDirectory, Action: "添加领导", Changes: true,
			Handler: apiDo("", http.StatusCreated, func(ctx context.Context, _ int64, req leaderRequest) (*duban.Leader, error) {
				l := &duban.Leader{Name: req.Name, Title: req.Title, Order: req.Order}
				return l, leaders().CreateLeader(ctx, l)
			})},
		{Method: "GET", Pattern: "/api/v1/leaders/{leader}", Allow: duban.CanRead, Action: "查看领导",
			Handler: apiGet("leader", func(ctx context.Context, id int64) (*duban.Leader, error) { return leaders().FindLeaderByID(ctx, id) })},
		{Method: "PATCH", Pattern: "/api/v1/leaders/{leader}", Allow: duban.CanManageDirectory, Action: "修改领导", Changes: true,
			Handler: apiDo("leader", http.StatusOK, func(ctx context.Context, id int64, upd duban.LeaderUpdate) (*duban.Leader, error) {
				return leaders().UpdateLeader(ctx, id, upd)
			})},
		{Method: "GET", Pattern: "/api/v1/leaders/{leader}/tasks", Allow: duban.CanRead, Action: "查看领导的任务",
			Handler: s.apiOwnerTasks("leader", func(ctx context.Context, id int64) error {
				_, err := leaders().FindLeaderByID(ctx, id)
				return err
			})},
	}
}

// unitRequest is a new unit; a kind left out is guessed from the name, as
// for the names a notice brings.
type unitRequest struct {
	Name    string         `json:"name"`
	Kind    duban.UnitKind `json:"kind,omitempty"`
	Aliases []string       `json:"aliases,omitempty"`
}

// aliasRequest is another name for a unit.
type aliasRequest struct {
	Alias string `json:"alias"`
}

// mergeUnitRequest names the unit the unit of the path is merged into.
type mergeUnitRequest struct {
	Into int64 `json:"into"`
}

// leaderRequest is a new leader.
type leaderRequest struct {
	Name  string `json:"name"`
	Title string `json:"title,omitempty"`
	Order int    `json:"order,omitempty"`
}

// membersRequest is the units a group term stands for.
type membersRequest struct {
	Members []int64 `json:"members"`
}

// readUnitFilter reads a list of units' filter: ?q= (a part of the name),
// ?kind=, ?plan= (named in the plan's tasks) and ?merged=yes (with units
// merged into others).
func readUnitFilter(r *http.Request, q url.Values, pg apiPage) (duban.UnitFilter, error) {
	f := duban.UnitFilter{IncludeMerged: q.Get("merged") == "yes", Offset: pg.Offset, Limit: pg.Limit}
	var err error
	if f.Query, err = web.QuerySearch(q); err != nil {
		return f, err
	}
	if v := q.Get("kind"); v != "" {
		k := duban.UnitKind(v)
		if !k.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“kind=%s”不正确：应为 department、street、company 或 group。", v)
		}
		f.Kind = &k
	}
	f.PlanID, err = optionalID(q, "plan")
	return f, err
}

// readLeaderFilter reads a list of leaders' filter: ?q= (a part of the
// name).
func readLeaderFilter(r *http.Request, q url.Values, pg apiPage) (duban.LeaderFilter, error) {
	search, err := web.QuerySearch(q)
	return duban.LeaderFilter{Query: search, Offset: pg.Offset, Limit: pg.Limit}, err
}

// apiOwnerTasks makes the handler of a unit's or a leader's tasks across
// plans and years: the ledger query of the request narrowed to the unit or
// leader of the path (a unit's by ?role=lead or ?role=shared too), after
// checking that it exists, so that a wrong ID is a 404 rather than an
// empty list.
func (s *server) apiOwnerTasks(wildcard string, exists func(ctx context.Context, id int64) error) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r, wildcard)
		if err != nil {
			return err
		}
		if err := exists(r.Context(), id); err != nil {
			return err
		}
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set(wildcard, strconv.FormatInt(id, 10))
		return s.apiTaskList(w, r, q)
	}
}
