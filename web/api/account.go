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

// apiAccountRoutes are the accounts (the office's), the caller's own API
// tokens, and the audit log.
func (s *server) apiAccountRoutes() []web.Route {
	// The services are reached when a request comes (see apiPlanRoutes).
	users := func() duban.UserService { return s.svc.Users }
	return []web.Route{
		{Method: "GET", Pattern: "/api/v1/users", Allow: duban.CanManageUsers, Action: "查看账号",
			Handler: apiListOf(readUserFilter, func(ctx context.Context, f duban.UserFilter) ([]*duban.User, int, error) {
				return users().FindUsers(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/users", Allow: duban.CanManageUsers, Action: "新建账号", Changes: true,
			Handler: apiDo("", http.StatusCreated, s.apiCreateUser)},
		{Method: "GET", Pattern: "/api/v1/users/{user}", Allow: duban.CanManageUsers, Action: "查看账号",
			Handler: apiGet("user", func(ctx context.Context, id int64) (*duban.User, error) { return users().FindUserByID(ctx, id) })},
		{Method: "PATCH", Pattern: "/api/v1/users/{user}", Allow: duban.CanManageUsers, Action: "修改账号", Changes: true,
			Handler: apiDo("user", http.StatusOK, func(ctx context.Context, id int64, upd duban.UserUpdate) (*duban.User, error) {
				return users().UpdateUser(ctx, id, upd)
			})},
		{Method: "POST", Pattern: "/api/v1/users/{user}/password", Allow: duban.CanManageUsers, Action: "重置密码", Changes: true, Handler: s.apiSetPassword},
		{Method: "POST", Pattern: "/api/v1/users/{user}/unlock", Allow: duban.CanManageUsers, Action: "解除登录限制", Changes: true,
			Handler: apiDo("user", http.StatusOK, s.apiUnlock)},
		{Method: "GET", Pattern: "/api/v1/tokens", Allow: duban.CanRead, Action: "查看 API 令牌",
			Handler: apiListOf(readTokenFilter, func(ctx context.Context, f duban.APITokenFilter) ([]*duban.APIToken, int, error) {
				return s.svc.Auth.FindAPITokens(ctx, f)
			})},
		{Method: "POST", Pattern: "/api/v1/tokens", Allow: duban.CanManageUsers, Action: "创建 API 令牌", Changes: true,
			Handler: apiDo("", http.StatusCreated, s.apiCreateToken)},
		{Method: "DELETE", Pattern: "/api/v1/tokens/{token}", Allow: duban.CanManageUsers, Action: "吊销 API 令牌", Changes: true,
			Handler: apiDo("token", http.StatusOK, s.apiRevokeToken)},
		{Method: "GET", Pattern: "/api/v1/audit", Allow: duban.CanReadAudit, Action: "查看审计日志",
			Handler: apiListOf(readAuditFilter, func(ctx context.Context, f duban.AuditFilter) ([]*duban.AuditEvent, int, error) {
				return s.svc.Audit.FindAuditEvents(ctx, f)
			})},
		{Method: "GET", Pattern: "/api/v1/audit/verify", Allow: duban.CanReadAudit, Action: "校验审计日志", Handler: s.apiVerifyAudit},
	}
}

// readUserFilter reads a list of accounts' filter: ?role= and ?unit=.
func readUserFilter(r *http.Request, q url.Values, pg apiPage) (duban.UserFilter, error) {
	f := duban.UserFilter{Offset: pg.Offset, Limit: pg.Limit}
	if v := q.Get("role"); v != "" {
		role := duban.Role(v)
		if !role.Valid() {
			return f, duban.Errorf(duban.EINVALID, "参数“role=%s”不正确：应为 admin、leader、clerk 或 viewer。", v)
		}
		f.Role = &role
	}
	var err error
	f.UnitID, err = optionalID(q, "unit")
	return f, err
}

// userRequest is a new account, with its first password when given (an
// account without one cannot sign in until the office sets it).
type userRequest struct {
	Name        string     `json:"name"`
	DisplayName string     `json:"display_name,omitempty"`
	Role        duban.Role `json:"role"`
	UnitID      int64      `json:"unit_id,omitempty"`
	LeaderID    int64      `json:"leader_id,omitempty"`
	Password    string     `json:"password,omitempty"`
}

// apiCreateUser adds an account and sets its password. The password is
// checked before the account is made, so that a short one leaves nothing
// half done.
func (s *server) apiCreateUser(ctx context.Context, _ int64, req userRequest) (*duban.User, error) {
	if req.Password != "" {
		if err := duban.ValidatePassword(req.Password); err != nil {
			return nil, err
		}
	}
	u := &duban.User{Name: strings.TrimSpace(req.Name), DisplayName: req.DisplayName, Role: req.Role, UnitID: req.UnitID, LeaderID: req.LeaderID}
	if err := s.svc.Users.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	if req.Password != "" {
		if err := s.svc.Auth.SetPassword(ctx, u.ID, req.Password); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// passwordRequest is a new password.
type passwordRequest struct {
	Password string `json:"password"`
}

// apiSetPassword sets an account's password, which signs it out
// everywhere, and answers 204.
func (s *server) apiSetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	var req passwordRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	if err := s.svc.Auth.SetPassword(r.Context(), id, req.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// unlocked says how many failed sign-ins were forgotten.
type unlocked struct {
	Cleared int `json:"cleared"`
}

// apiUnlock forgets an account's failed sign-ins, lifting any pause.
func (s *server) apiUnlock(ctx context.Context, id int64, _ struct{}) (unlocked, error) {
	n, err := s.svc.Auth.ClearLoginFailures(ctx, id)
	return unlocked{Cleared: n}, err
}

// readTokenFilter reads the filter of the caller's API tokens: newest
// first, with ?revoked=yes those that no longer work.
func readTokenFilter(r *http.Request, q url.Values, pg apiPage) (duban.APITokenFilter, error) {
	me := duban.UserFromContext(r.Context())
	return duban.APITokenFilter{UserID: &me.ID, IncludeRevoked: q.Get("revoked") == "yes", Offset: pg.Offset, Limit: pg.Limit}, nil
}

// tokenRequest names a new token for the script that will use it.
type tokenRequest struct {
	Name string `json:"name"`
}

// newToken is a token just made, with its secret: the only time the secret
// is shown, since only its hash is kept.
type newToken struct {
	Token  *duban.APIToken `json:"token"`
	Secret string          `json:"secret"`
}

// apiCreateToken makes an API token for the caller.
func (s *server) apiCreateToken(ctx context.Context, _ int64, req tokenRequest) (newToken, error) {
	t := &duban.APIToken{UserID: duban.UserFromContext(ctx).ID, Name: strings.TrimSpace(req.Name)}
	secret, err := s.svc.Auth.CreateAPIToken(ctx, t)
	return newToken{Token: t, Secret: secret}, err
}

// apiRevokeToken stops one of the caller's tokens from working. A token of
// another account is not found here: the accounts page revokes those.
func (s *server) apiRevokeToken(ctx context.Context, id int64, _ struct{}) (*duban.APIToken, error) {
	me := duban.UserFromContext(ctx)
	mine, _, err := s.svc.Auth.FindAPITokens(ctx, duban.APITokenFilter{UserID: &me.ID, IncludeRevoked: true})
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(mine, func(t *duban.APIToken) bool { return t.ID == id }) {
		return nil, duban.Errorf(duban.ENOTFOUND, "您没有编号为 %d 的 API 令牌：用 GET /api/v1/tokens 查看。", id)
	}
	return s.svc.Auth.RevokeAPIToken(ctx, id)
}

// readAuditFilter reads the audit log's filter: ?entity= and ?entity_id=
// (a task's history is entity=task&entity_id=…) and ?plan=.
func readAuditFilter(r *http.Request, q url.Values, pg apiPage) (duban.AuditFilter, error) {
	f := duban.AuditFilter{Offset: pg.Offset, Limit: pg.Limit}
	if v := strings.TrimSpace(q.Get("entity")); v != "" {
		f.Entity = &v
	}
	var err error
	if f.EntityID, err = optionalID(q, "entity_id"); err != nil {
		return f, err
	}
	f.PlanID, err = optionalID(q, "plan")
	return f, err
}

// apiVerifyAudit checks the whole audit chain and answers what it found;
// a broken chain is an answer, not an error.
func (s *server) apiVerifyAudit(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.Audit.VerifyAudit(r.Context())
	if err != nil {
		return err
	}
	if v.Problems == nil {
		v.Problems = []duban.AuditProblem{}
	}
	return apiOK(w, v)
}
