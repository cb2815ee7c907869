package web

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"os"
	"regexp"
	"testing"

	"github.com/dubanhq/duban"
)

var updateLayout = flag.Bool("update", false, "rewrite web/testdata/layout.golden from the layout")

// TestLayout compares the layout around pages (the error page, and a page
// kept by the page cache), as each kind of visitor sees it in both
// languages, with hostile text in every value it shows, with
// testdata/layout.golden: the markup the layout's template wrote before it
// was written in Go (layout.go). Run with -update after changing the
// layout on purpose, and read the diff.
func TestLayout(t *testing.T) {
	tm, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	odd := hostile + "+&'\"\x00"
	var out bytes.Buffer
	for _, lang := range []string{"zh", "en"} {
		for _, v := range []struct {
			name    string
			user    *duban.User
			unread  int
			bare    bool
			content template.HTML
			extra   string
		}{
			{name: "visitor"},
			{name: "office, 3 unread, hostile values", user: &duban.User{ID: 1, Name: "office", DisplayName: "督查室" + odd, Role: duban.RoleAdmin}, unread: 3, extra: odd},
			{name: "clerk, 120 unread, kept content", user: &duban.User{ID: 2, Name: "c+1", Role: duban.RoleClerk}, unread: 120, content: "<p>kept + content</p>"},
			{name: "leader, bare page", user: &duban.User{ID: 3, Name: "leader", Role: duban.RoleLeader}, bare: true, extra: odd},
		} {
			p := &errorPage{Status: 404, Message: "message" + v.extra, Back: "/tasks"}
			p.Title, p.User, p.Lang, p.CSRF, p.Path, p.Flash = "标题"+v.extra, v.user, lang, "csrf-token"+v.extra, "/tasks?q="+v.extra, v.extra
			p.Unread, p.Bare, p.Content, p.Draft, p.Printed = v.unread, v.bare, v.content, v.extra, "2026-12-06"
			if v.user != nil {
				if p.NavBar, err = tm.NavBar([]NavItem{{Label: "台账" + v.extra, Href: "/tasks?q=" + v.extra, Current: true}, {Label: "单位", Href: "/units"}}); err != nil {
					t.Fatal(err)
				}
			}
			fmt.Fprintf(&out, "==== %s, %s\n", lang, v.name)
			if err := tm.Execute(&out, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The static files' versions change with the files.
	got := staticVersion.ReplaceAll(out.Bytes(), []byte("?v=…"))
	const golden = "testdata/layout.golden"
	if *updateLayout {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v: run go test ./web -run TestLayout -update to write it", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the layout differs from %s: run go test ./web -run TestLayout -update and read the diff\n%s", golden, got)
	}
}

var staticVersion = regexp.MustCompile(`\?v=[0-9a-f]+`)
