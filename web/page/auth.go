package page

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// authRoutes are signing in and out and the language switch.
func (s *Server) authRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/login", Handler: s.loginForm},
		{Method: "POST", Pattern: "/login", Changes: true, Handler: s.login},
		{Method: "POST", Pattern: "/logout", Changes: true, Handler: s.logout},
		{Method: "POST", Pattern: "/lang", Changes: true, Handler: s.switchLanguage},
	}
}

// loginPage is the sign-in form.
type loginPage struct {
	web.Base
	Name  string
	Next  string
	Error string
	// Draft says what was typed into a form when the session ended is kept
	// for after sign-in.
	Draft bool
}

func (*loginPage) TemplateName() string { return "login.html" }

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := LocalPath(r.URL.Query().Get("next"))
	if duban.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p := &loginPage{Next: next, Draft: web.HasDraft(r)}
	p.Title = web.Lang(r).T("登录")
	return s.Render(w, r, p)
}

// login checks the name and password and starts a session. A refusal
// shows the form again with its reason.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	name := strings.TrimSpace(r.PostForm.Get("name"))
	next := LocalPath(r.PostForm.Get("next"))
	err := s.SignIn(w, r, name, r.PostForm.Get("password"))
	switch duban.ErrorCode(err) {
	case "":
	case duban.EUNAUTHORIZED, duban.ETOOMANY, duban.EINVALID:
		web.SetRetryAfter(w, err)
		p := &loginPage{Name: name, Next: next, Error: duban.ErrorMessage(err), Draft: web.HasDraft(r)}
		p.Title = web.Lang(r).T("登录")
		return s.RenderStatus(w, r, web.ErrorStatus(err), p)
	default:
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logout ends the session, on every server, and says so on the sign-in
// page.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.SignOut(w, r); err != nil {
		return err
	}
	return s.Redirect(w, r, "/login", web.Lang(r).T("已退出登录。"))
}

// switchLanguage keeps the chosen language and returns to the page it was
// chosen on.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	s.SetLanguage(w, r, r.PostForm.Get("lang"))
	http.Redirect(w, r, LocalPath(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

// LocalPath returns p when it is a path on this server, and "/" otherwise,
// so that a crafted ?next= cannot send a user elsewhere after sign-in.
func LocalPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.HasPrefix(p, "/\\") || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}
