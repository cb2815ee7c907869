// Package web serves duban in a browser and to scripts: server-rendered
// pages in Chinese (English switchable) and the JSON API, over the domain's
// services. It holds no state of its own between requests: sessions, sign-in
// failures and everything else live in the store, so that several servers
// behind a balancer act as one.
//
// # How a request flows
//
// Handler wraps every request in recover → request log → security headers.
// Static files (/static/…) are served from the binary. Everything else is
// authenticated (a session cookie or an API token puts the user in the
// context with duban.NewContextWithUser) and routed by one http.ServeMux
// built from the route table. Each route is wrapped once, in route.go: the
// request body is bounded, a route that changes something checks the CSRF
// token, the route's permission rule is applied (duban.Authorize with one of
// the named rules of permission.go), then the handler runs. A handler returns
// an error instead of writing one; renderError maps duban.ErrorCode to an
// HTTP status in one place and shows duban.ErrorMessage as a page or, for an
// API route, as JSON. Internal errors are logged in full and shown
// generically.
//
// # Adding a page
//
//  1. Write templates/NAME.html defining "content" (and "title" is the
//     page's Title). Every user-visible string goes through {{$.T "中文"}}
//     and has its English in the catalog (i18n.go); a test checks that.
//  2. Declare a page struct embedding Base, with a method
//     templateName() returning "NAME.html", and add an example of it to
//     the template test (templates_test.go), which executes every template.
//  3. The handler fills the struct and returns s.render(w, r, page). Base's
//     user, language, CSRF token, flash and navigation are filled by render.
//     A page that many people ask for alike (a list, the ledger) returns
//     s.renderCached(w, r, key, build) instead: its content is rendered once
//     per version of what lists show (cache.go), so it must depend on
//     nothing but the key, the language and the user's role, hold no form
//     that changes something, and show no comment, since a comment does not
//     move that version (TestCachedPagesShowNoComment checks the pages).
//  4. Owners and long option lists are written by the template functions
//     unitLinks, leaderLinks, unitOptions and leaderOptions, and the rows of
//     a list of tasks by taskTable (render.go), which escape in Go:
//     html/template's reflection per value made them most of a ledger's
//     cost. The lists a filter offers (plans, years, leaders, units) come
//     from s.choices(r), read once per version of what lists show and
//     shared (choices.go), page cache or not.
//
// # Adding a route
//
// Each area lists its routes in a method of its own file returning []Route
// (authRoutes in auth.go, ledgerRoutes in ledger.go…), and routes() in
// route.go joins the lists: add your method's name there, one line. A route
// names its method and pattern, the permission rule guarding it (Allow, nil
// only for the public sign-in routes), the action in Chinese for the
// refusal message, and Changes when it changes something. Path wildcards are
// named for what they identify ({task}, {plan}, {unit}, {leader}, {user},
// {token}, {statement}, {comment}), so that the permission walk in
// walk_test.go can fill them; it calls every route that changes something
// as every role and checks the refusals, so a new route is covered as soon
// as it is in the table (give it a form in walkForms if an empty one is not
// enough for the allowed roles to succeed). Never check a role in a handler:
// a rule about a thing (CanCommentOnTask) is the service's to apply, and the
// route's Allow is its coarse form (CanComment).
//
// # Adding an API handler
//
// An API route sets API: true and a pattern under /api/v1/; its errors are
// JSON ({"error": {"code": …, "message": …}}) and its handler writes with
// writeJSON. Scripts authenticate with "Authorization: Bearer <token>"
// (tokens are made on the accounts page); such requests need no CSRF token,
// since no browser sends that header by itself. A browser calling the API
// with its session cookie must send the CSRF token in X-CSRF-Token.
package web

import (
	"cmp"
	"errors"
	"html/template"
	"log/slog"
	"net/http"

	"github.com/dubanhq/duban"
)

// Config is what the web server needs to know about where it runs. It is
// filled once by the command and passed in; there are no package globals.
type Config struct {
	// TrustProxy says the server runs behind a balancer that sets
	// X-Forwarded-Proto and X-Forwarded-For: cookies are marked Secure when
	// the balancer says the request came over HTTPS, and failed sign-ins are
	// counted per the client's address rather than the balancer's. Leave it
	// off when clients reach the server directly, or they could forge both.
	TrustProxy bool
	// Logger receives the request log and internal errors in full.
	Logger *slog.Logger
	// PageCache bounds, in bytes, the rendered content kept of pages many
	// people ask for alike (cache.go); 0 means a default of 32 MB, a
	// negative number keeps none.
	PageCache int
}

// Services are the domain services the pages and the API work through.
type Services struct {
	Plans    duban.PlanService
	Tasks    duban.TaskService
	Units    duban.UnitService
	Leaders  duban.LeaderService
	Users    duban.UserService
	Audit    duban.AuditService
	Auth     duban.AuthService
	Comments duban.CommentService
}

// Server serves the pages and the API. It is safe for concurrent use and
// keeps nothing between requests but what it parsed at start: the templates
// and the static files.
type Server struct {
	cfg       Config
	log       *slog.Logger
	svc       Services
	routes    []Route
	handler   http.Handler
	templates map[string]*template.Template
	static    *staticFiles
	cache     *pageCache // nil when the configuration keeps none
	sources   *sourceCache
	// choiceCache keeps the filter forms' lists per version of what lists
	// show (choices.go), whatever the configuration.
	choiceCache choiceCache
	// buffers lends the buffers pages are rendered into (render.go).
	buffers bufferPool
}

// New checks the services and builds the server: it parses the templates,
// indexes the static files and builds the route table, so that a mistake in
// any of them stops the server at start rather than on a user's request.
func New(cfg Config, svc Services) (*Server, error) {
	if svc.Plans == nil || svc.Tasks == nil || svc.Units == nil || svc.Leaders == nil ||
		svc.Users == nil || svc.Audit == nil || svc.Auth == nil || svc.Comments == nil {
		return nil, errors.New("web: every service must be given")
	}
	s := &Server{cfg: cfg, svc: svc, log: cmp.Or(cfg.Logger, slog.Default()), sources: newSourceCache()}
	if cfg.PageCache >= 0 {
		s.cache = newPageCache(cmp.Or(cfg.PageCache, defaultPageCache))
	}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if s.templates, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	if s.routes, err = s.buildRoutes(); err != nil {
		return nil, err
	}
	s.handler = s.buildHandler()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns the route table, so that tests can walk every route.
func (s *Server) Routes() []Route { return s.routes }
