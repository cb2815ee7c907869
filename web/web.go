// Package web is the shared core of duban's web server: the Server and its
// route table, sessions and CSRF, rendering pages into the layout, the one
// error renderer (a page or JSON), i18n, the page cache, static files and
// request helpers. The pages are package web/page and its areas
// (web/review, web/reporting, web/supervision, web/outputs), the JSON API
// package web/api; the command joins their parts with New(cfg, svc,
// page.Part(), review.Part(), …, api.Part()). Nothing another server would
// need is kept in memory.
//
// # How a request flows
//
// Every request is logged, recovered from panics and given the security
// headers; static files are served from the binary; everything else is
// authenticated (a session cookie or an API token puts the user in the
// context) and routed by one http.ServeMux over the parts' routes. serve
// (route.go) bounds the body, applies the route's permission rule, checks
// the CSRF token of a change, then runs the handler. A handler returns an
// error instead of writing one, and renderError maps its duban.ErrorCode to
// a status in one place. Internal errors are logged in full and shown
// generically; a request the client abandoned is logged as such.
//
// # Routes
//
// A route names its method and pattern, its permission rule (Allow, nil
// only for signing in), the action in Chinese for the refusal, and Changes
// when it changes something. Path wildcards are named for what they
// identify ({task}, {plan}, {unit}, {leader}, {user}, {token}, {statement},
// {comment}, {supervision}, {notification}, {channel}), so that the permission walk (walk_test.go) can call every
// route of the assembled server as every role. New refuses a route without
// a rule or an action, a change not marked as one, or an API route outside
// /api/. A handler never checks a role: a rule about a thing
// (CanCommentOnTask) is the service's, and the route's Allow its coarse form.
package web

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
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
	// Now is the clock the pages tell due and overdue by; nil is the
	// system's. Tests set the store's.
	Now func() time.Time
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

	// The reporting cycle's services.
	Periods      cycle.PeriodService
	Reports      cycle.ReportService
	Lights       cycle.LightService
	Reminders    cycle.ReminderService
	Evidence     cycle.EvidenceService
	Supervisions cycle.SupervisionService
	// Files keeps the bytes of evidence files (package evidence's Store).
	Files EvidenceFiles
	// The cycle's outputs: the overview's figures, the bulletins' words and
	// what each plan shows the public.
	Overview     cycle.OverviewService
	Bulletins    cycle.BulletinService
	Publications cycle.PublicationService

	// The supervision's: the bell, and the channels with their delivery
	// log.
	Notifications cycle.NotificationService
	Deliveries    duban.DeliveryService
	// Tester sends a channel's test message at once: the server's drainer
	// (notify.Drainer), since a test is sent, not queued.
	Tester ChannelTester
}

// ChannelTester sends a test message through a channel and returns its job
// as recorded: sent, or failed with the reason in words.
type ChannelTester interface {
	SendTest(ctx context.Context, channelID int64) (*duban.Delivery, error)
}

// A Part is what a package adds to the server: its routes and, for pages,
// their templates, template functions, messages and navigation entries.
// The pages' packages and the API each give one; New joins them.
type Part struct {
	// Routes lists the part's routes. New calls it once, with the server
	// whose services and renderer the handlers use.
	Routes func(*Server) []Route
	// Templates holds the part's page templates at its root: one file per
	// page (NAME.html, defining "content") and partials shared by its pages
	// (_NAME.html). Each page is parsed with the core's layout.
	Templates fs.FS
	// Partials holds another part's partials (_NAME.html at its root) that
	// this part's pages use too, parsed before the part's own; nil for
	// none. An area of the pages borrows page's this way (page.Area).
	Partials fs.FS
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
	// navBars keeps the navigation bar's links rendered, by language,
	// entries shown and the current one (render.go).
	navBars sync.Map
	cache   *pageCache // nil when the configuration keeps none
	data    *dataCache // the same
	// buffers lends the buffers pages are rendered into (render.go).
	buffers BufferPool
	// shared holds what the parts keep for this server (Shared).
	sharedMu sync.Mutex
	shared   map[any]any
}

// New checks the services and builds the server of the parts: it parses
// the templates, indexes the static files and builds the route table, so
// that a mistake in any of them stops the server at start rather than on a
// user's request.
func New(cfg Config, svc Services, parts ...Part) (*Server, error) {
	if svc.Plans == nil || svc.Tasks == nil || svc.Units == nil || svc.Leaders == nil ||
		svc.Users == nil || svc.Audit == nil || svc.Auth == nil || svc.Comments == nil ||
		svc.Periods == nil || svc.Reports == nil || svc.Lights == nil || svc.Reminders == nil || svc.Evidence == nil || svc.Files == nil ||
		svc.Supervisions == nil || svc.Overview == nil || svc.Bulletins == nil || svc.Publications == nil ||
		svc.Notifications == nil || svc.Deliveries == nil || svc.Tester == nil {
		return nil, errors.New("web: every service must be given")
	}
	s := &Server{cfg: cfg, svc: svc, log: cmp.Or(cfg.Logger, slog.Default())}
	if cfg.PageCache >= 0 {
		s.cache = newPageCache(cmp.Or(cfg.PageCache, defaultPageCache))
		s.data = newDataCache(defaultDataCache)
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

// Shared returns what the parts keep for this server under key, made by
// build the first time it is asked for, so that parts share one server's
// caches (page.ServerOf) without keeping anything of their own globally.
func (s *Server) Shared(key any, build func() any) any {
	s.sharedMu.Lock()
	defer s.sharedMu.Unlock()
	v, ok := s.shared[key]
	if !ok {
		v = build()
		if s.shared == nil {
			s.shared = map[any]any{}
		}
		s.shared[key] = v
	}
	return v
}

// Today is today's date in Beijing by the server's clock.
func (s *Server) Today() duban.Date { return duban.Today(s.now()) }

// now is the server's clock.
func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
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
