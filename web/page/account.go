package page

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/auth"
	"github.com/dubanhq/duban/web"
)

// accountRoutes are the office's accounts page: users, roles, bindings,
// passwords and API tokens.
func (s *Server) accountRoutes() []web.Route {
	const manage = "管理账号"
	return []web.Route{
		{Method: "GET", Pattern: "/accounts", Allow: duban.CanManageUsers, Action: manage, Handler: s.accounts},
		{Method: "POST", Pattern: "/accounts", Allow: duban.CanManageUsers, Action: manage, Changes: true, Handler: s.createAccount},
		{Method: "GET", Pattern: "/accounts/{user}", Allow: duban.CanManageUsers, Action: manage, Handler: s.account},
		{Method: "POST", Pattern: "/accounts/{user}", Allow: duban.CanManageUsers, Action: manage, Changes: true, Handler: s.updateAccount},
		{Method: "POST", Pattern: "/accounts/{user}/password", Allow: duban.CanManageUsers, Action: manage, Changes: true, Handler: s.resetPassword},
		{Method: "POST", Pattern: "/accounts/{user}/unlock", Allow: duban.CanManageUsers, Action: manage, Changes: true, Handler: s.unlockAccount},
		{Method: "POST", Pattern: "/accounts/{user}/tokens", Allow: duban.CanManageUsers, Action: manage, Changes: true, Handler: s.createToken},
		{Method: "POST", Pattern: "/accounts/{user}/tokens/{token}/revoke", Allow: duban.CanManageUsers, Action: manage, Changes: true, Handler: s.revokeToken},
	}
}

// roles are the roles in the order the forms offer them.
var roles = []duban.Role{duban.RoleClerk, duban.RoleLeader, duban.RoleViewer, duban.RoleAdmin}

// directoryChoices are the units and leaders an account may be bound to.
type directoryChoices struct {
	Roles   []duban.Role
	Units   []*duban.Unit
	Leaders []*duban.Leader
	// UnitNames and LeaderNames name the bound unit and leader of a list's
	// accounts.
	UnitNames   map[int64]string
	LeaderNames map[int64]string
}

func (s *Server) directoryChoices(r *http.Request) (directoryChoices, error) {
	dc := directoryChoices{Roles: roles, UnitNames: map[int64]string{}, LeaderNames: map[int64]string{}}
	units, _, err := s.svc.Units.FindUnits(r.Context(), duban.UnitFilter{})
	if err != nil {
		return dc, err
	}
	for _, u := range units {
		// A clerk reports for one unit: group terms are offered to none.
		if u.Kind != duban.UnitGroup {
			dc.Units = append(dc.Units, u)
		}
		dc.UnitNames[u.ID] = u.Name
	}
	if dc.Leaders, _, err = s.svc.Leaders.FindLeaders(r.Context(), duban.LeaderFilter{}); err != nil {
		return dc, err
	}
	for _, l := range dc.Leaders {
		dc.LeaderNames[l.ID] = l.Name
	}
	return dc, nil
}

// accountsPage lists the accounts and has the form for a new one.
type accountsPage struct {
	web.Base
	Users []*duban.User
	directoryChoices
}

func (*accountsPage) TemplateName() string { return "accounts.html" }

// FormAccount is the account the form's fields start from: none, for a new
// one.
func (*accountsPage) FormAccount() *duban.User { return nil }

func (s *Server) accounts(w http.ResponseWriter, r *http.Request) error {
	p := &accountsPage{}
	p.Title = web.Lang(r).T("账号")
	var err error
	if p.Users, _, err = s.svc.Users.FindUsers(r.Context(), duban.UserFilter{}); err != nil {
		return err
	}
	if p.directoryChoices, err = s.directoryChoices(r); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

// accountForm reads the role and bindings of an account form. A binding
// that the role does not have is dropped, so that switching a clerk to a
// viewer needs no second step.
func accountForm(r *http.Request) (duban.Role, int64, int64, error) {
	role := duban.Role(r.PostForm.Get("role"))
	var unitID, leaderID int64
	var err error
	switch role {
	case duban.RoleClerk:
		unitID, err = web.FormID(r, "unit", "单位联络员所属的单位")
	case duban.RoleLeader:
		leaderID, err = web.FormID(r, "leader", "领导账号对应的领导")
	}
	return role, unitID, leaderID, err
}

// secretPage shows a secret once: a new password or a new API token.
type secretPage struct {
	web.Base
	Message string
	Secret  string
	// Back is where to go on.
	Back string
}

func (*secretPage) TemplateName() string { return "secret.html" }

// ShowSecret shows a secret made by a form, once. It is the answer to the
// form itself rather than a redirect, so that the secret is never in an
// address, a cookie or a log.
func (s *Server) ShowSecret(w http.ResponseWriter, r *http.Request, title, message, secret, back string) error {
	p := &secretPage{Message: message, Secret: secret, Back: back}
	p.Title = title
	// The page must not be kept by the browser's history or a cache.
	w.Header().Set("Cache-Control", "no-store")
	return s.Render(w, r, p)
}

// newPassword is the password a form sets: the one typed, or a random one
// when the field is left empty.
func newPassword(r *http.Request) (pw string, random bool) {
	if pw = r.PostForm.Get("password"); pw != "" {
		return pw, false
	}
	return auth.RandomPassword(), true
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	role, unitID, leaderID, err := accountForm(r)
	if err != nil {
		return err
	}
	u := &duban.User{Name: strings.TrimSpace(r.PostForm.Get("name")), DisplayName: r.PostForm.Get("display_name"),
		Role: role, UnitID: unitID, LeaderID: leaderID}
	pw, random := newPassword(r)
	// The password is checked first, so that a bad one leaves no account
	// behind that nobody can sign in to.
	if err := duban.ValidatePassword(pw); err != nil {
		return err
	}
	if err := s.svc.Users.CreateUser(r.Context(), u); err != nil {
		return err
	}
	if err := s.svc.Auth.SetPassword(r.Context(), u.ID, pw); err != nil {
		return err
	}
	back := accountURL(u.ID)
	if !random {
		return s.Redirect(w, r, back, tr.T("账号 %s 已创建。", u.Label()))
	}
	return s.ShowSecret(w, r, tr.T("账号已创建"), tr.T("账号 %s 已创建。初始密码如下，只显示这一次：请转交本人。", u.Label()), pw, back)
}

func accountURL(id int64) string { return "/accounts/" + strconv.FormatInt(id, 10) }

// accountPage is one account: its role and bindings, its password, its API
// tokens.
type accountPage struct {
	web.Base
	Account *duban.User
	Tokens  []*duban.APIToken
	directoryChoices
	// Self marks the office's own account, which it may not disable.
	Self bool
}

func (*accountPage) TemplateName() string { return "account.html" }

// FormAccount is the account the form's fields start from.
func (p *accountPage) FormAccount() *duban.User { return p.Account }

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	p := &accountPage{Self: duban.UserFromContext(ctx).ID == id}
	if p.Account, err = s.svc.Users.FindUserByID(ctx, id); err != nil {
		return err
	}
	p.Title = p.Account.Label()
	if p.Tokens, _, err = s.svc.Auth.FindAPITokens(ctx, duban.APITokenFilter{UserID: &id, IncludeRevoked: true}); err != nil {
		return err
	}
	if p.directoryChoices, err = s.directoryChoices(r); err != nil {
		return err
	}
	return s.Render(w, r, p)
}

func (s *Server) updateAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	role, unitID, leaderID, err := accountForm(r)
	if err != nil {
		return err
	}
	display := r.PostForm.Get("display_name")
	disabled := r.PostForm.Get("disabled") == "on"
	u, err := s.svc.Users.UpdateUser(r.Context(), id, duban.UserUpdate{
		DisplayName: &display, Role: &role, UnitID: &unitID, LeaderID: &leaderID, Disabled: &disabled,
	})
	if err != nil {
		return err
	}
	return s.Redirect(w, r, accountURL(id), web.Lang(r).T("账号 %s 已保存。", u.Label()))
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	pw, random := newPassword(r)
	if err := s.svc.Auth.SetPassword(r.Context(), id, pw); err != nil {
		return err
	}
	if !random {
		return s.Redirect(w, r, accountURL(id), tr.T("密码已重置，该账号的所有登录已退出，API 令牌已全部吊销。"))
	}
	return s.ShowSecret(w, r, tr.T("密码已重置"), tr.T("新密码如下，只显示这一次：请转交本人。该账号的所有登录已退出，API 令牌已全部吊销。"), pw, accountURL(id))
}

// unlockAccount forgets the account's failed sign-ins, lifting any pause
// on signing in to it.
func (s *Server) unlockAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	n, err := s.svc.Auth.ClearLoginFailures(r.Context(), id)
	if err != nil {
		return err
	}
	return s.Redirect(w, r, accountURL(id), web.Lang(r).T("已清除 %d 次失败的登录，该账号可以立即登录。", n))
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	tr := web.Lang(r)
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	t := &duban.APIToken{UserID: id, Name: r.PostForm.Get("name")}
	secret, err := s.svc.Auth.CreateAPIToken(r.Context(), t)
	if err != nil {
		return err
	}
	return s.ShowSecret(w, r, tr.T("API 令牌已创建"),
		tr.T("令牌“%s”如下，只显示这一次：请复制到脚本的配置中，请求时放在“Authorization: Bearer 令牌”头里。", t.Name), secret, accountURL(id))
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "user")
	if err != nil {
		return err
	}
	tokenID, err := web.PathID(r, "token")
	if err != nil {
		return err
	}
	tokens, _, err := s.svc.Auth.FindAPITokens(r.Context(), duban.APITokenFilter{UserID: &id, IncludeRevoked: true})
	if err != nil {
		return err
	}
	// The token must be this account's: the address names both.
	found := false
	for _, t := range tokens {
		found = found || t.ID == tokenID
	}
	if !found {
		return duban.Errorf(duban.ENOTFOUND, "该账号没有编号为 %d 的令牌。", tokenID)
	}
	t, err := s.svc.Auth.RevokeAPIToken(r.Context(), tokenID)
	if err != nil {
		return err
	}
	return s.Redirect(w, r, accountURL(id), web.Lang(r).T("令牌“%s”已吊销。", t.Name))
}
