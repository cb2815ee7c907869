package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
)

// coreTemplates are the error page and layout.html, which defines "csrf",
// the hidden field of every form that changes something, and "nav", the
// navigation bar's links. The layout around every page is layout.go.
//
//go:embed templates/*.html
var coreTemplates embed.FS

// Page is what Render shows: a struct embedding Base, naming its template.
type Page interface {
	base() *Base
	// TemplateName is the page's template file (ledger.html).
	TemplateName() string
}

// Base is what every page has: who is signed in, in which language, the
// CSRF token for its forms, a message left by the previous request, and the
// navigation the user's role allows. Render fills it; a handler sets only
// the Title. Whether to show a button is decided by the handler with the
// domain's named rules and set in the page's own fields; the route checks
// again, since hiding a button is not a permission.
type Base struct {
	Title string
	User  *duban.User
	Lang  string // "zh" or "en"
	CSRF  string
	Flash string
	// NavBar is the navigation bar's links (Templates.NavBar).
	NavBar template.HTML
	// Path is the address of the page, for the language switch to come
	// back to and the navigation to mark the current section.
	Path string
	// Content is the page's content already rendered (RenderCached), shown
	// in place of its "content" template.
	Content template.HTML
	// Draft is what the person typed into a form of this page before their
	// session ended, as JSON for app.js to fill the form in again (draft.go);
	// "" for none.
	Draft string
	// Printed is the day the page is shown, for the heading of its print.
	Printed string
	// Tr translates into Lang, with the server's catalog.
	Tr Translator
	// Unread is how many of the user's notifications are unread: the
	// count on the bell of the top bar, which counts no further than one
	// more than it shows (bellShown).
	Unread int
	// Bare shows the page alone, without the top bar: a page made to be
	// printed. A handler sets it.
	Bare bool
}

func (b *Base) base() *Base { return b }

// T translates a message of the catalog into the page's language; args
// fill its verbs as fmt.Sprintf does.
func (b *Base) T(msg string, args ...any) string { return b.Tr.T(msg, args...) }

// NavItem is one entry of the navigation bar as a page shows it.
type NavItem struct {
	Label   string
	Href    string
	Current bool
}

// Templates are the page templates parsed at start, each page with the
// layout into a set of its own, with the static files they link to and
// the catalog their messages are translated by.
type Templates struct {
	sets    map[string]*template.Template // by file name
	static  *staticFiles
	english map[string]string
	// layout is the layout alone, for its "nav".
	layout *template.Template
	// text is the layout's fixed text in Chinese, then in English.
	text [2]*layoutText
}

// NewTemplates parses the core's templates and the parts' and joins the
// parts' catalogs to the core's. A page or a message defined twice is an
// error.
func NewTemplates(parts ...Part) (*Templates, error) {
	static, err := loadStatic()
	if err != nil {
		return nil, err
	}
	t := &Templates{sets: map[string]*template.Template{}, static: static, english: maps.Clone(english)}
	core, err := fs.Sub(coreTemplates, "templates")
	if err != nil {
		return nil, err
	}
	if err := t.parse(core, nil, nil); err != nil {
		return nil, err
	}
	if t.layout, err = template.New("layout.html").Funcs(template.FuncMap{"static": t.static.url}).ParseFS(coreTemplates, "templates/layout.html"); err != nil {
		return nil, err
	}
	for _, p := range parts {
		for msg, en := range p.English {
			if _, ok := t.english[msg]; ok {
				return nil, fmt.Errorf("web: message %q is in two catalogs", msg)
			}
			t.english[msg] = en
		}
		if p.Templates != nil {
			if err := t.parse(p.Templates, p.Partials, p.Funcs); err != nil {
				return nil, err
			}
		}
	}
	t.text = [2]*layoutText{t.newLayoutText(t.Translator("zh")), t.newLayoutText(t.Translator("en"))}
	return t, nil
}

// parse parses each page of fsys with the layout, the partials of
// partials (another part's, may be nil) and fsys's (files named _*.html)
// into a template set of its own.
func (t *Templates) parse(fsys, partials fs.FS, funcs template.FuncMap) error {
	all := template.FuncMap{"static": t.static.url}
	for name, f := range funcs {
		if _, ok := all[name]; ok {
			return fmt.Errorf("web: template function %s is the core's", name)
		}
		all[name] = f
	}
	files, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	var borrowed, shared, pages []string
	if partials != nil {
		if borrowed, err = fs.Glob(partials, "_*.html"); err != nil {
			return err
		}
	}
	for _, f := range files {
		switch {
		case f == "layout.html":
		case strings.HasPrefix(f, "_"):
			shared = append(shared, f)
		default:
			pages = append(pages, f)
		}
	}
	for _, p := range pages {
		if _, ok := t.sets[p]; ok {
			return fmt.Errorf("web: template %s is defined twice", p)
		}
		set, err := template.New("layout.html").Funcs(all).ParseFS(coreTemplates, "templates/layout.html")
		if err == nil && len(borrowed) > 0 {
			set, err = set.ParseFS(partials, borrowed...)
		}
		if err == nil {
			set, err = set.ParseFS(fsys, append(shared, p)...)
		}
		if err != nil {
			return fmt.Errorf("web: template %s: %w", p, err)
		}
		t.sets[path.Base(p)] = set
	}
	return nil
}

// Translator returns the translator of a language ("zh" or "en").
func (t *Templates) Translator(lang string) Translator {
	return Translator{lang: lang, english: t.english}
}

// Execute executes a page's template with its Base as set, its Tr set to
// translate into its Lang: the templates test runs every page this way.
func (t *Templates) Execute(w io.Writer, p Page) error {
	set, ok := t.sets[p.TemplateName()]
	if !ok {
		return fmt.Errorf("web: no template %s", p.TemplateName())
	}
	b := p.base()
	b.Tr = t.Translator(b.Lang)
	return t.execute(w, set, p)
}

// NavBar renders the navigation bar's links of entries.
func (t *Templates) NavBar(entries []NavItem) (template.HTML, error) {
	var b strings.Builder
	if err := t.layout.ExecuteTemplate(&b, "nav", entries); err != nil {
		return "", fmt.Errorf("web: the navigation bar: %w", err)
	}
	return template.HTML(b.String()), nil
}

// Render shows a page with status 200.
func (s *Server) Render(w http.ResponseWriter, r *http.Request, p Page) error {
	return s.RenderStatus(w, r, http.StatusOK, p)
}

// RenderStatus fills the page's Base, executes its template into a buffer
// and writes it with the status; a template that fails writes nothing, and
// its error is the caller's to return.
func (s *Server) RenderStatus(w http.ResponseWriter, r *http.Request, status int, p Page) error {
	t, ok := s.templates.sets[p.TemplateName()]
	if !ok {
		return fmt.Errorf("web: no template %s", p.TemplateName())
	}
	s.fillBase(w, r, p.base())
	buf := s.buffers.Get()
	defer s.buffers.Put(buf)
	if err := s.templates.execute(buf, t, p); err != nil {
		return fmt.Errorf("web: template %s: %w", p.TemplateName(), err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// With its length told, the page goes out in one piece rather than in
	// chunks, and the browser knows when it has all of it.
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	// A failed write means the client went away: no one to tell.
	w.Write(buf.Bytes())
	return nil
}

// DisplayZone is the time zone times are shown in: the government's.
var DisplayZone = duban.Beijing

// BufferPool lends the buffers pages are rendered into, so that each page
// does not grow a new one to its size (a ledger's is some hundred
// kilobytes) for the collector to take back. The zero value is ready.
type BufferPool struct{ pool sync.Pool }

// maxPooledBuffer is the largest buffer kept for another page: one grown
// for a rare long page is let go.
const maxPooledBuffer = 1 << 20

// Get lends an empty buffer.
func (p *BufferPool) Get() *bytes.Buffer {
	if b, ok := p.pool.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

// Put takes a buffer back; it must not be used after.
func (p *BufferPool) Put(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		b.Reset()
		p.pool.Put(b)
	}
}

// fillBase fills what every page has from the request, and takes the flash
// message left for it.
func (s *Server) fillBase(w http.ResponseWriter, r *http.Request, b *Base) {
	st := state(r)
	b.User = duban.UserFromContext(r.Context())
	b.Lang = st.lang
	b.Tr = s.templates.Translator(st.lang)
	b.CSRF = st.csrf
	b.Path = r.URL.RequestURI()
	b.Printed = time.Now().In(DisplayZone).Format("2006-01-02")
	if c, err := r.Cookie(flashCookie); err == nil {
		if msg, err := url.QueryUnescape(c.Value); err == nil {
			b.Flash = msg
		}
		s.clearCookie(w, r, flashCookie)
	}
	b.Unread = s.unread(r, b.User)
	if d := s.takeDraft(w, r); d != nil {
		b.Draft = draftJSON(d)
		b.Flash = b.Tr.T("登录已恢复：您之前填写的内容已填回表单，请检查后重新提交。")
	}
	b.NavBar = s.navBar(r, b)
}

// navBar returns the navigation bar's links for a page: the entries its
// user may follow, the current one marked, in its language. Each set of
// links is rendered once and kept: there are a few dozen, and every page
// shows one.
func (s *Server) navBar(r *http.Request, b *Base) template.HTML {
	var key strings.Builder
	key.WriteString(b.Lang)
	for i, e := range s.nav {
		if !e.Allow(b.User) {
			continue
		}
		key.WriteByte(' ')
		key.WriteString(strconv.Itoa(i))
		if navCurrent(r, e) {
			key.WriteByte('*')
		}
	}
	k := key.String()
	if v, ok := s.navBars.Load(k); ok {
		return v.(template.HTML)
	}
	var items []NavItem
	for _, e := range s.nav {
		if e.Allow(b.User) {
			items = append(items, NavItem{Label: b.Tr.T(e.Label), Href: e.Href, Current: navCurrent(r, e)})
		}
	}
	bar, err := s.templates.NavBar(items)
	if err != nil {
		// The layout was parsed at start; only a broken build gets here.
		s.log.Error("the navigation bar", "err", err)
		return ""
	}
	s.navBars.Store(k, bar)
	return bar
}

// navCurrent says whether a request is of an entry's section.
func navCurrent(r *http.Request, e NavEntry) bool {
	return r.URL.Path == e.Href || strings.HasPrefix(r.URL.Path, e.Href+"/")
}

// Redirect answers a form with a redirect (303, so that reloading the next
// page does not send the form again), leaving a message for that page.
func (s *Server) Redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		s.setCookie(w, r, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), MaxAge: 60})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// bellShown is the most unread notifications the bell counts: beyond, it
// shows "99+".
const bellShown = 99

// unread counts the user's unread notifications for the bell, up to one
// more than bellShown. A count that fails is logged and shown as none: the
// page itself is what was asked for.
func (s *Server) unread(r *http.Request, u *duban.User) int {
	if u == nil {
		return 0
	}
	n, err := s.svc.Notifications.CountUnreadNotifications(r.Context(), bellShown+1)
	if err != nil {
		s.log.Warn("web: counting unread notifications", "user", u.Name, "err", err)
		return 0
	}
	return n
}
