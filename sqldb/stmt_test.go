package sqldb

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/dubanhq/duban"
)

// TestPreparedStatements: a read transaction runs a query kept prepared
// once, and the same query again while the rows of the first are still
// open unprepared, so that neither resets the other's statement; both read
// the same rows, as does the next transaction, prepared again.
func TestPreparedStatements(t *testing.T) {
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{Name: "test", Role: duban.RoleAdmin})
	db, err := Open(ctx, filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Units written as the directory's store writes them (sqldb/ledgerstore,
	// which this package's tests cannot import).
	err = db.update(ctx, func(tx *Tx) error {
		for i := range 5 {
			if _, err := tx.insert("INSERT INTO units (name, kind, created_at, updated_at) VALUES (?, ?, ?, ?)",
				fmt.Sprintf("区第%d局", i+1), string(duban.UnitDepartment), tx.ts(tx.now), tx.ts(tx.now)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	const q = "SELECT name FROM units WHERE id > ? ORDER BY id"
	db.readStmts.prepare(q)
	if db.readStmts.get(q) == nil {
		t.Fatal("the query was not kept prepared")
	}
	var read func(tx *Tx, inside bool) []string
	read = func(tx *Tx, inside bool) []string {
		rows, err := tx.query(q, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
			if len(names) == 1 && !inside {
				// The same query while these rows are open.
				if again := read(tx, true); !slices.Equal(again, []string{"区第2局", "区第3局", "区第4局", "区第5局"}) {
					t.Errorf("the query run again inside: got %q", again)
				}
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return names
	}
	for range 2 {
		err := db.view(ctx, func(tx *Tx) error {
			if got, want := read(tx, false), []string{"区第2局", "区第3局", "区第4局", "区第5局"}; !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			if !slices.Equal(tx.ran, []string{q}) {
				t.Errorf("ran prepared: got %q, want the query once", tx.ran)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestPreparedWrites: the write connection keeps statements prepared from
// the second time they are seen, and a write transaction runs one kept
// prepared again and again (an INSERT's id read at once, an UPDATE), each
// run writing its own row.
func TestPreparedWrites(t *testing.T) {
	ctx := duban.NewContextWithUser(context.Background(), &duban.User{Name: "test", Role: duban.RoleAdmin})
	db, err := Open(ctx, filepath.Join(t.TempDir(), "duban.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const insert = "INSERT INTO units (name, kind, created_at, updated_at) VALUES (?, ?, ?, ?)"
	const rename = "UPDATE units SET name = name || ? WHERE id = ?"
	for _, q := range []string{insert + " RETURNING id", rename} {
		for seen := range 3 {
			db.writeStmts.preparing.Wait()
			if got := db.writeStmts.get(q) != nil; got != (seen == 2) {
				t.Fatalf("%q seen %d times before: prepared %v", q, seen, got)
			}
		}
	}
	var ids []int64
	err = db.update(ctx, func(tx *Tx) error {
		for i := range 5 {
			id, err := tx.insert(insert, fmt.Sprintf("区第%d局", i+1), string(duban.UnitDepartment), tx.ts(tx.now), tx.ts(tx.now))
			if err != nil {
				return err
			}
			if _, err := tx.exec(rename, "（改）", id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		if len(tx.ran) != 0 {
			t.Errorf("statements done when they returned were kept from running prepared again: %q", tx.ran)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(slices.Compact(slices.Clone(ids))) != 5 {
		t.Fatalf("ids %v: want five different", ids)
	}
	err = db.view(ctx, func(tx *Tx) error {
		for i, id := range ids {
			var name string
			if err := tx.queryRow("SELECT name FROM units WHERE id = ?", id).Scan(&name); err != nil {
				return err
			}
			if want := fmt.Sprintf("区第%d局（改）", i+1); name != want {
				t.Errorf("unit %d: got %q, want %q", id, name, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
