// Package i18ntest checks a web package's message catalog against the
// messages its templates and code translate, for the catalog tests of web,
// web/page and the pages' areas.
package i18ntest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	templateMsg = regexp.MustCompile(`\.T\s+"((?:[^"\\]|\\.)*)"`)
	goMsg       = regexp.MustCompile(`\.T\("((?:[^"\\]|\\.)*)"`)
)

// Check reads the messages the package in the current directory translates
// (templates/*.html and its Go files but tests) and, with more (message →
// where it is used, for the labels the domain gives), checks that known
// has the English of each, that each message of english is used, and that
// each English fills the verbs its Chinese does. A message of english may
// also be used by the packages in the directories of sharers, which use
// this package's catalog besides their own.
func Check(t *testing.T, english map[string]string, known func(msg string) bool, more map[string]string, sharers ...string) {
	t.Helper()
	used := messages(t, ".")
	for msg, where := range more {
		used[msg] = where
	}
	var missing []string
	for msg, where := range used {
		if !known(msg) {
			missing = append(missing, where+": "+msg)
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no English for %s", m)
	}
	for _, dir := range sharers {
		for msg, where := range messages(t, dir) {
			if _, ok := used[msg]; !ok {
				used[msg] = where
			}
		}
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

// messages reads the messages the package in dir translates, each with
// the file it is in.
func messages(t *testing.T, dir string) map[string]string {
	t.Helper()
	used := map[string]string{} // message → where
	files, err := filepath.Glob(filepath.Join(dir, "templates/*.html"))
	if err != nil {
		t.Fatal(err)
	}
	goFiles, err := filepath.Glob(filepath.Join(dir, "*.go"))
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
	return used
}
