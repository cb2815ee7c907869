package web

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
)

// hostile is text a user might send that must show as text.
const hostile = `<script>alert("x")</script>`

// TestErrorTemplate executes the error page in the layout, in both
// languages and as each kind of user, and checks that the message comes
// out escaped and the layout's forms carry the CSRF token. The pages'
// templates are tested in package page.
func TestErrorTemplate(t *testing.T) {
	tm, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"zh", "en"} {
		for _, u := range []*duban.User{nil, {ID: 1, Name: "office", DisplayName: "督办室" + hostile, Role: duban.RoleAdmin}} {
			p := &errorPage{Status: 404, Message: hostile, Back: "/tasks"}
			p.Title, p.User, p.Lang, p.CSRF, p.Path, p.Flash = "标题"+hostile, u, lang, "csrf-token", "/tasks?q="+hostile, hostile
			p.Nav = []NavItem{{Label: "台账", Href: "/tasks", Current: true}}
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
	used := map[string]string{} // message → where
	templateMsg := regexp.MustCompile(`\.T\s+"((?:[^"\\]|\\.)*)"`)
	goMsg := regexp.MustCompile(`\.T\("((?:[^"\\]|\\.)*)"`)
	files, err := filepath.Glob("templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	goFiles, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(files, goFiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		re := templateMsg
		if strings.HasSuffix(f, ".go") {
			re = goMsg
		}
		for _, m := range re.FindAllSubmatch(data, -1) {
			used[string(m[1])] = f
		}
	}
	for _, r := range []duban.Role{duban.RoleAdmin, duban.RoleLeader, duban.RoleClerk, duban.RoleViewer} {
		used[r.Label()] = "duban.Role.Label"
	}
	var missing []string
	for msg, where := range used {
		if _, ok := english[msg]; !ok {
			missing = append(missing, where+": "+msg)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no English for %s", m)
	}
	for msg, en := range english {
		if _, ok := used[msg]; !ok {
			t.Errorf("catalog message %q is used nowhere", msg)
		}
		if strings.Count(msg, "%") != strings.Count(en, "%") {
			t.Errorf("%q and %q fill different verbs", msg, en)
		}
	}
}
