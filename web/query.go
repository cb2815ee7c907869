package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dubanhq/duban"
)

// PathID reads a path wildcard that names a thing by its ID.
func PathID(r *http.Request, name string) (int64, error) {
	v := r.PathValue(name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, duban.Errorf(duban.ENOTFOUND, "地址中的编号“%s”不正确：请检查地址。", v)
	}
	return id, nil
}

// QueryInt reads an optional whole number from a query or form; "" is
// absent (nil).
func QueryInt(q url.Values, name string) (*int64, error) {
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

// FormID reads a required ID from a submitted form; what names it in the
// message when it is missing.
func FormID(r *http.Request, name, what string) (int64, error) {
	n, err := QueryInt(r.PostForm, name)
	if err != nil || n == nil || *n == 0 {
		return 0, duban.Errorf(duban.EINVALID, "请选择%s。", what)
	}
	return *n, nil
}

// Pager is a page of a long list: which page, how many per page, how many
// in all, and how to link to another page of the same list. A page that
// shows a long list has a Pager field, and its template calls
// {{template "pager" $}}.
type Pager struct {
	Page  int // from 1
	Size  int
	Total int
	// Link returns the address of another page of the list.
	Link func(page int) string
}

// PageSizes are the page sizes a user may choose; the first is the default.
var PageSizes = []int{50, 20, 100, 200}

// ReadPager reads ?page= and ?size=.
func ReadPager(q url.Values) Pager {
	p := Pager{Page: 1, Size: PageSizes[0]}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		p.Page = n
	}
	if n, err := strconv.Atoi(q.Get("size")); err == nil && slices.Contains(PageSizes, n) {
		p.Size = n
	}
	return p
}

// Offset is where the page starts in the list.
func (p Pager) Offset() int { return (p.Page - 1) * p.Size }

// Pages is how many pages the list has, at least 1.
func (p Pager) Pages() int { return max(1, (p.Total+p.Size-1)/p.Size) }

// PrevURL is the address of the page before this one, "" on the first.
func (p Pager) PrevURL() string {
	if p.Page <= 1 || p.Link == nil {
		return ""
	}
	return p.Link(min(p.Page-1, p.Pages()))
}

// NextURL is the address of the page after this one, "" on the last.
func (p Pager) NextURL() string {
	if p.Page >= p.Pages() || p.Link == nil {
		return ""
	}
	return p.Link(p.Page + 1)
}
