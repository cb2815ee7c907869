package web

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/dubanhq/duban"
)

// A form sent after its session ended is not lost: what it carried is kept
// in the store as a draft (duban.FormDraft), the browser gets a cookie that
// finds it again, and the person is sent to sign in and then back to the
// page the form is on, where the layout hands the draft to app.js, which
// fills the form in again. Nothing typed travels in an address; the store
// keeps it, so that any server behind a balancer gives it back.

// draftCookie carries the draft's secret and the page it belongs to.
const draftCookie = "duban_draft"

// keepDraft keeps the form of a request refused for want of a session, and
// returns the page to come back to after sign-in: the page the form was on,
// as the browser says (Referer), or the ledger. A form another site sent,
// or one holding a value no field can, is not kept: the origin and value
// checks of a change apply to its draft too, so that no other site can
// plant text in a form the person will send.
func (s *Server) keepDraft(w http.ResponseWriter, r *http.Request) string {
	page := "/"
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && strings.HasPrefix(ref.Path, "/") &&
		!strings.HasPrefix(ref.Path, "/login") {
		page = ref.RequestURI()
	}
	if s.checkOrigin(r) != nil {
		return page
	}
	if r.PostForm == nil {
		// The form was not read before the refusal: read it now, within
		// the route's bound.
		if err := parseForm(r); err != nil {
			return page
		}
	}
	if checkRequest(r) != nil {
		return page
	}
	d, ok := duban.NewFormDraft(page, r.URL.Path, r.PostForm)
	if !ok {
		return page
	}
	var ended string
	if c, err := r.Cookie(SessionCookie); err == nil {
		ended = c.Value
	}
	secret, err := s.svc.Auth.SaveDraft(r.Context(), d, ended)
	if err != nil {
		s.log.Warn("keeping a form's draft", "path", r.URL.Path, "error", err)
		return page
	}
	value := secret + "." + base64.RawURLEncoding.EncodeToString([]byte(page))
	s.setCookie(w, r, &http.Cookie{Name: draftCookie, Value: value, MaxAge: int(duban.DraftLife.Seconds())})
	return page
}

// HasDraft reports whether the browser has a form's draft waiting, for the
// sign-in page to say that what was typed is kept.
func HasDraft(r *http.Request) bool {
	c, err := r.Cookie(draftCookie)
	return err == nil && c.Value != ""
}

// takeDraft gives a signed-in person the draft kept for the page they are
// on, once a request: the browser's draft cookie names its page, so that a
// draft waits, unread, while its author is elsewhere.
func (s *Server) takeDraft(w http.ResponseWriter, r *http.Request) *duban.FormDraft {
	st := state(r)
	if st.draftTaken || duban.UserFromContext(r.Context()) == nil || st.api {
		return st.draft
	}
	st.draftTaken = true
	c, err := r.Cookie(draftCookie)
	if err != nil {
		return nil
	}
	secret, page64, _ := strings.Cut(c.Value, ".")
	page, err := base64.RawURLEncoding.DecodeString(page64)
	if err != nil {
		s.clearCookie(w, r, draftCookie)
		return nil
	}
	if string(page) != r.URL.RequestURI() {
		return nil
	}
	s.clearCookie(w, r, draftCookie)
	d, err := s.svc.Auth.TakeDraft(r.Context(), secret)
	if err != nil {
		if duban.ErrorCode(err) != duban.ENOTFOUND {
			s.log.Warn("taking a form's draft", "path", r.URL.Path, "error", err)
		}
		return nil
	}
	st.draft = d
	return d
}

// draftJSON is a draft as the layout hands it to app.js: the form's action
// and its fields.
func draftJSON(d *duban.FormDraft) string {
	if d == nil {
		return ""
	}
	b, err := json.Marshal(struct {
		Action string              `json:"action"`
		Fields map[string][]string `json:"fields"`
	}{d.Action, d.Fields})
	if err != nil {
		return ""
	}
	return string(b)
}
