// Package review is the pages that read a notice into a plan and make it
// right: importing a notice, the review of a draft plan (its tasks'
// edits, splits and merges, unclaimed statements, names mapped to the
// directory, groups expanded, publishing), comparing a corrected notice
// with the plan, and editing the directory of units and leaders. Part
// gives them to web.New beside page.Part; they are served by page's
// server and use its partials and template functions (page.Area).
package review

import (
	"embed"
	"slices"

	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// templateFiles are the review's page templates, one file per page.
//
//go:embed templates/*.html
var templateFiles embed.FS

// Part is the review's share of the server, for web.New.
func Part() web.Part {
	return page.Area(templateFiles, web.Part{Routes: routes, English: english})
}

// server is the web server as the review's pages see it: page's, with
// the services.
type server struct {
	*page.Server
	svc web.Services
}

// routes joins the route lists of the review's pages, each a method in
// its own file.
func routes(srv *web.Server) []web.Route {
	s := &server{Server: page.ServerOf(srv), svc: srv.Services()}
	return slices.Concat(s.reviewRoutes(), s.directoryEditRoutes())
}
