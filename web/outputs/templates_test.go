package outputs

import (
	"testing"

	"github.com/dubanhq/duban/web"
	"github.com/dubanhq/duban/web/internal/i18ntest"
	"github.com/dubanhq/duban/web/internal/pagetest"
	"github.com/dubanhq/duban/web/page"
)

// hostile is text a notice or a user might hold that must show as text.
const hostile = pagetest.Hostile

// templates are the core's templates with the pages' and the outputs'.
var templates = pagetest.NewTemplates(page.Part, Part)

// tr returns the translator of a language with the server's catalog.
func tr(lang string) web.Translator { return templates.Tr(lang) }

// TestTemplates executes every template of the outputs with its page
// struct, in both languages and as each role, and checks that users' text
// comes out escaped.
func TestTemplates(t *testing.T) {
	pagetest.ExecuteAll(t, templates.Must(t), page.TemplateDir(templateFiles), outputExamplePages(t))
}

// TestCatalog checks that every message the outputs' templates and
// handlers translate has its English, here or in page's or the core's
// catalog, and that their catalog holds no message they do not use.
func TestCatalog(t *testing.T) {
	i18ntest.Check(t, english, templates.Must(t).Translator("en").Has, nil)
}
