package sqldb

import (
	"context"
	"fmt"
	"strings"
)

// DumpSchema describes the database's schema as text, in a stable order: a
// SQLite database's CREATE statements; for PostgreSQL, each table's columns,
// constraints, indexes and triggers, and the functions. The dumps checked in
// beside the migrations come from it, so that a schema change shows as a
// reviewable diff and a migration that does not match its dump fails a test.
func (db *DB) DumpSchema(ctx context.Context) (string, error) {
	var b strings.Builder
	err := db.view(ctx, func(tx *Tx) error {
		if db.dialect == dialectPostgres {
			return dumpPostgres(tx, &b)
		}
		return dumpSQLite(tx, &b)
	})
	return b.String(), err
}

func dumpSQLite(tx *Tx, b *strings.Builder) error {
	rows, err := tx.query(`SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
		ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		fmt.Fprintf(b, "%s;\n\n", s)
	}
	return rows.Err()
}

// pgDumpQueries list, for PostgreSQL, what the dump shows of each table and
// of the schema, each query returning one text column in a stable order.
var pgDumpQueries = []struct{ title, sql string }{
	{"columns", `SELECT format('%s.%s %s%s%s%s', table_name, column_name, data_type,
			CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END,
			CASE WHEN is_identity = 'YES' THEN ' IDENTITY ' || identity_generation ELSE '' END,
			COALESCE(' DEFAULT ' || column_default, ''))
		FROM information_schema.columns WHERE table_schema = current_schema()
		ORDER BY table_name, ordinal_position`},
	{"constraints", `SELECT format('%s %s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() ORDER BY c.relname, k.conname`},
	{"indexes", `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY tablename, indexname`},
	{"storage", `SELECT format('%s %s', c.relname, array_to_string(c.reloptions, ', ')) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.reloptions IS NOT NULL
		ORDER BY c.relname`},
	{"triggers", `SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal
		ORDER BY c.relname, t.tgname`},
	{"functions", `SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		WHERE n.nspname = current_schema() ORDER BY p.proname`},
}

func dumpPostgres(tx *Tx, b *strings.Builder) error {
	var schema string
	if err := tx.queryRow("SELECT current_schema()").Scan(&schema); err != nil {
		return err
	}
	for _, q := range pgDumpQueries {
		fmt.Fprintf(b, "-- %s\n", q.title)
		rows, err := tx.query(q.sql)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			// Tests run each in a schema of their own; the dump is the same
			// whatever the schema is called.
			s = strings.ReplaceAll(s, schema+".", "")
			fmt.Fprintf(b, "%s\n", strings.TrimSpace(s))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		b.WriteString("\n")
	}
	return nil
}
