package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strconv"
)

// migrationFiles holds the schema changes, one folder per dialect, each file
// named NNN_what.sql and applied once, in order.
//
//go:embed migrations
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

var migrationName = regexp.MustCompile(`^(\d{3})_[a-z0-9_]+\.sql$`)

// migrations returns a dialect's migrations in order, checking that they are
// numbered 1, 2, 3… with no gap or repeat.
func migrations(d dialect) ([]migration, error) {
	dir := path.Join("migrations", d.String())
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("sqldb: migration %s/%s is not named NNN_what.sql", dir, e.Name())
		}
		v, _ := strconv.Atoi(m[1])
		if v != len(out)+1 {
			return nil, fmt.Errorf("sqldb: migration %s/%s: want number %03d", dir, e.Name(), len(out)+1)
		}
		data, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: e.Name(), sql: string(data)})
	}
	return out, nil
}

// migrate applies the migrations not yet recorded in schema_migrations, each
// in its own transaction with the record of it. Several servers starting at
// once on one PostgreSQL take turns through an advisory lock; on SQLite the
// write transaction's lock does the same.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations(db.dialect)
	if err != nil {
		return err
	}
	createTable := "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
	if db.dialect == dialectPostgres {
		createTable = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)"
	}
	for _, m := range ms {
		applied, err := db.applyMigration(ctx, createTable, m)
		if err != nil {
			return fmt.Errorf("sqldb: migration %s: %w", m.name, err)
		}
		if applied {
			db.applied = append(db.applied, m.name)
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, createTable string, m migration) (bool, error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, ctx: ctx, db: db, now: db.Now()}
	if db.dialect == dialectPostgres {
		if _, err := tx.exec("SELECT pg_advisory_xact_lock(hashtext('duban.migrate.' || current_schema()))"); err != nil {
			return false, err
		}
	}
	if _, err := tx.exec(createTable); err != nil {
		return false, err
	}
	var one int
	switch err := tx.queryRow("SELECT 1 FROM schema_migrations WHERE version = ?", m.version).Scan(&one); err {
	case nil:
		return false, nil
	case sql.ErrNoRows:
	default:
		return false, err
	}
	if _, err := tx.exec(m.sql); err != nil {
		return false, err
	}
	if _, err := tx.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, tx.ts(tx.now)); err != nil {
		return false, err
	}
	return true, sqlTx.Commit()
}
