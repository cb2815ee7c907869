// Package web is the shared core of duban's web server: the Server, the
// route table and its checks, sessions and sign-in, CSRF, the security
// headers, rendering pages into the layout, the one error renderer (a page
// or JSON), the interface's languages, the page cache, the static files and
// the helpers that read a request. It holds no page and no API route of its
// own: the pages are package web/page, the JSON API package web/api, and
// the command assembles them with New(cfg, svc, page.Part(), api.Part()).
// Nothing is kept between requests that another server would need:
// sessions and sign-in failures live in the store, so that several servers
// behind a balancer act as one.
//
// # How a request flows
//
// Handler wraps every request in the request log, panic recovery and the
// security headers. Static files (/static/…) are served from the binary.
// Everything else is authenticated (a session cookie or an API token puts
// the user in the context with duban.NewContextWithUser) and routed by one
// http.ServeMux built from the parts' route tables. Each route is wrapped
// once, in route.go: the request body is bounded, the route's permission
// rule is applied (duban.Authorize with a named rule of permission.go), a
// route that changes something checks the CSRF token, then the handler
// runs. A handler returns an error instead of writing one; renderError maps
// duban.ErrorCode to an HTTP status in one place and shows
// duban.ErrorMessage as a page or, for an API route, as JSON. Internal
// errors are logged in full and shown generically; a request the client
// abandoned is logged as such and answered with nothing.
//
// # Routes
//
// A route names its method and pattern, the permission rule guarding it
// (Allow, nil only for the public sign-in routes), the action in Chinese
// for the refusal message, and Changes when it changes something. Path
// wildcards are named for what they identify ({task}, {plan}, {unit},
// {leader}, {user}, {token}, {statement}, {comment}), so that the
// permission walk (walk_test.go) can fill them; it calls every route of the
// assembled server that changes something as every role and checks the
// refusals. New refuses to start with a route without a rule or an action,
// a change not marked as one, an API route outside /api/ or a page route
// inside it. Never check a role in a handler: a rule about a thing
// (CanCommentOnTask) is the service's to apply, and the route's Allow is its
// coarse form (CanComment).
package web

import (
	"cmp"
	"errors"
	"html/template"
	"io/fs"
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

// A Part is what a package adds to the server: its routes and, for pages,
// their templates, template functions, messages and navigation entries.
// page.Part and api.Part are the two; New joins them.
type Part struct {
	// Routes lists the part's routes. New calls it once, with the server
	// whose services and renderer the handlers use.
	Routes func(*Server) []Route
	// Templates holds the part's page templates at its root: one file per
	// page (NAME.html, defining "content") and partials shared by its pages
	// (_NAME.html). Each page is parsed with the core's layout.
	Templates fs.FS
	// Funcs are the functions the part's templates call besides static.
	Funcs template.FuncMap
	// English is the part's message catalog: each message its templates and
	// handlers translate, in Chinese, with its English (i18n.go).
	English map[string]string
	// Nav lists the part's entries of the navigation bar, in order.
	Nav []NavEntry
}

// NavEntry is an entry of the navigation bar and the rule that shows it.
type NavEntry struct {
	Label string // in Chinese, translated
	Href  string
	Allow func(*duban.User) bool
}

// Server serves the parts' routes. It is safe for concurrent use and keeps
// nothing between requests but what it parsed at start and the caches of
// what other servers could make alike.
type Server struct {
	cfg       Config
	log       *slog.Logger
	svc       Services
	routes    []Route
	handler   http.Handler
	templates *Templates
	nav       []NavEntry
	cache     *pageCache // nil when the configuration keeps none
	// buffers lends the buffers pages are rendered into (render.go).
	buffers bufferPool
}

// New checks the services and builds the server of the parts: it parses
// the templates, indexes the static files and builds the route table, so
// that a mistake in any of them stops the server at start rather than on a
// user's request.
func New(cfg Config, svc Services, parts ...Part) (*Server, error) {
	if svc.Plans == nil || svc.Tasks == nil || svc.Units == nil || svc.Leaders == nil ||
		svc.Users == nil || svc.Audit == nil || svc.Auth == nil || svc.Comments == nil {
		return nil, errors.New("web: every service must be given")
	}
	s := &Server{cfg: cfg, svc: svc, log: cmp.Or(cfg.Logger, slog.Default())}
	if cfg.PageCache >= 0 {
		s.cache = newPageCache(cmp.Or(cfg.PageCache, defaultPageCache))
	}
	var err error
	if s.templates, err = NewTemplates(parts...); err != nil {
		return nil, err
	}
	for _, p := range parts {
		s.nav = append(s.nav, p.Nav...)
	}
	if s.routes, err = s.buildRoutes(parts); err != nil {
		return nil, err
	}
	s.handler = s.buildHandler()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns the route table, so that tests can walk every route.
func (s *Server) Routes() []Route { return s.routes }

// Services returns the services the handlers work through.
func (s *Server) Services() Services { return s.svc }

// Log returns the server's logger, for what a handler notes but does not
// fail on.
func (s *Server) Log() *slog.Logger { return s.log }
