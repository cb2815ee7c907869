package reporting_test

import (
	"testing"

	"github.com/dubanhq/duban/web/webtest"
)

// The tests run the whole server, pages and API, over a copy of the store
// webtest.NewWorld builds; these names are webtest's, said shortly.

type world = webtest.World

const (
	admin  = webtest.Admin
	leader = webtest.Leader
	clerk  = webtest.Clerk
)

var (
	password  = webtest.Password
	officeCtx = webtest.OfficeCtx
	newWorld  = webtest.NewWorld
	taskPath  = webtest.TaskPath
	short     = webtest.Short
)

func TestMain(m *testing.M) { webtest.Main(m) }

// ref returns a pointer to v, for the filters' optional fields.
func ref[T any](v T) *T { return &v }
