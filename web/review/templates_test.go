package review

import (
	"sync"
	"testing"

	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/internal/i18ntest"
	"github.com/dubanhq/duban/web/internal/pagetest"
	"github.com/dubanhq/duban/web/page"
)

// hostile is text a notice or a user might hold that must show as text.
const hostile = pagetest.Hostile

// templates are the core's templates with the pages' and the review's,
// parsed once.
var templates = sync.OnceValues(func() (*web.Templates, error) { return web.NewTemplates(page.Part(), Part()) })

// mustTemplates returns the parsed templates or fails the test.
func mustTemplates(t *testing.T) *web.Templates {
	t.Helper()
	tm, err := templates()
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// TestTemplates executes every template of the review with its page
// struct, in both languages and as each role, and checks that users' text
// comes out escaped.
func TestTemplates(t *testing.T) {
	pagetest.ExecuteAll(t, mustTemplates(t), page.TemplateDir(templateFiles), reviewExamplePages())
}

// TestCatalog checks that every message the review's templates and
// handlers translate has its English, here or in page's or the core's
// catalog, and that its catalog holds no message it does not use.
func TestCatalog(t *testing.T) {
	i18ntest.Check(t, english, mustTemplates(t).Translator("en").Has, nil)
}
