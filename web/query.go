package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
)

// pathID reads a path wildcard that names a thing by its ID.
func pathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, duban.Errorf(duban.ENOTFOUND, "地址中的编号“%s”不正确：请检查地址。", v)
	}
	return id, nil
}

// queryInt reads an optional whole number from a query or form; "" is
// absent (nil).
func queryInt(q url.Values, name string) (*int64, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return nil, duban.Errorf(duban.EINVALID, "地址中的“%s=%s”不正确：应为数字。请从页面上的筛选条件重新选择。", name, v)
	}
	return &n, nil
}

// formID reads a required ID from a submitted form.
func formID(r *http.Request, name, what string) (int64, error) {
	n, err := queryInt(r.PostForm, name)
	if err != nil || n == nil || *n == 0 {
		return 0, duban.Errorf(duban.EINVALID, "请选择%s。", what)
	}
	return *n, nil
}

// pager is a page of a long list: which page, how many per page, how many
// in all, and how to link to another page of the same list. A page that
// shows a long list has a Pager field, and its template calls
// {{template "pager" $}}.
type pager struct {
	Page  int // from 1
	Size  int
	Total int
	// link returns the address of another page of the list.
	link func(page int) string
}

// pageSizes are the page sizes a user may choose; the first is the default.
var pageSizes = []int{50, 20, 100, 200}

// readPager reads ?page= and ?size=.
func readPager(q url.Values) pager {
	p := pager{Page: 1, Size: pageSizes[0]}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		p.Page = n
	}
	if n, err := strconv.Atoi(q.Get("size")); err == nil && slices.Contains(pageSizes, n) {
		p.Size = n
	}
	return p
}

// Offset is where the page starts in the list.
func (p pager) Offset() int { return (p.Page - 1) * p.Size }

// Pages is how many pages the list has, at least 1.
func (p pager) Pages() int { return max(1, (p.Total+p.Size-1)/p.Size) }

// PrevURL is the address of the page before this one, "" on the first.
func (p pager) PrevURL() string {
	if p.Page <= 1 || p.link == nil {
		return ""
	}
	return p.link(min(p.Page-1, p.Pages()))
}

// NextURL is the address of the page after this one, "" on the last.
func (p pager) NextURL() string {
	if p.Page >= p.Pages() || p.link == nil {
		return ""
	}
	return p.link(p.Page + 1)
}

// highlight escapes text and marks each place where q occurs in it, so
// that a keyword search shows where it matched.
func highlight(text, q string) template.HTML {
	var b strings.Builder
	writeHighlight(&b, text, q)
	return template.HTML(b.String())
}

// writeHighlight writes highlight's text into a page being written.
func writeHighlight(b *strings.Builder, text, q string) {
	for q != "" {
		i := strings.Index(text, q)
		if i < 0 {
			break
		}
		escape(b, text[:i])
		b.WriteString("<mark>")
		escape(b, q)
		b.WriteString("</mark>")
		text = text[i+len(q):]
	}
	escape(b, text)
}
