package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dubanhq/duban"
)

// The bounds of what a request may carry in its fields, checked at the
// edge so that a value no store can hold is refused with a message rather
// than failing in the database (a NUL byte on PostgreSQL, a LIKE pattern
// over 50,000 bytes on SQLite, a number past a 32-bit column).
const (
	// maxQueryValue bounds each value of an address's query, in bytes.
	maxQueryValue = 2000
	// MaxSearch bounds the words of a search, in characters.
	MaxSearch = 100
	// maxPage is the last page of a list an address may ask for.
	maxPage = 1_000_000
)

// CheckText refuses a text no store can keep: a NUL byte, which
// PostgreSQL refuses in text, or bytes that are not UTF-8. what names the
// field in the message.
func CheckText(what, s string) error {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return duban.Errorf(duban.EINVALID, "%s中含有空字符（NUL），无法保存：请删去后重试。", what)
	case !utf8.ValidString(s):
		return duban.Errorf(duban.EINVALID, "%s中含有无法识别的字符（不是 UTF-8 编码）：请检查后重试。", what)
	}
	return nil
}

// checkValues applies CheckText to every name and value of a query or a
// form, and bounds each value's length when max > 0.
func checkValues(vs url.Values, where string, max int) error {
	for k, list := range vs {
		if err := CheckText(where+"的参数名", k); err != nil {
			return err
		}
		for _, v := range list {
			if err := CheckText(fmt.Sprintf("%s的“%s”", where, short(k)), v); err != nil {
				return err
			}
			if max > 0 && len(v) > max {
				return duban.Errorf(duban.EINVALID, "%s的“%s”过长（%d 字节，不能超过 %d）：请缩短后重试。", where, short(k), len(v), max)
			}
		}
	}
	return nil
}

// short cuts a name for a message.
func short(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return s
}

// CheckStrings applies CheckText to every string of a decoded request
// body: the fields of structs, the elements of slices and maps, through
// pointers.
func CheckStrings(v any) error {
	return checkStrings(reflect.ValueOf(v))
}

func checkStrings(v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		return CheckText("提交的内容", v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkStrings(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if err := checkStrings(v.Field(i)); err != nil {
					return err
				}
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := checkStrings(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if err := checkStrings(it.Key()); err != nil {
				return err
			}
			if err := checkStrings(it.Value()); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRequest refuses a request whose query or form holds a value no
// field can: serve calls it for every route.
func checkRequest(r *http.Request) error {
	if err := checkValues(r.URL.Query(), "地址", maxQueryValue); err != nil {
		return err
	}
	return checkValues(r.PostForm, "表单", 0)
}

// QuerySearch reads the words of a search, ?q=, trimmed and bounded.
func QuerySearch(q url.Values) (string, error) {
	v := strings.TrimSpace(q.Get("q"))
	if n := utf8.RuneCountInString(v); n > MaxSearch {
		return "", duban.Errorf(duban.EINVALID, "搜索的文字过长（%d 字，不能超过 %d 字）：请用更短的关键词。", n, MaxSearch)
	}
	return v, nil
}

// QueryYear reads an optional year, ?year=; 0 is absent.
func QueryYear(q url.Values) (int, error) {
	v := strings.TrimSpace(q.Get("year"))
	if v == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 1000 || y > 9999 {
		return 0, duban.Errorf(duban.EINVALID, "地址中的“year=%s”不正确：应为四位数字的年份，如 2024。", short(v))
	}
	return y, nil
}

// QuerySmall reads an optional whole number that a 32-bit column holds
// (a section's or an area's number); nil is absent.
func QuerySmall(q url.Values, name string) (*int, error) {
	v := strings.TrimSpace(q.Get(name))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return nil, duban.Errorf(duban.EINVALID, "地址中的“%s=%s”不正确：应为不太大的数字。", name, short(v))
	}
	i := int(n)
	return &i, nil
}

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
		return nil, duban.Errorf(duban.EINVALID, "地址中的“%s=%s”不正确：应为数字。请从页面上的筛选条件重新选择。", name, short(v))
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
		p.Page = min(n, maxPage)
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
