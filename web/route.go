package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/dubanhq/duban"
)

// HandlerFunc is a route's handler. It writes a response only when it
// succeeds; an error it returns is rendered by renderError, as a page or as
// JSON, with the status its code maps to.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one entry of the route table.
type Route struct {
	// Method and Pattern are the http.ServeMux pattern's two halves: GET,
	// POST (PUT, PATCH and DELETE for the API), and a path whose wildcards
	// are named for what they identify ({task}, {plan}, {unit}…).
	Method  string
	Pattern string
	// Allow is the permission rule that guards the route: one of the named
	// rules of the domain's permission.go, applied before the handler runs. Nil makes the
	// route public (signing in, the language switch).
	Allow func(*duban.User) bool
	// Action says in Chinese what the route does (查看台账), for the message
	// that refuses it.
	Action string
	// Changes says the route changes something. Such a route needs the CSRF
	// token (unless called with an API token), and the permission walk calls
	// it as every role. It must be set for every method but GET and HEAD, and
	// only for them.
	Changes bool
	// API renders the route's errors as JSON rather than as a page. It is
	// set for the routes under /api/ and only for them.
	API bool
	// MaxBody bounds the request body in bytes; 0 means defaultMaxBody. An
	// upload route sets its own.
	MaxBody int64
	// TooLarge is the refusal of a body past MaxBody, when the route's form
	// says its limits in other words than the bound ("" names the bound).
	TooLarge string
	// Handler serves the route.
	Handler HandlerFunc
}

// defaultMaxBody is the largest form a route accepts unless it says
// otherwise: far more than any form of text, far less than a file.
const defaultMaxBody = 1 << 20

// String names the route as its pattern does.
func (rt *Route) String() string { return rt.Method + " " + rt.Pattern }

// buildRoutes joins the parts' routes and checks each, so that a route
// without a rule, a POST not marked as a change, or an API route outside
// /api/ stops the server at start.
func (s *Server) buildRoutes(parts []Part) ([]Route, error) {
	var all []Route
	seen := map[string]bool{}
	for _, part := range parts {
		if part.Routes == nil {
			continue
		}
		for _, rt := range part.Routes(s) {
			safe := rt.Method == http.MethodGet || rt.Method == http.MethodHead
			switch {
			case rt.Handler == nil:
				return nil, fmt.Errorf("web: route %s has no handler", &rt)
			case !strings.HasPrefix(rt.Pattern, "/"):
				return nil, fmt.Errorf("web: route %s: the pattern must start with /", &rt)
			case safe == rt.Changes:
				return nil, fmt.Errorf("web: route %s: Changes must be set for every method but GET and HEAD, and only for them", &rt)
			case rt.Allow != nil && rt.Action == "":
				return nil, fmt.Errorf("web: route %s: a guarded route needs an Action for its refusal message", &rt)
			case rt.API != strings.HasPrefix(rt.Pattern, "/api/"):
				return nil, fmt.Errorf("web: route %s: API must be set for the routes under /api/, and only for them", &rt)
			case seen[rt.String()]:
				return nil, fmt.Errorf("web: route %s is listed twice", &rt)
			}
			seen[rt.String()] = true
			all = append(all, rt)
		}
	}
	return all, nil
}

// mux builds the router of the route table, each route wrapped by serve.
// Paths no route matches get the not-found page.
func (s *Server) mux() *http.ServeMux {
	mux := http.NewServeMux()
	for i := range s.routes {
		rt := &s.routes[i]
		mux.Handle(rt.String(), s.serve(rt))
	}
	probe := http.NewServeMux()
	methods := map[string]bool{}
	for i := range s.routes {
		probe.Handle(s.routes[i].String(), http.NotFoundHandler())
		methods[s.routes[i].Method] = true
	}
	notFound := &Route{Method: "", Pattern: "/", Handler: func(w http.ResponseWriter, r *http.Request) error {
		if allow := allowedMethods(probe, methods, r); allow != "" {
			w.Header().Set("Allow", allow)
			return &duban.Error{Code: duban.EINVALID, Err: errMethodNotAllowed,
				Message: fmt.Sprintf("这个地址不接受 %s 请求，只接受 %s：请检查请求的方法。", r.Method, allow)}
		}
		if state(r).api {
			return duban.Errorf(duban.ENOTFOUND, "没有这个接口：请对照 /api/v1/openapi.json 检查请求的方法和地址。")
		}
		return duban.Errorf(duban.ENOTFOUND, "页面不存在：请检查地址，或从导航栏进入。")
	}}
	mux.Handle("/", s.serve(notFound))
	return mux
}

// errMethodNotAllowed marks the error of a request whose path a route
// takes with other methods; ErrorStatus answers it with 405.
var errMethodNotAllowed = errors.New("web: method not allowed")

// allowedMethods returns the methods the routes take at the request's path,
// as an Allow header lists them ("GET, HEAD, POST"), or "" when none does.
func allowedMethods(probe *http.ServeMux, methods map[string]bool, r *http.Request) string {
	var allow []string
	for m := range methods {
		req := r.Clone(r.Context())
		req.Method = m
		if _, pattern := probe.Handler(req); pattern != "" {
			allow = append(allow, m)
		}
	}
	if slices.Contains(allow, http.MethodGet) {
		allow = append(allow, http.MethodHead)
	}
	slices.Sort(allow)
	return strings.Join(allow, ", ")
}

// serve wraps a route's handler with what every route gets, in order: the
// body bound, the permission rule, the CSRF check for changes, and the
// rendering of the handler's error.
func (s *Server) serve(rt *Route) http.Handler {
	limit := rt.MaxBody
	if limit == 0 {
		limit = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := state(r)
		st.route = rt
		if rt.API || strings.HasPrefix(r.URL.Path, "/api/") {
			st.api = true
		}
		if to, ok := shortAddress(r, rt); ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := s.check(r, rt); err != nil {
			s.renderError(w, r, err)
			return
		}
		// A form is read here, once, so that every handler finds it in
		// r.PostForm however its CSRF token came.
		err := parseForm(r)
		if err == nil {
			err = checkRequest(r)
		}
		if err != nil {
			s.renderError(w, r, err)
			return
		}
		if err := rt.Handler(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// shortAddress returns the address of a page asked for with empty
// parameters without them, and whether there were any: a filter form sends
// every field (/tasks?plan=&unit=2), and the address people bookmark should
// say only what filters (/tasks?unit=2). API requests are answered as
// asked.
func shortAddress(r *http.Request, rt *Route) (string, bool) {
	if rt.Method != http.MethodGet || rt.API || !strings.Contains(r.URL.RawQuery, "=") {
		return "", false
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", false // the handler says what is wrong with it
	}
	short := false
	for k, vs := range q {
		kept := slices.DeleteFunc(slices.Clone(vs), func(v string) bool { return v == "" })
		if len(kept) == len(vs) {
			continue
		}
		short = true
		if len(kept) == 0 {
			q.Del(k)
		} else {
			q[k] = kept
		}
	}
	if !short {
		return "", false
	}
	if len(q) == 0 {
		return r.URL.EscapedPath(), true
	}
	return r.URL.EscapedPath() + "?" + q.Encode(), true
}

// check applies the route's permission rule, then, for a change, the
// origin and CSRF checks: a refused user's body is never read.
func (s *Server) check(r *http.Request, rt *Route) error {
	if rt.Allow != nil {
		if _, err := duban.Authorize(r.Context(), rt.Action, rt.Allow); err != nil {
			return err
		}
	}
	if rt.Changes {
		if err := s.checkOrigin(r); err != nil {
			return err
		}
		return s.checkCSRF(r)
	}
	return nil
}
