package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dubanhq/duban"
)

// SessionCookie is the cookie that carries a browser's session token; the
// API's document names it.
const SessionCookie = "duban_session"

// The other cookies the server sets. None carries anything but random
// tokens and the chosen language; the session's user is found in the store.
const (
	csrfCookie  = "duban_csrf"
	langCookie  = "duban_lang"
	flashCookie = "duban_flash"
)

// csrfField and csrfHeader carry the CSRF token in a form and in a script's
// request.
const (
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

// contentSecurityPolicy lets pages load only the server's own scripts,
// styles and images: no inline script, no other origin, no framing. The
// intranet has no internet, and nothing a task's text holds can run.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// requestState is what the middleware learns about a request, kept in its
// context for the handlers and the renderer.
type requestState struct {
	start   time.Time
	route   *Route
	api     bool              // errors are rendered as JSON
	secure  bool              // the client reached us over HTTPS
	address string            // the client's address
	lang    string            // "zh" or "en"
	english map[string]string // the server's catalog
	csrf    string            // the browser's CSRF token

	// abandoned says the client went away before the answer: the request
	// log shows statusClientClosed.
	abandoned bool

	session     *duban.Session
	sessionKey  string // the session's secret, from the cookie
	viaAPIToken bool   // authenticated by an API token, not a cookie

	// draft is the form's draft given back on this request, once looked
	// for (draft.go).
	draft      *duban.FormDraft
	draftTaken bool

	// heads are the versions of what lists show that the request reads,
	// once asked for (Server.heads, cache.go), with the lights of unit
	// headsUnit's tasks.
	heads     duban.Heads
	headsUnit int64
	headsRead bool
}

type stateKey struct{}

// state returns the request's state. Requests that did not pass through the
// middleware (none in the server) get an empty one.
func state(r *http.Request) *requestState {
	if st, ok := r.Context().Value(stateKey{}).(*requestState); ok {
		return st
	}
	return &requestState{lang: "zh"}
}

// buildHandler chains the middleware around the router: recover, request
// log and security headers for everything; the static files; then
// authentication and the route table.
func (s *Server) buildHandler() http.Handler {
	app := s.authenticate(s.mux())
	root := http.NewServeMux()
	root.Handle("GET /static/", s.templates.static)
	root.Handle("/", app)
	return s.begin(s.recoverPanics(s.headers(root)))
}

// statusClientClosed is the status the request log gives a request the
// client abandoned, as nginx logs it; it is never sent.
const statusClientClosed = 499

// statusWriter remembers the status written, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// begin makes the request's state and logs the request when it is done.
func (s *Server) begin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &requestState{
			start:   time.Now(),
			secure:  r.TLS != nil || (s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")),
			address: s.clientAddress(r),
			lang:    "zh",
			english: s.templates.english,
			api:     strings.HasPrefix(r.URL.Path, "/api/"),
		}
		if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
			st.lang = "en"
		}
		sw := &statusWriter{ResponseWriter: w}
		ctx := context.WithValue(r.Context(), stateKey{}, st)
		next.ServeHTTP(sw, r.WithContext(ctx))
		var user int64
		if st.session != nil {
			user = st.session.UserID
		}
		status := sw.status
		if st.abandoned && status == 0 {
			status = statusClientClosed
		}
		s.log.LogAttrs(ctx, slog.LevelInfo, "request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Int("status", status),
			slog.Int("size", sw.size), slog.Duration("took", time.Since(st.start)),
			slog.Int64("user", user), slog.String("address", st.address))
	})
}

// clientAddress is the address failed sign-ins are counted against: the
// connection's peer, or behind a trusted balancer the last address it
// added to X-Forwarded-For (the ones before it are the client's to forge).
func (s *Server) clientAddress(r *http.Request) string {
	if s.cfg.TrustProxy {
		if a := lastForwarded(r, "X-Forwarded-For"); a != "" {
			return a
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recoverPanics turns a handler's panic into a logged internal error and a
// generic page, so that one bad request does not end the server's answer to
// others and no stack reaches a user.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.renderError(w, r, fmt.Errorf("web: panic: %v\n%s", v, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}

// headers sets the security headers of every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		// Pages show what one user may see: no cache in between keeps them.
		h.Set("Cache-Control", "private, no-cache")
		if state(r).secure {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// authenticate finds who makes the request, from an API token or a session
// cookie, and puts the user in the context. A request with neither runs as
// nobody; the route's rule decides whether that is enough. It also makes
// sure the browser has a CSRF token for the forms of the page it will get.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				s.renderError(w, r, duban.Errorf(duban.EUNAUTHORIZED, "Authorization 头应为“Bearer 令牌”：令牌在“账号”页面创建。"))
				return
			}
			u, err := s.svc.Auth.FindUserByAPIToken(ctx, strings.TrimSpace(secret))
			if err != nil {
				s.renderError(w, r, err)
				return
			}
			st.viaAPIToken = true
			ctx = duban.NewContextWithUser(ctx, u)
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			sess, err := s.svc.Auth.FindSession(ctx, c.Value)
			switch duban.ErrorCode(err) {
			case "":
				st.session, st.sessionKey = sess, c.Value
				ctx = duban.NewContextWithUser(ctx, sess.User)
			case duban.EUNAUTHORIZED, duban.ENOTFOUND:
				// The session ended; the browser forgets it and the request
				// runs as nobody, which sends a page request to sign in.
				s.clearCookie(w, r, SessionCookie)
			default:
				s.renderError(w, r, err)
				return
			}
		}
		if !st.viaAPIToken {
			s.ensureCSRF(w, r)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// csrfLen is the length of a CSRF token: 32 random or HMAC bytes in
// unpadded base64url.
const csrfLen = 43

// sessionCSRF is the CSRF token of a session: an HMAC of a fixed message
// keyed by the session's secret. It is bound to the session, so that a
// token planted in a browser or taken from another session is worth
// nothing, and it reveals nothing of the secret, which only the HttpOnly
// cookie carries. Every server computes it alike, keeping nothing.
func sessionCSRF(sessionKey string) string {
	mac := hmac.New(sha256.New, []byte(sessionKey))
	mac.Write([]byte("duban csrf v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// ensureCSRF gives the browser the CSRF token of its session, or, signed
// out, a random one unless it has one of the right form.
func (s *Server) ensureCSRF(w http.ResponseWriter, r *http.Request) {
	st := state(r)
	c, err := r.Cookie(csrfCookie)
	if st.sessionKey != "" {
		st.csrf = sessionCSRF(st.sessionKey)
		if err != nil || c.Value != st.csrf {
			s.setCookie(w, r, &http.Cookie{Name: csrfCookie, Value: st.csrf})
		}
		return
	}
	if err == nil && len(c.Value) == csrfLen {
		st.csrf = c.Value
		return
	}
	s.rotateCSRF(w, r, "")
}

// rotateCSRF gives the browser a new CSRF token: the new session's when
// signing in, a random one when signing out, so that a token seen before
// either is worth nothing after.
func (s *Server) rotateCSRF(w http.ResponseWriter, r *http.Request, sessionKey string) {
	st := state(r)
	if sessionKey != "" {
		st.csrf = sessionCSRF(sessionKey)
	} else {
		st.csrf, _ = duban.NewSecret("")
	}
	s.setCookie(w, r, &http.Cookie{Name: csrfCookie, Value: st.csrf})
}

// errCSRF refuses a change whose CSRF token or origin is not the page's.
var errCSRF = duban.Errorf(duban.EFORBIDDEN, "页面已过期或来源不明，操作没有执行：请刷新页面后重试。")

// checkCSRF refuses a change whose form field (or header) does not carry
// the token of the browser's session, or, signed out, of its cookie:
// another site can make a browser send a form with its cookies, but cannot
// read the token to copy it. Requests made with an API token need none: no
// browser adds that header by itself.
func (s *Server) checkCSRF(r *http.Request) error {
	st := state(r)
	if st.viaAPIToken {
		return nil
	}
	sent := r.Header.Get(csrfHeader)
	if sent == "" {
		if err := parseForm(r); err != nil {
			return err
		}
		sent = r.PostForm.Get(csrfField)
	}
	want := ""
	if st.sessionKey != "" {
		want = sessionCSRF(st.sessionKey)
	} else if c, err := r.Cookie(csrfCookie); err == nil {
		want = c.Value
	}
	if len(want) != csrfLen || len(sent) != csrfLen || subtle.ConstantTimeCompare([]byte(want), []byte(sent)) != 1 {
		return errCSRF
	}
	return nil
}

// checkOrigin refuses a change another site asked a browser to make, as
// http.CrossOriginProtection does: a browser says so in Sec-Fetch-Site
// (only same-origin and none, a request the person made, pass); an older
// one sends an Origin, which must be this server. Behind a trusted
// balancer the server is the forwarded host and scheme. A script sends
// neither header and passes: it has no cookies for another site to use.
func (s *Server) checkOrigin(r *http.Request) error {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return nil
	case "":
	default:
		return errCSRF
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	o, err := url.Parse(origin)
	if err != nil || o.Host == "" {
		return errCSRF
	}
	host := r.Host
	if s.cfg.TrustProxy {
		if fh := lastForwarded(r, "X-Forwarded-Host"); fh != "" {
			host = fh
		}
		if proto := lastForwarded(r, "X-Forwarded-Proto"); proto != "" && !strings.EqualFold(proto, o.Scheme) {
			return errCSRF
		}
	}
	if !strings.EqualFold(o.Host, host) {
		return errCSRF
	}
	return nil
}

// lastForwarded returns the last value a balancer added to a forwarding
// header: the ones before it are the client's to forge.
func lastForwarded(r *http.Request, name string) string {
	vs := r.Header.Values(name)
	if len(vs) == 0 {
		return ""
	}
	parts := strings.Split(vs[len(vs)-1], ",")
	return strings.TrimSpace(parts[len(parts)-1])
}

// parseForm reads a form body, a multipart one too, within the route's
// bound, and says so plainly when the body is too large. A body of another
// type (the API's JSON) is left for the handler; a form read before is not
// read again.
func parseForm(r *http.Request) error {
	if r.PostForm != nil {
		return nil
	}
	var err error
	switch mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt {
	case "multipart/form-data":
		err = r.ParseMultipartForm(8 << 20)
	case "application/x-www-form-urlencoded", "":
		err = r.ParseForm()
	default:
		return nil
	}
	var tooLarge *http.MaxBytesError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &tooLarge) && state(r).route != nil && state(r).route.TooLarge != "":
		return duban.Errorf(duban.ETOOLARGE, "%s", state(r).route.TooLarge)
	case errors.As(err, &tooLarge) && tooLarge.Limit == MaxUpload:
		// The bound of an upload has room for the form around the file:
		// the limit to name is the file's, as the form states it.
		return errNoticeTooLarge
	case errors.As(err, &tooLarge):
		return duban.Errorf(duban.ETOOLARGE, "提交的内容过大（超过 %.0f MB）：请检查所选文件。", float64(tooLarge.Limit)/(1<<20))
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, http.ErrMissingBoundary):
		return &duban.Error{Code: duban.EINVALID, Message: "表单格式不正确：请从页面上提交。", Err: err}
	}
	return &duban.Error{Code: duban.EINVALID, Message: "无法读取提交的表单：请重试。", Err: err}
}

// setCookie sets a cookie with the flags every cookie of ours has:
// HttpOnly (no script reads it), SameSite=Lax (another site's form does not
// carry it), Path=/, and Secure when the client came over HTTPS.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, c *http.Cookie) {
	c.Path = "/"
	c.HttpOnly = true
	c.SameSite = http.SameSiteLaxMode
	c.Secure = state(r).secure
	http.SetCookie(w, c)
}

// clearCookie tells the browser to forget a cookie.
func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	s.setCookie(w, r, &http.Cookie{Name: name, Value: "", MaxAge: -1})
}
