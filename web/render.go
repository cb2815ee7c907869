package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dubanhq/duban"
)

// templateFiles are the page templates: layout.html, the partials (files
// named _*.html, shared by pages), and one file per page.
//
//go:embed templates/*.html
var templateFiles embed.FS

// page is what render shows: a struct embedding Base, naming its template.
type page interface {
	base() *Base
	templateName() string
}

// Base is what every page has: who is signed in, in which language, the
// CSRF token for its forms, a message left by the previous request, and the
// navigation the user's role allows. render fills it; a handler sets only
// the Title. Whether to show a button is decided by the handler with the
// named rules of permission.go and set in the page's own fields; the route
// checks again, since hiding a button is not a permission.
type Base struct {
	Title string
	User  *duban.User
	Lang  string // "zh" or "en"
	CSRF  string
	Flash string
	Nav   []NavItem
	// Path is the address of the page, for the language switch to come
	// back to and the navigation to mark the current section.
	Path string
	// Content is the page's content already rendered (renderCached), shown
	// in place of its "content" template.
	Content template.HTML

	tr translator
}

func (b *Base) base() *Base { return b }

// T translates a message of the catalog into the page's language; args
// fill its verbs as fmt.Sprintf does.
func (b *Base) T(msg string, args ...any) string { return b.tr.T(msg, args...) }

// NavItem is one entry of the navigation bar.
type NavItem struct {
	Label   string
	Href    string
	Current bool
}

// navEntry is an entry of the navigation and the rule that shows it.
type navEntry struct {
	label string
	href  string
	allow func(*duban.User) bool
}

// navigation lists the navigation bar's entries in order. An area adds its
// entry here.
var navigation = []navEntry{
	{"台账", "/tasks", duban.CanRead},
	{"计划", "/plans", duban.CanRead},
	{"单位", "/units", duban.CanRead},
	{"领导", "/leaders", duban.CanRead},
	{"账号", "/accounts", duban.CanManageUsers},
}

// templateFuncs are the functions templates may call besides the page's
// methods.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"static": s.static.url,
		"date":   date,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(displayZone).Format("2006-01-02 15:04")
		},
		"join":          func(owners []duban.Owner) string { return strings.Join(duban.OwnerNames(owners), "、") },
		"unitLinks":     func(owners []duban.Owner) template.HTML { return ownerLinks("/units/", owners) },
		"leaderLinks":   func(owners []duban.Owner) template.HTML { return ownerLinks("/leaders/", owners) },
		"unitOptions":   unitOptions,
		"leaderOptions": leaderOptions,
	}
}

// The helpers below write in Go, escaping each value, the pieces a page
// repeats by the hundred (owners in every row, a unit in every option):
// html/template calls a function through reflection for every value it
// escapes, which made these pieces most of a ledger page's cost.

// htmlEscaper escapes text for an element or a quoted attribute as
// template.HTMLEscapeString does, writing into the builder as it goes
// rather than making a string of each value.
var htmlEscaper = strings.NewReplacer(`&`, "&amp;", `'`, "&#39;", `<`, "&lt;", `>`, "&gt;", `"`, "&#34;", "\x00", "\uFFFD")

// escape writes text escaped.
func escape(b *strings.Builder, text string) { htmlEscaper.WriteString(b, text) }

// ownerLinks links each owner to its page (path + ID), names separated by
// 、; a name not mapped to the directory is plain text.
func ownerLinks(path string, owners []duban.Owner) template.HTML {
	var b strings.Builder
	writeOwnerLinks(&b, path, owners)
	return template.HTML(b.String())
}

func writeOwnerLinks(b *strings.Builder, path string, owners []duban.Owner) {
	for i, o := range owners {
		if i > 0 {
			b.WriteString("、")
		}
		if o.ID == 0 {
			escape(b, o.Name)
			continue
		}
		b.WriteString(`<a href="`)
		b.WriteString(path)
		b.WriteString(strconv.FormatInt(o.ID, 10))
		b.WriteString(`">`)
		escape(b, o.Name)
		b.WriteString("</a>")
	}
}

// option writes one option of a select.
func option(b *strings.Builder, value, label string, selected bool) {
	b.WriteString(`<option value="`)
	escape(b, value)
	b.WriteString(`"`)
	if selected {
		b.WriteString(" selected")
	}
	b.WriteString(">")
	escape(b, label)
	b.WriteString("</option>\n")
}

// unitOptions are the options of a select of units, the one of ID selected
// marked.
func unitOptions(units []*duban.Unit, selected int64) template.HTML {
	var b strings.Builder
	for _, u := range units {
		option(&b, strconv.FormatInt(u.ID, 10), u.Name, u.ID == selected)
	}
	return template.HTML(b.String())
}

// yearOptions are the options of a select of years.
func yearOptions(years []int, selected int) template.HTML {
	var b strings.Builder
	for _, y := range years {
		v := strconv.Itoa(y)
		option(&b, v, v, y == selected)
	}
	return template.HTML(b.String())
}

// leaderOptions are the options of a select of leaders.
func leaderOptions(leaders []*duban.Leader, selected int64) template.HTML {
	var b strings.Builder
	for _, l := range leaders {
		option(&b, strconv.FormatInt(l.ID, 10), l.Name, l.ID == selected)
	}
	return template.HTML(b.String())
}

// taskTable writes the rows of a table of tasks: each task's number (and
// year), text, owners and deadline, and, for the ledger, how many targets
// it has and the day it last changed. A list of tasks is the piece a page
// repeats most (fifty rows of some twenty values each), so, like owners and
// options, it is written here rather than by html/template, whose
// reflection per value made it half of what a ledger cost.
type taskTable struct {
	tr translator
	// planNames names the plan of each task, by ID, on its year; the query
	// is marked in each text; ledger adds the count of targets and the
	// column of the day of the last change.
	planNames map[int64]string
	query     string
	ledger    bool
}

// rows writes the table's rows, in the columns of its head.
func (tt taskTable) rows(tasks []*duban.Task) template.HTML {
	label := func(class, text string) string {
		var b strings.Builder
		b.WriteString("</td>\n      <td" + class + ` data-label="`)
		escape(&b, text)
		b.WriteString(`">`)
		return b.String()
	}
	// Each cell's end and the next one's start, which are the same in
	// every row.
	leaders, leads, shares := label("", tt.tr.T("牵头领导")), label("", tt.tr.T("牵头单位")), label("", tt.tr.T("责任单位"))
	deadline, updated := label("", tt.tr.T("完成时限")), label(` class="date"`, tt.tr.T("更新"))
	var b strings.Builder
	b.Grow(len(tasks) * 1500)
	for _, t := range tasks {
		id := strconv.FormatInt(t.ID, 10)
		b.WriteString("\n    <tr>\n      <td class=\"no\"><a href=\"/tasks/")
		b.WriteString(id)
		b.WriteString(`">`)
		escape(&b, t.No)
		b.WriteString("</a><small")
		if tt.planNames != nil {
			b.WriteString(` title="`)
			escape(&b, tt.planNames[t.PlanID])
			b.WriteString(`"`)
		}
		b.WriteString(">")
		b.WriteString(strconv.Itoa(t.Year))
		b.WriteString("</small></td>\n      <td class=\"text\"><a href=\"/tasks/")
		b.WriteString(id)
		b.WriteString(`">`)
		writeHighlight(&b, t.Text, tt.query)
		b.WriteString("</a>")
		if tt.ledger && len(t.Indicators) > 0 {
			b.WriteString(` <span class="tag">`)
			escape(&b, tt.tr.T("%d 个指标", len(t.Indicators)))
			b.WriteString("</span>")
		}
		b.WriteString(leaders)
		writeOwnerLinks(&b, "/leaders/", t.LeadLeaders)
		b.WriteString(leads)
		writeOwnerLinks(&b, "/units/", t.LeadUnits)
		b.WriteString(shares)
		writeOwnerLinks(&b, "/units/", t.ResponsibleUnits)
		b.WriteString(deadline)
		escape(&b, t.Deadline)
		if tt.ledger {
			b.WriteString(updated)
			b.WriteString(date(t.UpdatedAt))
		}
		b.WriteString("</td>\n    </tr>")
	}
	return template.HTML(b.String())
}

// date writes a day as the government writes it, in its time zone; the
// zero time as nothing.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(displayZone).Format("2006-01-02")
}

// displayZone is the time zone times are shown in: the government's.
var displayZone = time.FixedZone("CST", 8*3600)

// parseTemplates parses each page with the layout and the partials into a
// template set of its own, keyed by the page's file name.
func (s *Server) parseTemplates() (map[string]*template.Template, error) {
	files, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	shared := []string{"templates/layout.html"}
	var pages []string
	for _, f := range files {
		switch name := path.Base(f); {
		case name == "layout.html":
		case strings.HasPrefix(name, "_"):
			shared = append(shared, f)
		default:
			pages = append(pages, f)
		}
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New("layout.html").Funcs(s.templateFuncs()).ParseFS(templateFiles, append(shared, p)...)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", p, err)
		}
		out[path.Base(p)] = t
	}
	return out, nil
}

// render shows a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, p page) error {
	return s.renderStatus(w, r, http.StatusOK, p)
}

// renderStatus fills the page's Base, executes its template into a buffer
// and writes it with the status; a template that fails writes nothing, and
// its error is the caller's to render.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, p page) error {
	t, ok := s.templates[p.templateName()]
	if !ok {
		return fmt.Errorf("web: no template %s", p.templateName())
	}
	s.fillBase(w, r, p.base())
	buf := s.buffers.get()
	defer s.buffers.put(buf)
	if err := t.Execute(buf, p); err != nil {
		return fmt.Errorf("web: template %s: %w", p.templateName(), err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	// A failed write means the client went away: no one to tell.
	w.Write(buf.Bytes())
	return nil
}

// bufferPool lends the buffers pages are rendered into, so that each page
// does not grow a new one to its size (a ledger's is some hundred
// kilobytes) for the collector to take back.
type bufferPool struct{ pool sync.Pool }

// maxPooledBuffer is the largest buffer kept for another page: one grown
// for a rare long page is let go.
const maxPooledBuffer = 1 << 20

func (p *bufferPool) get() *bytes.Buffer {
	if b, ok := p.pool.Get().(*bytes.Buffer); ok {
		return b
	}
	return new(bytes.Buffer)
}

func (p *bufferPool) put(b *bytes.Buffer) {
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
	b.tr = st.translator()
	b.CSRF = st.csrf
	b.Path = r.URL.RequestURI()
	if c, err := r.Cookie(flashCookie); err == nil {
		if msg, err := url.QueryUnescape(c.Value); err == nil {
			b.Flash = msg
		}
		s.clearCookie(w, r, flashCookie)
	}
	b.Nav = nil
	for _, e := range navigation {
		if e.allow(b.User) {
			b.Nav = append(b.Nav, NavItem{Label: b.tr.T(e.label), Href: e.href,
				Current: r.URL.Path == e.href || strings.HasPrefix(r.URL.Path, e.href+"/")})
		}
	}
}

// redirect answers a form with a redirect (303, so that reloading the next
// page does not send the form again), leaving a message for that page.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) error {
	if flash != "" {
		s.setCookie(w, r, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(flash), MaxAge: 60})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}
