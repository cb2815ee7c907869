// Package page is the core of duban's server-rendered pages: signing in,
// the home pages, the ledger, a task, the units and leaders, the plans and
// the accounts, and what the areas of the pages share. Each has a file of
// its own holding its routes, its page structs and its handlers; its
// templates are in templates/, one file per page. Part gives them to
// web.New, which serves them in the layout, with the core's sessions,
// CSRF, permission rules and error pages.
//
// The other pages are areas, each a package with its own Part, templates
// and catalog: web/review (importing and reviewing notices, the
// directory's forms), web/reporting (the reporting cycle), web/supervision
// (督办单, urges, notifications, channels) and web/outputs (the overview,
// files, bulletins, print and public pages). An area's handlers are
// methods of a type embedding the Server that ServerOf shares; its part,
// made by Area, lets its templates use the partials of templates/_*.html
// (the task list, the pager, the to-do list…) and the template functions
// here, and its catalog may use the messages of this one (i18n.go), which
// holds those more than one package shows.
//
// # Adding a page
//
//  1. Write templates/NAME.html defining "content" (the page's title is its
//     Title). Every user-visible string goes through {{$.T "中文"}} and has
//     its English in the package's catalog (i18n.go); a test checks that.
//  2. Declare a page struct embedding web.Base, with a method TemplateName()
//     returning "NAME.html", and add an example of it to the package's
//     template test (templates_test.go), which executes every template.
//  3. The handler fills the struct and returns s.Render(w, r, page). Base's
//     user, language, CSRF token, flash and navigation are filled by Render.
//     A page that many people ask for alike (a list, the ledger) returns
//     s.RenderCached(w, r, key, build) instead: its content is rendered once
//     per version of what lists show (web's cache.go), so it must depend on
//     nothing but the key, the language and the user's role, hold no form
//     that changes something, and show no comment, since a comment does not
//     move that version (TestCachedPagesShowNoComment checks the pages).
//     A page of one unit's tasks returns s.RenderCachedUnit(w, r, key,
//     unit, build): kept until the tasks or their lights change, it must
//     show nothing else a report changes (TestUnitPagesFollowLights).
//  4. Owners and long option lists are written by the template functions
//     unitLinks, leaderLinks, unitOptions and leaderOptions, and the rows of
//     a list of tasks by taskTable (html.go), which escape in Go, since
//     html/template's reflection per value would be most of a ledger's
//     cost. The lists a filter offers (plans, years, leaders, units) come
//     from s.Choices(r), read once per version of the tasks and the
//     directory and shared (choices.go), page cache or not.
//
// # Adding a route
//
// Each file lists its routes in a method returning []web.Route (authRoutes
// in auth.go, ledgerRoutes in ledger.go…), and routes in page.go (an
// area's part.go) joins the lists: add your method's name there, one
// line; a page the navigation bar leads to adds its entry to navigation
// (page.go), which keeps the bar's order for every area.
// See package web for what a route says; the permission walk calls a new
// route that changes something as every role as soon as it is listed (give
// it a form in walkForms, web/walk_test.go, if an empty one is not enough
// for the allowed roles to succeed).
package page

import (
	"embed"
	"html/template"
	"io/fs"
	"maps"
	"strings"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// templateFiles are the page templates: one file per page, and the
// partials (files named _*.html) the pages share.
//
//go:embed templates/*.html
var templateFiles embed.FS

// Part is the core pages' share of the server, for web.New.
func Part() web.Part {
	return web.Part{Routes: routes, Templates: templateDir(), Funcs: templateFuncs(), English: english, Nav: navigation}
}

// templateDir is the directory of the pages' templates.
func templateDir() fs.FS { return TemplateDir(templateFiles) }

// TemplateDir returns the templates/ directory of a package's embedded
// files.
func TemplateDir(files embed.FS) fs.FS {
	dir, err := fs.Sub(files, "templates")
	if err != nil {
		panic(err) // the directory is embedded: it is there
	}
	return dir
}

// Area completes the part of an area of the pages (the review, the
// cycle, the supervision, the outputs), whose templates are the
// templates/ directory of files: they may also use the core's partials
// (templates/_*.html) and template functions.
func Area(files embed.FS, p web.Part) web.Part {
	p.Templates = TemplateDir(files)
	p.Partials = templateDir()
	funcs := templateFuncs()
	maps.Copy(funcs, p.Funcs)
	p.Funcs = funcs
	return p
}

// Server is the web server as the pages of every area see it: the core's
// rendering and sessions, the services, and the caches the areas share.
// An area's handlers are methods of a type embedding the one ServerOf
// returns.
type Server struct {
	*web.Server
	svc     web.Services
	sources *sourceCache
	// choiceCache keeps the filter forms' lists per version of what lists
	// show (choices.go), whatever the configuration.
	choiceCache choiceCache
}

// serverKey keys the pages' Server among what the parts keep for a web
// server.
type serverKey struct{}

// ServerOf returns the pages' Server of srv, made for the first area that
// asks and shared by the others.
func ServerOf(srv *web.Server) *Server {
	return srv.Shared(serverKey{}, func() any {
		return &Server{Server: srv, svc: srv.Services(), sources: newSourceCache()}
	}).(*Server)
}

// routes joins the route lists of the core's pages. Each list is a method
// in its own file; a new one is added here.
func routes(srv *web.Server) []web.Route {
	s := ServerOf(srv)
	var all []web.Route
	for _, group := range [][]web.Route{
		s.authRoutes(),
		s.homeRoutes(),
		s.ledgerRoutes(),
		s.taskRoutes(),
		s.directoryRoutes(),
		s.planRoutes(),
		s.accountRoutes(),
	} {
		all = append(all, group...)
	}
	return all
}

// navigation lists the navigation bar's entries in order. An area adds its
// entry here.
var navigation = []web.NavEntry{
	{Label: "首页", Href: "/", Allow: duban.CanRead},
	{Label: "一屏统览", Href: "/overview", Allow: duban.CanRead},
	{Label: "台账", Href: "/tasks", Allow: duban.CanRead},
	{Label: "文件", Href: "/plans", Allow: duban.CanRead},
	{Label: "单位", Href: "/units", Allow: duban.CanRead},
	{Label: "领导", Href: "/leaders", Allow: duban.CanRead},
	{Label: "督办单", Href: "/supervisions", Allow: cycle.CanAnswerSupervisions},
	{Label: "催办", Href: "/urges", Allow: cycle.CanUrge},
	{Label: "渠道", Href: "/channels", Allow: duban.CanManageChannels},
	{Label: "账号", Href: "/accounts", Allow: duban.CanManageUsers},
	{Label: "待报", Href: "/todo", Allow: cycle.OwesReports},
	{Label: "报告审核", Href: "/reports", Allow: cycle.CanReviewReport},
}

// templateFuncs are the functions the pages' templates may call besides
// the page's methods and the core's static.
func templateFuncs() template.FuncMap {
	return template.FuncMap{
		"date": date,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(displayZone).Format("2006-01-02 15:04")
		},
		"join":          func(owners []duban.Owner) string { return strings.Join(duban.OwnerNames(owners), "、") },
		"joinNames":     func(names []string) string { return strings.Join(names, "、") },
		"unitLinks":     func(owners []duban.Owner) template.HTML { return ownerLinks("/units/", owners) },
		"leaderLinks":   func(owners []duban.Owner) template.HTML { return ownerLinks("/leaders/", owners) },
		"unitOptions":   unitOptions,
		"short":         cycle.Shorten,
		"leaderOptions": leaderOptions,
	}
}

// FormError is a refusal to show beside the form that caused it, rather
// than on an error page: what the user typed is kept.
func FormError(err error) bool {
	code := duban.ErrorCode(err)
	return code == duban.EINVALID || code == duban.ECONFLICT
}
