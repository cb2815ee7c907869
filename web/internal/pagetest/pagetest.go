// Package pagetest holds what the tests of the page packages (web/page and
// its areas) share: hostile text, and the test that executes every
// template of a part against an example of its page struct.
package pagetest

import (
	"bytes"
	"io/fs"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web"
)

// Hostile is text a notice or a user might hold that must show as text.
const Hostile = `<script>alert("x")</script>`

// Templates are the core's templates with some parts', parsed at the first
// call that needs them and kept for the package's tests.
type Templates struct {
	parse func() (*web.Templates, error)
}

// NewTemplates returns the templates of the parts, not yet parsed.
func NewTemplates(parts ...func() web.Part) *Templates {
	return &Templates{parse: sync.OnceValues(func() (*web.Templates, error) {
		var ps []web.Part
		for _, p := range parts {
			ps = append(ps, p())
		}
		return web.NewTemplates(ps...)
	})}
}

// Must returns the parsed templates or fails the test.
func (tm *Templates) Must(t testing.TB) *web.Templates {
	t.Helper()
	parsed, err := tm.parse()
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

// Tr returns the translator of a language with the parts' catalogs, for
// the examples of pages; it panics when the templates do not parse, which
// the template test reports.
func (tm *Templates) Tr(lang string) web.Translator {
	parsed, err := tm.parse()
	if err != nil {
		panic(err)
	}
	return parsed.Translator(lang)
}

// ExecuteAll executes every example page with its template, in both
// languages and as each role, and checks that users' text comes out
// escaped and that the page's forms carry the CSRF token; then it checks
// that each page template of dir (a part's templates, NAME.html at its
// root) has an example.
func ExecuteAll(t *testing.T, tm *web.Templates, dir fs.FS, pages []web.Page) {
	t.Helper()
	covered := map[string]bool{}
	users := []*duban.User{
		nil,
		{ID: 1, Name: "office", DisplayName: "督查室" + Hostile, Role: duban.RoleAdmin},
		{ID: 2, Name: "clerk", Role: duban.RoleClerk, UnitID: 6},
	}
	if testing.Short() {
		users = users[1:2]
	}
	for _, p := range pages {
		name := p.TemplateName()
		covered[name] = true
		for _, lang := range []string{"zh", "en"} {
			for _, u := range users {
				b := Base(p)
				b.Title, b.User, b.Lang, b.CSRF, b.Path = "标题"+Hostile, u, lang, "csrf-token", "/tasks?q="+Hostile
				b.Flash = Hostile
				nav, err := tm.NavBar([]web.NavItem{{Label: "台账" + Hostile, Href: "/tasks?q=" + Hostile, Current: true}})
				if err != nil {
					t.Fatal(err)
				}
				b.NavBar = nav
				var buf bytes.Buffer
				if err := tm.Execute(&buf, p); err != nil {
					t.Errorf("%s (%s, %v): %v", name, lang, u, err)
					continue
				}
				out := buf.String()
				if strings.Contains(out, Hostile) {
					t.Errorf("%s (%s): users' text is not escaped:\n%s", name, lang, excerpt(out, Hostile))
				}
				if !b.Bare && !strings.Contains(out, `name="csrf" value="csrf-token"`) {
					t.Errorf("%s (%s): no form carries the CSRF token", name, lang)
				}
			}
		}
	}
	files, err := fs.Glob(dir, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name != "layout.html" && !strings.HasPrefix(name, "_") && !covered[name] {
			t.Errorf("template %s has no example page", name)
		}
	}
}

func excerpt(s, around string) string {
	i := strings.Index(s, around)
	return s[max(0, i-200):min(len(s), i+200)]
}

// Base returns the Base a page struct embeds.
func Base(p web.Page) *web.Base {
	return reflect.ValueOf(p).Elem().FieldByName("Base").Addr().Interface().(*web.Base)
}
