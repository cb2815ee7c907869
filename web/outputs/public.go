package outputs

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/cycle"
	"github.com/dubanhq/duban/web"
)

// publicRoutes are the public page (政务公开): the plans the office made
// public, each with its targets and tasks, for anyone, without signing in.
// Its content is kept for a minute and each address may ask a few times a
// second, so that a crowd reading it costs the office's own pages little.
func (s *server) publicRoutes() []web.Route {
	return []web.Route{
		{Method: "GET", Pattern: "/public", Handler: s.publicPlans},
		{Method: "GET", Pattern: "/public/plans/{plan}", Handler: s.publicPlan},
	}
}

// How long the public page's content is kept, and how often an address may
// ask for it: a reader clicking through several plans is never refused, a
// script hammering it is.
const (
	publicTTL   = time.Minute
	publicRate  = 5
	publicBurst = 30
)

// publicPlansPage lists the public plans.
type publicPlansPage struct {
	web.Base
	Plans []cycle.PublicPlanSummary
}

func (*publicPlansPage) TemplateName() string { return "public_plans.html" }

// publicPlanPage is a public plan.
type publicPlanPage struct {
	web.Base
	P *cycle.PublicPlan
}

func (*publicPlanPage) TemplateName() string { return "public.html" }

// LightLabel is a light's word in the page's language.
func (p *publicPlanPage) LightLabel(s cycle.LightStatus) string {
	if p.Lang == "en" {
		return s.LabelEN()
	}
	return s.Label()
}

// Lights lists the lights in display order, for the totals.
func (p *publicPlanPage) Lights() []cycle.LightStatus { return cycle.LightStatuses }

// Count is the number of tasks shown of light s.
func (p *publicPlanPage) Count(s cycle.LightStatus) int { return p.P.Counts.Of(s) }

// Numeral is an action's number: 一, 二….
func (p *publicPlanPage) Numeral(n int) string { return duban.ChineseNumeral(n) }

// Names joins names as a sentence does: 甲、乙.
func (p *publicPlanPage) Names(names []string) string { return strings.Join(names, "、") }

// Percent writes a target's progress.
func (p *publicPlanPage) Percent(t cycle.TargetProgress) string {
	return strconv.Itoa(int(t.Ratio*100+0.5)) + "%"
}

func (s *server) publicPlans(w http.ResponseWriter, r *http.Request) error {
	return s.renderPublic(w, r, func() (web.Page, error) {
		p := &publicPlansPage{}
		p.Title = web.Lang(r).T("政务公开")
		var err error
		p.Plans, err = s.svc.Publications.FindPublicPlans(r.Context())
		return p, err
	})
}

func (s *server) publicPlan(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "plan")
	if err != nil {
		return err
	}
	return s.renderPublic(w, r, func() (web.Page, error) {
		pp, err := s.svc.Publications.FindPublicPlan(r.Context(), id)
		if err != nil {
			return nil, err
		}
		p := &publicPlanPage{P: pp}
		p.Title = pp.Title
		return p, nil
	})
}

// renderPublic answers a public page from the content kept of it, made
// afresh by build once it is older than publicTTL (by one request, while
// the others are answered with the content kept), after taking a token of
// the address's bucket.
func (s *server) renderPublic(w http.ResponseWriter, r *http.Request, build func() (web.Page, error)) error {
	if !s.publicLimit.Allow(web.ClientAddress(r)) {
		w.Header().Set("Retry-After", "2")
		return duban.Errorf(duban.ETOOMANY, "访问过于频繁：请稍等几秒再刷新。")
	}
	key := r.URL.Path + "\x00" + web.Language(r)
	pc := &s.public
	now := time.Now()
	pc.mu.Lock()
	e := pc.entries[key]
	fresh := e != nil && now.Before(e.expires)
	rebuild := !fresh && (e == nil || !e.building)
	if rebuild && e != nil {
		e.building = true
	}
	pc.mu.Unlock()
	if e != nil && !rebuild {
		// Fresh, or being made again by another request: the kept content.
		p := &publicContent{name: e.template}
		p.Title, p.Content = e.title, e.content
		return s.Render(w, r, p)
	}
	p, err := build()
	if err != nil {
		pc.mu.Lock()
		if e != nil {
			e.building = false
		}
		pc.mu.Unlock()
		return err
	}
	content, err := s.RenderContent(w, r, p)
	if err != nil {
		return err
	}
	pc.put(key, &publicEntry{title: titleOf(p), template: p.TemplateName(), content: content, expires: now.Add(publicTTL)})
	return s.Render(w, r, &publicContent{name: p.TemplateName(), Base: web.Base{Title: titleOf(p), Content: content}})
}

// titleOf is a page's title.
func titleOf(p web.Page) string {
	switch p := p.(type) {
	case *publicPlansPage:
		return p.Title
	case *publicPlanPage:
		return p.Title
	}
	return ""
}

// publicContent shows kept content in the layout.
type publicContent struct {
	web.Base
	name string
}

func (p *publicContent) TemplateName() string { return p.name }

// publicCache keeps the public pages' content for a while.
type publicCache struct {
	mu      sync.Mutex
	entries map[string]*publicEntry
}

// publicEntry is a public page's content until it expires.
type publicEntry struct {
	title, template string
	content         template.HTML
	expires         time.Time
	// building says a request is making it again.
	building bool
}

// maxPublicEntries bounds the pages kept: the public plans in two
// languages.
const maxPublicEntries = 256

func (pc *publicCache) put(key string, e *publicEntry) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.entries == nil || len(pc.entries) >= maxPublicEntries {
		pc.entries = map[string]*publicEntry{}
	}
	pc.entries[key] = e
}
