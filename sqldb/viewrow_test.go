package sqldb_test

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
)

// TestViewRow: a query of one row run on its own sees every change
// committed before it, run unprepared the first times and prepared after
// (on SQLite), says when it found no row, and names the query that failed.
func TestViewRow(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		units := ledgerstore.NewUnitService(db)
		for i := range 6 {
			if err := units.CreateUnit(as(office), &duban.Unit{Name: fmt.Sprintf("区第%d局", i+1), Kind: duban.UnitDepartment}); err != nil {
				t.Fatal(err)
			}
			var n int
			var last string
			if err := db.ViewRow(as(viewer), "SELECT count(*), max(name) FROM units WHERE kind = ?", string(duban.UnitDepartment)).Scan(&n, &last); err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("区第%d局", i+1); n != i+1 || last != want {
				t.Errorf("after unit %d was made: got %d units, the last %q; want %d, %q", i+1, n, last, i+1, want)
			}
		}
		var name string
		if err := db.ViewRow(as(viewer), "SELECT name FROM units WHERE id = ?", -1).Scan(&name); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("no such unit: got %v, want sql.ErrNoRows", err)
		}
		err := db.ViewRow(as(viewer), "SELECT no_such_column FROM units").Scan(&name)
		if err == nil || !strings.Contains(err.Error(), "no_such_column") {
			t.Errorf("a query that cannot run: got %v, want an error naming it", err)
		}
	})
}
