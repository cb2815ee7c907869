package supervision

import (
	"testing"

	"github.com/dubanhq/duban/web/internal/i18ntest"
	"github.com/dubanhq/duban/web/internal/pagetest"
	"github.com/dubanhq/duban/web/page"
)

// hostile is text a notice or a user might hold that must show as text.
const hostile = pagetest.Hostile

// templates are the core's templates with the pages' and the supervision's.
var templates = pagetest.NewTemplates(page.Part, Part)

// TestTemplates executes every template of the supervision with its page
// struct, in both languages and as each role, and checks that users' text
// comes out escaped.
func TestTemplates(t *testing.T) {
	pagetest.ExecuteAll(t, templates.Must(t), page.TemplateDir(templateFiles), supervisionExamplePages())
}

// TestCatalog checks that every message the supervision's templates and
// handlers translate has its English, here or in page's or the core's
// catalog, and that its catalog holds no message it does not use.
func TestCatalog(t *testing.T) {
	i18ntest.Check(t, english, templates.Must(t).Translator("en").Has, supervisionLabels())
}
