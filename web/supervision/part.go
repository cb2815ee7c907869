// Package supervision is the pages of the supervision: the office's 督办单
// (supervision notices) with their answers and print, urging lagging
// tasks and units, the notifications' bell, and the channels that carry
// notices out with their delivery log. Part gives them to web.New beside
// page.Part; they are served by page's server and use its partials and
// template functions (page.Area).
package supervision

import (
	"embed"
	"slices"

	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/page"
)

// templateFiles are the supervision's page templates, one file per page.
//
//go:embed templates/*.html
var templateFiles embed.FS

// Part is the supervision pages' share of the server, for web.New.
func Part() web.Part {
	return page.Area(templateFiles, web.Part{Routes: routes, English: english})
}

// server is the web server as the supervision pages see it: page's, with
// the services.
type server struct {
	*page.Server
	svc web.Services
}

// routes joins the route lists of the supervision's pages, each a method
// in its own file.
func routes(srv *web.Server) []web.Route {
	s := &server{Server: page.ServerOf(srv), svc: srv.Services()}
	return slices.Concat(s.supervisionRoutes(), s.urgeRoutes(), s.notificationRoutes(), s.channelRoutes())
}
