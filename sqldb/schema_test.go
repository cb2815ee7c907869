package sqldb_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dubanhq/duban/sqldb"
)

var update = flag.Bool("update", false, "rewrite the schema dumps in sqldb/schema from the migrations")

// TestSchemaDump fails when the migrations and the checked-in schema dump
// disagree: a schema change must show in the dump's diff. Run with -update
// to rewrite the dumps after changing a migration.
func TestSchemaDump(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		got, err := db.DumpSchema(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join("schema", db.Dialect()+".sql")
		if *update {
			if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v: run go test ./sqldb -run TestSchemaDump -update to write it", err)
		}
		if got != string(want) {
			t.Errorf("the migrations give a schema other than %s:\n%s\nIf the change is meant, run go test ./sqldb -run TestSchemaDump -update and review the diff.",
				file, lineDiff(string(want), got))
		}
	})
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}

// TestMigrations applies the migrations to an empty database, then opens it
// again: nothing is applied twice.
func TestMigrations(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *sqldb.DB) {
		files, err := filepath.Glob(filepath.Join("migrations", db.Dialect(), "*.sql"))
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, f := range files {
			want = append(want, filepath.Base(f))
		}
		if got := db.Applied(); !slices.Equal(got, want) {
			t.Errorf("applied on an empty database: got %q, want %q", got, want)
		}
	})
	t.Run("sqlite reopened", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "duban.db")
		for i, want := range []int{1, 0} {
			db, err := sqldb.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(db.Applied()); got < want || (want == 0 && got != 0) {
				t.Errorf("open %d: got %d migrations applied, want %d", i+1, got, want)
			}
			db.Close()
		}
	})
}
