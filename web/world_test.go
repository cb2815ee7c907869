package web_test

import (
	"testing"

	"github.com/dubanhq/duban/web/webtest"
)

// The tests run the whole server, pages and API, over a copy of the store
// webtest.NewWorld builds; these names are webtest's, said shortly.

type world = webtest.World

const (
	admin      = webtest.Admin
	leader     = webtest.Leader
	clerk      = webtest.Clerk
	otherClerk = webtest.OtherClerk
	viewer     = webtest.Viewer
	nobody     = webtest.Nobody
)

var (
	roles        = webtest.Roles
	password     = webtest.Password
	testPolicy   = webtest.TestPolicy
	officeCtx    = webtest.OfficeCtx
	newWorld     = webtest.NewWorld
	newWorldWith = webtest.NewWorldWith
	taskPath     = webtest.TaskPath
	short        = webtest.Short
	mainPart     = webtest.MainPart
)

func TestMain(m *testing.M) { webtest.Main(m) }
