package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/dubanhq/duban"
)

// authRoutes are signing in and out, the language switch and the front
// door.
func (s *Server) authRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/{$}", Allow: duban.CanRead, Action: "查看台账", Handler: s.home},
		{Method: "GET", Pattern: "/login", Handler: s.loginForm},
		{Method: "POST", Pattern: "/login", Changes: true, Handler: s.login},
		{Method: "POST", Pattern: "/logout", Changes: true, Handler: s.logout},
		{Method: "POST", Pattern: "/lang", Changes: true, Handler: s.switchLanguage},
	}
}

// home sends everyone to the ledger, where the day's work starts.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, "/tasks", http.StatusSeeOther)
	return nil
}

// loginPage is the sign-in form.
type loginPage struct {
	Base
	Name  string
	Next  string
	Error string
}

func (*loginPage) templateName() string { return "login.html" }

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	next := localPath(r.URL.Query().Get("next"))
	if duban.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p := &loginPage{Next: next}
	p.Title = state(r).translator().T("登录")
	return s.render(w, r, p)
}

// login checks the name and password and starts a session. The session
// token and the CSRF token are both new, so that neither can have been
// planted before. A refusal shows the form again with its reason.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	name := strings.TrimSpace(r.PostForm.Get("name"))
	next := localPath(r.PostForm.Get("next"))
	sess, token, err := s.svc.Auth.Login(r.Context(), duban.Credentials{
		Name: name, Password: r.PostForm.Get("password"),
		Address: st.address, UserAgent: r.UserAgent(), Replace: st.sessionKey,
	})
	switch duban.ErrorCode(err) {
	case "":
	case duban.EUNAUTHORIZED, duban.ETOOMANY, duban.EINVALID:
		p := &loginPage{Name: name, Next: next, Error: duban.ErrorMessage(err)}
		p.Title = st.translator().T("登录")
		return s.renderStatus(w, r, ErrorStatus(err), p)
	default:
		return err
	}
	s.setCookie(w, r, &http.Cookie{Name: sessionCookie, Value: token, Expires: sess.ExpiresAt})
	s.rotateCSRF(w, r)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logout ends the session in the store, so that the cookie is worthless
// even if it was copied, and on every server.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	if st.sessionKey != "" {
		if err := s.svc.Auth.Logout(r.Context(), st.sessionKey); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	s.rotateCSRF(w, r)
	return s.redirect(w, r, "/login", st.translator().T("已退出登录。"))
}

// switchLanguage keeps the chosen language in a cookie and returns to the
// page it was chosen on.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) error {
	lang := "zh"
	if r.PostForm.Get("lang") == "en" {
		lang = "en"
	}
	s.setCookie(w, r, &http.Cookie{Name: langCookie, Value: lang, MaxAge: 365 * 24 * 3600})
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

// localPath returns p when it is a path on this server, and "/" otherwise,
// so that a crafted ?next= cannot send a user elsewhere after sign-in.
func localPath(p string) string {
	u, err := url.Parse(p)
	if err != nil || p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.HasPrefix(p, "/\\") || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return p
}
