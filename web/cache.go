package web

import (
	"container/list"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/dubanhq/duban"
)

// pageCache keeps the rendered content of pages many people ask for alike
// (the ledger filtered by a unit, a unit's page) while what they show has
// not changed. That version is read from the store, the same on every
// server, so an entry is right while it has not moved; a server without the
// entry renders the page itself. For most pages it is the latest audit
// event but comments (ListsHead); for the pages of one unit's tasks it is
// the latest event but comments and reports with the version of the unit's
// tasks' lights (duban.Heads), so that a report, which changes one task's
// light, leaves the pages of the units it does not concern as they were.
type pageCache struct {
	mu    sync.Mutex
	max   int // bytes of content at most
	size  int
	items map[string]*list.Element
	lru   *list.List // most recently used first
}

// cachedContent is one page's content at one version.
type cachedContent struct {
	key      string
	version  [2]int64
	title    string
	template string
	// bare is the page's Base.Bare: a page shown alone (the overview's
	// full screen) comes back alone.
	bare    bool
	content template.HTML
}

// defaultPageCache is the content kept unless the configuration says
// otherwise: a few hundred pages.
const defaultPageCache = 32 << 20

func newPageCache(max int) *pageCache {
	return &pageCache{max: max, items: map[string]*list.Element{}, lru: list.New()}
}

// get returns the content of key rendered at version, if there is one.
func (c *pageCache) get(key string, version [2]int64) (*cachedContent, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok {
		return nil, false
	}
	cc := e.Value.(*cachedContent)
	if cc.version != version {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return cc, true
}

// put keeps content, replacing an older one of the same key and dropping
// the least recently used beyond the size.
func (c *pageCache) put(cc *cachedContent) {
	if len(cc.content) > c.max/8 {
		return // a page that large would push out too many others
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[cc.key]; ok {
		c.size -= len(e.Value.(*cachedContent).content)
		c.lru.Remove(e)
	}
	c.items[cc.key] = c.lru.PushFront(cc)
	c.size += len(cc.content)
	for c.size > c.max {
		e := c.lru.Back()
		old := e.Value.(*cachedContent)
		c.lru.Remove(e)
		delete(c.items, old.key)
		c.size -= len(old.content)
	}
}

// cachedPage shows content from the cache in the layout.
type cachedPage struct {
	Base
	name string
}

func (p *cachedPage) TemplateName() string { return p.name }

// RenderCached renders the page build makes, reusing its content while
// what lists show has not changed. key names everything the content depends
// on besides the language and the role (a handler passes its path and
// normalised query); the content must hold no form that changes something
// (its CSRF token is the user's) and no comment (which does not move the
// version).
func (s *Server) RenderCached(w http.ResponseWriter, r *http.Request, key string, build func() (Page, error)) error {
	return s.renderCached(w, r, key, 0, build)
}

// UnitPage is a page of one unit's tasks (the unit's page, the ledger
// filtered by the unit) as RenderCachedUnit keeps it.
type UnitPage struct {
	// Key names everything the page depends on besides the language, the
	// role and the versions, as RenderCached's key.
	Key  string
	Unit int64
	// Build reads what the page shows. With Lights, it reads all but the
	// tasks' lights, and Lights returns a copy of such a page with them
	// read: the page Build made is then kept while the tasks and the
	// directory have not changed and given to Lights again when only the
	// lights have, so Lights must not change it, and what Build reads must
	// not depend on the lights (a list filtered by them).
	Build  func() (Page, error)
	Lights func(Page) (Page, error)
	// Relight, when not nil, returns a copy of a page Lights made with
	// the lights of those of the tasks given (in the order of their ids,
	// as FindLightMoves returns them) that are on it read again,
	// so that a page whose lights moved reads those that moved (a
	// report's task's) rather than all of them.
	Relight func(lit Page, tasks []int64) (Page, error)
}

// RenderCachedUnit is RenderCached for a page of one unit's tasks, kept
// while neither the tasks and the directory (Heads.Tasks) nor the unit's
// tasks' lights have changed, so that a report leaves the pages of the
// units its task does not reach as they were. Its content must show
// nothing else a report changes. When the lights alone changed, the page
// is made again from what Build read, kept, and the lights read anew.
func (s *Server) RenderCachedUnit(w http.ResponseWriter, r *http.Request, up UnitPage) error {
	build := up.Build
	if up.Lights != nil {
		build = func() (Page, error) { return s.litUnitPage(r, up) }
	}
	return s.renderCached(w, r, up.Key, up.Unit, build)
}

// litUnitPage returns a unit's page with its lights: from what Build read,
// kept per version of the tasks and the directory, and the lights read
// anew, or, when the page was lit before at this version, that page with
// the lights of its tasks that moved since read again.
func (s *Server) litUnitPage(r *http.Request, up UnitPage) (Page, error) {
	u := duban.UserFromContext(r.Context())
	if s.data == nil || u == nil {
		p, err := up.Build()
		if err != nil {
			return nil, err
		}
		return up.Lights(p)
	}
	h, err := s.heads(r, up.Unit)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("unit %d\x00%s\x00%s\x00%s", up.Unit, up.Key, state(r).lang, u.Role)
	kept, ok := s.data.get(key, h.Tasks)
	if !ok {
		p, err := up.Build()
		if err != nil {
			return nil, err
		}
		kept = &keptData{key: key, tasks: h.Tasks, page: p}
		s.data.put(kept)
	}
	if lit, moves := s.data.lit(kept); lit != nil && up.Relight != nil {
		tasks, every, err := s.svc.Lights.FindLightMoves(r.Context(), moves, h.Moves)
		if err != nil {
			return nil, err
		}
		if !every {
			if lit, err = up.Relight(lit, tasks); err != nil {
				return nil, err
			}
			s.data.setLit(kept, lit, h.Moves)
			return lit, nil
		}
	}
	lit, err := up.Lights(kept.page)
	if err != nil {
		return nil, err
	}
	s.data.setLit(kept, lit, h.Moves)
	return lit, nil
}

func (s *Server) renderCached(w http.ResponseWriter, r *http.Request, key string, unitID int64, build func() (Page, error)) error {
	u := duban.UserFromContext(r.Context())
	if s.cache == nil || u == nil {
		p, err := build()
		if err != nil {
			return err
		}
		return s.Render(w, r, p)
	}
	h, err := s.heads(r, unitID)
	if err != nil {
		return err
	}
	version := [2]int64{h.Lists, 0}
	if unitID != 0 {
		version = [2]int64{h.Tasks, h.Lights}
		key = fmt.Sprintf("unit %d\x00%s", unitID, key)
	}
	key = fmt.Sprintf("%s\x00%s\x00%s", key, state(r).lang, u.Role)
	if cc, ok := s.cache.get(key, version); ok {
		p := &cachedPage{name: cc.template}
		p.Title, p.Content, p.Bare = cc.title, cc.content, cc.bare
		return s.Render(w, r, p)
	}
	p, err := build()
	if err != nil {
		return err
	}
	content, err := s.renderContent(w, r, p)
	if err != nil {
		return err
	}
	b := p.base()
	if !strings.Contains(string(content), b.CSRF) {
		s.cache.put(&cachedContent{key: key, version: version, title: b.Title, template: p.TemplateName(), bare: b.Bare, content: content})
	}
	b.Content = content
	return s.Render(w, r, p)
}

// dataCache keeps what pages of a unit's tasks show but their lights
// (UnitPage.Build's pages), at the version of the tasks and the directory
// they were read at, the most recently used first, a number of them at
// most.
type dataCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*list.Element
	lru   *list.List
}

// keptData is one page's data at one version, with the page lit last
// from it and the move of lights it was lit at (duban.Heads.Moves).
type keptData struct {
	key   string
	tasks int64
	page  Page
	// lit and moves are the cache's to guard.
	lit   Page
	moves int64
}

// defaultDataCache is how many pages' data are kept: each unit's page and
// its ledger, in a few languages and roles.
const defaultDataCache = 2048

func newDataCache(max int) *dataCache {
	return &dataCache{max: max, items: map[string]*list.Element{}, lru: list.New()}
}

// get returns the data of key read at the version tasks, if kept.
func (c *dataCache) get(key string, tasks int64) (*keptData, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[key]
	if !ok || e.Value.(*keptData).tasks != tasks {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*keptData), true
}

// lit returns the page lit last from data d and the move of lights it was
// lit at, or nil.
func (c *dataCache) lit(d *keptData) (Page, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return d.lit, d.moves
}

// setLit keeps a page lit from data d at a move of lights. Of two requests
// lighting it at once either may keep its page: each has every move up to
// its own, and a later request reads again those after it.
func (c *dataCache) setLit(d *keptData, lit Page, moves int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d.lit, d.moves = lit, moves
}

// put keeps data, replacing an older one of the same key and dropping the
// least recently used beyond the number.
func (c *dataCache) put(d *keptData) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[d.key]; ok {
		c.lru.Remove(e)
	}
	c.items[d.key] = c.lru.PushFront(d)
	for c.lru.Len() > c.max {
		e := c.lru.Back()
		c.lru.Remove(e)
		delete(c.items, e.Value.(*keptData).key)
	}
}

// renderContent executes a page's content alone.
func (s *Server) renderContent(w http.ResponseWriter, r *http.Request, p Page) (template.HTML, error) {
	t, ok := s.templates.sets[p.TemplateName()]
	if !ok {
		return "", fmt.Errorf("web: no template %s", p.TemplateName())
	}
	s.fillBase(w, r, p.base())
	buf := s.buffers.Get()
	defer s.buffers.Put(buf)
	if err := t.ExecuteTemplate(buf, "content", p); err != nil {
		return "", fmt.Errorf("web: template %s: %w", p.TemplateName(), err)
	}
	return template.HTML(buf.String()), nil
}

// TasksHead returns the version of the tasks and the directory (the latest
// change but comments and reports) that a request reads, asking the store
// once per request, so that a page and the lists it shares are read at one
// version.
func (s *Server) TasksHead(r *http.Request) (int64, error) {
	h, err := s.heads(r, 0)
	return h.Tasks, err
}

// heads returns the versions a request reads, with those of unit's pages
// when unit is not 0, asking the store once per request (and again only
// for another unit).
func (s *Server) heads(r *http.Request, unit int64) (duban.Heads, error) {
	st := state(r)
	if !st.headsRead || (unit != 0 && unit != st.headsUnit) {
		h, err := s.svc.Audit.Heads(r.Context(), unit)
		if err != nil {
			return duban.Heads{}, err
		}
		if st.headsRead {
			// The heads the request read first stay its own; only the
			// unit's lights are new.
			st.heads.Lights = h.Lights
		} else {
			st.heads = h
		}
		st.headsRead, st.headsUnit = true, unit
	}
	return st.heads, nil
}

// RenderContent renders a page's content alone, for a handler that keeps
// content of its own (the public page, which nobody signs in to read):
// set it as the page's Base.Content and Render shows it in the layout.
func (s *Server) RenderContent(w http.ResponseWriter, r *http.Request, p Page) (template.HTML, error) {
	return s.renderContent(w, r, p)
}
