// Package outputs is the pages of the reporting cycle's outputs: the
// overview (一屏统览), a plan's files with the Excel task table, progress
// ledger and offline fill-in books, the Word bulletin, the ledger and a
// task made to be printed, and the public page with its settings. Part
// gives them to web.New beside page.Part; they are served by page's
// server and use its partials and template functions (page.Area).
package outputs

import (
	"embed"
	"slices"

	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// templateFiles are the outputs' page templates, one file per page.
//
//go:embed templates/*.html
var templateFiles embed.FS

// Part is the outputs' share of the server, for web.New.
func Part() web.Part {
	return page.Area(templateFiles, web.Part{Routes: routes, English: english})
}

// server is the web server as the outputs' pages see it: page's, with the
// services and the outputs' own caches.
type server struct {
	*page.Server
	svc web.Services
	// planCache keeps plans with their tasks per version of what lists show,
	// for the overview (overview.go).
	planCache planCache
	// public keeps the public pages' content for a while, and publicLimit
	// bounds how often each address asks for them (public.go).
	public      publicCache
	publicLimit *web.Limiter
}

// routes joins the route lists of the outputs' pages, each a method in its
// own file.
func routes(srv *web.Server) []web.Route {
	s := &server{Server: page.ServerOf(srv), svc: srv.Services(), publicLimit: web.NewLimiter(publicRate, publicBurst)}
	return slices.Concat(s.overviewRoutes(), s.exportRoutes(), s.bulletinRoutes(), s.printRoutes(), s.publicRoutes())
}
