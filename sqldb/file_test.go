package sqldb_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dubanhq/duban"
	"github.com/dubanhq/duban/sqldb"
	"github.com/dubanhq/duban/sqldb/ledgerstore"
	"github.com/dubanhq/duban/sqldb/sqldbtest"
)

// TestDeletedWhileOpen: a database file deleted while the server runs
// makes every write fail with a message saying so, rather than being
// acknowledged into a file no one will read again; and no file is made
// in its place.
func TestDeletedWhileOpen(t *testing.T) {
	path := sqldbtest.SQLiteDSN(t)
	db := mustOpen(t, path)
	units := ledgerstore.NewUnitService(db)
	if err := units.CreateUnit(as(office), &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		os.Remove(f)
	}
	err := units.CreateUnit(as(office), &duban.Unit{Name: "区审计局", Kind: duban.UnitDepartment})
	if err == nil || !strings.Contains(duban.ErrorMessage(err), "已被删除") {
		t.Errorf("a write after the file was deleted: got %v, want refused, saying the file was deleted", err)
	}
	// Reads go on from a connection open before, or fail saying why.
	if _, _, err := units.FindUnits(as(office), duban.UnitFilter{}); err != nil && !strings.Contains(duban.ErrorMessage(err), "已被删除") {
		t.Errorf("a read after the file was deleted: got %v, want the units or a message saying the file was deleted", err)
	}
	if _, err := sqldb.NewAuditService(db).Heads(as(office), 0); err != nil && !strings.Contains(duban.ErrorMessage(err), "已被删除") {
		t.Errorf("a read of one row after the file was deleted: got %v, want the versions or a message saying the file was deleted", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after the writes: the file is there again (%v)", err)
	}
}

// TestOpenMissing: opening a database that does not exist makes none
// unless asked to: a missing SQLite file, or a PostgreSQL schema without
// duban's tables, is refused with a message saying how to make one.
func TestOpenMissing(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			dsn := sqldbtest.SQLiteDSN(t)
			if store == "postgres" {
				dsn = sqldbtest.PostgresDSN(t)
			}
			_, err := sqldb.OpenWith(context.Background(), dsn, sqldb.Options{})
			if duban.ErrorCode(err) != duban.ENOTFOUND || !strings.Contains(duban.ErrorMessage(err), "--init") {
				t.Errorf("a database not there: got %v, want not found, saying how to make one", err)
			}
			if store == "sqlite" {
				if _, err := os.Stat(dsn); !errors.Is(err, os.ErrNotExist) {
					t.Errorf("refusing made the file (%v)", err)
				}
			}
			db, err := sqldb.OpenWith(context.Background(), dsn, sqldb.Options{Create: true})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			db, err = sqldb.OpenWith(context.Background(), dsn, sqldb.Options{})
			if err != nil {
				t.Fatalf("the database made: %v", err)
			}
			db.Close()
		})
	}
}

// TestReadOnly: a database file the server may not write is refused at
// start, saying so and what to do, and so is one whose shared-memory file
// (-shm) was left read-only by an earlier run, rather than failing later
// with a misleading migration error.
func TestReadOnly(t *testing.T) {
	dir, here := sqldbtest.Unprivileged(t)
	if !here {
		return
	}
	path := filepath.Join(dir, "duban.db")
	db, err := sqldb.OpenWith(context.Background(), path, sqldb.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.OpenWith(context.Background(), path, sqldb.Options{})
	if msg := duban.ErrorMessage(err); err == nil || !strings.Contains(msg, "只读") || !strings.Contains(msg, path) {
		t.Errorf("a read-only file: got %v, want refused, saying it is read-only", err)
	}
	os.Chmod(path, 0o644)

	// An earlier run left the -shm read-only.
	os.Remove(path + "-shm")
	if err := os.WriteFile(path+"-shm", make([]byte, 32768), 0o444); err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.OpenWith(context.Background(), path, sqldb.Options{})
	if msg := duban.ErrorMessage(err); err == nil || !strings.Contains(msg, "-shm") || strings.Contains(msg, "migration") {
		t.Errorf("a read-only -shm: got %v, want refused, naming the -shm and what to do", err)
	}
}

// TestCloseFoldsLog: closing the store folds SQLite's write-ahead log
// into the file, so that a copy of the file alone (a backup taken with
// the server stopped) holds every change.
func TestCloseFoldsLog(t *testing.T) {
	path := sqldbtest.SQLiteDSN(t)
	db, err := sqldb.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := ledgerstore.NewUnitService(db).CreateUnit(as(office), &duban.Unit{Name: "区财政局", Kind: duban.UnitDepartment}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledgerstore.NewUnitService(db).FindUnits(as(office), duban.UnitFilter{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		t.Errorf("after Close the log holds %d bytes not in the file", st.Size())
	}
}

// TestConnectionSettings: the reading and the writing connections carry
// the settings sqliteParams sets, among them a page cache large enough
// for a pass over the year's lights.
func TestConnectionSettings(t *testing.T) {
	db := mustOpen(t, sqldbtest.SQLiteDSN(t))
	check := func(tx *sqldb.Tx) error {
		for pragma, want := range map[string]string{"cache_size": "-32768", "journal_mode": "wal", "synchronous": "2", "foreign_keys": "1"} {
			var got string
			if err := tx.QueryRow("PRAGMA " + pragma).Scan(&got); err != nil {
				return err
			}
			if got != want {
				t.Errorf("PRAGMA %s: %s, want %s", pragma, got, want)
			}
		}
		return nil
	}
	if err := db.View(as(office), check); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(as(office), check); err != nil {
		t.Fatal(err)
	}
}
