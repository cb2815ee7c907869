package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/dubanhq/duban"
)

// errorStatus maps each error code to its HTTP status; it is the only place
// that does.
var errorStatus = map[string]int{
	duban.EINVALID:      http.StatusBadRequest,
	duban.ENOTFOUND:     http.StatusNotFound,
	duban.ECONFLICT:     http.StatusConflict,
	duban.EUNAUTHORIZED: http.StatusUnauthorized,
	duban.EFORBIDDEN:    http.StatusForbidden,
	duban.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	duban.ETOOMANY:      http.StatusTooManyRequests,
	duban.EINTERNAL:     http.StatusInternalServerError,

	duban.EPRECONDITION:    http.StatusPreconditionFailed,
	duban.EPRECONDREQUIRED: http.StatusPreconditionRequired,
}

// ErrorStatus returns the HTTP status of an error, by its code.
func ErrorStatus(err error) int {
	if errors.Is(err, errMethodNotAllowed) {
		return http.StatusMethodNotAllowed
	}
	if status, ok := errorStatus[duban.ErrorCode(err)]; ok {
		return status
	}
	return http.StatusInternalServerError
}

// errorPage shows an error to a person.
type errorPage struct {
	Base
	Status  int
	Message string
	// Back is where the "back" link goes: the page the form was on.
	Back string
}

func (*errorPage) TemplateName() string { return "error.html" }

// APIError is the body of an API error response.
type APIError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// renderError answers a request that failed: internal errors are logged in
// full and shown generically (duban.ErrorMessage never shows their text);
// other errors show their message. A person asking for a page without
// being signed in is sent to sign in and brought back afterwards. A request
// the client abandoned is logged as such and answered with nothing: no one
// reads the answer, and nothing failed on the server's side.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	st := state(r)
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		st.abandoned = true
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "client closed request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path))
		return
	}
	code := duban.ErrorCode(err)
	status := ErrorStatus(err)
	SetRetryAfter(w, err)
	if code == duban.EINTERNAL {
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("error", err.Error()))
	}
	if st.api {
		var body APIError
		body.Error.Code, body.Error.Message = code, duban.ErrorMessage(err)
		WriteJSON(w, status, body)
		return
	}
	if code == duban.EUNAUTHORIZED && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if code == duban.EUNAUTHORIZED && st.route != nil && st.route.Changes && duban.UserFromContext(r.Context()) == nil {
		// A form sent after the session ended: what it carried is kept,
		// and after sign-in the person is back at the form with it.
		page := s.keepDraft(w, r)
		http.Redirect(w, r, "/login?next="+url.QueryEscape(page), http.StatusSeeOther)
		return
	}
	page := &errorPage{Status: status, Message: duban.ErrorMessage(err), Back: backLink(r)}
	page.Title = st.translator().T("出错了")
	if perr := s.RenderStatus(w, r, status, page); perr != nil {
		// The error page itself failed: say so in plain text.
		s.log.Error("rendering the error page", "error", perr)
		http.Error(w, page.Message, status)
	}
}

// SetRetryAfter sends, for an error that says how long to wait (too many
// attempts, a busy server), the Retry-After header in whole seconds.
func SetRetryAfter(w http.ResponseWriter, err error) {
	var wait duban.RetryAfter
	if errors.As(err, &wait) {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(time.Duration(wait).Seconds())))))
	}
}

// backLink is where an error page's "back" link goes: the page the request
// came from when it is one of ours, else the ledger.
func backLink(r *http.Request) string {
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host && ref.Path != "" {
		return ref.RequestURI()
	}
	return "/"
}

// WriteJSON writes v as JSON with the status, encoding into a buffer first
// so that an encoding failure still gets a proper answer.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"服务器内部错误"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
