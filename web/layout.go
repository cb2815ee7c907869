package web

import (
	"bytes"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// The layout every page is shown in (the top bar, the flash message, the
// print heading, around the page's content) is written here rather than by
// a template: it is on every page served, and html/template's escapers,
// called through reflection for each value, made it a quarter of the cost
// of a page kept by the page cache. Values are escaped as html/template
// escapes text and quoted attributes (Escape); TestLayout checks the
// markup.

// execute writes a page of set in the layout: the layout's head, the
// page's content (Base.Content, or its "content" template executed), the
// layout's foot.
func (t *Templates) execute(w io.Writer, set *template.Template, p Page) error {
	b := p.base()
	var head bytes.Buffer
	head.Grow(4096)
	t.writeHead(&head, b)
	if _, err := w.Write(head.Bytes()); err != nil {
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
	e := func(s string) string { return htmlEscaper.Replace(s) }
	return &layoutText{app: e(tr.T("督办")), skip: e(tr.T("跳到正文")), brand: e(tr.T("督查督办台账")), mainNav: e(tr.T("主导航")),
		notices: e(tr.T("通知")), account: e(tr.T("我的账号")), english: e(tr.T("English")), signOut: e(tr.T("退出")),
		css: e(t.static.url("app.css")), icon: e(t.static.url("icon.svg")), js: e(t.static.url("app.js"))}
}

// bellIcon is the bell's drawing.
const bellIcon = `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>`

// writeHead writes the layout up to the page's content.
func (t *Templates) writeHead(d *bytes.Buffer, b *Base) {
	x, lang, other := t.text[0], "zh-CN", "en"
	if b.Lang == "en" {
		x, lang, other = t.text[1], "en", "zh"
	}
	d.WriteString("<!doctype html>\n<html lang=\"")
	d.WriteString(lang)
	d.WriteString("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
	Escape(d, b.Title)
	d.WriteString(" · ")
	d.WriteString(x.app)
	d.WriteString("</title>\n<link rel=\"stylesheet\" href=\"")
	d.WriteString(x.css)
	d.WriteString("\">\n<link rel=\"icon\" href=\"")
	d.WriteString(x.icon)
	d.WriteString("\" type=\"image/svg+xml\">\n<script src=\"")
	d.WriteString(x.js)
	d.WriteString("\" defer></script>\n</head>\n<body")
	if b.Bare {
		d.WriteString(" class=\"bare\"")
	}
	if b.Draft != "" {
		d.WriteString(" data-draft=\"")
		Escape(d, b.Draft)
		d.WriteByte('"')
	}
	d.WriteByte('>')
	if !b.Bare {
		d.WriteString("\n<a class=\"skip\" href=\"#main\">")
		d.WriteString(x.skip)
		d.WriteString("</a>\n<header class=\"top\">\n  <a class=\"brand\" href=\"/\">")
		d.WriteString(x.brand)
		d.WriteString("</a>")
		if b.NavBar != "" {
			d.WriteString("\n  <nav class=\"nav\" aria-label=\"")
			d.WriteString(x.mainNav)
			d.WriteString("\">")
			d.WriteString(string(b.NavBar))
			d.WriteString("</nav>")
		}
		d.WriteString("\n  <div class=\"who\">")
		if b.User != nil {
			d.WriteString("\n    <a class=\"bell\" href=\"/notifications\" title=\"")
			d.WriteString(x.notices)
			d.WriteString("\" aria-label=\"")
			switch {
			case b.Unread > bellShown:
				Escape(d, b.T("通知（超过 %d 条未读）", bellShown))
			case b.Unread != 0:
				Escape(d, b.T("通知（%d 条未读）", b.Unread))
			default:
				d.WriteString(x.notices)
			}
			d.WriteString("\">\n      ")
			d.WriteString(bellIcon)
			if b.Unread != 0 {
				d.WriteString("<span class=\"badge\">")
				if b.Unread > bellShown {
					d.WriteString(strconv.Itoa(bellShown))
					d.WriteByte('+')
				} else {
					d.WriteString(strconv.Itoa(b.Unread))
				}
				d.WriteString("</span>")
			}
			d.WriteString("\n    </a><a class=\"user\" href=\"/me\" title=\"")
			d.WriteString(x.account)
			d.WriteString("\">")
			Escape(d, b.User.Label())
			d.WriteString("<small>")
			Escape(d, b.T(b.User.Role.Label()))
			d.WriteString("</small></a>")
		}
		d.WriteString("\n    <form method=\"post\" action=\"/lang\" class=\"inline\">")
		writeCSRF(d, b.CSRF)
		d.WriteString("<input type=\"hidden\" name=\"next\" value=\"")
		Escape(d, b.Path)
		d.WriteString("\">\n      <input type=\"hidden\" name=\"lang\" value=\"")
		d.WriteString(other)
		d.WriteString("\">\n      <button class=\"link\" type=\"submit\">")
		d.WriteString(x.english)
		d.WriteString("</button>\n    </form>")
		if b.User != nil {
			d.WriteString("\n    <form method=\"post\" action=\"/logout\" class=\"inline\">")
			writeCSRF(d, b.CSRF)
			d.WriteString("<button class=\"link\" type=\"submit\">")
			d.WriteString(x.signOut)
			d.WriteString("</button></form>")
		}
		d.WriteString("\n  </div>\n</header>")
	}
	if b.Flash != "" {
		d.WriteString("\n<p class=\"flash\" role=\"status\">")
		Escape(d, b.Flash)
		d.WriteString("</p>")
	}
	if !b.Bare {
		d.WriteString("\n<p class=\"print-head\">")
		Escape(d, b.Title)
		d.WriteString(" · ")
		d.WriteString(x.brand)
		d.WriteString(" · ")
		Escape(d, b.T("打印日期 %s", b.Printed))
		d.WriteString("</p>")
	}
	d.WriteString("\n<main id=\"main\">\n")
}

// writeCSRF writes the hidden field of a form's CSRF token, as the
// templates' "csrf" writes it.
func writeCSRF(d *bytes.Buffer, token string) {
	d.WriteString("<input type=\"hidden\" name=\"csrf\" value=\"")
	Escape(d, token)
	d.WriteString("\">")
}

// htmlEscaper escapes text for an element or a quoted attribute as
// html/template escapes a string there: NUL, quotes, &, +, < and >.
var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// Escape writes text escaped for an element or a quoted attribute, into a
// builder or a buffer, as html/template would: for pieces written in Go
// rather than by a template, where its reflection per value costs most.
func Escape(w io.Writer, text string) { htmlEscaper.WriteString(w, text) }
