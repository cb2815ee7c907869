package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/web/internal/i18ntest"
)

// hostile is text a user might send that must show as text.
const hostile = `<script>alert("x")</script>`

// TestErrorTemplate executes the error page in the layout, in both
// languages and as each kind of user, and checks that the message comes
// out escaped and the layout's forms carry the CSRF token. The pages'
// templates are tested in the packages of the pages (web/page and its
// areas).
func TestErrorTemplate(t *testing.T) {
	tm, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, u := range []*duban.User{nil, {ID: 1, Name: "office", DisplayName: "督查室" + hostile, Role: duban.RoleAdmin}} {
			p := &errorPage{Status: 404, Message: hostile, Back: "/tasks"}
			p.Title, p.User, p.Lang, p.CSRF, p.Path, p.Flash = "标题"+hostile, u, lang, "csrf-token", "/tasks?q="+hostile, hostile
			if p.NavBar, err = tm.NavBar([]NavItem{{Label: "台账" + hostile, Href: "/tasks?q=" + hostile, Current: true}}); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := tm.Execute(&buf, p); err != nil {
				t.Fatalf("error.html (%s, %v): %v", lang, u, err)
			}
			out := buf.String()
			if strings.Contains(out, hostile) {
				t.Errorf("error.html (%s): users' text is not escaped", lang)
			}
			if !strings.Contains(out, `name="csrf" value="csrf-token"`) {
				t.Errorf("error.html (%s): no form carries the CSRF token", lang)
			}
			if want := tm.Translator(lang).T("错误代码 %d", 404); !strings.Contains(out, want) {
				t.Errorf("error.html (%s): lacks %q", lang, want)
			}
		}
	}
}

// TestCatalog checks that every message the core's templates and code
// translate has its English, and that the core's catalog holds no message
// the core does not use.
func TestCatalog(t *testing.T) {
	roles := map[string]string{}
	for _, r := range []duban.Role{duban.RoleAdmin, duban.RoleLeader, duban.RoleClerk, duban.RoleViewer} {
		roles[r.Label()] = "duban.Role.Label"
	}
	i18ntest.Check(t, english, func(msg string) bool { _, ok := english[msg]; return ok }, roles)
}
