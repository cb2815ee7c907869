package web

import (
	"html/template"
	"io"
	"strconv"
)

// The layout every page is shown in (the top bar, the flash message, the
// print heading, around the page's content) is written here rather than by
// a template: it is on every page served, and html/template's escapers,
// called through reflection for each value, made it a quarter of the cost
// of a page kept by the page cache. Values are escaped as html/template
// escapes text and quoted attributes (appendEscaped); TestLayout checks the
// markup.

// execute writes a page of set in the layout: the layout's head, the
// page's content (Base.Content, or its "content" template executed), the
// layout's foot.
func (t *Templates) execute(w io.Writer, set *template.Template, p Page) error {
	b := p.base()
	if _, err := w.Write(t.appendHead(make([]byte, 0, 4096), b)); err != nil {
		return err
	}
	if b.Content != "" {
		if _, err := io.WriteString(w, string(b.Content)); err != nil {
			return err
		}
	} else if err := set.ExecuteTemplate(w, "content", p); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n</main>\n</body>\n</html>\n")
	return err
}

// layoutText is the layout's fixed text in one language, escaped, with
// the addresses of the static files it links to.
type layoutText struct {
	app, skip, brand, mainNav, notices, account, english, signOut string
	css, icon, js                                                 string
}

// newLayoutText translates the layout's fixed text with tr.
func (t *Templates) newLayoutText(tr Translator) *layoutText {
	e := func(s string) string { return string(appendEscaped(nil, s)) }
	return &layoutText{app: e(tr.T("督办")), skip: e(tr.T("跳到正文")), brand: e(tr.T("督查督办台账")), mainNav: e(tr.T("主导航")),
		notices: e(tr.T("通知")), account: e(tr.T("我的账号")), english: e(tr.T("English")), signOut: e(tr.T("退出")),
		css: e(t.static.url("app.css")), icon: e(t.static.url("icon.svg")), js: e(t.static.url("app.js"))}
}

// bellIcon is the bell's drawing.
const bellIcon = `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>`

// appendHead appends the layout up to the page's content.
func (t *Templates) appendHead(d []byte, b *Base) []byte {
	x, lang, other := t.text[0], "zh-CN", "en"
	if b.Lang == "en" {
		x, lang, other = t.text[1], "en", "zh"
	}
	d = append(d, "<!doctype html>\n<html lang=\""...)
	d = append(d, lang...)
	d = append(d, "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"...)
	d = appendEscaped(d, b.Title)
	d = append(d, " · "...)
	d = append(d, x.app...)
	d = append(d, "</title>\n<link rel=\"stylesheet\" href=\""...)
	d = append(d, x.css...)
	d = append(d, "\">\n<link rel=\"icon\" href=\""...)
	d = append(d, x.icon...)
	d = append(d, "\" type=\"image/svg+xml\">\n<script src=\""...)
	d = append(d, x.js...)
	d = append(d, "\" defer></script>\n</head>\n<body"...)
	if b.Bare {
		d = append(d, " class=\"bare\""...)
	}
	if b.Draft != "" {
		d = append(d, " data-draft=\""...)
		d = appendEscaped(d, b.Draft)
		d = append(d, '"')
	}
	d = append(d, '>')
	if !b.Bare {
		d = append(d, "\n<a class=\"skip\" href=\"#main\">"...)
		d = append(d, x.skip...)
		d = append(d, "</a>\n<header class=\"top\">\n  <a class=\"brand\" href=\"/\">"...)
		d = append(d, x.brand...)
		d = append(d, "</a>"...)
		if b.NavBar != "" {
			d = append(d, "\n  <nav class=\"nav\" aria-label=\""...)
			d = append(d, x.mainNav...)
			d = append(d, "\">"...)
			d = append(d, b.NavBar...)
			d = append(d, "</nav>"...)
		}
		d = append(d, "\n  <div class=\"who\">"...)
		if b.User != nil {
			d = append(d, "\n    <a class=\"bell\" href=\"/notifications\" title=\""...)
			d = append(d, x.notices...)
			d = append(d, "\" aria-label=\""...)
			switch {
			case b.Unread > bellShown:
				d = appendEscaped(d, b.T("通知（超过 %d 条未读）", bellShown))
			case b.Unread != 0:
				d = appendEscaped(d, b.T("通知（%d 条未读）", b.Unread))
			default:
				d = append(d, x.notices...)
			}
			d = append(d, "\">\n      "...)
			d = append(d, bellIcon...)
			if b.Unread != 0 {
				d = append(d, "<span class=\"badge\">"...)
				if b.Unread > bellShown {
					d = strconv.AppendInt(d, bellShown, 10)
					d = append(d, '+')
				} else {
					d = strconv.AppendInt(d, int64(b.Unread), 10)
				}
				d = append(d, "</span>"...)
			}
			d = append(d, "\n    </a><a class=\"user\" href=\"/me\" title=\""...)
			d = append(d, x.account...)
			d = append(d, "\">"...)
			d = appendEscaped(d, b.User.Label())
			d = append(d, "<small>"...)
			d = appendEscaped(d, b.T(b.User.Role.Label()))
			d = append(d, "</small></a>"...)
		}
		d = append(d, "\n    <form method=\"post\" action=\"/lang\" class=\"inline\">"...)
		d = appendCSRF(d, b.CSRF)
		d = append(d, "<input type=\"hidden\" name=\"next\" value=\""...)
		d = appendEscaped(d, b.Path)
		d = append(d, "\">\n      <input type=\"hidden\" name=\"lang\" value=\""...)
		d = append(d, other...)
		d = append(d, "\">\n      <button class=\"link\" type=\"submit\">"...)
		d = append(d, x.english...)
		d = append(d, "</button>\n    </form>"...)
		if b.User != nil {
			d = append(d, "\n    <form method=\"post\" action=\"/logout\" class=\"inline\">"...)
			d = appendCSRF(d, b.CSRF)
			d = append(d, "<button class=\"link\" type=\"submit\">"...)
			d = append(d, x.signOut...)
			d = append(d, "</button></form>"...)
		}
		d = append(d, "\n  </div>\n</header>"...)
	}
	if b.Flash != "" {
		d = append(d, "\n<p class=\"flash\" role=\"status\">"...)
		d = appendEscaped(d, b.Flash)
		d = append(d, "</p>"...)
	}
	if !b.Bare {
		d = append(d, "\n<p class=\"print-head\">"...)
		d = appendEscaped(d, b.Title)
		d = append(d, " · "...)
		d = append(d, x.brand...)
		d = append(d, " · "...)
		d = appendEscaped(d, b.T("打印日期 %s", b.Printed))
		d = append(d, "</p>"...)
	}
	return append(d, "\n<main id=\"main\">\n"...)
}

// appendCSRF appends the hidden field of a form's CSRF token, as the
// templates' "csrf" writes it.
func appendCSRF(d []byte, token string) []byte {
	d = append(d, "<input type=\"hidden\" name=\"csrf\" value=\""...)
	d = appendEscaped(d, token)
	return append(d, "\">"...)
}

// appendEscaped appends s escaped as html/template escapes a string in
// text and in a quoted attribute: NUL, quotes, &, +, < and >.
func appendEscaped(d []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		default:
			continue
		}
		d = append(d, s[last:i]...)
		d = append(d, r...)
		last = i + 1
	}
	return append(d, s[last:]...)
}
