package web

import (
	"net/http"
	"time"

	"github.com/dubanhq/duban"
)

// SignIn checks a name and password and starts a session in a cookie. The
// session token is new and the CSRF token is the new session's, so that
// neither can have been planted before. A refusal sets nothing and is returned for the
// sign-in page to show.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, name, password string) error {
	st := state(r)
	sess, token, err := s.svc.Auth.Login(r.Context(), duban.Credentials{
		Name: name, Password: password,
		Address: st.address, UserAgent: r.UserAgent(), Replace: st.sessionKey,
	})
	if err != nil {
		return err
	}
	// The cookie lasts as long as the session, counted on the server's
	// clock (which a demonstration sets in its sample's year) and dated by
	// the browser's.
	left := max(time.Second, sess.ExpiresAt.Sub(s.now()))
	s.setCookie(w, r, &http.Cookie{Name: SessionCookie, Value: token, Expires: time.Now().Add(left), MaxAge: int(left.Seconds())})
	s.rotateCSRF(w, r, token)
	return nil
}

// SignOut ends the request's session in the store, so that the cookie is
// worthless even if it was copied, and on every server; the browser forgets
// the cookie and gets a new CSRF token.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	if st.sessionKey != "" {
		if err := s.svc.Auth.Logout(r.Context(), st.sessionKey); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, SessionCookie)
	st.sessionKey = ""
	s.rotateCSRF(w, r, "")
	return nil
}

// SetLanguage keeps the chosen language, "en" or else Chinese, in a cookie
// for a year.
func (s *Server) SetLanguage(w http.ResponseWriter, r *http.Request, lang string) {
	if lang != "en" {
		lang = "zh"
	}
	s.setCookie(w, r, &http.Cookie{Name: langCookie, Value: lang, MaxAge: 365 * 24 * 3600})
}

// ChangePassword changes the signed-in person's own password once the
// current one is checked: this browser's session stays, the person's
// others end.
func (s *Server) ChangePassword(r *http.Request, current, next string) error {
	return s.svc.Auth.ChangePassword(r.Context(), current, next, state(r).sessionKey)
}
