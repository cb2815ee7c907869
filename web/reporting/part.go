// Package reporting is the pages of the reporting cycle: a plan's cycle
// settings and periods, the working-day calendar, a unit's to-do page,
// the report form with its evidence files, a report with its versions
// compared, the office's review queue, and requests to close tasks. Part
// gives them to web.New beside page.Part; they are served by page's
// server and use its partials and template functions (page.Area).
package reporting

import (
	"embed"
	"slices"

	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// templateFiles are the cycle's page templates, one file per page.
//
//go:embed templates/*.html
var templateFiles embed.FS

// Part is the reporting cycle's share of the server, for web.New.
func Part() web.Part {
	return page.Area(templateFiles, web.Part{Routes: routes, English: english})
}

// server is the web server as the cycle's pages see it: page's, with the
// services.
type server struct {
	*page.Server
	svc web.Services
}

// routes joins the route lists of the cycle's pages, each a method in its
// own file.
func routes(srv *web.Server) []web.Route {
	s := &server{Server: page.ServerOf(srv), svc: srv.Services()}
	return slices.Concat(s.periodRoutes(), s.reportRoutes())
}
